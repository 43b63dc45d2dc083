"""Catalogue: the overview page."""

TEXT: dict[str, dict[str, str]] = {
    "kpi.police_cases": {
        "ko": "딥페이크 성범죄 신고 접수 (경찰)",
        "en": "Sexual-deepfake cases reported to police",
    },
    "kpi.context_recorded": {
        "ko": "다른 집계(발생 건수, 비교 불가): {values}",
        "en": "A different count, crimes recorded (not comparable): {values}",
    },
    "kpi.apprehended": {"ko": "검거 인원 (경찰)", "en": "People apprehended (police)"},
    "kpi.teen_share": {"ko": "피의자 중 10대 비율", "en": "Teenagers' share of suspects"},
    "kpi.kcsc": {
        "ko": "성적 허위영상물 시정요구 (방심위)",
        "en": "Sexual-deepfake correction requests (KCSC)",
    },
    "kpi.adsc": {
        "ko": "디지털성범죄 피해자 지원 (디성센터)",
        "en": "Victims supported (ADSC)",
    },
    "kpi.schools": {
        "ko": "학교 딥페이크 피해 신고 (교육부, 누적)",
        "en": "School deepfake reports (MOE, cumulative)",
    },
    "chart.police_cases_trend": {
        "ko": "경찰 딥페이크 성범죄 건수: 발생(2021~2024년 7월)과 접수(2024년)",
        "en": "Police sexual-deepfake cases: recorded (2021–Jul 2024) and reported (2024)",
    },
    "note.police_counts_differ": {
        "ko": "2021~2023년은 범죄통계의 발생 건수, 2024년은 신고 접수 건수로 서로 다른 집계입니다. "
        "180건 → 1,202건을 같은 기준의 6.7배 증가로 읽으면 안 됩니다.",
        "en": "2021–2023 count crimes recorded; 2024 counts reports received: different counts. "
        "Do not read 180 → 1,202 as a like-for-like 6.7-fold rise.",
    },
    "event.2024-08-28": {"ko": "경찰 집중단속 시작", "en": "Police crackdown begins"},
    "event.2024-09-03": {"ko": "텔레그램 핫라인", "en": "Telegram hotline"},
    "event.2024-10-16": {"ko": "개정법 시행", "en": "Amended law in force"},
    "control.show_events": {"ko": "사건 표시", "en": "Show events"},
}
