"""A virtual X display for the desktop app's tests and benchmarks."""

from __future__ import annotations

import subprocess
from pathlib import Path

from support.polling import wait_for


class Xvfb:
    """Xvfb on the first free display number from `first` on, until `stop`."""

    def __init__(self, first: int = 90) -> None:
        self.number = next(n for n in range(first, first + 110)
                           if not Path(f"/tmp/.X{n}-lock").exists()
                           and not Path(f"/tmp/.X11-unix/X{n}").exists())
        self.display = f":{self.number}"
        self.process = subprocess.Popen(
            ["Xvfb", self.display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: Path(f"/tmp/.X11-unix/X{self.number}").exists() or self._died(), 10,
                     "Xvfb to open its socket")
            assert self.process.poll() is None, "Xvfb exited at start"
        except BaseException:
            self.stop()
            raise

    def _died(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"Xvfb exited with {self.process.returncode}")
        return False

    def windows(self) -> str:
        """`xwininfo -root -tree`: every window on the display with its title and size."""
        return subprocess.run(["xwininfo", "-root", "-tree", "-display", self.display],
                              capture_output=True, text=True, timeout=10).stdout

    def stop(self) -> None:
        """End Xvfb."""
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
