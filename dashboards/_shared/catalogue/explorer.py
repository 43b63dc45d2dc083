"""Catalogue: the data explorer."""

TEXT: dict[str, dict[str, str]] = {
    "nav.explorer": {"ko": "데이터 탐색", "en": "Data explorer"},
    "explorer.title": {"ko": "데이터 탐색", "en": "Data explorer"},
    "explorer.intro": {
        "ko": "차트 뒤의 모든 수치를 봅니다. 한 수치를 여러 출처가 보도했다면 대표값과 다른 값을 "
        "나란히 보여 주며, 값이 서로 다르면 '불일치'로 표시합니다.",
        "en": "Every figure behind the charts. Where several sources report a figure, the "
        "headline and the alternates stand side by side; differing values are marked "
        "as a conflict.",
    },
    "explorer.all": {"ko": "전체", "en": "All"},
    "explorer.metric": {"ko": "지표", "en": "Metric"},
    "explorer.source": {"ko": "출처", "en": "Source"},
    "explorer.tier": {"ko": "출처 등급", "en": "Source tier"},
    "explorer.from": {"ko": "시작 연도", "en": "From year"},
    "explorer.to": {"ko": "끝 연도", "en": "To year"},
    "explorer.dimension": {"ko": "세부 구분", "en": "Breakdown"},
    "explorer.no_breakdown": {"ko": "합계만", "en": "Totals only"},
    "explorer.view": {"ko": "보기", "en": "View"},
    "explorer.view_keys": {
        "ko": "수치별 (대표값과 다른 값)",
        "en": "By figure (headline and alternates)",
    },
    "explorer.view_rows": {"ko": "출처별 모든 행", "en": "Every row, one per source"},
    "explorer.summary": {"ko": "행 {rows}개, 수치 {keys}개", "en": "{rows} rows, {keys} figures"},
    "explorer.download": {"ko": "이 선택을 CSV로 내려받기", "en": "Download this selection as CSV"},
    "explorer.conflict": {"ko": "불일치", "en": "Conflict"},
    "explorer.conflict_col": {"ko": "출처 간 차이", "en": "Sources differ"},
    "explorer.headline": {"ko": "대표값", "en": "Headline"},
    "explorer.alternate": {"ko": "다른 출처", "en": "Alternate"},
    "explorer.role": {"ko": "구분", "en": "Role"},
    "explorer.previous": {"ko": "← 이전", "en": "← Previous"},
    "explorer.next": {"ko": "다음 →", "en": "Next →"},
    "explorer.page": {"ko": "{pages}쪽 중 {page}쪽", "en": "Page {page} of {pages}"},
    "explorer.pages": {"ko": "쪽 이동", "en": "Pages"},
    "col.notes": {"ko": "비고", "en": "Notes"},
}
