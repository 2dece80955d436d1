"""A text progress bar for management commands; redraws in place on a terminal, prints lines elsewhere."""

import sys
import time


class ProgressBar:
    def __init__(self, label: str, stream=None, width: int = 30, min_interval: float = 0.2):
        self.label, self.width, self.min_interval = label, width, min_interval
        self.stream = stream or sys.stdout
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._interactive = getattr(self.stream, "isatty", lambda: False)()

    def __call__(self, done: int, total: int, note: str = "") -> None:
        now = time.monotonic()
        finished = done >= total
        interval = self.min_interval if self._interactive else 5.0
        if not finished and now - self._last_draw < interval:
            return
        self._last_draw = now
        fraction = done / total if total else 1.0
        filled = int(self.width * fraction)
        elapsed = now - self.started
        eta = elapsed / fraction - elapsed if fraction > 0 else 0.0
        line = (
            f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done:,}/{total:,} "
            f"{fraction:6.1%} {elapsed:5.0f}s elapsed, {eta:4.0f}s left {note}"
        )
        end = "\n" if finished or not self._interactive else ""
        self.stream.write(("\r" if self._interactive else "") + line + end)
        self.stream.flush()
