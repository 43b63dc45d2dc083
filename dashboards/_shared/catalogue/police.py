"""Catalogue: the police page."""

TEXT: dict[str, dict[str, str]] = {
    "nav.police": {"ko": "경찰", "en": "Police"},
    "police.title": {"ko": "경찰: 사건, 검거, 연령", "en": "Police: cases, arrests and ages"},
    "police.intro": {
        "ko": "경찰청(KNPA) 허위영상물(딥페이크) 범죄 통계입니다. 발생(범죄 기록)과 접수(신고)는 "
        "서로 다른 집계이며, 2024년 10월 16일부터 소지·구입·저장·시청도 처벌 대상입니다.",
        "en": "Police (KNPA) statistics on sexual-deepfake crimes. Crimes recorded and reports "
        "received are different counts, and from 16 October 2024 possessing, buying, "
        "storing and viewing are crimes too.",
    },
    "police.chart.cases": {
        "ko": "딥페이크 성범죄: 발생(2021~2024년 7월)과 신고 접수(2024년)",
        "en": "Sexual-deepfake crimes: recorded (2021–Jul 2024) and reported (2024)",
    },
    "police.chart.apprehended": {"ko": "검거 인원", "en": "People apprehended"},
    "police.chart.detained": {"ko": "구속 인원", "en": "People detained"},
    "police.chart.ages": {
        "ko": "검거 인원의 연령대 (최근 두 기간)",
        "en": "Ages of people apprehended (latest two periods)",
    },
    "police.chart.teen_share": {
        "ko": "피의자 중 10대 비율",
        "en": "Teenagers' share of suspects",
    },
    "police.chart.windows": {
        "ko": "검거 인원: 서로 겹치는 집계 기간 (합산 금지)",
        "en": "People apprehended: overlapping windows (never added up)",
    },
    "police.chart.phases": {
        "ko": "신고 접수: 집중단속 전후",
        "en": "Cases reported: before and during the crackdown",
    },
    "police.note.subgroup": {
        "ko": "촉법소년(10~13세)은 10대에 포함된 하위 집단입니다. 10대에 더하지 마세요.",
        "en": "Aged 10–13 (criminally exempt) is a subgroup inside the teens: "
        "never add it to them.",
    },
    "police.note.share": {
        "ko": "비율은 건수가 아니며 다른 축에 그립니다.",
        "en": "Shares are not counts and are drawn on their own axis.",
    },
    "police.note.windows": {
        "ko": "달력 연도, 특별 집중단속(2024-08-28~2025-03-31), '25 사이버성폭력 집중단속"
        "(2024-11-01~2025-10-31) 등 기간이 서로 겹치므로 막대를 더하면 안 됩니다.",
        "en": "The calendar year, the special crackdown (2024-08-28 to 2025-03-31) and the "
        "'25 cyber sexual violence crackdown (2024-11-01 to 2025-10-31) overlap: "
        "never add these bars together.",
    },
    "event.2024-11-01": {"ko": "'25 사이버성폭력 단속", "en": "'25 cyber crackdown"},
}
