"""The synthetic request log: byte-identical for a seed, marked synthetic, and shaped like the
published story (the 2024 surge, Telegram's turn to cooperation, long-tailed response times)."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from db.requests_schema import OUTCOMES, PLATFORMS
from etl.cli import main
from etl.readers import ROW_NUMBER
from etl.requests import synth
from etl.requests.checks import check_chunk

ROWS = 20_000


@pytest.fixture(scope="module")
def log() -> pd.DataFrame:
    frame = synth.generate(ROWS, 3)
    frame["month"] = frame["received_at"].str[:7]
    return frame


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_the_same_seed_gives_the_same_bytes(tmp_path, capsys, suffix):
    first, second, other = (tmp_path / f"{n}{suffix}" for n in ("a", "b", "c"))
    assert main(["synth-requests", "--rows", "5000", "--seed", "7", "--out", str(first)]) == 0
    assert main(["synth-requests", "--rows", "5000", "--seed", "7", "--out", str(second)]) == 0
    assert main(["synth-requests", "--rows", "5000", "--seed", "8", "--out", str(other)]) == 0
    assert digest(first) == digest(second)
    assert digest(first) != digest(other)
    assert "5,000 synthetic requests (seed 7)" in capsys.readouterr().out


def test_the_csv_has_the_log_layout_and_marks_every_row(tmp_path):
    out = tmp_path / "log.csv"
    synth.write(synth.generate_table(50, 1), out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].replace('"', "").split(",") == synth.COLUMNS
    assert len(lines) == 51
    frame = synth.generate(50, 1)
    assert (frame["synthetic"] == "true").all()
    assert frame["request_id"].str.match(r"^SYN-\d{9}$").all()
    assert frame["received_at"].str.endswith("+09:00").all()


def test_every_generated_row_passes_validation(log):
    text = log[synth.COLUMNS].copy()
    text[ROW_NUMBER] = range(2, len(text) + 2)
    valid, problems = check_chunk(text, "synthetic.csv")
    assert problems == []
    assert len(valid) == ROWS
    assert valid["is_synthetic"].all()


def test_codes_cover_the_vocabularies(log):
    assert set(log["platform"]) == set(PLATFORMS)
    assert set(log["outcome"]) == set(OUTCOMES)


def test_telegram_did_not_answer_before_september_2024_and_cooperates_after(log):
    telegram = log[(log["platform"] == "telegram") & (log["outcome"] != "pending")]
    before = telegram[telegram["received_at"] < "2024-09"]
    after = telegram[telegram["received_at"] >= "2024-09"]
    no_response_before = (before["outcome"] == "no_response").mean()
    no_response_after = (after["outcome"] == "no_response").mean()
    assert no_response_before > 0.75
    assert no_response_after < 0.12
    assert (after["outcome"].isin(["removed", "blocked"])).mean() > 0.8


def test_the_surge_after_late_august_2024(log):
    per_month = log.groupby("month").size()
    before = per_month[(per_month.index >= "2024-01") & (per_month.index <= "2024-07")].mean()
    assert per_month["2024-09"] > 2.5 * before
    assert per_month["2025-03"] > 1.5 * before  # settled above the earlier level
    deepfake_share = log.groupby(log["month"] >= "2024-09")["content_type"].apply(
        lambda c: (c == "deepfake").mean()
    )
    assert deepfake_share[True] > 2 * deepfake_share[False]


def test_response_times_have_long_tails_that_differ_by_platform(log):
    done = log[log["outcome"].isin(["removed"]) & (log["received_at"] >= "2024-09")].copy()
    received = pd.to_datetime(done["received_at"], utc=True)
    actioned = pd.to_datetime(done["actioned_at"], utc=True)
    done["hours"] = (actioned - received).dt.total_seconds() / 3600
    medians = done.groupby("platform")["hours"].median()
    assert medians["youtube"] < medians["x"] < medians["p2p"]
    hours = done["hours"].to_numpy()
    assert np.percentile(hours, 99) > 8 * np.median(hours)  # a long tail


def test_recent_requests_are_still_pending(log):
    last_days = log[log["received_at"] >= "2025-06-25"]
    early = log[log["received_at"] < "2025-01"]
    assert (last_days["outcome"] == "pending").mean() > 0.5
    assert 0 < (early["outcome"] == "pending").mean() < 0.03
    assert (log.loc[log["outcome"] == "pending", "actioned_at"] == "").all()
    assert (log.loc[log["outcome"] != "pending", "actioned_at"] != "").all()


def test_bad_arguments_are_refused(tmp_path, capsys):
    assert main(["synth-requests", "--rows", "0", "--out", str(tmp_path / "x.csv")]) == 2
    assert main(["synth-requests", "--rows", "10", "--out", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err
    assert "--rows: give a number from 1" in err and "x.json must end in .csv or .parquet" in err
