"""The ETL end to end on the shipped data and small real excerpts, through the command line."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from etl.cli import main
from tests.conftest import DATA, FIXTURES, ROOT
from tests.databases import integrity_ok, new_database, rows, table_checksum


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def show(capsys, metric: str) -> list[dict]:
    code, out, _ = run_cli(capsys, "show", metric, "--json")
    assert code == 0
    return json.loads(out)


def totals(rows: list[dict]) -> dict[tuple[str, str], tuple[float, bool]]:
    return {
        (r["period_start"], r["period_end"]): (r["value"], r["is_complete"])
        for r in rows
        if not r["dimension"]
    }


def test_shipped_data_loads_whole(db_url, capsys):
    code, out, err = run_cli(capsys, "load", str(DATA))
    assert code == 0, err
    code, out, _ = run_cli(capsys, "status", "--json")
    status = json.loads(out)
    assert (status["observations"], status["events"], status["rejected_rows"]) == (527, 32, 0)
    assert status["metrics"] == 104
    assert status["last_load"].endswith("Z")

    occurred = totals(show(capsys, "police_deepfake_cases_occurred"))
    assert occurred[("2021-01-01", "2021-12-31")] == (156, True)
    assert occurred[("2022-01-01", "2022-12-31")] == (160, True)
    assert occurred[("2023-01-01", "2023-12-31")] == (180, True)
    assert occurred[("2024-01-01", "2024-07-31")] == (297, False)
    assert totals(show(capsys, "police_deepfake_cases_reported"))[("2024-01-01", "2024-12-31")] == (
        1202,
        True,
    )
    kcsc = totals(show(capsys, "kcsc_sexual_deepfake_correction_requests"))
    assert kcsc[("2023-01-01", "2023-12-31")] == (7187, True)
    assert kcsc[("2024-01-01", "2024-12-31")] == (23107, True)
    # conflicts settled by the headline rule: the lawmakers' table over KBS, the official
    # report over a newspaper's typo
    apprehended = totals(show(capsys, "police_deepfake_suspects_apprehended"))
    assert apprehended[("2021-01-01", "2021-12-31")] == (79, True)
    deletion = totals(show(capsys, "adsc_deletion_support"))
    assert deletion[("2024-01-01", "2024-12-31")] == (300237, True)
    every = show(capsys, "police_deepfake_cases_reported")
    assert all(r["source_url"].startswith("http") for r in every)


def test_qualified_units_keep_their_qualifier_as_a_flag(db_url, capsys):
    assert run_cli(capsys, "load", str(DATA))[0] == 0
    qualified = rows(
        db_url,
        "select unit, is_approximate, is_lower_bound, count(*) from observations "
        "where is_approximate or is_lower_bound group by 1, 2, 3 order by 1, 2",
    )
    assert qualified == [
        ("items", 1, 0, 1),
        ("percent", 0, 1, 1),
        ("percent", 1, 0, 2),
        ("requests", 1, 0, 1),
    ]


def test_loading_the_same_files_twice_changes_nothing_and_says_so(db_url, capsys):
    assert run_cli(capsys, "load", str(DATA))[0] == 0
    before = table_checksum(db_url)
    code, out, _ = run_cli(capsys, "load", str(DATA))
    assert code == 0
    assert "published_figures.csv: unchanged since its last load, skipped" in out
    assert "nothing to load: every file is unchanged" in out
    assert table_checksum(db_url) == before


def test_bad_file_reports_every_problem_and_writes_nothing(db_url, registry_dir, capsys):
    assert run_cli(capsys, "load", str(registry_dir))[0] == 0
    before = table_checksum(db_url)
    bad = FIXTURES / "bad_figures.csv"
    code, out, err = run_cli(capsys, "load", str(bad))
    assert code == 1
    lines = err.strip().splitlines()
    problems = lines[:-1]
    assert lines[-1] == "10 problem(s) in 10 row(s); nothing was written."
    assert problems == [
        "bad_figures.csv:2: period_start: not a valid date: use YYYY-MM-DD or 'unknown' "
        "(got '2021-02-30')",
        "bad_figures.csv:3: value: negative value (got '-5')",
        "bad_figures.csv:4: unit: unknown unit: register it first by adding a row to "
        "data/units.csv and loading that file (got 'bananas')",
        "bad_figures.csv:5: value: value is empty",
        "bad_figures.csv:6: value: not a number (write digits only, e.g. 6434; mark rounded "
        "figures with an _approx unit) (got 'about 300')",
        "bad_figures.csv:7: period_end: ends before period_start",
        "bad_figures.csv:9: -: repeats row 8: same metric, breakdown, period and source",
        "bad_figures.csv:10: value: a percent must be between 0 and 100",
        "bad_figures.csv:11: period_complete: must be one of: yes, no (got 'maybe')",
        "bad_figures.csv:12: metric: unknown metric: register it first by adding a row to "
        "data/metrics.csv and loading that file (got 'police_made_up_metric')",
    ]
    assert table_checksum(db_url) == before
    code, out, err = run_cli(capsys, "validate", str(bad))
    assert code == 1 and err.strip().splitlines()[:-1] == problems


def test_skip_invalid_loads_good_rows_and_keeps_rejected_ones(db_url, registry_dir, capsys):
    assert run_cli(capsys, "load", str(registry_dir))[0] == 0
    code, out, err = run_cli(capsys, "load", "--skip-invalid", str(FIXTURES / "bad_figures.csv"))
    assert code == 0
    status = json.loads(run_cli(capsys, "status", "--json")[1])
    assert status["observations"] == 2  # row 8 (the first of the repeated pair) and row 13
    assert status["rejected_rows"] == 10
    (row,) = rows(
        db_url, "select row_number, column_name, raw_row from rejected_rows where row_number = 3"
    )
    assert row[:2] == (3, "value") and json.loads(row[2])["value"] == "-5"


def _copy_with_registries(registry_dir: Path, name: str) -> Path:
    folder = registry_dir.parent / name
    shutil.copytree(registry_dir, folder)
    return folder


def _observations(url: str) -> pd.DataFrame:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    frame = pd.read_sql(
        "select o.metric, o.dimension, o.category, o.period_start, o.period_end, o.is_complete,"
        " o.value, o.unit, o.is_approximate, s.source_url, o.source_org, o.source_title,"
        " o.published_date, o.notes, o.is_headline, o.is_unverified from observations o"
        " join sources s using (source_id) order by o.row_number",
        engine,
    )
    engine.dispose()
    return frame


def test_cp949_and_xlsx_copies_load_to_the_same_rows(tmp_path, registry_dir, monkeypatch):
    from db.engine import create_schema, make_engine
    from etl import load

    # CP949 has no em dash; the reference file uses the same text so rows can match exactly
    text = (DATA / "published_figures.csv").read_text(encoding="utf-8").replace("—", "-")
    frames = {}
    for variant in ("utf8", "cp949", "xlsx"):
        folder = _copy_with_registries(registry_dir, variant)
        target = folder / "published_figures.csv"
        if variant == "utf8":
            target.write_text(text, encoding="utf-8")
        elif variant == "cp949":
            target.write_bytes(text.encode("cp949"))
        else:
            raw = pd.read_csv(DATA / "published_figures.csv", dtype=str, keep_default_na=False)
            raw = raw.map(lambda v: v.replace("—", "-"))
            target = folder / "published_figures.xlsx"
            raw.to_excel(target, index=False, engine="openpyxl")
        url = new_database(tmp_path, variant)
        engine = make_engine(url)
        create_schema(engine)
        report = load.run([str(folder)], engine, write=True)
        assert not report.problems, report.problems[:3]
        engine.dispose()
        frames[variant] = _observations(url)
    assert len(frames["utf8"]) == 527
    pd.testing.assert_frame_equal(frames["utf8"], frames["cp949"])
    pd.testing.assert_frame_equal(frames["utf8"], frames["xlsx"])


def test_a_changed_file_supersedes_rows_and_keeps_their_history(db_url, registry_dir, capsys):
    excerpt = registry_dir / "police_figures.csv"
    shutil.copy(FIXTURES / "figures_excerpt.csv", excerpt)
    assert run_cli(capsys, "load", str(registry_dir))[0] == 0
    first = json.loads(run_cli(capsys, "status", "--json")[1])
    with excerpt.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:  # a revised release: 2023 is corrected from 180 to 181
        if row["metric"] == "police_deepfake_cases_occurred" and row["value"] == "180":
            row["value"] = "181"
    with excerpt.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, out, _ = run_cli(capsys, "load", str(excerpt))
    assert code == 0 and "1 new or changed, 1 superseded" in out
    second = json.loads(run_cli(capsys, "status", "--json")[1])
    assert second["observations"] == first["observations"]
    assert second["superseded_observations"] == 1
    current = totals(show(capsys, "police_deepfake_cases_occurred"))
    assert current[("2023-01-01", "2023-12-31")] == (181, True)
    code, out, _ = run_cli(capsys, "history", "police_deepfake_cases_occurred")
    history = [line.split() for line in out.splitlines() if "2023-01-01" in line]
    assert [(h[3], h[-3], h[-2]) for h in history] == [
        ("180.0", "5", "6"),
        ("181.0", "6", "current"),
    ]


def test_a_killed_load_leaves_the_database_as_it_was(db_url, registry_dir, tmp_path):
    """SIGKILL the loader at several points of a large load; the database must be unchanged."""
    env = {"DATABASE_URL": db_url, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "etl", "load", str(registry_dir)],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    before = table_checksum(db_url)
    big = tmp_path / "big"
    big.mkdir()
    raw = pd.read_csv(DATA / "published_figures.csv", dtype=str, keep_default_na=False)
    copies = []
    for i in range(120):  # 63,240 distinct rows: the write phase takes a few seconds
        part = raw.copy()
        part["category"] = part["category"] + f"_copy{i}"
        copies.append(part)
    pd.concat(copies).to_csv(big / "many_figures.csv", index=False)
    # kill while validating, after the first chunk is written, and after the second
    for trigger, count in (("validating", 1), ("rows written", 1), ("rows written", 2)):
        process = subprocess.Popen(
            [sys.executable, "-m", "etl", "load", str(big)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        seen = 0
        for line in process.stderr:
            seen += trigger in line
            if seen == count:
                process.kill()
                break
        process.wait()
        assert process.returncode == -9, f"the load ended before '{trigger}' x{count}"
        # the next writer rolls back the killed run's journal, as the next ETL run would
        assert integrity_ok(db_url)
        assert table_checksum(db_url) == before


@pytest.mark.parametrize("column", ["value", "source_url"])
def test_missing_required_column_is_named(db_url, registry_dir, tmp_path, capsys, column):
    raw = pd.read_csv(FIXTURES / "figures_excerpt.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "no_column.csv"
    raw.drop(columns=[column]).to_csv(path, index=False)
    code, _, err = run_cli(capsys, "validate", str(registry_dir), str(path))
    assert code == 1
    if column == "value":  # without its signature column the layout is not recognised
        assert err.startswith("no_column.csv:1: -: the header matches no known layout")
    else:
        assert err.startswith("no_column.csv:1: source_url: required column is missing")
