"""Tables of the store. The same definitions serve SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
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

metadata = MetaData()

areas = Table(
    "areas",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("level", String(16), nullable=False),
    Column("parent_code", String(32)),
)

indicators = Table(
    "indicators",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("description", Text, nullable=False),
    Column("unit", String(20), nullable=False),
    Column("direction", String(20), nullable=False),
    Column("aggregation", String(20), nullable=False),
    Column("source", String(300), nullable=False),
)

datasets = Table(
    "datasets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(300), nullable=False),
    Column("kind", String(20), nullable=False),  # seed, upload, cbs
    Column("source_file", String(500), nullable=False),
    Column("document", String(200)),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("status", String(20), nullable=False),  # active, withdrawn
    Column("is_example", Integer, nullable=False, default=0),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id"), nullable=False, index=True),
    Column("indicator_id", String(100), ForeignKey("indicators.id"), nullable=False),
    Column("area_code", String(32), ForeignKey("areas.code"), nullable=False),
    Column("period", String(20), nullable=False),
    Column("value", Float, nullable=False),
    Column("numerator", Float),
    Column("denominator", Float),
    Column("source", String(300), nullable=False),
    Column("quote", Text),
    Column("note", Text),
    UniqueConstraint("dataset_id", "indicator_id", "area_code", "period", name="uq_observation"),
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
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),  # active, withdrawn
    Column("meeting", String(200)),  # e.g. "OOGO 12 maart 2026"
    Column("kind", String(20)),  # notitie, verhaal
    Column("updated_at", DateTime(timezone=True)),
)

note_versions = Table(
    "note_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("note_id", Integer, ForeignKey("notes.id"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
)

# The original file of every upload, kept with its dataset: nothing a user uploaded is lost.
files = Table(
    "files",
    metadata,
    Column("dataset_id", Integer, ForeignKey("datasets.id"), primary_key=True),
    Column("file_name", String(300), nullable=False),
    Column("content", LargeBinary, nullable=False),
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
