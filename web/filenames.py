"""File names for downloads: named after what they hold and the date of the data, ASCII only.

e.g. observations_police_deepfake_cases_reported_2024-2024_data-2026-11-25.csv
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from web.params import ObservationRequest

MAX_LENGTH = 180
_UNSAFE = re.compile(r"[^a-z0-9_]+")


def slug(text: str, length: int = 40) -> str:
    """Lower-case ASCII letters, digits and underscores; anything else becomes a hyphen."""
    return _UNSAFE.sub("-", text.lower()).strip("-")[:length].strip("-")


def label_part(kind: str, label: str) -> str:
    """A filter value for a file name: itself when it is plain ASCII, else a short digest."""
    if slug(label) == label.lower():
        return slug(label)
    return f"{kind}-{hashlib.sha256(label.encode('utf-8')).hexdigest()[:8]}"


def data_date(loaded: dt.datetime | None) -> str:
    return "data-" + (loaded.date().isoformat() if loaded else "none")


def observations_name(
    request: ObservationRequest, loaded: dt.datetime | None, suffix: str = ""
) -> str:
    """The file name for an observations selection; `suffix` says when only part is inside."""
    selection = request.selection
    parts = ["observations"]
    if selection.metrics:
        parts.append(
            "_".join(selection.metrics)
            if len(selection.metrics) <= 3
            else f"{len(selection.metrics)}-metrics"
        )
    start, end = request.date_labels
    if start and end:
        parts.append(f"{start}-{end}")
    elif start or end:
        parts.append(f"from-{start}" if start else f"to-{end}")
    for kind, label in (("dimension", selection.dimension), ("category", selection.category)):
        if label:
            parts.append(label_part(kind, label))
    if selection.tiers:
        parts.append("tier-" + "-".join(selection.tiers))
    if not selection.headline_only:
        parts.append("all-rows")
    if suffix:
        parts.append(suffix)
    stem = "_".join(parts)[:MAX_LENGTH]
    return f"{stem}_{data_date(loaded)}.csv"


def dataset_name(dataset: str, loaded: dt.datetime | None, extension: str = "csv") -> str:
    return f"{slug(dataset)}_{data_date(loaded)}.{extension}"


def attachment(file_name: str) -> str:
    """A Content-Disposition value for `file_name` (already ASCII-safe)."""
    return f'attachment; filename="{file_name}"'
