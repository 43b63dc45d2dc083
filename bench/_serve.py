"""Servers for the load benchmarks: a database built by the real ETL in a temporary folder, the
app under gunicorn (or any other server) on a free loopback port, ready when it answers, and
stopped by its process id."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import config  # noqa: E402

DATA = ROOT / "data"
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "127.0.0.1"
CACHE = Path(
    os.environ.get("BENCH_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "deepfake-stats-bench"
)
SOURCES = ("etl", "db")  # the code that decides what a built database holds


def free_port() -> int:
    """A TCP port on the loopback address that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def build_database(folder: Path, extra_files: Sequence[Path] = (), name: str = "bench.db") -> str:
    """The SQLAlchemy URL of a new SQLite database in `folder`, loaded by the ETL from data/
    and then from `extra_files` (request logs, say) in one more run."""
    from db.engine import create_schema, make_engine
    from etl import load

    path = folder / name
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    create_schema(engine)
    for paths in ([str(DATA)], [str(p) for p in extra_files]):
        if not paths:
            continue
        report = load.run(paths, engine, write=True)
        if report.problems:
            raise RuntimeError("the ETL refused the data: " + str(report.problems[0]))
    engine.dispose()
    return url


def fingerprint(*extra: str) -> str:
    """A hash of what a benchmark database is built from: the files under data/, the ETL and
    schema code, and `extra` (the rest of the recipe)."""
    digest = hashlib.sha256()
    files = sorted(p for p in DATA.rglob("*") if p.is_file() and not p.name.endswith(".db"))
    for folder in SOURCES:
        files += sorted((ROOT / folder).rglob("*.py"))
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    for part in extra:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()[:16]


def cached_file(name: str, key: str, make: Callable[[Path], None]) -> tuple[Path, bool]:
    """CACHE/<key>/<name>, made by `make(path)` the first time; (path, whether it was made now).
    Benchmarks copy it before use, so the cached file is never written by a server."""
    path = CACHE / key / name
    if path.exists():
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + f".{os.getpid()}.partial")
    make(partial)
    partial.replace(path)
    for older in CACHE.glob(f"*/{name}"):  # built from earlier versions of the data or code
        if older != path:
            older.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                older.parent.rmdir()
    return path, True


def cached_database(folder: Path, name: str = "bench.db") -> str:
    """A copy in `folder` of the database the ETL builds from data/ (built once per version
    of the data and the ETL, then kept in the benchmark cache)."""

    def make(path: Path) -> None:
        build_database(path.parent, name=path.name)

    cached, _ = cached_file("dashboard.db", fingerprint("data/"), make)
    shutil.copyfile(cached, folder / name)
    return f"sqlite:///{folder / name}"


DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"


def redis_reachable(url: str) -> bool:
    """Whether a Redis server answers PING at `url`."""
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:  # any failure means: no Redis to use
        return False


def app_environment(database_url: str, public: bool, settings: dict[str, str]) -> dict[str, str]:
    """This process's environment without any of the app's settings, then `settings`: a server
    started for a benchmark behaves the same whatever the caller's shell exports."""
    names = {s.name for s in config.SETTINGS}
    env = {k: v for k, v in os.environ.items() if k not in names}
    env.update(DATABASE_URL=database_url, DASHBOARD_PUBLIC="1" if public else "0")
    env.update(settings)
    return env


@dataclass
class Server:
    """A server process started by `start`: its base URL, its log file, and `stop`."""

    name: str
    process: subprocess.Popen
    base_url: str
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, characters: int = 3000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-characters:]
        except OSError:
            return ""

    def stop(self, grace_seconds: float = 20) -> None:
        """SIGTERM to this server's process id (gunicorn's master stops its own workers), then
        SIGKILL if it is still there after `grace_seconds`."""
        if self.process.poll() is not None:
            return
        os.kill(self.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            os.kill(self.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def wait_until_answering(base_url: str, path: str, process: subprocess.Popen, timeout: float):
    """Poll `path` until the server answers anything below 500; False if it exits or the time
    runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(base_url + path, timeout=5) as response:
                response.read()
                return True
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def start(
    name: str,
    command: Sequence[str],
    env: dict[str, str],
    port: int,
    ready_path: str = "/",
    timeout: float = 90,
    cwd: Path = ROOT,
) -> Server:
    """Run `command` (which must listen on 127.0.0.1:`port`) and return once it answers."""
    log_path = Path(tempfile.mkstemp(prefix=f"bench-{name}-", suffix=".log")[1])
    with log_path.open("w") as log:
        process = subprocess.Popen(
            list(command), cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    server = Server(name, process, f"http://{HOST}:{port}", log_path)
    if not wait_until_answering(server.base_url, ready_path, process, timeout):
        server.stop()
        raise RuntimeError(f"{name} did not answer {ready_path}:\n{server.log_tail()}")
    return server


def start_gunicorn(
    database_url: str,
    workers: int = 2,
    public: bool = True,
    settings: dict[str, str] | None = None,
    timeout_seconds: int = 120,
    threads: int = 1,
    keep_alive_seconds: int = 2,
) -> Server:
    """The app under gunicorn (`wsgi:server`) on a free loopback port: sync workers as
    `make serve-public` runs it, or with `threads` > 1 gunicorn's threaded workers (which keep
    idle connections open without holding a worker). `settings` are the app's environment
    settings for this run."""
    port = free_port()
    command = [
        str(GUNICORN),
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--threads",
        str(threads),
        "--keep-alive",
        str(keep_alive_seconds),
        "--no-control-socket",
        "--timeout",
        str(timeout_seconds),
        "wsgi:server",
    ]
    env = app_environment(database_url, public, settings or {})
    return start(f"gunicorn-{workers}w{threads}t", command, env, port, ready_path="/healthz")


def describe_settings(settings: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(settings.items())) or "defaults"
