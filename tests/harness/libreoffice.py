"""LibreOffice Calc, headless: converts a workbook the way a team's own spreadsheet program
writes it (XLSX re-saved by LibreOffice, CSV in UTF-8, GB18030 or UTF-16, every sheet).

Each call runs ``soffice --headless --convert-to`` with a private profile folder, so it never
touches a user's LibreOffice settings and never talks to a running instance.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.harness import need_binary, unavailable

# LibreOffice's text encodings (rtl_TextEncoding) for its CSV filter's third option
CSV_UTF8, CSV_GB18030, CSV_UTF16 = 76, 85, 65535


def csv_filter(encoding: int = CSV_UTF8, every_sheet: bool = False) -> str:
    """CSV filter options: comma, double quotes, ``encoding``, from line 1, cells as shown;
    the first sheet, or every sheet into NAME-SHEET.csv."""
    options = f"44,34,{encoding},1,,0,false,true,true,false,false"
    return f"csv:Text - txt - csv (StarCalc):{options}" + (",-1" if every_sheet else "")


def convert(src: Path, outdir: Path, target: str, profile: Path) -> list[Path]:
    """Convert ``src`` into ``outdir`` (``target`` as soffice's --convert-to takes it);
    returns the files written."""
    need_binary("LibreOffice", "soffice")
    outdir.mkdir(parents=True, exist_ok=True)
    before = set(outdir.iterdir())
    proc = subprocess.run(
        ["soffice", "--headless", "--norestore", "--nologo", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", target, "--outdir", str(outdir), str(src)],
        capture_output=True, text=True, timeout=180,
        env={"HOME": str(profile), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},  # sheet names in file names
    )
    written = sorted(set(outdir.iterdir()) - before)
    if proc.returncode != 0 or not written:
        unavailable("LibreOffice", f"soffice --convert-to {target} failed ({proc.returncode}): {proc.stderr.strip()[-300:]}")
    return written
