"""A virtual X display for the desktop app's tests and benchmarks."""

from __future__ import annotations

import os
import subprocess


class Xvfb:
    """Xvfb on a display number it picks itself (`-displayfd`), until `stop`."""

    def __init__(self) -> None:
        # Xvfb takes the first free display number and writes it to the pipe once it listens:
        # two test runs (or pytest workers) starting at once cannot pick the same number, as they
        # could when the lock files were looked at here first.
        read_end, write_end = os.pipe()
        try:
            self.process = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(write_end,))
        finally:
            os.close(write_end)
        try:
            with os.fdopen(read_end, "rb") as pipe:
                number = pipe.readline().strip()  # end of file if Xvfb exits first
            assert number.isdigit(), f"Xvfb exited at start ({self.process.poll()})"
        except BaseException:
            self.stop()
            raise
        self.number = int(number)
        self.display = f":{self.number}"

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
