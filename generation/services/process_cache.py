"""What a process keeps between jobs or requests: built once, reused while its key holds, the oldest dropped
first. Safe under a web process's threads: two may build the same value at once, and one of them is kept."""

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ProcessCache(Generic[V]):
    def __init__(self, size: int):
        self.size, self.values, self._lock = size, {}, threading.Lock()

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        try:
            return self.values[key]
        except KeyError:
            pass
        value = build()
        with self._lock:
            while len(self.values) >= self.size:
                self.values.pop(next(iter(self.values)), None)
            self.values[key] = value
        return value
