"""Size of the Linux desktop bundle (dist/parley-desktop), against the 350 MB budget.

`python benchmarks/desktop_bundle.py [--build]`: measures the folder `make package` made (or builds
it first with --build), prints the biggest parts, and records the figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from desktop_report import ROOT, record  # noqa: E402

BUNDLE = ROOT / "dist" / "parley-desktop"
BUDGET_MB = 350


def size_mb(path: Path) -> float:
    """Bytes on disk of a file or folder (symlinks not followed), in MB (10^6)."""
    if path.is_file() or path.is_symlink():
        return path.lstat().st_size / 1e6
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def main() -> None:
    """Measure (and optionally build) the bundle; write the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", action="store_true", help="run installers/linux/build.sh first")
    args = parser.parse_args()
    if args.build:
        subprocess.run(["bash", "installers/linux/build.sh"], cwd=ROOT, check=True)
    if not (BUNDLE / "parley-desktop").is_file():
        raise SystemExit("no bundle: run `make package` (or this script with --build)")
    # `du -sb`: apparent bytes of every file, folder and symlink, what a user's disk shows.
    total_bytes = int(subprocess.run(["du", "-sb", str(BUNDLE)], capture_output=True, text=True,
                                     check=True).stdout.split()[0])
    total = total_bytes / 1e6
    internal = BUNDLE / "_internal"
    parts = {
        "QtWebEngineCore": size_mb(internal / "PySide6/Qt/lib/libQt6WebEngineCore.so.6"),
        "ICU (Chromium's icudtl.dat; Qt Core's data is a stub)": size_mb(
            internal / "PySide6/Qt/lib/libicudata.so.73")
        + size_mb(internal / "PySide6/Qt/resources/icudtl.dat"),
        "rest of Qt and PySide6": size_mb(internal / "PySide6") - size_mb(
            internal / "PySide6/Qt/lib/libQt6WebEngineCore.so.6") - size_mb(
            internal / "PySide6/Qt/lib/libicudata.so.73") - size_mb(
            internal / "PySide6/Qt/resources/icudtl.dat"),
    }
    parts["Python, server, system libraries"] = total - sum(parts.values())
    tarballs = sorted((ROOT / "dist").glob("parley-desktop-*-linux-*.tar.gz"))
    lines = [f"| Linux one-folder bundle (`dist/parley-desktop`, `du -sb`) | **{total:.1f} MB** = "
             f"{total_bytes:,} bytes = {total_bytes / 2**20:.1f} MiB "
             f"(budget {BUDGET_MB} MB: {'within' if total <= BUDGET_MB else 'OVER'}) |"]
    lines += [f"| &nbsp;&nbsp;{name} | {mb:.0f} MB |" for name, mb in parts.items()]
    if tarballs:
        lines.append(f"| tarball (`{tarballs[-1].name}`, gzip -1) | {size_mb(tarballs[-1]):.0f} MB |")
    print("\n".join(lines))
    record("bundle", "### Bundle size\n\n| what | size |\n| --- | --- |\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
