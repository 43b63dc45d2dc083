"""Static files (assets/ and Dash's component scripts) gzip-compressed once per process, not on
every request: every visitor's first page load asks for the same few files (about 3 MB of
scripts), which compressed each time cost the server some 200 ms of CPU per visitor."""

from __future__ import annotations

from flask import Flask, Response, request

from web.httpcache import Payload, ResponseCache, accepts_gzip, etag_matches, gzip_etag

STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/")
COMPRESSIBLE = ("text/css", "text/javascript", "application/javascript", "application/json")
# far more than the app ships; addresses with made-up fingerprints (which Dash answers with the
# same file) only push older entries out
MAX_FILES = 256
MAX_FILE_BYTES = 16_000_000


def register(server: Flask) -> None:
    """Answer GETs of static text files with their gzip form, compressed at the first request.

    Register after the Dash app exists: after-request functions run last-registered first, so
    this runs before Dash's per-request compression, which leaves an encoded answer alone."""
    cache = ResponseCache(max_entries=MAX_FILES, max_body_bytes=MAX_FILE_BYTES)

    @server.after_request
    def _compressed_once(response: Response) -> Response:
        if (
            response.status_code != 200
            or request.method != "GET"
            or not request.path.startswith(STATIC_PREFIXES)
            or response.mimetype not in COMPRESSIBLE
            or "Content-Encoding" in response.headers
            or not accepts_gzip(request)
        ):
            return response
        etag = response.headers.get("ETag")
        if etag and etag_matches(request, etag):
            # the browser holds the file already, under the gzip form's tag, which Dash does
            # not know: answer 304 instead of sending the whole file again
            response.close()
            unchanged = Response(status=304)
            unchanged.headers["ETag"] = gzip_etag(etag)
            if "Cache-Control" in response.headers:
                unchanged.headers["Cache-Control"] = response.headers["Cache-Control"]
            unchanged.vary.add("Accept-Encoding")
            return unchanged
        # the file's validators are part of the key: a changed file is compressed again
        key = (request.path, response.headers.get("ETag"), response.headers.get("Last-Modified"))
        payload = cache.get(key)
        if payload is None:
            response.direct_passthrough = False  # read the file into memory, this once
            payload = cache.put(key, Payload.build(response.get_data(), response.mimetype))
        if not payload.gzipped:  # too small to gain from it
            return response
        response.close()  # the file is not sent: its compressed form is
        response.set_data(payload.gzipped)
        response.headers["Content-Encoding"] = "gzip"
        response.headers.pop("Accept-Ranges", None)  # ranges of the file, not of its gzip form
        response.vary.add("Accept-Encoding")
        if "ETag" in response.headers:
            response.headers["ETag"] = gzip_etag(response.headers["ETag"])
        return response
