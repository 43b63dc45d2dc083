"""Catalogue: the request-log pages (volume, platform scorecard, backlog, victims) and codes."""

PLATFORM = {
    "telegram": ("텔레그램", "Telegram"),
    "x": ("X(트위터)", "X (Twitter)"),
    "instagram": ("인스타그램", "Instagram"),
    "facebook": ("페이스북", "Facebook"),
    "youtube": ("유튜브", "YouTube"),
    "adult_site": ("성인 사이트", "Adult sites"),
    "p2p": ("P2P·웹하드", "P2P and webhards"),
    "search_engine": ("검색 엔진", "Search engines"),
    "other": ("기타", "Other"),
    "all": ("모든 플랫폼", "All platforms"),
}
CHANNEL = {
    "hotline": ("상담 전화", "Hotline"),
    "web": ("온라인 신고", "Web form"),
    "police": ("경찰 의뢰", "Police referral"),
    "school": ("학교", "School"),
    "platform_report": ("플랫폼 신고", "Platform report"),
}
CONTENT_TYPE = {
    "deepfake": ("허위영상물(딥페이크)", "Sexual deepfake"),
    "illegal_filming": ("불법촬영물", "Illegal filming"),
    "csam": ("아동·청소년 성착취물", "Child sexual abuse material"),
    "other": ("기타", "Other"),
}
OUTCOME = {
    "removed": ("삭제", "Removed"),
    "blocked": ("접속 차단", "Blocked"),
    "refused": ("거부", "Refused"),
    "no_response": ("무응답", "No response"),
    "pending": ("처리 중", "Pending"),
}
AGE = {
    "under14": ("14세 미만", "Under 14"),
    "14_19": ("14~19세", "14–19"),
    "20s": ("20대", "20s"),
    "30s": ("30대", "30s"),
    "40s": ("40대", "40s"),
    "50_plus": ("50세 이상", "50 and over"),
    "unknown": ("미상", "Unknown"),
}
GENDER = {"female": ("여성", "Female"), "male": ("남성", "Male"), "unknown": ("미상", "Unknown")}
REGION = {
    "seoul": ("서울", "Seoul"),
    "busan": ("부산", "Busan"),
    "daegu": ("대구", "Daegu"),
    "incheon": ("인천", "Incheon"),
    "gwangju": ("광주", "Gwangju"),
    "daejeon": ("대전", "Daejeon"),
    "ulsan": ("울산", "Ulsan"),
    "sejong": ("세종", "Sejong"),
    "gyeonggi": ("경기", "Gyeonggi"),
    "gangwon": ("강원", "Gangwon"),
    "chungbuk": ("충북", "North Chungcheong"),
    "chungnam": ("충남", "South Chungcheong"),
    "jeonbuk": ("전북", "North Jeolla"),
    "jeonnam": ("전남", "South Jeolla"),
    "gyeongbuk": ("경북", "North Gyeongsang"),
    "gyeongnam": ("경남", "South Gyeongsang"),
    "jeju": ("제주", "Jeju"),
    "unknown": ("미상", "Unknown"),
}
DIMENSION = {
    "total": ("전체", "Total"),
    "platform": ("플랫폼", "Platform"),
    "channel": ("접수 경로", "Channel"),
    "content_type": ("콘텐츠 유형", "Content type"),
    "outcome": ("처리 결과", "Outcome"),
    "victim_age_group": ("피해자 연령대", "Victim's age group"),
    "victim_gender": ("피해자 성별", "Victim's gender"),
    "region": ("지역", "Region"),
}

TEXT: dict[str, dict[str, str]] = {
    **{
        f"requests.{group}.{code}": {"ko": ko, "en": en}
        for group, table in (
            ("platform", PLATFORM),
            ("channel", CHANNEL),
            ("content_type", CONTENT_TYPE),
            ("outcome", OUTCOME),
            ("victim_age_group", AGE),
            ("victim_gender", GENDER),
            ("region", REGION),
            ("dimension", DIMENSION),
        )
        for code, (ko, en) in table.items()
    },
    "nav.requests_volume": {"ko": "요청 추이", "en": "Request volume"},
    "nav.requests_scorecard": {"ko": "플랫폼 대응", "en": "Platform scorecard"},
    "nav.requests_backlog": {"ko": "미처리 요청", "en": "Pending backlog"},
    "nav.requests_victims": {"ko": "요청 피해자", "en": "Victims in requests"},
    "requests.grain.day": {"ko": "일별", "en": "Daily"},
    "requests.grain.week": {"ko": "주별(월요일 시작)", "en": "Weekly (from Monday)"},
    "requests.grain.month": {"ko": "월별", "en": "Monthly"},
    "requests.control.grain": {"ko": "집계 단위", "en": "Period"},
    "requests.control.platform": {"ko": "플랫폼", "en": "Platform"},
    "requests.control.by": {"ko": "나눠 보기", "en": "Break down by"},
    "requests.control.from": {"ko": "시작 월", "en": "From month"},
    "requests.control.to": {"ko": "끝 월", "en": "To month"},
    "requests.control.month": {"ko": "기준 월", "en": "Month"},
    "requests.control.measure": {"ko": "추이 지표", "en": "Trend of"},
    "requests.control.all": {"ko": "전체", "en": "All"},
    "requests.control.none": {"ko": "나누지 않음", "en": "No breakdown"},
    "requests.measure.requests": {"ko": "접수 요청 수", "en": "Requests received"},
    "requests.measure.share_actioned_pct": {
        "ko": "조치 비율(삭제·차단, %)",
        "en": "Share actioned (removed or blocked, %)",
    },
    "requests.measure.share_no_response_pct": {
        "ko": "무응답 비율(%)",
        "en": "Share with no response (%)",
    },
    "requests.measure.median_hours": {
        "ko": "조치까지 걸린 시간 중앙값(시간)",
        "en": "Median hours to action",
    },
    "requests.measure.p90_hours": {
        "ko": "조치까지 걸린 시간 90백분위(시간)",
        "en": "90th percentile hours to action",
    },
    "requests.unit.requests": {"ko": "요청 건수", "en": "requests"},
    "requests.unit.percent": {"ko": "%", "en": "percent"},
    "requests.unit.hours": {"ko": "시간", "en": "hours"},
    "requests.col.period": {"ko": "기간", "en": "Period"},
    "requests.col.category": {"ko": "구분", "en": "Category"},
    "requests.col.platform": {"ko": "플랫폼", "en": "Platform"},
    "requests.col.requests": {"ko": "요청 수", "en": "Requests"},
    "requests.col.synthetic": {"ko": "그중 합성", "en": "Of which synthetic"},
    "requests.col.share_actioned": {"ko": "조치 비율", "en": "Share actioned"},
    "requests.col.share_no_response": {"ko": "무응답 비율", "en": "Share no response"},
    "requests.col.median_hours": {"ko": "중앙값(시간)", "en": "Median hours"},
    "requests.col.p90_hours": {"ko": "90백분위(시간)", "en": "P90 hours"},
    "requests.col.pending": {"ko": "미처리 요청", "en": "Pending requests"},
    "requests.col.waiting": {"ko": "대기 기간", "en": "Waiting"},
    "requests.col.value": {"ko": "값", "en": "Value"},
    "requests.band": {"ko": "{low}~{high}일", "en": "{low}–{high} days"},
    "requests.band_open": {"ko": "{low}일 이상", "en": "{low} days or more"},
    "requests.synthetic_label": {
        "ko": "합성 데이터 · Synthetic data",
        "en": "Synthetic data · 합성 데이터",
    },
    "requests.synthetic_banner": {
        "ko": "이 차트의 요청 {total}건 중 {synthetic}건은 시연·시험용으로 생성한 합성 기록이며 "
        "실제 요청이 아닙니다. 공개 화면에는 나오지 않습니다.",
        "en": "{synthetic} of the {total} requests in this chart are synthetic records generated "
        "for demos and tests, not real requests. The public view never shows them.",
    },
    "requests.empty": {
        "ko": "요청 기록이 적재되지 않았습니다. `python -m etl load 파일`로 적재하세요.",
        "en": "No request log is loaded. Load one with `python -m etl load FILE`.",
    },
    "requests.public_empty": {
        "ko": "공개할 수 있는 실제 요청 기록이 없습니다(합성 데이터는 공개하지 않습니다).",
        "en": "There is no real request log to publish (synthetic data is never published).",
    },
    "requests.internal_only": {
        "ko": "이 화면은 내부용이며 공개 화면에서는 볼 수 없습니다.",
        "en": "This page is internal: it is not part of the public view.",
    },
    "requests.source": {
        "ko": "요청 기록 {files} (마지막 적재 {loaded})",
        "en": "Request log {files} (last loaded {loaded})",
    },
    "requests.source_publisher": {
        "ko": "삭제·지원 요청 기록(기록 단위 자료)",
        "en": "Takedown and assistance request log (record-level)",
    },
    "requests.note.rollup": {
        "ko": "요청을 접수한 날(한국 시간) 기준으로 셉니다. 처리 결과는 가장 최근 적재 기준입니다.",
        "en": "Requests are counted by the day they were received (Korea time); outcomes are as "
        "of the latest load.",
    },
    "requests.note.shares": {
        "ko": "조치 비율과 무응답 비율의 분모는 결과가 난 요청(처리 중 제외)입니다. 조치 시간은 "
        "삭제·차단된 요청의 접수부터 조치까지 시간이며, 접수한 달에 셉니다.",
        "en": "Shares are of requests with an outcome (pending excluded). Hours to action run "
        "from receipt to removal or blocking, counted in the month the request was received.",
    },
    "requests.note.suppressed": {
        "ko": "피해자 식별을 막기 위해 1~{top}건인 칸은 '<{threshold}'로, 합계에서 역산되지 않도록 "
        "함께 가린 칸은 'suppressed'로 표시하고 차트에서는 비워 둡니다({count}칸). 요청이 "
        "{threshold}건 미만인 비율과 시간은 싣지 않습니다.",
        "en": "To protect victims, counts from 1 to {top} show as '<{threshold}', and cells hidden "
        "so that those cannot be worked out from the totals show as 'suppressed'; charts leave "
        "them as gaps ({count} cells). Shares and hours resting on fewer than {threshold} "
        "requests are not published.",
    },
    "requests.note.recent_pending": {
        "ko": "최근 달은 처리 중인 요청이 많아 비율과 시간이 달라질 수 있습니다.",
        "en": "Recent months still hold many pending requests: their shares and hours may change.",
    },
    "requests.note.backlog": {
        "ko": "{as_of} 기준(기록의 마지막 접수일), 아직 결과가 없는 요청을 접수 후 지난 "
        "기간별로 셉니다.",
        "en": "As of {as_of} (the last day in the log): requests without an outcome, by how long "
        "they have waited since receipt.",
    },
    "requests.note.demographics": {
        "ko": "피해자 정보는 요청 접수 시 기록된 값이며 한 피해자가 여러 번 요청할 수 있습니다.",
        "en": "Victim details are as recorded with each request; one victim may make several "
        "requests.",
    },
    "requests.volume.title": {
        "ko": "삭제·지원 요청 추이",
        "en": "Takedown and assistance requests",
    },
    "requests.volume.intro": {
        "ko": "기관이 접수한 삭제·지원 요청을 기록 단위로 모아 집계했습니다.",
        "en": "Takedown and assistance requests an agency received, counted from its record-level "
        "log.",
    },
    "requests.volume.public_intro": {
        "ko": "기록 단위 요청 자료를 월별·플랫폼별로 집계해 공개합니다. 작은 수는 가립니다.",
        "en": "Requests from the record-level log, published by month and platform, with small "
        "counts hidden.",
    },
    "requests.chart.volume": {"ko": "접수된 요청 수", "en": "Requests received"},
    "requests.chart.volume_public": {
        "ko": "월별 접수 요청 수(플랫폼별)",
        "en": "Requests received per month, by platform",
    },
    "requests.chart.volume_total": {
        "ko": "월별 접수 요청 수(모든 플랫폼)",
        "en": "Requests received per month, all platforms",
    },
    "requests.scorecard.title": {"ko": "플랫폼 대응 성적표", "en": "Platform scorecard"},
    "requests.scorecard.intro": {
        "ko": "플랫폼별로 요청을 얼마나, 얼마나 빨리 처리했는지 보여 줍니다.",
        "en": "How much of what was asked each platform removed or blocked, and how fast.",
    },
    "requests.chart.scorecard": {
        "ko": "{month} 플랫폼별 대응",
        "en": "Platform responses, {month}",
    },
    "requests.chart.trend": {"ko": "월별 추이: {measure}", "en": "Trend by month: {measure}"},
    "requests.backlog.title": {"ko": "미처리 요청", "en": "Pending requests"},
    "requests.backlog.intro": {
        "ko": "아직 결과가 나오지 않은 요청이 얼마나 오래 기다렸는지 보여 줍니다.",
        "en": "How long the requests still without an outcome have been waiting.",
    },
    "requests.chart.backlog": {"ko": "대기 기간별 미처리 요청", "en": "Pending requests by age"},
    "requests.chart.backlog_platform": {
        "ko": "플랫폼별 미처리 요청",
        "en": "Pending requests by platform",
    },
    "requests.victims.title": {"ko": "요청 피해자", "en": "Victims in the requests"},
    "requests.victims.intro": {
        "ko": "요청에 기록된 피해자의 연령대, 성별, 지역입니다.",
        "en": "The age group, gender and region recorded for the victim of each request.",
    },
    "requests.chart.victim_age_group": {"ko": "피해자 연령대", "en": "Victims' age groups"},
    "requests.chart.victim_gender": {"ko": "피해자 성별", "en": "Victims' gender"},
    "requests.chart.region": {"ko": "지역", "en": "Region"},
    "requests.chart.content_type": {"ko": "콘텐츠 유형", "en": "Content type"},
}
