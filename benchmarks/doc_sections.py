"""The benchmarks' shared document: each benchmark owns one marked section of docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
FILE_HEADER = "# Benchmarks\n\nFigures measured on the project's own machines; each section says how to reproduce it.\n"


def write_section(path: Path, body: str, start_mark: str, end_mark: str) -> None:
    """Replace (or append) the section between `start_mark` and `end_mark` in `path`, leaving the rest untouched."""
    block = f"{start_mark}\n{body}{end_mark}\n"
    text = path.read_text() if path.exists() else FILE_HEADER
    start, end = text.find(start_mark), text.find(end_mark)
    if start != -1 and end > start:
        rest = text[end + len(end_mark):].lstrip("\n")
        text = text[:start] + block + ("\n" + rest if rest else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text)
