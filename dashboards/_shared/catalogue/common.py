"""Catalogue: interface text shared by every page (navigation, app title, common columns)."""

TEXT: dict[str, dict[str, str]] = {
    "app.title": {
        "ko": "디지털 성범죄·딥페이크 통계",
        "en": "Digital sex crime & deepfake statistics",
    },
    "app.tagline": {
        "ko": "공개된 모든 수치를 출처와 함께 보여 줍니다.",
        "en": "Every published figure, with its source.",
    },
    "nav.main": {"ko": "주 메뉴", "en": "Main navigation"},
    "data.unreadable.title": {
        "ko": "지금은 통계를 읽을 수 없습니다",
        "en": "The statistics cannot be read right now",
    },
    "data.unreadable.text": {
        "ko": "데이터베이스를 읽지 못했습니다. 잠시 후 다시 열어 주세요. "
        "문제가 이어지면 운영자에게 알려 주세요(원인은 서버 기록에 남아 있습니다).",
        "en": "The database could not be read. Please open the page again in a while; "
        "if it goes on, tell the operator (the cause is in the server's log).",
    },
    "nav.overview": {"ko": "개요", "en": "Overview"},
    "nav.language": {"ko": "English", "en": "한국어"},
    "nav.language_label": {"ko": "언어", "en": "Language"},
    "overview.heading": {"ko": "적재된 통계", "en": "Loaded statistics"},
    "overview.loaded": {
        "ko": "수치 {observations}건, 사건 {events}건, 출처 {sources}곳, 지표 {metrics}개",
        "en": "{observations} figures, {events} events, {sources} sources, {metrics} metrics",
    },
    "overview.last_load": {"ko": "마지막 적재: {when}", "en": "Last load: {when}"},
    "overview.empty": {
        "ko": "데이터베이스가 비어 있습니다. `python -m etl load data/`로 적재하세요.",
        "en": "The database is empty. Load it with `python -m etl load data/`.",
    },
    "col.metric": {"ko": "지표", "en": "Metric"},
    "col.agency": {"ko": "기관", "en": "Agency"},
    "col.rows": {"ko": "수치 수", "en": "Figures"},
    "col.first": {"ko": "처음", "en": "From"},
    "col.last": {"ko": "마지막", "en": "To"},
    "public.badge": {"ko": "공개 열람 전용", "en": "Public read-only view"},
}
