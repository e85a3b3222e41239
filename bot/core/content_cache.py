"""Content files parsed once per process, again only when one of them changes on disk.

The shipped FAQ, its word list and the duty calendar are read at every start
of the bot; parsing them (TOML) and folding every FAQ text cost more than half
of a start's CPU. A process starts the bot once in production, but the test
suite starts it some hundred times, and an officer's re-import reads them
again: the parsed value is kept with the files' modification time and size,
so an edited file is read anew and an unchanged one is not.

What is kept must not be changed by its users: cache immutable values only
(frozen dataclasses, tuples).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
Signature = tuple[tuple[str, int, int], ...]

_kept: dict[str, tuple[Signature, Any]] = {}


def signature(paths: Iterable[Path]) -> Signature:
    """Which files, as they are now: path, modification time (ns) and size of each."""
    found = []
    for path in sorted(paths):
        stat = path.stat()
        found.append((str(path.resolve()), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def parsed(kind: str, paths: Iterable[Path], parse: Callable[[], T]) -> T:
    """`parse()`'s value for these files, parsed again only if a file changed.

    `kind` names what is parsed (one kind, one entry: a new signature replaces
    the old value). A missing file raises as reading it would, via `parse`.
    """
    files = list(paths)
    try:
        now = signature(files)
    except OSError:
        return parse()  # let the reader say what is wrong with the file
    key = f"{kind}:{'|'.join(sorted(str(p) for p in files))}"
    kept = _kept.get(key)
    if kept is not None and kept[0] == now:
        value: T = kept[1]
        return value
    value = parse()
    _kept[key] = (now, value)
    return value
