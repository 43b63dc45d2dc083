"""The headline rule: one row per figure key is the headline; the rest stay as alternates.

Key: metric, dimension, category, period start, period end. Headline: the highest source tier
(official, then wire, then press, then aggregator), then the latest publication date, then the
row loaded first. A figure is unverified when every source that gives that value for that key
is an aggregator (forum repost, summary, mirror or spam copy).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from db.schema import Observation, Source

KEY = ["metric", "dimension", "category", "period_start", "period_end"]
AGGREGATOR_RANK = 3


def choose_headlines(rows: pd.DataFrame) -> pd.DataFrame:
    """Given current rows with KEY, value, tier_rank, published_sort_date and observation_id,
    return them with `is_headline` and `is_unverified` set by the rule above."""
    rows = rows.copy()
    rows["_key"] = [
        "\x1f".join("" if pd.isna(v) else str(v) for v in values)
        for values in rows[KEY].itertuples(index=False)
    ]
    ordered = rows.assign(_sort_date=pd.to_datetime(rows["published_sort_date"]))
    ordered = ordered.sort_values(
        ["_key", "tier_rank", "_sort_date", "observation_id"],
        ascending=[True, True, False, True],
        na_position="last",
    )
    first = ordered.drop_duplicates("_key")["observation_id"]
    rows["is_headline"] = rows["observation_id"].isin(first)
    verified_values = rows[rows["tier_rank"] < AGGREGATOR_RANK].groupby("_key")["value"].agg(set)
    rows["is_unverified"] = [
        rank >= AGGREGATOR_RANK and value not in verified_values.get(k, set())
        for rank, value, k in zip(rows["tier_rank"], rows["value"], rows["_key"])
    ]
    return rows.drop(columns=["_key"])


def refresh_headlines(connection: Connection) -> int:
    """Recompute the flags of every current observation; returns how many rows changed."""
    query = (
        select(
            Observation.observation_id,
            *[getattr(Observation, c) for c in KEY],
            Observation.value,
            Observation.is_headline,
            Observation.is_unverified,
            Source.tier_rank,
            Source.published_sort_date,
        )
        .join(Source, Source.source_id == Observation.source_id)
        .where(Observation.superseded_by_run.is_(None))
    )
    current = pd.DataFrame(connection.execute(query).mappings().all())
    if current.empty:
        return 0
    flagged = choose_headlines(
        current.rename(columns={"is_headline": "_old_headline", "is_unverified": "_old_unverified"})
    )
    changed = flagged[
        (flagged["is_headline"] != flagged["_old_headline"].astype(bool))
        | (flagged["is_unverified"] != flagged["_old_unverified"].astype(bool))
    ]
    for row in changed.itertuples(index=False):
        connection.execute(
            update(Observation)
            .where(Observation.observation_id == int(row.observation_id))
            .values(is_headline=bool(row.is_headline), is_unverified=bool(row.is_unverified))
        )
    superseded = (
        update(Observation)
        .where(Observation.superseded_by_run.is_not(None), Observation.is_headline.is_(True))
        .values(is_headline=False)
    )
    connection.execute(superseded)
    return len(changed)
