"""An in-process token bucket per client address: bursts up to the per-minute rate, then the
rate itself. Bounded: idle buckets are dropped when too many addresses are tracked."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Token buckets keyed by client address; `check` takes a token or says how long to wait."""

    def __init__(self, max_clients: int = 10_000, clock: Callable[[], float] = time.monotonic):
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, updated at)
        self._lock = threading.Lock()

    def check(self, client: str, per_minute: int) -> float:
        """Take one token for `client`; 0 when allowed, else the seconds until one is free."""
        if per_minute <= 0:
            return 0.0
        now = self._clock()
        refill = per_minute / 60.0
        with self._lock:
            tokens, updated = self._buckets.get(client, (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - updated) * refill)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                self._prune(per_minute, now, refill)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / refill

    def _prune(self, per_minute: int, now: float, refill: float) -> None:
        if len(self._buckets) <= self.max_clients:
            return
        full = [
            c
            for c, (tokens, updated) in self._buckets.items()
            if tokens + (now - updated) * refill >= per_minute
        ]
        for client in full:
            del self._buckets[client]
        excess = len(self._buckets) - self.max_clients
        if excess > 0:  # all busy: forget the least recently seen
            for client in sorted(self._buckets, key=lambda c: self._buckets[c][1])[:excess]:
                del self._buckets[client]

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()


def retry_after(seconds: float) -> str:
    """A Retry-After value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
