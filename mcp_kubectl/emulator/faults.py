"""Injected faults for tests: added latency, hangs, 500 answers and dropped connections, per path prefix."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    kind: str  # "latency", "hang", "error_500", "drop"
    path_prefix: str
    seconds: float = 0.0


class Faults:
    """The faults in force; the HTTP layer consults ``match`` before answering each request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._released = threading.Event()  # set to wake hung requests
        self.matched: list[str] = []  # paths a fault caught, as they arrive: a test sees a delayed request begin

    def latency(self, path_prefix: str, seconds: float) -> None:
        """Delay every answer under ``path_prefix`` by ``seconds``."""
        self._add(Fault("latency", path_prefix, seconds))

    def hang(self, path_prefix: str) -> None:
        """Accept requests under ``path_prefix`` and never answer, until ``clear()`` or shutdown."""
        self._add(Fault("hang", path_prefix))

    def error_500(self, path_prefix: str) -> None:
        """Answer 500 InternalError under ``path_prefix``."""
        self._add(Fault("error_500", path_prefix))

    def drop(self, path_prefix: str) -> None:
        """Close the connection without answering under ``path_prefix``."""
        self._add(Fault("drop", path_prefix))

    def clear(self) -> None:
        """Remove every fault and release hung requests (they then close their connection unanswered)."""
        with self._lock:
            self._faults = []
            self.matched = []
            released, self._released = self._released, threading.Event()
        released.set()

    def match(self, path: str) -> list[Fault]:
        with self._lock:
            found = [f for f in self._faults if path.startswith(f.path_prefix)]
            if found:
                self.matched.append(path)
            return found

    def wait_for_release(self, timeout: float | None = None) -> bool:
        """Block a hung request until ``clear()``; True when released."""
        with self._lock:
            released = self._released
        return released.wait(timeout)

    def _add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)
