"""The self-test report for people: a self-contained HTML page and plain text lines."""
from __future__ import annotations

import html
from datetime import datetime

from studio_app.selftest.checks import SelfTestRun, Status

COLOURS = {Status.PASS: "#1e8e3e", Status.WARN: "#e37400", Status.FAIL: "#d93025", Status.SKIP: "#80868b"}
MARKS = {Status.PASS: "PASS", Status.WARN: "WARN", Status.FAIL: "FAIL", Status.SKIP: "skip"}
WORDS_ZH = {Status.PASS: "通过", Status.WARN: "注意", Status.FAIL: "失败", Status.SKIP: "跳过"}


def render_text(run: SelfTestRun, lang: str = "zh_CN") -> list[str]:
    lines = []
    for c in run.checks:
        name = c.name_zh if lang == "zh_CN" else c.name
        value = c.value or ""
        threshold = f" (want {c.threshold})" if c.threshold and c.status is not Status.PASS else ""
        parts = [f"{name}: {value}{threshold}" if value else f"{name}{threshold}"]
        if c.detail:
            parts.append(c.detail)
        lines.append(f"{MARKS[c.status]:<5} {c.id:<21} " + " - ".join(parts))
        fix = c.fix_text(lang)
        if fix and c.status in (Status.FAIL, Status.WARN):
            lines.append(f"      -> {fix}")
    counts = run.counts()
    verdict = ("自检通过" if run.passed else "自检未通过") if lang == "zh_CN" else ("PASSED" if run.passed else "FAILED")
    lines.append(f"{verdict}: {counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail, "
                 f"{counts['skip']} skip in {run.duration_s:.1f} s")
    return lines


def render_html(run: SelfTestRun, title: str = "开播前自检 Pre-show self-test") -> str:
    """One HTML page with inline styles only (mail it, archive it, open it anywhere)."""
    e = html.escape
    when = datetime.fromtimestamp(run.started_at).strftime("%Y-%m-%d %H:%M:%S") if run.started_at else ""
    counts = run.counts()
    verdict = ("<p class='ok'>自检通过 self-test passed</p>" if run.passed
               else "<p class='bad'>自检有失败项 self-test found failures</p>")
    rows = []
    for c in run.checks:
        colour = COLOURS[c.status]
        fix = ""
        if c.fix and c.status is not Status.PASS:
            fix = f"{e(c.fix_text('zh_CN'))}<br><span class='en'>{e(c.fix_text('en'))}</span>"
        rows.append(
            f"<tr><td><span class='st' style='background:{colour}'>{WORDS_ZH[c.status]} {c.status.value}</span></td>"
            f"<td>{e(c.name_zh)}<br><span class='en'>{e(c.name)}</span><br><code>{e(c.id)}</code></td>"
            f"<td>{e(c.value or '')}</td><td>{e(c.threshold or '')}</td><td>{e(c.detail)}</td><td>{fix}</td></tr>")
    targets = ", ".join(f"{k}: {e(str(v))}" for k, v in run.targets.items() if v is not None)
    groups = ", ".join(f"{k} {v:.1f} s" for k, v in run.group_s.items())
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>
body {{ font-family: "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 2em; color: #202124; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #dadce0; padding: 6px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f1f3f4; }}
.st {{ color: #fff; padding: 2px 6px; border-radius: 3px; white-space: nowrap; }}
.en {{ color: #5f6368; font-size: 90%; }}
.ok {{ color: #1e8e3e; font-weight: bold; }} .bad {{ color: #d93025; font-weight: bold; }}
code {{ color: #5f6368; }}
</style></head><body>
<h1>{e(title)}</h1>
{verdict}
<p>{e(when)} · {counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail, {counts['skip']} skip ·
{run.duration_s:.1f} s ({e(groups)})</p>
<p>profile: {e(run.profile or 'console settings')} · {targets}</p>
<table><tr><th>状态 Status</th><th>检查 Check</th><th>测量值 Value</th><th>要求 Threshold</th><th>说明 Detail</th>
<th>处理方法 Fix</th></tr>
{''.join(rows)}
</table></body></html>
"""
