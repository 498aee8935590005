"""The notes of one meeting with the figures they refer to, as Markdown and as a Word document (.docx).

Each note is followed by the figure it is attached to (indicator, area, period) as the dashboard shows
it, with its source and dataset, so the report can be read without the dashboard. Small wijk numbers
are already suppressed in the observations passed in; they are written as "te klein om te tonen".
Text typed by users is escaped in the Markdown so that it cannot add links, images or HTML.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pandas as pd

from dashboard.analysis.periods import label
from dashboard.analysis.suppression import hidden_text
from dashboard.formatting import format_row
from dashboard.markdown_text import escape

_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_safe(text: object) -> str:
    """Word documents cannot hold control characters; a pasted one must not break the export."""
    return _NOT_IN_XML.sub("", str(text))


@dataclass(frozen=True)
class NoteWithFigure:
    note: pd.Series
    figure: str | None  # "17,4% (bron: …; dataset: …)" or None when the note is not about one figure


def figure_for(note: pd.Series, values: pd.DataFrame) -> str | None:
    """The figure a note refers to: the value of its indicator for its area and period (or the latest)."""
    if not isinstance(note.get("indicator_id"), str) or not isinstance(note.get("area_code"), str):
        return None
    rows = values[(values["indicator_id"] == note["indicator_id"]) & (values["area_code"] == note["area_code"])]
    if isinstance(note.get("period"), str) and note["period"]:
        rows = rows[rows["period"] == note["period"]]
    if rows.empty:
        return "geen cijfer in het dashboard"
    row = rows.iloc[-1]
    shown = hidden_text(row.get("suppressed_reason")) if bool(row.get("suppressed", False)) \
        else format_row(row)
    return f"{shown} in {label(row['period'])} (bron: {row['source']}; dataset: {row['dataset']})"


def note_subject(note: pd.Series) -> str:
    """What a note is about: 'indicator, gebied, periode' as far as given; empty for a general note."""
    parts = [str(note[k]) for k in ("indicator_name", "area_name") if isinstance(note.get(k), str)]
    if isinstance(note.get("period"), str) and note["period"]:
        parts.append(label(note["period"]))
    return ", ".join(parts)


def note_time(note: pd.Series) -> str:
    created = note.get("created_at")
    return pd.Timestamp(created).tz_localize(None).strftime("%d-%m-%Y %H:%M") if pd.notna(created) else ""


def _when(note: pd.Series) -> str:
    return note_time(note) + (" (aangepast)" if pd.notna(note.get("updated_at")) else "")


def meeting_markdown(meeting: str, notes: pd.DataFrame, values: pd.DataFrame) -> str:
    lines = [f"# Notities: {escape(meeting)}", "",
             f"{len(notes)} notitie(s) uit het Jeugddashboard.", ""]
    for number, (_, note) in enumerate(notes.iterrows(), start=1):
        kind = "Verhaal" if note.get("kind") == "verhaal" else "Notitie"
        lines.append(f"## {number}. {kind} bij {escape(note_subject(note) or 'algemeen')}")
        lines.append("")
        lines.append(f"*{escape(note['author'])}, {_when(note)}*")
        lines.append("")
        lines.extend(escape(line) for line in str(note["text"]).splitlines())
        figure = figure_for(note, values)
        if figure:
            lines += ["", f"Cijfer: {escape(figure)}"]
        lines.append("")
    return "\n".join(lines)


def meeting_docx(meeting: str, notes: pd.DataFrame, values: pd.DataFrame) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(_xml_safe(f"Notities: {meeting}"), level=1)
    document.add_paragraph(f"{len(notes)} notitie(s) uit het Jeugddashboard.")
    for number, (_, note) in enumerate(notes.iterrows(), start=1):
        kind = "Verhaal" if note.get("kind") == "verhaal" else "Notitie"
        document.add_heading(_xml_safe(f"{number}. {kind} bij {note_subject(note) or 'algemeen'}"), level=2)
        document.add_paragraph().add_run(_xml_safe(f"{note['author']}, {_when(note)}")).italic = True
        for line in str(note["text"]).splitlines() or [""]:
            document.add_paragraph(_xml_safe(line))
        figure = figure_for(note, values)
        if figure:
            document.add_paragraph().add_run(f"Cijfer: {figure}").bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
