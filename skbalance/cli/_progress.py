"""Progress of the comparison: a rich bar on a terminal, plain lines elsewhere.

A log file, a CI job or a notebook cell gets a line at every tenth of the
tasks and at least every ``HEARTBEAT`` seconds (from a timer thread, so a
slow task does not silence it), with an estimate of the time left once tasks
have finished.
"""

import threading
import time

from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

#: Plain progress: the longest silence, in seconds.
HEARTBEAT = 10.0
#: Share of the tasks done before the time left is estimated.
ESTIMATE_AFTER = 0.05


def progress_reporter(console):
    """The ``progress`` callback of compare, as a context manager, for ``console``."""
    if console.is_terminal:
        return _BarProgress(console)
    return _LineProgress(console.file)


def duration(seconds):
    """A short human duration: ``42 s``, ``3 min 05 s``, ``1 h 02 min``."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _last_task(record):
    """``strategy fold k`` of a finished task, marked when it failed."""
    failed = " (failed)" if record.get("error") is not None else ""
    return f"{record['strategy']} fold {record['fold'] + 1}{failed}"


class _BarProgress:
    """A rich progress bar over the (strategy, fold) tasks."""

    def __init__(self, console):
        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            TextColumn("[dim]{task.fields[last]}"),
            console=console,
            transient=False,
        )
        self._task = None

    def __enter__(self):
        self._bar.__enter__()
        self._task = self._bar.add_task("Cross-validating strategies", total=None, last="")
        return self

    def __exit__(self, *exc_info):
        self._bar.update(self._task, last="done")
        return self._bar.__exit__(*exc_info)

    def __call__(self, n_done, n_total, record):
        self._bar.update(
            self._task, completed=n_done, total=n_total, last=escape(_last_task(record))
        )


class _LineProgress:
    """Plain progress lines on ``stream``."""

    def __init__(self, stream, heartbeat=HEARTBEAT):
        self._stream = stream
        self._heartbeat = heartbeat
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True)
        self._done, self._total, self._last = 0, None, None

    def __enter__(self):
        self._start = self._printed = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()
        if exc_info[0] is None and self._total:
            self._write(f"Done: {self._total} tasks in {duration(self._elapsed())}.")

    def __call__(self, n_done, n_total, record):
        with self._lock:
            tenth = n_total and n_done * 10 // n_total > self._done * 10 // n_total
            self._done, self._total, self._last = n_done, n_total, _last_task(record)
            if (tenth and n_done < n_total) or self._silent():
                self._report()

    def _beat(self):
        while not self._stop.wait(min(1.0, self._heartbeat)):
            with self._lock:
                if self._silent():
                    self._report()

    def _silent(self):
        return time.monotonic() - self._printed >= self._heartbeat

    def _elapsed(self):
        return time.monotonic() - self._start

    def _report(self):
        elapsed = self._elapsed()
        if not self._done:
            self._write(f"Progress: no task finished yet, {duration(elapsed)} elapsed.")
            return
        if self._done < max(2, ESTIMATE_AFTER * self._total):
            left = "estimating the time left"  # the first tasks pay the workers' start
        else:
            left = f"about {duration(elapsed / self._done * (self._total - self._done))} left"
        self._write(
            f"Progress: {self._done}/{self._total} tasks "
            f"({100 * self._done // self._total}%), {duration(elapsed)} elapsed, {left} "
            f"(last: {self._last})."
        )

    def _write(self, line):
        self._printed = time.monotonic()
        self._stream.write(line + "\n")
        self._stream.flush()
