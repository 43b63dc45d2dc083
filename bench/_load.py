"""A bounded loopback HTTP load: clients that each walk a cycle of requests, with an optional
pause after each (a person reading the page), for a fixed time. Answers requests/s, p50 and
p99 latency, and every error (any status but 2xx and 304, a connection error or a timeout)
grouped by route, with samples.

wrk runs the load when it is installed (a Lua script generated here carries the requests, POST
bodies and pauses); otherwise a pure-Python asyncio client does the same, so a machine without
wrk still works. Each client is one connection (one wrk thread), so every answer is matched to
the request it answers. BENCH_LOADER=python forces the Python client.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import random
import shutil
import subprocess
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench._report import percentile

WRK = "wrk"
CONNECTION_FAILED = "connection error"
TIMED_OUT = "timeout"
SAMPLE_LIMIT = 8
BODY_SAMPLE_CHARS = 200


@dataclass(frozen=True)
class Request:
    """One HTTP request; `route` names it in the error report (requests alike share one)."""

    route: str
    path: str
    method: str = "GET"
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Step:
    """A request, then a pause drawn uniformly from `pause` (seconds) before the client's next."""

    request: Request
    pause: tuple[float, float] = (0.0, 0.0)


@dataclass
class LoadResult:
    loader: str
    clients: int
    seconds: float
    requests: int
    p50_ms: float
    p99_ms: float
    bytes_received: int = 0
    errors: dict[str, Counter] = field(default_factory=dict)  # route -> reason -> count
    samples: list[str] = field(default_factory=list)
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)  # route -> answered

    def route_lines(self) -> list[str]:
        """Per route: answers, p50 and p99 in ms, slowest p99 first."""
        rows = sorted(
            (
                (percentile(v, 99), percentile(v, 50), len(v), r)
                for r, v in self.latencies_ms.items()
            ),
            reverse=True,
        )
        return [
            f"{r}: {n:,} answers, p50 {p50:,.0f} ms, p99 {p99:,.0f} ms" for p99, p50, n, r in rows
        ]

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        return sum(sum(reasons.values()) for reasons in self.errors.values())

    def error_lines(self) -> list[str]:
        """One line per route: its errors by reason, most frequent first."""
        return [
            f"{route}: " + ", ".join(f"{reason} x{n}" for reason, n in reasons.most_common())
            for route, reasons in sorted(self.errors.items())
        ]


def loader_name() -> str:
    """'wrk' when wrk is installed and not overridden by BENCH_LOADER=python, else 'python'."""
    if os.environ.get("BENCH_LOADER", "").lower() == "python":
        return "python"
    return "wrk" if shutil.which(WRK) else "python"


def run(
    base_url: str,
    steps: Sequence[Step],
    clients: int,
    seconds: float,
    stagger: bool = True,
    seed: int = 1,
    timeout: float = 10.0,
    loader: str | None = None,
) -> LoadResult:
    """`clients` clients walk `steps` in a cycle for `seconds`; with `stagger` each starts at
    its own place in the cycle and after a pause drawn from its first step's range, so they do
    not move in step. Requests unanswered when the time is up are not counted."""
    if not steps:
        raise ValueError("no requests to send")
    loader = loader or loader_name()
    if loader == "wrk":
        return _run_wrk(base_url, list(steps), clients, seconds, stagger, seed, timeout)
    load = _run_python(base_url, list(steps), clients, seconds, stagger, seed, timeout)
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: no event loop in this thread
        return asyncio.run(load)
    # called from code that runs a loop of its own (a test session driving a browser, say)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, load).result()


def _start_position(client: int, clients: int, steps: int, stagger: bool) -> int:
    return (client * steps // clients) % steps if stagger else 0


def _sample(route: str, reason: str, body: bytes | str) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = " ".join(text.split())[:BODY_SAMPLE_CHARS]
    return f"{route}: {reason}" + (f": {text}" if text else "")


# ---------------------------------------------------------------------------------------------
# wrk


def _lua_string(value: str | bytes) -> str:
    """A Lua string literal holding exactly these bytes."""
    data = value.encode("utf-8") if isinstance(value, str) else value
    safe = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-./:?=&,;{}[]()@#%+*"
    return '"' + "".join(chr(b) if b in safe else f"\\{b:03d}" for b in data) + '"'


def _lua_steps(steps: list[Step]) -> str:
    rows = []
    for index, step in enumerate(steps, start=1):
        r = step.request
        headers = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in r.headers)
        body = _lua_string(r.body) if r.body else "nil"
        rows.append(
            f"  {{index = {index}, method = {_lua_string(r.method)}, path = {_lua_string(r.path)}, "
            f"headers = {{{headers}}}, body = {body}, route = {_lua_string(r.route)}, "
            f"pause_min = {step.pause[0] * 1000:.3f}, pause_max = {step.pause[1] * 1000:.3f}}},"
        )
    return "{\n" + "\n".join(rows) + "\n}"


LUA_TEMPLATE = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *now);
]]
local clock_now = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock_now)  -- CLOCK_MONOTONIC
  return tonumber(clock_now.tv_sec) * 1000 + tonumber(clock_now.tv_nsec) / 1e6
end

local steps = __STEPS__
local clients = __CLIENTS__
local stagger = __STAGGER__
local seed = __SEED__
local sample_limit = __SAMPLE_LIMIT__
local body_chars = __BODY_CHARS__

local threads = {}
local created = 0

function setup(thread)
  created = created + 1
  thread:set("client", created - 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(seed * 100003 + client)
  raw = {}
  for i, s in ipairs(steps) do
    raw[i] = wrk.format(s.method, s.path, s.headers, s.body)
  end
  position = 0
  if stagger then
    position = math.floor(client * #steps / clients) % #steps
    local first = steps[position + 1]
    next_pause = first.pause_min + math.random() * (first.pause_max - first.pause_min)
  else
    next_pause = 0
  end
  pending = nil
  sent_at = 0
  -- flat lists (wrk copies no nested table out of a thread): the step answered, milliseconds
  answered_step = {}
  answered_ms = {}
  verifying = (client == 0)  -- wrk asks thread 0 for one request to check it, and never sends it
  errors = {}
  samples = {}
end

local function record(route, reason, body)
  local key = route .. "\t" .. reason
  errors[key] = (errors[key] or 0) + 1
  if #samples < sample_limit then
    local text = ""
    if body then text = string.sub(body, 1, body_chars) end
    table.insert(samples, route .. "\t" .. reason .. "\t" .. text)
  end
end

function delay()
  return next_pause
end

function request()
  if verifying then
    verifying = false
    return raw[position + 1]
  end
  if pending then
    record(pending.route, "__FAILED__", nil)
  end
  local step = steps[position + 1]
  pending = step
  sent_at = now_ms()
  local request = raw[position + 1]
  position = (position + 1) % #steps
  next_pause = step.pause_min + math.random() * (step.pause_max - step.pause_min)
  return request
end

function response(status, headers, body)
  local step = pending
  pending = nil
  if step then
    answered_step[#answered_step + 1] = step.index
    answered_ms[#answered_ms + 1] = now_ms() - sent_at
  end
  if step and not ((status >= 200 and status < 300) or status == 304) then
    record(step.route, tostring(status), body)
  end
end

local function json_string(text)
  return '"' .. string.gsub(text, '[%c"\\\128-\255]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end) .. '"'
end

function done(summary, latency, requests)
  local parts = {}
  local sample_parts = {}
  local by_route = {}
  for _, thread in ipairs(threads) do
    local answered = thread:get("answered_step") or {}
    local milliseconds = thread:get("answered_ms") or {}
    for i, index in ipairs(answered) do
      local route = steps[index].route
      by_route[route] = by_route[route] or {}
      table.insert(by_route[route], string.format("%.3f", milliseconds[i]))
    end
    for key, n in pairs(thread:get("errors") or {}) do
      table.insert(parts, "[" .. json_string(key) .. "," .. n .. "]")
    end
    for _, text in ipairs(thread:get("samples") or {}) do
      if #sample_parts < sample_limit then
        table.insert(sample_parts, json_string(text))
      end
    end
  end
  local latency_parts = {}
  for route, values in pairs(by_route) do
    local list = "[" .. table.concat(values, ",") .. "]"
    table.insert(latency_parts, "[" .. json_string(route) .. "," .. list .. "]")
  end
  io.write("WRK-RESULT ", "{",
    '"requests":', summary.requests, ",",
    '"duration_us":', summary.duration, ",",
    '"bytes":', summary.bytes, ",",
    '"timeouts":', summary.errors.timeout, ",",
    '"connect":', summary.errors.connect, ",",
    '"read":', summary.errors.read, ",",
    '"write":', summary.errors.write, ",",
    '"p50_us":', latency:percentile(50.0), ",",
    '"p99_us":', latency:percentile(99.0), ",",
    '"errors":[', table.concat(parts, ","), "],",
    '"samples":[', table.concat(sample_parts, ","), "],",
    '"latencies":[', table.concat(latency_parts, ","), "]}\n")
end
"""


def wrk_script(steps: list[Step], clients: int, stagger: bool, seed: int) -> str:
    """The Lua script that makes wrk walk `steps` as `run` describes."""
    values = {
        "__CLIENTS__": str(clients),
        "__STAGGER__": "true" if stagger else "false",
        "__SEED__": str(seed),
        "__SAMPLE_LIMIT__": str(SAMPLE_LIMIT),
        "__BODY_CHARS__": str(BODY_SAMPLE_CHARS),
        "__FAILED__": CONNECTION_FAILED,
        "__STEPS__": _lua_steps(steps),  # last: the requests' own text is never rewritten
    }
    script = LUA_TEMPLATE
    for name, value in values.items():
        script = script.replace(name, value)
    return script


def _run_wrk(base_url, steps, clients, seconds, stagger, seed, timeout) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-load-", delete=False) as f:
        f.write(wrk_script(steps, clients, stagger, seed))
        script = Path(f.name)
    command = [
        WRK,
        "--threads", str(clients),
        "--connections", str(clients),
        "--duration", f"{max(1, round(seconds))}s",  # whole seconds only
        "--timeout", f"{max(1, round(timeout))}s",
        "--script", str(script),
        base_url,
    ]  # fmt: skip
    try:
        finished = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + timeout + 60
        )
    finally:
        script.unlink(missing_ok=True)
    line = next((x for x in finished.stdout.splitlines() if x.startswith("WRK-RESULT ")), None)
    if finished.returncode != 0 or line is None:
        raise RuntimeError(
            f"wrk failed ({finished.returncode}): {finished.stderr or finished.stdout}"
        )
    data = json.loads(line.removeprefix("WRK-RESULT "))
    errors: dict[str, Counter] = defaultdict(Counter)
    for key, count in data["errors"]:
        route, reason = _utf8(key).split("\t", 1)
        errors[route][reason] += count
    if data["timeouts"]:
        errors["(any route)"][f"{TIMED_OUT} (over {timeout:g} s)"] += data["timeouts"]
    samples = [_sample(*(_utf8(text).split("\t", 2) + [""])[:3]) for text in data["samples"]]
    by_route: dict[str, list[float]] = defaultdict(list)
    for route, values in data["latencies"]:
        by_route[_utf8(route)] += values
    everything = [v for values in by_route.values() for v in values]
    return LoadResult(
        loader="wrk",
        clients=clients,
        seconds=data["duration_us"] / 1e6,
        requests=data["requests"],
        p50_ms=percentile(everything, 50),
        p99_ms=percentile(everything, 99),
        bytes_received=data["bytes"],
        errors=dict(errors),
        samples=samples,
        latencies_ms=dict(by_route),
    )


def _utf8(text: str) -> str:
    """Text the Lua script escaped byte by byte, read back as UTF-8."""
    return text.encode("latin-1", "replace").decode("utf-8", "replace")


# ---------------------------------------------------------------------------------------------
# the pure-Python client (asyncio)


class _Closed(Exception):
    pass


def _raw_request(request: Request, host: str) -> bytes:
    lines = [f"{request.method} {request.path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in request.headers]
    if request.body or request.method not in ("GET", "HEAD"):
        lines.append(f"Content-Length: {len(request.body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + request.body


async def read_response(reader: asyncio.StreamReader, method: str) -> tuple[int, dict, bytes]:
    """Status, headers (lower-case names) and body of one HTTP/1.1 response."""
    status_line = await reader.readline()
    if not status_line:
        raise _Closed
    parts = status_line.decode("latin-1").split(" ", 2)
    status = int(parts[1])
    headers: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return status, headers, b""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks = []
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                break
            chunks.append(await reader.readexactly(size))
            await reader.readline()
        return status, headers, b"".join(chunks)
    if "content-length" in headers:
        return status, headers, await reader.readexactly(int(headers["content-length"]))
    return status, headers, await reader.read()


class _Tally:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.bytes = 0
        self.errors: dict[str, Counter] = defaultdict(Counter)
        self.samples: list[str] = []

    def error(self, route: str, reason: str, body: bytes | str = b"") -> None:
        self.errors[route][reason] += 1
        if len(self.samples) < SAMPLE_LIMIT:
            self.samples.append(_sample(route, reason, body))


async def _client(
    index, host, port, steps, clients, stagger, seed, timeout, deadline, tally: _Tally
) -> None:
    rng = random.Random(seed * 100003 + index)
    position = _start_position(index, clients, len(steps), stagger)
    loop = asyncio.get_running_loop()
    if stagger:
        first = steps[position].pause
        await asyncio.sleep(rng.uniform(*first))
    raw = [_raw_request(s.request, f"{host}:{port}") for s in steps]
    reader = writer = None
    try:
        while loop.time() < deadline:
            step = steps[position]
            request = step.request
            started = time.perf_counter()
            try:
                reader, writer, answer = await asyncio.wait_for(
                    _exchange(host, port, reader, writer, raw[position], request.method),
                    timeout,
                )
                status, headers, body = answer
            except TimeoutError:
                if loop.time() < deadline:
                    tally.error(request.route, f"{TIMED_OUT} (over {timeout:g} s)")
                writer, reader = _close(writer), None
            except (OSError, _Closed, asyncio.IncompleteReadError, ValueError) as error:
                if loop.time() < deadline:
                    tally.error(request.route, CONNECTION_FAILED, type(error).__name__)
                writer, reader = _close(writer), None
            else:
                if loop.time() > deadline:
                    break
                tally.latencies[request.route].append((time.perf_counter() - started) * 1000)
                tally.bytes += len(body)
                if not (200 <= status < 300 or status == 304):
                    tally.error(request.route, str(status), body)
                if headers.get("connection", "").lower() == "close":
                    writer, reader = _close(writer), None
            position = (position + 1) % len(steps)
            pause = rng.uniform(*step.pause)
            if pause:
                await asyncio.sleep(min(pause, max(0.0, deadline - loop.time())))
    finally:
        _close(writer)


async def _exchange(host, port, reader, writer, raw: bytes, method: str):
    """Send one request and read its answer, on the open connection if there is one. A kept-
    alive connection the server closed meanwhile fails before any byte of an answer: then the
    request is sent again once on a new connection, as browsers do."""
    if writer is not None:
        try:
            writer.write(raw)
            return reader, writer, await read_response(reader, method)
        except (_Closed, ConnectionResetError, BrokenPipeError):
            _close(writer)
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(raw)
    return reader, writer, await read_response(reader, method)


def _close(writer: asyncio.StreamWriter | None) -> None:
    if writer is not None:
        writer.close()
    return None


async def _run_python(base_url, steps, clients, seconds, stagger, seed, timeout) -> LoadResult:
    address = urlsplit(base_url)
    host, port = address.hostname, address.port or 80
    tally = _Tally()
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = started + seconds
    tasks = [
        asyncio.create_task(
            _client(i, host, port, steps, clients, stagger, seed, timeout, deadline, tally)
        )
        for i in range(clients)
    ]
    await asyncio.wait(tasks, timeout=seconds + timeout + 5)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = min(loop.time() - started, seconds)
    everything = [v for values in tally.latencies.values() for v in values]
    return LoadResult(
        loader="python",
        clients=clients,
        seconds=elapsed,
        requests=len(everything),
        p50_ms=percentile(everything, 50),
        p99_ms=percentile(everything, 99),
        bytes_received=tally.bytes,
        errors=dict(tally.errors),
        samples=tally.samples,
        latencies_ms=dict(tally.latencies),
    )
