"""Catalogue: comparisons on headline cards."""

TEXT: dict[str, dict[str, str]] = {
    "compare.previous_year": {"ko": "전년 대비", "en": "vs previous year"},
    "compare.same_months": {"ko": "전년 같은 기간 대비", "en": "vs same months a year earlier"},
    "compare.previous_snapshot": {"ko": "직전 집계 대비", "en": "since the previous count"},
    "compare.no_previous_year": {
        "ko": "비교 불가: 이 계열에 전년 수치가 없습니다",
        "en": "Not comparable: this series has no figure for the previous year",
    },
    "compare.no_same_months": {
        "ko": "비교 불가: 전년 같은 기간의 수치가 없습니다 (부분 기간은 전체 연도와 비교하지 않음)",
        "en": "Not comparable: no figure for the same months a year earlier "
        "(a partial period is never set against a full year)",
    },
    "compare.break": {
        "ko": "비교 불가: 그 사이 집계 기준이 바뀌었습니다",
        "en": "Not comparable: the definition changed in between",
    },
    "compare.zero_base": {"ko": "비교 불가: 기준 값이 0입니다", "en": "Not comparable: zero base"},
    "compare.unknown_period": {
        "ko": "비교 불가: 기간이 알려지지 않았습니다",
        "en": "Not comparable: the period is unknown",
    },
    "compare.scope_caveat": {
        "ko": "⚠ {date} 처벌 범위가 넓어져 이후 수치는 더 많은 행위를 포함합니다.",
        "en": "⚠ The offence widened on {date}: later counts cover more conduct.",
    },
    "compare.first_snapshot": {"ko": "첫 집계", "en": "First count"},
    "compare.change_pct": {"ko": "{sign}{value:.1f}%", "en": "{sign}{value:.1f}%"},
    "compare.change_pp": {"ko": "{sign}{value:.1f}%p", "en": "{sign}{value:.1f} pp"},
    "compare.change_abs": {"ko": "{sign}{value:,.0f}", "en": "{sign}{value:,.0f}"},
    "compare.previous": {"ko": "{period}: {value}", "en": "{period}: {value}"},
}
