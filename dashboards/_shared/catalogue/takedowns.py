"""Catalogue: the takedowns and platforms page (KCSC, Telegram, platform transparency reports)."""

TEXT: dict[str, dict[str, str]] = {
    "nav.takedowns": {"ko": "삭제·차단과 플랫폼", "en": "Takedowns and platforms"},
    "takedowns.title": {"ko": "삭제·차단과 플랫폼", "en": "Takedowns and platforms"},
    "takedowns.intro": {
        "ko": "방송통신심의위원회(방심위)가 성적 허위영상물과 디지털성범죄정보에 내린 시정요구"
        "(접속 차단·삭제), 텔레그램과의 협력 경과, 대형 플랫폼이 투명성 보고서에 밝힌 "
        "신고·처리 건수입니다. 방심위 수치는 게시물·URL 건수이며 범죄나 피해자 수가 "
        "아닙니다.",
        "en": "Correction requests (access blocking or deletion) that the Korea Communications "
        "Standards Commission (KCSC) issued against sexual deepfakes and all digital sex "
        "crime content, the record of cooperation with Telegram, and what large platforms "
        "report receiving and removing in their transparency reports. KCSC figures count "
        "items (URLs, posts, videos), not crimes or victims.",
    },
    "takedowns.section.kcsc": {"ko": "방심위 시정요구", "en": "KCSC correction requests"},
    "takedowns.section.telegram": {"ko": "텔레그램", "en": "Telegram"},
    "takedowns.section.platforms": {
        "ko": "플랫폼 투명성 보고서",
        "en": "Platform transparency reports",
    },
    "takedowns.chart.deepfake_trend": {
        "ko": "성적 허위영상물 시정요구 (방심위, 연도별)",
        "en": "Sexual-deepfake correction requests by year (KCSC)",
    },
    "takedowns.chart.deepfake_part_years": {
        "ko": "성적 허위영상물 시정요구: 연중 일부 기간 (같은 달끼리만 비교)",
        "en": "Sexual-deepfake correction requests in part-year periods "
        "(compare only the same months)",
    },
    "takedowns.chart.deepfake_monthly": {
        "ko": "성적 허위영상물 시정요구: 공개된 월별 수치",
        "en": "Sexual-deepfake correction requests: published monthly figures",
    },
    "takedowns.chart.dsc_trend": {
        "ko": "디지털성범죄정보 전체 시정요구 (방심위, 연도별)",
        "en": "All digital-sex-crime correction requests by year (KCSC)",
    },
    "takedowns.chart.telegram": {
        "ko": "방심위의 텔레그램 요청과 텔레그램의 삭제",
        "en": "KCSC requests to Telegram and Telegram's removals",
    },
    "takedowns.chart.platforms": {
        "ko": "플랫폼이 받은 신고와 삭제·차단한 건수 (방통위 투명성 보고서)",
        "en": "Reports received and items removed or blocked by platforms "
        "(KCC transparency reports)",
    },
    "takedowns.note.items": {
        "ko": "시정요구는 방심위가 게시물·URL·영상의 접속 차단이나 삭제를 결정한 건수로, 범죄 "
        "건수나 피해자 수가 아닙니다. 대부분은 접속 차단입니다(2025년 1~7월 15,808건 중 "
        "15,806건).",
        "en": "A correction request is KCSC's decision to block access to, or delete, an item "
        "(URL, post or video): these count items, not crimes or victims. Almost all are "
        "access blocks (15,806 of the 15,808 in Jan–Jul 2025).",
    },
    "takedowns.note.part_years": {
        "ko": "연중 일부 기간의 수치는 다른 해의 같은 달과만 비교합니다: 2021년 1분기와 2022년 "
        "1분기, 2024년 1~7월과 2025년 1~7월. 연간 수치와 기간이 겹치므로 더하지 않습니다.",
        "en": "A part-year count is compared only with the same months of another year: Q1 2021 "
        "with Q1 2022, Jan–Jul 2024 with Jan–Jul 2025. These periods overlap the annual "
        "totals: never add them.",
    },
    "takedowns.note.monthly": {
        "ko": "월별 수치는 2024년 8월 딥페이크 사태 직후의 두 달만 공개되었습니다. 연간 수치에 "
        "포함되어 있으므로 더하지 않습니다.",
        "en": "Monthly figures were published only for the two months after the August 2024 "
        "deepfake outbreak. They are part of the annual total: never add them to it.",
    },
    "takedowns.note.dsc_subset": {
        "ko": "성적 허위영상물은 디지털성범죄정보의 일부이므로 두 계열을 더하지 않습니다. 2021년 "
        "수치는 찾지 못했고, 2022년은 상반기 수치만 있습니다(같은 기간인 2023년 상반기는 "
        "30,100건).",
        "en": "Sexual deepfakes are a subset of digital sex crime information: never add the two "
        "series. No 2021 figure was found, and 2022 has only a first-half figure (compare "
        "it with the first half of 2023: 30,100).",
    },
    "takedowns.note.telegram": {
        "ko": "방심위가 텔레그램에 보낸 요청(연간·연중 일부)과 텔레그램이 삭제한 건수는 서로 다른 "
        "집계이고 기간이 겹칩니다. 더하지 않습니다. 2024년 9월 3~27일의 148은 삭제 요청 "
        "건수이며, 텔레그램은 148건 모두 이행했다고 밝혔습니다.",
        "en": "KCSC's requests to Telegram (a year, part-years) and the items Telegram removed "
        "are different counts over overlapping periods: never add them. The 148 for "
        "3–27 September 2024 are deletion requests, all of which Telegram said it met.",
    },
    "takedowns.note.platforms": {
        "ko": "투명성 보고서 수치는 대형 온라인 사업자들이 신고받고 처리했다고 보고한 "
        "불법촬영물·성적 허위영상물·아동성착취물을 합친 것으로, 방심위 시정요구와 비교할 "
        "수 없습니다. 보고한 사업자 수가 해마다 다르므로(표의 구분 열) 연도 간 비교에 "
        "주의하세요.",
        "en": "Transparency-report figures are what large online service providers report "
        "receiving and handling, and they combine illegal filming, sexual deepfakes and "
        "child sexual abuse material: they are not comparable with KCSC decisions. The "
        "number of reporting providers differs by year (see the Category column), so "
        "compare years with care.",
    },
    "takedowns.telegram.heading": {
        "ko": "텔레그램 관련 주요 경과",
        "en": "Telegram milestones",
    },
    "takedowns.telegram.language_note": {
        "ko": "사건 설명은 데이터에 영어로만 기록되어 있습니다. 한국어 요약 아래에 출처의 영문 "
        "설명을 그대로 싣습니다.",
        "en": "Each milestone is described as published in the event list, with a link to the "
        "text it was read from.",
    },
    "takedowns.telegram.original": {"ko": "영문 원문", "en": "As published"},
    "takedowns.telegram.source": {"ko": "출처", "en": "Source"},
    "takedowns.telegram.empty": {
        "ko": "텔레그램 관련 사건이 없습니다.",
        "en": "There are no Telegram milestones to show.",
    },
    # Korean summaries of the Telegram events, keyed by the event's date text
    "takedowns.telegram.2020-02/2020-08": {
        "ko": "경찰, n번방 수사 중 텔레그램에 수사 협조 요청 이메일 7건 발송; 회신 없음",
        "en": "Police send Telegram 7 cooperation emails in the Nth Room probe; none answered",
    },
    "takedowns.telegram.2024-08-27": {
        "ko": "방심위 긴급회의: 딥페이크 전용 신고 배너, 모니터링 인력 2배 확대, 텔레그램 "
        "핫라인 추진",
        "en": "KCSC emergency meeting: deepfake report banner, double monitoring staff, seek a "
        "Telegram hotline",
    },
    "takedowns.telegram.2024-09-02": {
        "ko": "경찰, 딥페이크 범죄 방조 혐의로 텔레그램 내사 착수",
        "en": "Police open a preliminary investigation into Telegram for aiding deepfake crimes",
    },
    "takedowns.telegram.2024-09-03": {
        "ko": "텔레그램, 방심위가 9월 1일 긴급 요청한 25건을 모두 삭제하고 사과; 전용 이메일"
        "(핫라인) 제공",
        "en": "Telegram deletes all 25 items KCSC urgently requested, apologises and opens a "
        "hotline",
    },
    "takedowns.telegram.2024-09-27": {
        "ko": "방심위-텔레그램 첫 대면 회의: 텔레그램 무관용 약속, 9월 3일 이후 삭제 요청 148건 "
        "모두 이행",
        "en": "First KCSC–Telegram meeting: zero tolerance pledged; all 148 deletion requests "
        "since 3 Sept met",
    },
    "takedowns.telegram.2024-10": {
        "ko": "텔레그램, 한국 경찰의 자료 요청에 응답 시작 (2025년 6월까지 응답률 95% 이상 보도)",
        "en": "Telegram begins answering Korean police data requests (95%+ reported by June 2025)",
    },
    "event.2024-08-27": {
        "ko": "대통령 엄정 대응 지시·방심위 긴급회의",
        "en": "Crackdown ordered; KCSC emergency meeting",
    },
    "cat.none.81_providers": {"ko": "81개 사업자", "en": "81 providers"},
    "cat.none.90_providers": {"ko": "90개 사업자", "en": "90 providers"},
    "cat.none.providers": {"ko": "사업자 (수 미상)", "en": "Providers (number not stated)"},
}
