"""Tables of the store. The same definitions serve SQLite and PostgreSQL.

Texts users supply have the lengths of dashboard.text_limits, as VARCHAR length (which PostgreSQL
enforces) and as a CHECK on the number of characters (which SQLite enforces too). The store checks
the same limits and control characters before writing, with a Dutch message.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from dashboard.text_limits import limit

metadata = MetaData()


def _text(field: str) -> String:
    """A user-supplied text column of the length `field` allows."""
    return String(limit(field))


def _length_check(table: str, column: str, field: str) -> CheckConstraint:
    return CheckConstraint(f"length({column}) <= {limit(field)}", name=f"ck_{table}_{column}_length")

areas = Table(
    "areas",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", _text("area_name"), nullable=False),
    Column("level", String(16), nullable=False),
    Column("parent_code", String(32), index=True),  # the wijken of a municipality
    # The upload whose mapping step defined this area (EG_…, EW…_…); empty for the catalog's and a plan file's.
    Column("dataset_id", Integer),
    _length_check("areas", "name", "area_name"),
)

indicators = Table(
    "indicators",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", _text("indicator_name"), nullable=False),
    Column("description", Text, nullable=False),
    Column("unit", String(20), nullable=False),
    Column("direction", String(20), nullable=False),
    Column("aggregation", String(20), nullable=False),
    Column("source", _text("source"), nullable=False),
    _length_check("indicators", "name", "indicator_name"),
    _length_check("indicators", "description", "indicator_description"),
    _length_check("indicators", "source", "source"),
)

datasets = Table(
    "datasets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", _text("dataset_name"), nullable=False),
    Column("kind", String(20), nullable=False),  # seed, upload, cbs
    Column("source_file", String(500), nullable=False),
    Column("document", String(200)),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("created_by", _text("login_name"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("status", String(20), nullable=False),  # active, withdrawn
    Column("is_example", Integer, nullable=False, default=0),
    _length_check("datasets", "name", "dataset_name"),
    _length_check("datasets", "created_by", "login_name"),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # No index of its own: uq_observation below starts with dataset_id and serves lookups by dataset.
    Column("dataset_id", Integer, ForeignKey("datasets.id"), nullable=False),
    Column("indicator_id", String(100), ForeignKey("indicators.id"), nullable=False),
    Column("area_code", String(32), ForeignKey("areas.code"), nullable=False),
    Column("period", String(20), nullable=False),
    Column("value", Float, nullable=False),
    Column("numerator", Float),
    Column("denominator", Float),
    Column("source", _text("source"), nullable=False),
    Column("quote", Text),
    Column("note", Text),
    # A document that states a range ("11 tot 12 procent") gives value (the lower bound) and value_upper;
    # estimate = 1 where the document calls the figure an estimate ("zo'n 2.000", "geschat").
    Column("value_upper", Float),
    Column("estimate", Integer),
    UniqueConstraint("dataset_id", "indicator_id", "area_code", "period", name="uq_observation"),
    _length_check("observations", "source", "source"),
    # The queries of the pages (store.Store.observations): by indicator, then area and period; by area alone
    # (what is there for this area); the unique constraint above serves one dataset's figures.
    Index("ix_observations_indicator_area_period", "indicator_id", "area_code", "period"),
    Index("ix_observations_area", "area_code"),
)

# The store's data version: one row, one counter, raised in the same transaction as every write
# (Store.write). App caches are keyed on it, so every replica sees a write on its next rerun. It starts at a
# random number, so a database that is dropped and made again never repeats a version a process has cached.
data_version = Table(
    "data_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", BigInteger, nullable=False),
)

# Notes and stories (tellen en vertellen), attached to an indicator, area and period, optionally to a
# meeting. Like datasets they are never deleted: withdrawn, and every earlier text kept in note_versions.
notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator_id", String(100), ForeignKey("indicators.id")),
    Column("area_code", String(32), ForeignKey("areas.code")),
    Column("period", String(20)),
    Column("text", Text, nullable=False),
    Column("author", _text("login_name"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),  # active, withdrawn
    Column("meeting", _text("meeting")),  # e.g. "OOGO 12 maart 2026"
    Column("kind", String(20)),  # notitie, verhaal
    Column("updated_at", DateTime(timezone=True)),
    _length_check("notes", "text", "note_text"),
    _length_check("notes", "author", "login_name"),
)

note_versions = Table(
    "note_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("note_id", Integer, ForeignKey("notes.id"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    _length_check("note_versions", "text", "note_text"),
)

# The original file of every upload, kept with its dataset: nothing a user uploaded is lost.
files = Table(
    "files",
    metadata,
    Column("dataset_id", Integer, ForeignKey("datasets.id"), primary_key=True),
    Column("file_name", _text("file_name"), nullable=False),
    Column("content", LargeBinary, nullable=False),
    _length_check("files", "file_name", "file_name"),
)

# Staff accounts for the login without OIDC. Never deleted: blocked, so that the author of old notes and
# datasets stays an account that existed.
users = Table(
    "users",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("password_hash", String(300), nullable=False),
    Column("status", String(20), nullable=False),  # active, blocked
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("changed_at", DateTime(timezone=True)),
)

# Every login attempt, per account name and per client (address), shared by all app processes; the delay and
# the temporary lock after failures are computed from it (dashboard.auth).
login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scope", String(20), nullable=False),  # account, client
    Column("key", String(200), nullable=False),
    Column("attempted_at", DateTime(timezone=True), nullable=False),
    Column("succeeded", Integer, nullable=False, default=0),
    Index("ix_login_attempts_key", "scope", "key", "attempted_at"),
)

# What staff did: logins (success and failure), imports, withdrawals and restores; read on Gegevens.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(200), nullable=False),
    Column("action", String(60), nullable=False),
    Column("target", String(500), nullable=False),
    Column("client", String(200)),
)

# The policy cycle (issue 19): per framework the yearly tellen-en-vertellen meeting and the plan's review and
# evaluation moments, their conclusions and decisions (each linked to goals), the "beweging" rows of a plan
# with their startbeeld and later observations, and yearly progress per action line and activity. Like notes,
# rows are never deleted: a correction is a new row, and withdrawn rows keep their status.
cycle_meetings = Table(
    "cycle_meetings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("framework_id", String(100), nullable=False, index=True),
    Column("kind", String(30), nullable=False),  # tellen_en_vertellen, review, evaluatie, ...
    Column("year", Integer, nullable=False),
    Column("held_on", String(10), nullable=False),  # ISO date
    Column("title", String(300), nullable=False),
    Column("participants", Text, nullable=False),  # groups, one per line
    Column("figures", Text),  # indicator ids looked at, one per line
    Column("stories", Text),  # the stories looked at
    Column("agenda_changes", Text),  # what changes in the uitvoeringsagenda
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
)

cycle_outcomes = Table(
    "cycle_outcomes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("meeting_id", Integer, ForeignKey("cycle_meetings.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # conclusie, besluit
    Column("text", Text, nullable=False),
    Column("goal_ids", Text, nullable=False),  # one goal id per line
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

beweging_entries = Table(
    "beweging_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("framework_id", String(100), nullable=False, index=True),
    Column("goal_id", String(100), nullable=False),
    Column("kind", String(20), nullable=False),  # startbeeld, cijfer, verhaal
    Column("period", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("value", Float),
    Column("source", String(300), nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

progress_entries = Table(
    "progress_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("framework_id", String(100), nullable=False, index=True),
    Column("year", Integer, nullable=False),
    Column("theme_id", String(100), nullable=False),  # the action line
    Column("goal_id", String(100)),  # the onderwerp, or none for the action line as a whole
    Column("activity", Text),  # one of the goal's activities, or none for the onderwerp as a whole
    Column("status", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# What staff mapped an export's unknown names to (upload page, "Koppelen"), remembered per source so that the
# next file from the same source needs no mapping: kind is "indicator" or "gebied", name the normalised name,
# target an indicator id, an area code or "-" (not read).
name_mappings = Table(
    "name_mappings",
    metadata,
    Column("source_key", String(300), primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("name", String(300), primary_key=True),
    Column("target", String(100), nullable=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id")),
)

# Policy frameworks (beleidskaders) read from a plan file made with the template. Every import is a new
# version of its framework id with the original file; at most one version per id is active. Withdrawing
# hides a version, restoring brings it back (and withdraws the other versions of that id); nothing is deleted.
framework_versions = Table(
    "framework_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("framework_id", String(100), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("name", String(300), nullable=False),
    Column("definition", Text, nullable=False),  # JSON: {"framework": ..., "regions": [...]}
    Column("file_name", String(300), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),  # active, withdrawn
    UniqueConstraint("framework_id", "version", name="uq_framework_version"),
)
