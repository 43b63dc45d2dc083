"""Request logs through `python -m etl load`: chunks, row-level reasons, all or nothing, no-op
reloads, updates that keep history, and rollups that equal a direct aggregation of the log."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from etl.cli import main
from etl.requests import format as log_format
from etl.requests import synth
from tests.conftest import FIXTURES
from tests.databases import new_database, plain_frame, plain_rows, table_checksum

LOGS = FIXTURES / "requests"
SMALL, UPDATE, BAD = (
    LOGS / n for n in ("requests_small.csv", "requests_update.csv", "requests_bad.csv")
)


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def query(url: str, sql: str) -> list[tuple]:
    return plain_rows(url, sql)


def synthetic_log(tmp_path, rows: int, seed: int, suffix: str = ".csv"):
    path = tmp_path / f"synthetic_{rows}_{seed}{suffix}"
    synth.write(synth.generate_table(rows, seed), path)
    return path


def test_a_log_loads_with_every_request_and_its_times_in_korea_time(db_url, capsys):
    code, out, err = run_cli(capsys, "load", str(SMALL))
    assert code == 0, err
    assert "requests_small.csv: request log, 12 rows read, 12 new, 0 updated" in out
    assert "requests_small.csv [###" in err  # the progress bar
    rows = query(
        db_url,
        "select request_id, received_at, received_date, hours_to_action, "
        "is_synthetic, version from requests where request_id in "
        "('R-0003', 'R-0010') order by 1",
    )
    assert rows == [
        # 2024-08-31T15:30Z is 1 September 00:30 in Korea
        ("R-0003", "2024-09-01 00:30:00.000000", "2024-09-01", 12.0, 0, 1),
        ("R-0010", "2024-09-30 22:00:00.000000", "2024-09-30", None, 0, 1),
    ]
    assert query(db_url, "select file_kind, rows_read, rows_loaded, outcome from etl_runs") == [
        ("requests", 12, 12, "loaded")
    ]


def test_rollups_are_exact_on_the_hand_made_log(db_url, capsys):
    assert run_cli(capsys, "load", str(SMALL))[0] == 0
    totals = query(
        db_url,
        "select grain, period_start, sum(request_count) from request_counts "
        "where dimension = 'total' and grain != 'day' group by 1, 2 "
        "order by 1, 2",
    )
    assert totals == [
        ("month", "2024-08-01", 2),
        ("month", "2024-09-01", 8),
        ("month", "2024-10-01", 2),
        ("week", "2024-08-26", 3),
        ("week", "2024-09-02", 4),
        ("week", "2024-09-09", 2),
        ("week", "2024-09-30", 2),
        ("week", "2024-10-07", 1),
    ]
    september = query(
        db_url,
        "select dimension, category, sum(request_count) from "
        "request_counts where grain = 'month' and period_start = "
        "'2024-09-01' and dimension in ('outcome', 'victim_gender') "
        "group by 1, 2 order by 1, 2",
    )
    assert september == [
        ("outcome", "pending", 1),
        ("outcome", "refused", 1),
        ("outcome", "removed", 6),
        ("victim_gender", "female", 6),
        ("victim_gender", "male", 1),
        ("victim_gender", "unknown", 1),
    ]
    telegram_days = query(
        db_url,
        "select period_start, request_count from request_counts "
        "where grain = 'day' and dimension = 'total' and platform = "
        "'telegram' and period_start < '2024-09-05' order by 1",
    )
    assert telegram_days == [("2024-08-30", 1), ("2024-08-31", 1), ("2024-09-03", 2)]
    times = query(
        db_url,
        "select month_start, platform, actioned_count, median_hours, "
        "p90_hours from request_action_times where includes_synthetic = false "
        "order by 1, 2",
    )
    assert times == [
        ("2024-08-01", "all", 1, 36.0, 36.0),
        ("2024-08-01", "telegram", 1, 36.0, 36.0),
        ("2024-09-01", "all", 6, 18.0, 36.0),  # 6, 10, 12, 24, 24, 48 hours
        ("2024-09-01", "telegram", 3, 24.0, pytest.approx(43.2)),  # 10, 24, 48
        ("2024-09-01", "x", 2, 18.0, pytest.approx(22.8)),  # 12, 24
        ("2024-09-01", "youtube", 1, 6.0, 6.0),
        ("2024-10-01", "all", 1, 4.0, 4.0),
        ("2024-10-01", "telegram", 1, 4.0, 4.0),
    ]


def test_a_later_file_updates_requests_and_keeps_their_history(db_url, capsys):
    assert run_cli(capsys, "load", str(SMALL))[0] == 0
    code, out, _ = run_cli(capsys, "load", str(UPDATE))
    assert code == 0
    assert "4 rows read, 1 new, 2 updated (earlier versions kept), 1 unchanged" in out
    current = query(
        db_url,
        "select request_id, outcome, version, run_id from requests "
        "where request_id in ('R-0010', 'R-0011', 'R-0012', 'R-0013') "
        "order by 1",
    )
    assert current == [
        ("R-0010", "removed", 2, 2),
        ("R-0011", "blocked", 2, 2),
        ("R-0012", "removed", 1, 1),
        ("R-0013", "pending", 1, 2),
    ]
    history = query(
        db_url,
        "select request_id, outcome, actioned_at, version, run_id, "
        "superseded_by_run from request_history order by 1",
    )
    assert history == [("R-0010", "pending", None, 1, 1, 2), ("R-0011", "pending", None, 1, 1, 2)]
    # the rollups follow: September's pending request is now removed, after 48 hours
    assert query(
        db_url,
        "select category, sum(request_count) from request_counts where "
        "grain = 'month' and period_start = '2024-09-01' and dimension = "
        "'outcome' group by 1 order by 1",
    ) == [("refused", 1), ("removed", 7)]
    assert query(
        db_url,
        "select actioned_count, median_hours from request_action_times where "
        "month_start = '2024-09-01' and platform = 'x' and "
        "includes_synthetic = true",
    ) == [(3, 24.0)]


def test_reloading_an_unchanged_log_is_a_no_op(db_url, tmp_path, capsys):
    log = synthetic_log(tmp_path, 3000, 5)
    assert run_cli(capsys, "load", str(log))[0] == 0
    before = table_checksum(db_url)
    code, out, _ = run_cli(capsys, "load", str(log))
    assert code == 0
    assert f"{log.name}: unchanged since its last load, skipped" in out
    assert "nothing to load: every file is unchanged" in out
    assert table_checksum(db_url) == before
    # the same bytes under another name are the same log
    renamed = tmp_path / "copy.csv"
    shutil.copy(log, renamed)
    assert (
        "copy.csv: unchanged since its last load, skipped"
        in run_cli(capsys, "load", str(renamed))[1]
    )


def test_a_bad_log_names_every_problem_and_writes_nothing(db_url, capsys):
    assert run_cli(capsys, "load", str(SMALL))[0] == 0
    before = table_checksum(db_url)
    code, out, err = run_cli(capsys, "load", str(BAD))
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("requests_bad.csv:")]
    assert lines == [
        "requests_bad.csv:3: received_at: not an ISO 8601 date-time with its offset "
        "(e.g. 2024-09-03T14:05:00+09:00) (got '2024-09-02 10:00')",
        "requests_bad.csv:4: channel: must be one of: hotline, web, police, school, "
        "platform_report (got 'fax')",
        "requests_bad.csv:4: platform: must be one of: telegram, x, instagram, facebook, "
        "youtube, adult_site, p2p, search_engine, other (got 'tiktok')",
        "requests_bad.csv:5: actioned_at: must be empty while the outcome is pending "
        "(got '2024-09-03T10:00:00+09:00')",
        "requests_bad.csv:5: region: must be one of: seoul, busan, daegu, incheon, gwangju, "
        "daejeon, ulsan, sejong, gyeonggi, gangwon, chungbuk, chungnam, jeonbuk, jeonnam, "
        "gyeongbuk, gyeongnam, jeju, unknown (got 'atlantis')",
        "requests_bad.csv:6: actioned_at: required unless the outcome is pending",
        "requests_bad.csv:7: actioned_at: before received_at (got '2024-09-01T10:00:00+09:00')",
        "requests_bad.csv:8: received_at: not a calendar date (got '2024-02-30T10:00:00+09:00')",
        "requests_bad.csv:9: request_id: repeats row 2: a request appears once in a file",
        "requests_bad.csv:10: -: has 11 fields but the header has 10",
    ]
    assert "10 problem(s) in 8 row(s); nothing was written." in err
    assert table_checksum(db_url) == before
    # validate reports the same and writes nothing either
    code, _, err = run_cli(capsys, "validate", str(BAD))
    assert code == 1 and "requests_bad.csv:9: request_id: repeats row 2" in err
    assert table_checksum(db_url) == before


def test_skip_invalid_loads_the_rest_and_keeps_each_rejected_row(db_url, capsys):
    code, out, err = run_cli(capsys, "load", "--skip-invalid", str(BAD))
    assert code == 0
    assert "9 rows read, 1 new, 0 updated (earlier versions kept), 0 unchanged, 8 rejected" in out
    assert query(db_url, "select request_id from requests") == [("R-0101",)]
    rejected = query(
        db_url, "select row_number, column_name, raw_row from rejected_rows order by id"
    )
    assert [(r, c) for r, c, _ in rejected][:3] == [
        (3, "received_at"),
        (4, "channel"),
        (4, "platform"),
    ]
    assert '"channel": "fax"' in rejected[1][2]
    assert (9, "request_id") in [(r, c) for r, c, _ in rejected]
    assert query(db_url, "select outcome, rows_rejected from etl_runs") == [("partial", 8)]


def test_one_load_is_one_transaction_across_files(db_url, tmp_path, capsys):
    good = synthetic_log(tmp_path, 500, 2)
    code, _, err = run_cli(capsys, "load", str(good), str(BAD))
    assert code == 1 and "requests_bad.csv:3:" in err
    assert query(db_url, "select count(*) from requests") == [(0,)]
    assert query(db_url, "select count(*) from etl_runs") == [(0,)]


def test_chunks_of_any_size_give_the_same_database(tmp_path, monkeypatch, capsys):
    log = synthetic_log(tmp_path, 2500, 9, ".parquet")
    checksums = []
    for size in (log_format.CHUNK_ROWS, 700):
        url = new_database(tmp_path, f"chunks_{size}")
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setattr(log_format, "CHUNK_ROWS", size)
        code, _, err = run_cli(capsys, "load", str(log))
        assert code == 0, err
        assert err.count(f"{log.name} [") == (1 if size > 2500 else 4)
        checksums.append(sorted(query(url, "select * from request_counts")))
        checksums.append(
            sorted(
                query(url, "select request_id, received_at, outcome, hours_to_action from requests")
            )
        )
    assert checksums[0] == checksums[2] and checksums[1] == checksums[3]


def test_rollups_equal_a_direct_aggregation_of_the_log(db_url, tmp_path, capsys):
    log = synthetic_log(tmp_path, 6000, 11)
    assert run_cli(capsys, "load", str(log))[0] == 0
    raw = plain_frame(db_url, "select * from requests")
    counts = plain_frame(db_url, "select * from request_counts")
    times = plain_frame(db_url, "select * from request_action_times")
    raw["day"] = pd.to_datetime(raw["received_date"])
    raw["month"] = raw["day"].dt.strftime("%Y-%m-01")
    raw["week"] = (raw["day"] - pd.to_timedelta(raw["day"].dt.day_of_week, unit="D")).dt.strftime(
        "%Y-%m-%d"
    )
    raw["day"] = raw["day"].dt.strftime("%Y-%m-%d")
    rng = np.random.default_rng(0)
    for grain in ("day", "week", "month"):
        for dimension in (
            "total",
            "platform",
            "channel",
            "content_type",
            "outcome",
            "victim_age_group",
            "victim_gender",
            "region",
        ):
            if dimension == "platform":
                rolled = counts[(counts["grain"] == grain) & (counts["dimension"] == "total")]
                rolled = rolled.groupby(["period_start", "platform"])["request_count"].sum()
                direct = raw.groupby([grain, "platform"]).size()
            else:
                rolled = counts[(counts["grain"] == grain) & (counts["dimension"] == dimension)]
                rolled = rolled.groupby(["period_start", "category"])["request_count"].sum()
                direct = (
                    raw.groupby(grain).size()
                    if dimension == "total"
                    else raw.groupby([grain, dimension]).size()
                )
            sample = rng.choice(len(direct), size=min(25, len(direct)), replace=False)
            for position in sample:
                key = direct.index[position]
                if dimension == "total":
                    assert rolled[(key, "total")] == direct.iloc[position], (grain, key)
                else:
                    assert rolled[key] == direct.iloc[position], (grain, dimension, key)
            assert rolled.sum() == len(raw)
    actioned = raw[raw["outcome"].isin(["removed", "blocked"])]
    for (month, platform), hours in list(
        actioned.groupby(["month", "platform"])["hours_to_action"]
    )[:40]:
        row = times[
            (times["month_start"] == month)
            & (times["platform"] == platform)
            & (times["includes_synthetic"] == 1)
        ].iloc[0]
        assert row["actioned_count"] == len(hours)
        assert row["median_hours"] == pytest.approx(hours.median())
        assert row["p90_hours"] == pytest.approx(hours.quantile(0.9))
    assert set(times["includes_synthetic"]) == {1}  # no real rows: no real-only times
