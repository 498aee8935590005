"""Hefboom Regels, kaders en randvoorwaarden: figures held against their limits (data/catalog/limits.yaml)."""

import pandas as pd
import streamlit as st

from dashboard import app_data, state
from dashboard.analysis.limits import (
    baseline_only,
    components_outside_periods,
    figure_name,
    observations_behind,
    whole_period_table,
    year_shares,
)
from dashboard.analysis.periods import label
from dashboard.analysis.selection import indicators_starting_with, limit_indicators
from dashboard.formatting import format_value
from dashboard.markdown_text import escape
from dashboard.views import frameworks, page_context
from dashboard.views.charts import limit_spec
from dashboard.views.slides import heading, step_through
from dashboard.views.widgets import chart_with_data

catalog = app_data.catalog()
lever = next(lv for lv in catalog.steering.levers if lv.id == "regels")
# Limits hold for municipalities and regions (budgets, norms); wijk figures are not compared here.
values = app_data.values(limit_indicators(catalog.limits, catalog), levels=app_data.LEVELS_BUT_WIJK)

presenting = state.presentation_mode()
framework = page_context.framework()


def _status_line(row: pd.Series, unit: str) -> str:
    if not row["exceeded"]:
        return f"binnen de grens in {label(row['period'])} (ruimte {format_value(abs(row['difference']), unit)})"
    pct = f" ({format_value(abs(row['difference_pct']), 'percent')})" if pd.notna(row["difference_pct"]) else ""
    return (f"**grens overschreden** met {format_value(abs(row['difference']), unit)}{pct} in "
            f"{label(row['period'])}, onafgebroken sinds {label(row['since'])}")


summary = []


def limit_section(limit) -> None:
    name = figure_name(limit, catalog)
    unit = catalog.indicators[limit.limit_indicator].unit
    table, status = app_data.limit_comparison(limit)
    if presenting:
        st.title(limit.name)
    else:
        st.header(limit.name, divider="gray")
    if not presenting:  # on the big screen the title, the status and the chart carry the message
        st.markdown(limit.description)
    baseline = baseline_only(limit, values)
    if table.empty and not baseline.empty:
        st.info(f"De 0-meting ({label(limit.limit_period or '')}) is bekend: " + "; ".join(
            f"{escape(row.area_name)} {format_value(row.value, unit)}" for row in baseline.itertuples())
            + ". Er is nog geen latere meting om ertegen te houden; lees die in op de pagina Gegevens.",
            icon=":material/hourglass_empty:")
        if not presenting:
            st.page_link("app_pages/gegevens.py", label="Cijfers inlezen op de pagina Gegevens",
                         icon=":material/database:")
        return
    if table.empty:
        needed = [catalog.indicators[i].name for i in (limit.figure_indicator, limit.limit_indicator) if i]
        st.info("Er zijn nog geen cijfers om tegen deze grens te houden. Nodig: " + " en ".join(
            f"‘{n}’" for n in dict.fromkeys(needed)) + ", per gebied en jaar.", icon=":material/upload_file:")
        if not presenting:
            st.page_link("app_pages/gegevens.py", label="Cijfers inlezen op de pagina Gegevens",
                         icon=":material/database:")
        return
    for row in status.itertuples(index=False):
        line = _status_line(pd.Series(row._asdict()), unit)
        summary.append((limit.name, row.area_name, row.exceeded))
        if row.exceeded:
            st.error(f"{escape(row.area_name)}: {line}.", icon=":material/warning:")
        else:
            st.success(f"{escape(row.area_name)}: {line}.", icon=":material/check_circle:")
    if not presenting:  # on the big screen the status lines and the chart say it; the table is a click away
        st.dataframe(pd.DataFrame({
            "Gebied": table["area_name"], "Periode": table["period"].map(label),
            name[:1].upper() + name[1:]: [format_value(v, unit) for v in table["figure"]],
            "Grens": [format_value(v, unit) + (f" (van {label(p)})" if p != period else "")
                      for v, p, period in zip(table["limit"], table["limit_period"], table["period"], strict=True)],
            "Verschil": [("+" if d > 0 else "−" if d < 0 else "") + format_value(abs(d), unit)
                         for d in table["difference"]],
            "Status": table["exceeded"].map({True: "overschreden", False: "binnen de grens"}),
        }), hide_index=True, width="stretch")
    behind = observations_behind(limit, values, table["area_code"])
    chart_with_data(
        limit_spec(table, name, unit, limit.kind), behind, key=f"kader_{limit.id}",
        alt_text=f"Staafdiagram per gebied en periode: {name} (staaf, rood als de grens is overschreden) "
                 "en de grens (zwart streepje). De cijfers staan ook in de tabel.",
    )
    if limit.figure_prefix and not presenting:  # the detail is on the normal page
        apart = components_outside_periods(values, limit.figure_prefix, limit.areas)
        if not apart.empty and limit.allocation == "per_jaar":
            st.markdown("**Toerekening aan jaren.** Een bedrag dat de tekst voor meerdere jaren noemt, is gelijk "
                        "over die jaren verdeeld; een bedrag voor een schooljaar naar maanden (augustus tot en met "
                        "december: 5/12 in het eerste jaar, januari tot en met juli: 7/12 in het tweede). "
                        "In de jaarcijfers hierboven is zo meegeteld:")
            for row in apart.itertuples():
                school = " (schooljaar)" if row.indicator_id in limit.school_year_indicators else ""
                shares = ", ".join(f"{format_value(row.value * share, unit)} in {year}"
                                   for year, share in year_shares(limit, row.indicator_id, row.period))
                st.markdown(f"- {escape(row.indicator_name)}: {format_value(row.value, unit)} voor "
                            f"{label(row.period)}{school}: {shares}")
        elif not apart.empty:
            st.markdown("**Niet per jaar toegerekend** (de tekst noemt een bedrag voor meerdere jaren; het telt "
                        "niet mee in de jaarcijfers hierboven):")
            for row in apart.itertuples():
                st.markdown(f"- {escape(row.indicator_name)}: {format_value(row.value, unit)} voor {label(row.period)}")
    whole = whole_period_table(limit, values) if not presenting else pd.DataFrame()
    for row in whole.itertuples():
        verdict = "**grens overschreden** met" if row.exceeded else "binnen de grens, ruimte"
        line = (f"Over de hele periode {label(row.period)}: {format_value(row.figure, unit)} tegenover "
                f"{format_value(row.limit, unit)}; {verdict} {format_value(abs(row.difference), unit)} "
                "(zonder toerekening aan jaren: alle bedragen binnen de periode opgeteld).")
        (st.error if row.exceeded else st.success)(f"{escape(row.area_name)}: {line}", icon=":material/functions:")
    if limit.source:
        st.caption(f"Kader: {limit.source}")

def costs_section() -> None:
    heading("Kostenontwikkeling jeugdhulp 2018-2020")
    st.markdown("De Regiovisie stelt als sturingsuitgangspunt: uitvoering binnen het voor jeugdhulp beschikbare "
                "budget. De ontwikkeling van de kosten in Zuid-Kennemerland en IJmond:")
    costs = app_data.values(indicators_starting_with(catalog, "kosten_"), ["REG_ZKIJ"])
    st.markdown("\n".join(f"- {escape(row.indicator_name.split(':')[0])}: {format_value(row.value, row.unit)} "
                          f"({label(row.period)})" for row in costs.itertuples()))
    st.caption("Bron: Regionaal databestand jeugdhulp, via de Regiovisie Jeugdhulp Zuid-Kennemerland en IJmond.")


def introduction() -> None:
    st.title("Regels, kaders en randvoorwaarden")
    st.markdown(lever.description)
    st.caption("Kaders in het sturingsmodel: " + ", ".join(lever.elements) + ".")
    frameworks.plan_on_lever(framework, "regels")
    overview = st.container()
    if presenting:  # the summary needs every limit's status: computed without drawing
        for limit in catalog.limits:
            table, status = app_data.limit_comparison(limit)
            if not table.empty:
                summary.extend((limit.name, r.area_name, r.exceeded) for r in status.itertuples())
    overview_box.append(overview)


overview_box: list = []
limit_steps = [(lm.name, lambda lm=lm: limit_section(lm)) for lm in catalog.limits]
step_through([("Regels en kaders", introduction), *limit_steps, ("Kostenontwikkeling", costs_section)],
             "Regels, kaders en randvoorwaarden")

if summary and overview_box:  # the overview sits under the introduction (only on its step on the big screen)
    overview = overview_box[0]
    exceeded = [f"{name}: {area}" for name, area, over in summary if over]
    overview.metric("Overschreden grenzen (laatste periode)", f"{len(exceeded)} van {len(summary)}",
                    help="Per kader en gebied, in de laatste periode met cijfers voor cijfer én grens.")
    if exceeded:
        overview.markdown("\n".join(f"- {item}" for item in exceeded))
