"""`stspd build --surveiller`: the project's files looked at twice a second, the documents made again when one
changes. Polling rather than the system's notifications: the same on every system and in a shared folder, and a
project is a few hundred files (a look at them all costs a few milliseconds)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

INTERVAL = 0.5  # seconds between two looks


def snapshot(root: Path, ignored: Path | None = None) -> dict[str, tuple[int, int]]:
    """Each file of the project (hidden ones and the `ignored` folder left out) with its modification time and size."""
    state = {}
    root = root.resolve()
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or (ignored and path.is_relative_to(ignored)):
            continue
        if path.is_file():
            status = path.stat()
            state[relative.as_posix()] = (status.st_mtime_ns, status.st_size)
    return state


def changes(root: Path, ignored: Path | None = None, sleep: Callable[[float], None] = time.sleep) -> Iterator[list[str]]:
    """Wait for files of the project to change, appear or go; yield their names each time."""
    before = snapshot(root, ignored)
    while True:
        sleep(INTERVAL)
        now = snapshot(root, ignored)
        if now != before:
            yield sorted({name for name in {*now, *before} if now.get(name) != before.get(name)})
            before = now
