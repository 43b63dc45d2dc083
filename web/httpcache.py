"""HTTP caching for the API and downloads: ETags, If-None-Match, and a small in-process cache.

Cached answers are keyed by the app's mode, the normalised request and the database's last load
time, so a new ETL load never serves a stale answer. The cache is a bounded LRU per process.
A request repeated exactly as sent finds the key of its answer without being parsed again
(`RequestKeys`), and a cached answer is served as one finished body, compressed once.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import Request, Response
from werkzeug.utils import get_content_type

MAX_AGE_SECONDS = 300
REQUEST_KEYS_KEY = "request_answer_keys"  # the app's RequestKeys, beside its answer cache
GZIP_MIN_BYTES = 1024  # smaller answers gain little from compression


@dataclass(frozen=True)
class Payload:
    """A finished answer body with its type and extra headers, ready to serve again."""

    body: bytes
    mimetype: str
    headers: tuple[tuple[str, str], ...] = ()
    etag: str = field(default="")
    gzipped: bytes = field(default=b"", repr=False, compare=False)  # the body, compressed once
    _answer_headers: dict = field(default_factory=dict, repr=False, compare=False)

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

    def answer_headers(self, compressed: bool, public: bool) -> list[tuple[str, str]]:
        """Every header of this payload's answer but its length, made once per form."""
        made = self._answer_headers.get((compressed, public))
        if made is None:
            made = [("Content-Type", get_content_type(self.mimetype, "utf-8"))]
            made += [("Content-Encoding", "gzip")] if compressed else []
            made += [("Vary", "Accept-Encoding"), *self.headers]
            made += [("ETag", gzip_etag(self.etag) if compressed else self.etag)]
            made += [("Cache-Control", cache_control(public))]
            self._answer_headers[(compressed, public)] = made
        return made


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
    """The payload as a response in one piece (compressed once, when the client takes gzip),
    or 304 when the client already holds it."""
    if etag_matches(request, payload.etag):
        return not_modified(payload.etag, public)
    compressed = bool(payload.gzipped) and accepts_gzip(request)
    body = payload.gzipped if compressed else payload.body
    return Response(body, headers=payload.answer_headers(compressed, public))


def answer_key(database_url: str, public: bool, name: str, key: tuple, loaded: object) -> tuple:
    """The answer cache's key of an answer: app mode, database, answer name, normalised request
    and load (the key `answercache.cached` uses)."""
    return (database_url, public, name, key, loaded)


class RequestKeys:
    """The answer-cache key of each request exactly as sent (mode, path, query string, database
    load and whatever else the caller adds), so that a repeated request finds its answer without
    being parsed and normalised again. Only requests that were answered are kept, so every
    distinct request is still checked once per load; a new load makes new keys. Bounded: it
    starts afresh when full."""

    def __init__(self, max_entries: int = 4096):
        self.max_entries = max_entries
        self._keys: dict[tuple, tuple] = {}

    def get(self, asked: tuple) -> tuple | None:
        return self._keys.get(asked)

    def put(self, asked: tuple, key: tuple) -> None:
        if len(self._keys) >= self.max_entries:
            self._keys.clear()
        self._keys[asked] = key

    def __len__(self) -> int:
        return len(self._keys)

    def clear(self) -> None:
        self._keys.clear()


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
