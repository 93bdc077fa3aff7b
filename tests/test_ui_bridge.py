"""Background jobs hand their result to the GUI thread and then let go of everything
(issue 20: the soak found every job's bridge and callbacks alive to the end of the show)."""
from __future__ import annotations

import gc
import weakref

from studio_app.ui.bridge import run_in_background


class _Panel:
    """Stands for what a callback captures: a panel, a show, a file's contents."""


def _collected(refs: list[weakref.ref]) -> bool:
    gc.collect()
    return all(r() is None for r in refs)


def test_finished_jobs_let_go_of_their_callbacks_and_what_they_captured(qtbot):
    refs: list[weakref.ref] = []
    results: list[int] = []
    errors: list[str] = []

    def boom() -> int:
        raise OSError("disk gone")

    for i in range(40):
        panel = _Panel()
        refs.append(weakref.ref(panel))
        job = (lambda i=i: i) if i % 2 else boom
        run_in_background(job, lambda r, panel=panel: results.append(r),
                          lambda e, panel=panel: errors.append(str(e)))
        del panel
    qtbot.waitUntil(lambda: len(results) + len(errors) == 40, timeout=10_000)
    assert sorted(results) == list(range(1, 40, 2)) and errors == ["disk gone"] * 20
    # Once the GUI loop has run again, nothing of the 40 jobs is left alive.
    qtbot.waitUntil(lambda: _collected(refs), timeout=10_000)
