"""The policy cycle in the store: meetings with conclusions and decisions, beweging rows, yearly progress.

A mixin of Store (it uses its engine), kept apart so the cycle's persistence reads as one piece. Every write
checks its input and raises ValueError with a Dutch message saying which field is wrong; nothing is stored
half (a meeting and its outcomes are separate writes, each one transaction).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select, update

from dashboard.analysis.periods import PERIOD_FORMATS_NL, is_valid
from dashboard.catalog.models import REVIEW_KINDS
from dashboard.store import schema
from dashboard.text_limits import TextLimitError, text_problem

OUTCOME_KINDS = ("conclusie", "besluit")
BEWEGING_KINDS = ("startbeeld", "cijfer", "verhaal")
PROGRESS_STATUSES = ("niet gestart", "loopt", "vertraagd", "afgerond", "gestopt")


def _checked(value: str | None, field: str, limit: str) -> str:
    """`value` stripped, if it fits the text limits of `limit` (length, no control characters)."""
    text = "" if value is None else str(value).strip()
    problem = text_problem(limit, text)
    if problem:
        raise TextLimitError(f"{field}: {problem}; er is niets opgeslagen.")
    return text


def _non_empty(text: str, field: str) -> str:
    if not text:
        raise ValueError(f"{field} ontbreekt; er is niets opgeslagen.")
    return text


def _required(value: str | None, field: str, limit: str = "cycle_title") -> str:
    return _non_empty(_checked(value, field, limit), field)


def _lines(items: Iterable[str], field: str = "Deelnemers (groepen)", limit: str = "participant") -> str:
    return "\n".join(dict.fromkeys(_checked(i, field, limit) for i in items if str(i).strip()))


def split_lines(text: object) -> list[str]:
    """A multi-value column (participants, goal ids, figures) as a list."""
    return [line for line in str(text).splitlines() if line.strip()] if isinstance(text, str) else []


class CycleStoreMixin:
    """Writes go through Store._write (one transaction, and the store's data version for caches)."""

    engine: Engine
    _write: Callable[..., AbstractContextManager[Connection]]

    def add_cycle_meeting(self, *, framework_id: str, kind: str, held_on: date, title: str,
                          participants: Iterable[str], author: str, figures: Iterable[str] = (),
                          stories: str = "", agenda_changes: str = "") -> int:
        if kind not in REVIEW_KINDS:
            raise ValueError(f"Soort bijeenkomst {kind!r} is onbekend; kies uit {', '.join(REVIEW_KINDS)}.")
        groups = _non_empty(_lines(participants), "Deelnemers (groepen)")
        with self._write() as conn:
            return int(conn.execute(insert(schema.cycle_meetings).values(
                framework_id=_required(framework_id, "Beleidskader"), kind=kind, year=held_on.year,
                held_on=held_on.isoformat(), title=_required(title, "Titel"), participants=groups,
                figures=_lines(figures, "Bekeken cijfers") or None,
                stories=_checked(stories, "Bekeken verhalen", "cycle_text") or None,
                agenda_changes=_checked(agenda_changes, "Wat verandert in de uitvoeringsagenda", "cycle_text") or None,
                author=_required(author, "Auteur", "login_name"),
                created_at=datetime.now(UTC), status="active",
            )).inserted_primary_key[0])

    def set_cycle_meeting_status(self, meeting_id: int, editor: str, status: str) -> None:
        if status not in ("active", "withdrawn"):
            raise ValueError(f"onbekende status {status!r}")
        m = schema.cycle_meetings
        with self._write() as conn:
            author = conn.execute(select(m.c.author).where(m.c.id == meeting_id)).scalar()
            if author is None:
                raise KeyError(f"bijeenkomst {meeting_id} bestaat niet")
            if author != editor:
                raise PermissionError("alleen wie de bijeenkomst vastlegde kan haar intrekken of herstellen")
            conn.execute(update(m).where(m.c.id == meeting_id).values(status=status))
            conn.execute(insert(schema.audit_log).values(
                at=datetime.now(UTC), actor=editor[:200], action="bijeenkomst beleidscyclus "
                + ("hersteld" if status == "active" else "ingetrokken"), target=f"bijeenkomst {meeting_id}"))

    def cycle_meetings(self, framework_id: str | None = None, include_withdrawn: bool = False) -> pd.DataFrame:
        m = schema.cycle_meetings
        query = select(m).order_by(m.c.held_on, m.c.id)
        if framework_id is not None:
            query = query.where(m.c.framework_id == framework_id)
        if not include_withdrawn:
            query = query.where(m.c.status == "active")
        with self.engine.connect() as conn:
            return pd.read_sql(query, conn)

    def add_cycle_outcome(self, meeting_id: int, *, kind: str, text: str, goal_ids: Iterable[str],
                          author: str) -> int:
        if kind not in OUTCOME_KINDS:
            raise ValueError(f"Soort {kind!r} is onbekend; kies conclusie of besluit.")
        goals = _non_empty(_lines(goal_ids, "Doel(en) waar dit over gaat"), "Doel(en) waar dit over gaat")
        m = schema.cycle_meetings
        with self._write() as conn:
            if conn.execute(select(m.c.id).where(m.c.id == meeting_id)).scalar() is None:
                raise KeyError(f"bijeenkomst {meeting_id} bestaat niet")
            return int(conn.execute(insert(schema.cycle_outcomes).values(
                meeting_id=meeting_id, kind=kind, text=_required(text, "Tekst", "cycle_text"), goal_ids=goals,
                author=_required(author, "Auteur", "login_name"), created_at=datetime.now(UTC),
            )).inserted_primary_key[0])

    def cycle_outcomes(self, meeting_ids: Iterable[int] | None = None) -> pd.DataFrame:
        o = schema.cycle_outcomes
        query = select(o).order_by(o.c.meeting_id, o.c.id)
        if meeting_ids is not None:
            query = query.where(o.c.meeting_id.in_([int(i) for i in meeting_ids]))
        with self.engine.connect() as conn:
            return pd.read_sql(query, conn)

    def add_beweging_entry(self, *, framework_id: str, goal_id: str, kind: str, period: str, text: str,
                           source: str, author: str, value: float | None = None) -> int:
        if kind not in BEWEGING_KINDS:
            raise ValueError(f"Soort {kind!r} is onbekend; kies uit {', '.join(BEWEGING_KINDS)}.")
        period = _required(period, "Periode")
        if not is_valid(period):
            raise ValueError(f"De periode ‘{period}’ kan niet worden gelezen; gebruik bijvoorbeeld "
                             f"{PERIOD_FORMATS_NL[0]}. Er is niets opgeslagen.")
        with self._write() as conn:
            return int(conn.execute(insert(schema.beweging_entries).values(
                framework_id=_required(framework_id, "Beleidskader"), goal_id=_required(goal_id, "Beweging"),
                kind=kind, period=period, text=_required(text, "Tekst", "cycle_text"), value=value,
                source=_required(source, "Bron", "source"), author=_required(author, "Auteur", "login_name"),
                created_at=datetime.now(UTC),
            )).inserted_primary_key[0])

    def beweging_entries(self, framework_id: str) -> pd.DataFrame:
        b = schema.beweging_entries
        with self.engine.connect() as conn:
            return pd.read_sql(select(b).where(b.c.framework_id == framework_id).order_by(b.c.id), conn)

    def add_progress(self, *, framework_id: str, year: int, theme_id: str, status: str, text: str, author: str,
                     goal_id: str | None = None, activity: str | None = None) -> int:
        if status not in PROGRESS_STATUSES:
            raise ValueError(f"Status {status!r} is onbekend; kies uit {', '.join(PROGRESS_STATUSES)}.")
        if activity and not goal_id:
            raise ValueError("Een activiteit hoort bij een onderwerp; kies eerst het onderwerp.")
        row: dict[str, Any] = {
            "framework_id": _required(framework_id, "Beleidskader"), "year": int(year),
            "theme_id": _required(theme_id, "Actielijn"), "goal_id": goal_id or None, "activity": activity or None,
            "status": status, "text": _required(text, "Toelichting", "cycle_text"),
            "author": _required(author, "Auteur", "login_name"),
            "created_at": datetime.now(UTC),
        }
        with self._write() as conn:
            return int(conn.execute(insert(schema.progress_entries).values(**row)).inserted_primary_key[0])

    def progress(self, framework_id: str) -> pd.DataFrame:
        p = schema.progress_entries
        with self.engine.connect() as conn:
            return pd.read_sql(select(p).where(p.c.framework_id == framework_id).order_by(p.c.year, p.c.id), conn)
