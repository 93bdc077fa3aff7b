"""Runbook files checked against the action registry: every step must name an action
(``type = "obs.scene"`` or a short type such as ``obs_scene``) with arguments the action
takes, or the file is refused with its line, like any other mistake in it."""
from __future__ import annotations

from pathlib import Path

from studio_app.show.emergency import RunbookError, RunbookSet, load_runbooks, loads_runbooks
from studio_app.studio import actions as reg


def check_steps(books: RunbookSet) -> RunbookSet:
    """``books`` when every step is a registry action with valid arguments; else
    :class:`RunbookError` naming the file, line and step."""
    for book in books:
        for n, step in enumerate(book.actions, start=1):
            where = f"runbook {book.id!r} action[{n}]"
            spec, implied = reg.resolve(step.step_name)
            if spec is None:
                raise RunbookError(books.file, step.line, f"{where}.type",
                                   f"unknown action {step.step_name!r} (studio-console actions lists them)")
            try:
                reg.validate(spec, {**implied, **step.step_args})
            except reg.BadArgs as exc:
                raise RunbookError(books.file, step.line, where, str(exc)) from None
    return books


def load_checked(path: str | Path) -> RunbookSet:
    """Read a runbook file and check its steps (raises RunbookError, located)."""
    return check_steps(load_runbooks(path))


def loads_checked(text: str, file: str = "<runbooks>") -> RunbookSet:
    return check_steps(loads_runbooks(text, file))
