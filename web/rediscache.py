"""The response cache shared by every worker: the same interface as `ResponseCache`, kept in
Redis when CACHE_REDIS_URL is set. Payloads are stored as plain JSON (never pickled)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json

import redis

from web.httpcache import Payload, ResponseCache

PREFIX = "deepfake-stats:response:"
TTL_SECONDS = 3600


def _name(key: tuple) -> str:
    return PREFIX + hashlib.sha256(repr(key).encode("utf-8")).hexdigest()


def encode(payload: Payload) -> str:
    return json.dumps(
        {
            "body": base64.b64encode(payload.body).decode("ascii"),
            "mimetype": payload.mimetype,
            "headers": list(payload.headers),
            "etag": payload.etag,
        }
    )


def decode(text: bytes | str) -> Payload:
    data = json.loads(text)
    return Payload.restore(
        base64.b64decode(data["body"]),
        data["mimetype"],
        tuple(tuple(h) for h in data["headers"]),
        data["etag"],
    )


class RedisResponseCache:
    """Payloads in Redis with a time to live, shared by every worker; a Redis outage degrades
    to no caching. Each process also keeps the payloads it used lately (`near`): a key names
    one load of the database, so what it holds never changes, and a hit then costs no round
    trip to Redis."""

    def __init__(self, url: str, max_body_bytes: int = 2_000_000, near_entries: int = 256):
        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.max_body_bytes = max_body_bytes
        self.near = ResponseCache(max_entries=near_entries, max_body_bytes=max_body_bytes)

    def get(self, key: tuple) -> Payload | None:
        payload = self.near.get(key)
        if payload is not None:
            return payload
        try:
            text = self.client.get(_name(key))
        except redis.RedisError:
            return None
        return self.near.put(key, decode(text)) if text else None

    def put(self, key: tuple, payload: Payload) -> Payload:
        self.near.put(key, payload)
        if len(payload.body) <= self.max_body_bytes:
            with contextlib.suppress(redis.RedisError):
                self.client.set(_name(key), encode(payload), ex=TTL_SECONDS)
        return payload

    def __len__(self) -> int:
        try:
            return sum(1 for _ in self.client.scan_iter(PREFIX + "*"))
        except redis.RedisError:
            return 0

    def clear(self) -> None:
        self.near.clear()
        with contextlib.suppress(redis.RedisError):
            names = list(self.client.scan_iter(PREFIX + "*"))
            if names:
                self.client.delete(*names)
