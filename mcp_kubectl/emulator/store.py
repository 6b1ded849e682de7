"""The in-memory object store: what etcd is to a real apiserver.

Objects are kept per storage resource ``(group, plural)`` and keyed by ``(namespace, name)``.
Stored objects are never mutated (writers store a fresh dict), so readers may use them without a
copy; each entry caches its serialized JSON so that a list is built by joining bytes. A single
global, monotonically increasing ``resourceVersion`` is stamped on every write, as etcd's revision is.
A bounded event log feeds watches.
"""

from __future__ import annotations

import bisect
import builtins  # `list` is a method name in Store
import collections
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

StorageKey = tuple[str, str]  # (group, plural)
ObjectKey = tuple[str, str]  # (namespace or "", name)


def dumps(obj: Any) -> bytes:
    """Compact JSON, as the apiserver writes it."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass
class Entry:
    """One stored object and its cached JSON encoding."""

    obj: dict[str, Any]
    rv: int
    _json: bytes | None = field(default=None, repr=False)

    @property
    def json(self) -> bytes:
        if self._json is None:
            self._json = dumps(self.obj)
        return self._json


@dataclass(frozen=True)
class WatchEvent:
    rv: int
    type: str  # ADDED, MODIFIED, DELETED
    storage: StorageKey
    obj: dict[str, Any]


class Store:
    """Thread-safe object storage with etcd-like ordering and resource versions."""

    def __init__(self, first_resource_version: int = 1000, event_log_size: int = 10000) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self._rv = first_resource_version
        self._buckets: dict[StorageKey, dict[ObjectKey, Entry]] = {}
        self._sorted: dict[StorageKey, list[ObjectKey]] = {}
        self.events: collections.deque[WatchEvent] = collections.deque(maxlen=event_log_size)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the store lock across a read-check-write sequence."""
        with self.lock:
            yield

    @property
    def resource_version(self) -> int:
        with self.lock:
            return self._rv

    def next_resource_version(self) -> int:
        with self.lock:
            self._rv += 1
            return self._rv

    def get(self, storage: StorageKey, namespace: str, name: str) -> Entry | None:
        bucket = self._buckets.get(storage)
        return None if bucket is None else bucket.get((namespace, name))

    def list(self, storage: StorageKey, namespace: str | None = None, after: ObjectKey | None = None) -> list[Entry]:
        """Entries in etcd key order (namespace, then name), optionally within one namespace and after a key."""
        with self.lock:
            bucket = self._buckets.get(storage)
            if not bucket:
                return []
            keys = self._sorted.get(storage)
            if keys is None:
                keys = sorted(bucket)
                self._sorted[storage] = keys
            start = 0 if namespace is None else bisect.bisect_left(keys, (namespace, ""))
            if after is not None:
                start = max(start, bisect.bisect_right(keys, after))
            if namespace is None:
                return [bucket[k] for k in keys[start:]]
            end = bisect.bisect_left(keys, (namespace + "\x00", ""), lo=start)
            return [bucket[k] for k in keys[start:end]]

    def put(self, storage: StorageKey, obj: dict[str, Any], event_type: str = "MODIFIED") -> Entry:
        """Store ``obj`` (which the caller hands over and must not mutate) under a new resourceVersion."""
        with self.lock:
            rv = self.next_resource_version()
            obj["metadata"]["resourceVersion"] = str(rv)
            meta = obj["metadata"]
            key = (meta.get("namespace", "") or "", meta["name"])
            bucket = self._buckets.setdefault(storage, {})
            if key not in bucket:
                self._sorted.pop(storage, None)
            entry = Entry(obj, rv)
            bucket[key] = entry
            self.events.append(WatchEvent(rv, event_type, storage, obj))
            self.changed.notify_all()
            return entry

    def put_many(self, storage: StorageKey, objects: builtins.list[dict[str, Any]]) -> None:
        """Bulk insert for seeding: one lock, no watch events."""
        with self.lock:
            bucket = self._buckets.setdefault(storage, {})
            for obj in objects:
                self._rv += 1
                meta = obj["metadata"]
                meta["resourceVersion"] = str(self._rv)
                bucket[(meta.get("namespace", "") or "", meta["name"])] = Entry(obj, self._rv)
            self._sorted.pop(storage, None)

    def delete(self, storage: StorageKey, namespace: str, name: str) -> Entry | None:
        with self.lock:
            bucket = self._buckets.get(storage)
            if not bucket or (namespace, name) not in bucket:
                return None
            entry = bucket.pop((namespace, name))
            self._sorted.pop(storage, None)
            rv = self.next_resource_version()
            self.events.append(WatchEvent(rv, "DELETED", storage, entry.obj))
            self.changed.notify_all()
            return entry

    def delete_namespace_contents(self, namespace: str) -> int:
        """Remove every object in ``namespace``; returns how many."""
        removed = 0
        with self.lock:
            for storage, bucket in self._buckets.items():
                keys = [k for k in bucket if k[0] == namespace]
                for key in keys:
                    entry = bucket.pop(key)
                    rv = self.next_resource_version()
                    self.events.append(WatchEvent(rv, "DELETED", storage, entry.obj))
                    removed += 1
                if keys:
                    self._sorted.pop(storage, None)
            self.changed.notify_all()
        return removed

    def drop(self, storage: StorageKey) -> None:
        """Forget every object of a resource (its CRD is gone)."""
        with self.lock:
            self._buckets.pop(storage, None)
            self._sorted.pop(storage, None)

    def storages(self) -> builtins.list[StorageKey]:
        with self.lock:
            return list(self._buckets)

    def snapshot(self) -> dict[StorageKey, dict[ObjectKey, int]]:
        with self.lock:
            return {s: {k: e.rv for k, e in b.items()} for s, b in self._buckets.items()}
