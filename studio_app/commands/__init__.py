"""Subcommands of ``studio-console``. Each module has ``register(subparsers)``.

Command modules never import Qt (they run on headless studio PCs and in scripts); the
desk itself is launched by :mod:`studio_app.cli`.
"""
from __future__ import annotations

import importlib

# Order is the order in --help.
COMMAND_MODULES = [
    "studio_app.commands.log",
    "studio_app.commands.export_events",
    "studio_app.commands.report",
    "studio_app.commands.clips",
    "studio_app.commands.sales",
    "studio_app.commands.room",
    "studio_app.commands.camcheck",
    "studio_app.commands.obs",
    "studio_app.commands.loudness",
    "studio_app.commands.lint",
    "studio_app.commands.rundown",
    "studio_app.commands.emergency",
    "studio_app.commands.actions",
    "studio_app.commands.selftest",
]


def register_all(subparsers) -> None:  # noqa: ANN001 - argparse's private type
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
