"""Catalogue: login, logout, the local single-user banner, refusals and the admin page."""

TEXT: dict[str, dict[str, str]] = {
    "auth.local_banner": {
        "ko": "로컬 단일 사용자 모드: 사용자가 없어 로그인이 꺼져 있습니다. "
        "`python -m etl users add`로 사용자를 만드세요.",
        "en": "Local single-user mode: no users exist, so login is off. "
        "Create one with `python -m etl users add`.",
    },
    "auth.signed_in_as": {"ko": "{user} 님 ({role})", "en": "Signed in as {user} ({role})"},
    "auth.role.analyst": {"ko": "분석가", "en": "analyst"},
    "auth.role.admin": {"ko": "관리자", "en": "admin"},
    "auth.logout": {"ko": "로그아웃", "en": "Log out"},
    "auth.account": {"ko": "계정", "en": "Account"},
    "auth.forbidden.title": {"ko": "권한이 없습니다", "en": "Not allowed"},
    "auth.forbidden.text": {
        "ko": "이 페이지는 관리자 역할이 있는 사용자만 볼 수 있습니다.",
        "en": "This page is only for users with the admin role.",
    },
    "auth.bad_request.title": {"ko": "요청을 처리할 수 없습니다", "en": "Request refused"},
    "auth.bad_request.text": {
        "ko": "양식이 만료되었거나 쿠키가 막혀 있습니다. 페이지를 다시 열고 시도하세요.",
        "en": "The form has expired or cookies are blocked. Open the page again and retry.",
    },
    "auth.back": {"ko": "개요로 돌아가기", "en": "Back to the overview"},
    "login.title": {"ko": "로그인", "en": "Log in"},
    "login.intro": {
        "ko": "내부 열람(미확인 수치, 적재 기록 포함)에는 로그인이 필요합니다.",
        "en": "The internal view (with unverified figures and load history) needs a login.",
    },
    "login.username": {"ko": "사용자 이름", "en": "User name"},
    "login.password": {"ko": "비밀번호", "en": "Password"},
    "login.submit": {"ko": "로그인", "en": "Log in"},
    "login.failed": {
        "ko": "사용자 이름 또는 비밀번호가 맞지 않습니다.",
        "en": "Wrong user name or password.",
    },
    "login.throttled": {
        "ko": "로그인 실패가 너무 많습니다. {minutes}분 뒤에 다시 시도하세요.",
        "en": "Too many failed logins. Try again in {minutes} minutes.",
    },
    "login.no_users": {
        "ko": "아직 사용자가 없습니다. 서버에서 `python -m etl users add 이름 --role admin`으로 "
        "만드세요.",
        "en": "No user exists yet. Create one on the server with "
        "`python -m etl users add NAME --role admin`.",
    },
    "nav.admin": {"ko": "관리", "en": "Admin"},
    "admin.title": {"ko": "관리: 적재 기록", "en": "Admin: load history"},
    "admin.intro": {
        "ko": "최근 ETL 실행과 거부된 행입니다. 명령줄의 `python -m etl status`와 같은 내용입니다.",
        "en": "Recent ETL runs and rejected rows, as `python -m etl status` shows them.",
    },
    "admin.runs": {"ko": "최근 ETL 실행", "en": "Recent ETL runs"},
    "admin.runs_caption": {
        "ko": "최근 ETL 실행 {count}건 (최신순)",
        "en": "The {count} most recent ETL runs, newest first",
    },
    "admin.no_runs": {"ko": "아직 ETL 실행 기록이 없습니다.", "en": "No ETL run yet."},
    "admin.rejected": {"ko": "거부된 행", "en": "Rejected rows"},
    "admin.rejected_caption": {
        "ko": "거부된 행 {count}개 (최신순)",
        "en": "{count} rejected rows, newest first",
    },
    "admin.no_rejected": {
        "ko": "거부된 행이 없습니다 (`load --skip-invalid`로 적재할 때만 보관됩니다).",
        "en": "No rejected rows (they are kept only by `load --skip-invalid`).",
    },
    "admin.not_found": {"ko": "페이지를 찾을 수 없습니다.", "en": "Page not found."},
    "admin.col.run": {"ko": "실행", "en": "Run"},
    "admin.col.file": {"ko": "파일", "en": "File"},
    "admin.col.kind": {"ko": "종류", "en": "Kind"},
    "admin.col.finished": {"ko": "완료 시각 (UTC)", "en": "Finished (UTC)"},
    "admin.col.read": {"ko": "읽은 행", "en": "Rows read"},
    "admin.col.loaded": {"ko": "적재", "en": "Loaded"},
    "admin.col.superseded": {"ko": "대체", "en": "Superseded"},
    "admin.col.rejected": {"ko": "거부", "en": "Rejected"},
    "admin.col.outcome": {"ko": "결과", "en": "Outcome"},
    "admin.col.row": {"ko": "행", "en": "Row"},
    "admin.col.column": {"ko": "열", "en": "Column"},
    "admin.col.reason": {"ko": "사유", "en": "Reason"},
}
