"""What a worker process keeps between jobs: built once, reused while its key holds, the oldest dropped first."""

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ProcessCache(Generic[V]):
    def __init__(self, size: int):
        self.size, self.values = size, {}

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        if key not in self.values:
            value = build()
            while len(self.values) >= self.size:
                self.values.pop(next(iter(self.values)))
            self.values[key] = value
        return self.values[key]
