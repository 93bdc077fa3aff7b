"""A log at a given schema revision, as an older console left it (tests and benchmarks)."""
from __future__ import annotations

from alembic import command

from studio_app.store.db import _alembic_config


def migrate_to(engine, revision: str, *, down: bool = False) -> None:  # noqa: ANN001 - an Engine
    """Upgrade (or with ``down`` downgrade) the log behind ``engine`` to ``revision``."""
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)
