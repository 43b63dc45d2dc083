"""Validation: every rule for every layout, reporting all problems at once as FILE:ROW: column:
reason. Column rules are pandera checks; the values that pass are normalised for loading."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from db.schema import DATE_PRECISIONS, TIERS
from etl import kinds
from etl.dates import parse_fuzzy, parse_iso_day
from etl.readers import ROW_NUMBER, Table

UNIT_QUALIFIERS = ("_approx", "_at_least")
THEMES = ("police", "takedowns", "victims", "schools", "other")
UNIT_KINDS = ("count", "share", "rate", "amount", "duration")
BREAK_KINDS = ("definition", "scope", "renaming")
LANGUAGES = ("ko", "en")
FIGURE_KEY = ("metric", "dimension", "category", "period_start", "period_end", "source_url")
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$", re.ASCII)
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$|^-?\.\d+$", re.ASCII)
# a footnote mark after a number, as tables print them: 297*, 180 ※, 45†, 297¹, 180①, 12주1)
_FOOTNOTE = re.compile(r"^[0-9][0-9,.]*\s*([*†‡※]+|[¹²³⁰-⁹]+|[①-⑳]|\(?주\d*\))$")
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
LARGEST_EXACT = 2**53  # floats hold every whole number below this exactly
_KEEP_CONTROLS = {"\t", "\n", "\r"}
_URL = re.compile(r"^https?://[^\s/]+\S*$")
_WIDE = "::"  # separates the column from the reason in dataframe-wide checks


@dataclass(frozen=True)
class Problem:
    file_name: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file_name}:{self.row}: {self.column}: {self.reason}"


@dataclass
class Registry:
    """What the registries know: from the database plus the registry files in the same run."""

    units: set[str] = field(default_factory=set)
    unit_kinds: dict[str, str] = field(default_factory=dict)
    metrics: set[str] = field(default_factory=set)
    source_urls: set[str] = field(default_factory=set)


def split_unit(unit: str) -> tuple[str, bool, bool]:
    """`percent_approx` -> (`percent`, approximate, not lower bound)."""
    if unit.endswith("_approx"):
        return unit[: -len("_approx")], True, False
    if unit.endswith("_at_least"):
        return unit[: -len("_at_least")], False, True
    return unit, False, False


def normalise_number(text: str) -> str:
    """Full-width digits become ASCII and `6,434` becomes `6434`; anything else is unchanged.

    Only full-width forms are mapped: superscripts, circled digits and other scripts' digits
    stay as they are and are refused (`297¹` is 297 with a footnote, never 2971)."""
    text = text.translate(_FULL_WIDTH).strip()
    if _GROUPED_NUMBER.match(text):
        text = text.replace(",", "")
    return text


def parse_value(text: str) -> float:
    normal = normalise_number(text)
    if not _PLAIN_NUMBER.match(normal):
        raise ValueError(normal)
    value = float(normal)
    if not math.isfinite(value):
        raise ValueError(normal)
    return value


def footnote_mark(text: str) -> str | None:
    """The footnote mark after a number (`297*` -> `*`), or None."""
    match = _FOOTNOTE.match(text.translate(_FULL_WIDTH).strip())
    return match.group(1) if match else None


def _ok(fn) -> bool:
    try:
        fn()
        return True
    except (ValueError, TypeError):
        return False


def _check(fn, reason: str) -> pa.Check:
    return pa.Check(
        lambda v: _ok(lambda: fn(v)) and fn(v) is not False, element_wise=True, error=reason
    )


def _not_empty(name: str) -> pa.Check:
    return pa.Check(lambda v: v != "", element_wise=True, error=f"{name} is empty")


def _one_of(values: tuple[str, ...]) -> pa.Check:
    return pa.Check(
        lambda v: v in values, element_wise=True, error=f"must be one of: {', '.join(values)}"
    )


def _register_hint(what: str, where: str) -> str:
    return f"unknown {what}: register it first by adding a row to {where} and loading that file"


def _day_or_unknown(v: str) -> bool:
    return v == "unknown" or (v.isascii() and bool(parse_iso_day(v)))


def _published(v: str) -> bool:
    return v.isascii() and parse_fuzzy(v, allow_unknown=True).precision in DATE_PRECISIONS


def _column(*checks: pa.Check) -> pa.Column:
    return pa.Column(str, list(checks), nullable=False)


def figure_schema(registry: Registry) -> pa.DataFrameSchema:
    def known_unit(v: str) -> bool:
        return split_unit(v)[0] in registry.units

    def value_number(v: str) -> bool:
        return v == "" or _ok(lambda: parse_value(v)) or footnote_mark(v) is not None

    def not_negative(v: str) -> bool:
        return not _ok(lambda: parse_value(v)) or parse_value(v) >= 0

    def exact(v: str) -> bool:
        return not _ok(lambda: parse_value(v)) or abs(parse_value(v)) < LARGEST_EXACT

    def end_not_before_start(frame: pd.DataFrame) -> pd.Series:
        def row_ok(start: str, end: str) -> bool:
            if not (_ok(lambda: parse_iso_day(start)) and _ok(lambda: parse_iso_day(end))):
                return True  # reported by the column checks (or unknown)
            return parse_iso_day(end) >= parse_iso_day(start)

        return pd.Series(
            [row_ok(s, e) for s, e in zip(frame["period_start"], frame["period_end"])],
            index=frame.index,
        )

    def percent_in_range(frame: pd.DataFrame) -> pd.Series:
        def row_ok(value: str, unit: str) -> bool:
            base = split_unit(unit)[0]
            if registry.unit_kinds.get(base) != "share" or not _ok(lambda: parse_value(value)):
                return True
            return 0 <= parse_value(value) <= 100

        return pd.Series(
            [row_ok(v, u) for v, u in zip(frame["value"], frame["unit"])], index=frame.index
        )

    return pa.DataFrameSchema(
        {
            "metric": _column(
                _not_empty("metric"),
                pa.Check(
                    lambda v: v == "" or v in registry.metrics,
                    element_wise=True,
                    error=_register_hint("metric", "data/metrics.csv"),
                ),
            ),
            "dimension": _column(),
            "category": _column(_not_empty("category (use 'total' for a total)")),
            "period_start": _column(
                _check(_day_or_unknown, "not a valid date: use YYYY-MM-DD or 'unknown'")
            ),
            "period_end": _column(
                _check(_day_or_unknown, "not a valid date: use YYYY-MM-DD or 'unknown'")
            ),
            "period_complete": _column(_one_of(("yes", "no"))),
            "value": _column(
                _not_empty("value"),
                pa.Check(
                    value_number,
                    element_wise=True,
                    error="not a number (write digits only, e.g. 6434; mark rounded "
                    "figures with an _approx unit)",
                ),
                pa.Check(
                    lambda v: footnote_mark(v) is None,
                    element_wise=True,
                    error="a footnote mark is not part of the number: write the number alone "
                    "and the footnote's text in notes",
                ),
                pa.Check(not_negative, element_wise=True, error="negative value"),
                pa.Check(
                    exact,
                    element_wise=True,
                    error=f"too large to store exactly (the most is {LARGEST_EXACT - 1:,})",
                ),
            ),
            "unit": _column(
                _not_empty("unit"),
                pa.Check(
                    lambda v: v == "" or known_unit(v),
                    element_wise=True,
                    error=_register_hint("unit", "data/units.csv"),
                ),
            ),
            "source_org": _column(_not_empty("source_org")),
            "source_title": _column(_not_empty("source_title")),
            "source_url": _column(*_source_url_checks(registry)),
            "published_date": _column(
                _check(_published, "not a date: use YYYY, YYYY-MM, YYYY-MM-DD or 'unknown'")
            ),
            "notes": pa.Column(str, required=False),
        },
        checks=[
            pa.Check(end_not_before_start, error=f"period_end{_WIDE}ends before period_start"),
            pa.Check(percent_in_range, error=f"value{_WIDE}a percent must be between 0 and 100"),
        ],
    )


def _source_url_checks(registry: Registry) -> list[pa.Check]:
    return [
        _not_empty("source_url"),
        pa.Check(
            lambda v: v == "" or bool(_URL.match(v)), element_wise=True, error="not an http(s) URL"
        ),
        pa.Check(
            lambda v: not _URL.match(v) or v in registry.source_urls,
            element_wise=True,
            error=_register_hint("source", "data/sources.csv (with its tier)"),
        ),
    ]


def event_schema(registry: Registry) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "date": _column(
                _check(
                    lambda v: v.isascii() and parse_fuzzy(v, allow_range=True),
                    "not a date: use YYYY, YYYY-MM, YYYY-MM-DD or a range START/END",
                )
            ),
            "event": _column(_not_empty("event")),
            "source_url": _column(*_source_url_checks(registry)),
        }
    )


def source_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "source_url": _column(
                _not_empty("source_url"),
                pa.Check(
                    lambda v: bool(_URL.match(v)), element_wise=True, error="not an http(s) URL"
                ),
            ),
            "title": _column(_not_empty("title")),
            "publisher": _column(_not_empty("publisher")),
            "published_date": _column(
                _check(_published, "not a date: use YYYY, YYYY-MM, YYYY-MM-DD or 'unknown'")
            ),
            "language": _column(_one_of(LANGUAGES)),
            "tier": _column(_one_of(TIERS)),
            **{c: pa.Column(str, required=False) for c in kinds.SOURCES.optional},
        }
    )


def metric_schema(registry: Registry) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "metric": _column(
                pa.Check(
                    lambda v: bool(re.match(r"^[a-z][a-z0-9_]*$", v)),
                    element_wise=True,
                    error="metric names are snake_case (a-z, 0-9, _)",
                )
            ),
            "agency": _column(_not_empty("agency")),
            "theme": _column(_one_of(THEMES)),
            "name_en": _column(_not_empty("name_en")),
            "name_ko": _column(_not_empty("name_ko")),
            "unit": _column(
                pa.Check(
                    lambda v: v in registry.units,
                    element_wise=True,
                    error=_register_hint("unit", "data/units.csv"),
                )
            ),
            "definition_en": _column(_not_empty("definition_en")),
            "definition_ko": _column(_not_empty("definition_ko")),
            **{c: pa.Column(str, required=False) for c in kinds.METRICS.optional},
        }
    )


def unit_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "unit": _column(
                pa.Check(
                    lambda v: bool(re.match(r"^[A-Za-z][A-Za-z0-9_]*$", v)),
                    element_wise=True,
                    error="unit names are letters, digits and _",
                ),
                pa.Check(
                    lambda v: split_unit(v)[0] == v,
                    element_wise=True,
                    error="register the base unit; _approx and _at_least are qualifiers",
                ),
            ),
            "name_en": _column(_not_empty("name_en")),
            "name_ko": _column(_not_empty("name_ko")),
            "kind": _column(_one_of(UNIT_KINDS)),
        }
    )


def break_schema(registry: Registry) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "metric": _column(
                pa.Check(
                    lambda v: v in registry.metrics,
                    element_wise=True,
                    error=_register_hint("metric", "data/metrics.csv"),
                )
            ),
            "break_date": _column(_check(parse_iso_day, "not a valid date: use YYYY-MM-DD")),
            "kind": _column(_one_of(BREAK_KINDS)),
            "label_en": _column(_not_empty("label_en")),
            "label_ko": _column(_not_empty("label_ko")),
            "source_url": _column(*_source_url_checks(registry)),
        }
    )


def schema_for(kind: kinds.FileKind, registry: Registry) -> pa.DataFrameSchema:
    builders = {
        "figures": lambda: figure_schema(registry),
        "events": lambda: event_schema(registry),
        "sources": source_schema,
        "metrics": lambda: metric_schema(registry),
        "units": unit_schema,
        "series_breaks": lambda: break_schema(registry),
    }
    return builders[kind.name]()


UNIQUE_KEYS: dict[str, tuple[tuple[str, ...], str]] = {
    "figures": (FIGURE_KEY, "repeats row {first}: same metric, breakdown, period and source"),
    "events": (("date", "event"), "repeats row {first}: same date and event"),
    "sources": (("source_url",), "repeats row {first}: a source URL is registered once"),
    "metrics": (("metric",), "repeats row {first}: a metric is registered once"),
    "units": (("unit",), "repeats row {first}: a unit is registered once"),
    "series_breaks": (("metric", "break_date", "kind"), "repeats row {first}: same break"),
}


def header_problems(table: Table, kind: kinds.FileKind | None) -> list[Problem]:
    if kind is not None and table.frame.empty:
        return [Problem(table.name, 1, "-", f"the {kind.label} file has a header but no rows")]
    if kind is None:
        return [
            Problem(
                table.name,
                1,
                "-",
                "the header matches no known layout (" + kinds.layouts_help() + ")",
            )
        ]
    problems = [
        Problem(table.name, 1, c, f"required column is missing from the {kind.label}")
        for c in kind.required
        if c not in table.columns
    ]
    problems += [
        Problem(
            table.name,
            1,
            c,
            f"unknown column for the {kind.label} (expected: {', '.join(kind.columns)})",
        )
        for c in table.columns
        if c not in kind.columns
    ]
    return problems


def repeated_rows(table: Table, kind: kinds.FileKind) -> list[Problem]:
    key, template = UNIQUE_KEYS[kind.name]
    frame = table.frame
    first_seen: dict[tuple, int] = {}
    problems = []
    column = key[-1] if kind.name != "figures" else "-"
    for values, row in zip(frame[list(key)].itertuples(index=False), frame[ROW_NUMBER]):
        if values in first_seen:
            problems.append(
                Problem(table.name, int(row), column, template.format(first=first_seen[values]))
            )
        else:
            first_seen[values] = int(row)
    return problems


def _character_problem(text: str) -> str | None:
    """Why a cell's characters cannot be trusted, or None: text decoded with the wrong
    encoding, a byte-order mark inside the file, or control and invisible characters."""
    if "\ufffd" in text:
        return (
            "holds U+FFFD replacement characters, left where text was once decoded with the "
            "wrong encoding: export the file again from the original"
        )
    if text.isprintable():
        return None
    if "\ufeff" in text:
        return "holds a byte-order mark (U+FEFF) inside the file: were two files joined? remove it"
    for char in text:
        if char not in _KEEP_CONTROLS and unicodedata.category(char) in ("Cc", "Cf", "Co", "Cn"):
            return f"holds a control or invisible character (U+{ord(char):04X}): remove it"
    return None


def character_problems(table: Table) -> list[Problem]:
    """A problem for every cell whose characters cannot be trusted (see `_character_problem`)."""
    problems = []
    frame = table.frame
    for column in table.columns:
        for value, row in zip(frame[column], frame[ROW_NUMBER]):
            reason = isinstance(value, str) and _character_problem(value)
            if reason:
                problems.append(Problem(table.name, int(row), column, reason))
    return problems


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def validate_table(table: Table, kind: kinds.FileKind, registry: Registry) -> list[Problem]:
    """Every row problem in one file whose header fits `kind`, sorted by row."""
    problems: list[Problem] = []
    frame = table.frame
    schema = schema_for(kind, registry)
    try:
        schema.validate(frame.drop(columns=[ROW_NUMBER]), lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        seen = set()
        for case in cases.itertuples(index=False):
            if pd.isna(case.index):
                problems.append(Problem(table.name, 1, str(case.column), str(case.check)))
                continue
            row = int(frame[ROW_NUMBER].iloc[int(case.index)])
            column, reason = str(case.column), str(case.check)
            if _WIDE in reason:
                column, reason = reason.split(_WIDE, 1)
            elif isinstance(case.failure_case, str) and case.failure_case:
                reason = f"{reason} (got {_shorten(case.failure_case)!r})"
            if (row, column, reason) not in seen:
                seen.add((row, column, reason))
                problems.append(Problem(table.name, row, column, reason))
    problems += repeated_rows(table, kind)
    problems += character_problems(table)
    return sorted(problems, key=lambda p: (p.row, p.column))
