"""White-balance validation: confusion tables on real photographs with known casts.

The set (tests/harness/wb_casts.py): scikit-image's astronaut, coffee, chelsea and rocket,
each as shot and reframed four ways (75 % crops: the presenter moved, the camera zoomed);
no cast, and casts in eight directions (warm, cool, green, magenta and the diagonals) at
strengths 1.1-1.5, applied as a camera applies a wrong preset (linear-light channel
gains, then sRGB encoding, clipping at full scale).

Three modes:
- set reference: each photo's uncast full frame (the set under the show lights) stored as the
  camera's reference;
- gray-card reference: a gray card under neutral light stored as the reference; the set is
  judged against it (another scene: only the card's white is used), and so is the card
  itself under every cast (the same scene);
- no reference: judged against sRGB's white.

Also the summary on hold-out photos (scikit-image's retina, immunohistochemistry and
hubble_deep_field), which played no part in setting the thresholds.

Printed: the confusion table (true direction x verdict, verdict "ok", "unknown" or the
direction words named), the wrong verdicts (a cast on an uncast picture, a direction the
cast does not have, "ok" on a cast of 1.3 or more), and detection by strength. Also the
cost of the analysis per frame.

Run: ``.venv/bin/python tests/benchmarks/bench_white_balance.py`` (``--quick``: full frames only).
"""
from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from hardware.camera.whitebalance import (  # noqa: E402
    WhiteBalanceReference,
    judge_white_balance_drift,
    read_white_balance,
)
from tests.benchmarks.table import median, print_table  # noqa: E402
from tests.harness import wb_casts as W  # noqa: E402

QUICK = "--quick" in sys.argv
COLUMNS = ["ok", "unknown", "warm", "cool", "green", "magenta", "warm+green", "warm+magenta", "cool+green",
           "cool+magenta"]
TRUTHS = ["none", *W.DIRECTIONS]


SET, CARD, NONE = "set reference", "gray-card reference", "no reference"


def judge_all(photos=W.PHOTOS):
    views = ("full",) if QUICK else tuple(W.VIEWS)
    cache: dict = {}
    refs = {p: WhiteBalanceReference.from_reading(read_white_balance(W.reference_picture(p, cache)))
            for p in (*photos, W.GRAY_CARD)}
    results: dict[str, list] = {SET: [], CARD: [], NONE: []}
    for case in W.cases(photos=photos, views=views):
        reading = read_white_balance(W.picture(case, cache))
        for mode, ref in ((SET, refs[case.photo]), (CARD, refs[W.GRAY_CARD]), (NONE, None)):
            results[mode].append((case, judge_white_balance_drift(reading, ref)))
    for case in W.cases(photos=(W.GRAY_CARD,), views=("full",)):
        reading = read_white_balance(W.picture(case, cache))
        results[CARD].append((case, judge_white_balance_drift(reading, refs[W.GRAY_CARD])))
    return results


def confusion(mode: str, rows) -> None:
    table: dict[str, Counter] = defaultdict(Counter)
    for case, d in rows:
        table[case.truth][W.label(d.verdict, d.direction)] += 1
    body = [[t, *[table[t].get(c, 0) or "." for c in COLUMNS], sum(table[t].values())] for t in TRUTHS]
    print_table(f"White balance {mode}: true direction (rows) x verdict (columns), {len(rows)} pictures",
                ["true \\ verdict", *COLUMNS, "n"], body)


def summary(results, title: str = "Summary: wrong verdicts must be 0; strong = strength >= 1.3") -> None:
    body = []
    for mode, rows in results.items():
        for label, pick in (("the card", lambda c: c.photo == W.GRAY_CARD),
                            ("same framing", lambda c: c.view == "full" and c.photo != W.GRAY_CARD),
                            ("reframed", lambda c: c.view != "full")):
            sel = [(c, d) for c, d in rows if pick(c)]
            if not sel:
                continue
            wrong = sum(W.is_wrong(c, d.verdict, d.direction) for c, d in sel)
            none = [(c, d) for c, d in sel if c.truth == "none"]
            strong = [(c, d) for c, d in sel if c.truth != "none" and c.strength >= W.STRONG]
            weak = [(c, d) for c, d in sel if c.truth != "none" and c.strength < W.STRONG]

            def right(group):
                return sum(d.verdict == "cast" and not W.is_wrong(c, d.verdict, d.direction) for c, d in group)

            body.append([mode, label, len(sel), wrong,
                         f"{sum(d.verdict == 'ok' for _, d in none)}/{len(none)}",
                         f"{right(strong)}/{len(strong)}", f"{sum(d.verdict == 'unknown' for _, d in strong)}",
                         f"{right(weak)}/{len(weak)}"])
    print_table(title,
                ["mode", "framing", "pictures", "wrong", "no cast: ok", "strong: named right", "strong: unknown",
                 "weak: named right"], body)


def by_strength(results) -> None:
    body = []
    for mode, rows in results.items():
        for s in (1.0, *W.STRENGTHS):
            sel = [(c, d) for c, d in rows if c.strength == s and c.view == "full" and c.photo != W.GRAY_CARD]
            counts = Counter("wrong" if W.is_wrong(c, d.verdict, d.direction) else
                             "named" if d.verdict == "cast" else d.verdict for c, d in sel)
            drift = [abs(d.mired) for c, d in sel if d.mired is not None and c.truth in ("warm", "cool")]
            body.append([mode, s, len(sel), counts.get("named", 0), counts.get("ok", 0), counts.get("unknown", 0),
                         counts.get("wrong", 0), f"{median(drift):.0f}" if drift else "-"])
    print_table("By strength, photos as the reference framed them (strength 1.0 = no cast); |mired| read on warm/cool casts",
                ["mode", "strength", "n", "cast named", "ok", "unknown", "wrong", "median |mired|"], body)


def cost() -> None:
    rng = np.random.default_rng(0)
    base = W.photo("astronaut")
    body = []
    for name, (w, h) in {"720p": (1280, 720), "1080p": (1920, 1080)}.items():
        frame = np.clip(cv2.resize(base, (w, h)) + rng.normal(0, 2, (h, w, 3)), 0, 255).astype(np.uint8)
        # As measure_picture does: the estimators see the point-subsampled frame.
        step = max(1, h // 270)
        small = cv2.resize(frame, (w // step, h // step), interpolation=cv2.INTER_NEAREST)
        times = []
        for _ in range(30 if not QUICK else 10):
            t0 = time.perf_counter()
            read_white_balance(small)
            times.append(time.perf_counter() - t0)
        body.append([name, f"{median(times) * 1e3:.2f}"])
    print_table("Cost of the white-balance reading per checked frame (median ms; the desk checks 12 frames/s)",
                ["source", "ms"], body)


def main() -> None:
    results = judge_all()
    for mode, rows in results.items():
        if mode == SET:
            confusion(f"{mode}, as framed for the reference", [(c, d) for c, d in rows if c.view == "full"])
            confusion(f"{mode}, reframed 4 ways", [(c, d) for c, d in rows if c.view != "full"])
        else:
            confusion(mode, rows)
    summary(results)
    by_strength(results)
    # Photographs that played no part in setting the thresholds, far from a studio (a retina
    # filling the frame with orange, a microscope slide, the night sky): how far the rules carry.
    summary(judge_all(W.HOLDOUT), "Hold-out photos (not used to set the thresholds): " + ", ".join(W.HOLDOUT))
    cost()


if __name__ == "__main__":
    main()
