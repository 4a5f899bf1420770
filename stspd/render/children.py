"""The converters a command runs (pandoc, Typst) as child processes: each within a time limit, and all of them
killed when the command ends early, whatever the way out (an error, the limit, Ctrl-C, SIGTERM)."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Self

DEFAULT_LIMIT = 300.0  # seconds per converter run: 3,000 fiches take pandoc about 80 s on a 2-core machine
LIMIT_VARIABLE = "STSPD_TIME_LIMIT"


class ChildError(Exception):
    """A converter failed, ran out of time, or could not start: said in French, naming the converter."""


class Cancelled(ChildError):
    """The command is ending: no converter starts any more."""


def time_limit() -> float:
    """The limit from STSPD_TIME_LIMIT (seconds), else the default."""
    text = os.environ.get(LIMIT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_LIMIT
    try:
        limit = float(text)
    except ValueError:
        limit = 0.0
    if not 0 < limit < 1e6:
        raise ChildError(f"{LIMIT_VARIABLE} doit être une durée en secondes, par exemple 600 (reçu « {text} »)")
    return limit


class Children:
    """Used as a context manager: on leaving it early, every process still running is killed."""

    def __init__(self, limit: float):
        self.limit = limit
        self._running: set[subprocess.Popen] = set()
        self._lock = threading.Lock()
        self._closed = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.kill_all()

    def run(self, command: Sequence[str], what: str, env: Mapping[str, str] | None = None) -> bytes:
        """Run `command` to its end and return its standard output; `what` names it in errors."""
        with self._lock:
            if self._closed:
                raise Cancelled(f"{what} : annulé")
            try:
                # Its own session: a Ctrl-C in the terminal reaches stspd, which then kills the whole group.
                process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    env=dict(env) if env is not None else None,
                    start_new_session=True,
                )
            except OSError as error:
                raise ChildError(f"{what} : impossible de le lancer ({error.strerror})") from None
            self._running.add(process)
        try:
            try:
                out, err = process.communicate(timeout=self.limit)
            except subprocess.TimeoutExpired:
                _kill(process)
                process.communicate()
                raise ChildError(
                    f"{what} : arrêté au bout de {self.limit:g} s (limite de temps ; {LIMIT_VARIABLE}=SECONDES pour la changer)"
                ) from None
        finally:
            with self._lock:
                self._running.discard(process)
        if self._closed:
            raise Cancelled(f"{what} : annulé")
        if process.returncode != 0:
            message = err.decode("utf-8", "replace").strip() or f"code de sortie {process.returncode}"
            raise ChildError(f"{what} : {message}")
        return out

    def kill_all(self) -> None:
        with self._lock:
            self._closed = True
            running = list(self._running)
        for process in running:
            _kill(process)


def _kill(process: subprocess.Popen) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # Windows: no process groups; the converters start no children of their own
            process.kill()
    except (ProcessLookupError, PermissionError):  # already gone
        pass
