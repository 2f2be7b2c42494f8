"""Writes the desktop figures into docs/benchmarks.md, only between `<!-- desktop:start -->` and
`<!-- desktop:end -->` (other sections of that file belong to other benchmarks)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- desktop:start -->", "<!-- desktop:end -->"
HEADER = ("## Desktop app\n\nMeasured on this machine (2 cores, Xvfb, software GL) by "
          "`benchmarks/desktop_bundle.py` and `benchmarks/desktop_cold_start.py`.")


def record(key: str, text: str) -> None:
    """Replace (or add) the `key` block inside the desktop section, creating what is missing."""
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if START not in doc:
        doc = doc.rstrip("\n") + f"\n\n{START}\n{HEADER}\n{END}\n"
    before, rest = doc.split(START, 1)
    section, after = rest.split(END, 1)
    block = f"<!-- desktop:{key} -->\n{text.strip()}\n<!-- /desktop:{key} -->"
    pattern = re.compile(rf"<!-- desktop:{re.escape(key)} -->.*?<!-- /desktop:{re.escape(key)} -->",
                         re.S)
    section = pattern.sub(lambda _m: block, section) if pattern.search(section) else (
        section.rstrip("\n") + "\n\n" + block + "\n")
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(before + START + section + END + after, encoding="utf-8")
