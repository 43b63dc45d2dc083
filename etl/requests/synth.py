"""Synthetic request logs for demos, tests and benchmarks: deterministic for a seed, vectorised.

Every row says it is synthetic twice: its `synthetic` column is `true` and its id starts with
`SYN-`; the ingest keeps either mark as `is_synthetic`, and the public view never shows such rows.

What the generator imitates (all numbers invented, shaped after the published figures):
- volume grows slowly through 2023 and surges after the deepfake crisis broke (late August
  2024), then settles at about twice the earlier level; fewer requests at weekends;
- the platform and content mix shift in the surge (Telegram and deepfakes grow), and more
  requests come through schools;
- each platform has its own outcome mix and a log-normal time to action with a long tail;
  Telegram did not answer before September 2024 and has mostly removed content since;
- requests received shortly before the end of the log are still pending, and a few old ones too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from db.requests_schema import (
    AGE_GROUPS,
    CHANNELS,
    CONTENT_TYPES,
    GENDERS,
    PLATFORMS,
    REGIONS,
)
from etl.kinds import REQUESTS
from etl.requests.checks import SYNTHETIC_ID_PREFIX

START = dt.date(2023, 1, 1)
END = dt.date(2025, 6, 30)  # the log's last day; "now" for pending requests
SURGE = dt.date(2024, 8, 20)
TELEGRAM_COOPERATES = dt.date(2024, 9, 1)
YEAR_2025 = dt.date(2025, 1, 1)
COLUMNS = list(REQUESTS.columns)  # the log layout, synthetic marker last

# by phase: before the surge, the surge (to the end of 2024), 2025
PLATFORM_MIX = {
    "before": [0.08, 0.22, 0.10, 0.06, 0.06, 0.20, 0.08, 0.08, 0.12],
    "surge": [0.30, 0.20, 0.10, 0.04, 0.05, 0.14, 0.05, 0.05, 0.07],
    "2025": [0.20, 0.22, 0.11, 0.05, 0.06, 0.17, 0.06, 0.05, 0.08],
}
CONTENT_MIX = {
    "before": [0.12, 0.55, 0.13, 0.20],
    "surge": [0.55, 0.28, 0.08, 0.09],
    "2025": [0.40, 0.38, 0.10, 0.12],
}
CHANNEL_MIX = {
    "before": [0.28, 0.35, 0.15, 0.05, 0.17],
    "surge": [0.27, 0.30, 0.15, 0.15, 0.13],
    "2025": [0.28, 0.32, 0.15, 0.10, 0.15],
}
AGE_MIX = {  # deepfake victims are younger
    "deepfake": [0.12, 0.45, 0.25, 0.08, 0.04, 0.02, 0.04],
    "other": [0.04, 0.14, 0.38, 0.22, 0.10, 0.05, 0.07],
}
GENDER_MIX = {"deepfake": [0.92, 0.05, 0.03], "other": [0.84, 0.10, 0.06]}
REGION_WEIGHTS = [
    0.180, 0.065, 0.046, 0.058, 0.028, 0.028, 0.021, 0.008, 0.265,
    0.029, 0.031, 0.041, 0.034, 0.035, 0.050, 0.063, 0.013, 0.040,
]  # fmt: skip
# removed, blocked, refused, no_response (before any request is left pending)
OUTCOME_MIX = {
    "telegram_before": [0.03, 0.12, 0.00, 0.85],
    "telegram": [0.82, 0.08, 0.03, 0.07],
    "x": [0.70, 0.10, 0.10, 0.10],
    "instagram": [0.85, 0.03, 0.07, 0.05],
    "facebook": [0.83, 0.03, 0.08, 0.06],
    "youtube": [0.88, 0.02, 0.07, 0.03],
    "adult_site": [0.25, 0.55, 0.02, 0.18],
    "p2p": [0.10, 0.70, 0.00, 0.20],
    "search_engine": [0.80, 0.05, 0.10, 0.05],
    "other": [0.40, 0.35, 0.05, 0.20],
}
FINAL_OUTCOMES = ("removed", "blocked", "refused", "no_response")
# hours to removal: (median, log-normal sigma); blocking goes through the regulator's review
REMOVAL_HOURS = {
    "telegram_before": (200.0, 1.2),
    "telegram": (20.0, 1.1),
    "x": (50.0, 1.3),
    "instagram": (26.0, 1.0),
    "facebook": (30.0, 1.0),
    "youtube": (18.0, 0.9),
    "adult_site": (140.0, 1.4),
    "p2p": (220.0, 1.5),
    "search_engine": (40.0, 1.1),
    "other": (100.0, 1.4),
}
BLOCKING_HOURS = (120.0, 0.8)
REFUSAL_HOURS = (72.0, 1.0)
NO_RESPONSE_CLOSED_HOURS = 30 * 24.0  # unanswered requests are closed after 30 days
LONG_TAIL_SHARE, LONG_TAIL_FACTOR = 0.02, 8.0
STUCK_SHARE = 0.01  # old requests still pending at the end of the log
HOUR_WEIGHTS = np.array(
    [3, 2, 1.5, 1, 1, 1, 1.5, 2.5, 4, 5, 5.5, 5.5, 5, 5.5, 5.5, 5.5, 5, 5, 5, 5.5, 6, 6, 5.5, 4.5]
)


def daily_weights(days: np.ndarray) -> np.ndarray:
    """Relative request volume on each day (numpy datetime64[D] array)."""
    start = np.datetime64(START, "D")
    years = (days - start).astype(float) / 365.25
    weight = 1.0 + 0.3 * years
    since = (days - np.datetime64(SURGE, "D")).astype(float)
    surge = np.where(since >= 0, 1.0 + 3.5 * np.exp(-np.clip(since - 7, 0, None) / 45.0), 1.0)
    ramp = np.clip(since / 7.0, 0.0, 1.0)
    surge = 1.0 + (surge - 1.0) * ramp
    settled = np.where(since >= 0, 1.0 + np.clip(since, 0, 60) / 60.0, 1.0)  # the new normal
    weight = weight * np.maximum(surge, settled)
    weekday = (days.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
    return weight * np.where(weekday >= 5, 0.7, 1.0)


def _phase(days: np.ndarray) -> np.ndarray:
    surge, year_2025 = np.datetime64(SURGE, "D"), np.datetime64(YEAR_2025, "D")
    return np.where(days < surge, 0, np.where(days < year_2025, 1, 2))


def _categorical(rng, groups: np.ndarray, mixes: list[list[float]], size: int) -> np.ndarray:
    """One code index per row, drawn from the mix of the row's group (vectorised per group)."""
    out = np.zeros(len(groups), dtype=np.int8)
    for group, mix in enumerate(mixes):
        chosen = groups == group
        count = int(chosen.sum())
        if count:
            p = np.asarray(mix, dtype=float)
            out[chosen] = rng.choice(size, count, p=p / p.sum())
    return out


def _hours(rng, count: int, median: float, sigma: float) -> np.ndarray:
    hours = rng.lognormal(np.log(median), sigma, count)
    tail = rng.random(count) < LONG_TAIL_SHARE
    return np.where(tail, hours * LONG_TAIL_FACTOR, hours)


def _codes(indices: np.ndarray, codes) -> pa.Array:
    dictionary = pa.DictionaryArray.from_arrays(pa.array(indices), pa.array(list(codes)))
    return dictionary.cast(pa.string())


def _korea_times(seconds: np.ndarray) -> pa.Array:
    """ISO 8601 text with the +09:00 offset, from Korea-time seconds since the epoch."""
    text = pa.array(seconds.astype("datetime64[s]")).cast(pa.string())  # 2024-09-03 14:05:00
    text = pc.binary_replace_slice(text, 10, 11, "T")
    return pc.binary_replace_slice(text, 19, 19, "+09:00")


def generate_table(rows: int, seed: int) -> pa.Table:
    """`rows` synthetic requests as the log's text columns, ordered by receipt."""
    rng = np.random.default_rng(seed)
    all_days = np.arange(np.datetime64(START, "D"), np.datetime64(END, "D") + 1)
    weights = daily_weights(all_days)
    days = np.sort(all_days[rng.choice(len(all_days), rows, p=weights / weights.sum())])
    hours_of_day = rng.choice(24, rows, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    seconds = days.astype("datetime64[s]").view("int64") + hours_of_day * 3600
    seconds = seconds + rng.integers(0, 3600, rows)
    order = np.argsort(seconds, kind="stable")
    seconds, days = seconds[order], days[order]
    phase = _phase(days)
    phases = ("before", "surge", "2025")
    platform = _categorical(rng, phase, [PLATFORM_MIX[p] for p in phases], len(PLATFORMS))
    content = _categorical(rng, phase, [CONTENT_MIX[p] for p in phases], len(CONTENT_TYPES))
    channel = _categorical(rng, phase, [CHANNEL_MIX[p] for p in phases], len(CHANNELS))
    victim_group = (content != CONTENT_TYPES.index("deepfake")).astype(int)  # 0: deepfake
    age = _categorical(rng, victim_group, [AGE_MIX["deepfake"], AGE_MIX["other"]], len(AGE_GROUPS))
    gender = _categorical(
        rng, victim_group, [GENDER_MIX["deepfake"], GENDER_MIX["other"]], len(GENDERS)
    )
    region = rng.choice(len(REGIONS), rows, p=np.asarray(REGION_WEIGHTS) / sum(REGION_WEIGHTS))
    # outcome and time to action by platform; Telegram by era (behaviour index = platform index,
    # or len(PLATFORMS) for Telegram before it cooperated)
    behaviours = [*PLATFORMS, "telegram_before"]
    telegram_before = (platform == PLATFORMS.index("telegram")) & (
        days < np.datetime64(TELEGRAM_COOPERATES, "D")
    )
    behaviour = np.where(telegram_before, len(PLATFORMS), platform)
    outcome = _categorical(
        rng, behaviour, [OUTCOME_MIX[b] for b in behaviours], len(FINAL_OUTCOMES)
    )
    delay = np.zeros(rows)
    removed_code, blocked_code, refused_code, silent_code = range(4)
    for index, key in enumerate(behaviours):
        removed = (behaviour == index) & (outcome == removed_code)
        delay[removed] = _hours(rng, int(removed.sum()), *REMOVAL_HOURS[key])
    blocked = outcome == blocked_code
    delay[blocked] = _hours(rng, int(blocked.sum()), *BLOCKING_HOURS)
    refused = outcome == refused_code
    delay[refused] = _hours(rng, int(refused.sum()), *REFUSAL_HOURS)
    silent = outcome == silent_code
    delay[silent] = NO_RESPONSE_CLOSED_HOURS + rng.uniform(0, 48, int(silent.sum()))
    actioned = seconds + np.maximum(np.round(delay * 3600), 60).astype("int64")
    log_end = np.datetime64(END, "D").astype("datetime64[s]").view("int64") + 86399
    pending = (actioned > log_end) | (rng.random(rows) < STUCK_SHARE)
    outcome = np.where(pending, len(FINAL_OUTCOMES), outcome)
    ids = pc.utf8_lpad(pa.array(np.arange(1, rows + 1)).cast(pa.string()), 9, "0")
    actioned_text = _korea_times(actioned)
    columns = {
        "request_id": pc.binary_join_element_wise(pa.scalar(SYNTHETIC_ID_PREFIX), ids, ""),
        "received_at": _korea_times(seconds),
        "channel": _codes(channel, CHANNELS),
        "content_type": _codes(content, CONTENT_TYPES),
        "platform": _codes(platform, PLATFORMS),
        "victim_age_group": _codes(age, AGE_GROUPS),
        "victim_gender": _codes(gender, GENDERS),
        "region": _codes(region, REGIONS),
        "outcome": _codes(outcome, [*FINAL_OUTCOMES, "pending"]),
        "actioned_at": pc.if_else(pa.array(pending), pa.scalar(""), actioned_text),
        "synthetic": pa.array(np.full(rows, "true")).cast(pa.string()),
    }
    return pa.table({name: columns[name] for name in COLUMNS})


def generate(rows: int, seed: int) -> pd.DataFrame:
    """`generate_table` as a pandas frame of text columns."""
    return generate_table(rows, seed).to_pandas()


def write(table: pa.Table | pd.DataFrame, out: Path) -> None:
    """Write the log as CSV (UTF-8) or Parquet, by the file's suffix; the bytes depend only on
    the rows, so the same seed gives the same file."""
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table.astype(str), preserve_index=False)
    if out.suffix.lower() == ".parquet":
        pq.write_table(table, out, compression="zstd")
    elif out.suffix.lower() == ".csv":
        # codes, times and ids never hold a comma, quote or line break: no quoting needed
        # (pyarrow refuses to write a value that would need it)
        pacsv.write_csv(table, out, pacsv.WriteOptions(quoting_style="none"))
    else:
        raise ValueError(f"{out.name}: the output must end in .csv or .parquet")
