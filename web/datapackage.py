"""The Frictionless data package: every dataset as CSV with its Table Schema, a data dictionary
and a README with citation and attribution, written into a zip without holding rows in memory."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from typing import IO

from sqlalchemy.engine import Engine

from db.queries.selection import ROW_COLUMNS, ObservationFilter, stream_observations
from web.csvout import stream_csv
from web.datasets import registry_rows
from web.fields import DATASETS, Field, names

PACKAGE_NAME = "korea_digital_sex_crime_statistics"
PACKAGE_VERSION = "1"
DICTIONARY_FIELDS: tuple[Field, ...] = (
    Field("column", "string", "Column", "Column name.", "열 이름.", required=True),
    Field(
        "resource",
        "string",
        "Resource",
        "The file (resource) the column is in.",
        "열이 들어 있는 파일(리소스).",
        required=True,
    ),
    Field(
        "description_en",
        "string",
        "Description (English)",
        "What the column holds.",
        "열의 뜻(영어).",
    ),
    Field(
        "description_ko",
        "string",
        "Description (Korean)",
        "What the column holds, in Korean.",
        "열의 뜻(한국어).",
    ),
    Field("type", "string", "Type", "Table Schema type.", "Table Schema 자료형.", required=True),
    Field(
        "unit_notes",
        "string",
        "Unit notes",
        "Unit of the column's values, where it has one.",
        "값의 단위(있는 경우).",
    ),
)
FOREIGN_KEYS = {
    "observations": [
        {"fields": ["metric"], "reference": {"resource": "metrics", "fields": ["metric"]}},
        {"fields": ["source_url"], "reference": {"resource": "sources", "fields": ["source_url"]}},
    ],
    "events": [
        {"fields": ["source_url"], "reference": {"resource": "sources", "fields": ["source_url"]}},
    ],
}
PRIMARY_KEYS = {
    "sources": ["source_url"],
    "metrics": ["metric"],
    "data_dictionary": ["resource", "column"],
}
TITLES = {
    "observations": "Published figures with their sources",
    "events": "Dated events for chart annotations",
    "sources": "Public texts the figures and events were read in",
    "metrics": "Metric registry: names, units, definitions, series breaks",
    "data_dictionary": "Every column of every file, in English and Korean",
}


def field_descriptor(field: Field) -> dict:
    descriptor = {
        "name": field.name,
        "type": field.type,
        "title": field.title,
        "description": field.description_en,
        "description_ko": field.description_ko,
    }
    if field.type == "boolean":
        descriptor.update(trueValues=["true"], falseValues=["false"])
    constraints = {}
    if field.required:
        constraints["required"] = True
    if field.enum:
        constraints["enum"] = list(field.enum)
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def resource_descriptor(name: str, fields: tuple[Field, ...]) -> dict:
    schema: dict = {"fields": [field_descriptor(f) for f in fields], "missingValues": [""]}
    if name in PRIMARY_KEYS:
        schema["primaryKey"] = PRIMARY_KEYS[name]
    if name in FOREIGN_KEYS:
        schema["foreignKeys"] = FOREIGN_KEYS[name]
    return {
        "name": name,
        "path": f"{name}.csv",
        "title": TITLES[name],
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def dictionary_rows() -> list[dict]:
    return [
        {
            "column": f.name,
            "resource": dataset,
            "description_en": f.description_en,
            "description_ko": f.description_ko,
            "type": f.type,
            "unit_notes": f.unit_note,
        }
        for dataset, fields in DATASETS.items()
        for f in fields
    ]


def descriptor(created: dt.datetime, sources: list[dict], public: bool) -> dict:
    """datapackage.json: the package, its sources for attribution, and one resource per file."""
    resources = [resource_descriptor(name, fields) for name, fields in DATASETS.items()]
    resources.append(resource_descriptor("data_dictionary", DICTIONARY_FIELDS))
    view = "public view: verified figures only" if public else "internal view: every figure"
    return {
        "name": PACKAGE_NAME.replace("_", "-"),
        "title": "Digital sex crime and sexual deepfake statistics, South Korea "
        "(디지털 성범죄·딥페이크 통계)",
        "description": "Every published figure on digital sex crimes and sexual deepfakes in "
        "South Korea that this project has read, one figure a row, each with the "
        f"public text it was read in ({view}). See README.md.",
        "version": PACKAGE_VERSION,
        "created": created.isoformat(timespec="seconds") + "Z",
        "keywords": ["deepfake", "digital sex crime", "South Korea", "딥페이크", "디지털 성범죄"],
        "sources": [
            {"title": s["title"] or s["source_url"], "path": s["source_url"]} for s in sources
        ],
        "resources": resources,
    }


def readme(created: dt.datetime, counts: dict[str, int], public: bool) -> str:
    day = created.date().isoformat()
    view = (
        "Public view: figures found only on aggregator or forum sites (unverified) are left out."
        if public
        else "Internal view: unverified figures are included and flagged with is_unverified = true."
    )
    view_ko = (
        "공개판: 재게시·커뮤니티 사이트에서만 확인된(미검증) 수치는 빠져 있습니다."
        if public
        else "내부판: 미검증 수치도 들어 있으며 is_unverified = true로 표시됩니다."
    )
    return f"""# Digital sex crime and sexual deepfake statistics, South Korea — data package

Data as of {day}. {counts["observations"]} figures, {counts["events"]} events,
{counts["sources"]} sources, {counts["metrics"]} metrics. {view}

## What it is

Every figure was read in a public text (press release, wire story, newspaper article, or a
repost of one) at the address in its `source_url`; `sources.csv` describes each text. Figures
are kept as the source published them: this package adds no estimate and sums nothing.

- `observations.csv`: one published figure a row, with its metric, breakdown, reference period,
  value, unit and source. Several texts can give the same figure; every row is kept.
- `events.csv`, `sources.csv`, `metrics.csv`: dated events, the source texts, the metrics.
- `data_dictionary.csv` and `datapackage.json`: every column, typed and described in English and
  Korean (Frictionless Table Schema).

Reading the figures: a row with `is_complete = false` covers part of a period (e.g. January to
July) and compares only with the same months of another year; categories overlap (10–13 is
inside 10–19) and are not to be added; shares are not counts; series breaks are in
`metrics.csv`. Text cells that begin with =, +, -, @ start with a ' so spreadsheets do not run
them.

## Source tiers and the headline rule

Each text has a tier: `official` (the agency's own release), `wire` (news agency), `press`
(newspaper or broadcaster), `aggregator` (forum, repost or summary site). For each figure
(metric, breakdown, period) one row is the headline (`is_headline = true`): the highest tier,
then the latest publication, then the row loaded first. The others are alternates. A figure is
unverified when only aggregator texts give that value.

## How to cite

English: Digital sex crime and sexual deepfake statistics, South Korea (data as of {day}),
compiled from published figures; each figure's source is given in its source_url.

한국어: 디지털 성범죄·딥페이크 통계 (데이터 기준일 {day}), 공개된 발표 수치를 모은 자료이며 각
수치의 출처는 source_url에 있습니다.

Please also cite the original source of any figure you use: its organisation (`source_org`),
title (`source_title`) and address (`source_url`).

---

# 디지털 성범죄·딥페이크 통계 데이터 패키지

데이터 기준일 {day}. 수치 {counts["observations"]}건, 사건 {counts["events"]}건, 출처
{counts["sources"]}곳, 지표 {counts["metrics"]}개. {view_ko}

모든 수치는 `source_url`의 공개 문서(보도자료, 통신 기사, 신문 기사 또는 그 재게시)에서 읽은
것이며, 출처가 발표한 그대로 담았습니다. 출처 등급은 official(공식 발표), wire(통신사),
press(언론), aggregator(재게시·커뮤니티)이며, 같은 수치(지표·구분·기간)마다 등급이 가장 높고
가장 최근에 발표된 행 하나가 대표 행(`is_headline = true`)입니다. `is_complete = false`인 행은
기간 일부의 수치이므로 다른 해의 같은 기간하고만 비교하십시오. 구분 집단은 서로 겹칠 수
있으므로 더하지 마십시오. 열 설명은 `data_dictionary.csv`에 있습니다.
"""


def _csv_entry(
    archive: zipfile.ZipFile,
    name: str,
    columns: list[str],
    chunks: Iterable[list[dict]],
    stamp: tuple,
) -> int:
    """Write one CSV into the archive chunk by chunk; return its number of rows."""
    rows = 0

    def counted() -> Iterator[list[dict]]:
        nonlocal rows
        for chunk in chunks:
            rows += len(chunk)
            yield chunk

    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w") as entry:
        for block in stream_csv(columns, counted(), encoding="utf-8"):
            entry.write(block)
    return rows


def build_zip(engine: Engine, include_unverified: bool, loaded: dt.datetime | None) -> IO[bytes]:
    """The package as a zip in a temporary file (spilled to disk past a few megabytes),
    rewound and ready to read."""
    created = loaded or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    stamp = created.timetuple()[:6]
    file = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (returned)
    counts: dict[str, int] = {}
    sources = registry_rows(engine, "sources", include_unverified)
    with zipfile.ZipFile(file, "w") as archive:
        selection = ObservationFilter(headline_only=False, include_unverified=include_unverified)
        counts["observations"] = _csv_entry(
            archive, "observations.csv", ROW_COLUMNS, stream_observations(engine, selection), stamp
        )
        for dataset in ("events", "sources", "metrics"):
            rows = (
                sources
                if dataset == "sources"
                else registry_rows(engine, dataset, include_unverified)
            )
            counts[dataset] = _csv_entry(
                archive, f"{dataset}.csv", names(DATASETS[dataset]), [rows], stamp
            )
        _csv_entry(
            archive, "data_dictionary.csv", names(DICTIONARY_FIELDS), [dictionary_rows()], stamp
        )
        for name, text in (
            (
                "datapackage.json",
                json.dumps(
                    descriptor(created, sources, not include_unverified),
                    ensure_ascii=False,
                    indent=2,
                ),
            ),
            ("README.md", readme(created, counts, not include_unverified)),
        ):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    file.seek(0)
    return file
