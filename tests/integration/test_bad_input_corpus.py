"""The bad-input corpus: every file in tests/fixtures/bad/ is loaded by the real command line
against a database holding the shipped registries, and must come out exactly as its sidecar
`NAME.expected.json` says: rejected with the listed `FILE:ROW: column: reason` lines and the
database unchanged, or accepted with the listed rows. Never a traceback, always quickly.

Accepted hostile text (formulas, markup) must come out inert: neutralised in every CSV served
and never where a page renders HTML. The sidecar format is in tests/fixtures/bad/README.md; a
new case is a file plus its sidecar, no code.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, inspect

from tests.conftest import FIXTURES, REGISTRIES, ROOT
from tests.databases import (
    copy_database,
    is_sqlite,
    new_database,
    plain_rows,
    rows,
    table_checksum,
)
from tests.integration.test_leakage import (
    chart_stores,
    csv_download_request,
    dash_response,
    html_rendered_texts,
    page_request,
    page_targets,
    with_shared_callbacks,
)
from web.csvout import FORMULA_STARTS
from web.security import LIMITER_KEY

CORPUS = FIXTURES / "bad"
SIDECAR, RECIPE = ".expected.json", ".recipe.json"
NOT_CASES = {"README.md"}
SIDECAR_KEYS = {
    "about",
    "outcome",
    "lines",
    "rows",
    "values",
    "read_as",
    "inert",
    "known_bug",
    "max_seconds",
    "max_memory_mb",
}
DEFAULT_MAX_SECONDS = 30.0  # generous: the CLI starts in about 2 s; a slow machine is no failure
DEFAULT_MAX_MEMORY_MB = 500  # a plain load peaks near 170 MB (pandas, pandera, SQLAlchemy)


@dataclass(frozen=True)
class Case:
    """One corpus entry: the committed file (or folder, or recipe) and what must happen."""

    stem: str
    source: Path
    expected: dict

    @property
    def file_name(self) -> str:
        """The name the ETL sees (and prints in its problem lines)."""
        if self.source.name.endswith(RECIPE):
            return json.loads(self.source.read_text(encoding="utf-8"))["file"]
        return self.source.name


def _stem(path: Path) -> str:
    if path.name.endswith(RECIPE):
        return path.name[: -len(RECIPE)]
    return path.stem if path.is_file() else path.name


def discover() -> list[Case]:
    """Every file, folder or recipe in the corpus with its sidecar (a missing one is a case
    that fails, so it cannot be forgotten)."""
    cases = []
    for path in sorted(CORPUS.iterdir()):
        if path.name in NOT_CASES or path.name.endswith(SIDECAR):
            continue
        sidecar = CORPUS / (_stem(path) + SIDECAR)
        expected = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
        cases.append(Case(_stem(path), path, expected))
    return cases


CASES = discover()
INERT_CASES = [c for c in CASES if c.expected.get("inert")]


def materialise(case: Case, folder: Path) -> Path:
    """The file (or folder) to load: a copy of the committed one, or built from its recipe."""
    if case.source.is_dir():
        target = folder / case.source.name
        shutil.copytree(case.source, target)
        return target
    target = folder / case.file_name
    if not case.source.name.endswith(RECIPE):
        shutil.copy(case.source, target)
        return target
    recipe = json.loads(case.source.read_text(encoding="utf-8"))
    encoding = recipe.get("encoding", "utf-8")
    with target.open("wb") as out:
        for part in recipe["parts"]:
            if "text" in part:
                out.write(part["text"].encode(encoding))
            elif "repeat" in part:
                out.write((part["repeat"] * part["times"]).encode(encoding))
            elif "numbered" in part:
                for n in range(1, part["times"] + 1):
                    out.write(part["numbered"].format(n=n).encode(encoding))
            else:
                out.write(bytes.fromhex(part["hex"]))
    return target


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float


def run_etl(args: list[str], database_url: str, timeout: float) -> Run:
    """`python -m etl ARGS` in a subprocess, with its wall time and its own peak memory."""
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "etl", *args], env=env, cwd=ROOT, stdout=out, stderr=err
        )
        watchdog = threading.Timer(timeout, process.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            watchdog.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Run(
            process.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            usage.ru_maxrss / 1024,
        )


@pytest.fixture(scope="module")
def registries_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database holding only the shipped registries: the state every case starts from."""
    from db.engine import create_schema, make_engine
    from etl import load

    folder = tmp_path_factory.mktemp("corpus_registries")
    for name in REGISTRIES:
        shutil.copy(ROOT / "data" / name, folder / name)
    url = new_database(folder, "registries")
    engine = make_engine(url)
    create_schema(engine)
    report = load.run([str(folder)], engine, write=True)
    assert not report.problems, [str(p) for p in report.problems[:5]]
    engine.dispose()
    return url


def _rows_after(db: str, table: str, before: str) -> list[dict]:
    """The rows `table` gained from the load, in the order they were written (by rowid on
    SQLite, by the serial primary key on PostgreSQL)."""
    engine = create_engine(db)
    try:
        order = (
            "rowid"
            if is_sqlite(db)
            else inspect(engine).get_pk_constraint(table)["constrained_columns"][0]
        )
        columns = [c["name"] for c in inspect(engine).get_columns(table)]
    finally:
        engine.dispose()
    start = rows(before, f'select coalesce(max({order}), 0) from "{table}"')[0][0]
    added = plain_rows(
        db, f'select * from "{table}" where {order} > :start order by {order}', start=start
    )
    return [dict(zip(columns, row)) for row in added]


def _tables(db: str) -> set[str]:
    engine = create_engine(db)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_the_corpus_is_complete_and_every_sidecar_is_well_formed():
    assert len(CASES) >= 30
    orphans = [
        p.name
        for p in CORPUS.glob("*" + SIDECAR)
        if not any(c.stem == p.name[: -len(SIDECAR)] for c in CASES)
    ]
    assert not orphans, f"sidecars without a file: {orphans}"
    stems = [c.stem for c in CASES]
    assert len(stems) == len(set(stems)), "two files share a name before their extension"
    for case in CASES:
        expected = case.expected
        assert expected, f"{case.source.name}: no {case.stem}{SIDECAR} beside it"
        assert set(expected) <= SIDECAR_KEYS, f"{case.stem}: unknown keys"
        assert expected["about"] and expected["outcome"] in ("accepted", "rejected"), case.stem
        if expected["outcome"] == "rejected":
            assert expected["lines"] and "rows" not in expected, case.stem
        else:
            assert isinstance(expected["rows"], dict) and "lines" not in expected, case.stem


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_corpus_file(case: Case, registries_db: str, tmp_path: Path):
    expected = case.expected
    db = copy_database(registries_db, tmp_path, "case")
    before = table_checksum(db)
    target = materialise(case, tmp_path)
    run = run_etl(["load", str(target)], db, expected.get("max_seconds", DEFAULT_MAX_SECONDS))
    output = run.stdout + run.stderr
    assert "Traceback" not in output, output[-3000:]
    assert run.returncode in (0, 1), f"exit {run.returncode} (killed or crashed): {output[-2000:]}"
    if expected["outcome"] == "rejected":
        lines = run.stderr.splitlines()
        assert run.returncode == 1, output[-2000:]
        assert lines[:-1] == expected["lines"]
        row_count = len({line.split(": ", 1)[0] for line in expected["lines"]})
        assert lines[-1] == (
            f"{len(expected['lines'])} problem(s) in {row_count} row(s); nothing was written."
        )
        assert table_checksum(db) == before, "a rejected load changed the database"
    else:
        assert run.returncode == 0 and run.stderr == "", output[-2000:]
        assert _tables(db) == _tables(registries_db)
        for table, count in expected["rows"].items():
            added = _rows_after(db, table, registries_db)
            assert len(added) == count, f"{table}: {len(added)} rows added, expected {count}"
            wanted = expected.get("values", {}).get(table, [])
            got = [{k: row[k] for k in want} for row, want in zip(added, wanted)]
            assert got == wanted
        if "read_as" in expected:
            messages = rows(
                db, "select message from etl_runs where file_name = :name", name=case.file_name
            )
            assert messages == [(f"read as {expected['read_as']}",)]
    limit = expected.get("max_seconds", DEFAULT_MAX_SECONDS)
    assert run.seconds <= limit, f"took {run.seconds:.1f} s (at most {limit} s)"
    memory = expected.get("max_memory_mb", DEFAULT_MAX_MEMORY_MB)
    assert run.max_rss_mb <= memory, f"peaked at {run.max_rss_mb:.0f} MB (at most {memory} MB)"


def csv_cells(body: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]


def served_csv_files(client) -> dict[str, bytes]:
    """Every CSV the public view serves: downloads, the API's CSV and the data package's files."""
    files = {
        path: client.get(path).get_data()
        for path in (
            "/download/observations.csv?headline_only=false",
            "/download/sources.csv",
            "/download/events.csv",
            "/download/metrics.csv",
            "/api/v1/observations?format=csv&headline_only=false&limit=10000",
            "/api/v1/sources?format=csv",
        )
    }
    package = zipfile.ZipFile(io.BytesIO(client.get("/download/datapackage.zip").get_data()))
    for name in package.namelist():
        if name.endswith(".csv"):
            files[f"datapackage.zip/{name}"] = package.read(name)
    return files


def serve_case(case: Case, loaded_db: str, tmp_path: Path) -> tuple:
    """The public view on the shipped data plus the case's file (loaded in-process), and the
    explorer addresses that show the case's rows (its metrics and sources)."""
    from app import create_app
    from db.engine import make_engine
    from etl import load

    db = copy_database(loaded_db, tmp_path, "case")
    engine = make_engine(db)
    report = load.run([str(materialise(case, tmp_path))], engine, write=True)
    engine.dispose()
    assert not report.problems, [str(p) for p in report.problems]
    added = rows(
        db,
        "select distinct o.metric, s.source_url from observations o join sources s "
        "using (source_id) where o.file_name = :name",
        name=case.file_name if case.source.is_file() else "figures.csv",
    )
    searches = [f"?lang=en&metric={m}{view}" for m, _ in added for view in ("", "&view=rows")]
    searches += [f"?lang=en&source={quote(u, safe='')}&view=rows" for _, u in added]
    app = with_shared_callbacks(create_app(public=True, database_url=db))
    app.server.extensions[LIMITER_KEY].reset()
    return app.server.test_client(), sorted(set(searches))


def rendered_pages(client, explorer_searches: list[str]) -> list:
    """The Dash answers of every page, and of the explorer showing the case's rows."""
    targets = page_targets(client, ("?lang=en",))
    targets += [("/explorer", search) for search in explorer_searches]
    answers = []
    for target in targets:
        response = client.post("/_dash-update-component", json=page_request(*target))
        assert response.status_code == 200, target
        answers.append((target, response))
    return answers


@pytest.fixture(scope="module")
def served(loaded_db: str, tmp_path_factory: pytest.TempPathFactory):
    """serve(case) -> the public view's client on the case's database, and its rendered pages
    (kept for the module: drawing every page takes seconds)."""
    cache: dict[str, tuple] = {}

    def serve(case: Case) -> tuple:
        if case.stem not in cache:
            client, searches = serve_case(case, loaded_db, tmp_path_factory.mktemp(case.stem))
            cache[case.stem] = (client, rendered_pages(client, searches))
        return cache[case.stem]

    return serve


@pytest.mark.parametrize("case", INERT_CASES, ids=[c.stem for c in INERT_CASES])
def test_accepted_formulas_are_neutralised_in_every_csv(case, served):
    """Downloads, API CSV, the data package and every chart's CSV button: no cell starts with
    a character that makes a spreadsheet run it, and each formula is there, quoted."""
    client, pages = served(case)
    client.application.extensions[LIMITER_KEY].reset()
    files = served_csv_files(client)
    for (path, _), response in pages:
        for chart, stored in chart_stores(dash_response(response)):
            download = client.post(
                "/_dash-update-component", json=csv_download_request(chart, stored)
            )
            content = dash_response(download)[0]["content"]
            files[f"chart {chart} on {path}"] = content.encode("utf-8")
    for name, body in files.items():
        formulas = [c for c in csv_cells(body) if c.startswith(FORMULA_STARTS)]
        assert not formulas, f"{name}: cells a spreadsheet would run: {formulas[:3]}"
    everything = {cell for body in files.values() for cell in csv_cells(body)}
    for text in case.expected["inert"]:
        if text.startswith(FORMULA_STARTS):
            assert "'" + text in everything, f"{text!r} is not served (neutralised) at all"


MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()<>#+\-.!|~])")


def _strings(tree: object) -> list[str]:
    """Every string in a callback answer, however deep."""
    if isinstance(tree, str):
        return [tree]
    if isinstance(tree, dict):
        return [s for value in tree.values() for s in _strings(value)]
    if isinstance(tree, list):
        return [s for value in tree for s in _strings(value)]
    return []


def _known_bug(case: Case):
    reason = case.expected.get("known_bug")
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, marks=marks, id=case.stem)


@pytest.mark.parametrize("case", [_known_bug(c) for c in INERT_CASES])
def test_accepted_markup_is_never_rendered_as_html(case, served):
    """Dash sends text escaped ('<' as \\u003c) and React shows it as text; the markup must
    also stay out of every prop the browser renders as HTML (markdown that allows HTML,
    javascript: links), and out of the page HTML itself."""
    client, pages = served(case)
    markup = [text for text in case.expected["inert"] if "<" in text]
    shown_anywhere = set()
    for (path, search), response in pages:
        assert "<" not in response.get_data(as_text=True), path
        rendered = html_rendered_texts(dash_response(response))
        texts = json.dumps(dash_response(response), ensure_ascii=False)
        # markdown cells escape data text (\\<); read every string as the reader sees it
        seen = [MARKDOWN_ESCAPE.sub(r"\1", value) for value in _strings(dash_response(response))]
        shown_anywhere |= {
            text for text in markup if text in texts or any(text in value for value in seen)
        }
        for text in markup:
            shown = [r for r in rendered if text in r]
            assert not shown, f"{path}{search}: {text!r} is rendered as HTML in {shown[:1]}"
        page = client.get(path + search).get_data(as_text=True)
        assert not [text for text in markup if text in page], path
    assert shown_anywhere or not markup, "no page shows the markup: the check proves nothing"


def test_every_page_renders_over_the_registries_and_one_accepted_file(registries_db, tmp_path):
    """A new deployment that has loaded the registries and one file of figures: every page
    answers, and says 'no data' where it has none."""
    from app import create_app

    case = next(c for c in CASES if c.stem == "thousands_separators")
    db = copy_database(registries_db, tmp_path, "case")
    run = run_etl(["load", str(materialise(case, tmp_path))], db, 60)
    assert run.returncode == 0, run.stderr
    client = create_app(public=True, database_url=db).server.test_client()
    failing = {}
    for path, search in page_targets(client, ("?lang=en",)):
        response = client.post("/_dash-update-component", json=page_request(path, search))
        if response.status_code != 200:
            failing[path] = response.status_code
    assert not failing
