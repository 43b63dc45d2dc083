"""Catalogue: the schools and military page (MOE weekly snapshots, MND and NGO counts)."""

TEXT: dict[str, dict[str, str]] = {
    "nav.schools": {"ko": "학교와 군", "en": "Schools and the military"},
    "schools.title": {"ko": "학교와 군", "en": "Schools and the military"},
    "schools.intro": {
        "ko": "교육부가 2024년 8월 말부터 11월 초까지 매주 발표한 학교 딥페이크 피해 신고·"
        "피해자 누적 집계와, 군에서 따로 파악된 피해 수치입니다. 교육부 수치는 2024년 1월 "
        "1일부터 학교·교육청을 통해 접수된 신고의 누적값이며, 디성센터나 방심위에 직접 한 "
        "신고는 빠져 있습니다.",
        "en": "The Ministry of Education's weekly cumulative counts of school deepfake reports "
        "and victims (late August to early November 2024), and the separate counts from "
        "the military. MOE figures are running totals since 1 January 2024 of reports made "
        "through schools and education offices; direct reports to ADSC or KCSC are not "
        "included.",
    },
    "schools.section.schools": {
        "ko": "학교 (교육부 주간 누적 집계)",
        "en": "Schools (MOE weekly cumulative counts)",
    },
    "schools.section.military": {"ko": "군", "en": "The military"},
    "schools.chart.reports": {
        "ko": "학교 딥페이크 피해 신고 (누적)",
        "en": "School deepfake reports (cumulative)",
    },
    "schools.chart.victims": {
        "ko": "학교 딥페이크 피해자 (누적)",
        "en": "School deepfake victims (cumulative)",
    },
    "schools.chart.victim_type": {
        "ko": "피해자 유형별: 학생·교사·교직원 (누적)",
        "en": "Victims by type: students, teachers, staff (cumulative)",
    },
    "schools.chart.school_level": {
        "ko": "학교급별 신고 (누적)",
        "en": "Reports by school level (cumulative)",
    },
    "schools.chart.military": {
        "ko": "군 딥페이크 피해: 수시 집계",
        "en": "Deepfake harm in the military: ad hoc counts",
    },
    "schools.note.cumulative": {
        "ko": "각 점은 2024년 1월 1일부터 그 날짜까지의 누적값입니다. 주마다 새로 생긴 수가 "
        "아니므로 주간 수치를 더하지 마세요. 가장 최근 값이 그때까지의 합계입니다.",
        "en": "Each point is the running total from 1 January 2024 to that date. The weeks are "
        "not new counts: never add them; the latest point is the total so far.",
    },
    "schools.note.reports_victims": {
        "ko": "신고 한 건에 피해자가 여러 명일 수 있어 신고 수와 피해자 수는 다릅니다.",
        "en": "One report can involve several victims, so reports and victims differ.",
    },
    "schools.note.last_count": {
        "ko": "찾은 마지막 집계는 2024년 11월 8일이며, 2024년 연말이나 2025년 수치는 없습니다.",
        "en": "The last count found is 8 November 2024; there is no year-end 2024 or 2025 figure.",
    },
    "schools.note.military": {
        "ko": "국방부 TF가 파악한 피해자 수(2024년 8월 28일부터 누적)와 민간 군성폭력상담소에 "
        "직접 들어온 신고(2024년 9월)는 한두 번 발표된 수시 집계로, 계열이 아닙니다. "
        "집계 주체와 단위가 다르므로 더하거나 추세로 읽지 마세요.",
        "en": "The Ministry of National Defense task force's count of victims identified "
        "(cumulative from 28 August 2024) and the reports made directly to an NGO "
        "counselling centre (September 2024) are one-off counts, not a series. Different "
        "counters and units: do not add them or read a trend into them.",
    },
}
