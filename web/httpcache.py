"""HTTP caching for the API and downloads: ETags, If-None-Match, and a small in-process cache.

Cached answers are keyed by the app's mode, the normalised request and the database's last load
time, so a new ETL load never serves a stale answer. The cache is a bounded LRU per process.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import Request, Response

MAX_AGE_SECONDS = 300
GZIP_MIN_BYTES = 1024  # smaller answers gain little from compression


@dataclass(frozen=True)
class Payload:
    """A finished answer body with its type and extra headers, ready to serve again."""

    body: bytes
    mimetype: str
    headers: tuple[tuple[str, str], ...] = ()
    etag: str = field(default="")
    gzipped: bytes = field(default=b"", repr=False, compare=False)  # the body, compressed once

    @classmethod
    def build(cls, body: bytes, mimetype: str, headers: dict | None = None) -> Payload:
        return cls.restore(body, mimetype, tuple((headers or {}).items()), etag_for(body))

    @classmethod
    def restore(
        cls, body: bytes, mimetype: str, headers: tuple[tuple[str, str], ...], etag: str
    ) -> Payload:
        """A payload from its stored parts (compressed again here, never stored twice)."""
        packed = gzip.compress(body, 6, mtime=0) if len(body) >= GZIP_MIN_BYTES else b""
        return cls(body, mimetype, headers, etag, packed)


def accepts_gzip(request: Request) -> bool:
    """Whether the client takes gzip (listed in Accept-Encoding and not with q=0)."""
    for part in request.headers.get("Accept-Encoding", "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def gzip_etag(etag: str) -> str:
    """The ETag of a payload's gzip-compressed form (another representation, another tag)."""
    return etag[:-1] + '-gzip"' if etag.endswith('"') else etag


def payload_response(request: Request, payload: Payload) -> Response:
    """The payload's body, compressed once and kept so when the client takes gzip."""
    if payload.gzipped and accepts_gzip(request):
        response = Response(payload.gzipped, mimetype=payload.mimetype)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(payload.body, mimetype=payload.mimetype)
    response.headers["Vary"] = "Accept-Encoding"
    return response


def etag_for(content: bytes | str) -> str:
    """A strong ETag: the quoted start of the content's SHA-256."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def etag_matches(request: Request, etag: str) -> bool:
    """Whether the request's If-None-Match names `etag` (weak or strong) or is `*`."""
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") in (etag, gzip_etag(etag)):
            return True
    return False


def cache_control(public: bool) -> str:
    """Shared caches may keep public answers; internal ones stay in the user's browser."""
    return f"{'public' if public else 'private'}, max-age={MAX_AGE_SECONDS}"


def not_modified(etag: str, public: bool) -> Response:
    response = Response(status=304)
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = cache_control(public)
    return response


def serve(request: Request, payload: Payload, public: bool) -> Response:
    """The payload as a response, or 304 when the client already holds it."""
    if etag_matches(request, payload.etag):
        return not_modified(payload.etag, public)
    response = payload_response(request, payload)
    for name, value in payload.headers:
        response.headers[name] = value
    compressed = response.headers.get("Content-Encoding") == "gzip"
    response.headers["ETag"] = gzip_etag(payload.etag) if compressed else payload.etag
    response.headers["Cache-Control"] = cache_control(public)
    return response


class ResponseCache:
    """A thread-safe LRU of payloads, bounded in entries and in the size of each body."""

    def __init__(self, max_entries: int = 256, max_body_bytes: int = 2_000_000):
        self.max_entries = max_entries
        self.max_body_bytes = max_body_bytes
        self._entries: OrderedDict[tuple, Payload] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Payload | None:
        with self._lock:
            payload = self._entries.get(key)
            if payload is not None:
                self._entries.move_to_end(key)
            return payload

    def put(self, key: tuple, payload: Payload) -> Payload:
        if len(payload.body) <= self.max_body_bytes:
            with self._lock:
                self._entries[key] = payload
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return payload

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
