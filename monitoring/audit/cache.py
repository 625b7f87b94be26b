"""Keep something worked out from the records until any record changes.

Every write is audited (audit/recorder.py), so the latest audit event is a version of all the data: a
result kept under (what, its arguments, that version) is right until the next write anywhere, and a
write is seen by the very next request in every process. Results must be plain data (no ORM objects:
they outlive the session that read them). Each process keeps its own few, least recently used first out.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any, TypeVar

from monitoring.audit.queries import data_version

T = TypeVar("T")
SIZE = 128
_kept: OrderedDict[tuple, Any] = OrderedDict()
_lock = Lock()


def until_changed(what: str, key: Hashable, build: Callable[[], T]) -> T:
    """`build()`'s result for `key`, worked out again only if any record has changed since."""
    full_key = (what, key, data_version())
    with _lock:
        if full_key in _kept:
            _kept.move_to_end(full_key)
            return _kept[full_key]
    result = build()
    with _lock:
        _kept[full_key] = result
        while len(_kept) > SIZE:
            _kept.popitem(last=False)
    return result
