"""The published columns of every dataset, described once in English and Korean.

The API, the CSV downloads, the data package's Table Schemas, its data dictionary and the API
page all read these lists, so a column is named, typed and explained the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.schema import DATE_PRECISIONS, TIERS


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema type: string, number, integer, boolean, date
    title: str
    description_en: str
    description_ko: str
    unit_note: str = ""
    required: bool = False
    enum: tuple[str, ...] = ()


OBSERVATION_FIELDS: tuple[Field, ...] = (
    Field(
        "metric",
        "string",
        "Metric",
        "Metric id; metrics.csv defines it.",
        "지표 ID. 정의는 metrics.csv에 있습니다.",
        required=True,
    ),
    Field(
        "dimension",
        "string",
        "Breakdown dimension",
        "What the figure is broken down by (e.g. age_group, platform); empty for a total.",
        "세부 구분 기준(예: age_group, platform). 전체 합계는 빈 값입니다.",
    ),
    Field(
        "category",
        "string",
        "Category",
        "The group within the dimension (e.g. 10s), or total. Groups overlap (10-13 is inside "
        "10-19) and must not be added up.",
        "구분 기준 안의 집단(예: 10s) 또는 total. 집단끼리 겹칠 수 있어(10~13세는 10대에 포함) "
        "더하면 안 됩니다.",
        required=True,
    ),
    Field(
        "period_start",
        "date",
        "Period start",
        "First day of the reference period; empty when the source gave no start.",
        "기준 기간의 첫날. 출처에 시작일이 없으면 빈 값입니다.",
    ),
    Field(
        "period_end",
        "date",
        "Period end",
        "Last day of the reference period (for a running total, the day it was counted to); "
        "empty when the source gave no end.",
        "기준 기간의 마지막 날(누계는 집계 기준일). 출처에 종료일이 없으면 빈 값입니다.",
    ),
    Field(
        "is_complete",
        "boolean",
        "Complete period",
        "true for a whole period (a year, a month); false for year-to-date and other partial "
        "periods, which compare only with the same months of another year.",
        "기간 전체(연간, 월간)이면 true, 연초 대비 누계 등 일부 기간이면 false. 일부 기간 수치는 "
        "다른 해의 같은 기간하고만 비교할 수 있습니다.",
        required=True,
    ),
    Field(
        "value",
        "number",
        "Value",
        "The figure as the source published it, in the row's unit.",
        "출처가 발표한 그대로의 수치(단위는 unit).",
        "in the row's unit: see unit and units",
        required=True,
    ),
    Field(
        "unit",
        "string",
        "Unit",
        "What the value counts: cases, persons, items, reports, percent... Counts of "
        "different units are different quantities; shares are not counts.",
        "수치의 단위: 건, 명, 건(게시물), 신고, % 등. 단위가 다르면 다른 양이며, 비율은 건수가 "
        "아닙니다.",
        required=True,
    ),
    Field(
        "is_approximate",
        "boolean",
        "Approximate",
        "true when the source gave the figure as approximate (about N).",
        "출처가 근삿값(약 N)으로 발표했으면 true.",
        required=True,
    ),
    Field(
        "is_lower_bound",
        "boolean",
        "Lower bound",
        "true when the source gave the figure as a floor (at least N, more than N).",
        "출처가 하한값(N 이상, N여 건)으로 발표했으면 true.",
        required=True,
    ),
    Field(
        "is_headline",
        "boolean",
        "Headline row",
        "true for the one row per figure chosen by the headline rule (official before wire "
        "before press before aggregator, then the latest publication); false for alternates.",
        "같은 수치를 전한 여러 출처 가운데 대표 규칙(공식 발표 > 통신사 > 언론 > 재게시 사이트, "
        "다음으로 최신 발표)으로 고른 한 행이면 true, 나머지(대안 출처)는 false.",
        required=True,
    ),
    Field(
        "is_unverified",
        "boolean",
        "Unverified",
        "true when only aggregator or forum sites give this value; never true in the public view.",
        "재게시·커뮤니티 사이트에서만 확인된 수치이면 true. 공개 열람에서는 나오지 않습니다.",
        required=True,
    ),
    Field(
        "source_org",
        "string",
        "Source organisation",
        "The organisation that produced the figure (e.g. Korean National Police Agency).",
        "수치를 만든 기관(예: 경찰청).",
        required=True,
    ),
    Field(
        "source_title",
        "string",
        "Source title",
        "Title of the public text the figure was read in.",
        "수치를 읽은 공개 문서의 제목.",
        required=True,
    ),
    Field(
        "source_url",
        "string",
        "Source URL",
        "Address of the public text the figure was read in; sources.csv describes it.",
        "수치를 읽은 공개 문서의 주소. sources.csv에 설명이 있습니다.",
        required=True,
    ),
    Field(
        "publisher",
        "string",
        "Publisher",
        "Who published that text (ministry, newspaper...).",
        "그 문서를 낸 곳(부처, 언론사 등).",
    ),
    Field(
        "tier",
        "string",
        "Source tier",
        "Reliability tier of the text: official, wire, press or aggregator.",
        "문서의 신뢰 등급: official(공식), wire(통신사), press(언론), aggregator(재게시).",
        required=True,
        enum=TIERS,
    ),
    Field(
        "published_date",
        "string",
        "Published",
        "When the text was published, as precise as known: YYYY, YYYY-MM, YYYY-MM-DD or unknown.",
        "문서 발표일(알려진 정밀도대로): YYYY, YYYY-MM, YYYY-MM-DD 또는 unknown.",
    ),
    Field(
        "notes",
        "string",
        "Notes",
        "What the source says about the figure, and caveats.",
        "수치에 대한 출처의 설명과 유의 사항.",
    ),
)

EVENT_FIELDS: tuple[Field, ...] = (
    Field(
        "date_text",
        "string",
        "Date as published",
        "The date as the source gave it: 2020, 2019-09, 2024-08-28 or a range start/end.",
        "출처가 적은 그대로의 날짜: 2020, 2019-09, 2024-08-28 또는 시작/끝 범위.",
        required=True,
    ),
    Field(
        "date_precision",
        "string",
        "Date precision",
        "year, month, day, range or unknown.",
        "날짜 정밀도: year, month, day, range, unknown.",
        required=True,
        enum=DATE_PRECISIONS,
    ),
    Field(
        "date_start",
        "date",
        "Earliest date",
        "First day the date can mean.",
        "그 날짜가 가리킬 수 있는 첫날.",
        required=True,
    ),
    Field(
        "date_end",
        "date",
        "Latest date",
        "Last day the date can mean.",
        "그 날짜가 가리킬 수 있는 마지막 날.",
        required=True,
    ),
    Field("description", "string", "Event", "What happened.", "일어난 일.", required=True),
    Field(
        "source_url",
        "string",
        "Source URL",
        "Public text the event was read in.",
        "사건을 읽은 공개 문서의 주소.",
        required=True,
    ),
)

SOURCE_FIELDS: tuple[Field, ...] = (
    Field(
        "source_url",
        "string",
        "Source URL",
        "Address of the public text.",
        "공개 문서의 주소.",
        required=True,
    ),
    Field("title", "string", "Title", "Title of the text.", "문서 제목.", required=True),
    Field("publisher", "string", "Publisher", "Who published it.", "발행처.", required=True),
    Field(
        "published_date",
        "string",
        "Published",
        "YYYY, YYYY-MM, YYYY-MM-DD or unknown.",
        "발표일: YYYY, YYYY-MM, YYYY-MM-DD 또는 unknown.",
        required=True,
    ),
    Field(
        "language",
        "string",
        "Language",
        "Language of the text (ko, en).",
        "문서 언어(ko, en).",
        required=True,
    ),
    Field(
        "tier",
        "string",
        "Tier",
        "official, wire, press or aggregator.",
        "신뢰 등급: official, wire, press, aggregator.",
        required=True,
        enum=TIERS,
    ),
    Field(
        "original_publisher",
        "string",
        "Original publisher",
        "For a copy or report of another text: who published the original.",
        "다른 문서를 옮기거나 보도한 경우 원문 발행처.",
    ),
    Field("original_title", "string", "Original title", "Title of that original.", "원문 제목."),
    Field("original_url", "string", "Original URL", "Address of that original.", "원문 주소."),
    Field(
        "notes",
        "string",
        "Notes",
        "Notes on the text and its reliability.",
        "문서와 신뢰도에 대한 메모.",
    ),
)

METRIC_FIELDS: tuple[Field, ...] = (
    Field(
        "metric",
        "string",
        "Metric id",
        "Stable id of the series.",
        "계열의 고정 ID.",
        required=True,
    ),
    Field(
        "agency",
        "string",
        "Agency",
        "Agency whose statistic it is.",
        "통계를 내는 기관.",
        required=True,
    ),
    Field(
        "theme",
        "string",
        "Theme",
        "Dashboard theme the metric belongs to.",
        "지표가 속한 대시보드 주제.",
        required=True,
    ),
    Field("name_en", "string", "Name (English)", "Name in English.", "영어 이름.", required=True),
    Field("name_ko", "string", "Name (Korean)", "Name in Korean.", "한국어 이름.", required=True),
    Field("unit", "string", "Unit", "Unit id of its values.", "값의 단위 ID.", required=True),
    Field("unit_name_en", "string", "Unit (English)", "Unit name in English.", "단위 영어 이름."),
    Field("unit_name_ko", "string", "Unit (Korean)", "Unit name in Korean.", "단위 한국어 이름."),
    Field(
        "unit_kind",
        "string",
        "Unit kind",
        "count, share, rate, amount or duration.",
        "단위 종류: count, share, rate, amount, duration.",
    ),
    Field(
        "definition_en",
        "string",
        "Definition (English)",
        "What the series counts.",
        "계열이 세는 것(영어).",
    ),
    Field(
        "definition_ko",
        "string",
        "Definition (Korean)",
        "What the series counts, in Korean.",
        "계열이 세는 것(한국어).",
    ),
    Field(
        "breaks_en",
        "string",
        "Series breaks (English)",
        "Changes in definition or scope that break the series.",
        "계열을 끊는 정의·범위 변경(영어).",
    ),
    Field(
        "breaks_ko",
        "string",
        "Series breaks (Korean)",
        "The same in Korean.",
        "계열을 끊는 정의·범위 변경(한국어).",
    ),
)

DATASETS: dict[str, tuple[Field, ...]] = {
    "observations": OBSERVATION_FIELDS,
    "events": EVENT_FIELDS,
    "sources": SOURCE_FIELDS,
    "metrics": METRIC_FIELDS,
}


def names(fields: tuple[Field, ...]) -> list[str]:
    return [f.name for f in fields]
