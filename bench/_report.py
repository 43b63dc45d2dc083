"""What every benchmark prints and keeps: a table of figures, each beside the baseline measured
in the same run on the same data, the ratio between them and the target it is held to, and the
same rows as JSON under bench/results/ (NAME.json for a full run, NAME.quick.json for --quick).

    from bench._report import Figure, report
    report("ingest", quick, [Figure("SQLite ingest", "rows/s", ours, baseline, higher=True,
                                    target=2.5)], notes={"rows": 1_000_000})

A ratio is always "how many times better ours is": ours/baseline when higher is better,
baseline/ours when lower is better. A target is a minimum ratio (`target`) or a bound on our
own figure (`limit`, with `higher` telling which side is good).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import statistics
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Figure:
    name: str
    unit: str
    ours: float
    baseline: float | None = None
    higher: bool = True  # is a larger figure better?
    target: float | None = None  # minimum ratio against the baseline
    limit: float | None = None  # bound on our own figure (a floor when higher, else a ceiling)
    baseline_name: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.ours or not self.baseline:
            return None
        return self.ours / self.baseline if self.higher else self.baseline / self.ours

    @property
    def met(self) -> bool | None:
        checks = []
        if self.target is not None and self.ratio is not None:
            checks.append(self.ratio >= self.target)
        if self.limit is not None:
            checks.append(self.ours >= self.limit if self.higher else self.ours <= self.limit)
        return all(checks) if checks else None

    def goal(self) -> str:
        parts = []
        if self.target is not None:
            parts.append(f"≥{self.target:g}x")
        if self.limit is not None:
            parts.append(f"{'≥' if self.higher else '≤'}{self.limit:g} {self.unit}")
        return ", ".join(parts)


def number(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:,.1f}"
    return f"{value:,.3g}"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile (0-100) with linear interpolation, as numpy's default."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * share / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def peak_rss_mb(children: bool = False) -> float:
    """Peak resident memory of this process (or of its waited-for children), in MB."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "processor": platform.machine(),
    }


def render(title: str, figures: list[Figure]) -> str:
    header = ("figure", "unit", "ours", "baseline", "ratio", "target", "met")
    rows = [
        (
            f.name,
            f.unit,
            number(f.ours),
            number(f.baseline) + (f" ({f.baseline_name})" if f.baseline_name else ""),
            "-" if f.ratio is None else f"{f.ratio:,.2f}x",
            f.goal() or "-",
            {True: "yes", False: "NO", None: "-"}[f.met],
        )
        for f in figures
    ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([f"== {title}", line(header), line(["-" * w for w in widths])]
                     + [line(r) for r in rows])


def report(name: str, quick: bool, figures: list[Figure], notes: dict | None = None) -> Path:
    """Print the table and write it as JSON; returns the JSON file's path."""
    print(render(f"{name}{' (quick)' if quick else ''}", figures), flush=True)
    for key, value in (notes or {}).items():
        print(f"   {key}: {value}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}{'.quick' if quick else ''}.json"
    document = {
        "benchmark": name,
        "quick": quick,
        "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "notes": notes or {},
        "figures": [
            {**asdict(f), "ratio": f.ratio, "met": f.met, "goal": f.goal()} for f in figures
        ],
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"   written: {path.relative_to(RESULTS.parent.parent)}")
    return path
