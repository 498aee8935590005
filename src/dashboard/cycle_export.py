"""One meeting of the policy cycle as a report for the council: Markdown and Word (.docx).

The report gives the meeting (date, kind, participants' groups), the figures looked at with their value,
source and dataset as the dashboard shows them, the stories, the conclusions and decisions with the goals
they are about, and what changes in the uitvoeringsagenda; then the notes of the meeting. It reuses the notes
export for the figures and for escaping: text typed by users cannot add links, images or HTML.
"""

from __future__ import annotations

import io

import pandas as pd

from dashboard.analysis.cycle import goals_named
from dashboard.analysis.periods import label, sort_key
from dashboard.catalog.models import REVIEW_KIND_NAMES, Catalog, Framework
from dashboard.formatting import SUPPRESSED, format_row
from dashboard.markdown_text import escape
from dashboard.note_export import _xml_safe, figure_for, note_subject
from dashboard.store.cycle import split_lines

OUTCOME_HEADINGS = {"conclusie": "Conclusies", "besluit": "Besluiten"}


def figure_line(indicator_id: str, catalog: Catalog, framework: Framework, values: pd.DataFrame) -> str:
    """An indicator looked at: its latest value per area of the framework, with source and dataset."""
    indicator = catalog.indicators.get(indicator_id)
    if indicator is None:
        return f"{indicator_id}: onbekende indicator"
    rows = values[(values["indicator_id"] == indicator_id)
                  & values["area_code"].isin((*framework.areas, *framework.reference_areas))]
    if rows.empty:
        return f"{indicator.name}: geen cijfer in het dashboard"
    parts = []
    for code in dict.fromkeys((*framework.areas, *framework.reference_areas)):
        own = rows[rows["area_code"] == code]
        if own.empty:
            continue
        row = own.iloc[max(range(len(own)), key=lambda i: sort_key(own["period"].iloc[i]))]  # the latest period
        shown = SUPPRESSED if bool(row.get("suppressed", False)) else format_row(row)
        parts.append(f"{row['area_name']} {shown} ({label(row['period'])}; bron: {row['source']}; "
                     f"dataset: {row['dataset']})")
    return f"{indicator.name}: " + "; ".join(parts)


def _sections(meeting: pd.Series, outcomes: pd.DataFrame, framework: Framework, catalog: Catalog,
              values: pd.DataFrame) -> list[tuple[str, list[str]]]:
    kind = REVIEW_KIND_NAMES.get(meeting["kind"], meeting["kind"])
    held_on = pd.Timestamp(meeting["held_on"]).strftime("%d-%m-%Y")
    sections: list[tuple[str, list[str]]] = [
        ("Bijeenkomst", [f"{kind}, {held_on} ({framework.name})",
                         f"Vastgelegd door {meeting['author']}"]),
        ("Deelnemers", split_lines(meeting["participants"])),
        ("Bekeken cijfers", [figure_line(i, catalog, framework, values) for i in split_lines(meeting["figures"])]
         or ["geen"]),
        ("Bekeken verhalen", split_lines(meeting["stories"]) or ["geen"]),
    ]
    for kind_id, heading in OUTCOME_HEADINGS.items():
        own = outcomes[outcomes["kind"] == kind_id] if not outcomes.empty else outcomes
        items = [f"{row['text']} — doelen: {', '.join(goals_named(framework, row['goal_ids']))}"
                 for _, row in own.iterrows()]
        sections.append((heading, items or ["geen"]))
    sections.append(("Wat verandert in de uitvoeringsagenda", split_lines(meeting["agenda_changes"]) or ["niets"]))
    return sections


def _note_items(notes: pd.DataFrame, values: pd.DataFrame) -> list[str]:
    items = []
    for _, note in notes.iterrows():
        figure = figure_for(note, values)
        subject = note_subject(note) or "algemeen"
        items.append(f"{subject}: {note['text']} ({note['author']})" + (f" — cijfer: {figure}" if figure else ""))
    return items


def cycle_markdown(meeting: pd.Series, outcomes: pd.DataFrame, framework: Framework, catalog: Catalog,
                   values: pd.DataFrame, notes: pd.DataFrame) -> str:
    lines = [f"# {escape(meeting['title'])}", ""]
    sections = _sections(meeting, outcomes, framework, catalog, values)
    if not notes.empty:
        sections.append(("Notities bij deze bijeenkomst", _note_items(notes, values)))
    for heading, items in sections:
        lines += [f"## {heading}", ""]
        lines += [f"- {escape(' '.join(str(item).split()))}" for item in items]
        lines.append("")
    return "\n".join(lines)


def cycle_docx(meeting: pd.Series, outcomes: pd.DataFrame, framework: Framework, catalog: Catalog,
               values: pd.DataFrame, notes: pd.DataFrame) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(_xml_safe(meeting["title"]), level=1)
    sections = _sections(meeting, outcomes, framework, catalog, values)
    if not notes.empty:
        sections.append(("Notities bij deze bijeenkomst", _note_items(notes, values)))
    for heading, items in sections:
        document.add_heading(heading, level=2)
        for item in items:
            document.add_paragraph(_xml_safe(item), style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
