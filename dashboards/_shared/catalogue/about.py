"""Catalogue: the about page (what the product is, methods, definitions, sources, citing)."""

TEXT: dict[str, dict[str, str]] = {
    "nav.about": {"ko": "정보·방법론", "en": "About and methods"},
    "about.title": {"ko": "정보·방법론", "en": "About and methods"},
    "about.intro": {
        "ko": (
            "이 대시보드는 한국의 디지털 성범죄, 특히 성적 딥페이크(허위영상물)에 관한 공표 "
            "통계를 모읍니다. 경찰청, 방송미디어통신심의위원회(방심위), "
            "디지털성범죄피해자지원센터(디성센터), 교육부, 국방부, 플랫폼이 각자 다른 단위와 "
            "기간으로 수치를 발표합니다. 모든 수치를 출처와 함께 적재하고, 출처끼리 값이 다르면 "
            "아래 규칙에 따라 헤드라인 수치 하나를 고르되 나머지도 함께 보여 줍니다."
        ),
        "en": (
            "This dashboard collects the published statistics on digital sex crimes in South "
            "Korea, above all sexually explicit deepfakes. The police (KNPA), the communications "
            "standards regulator (KCSC), the digital sex crime victim support centre (ADSC), the "
            "Ministry of Education, the military and the platforms each publish figures in their "
            "own units and periods. Every figure is loaded with its source; where sources "
            "disagree, one figure is chosen as the headline by the rule below and the others stay "
            "visible."
        ),
    },
    "about.intro_charts": {
        "ko": (
            "차트는 부분 기간과 계열 단절을 표시하고, 겹치는 기간을 더하지 않으며, 변화를 설명할 "
            "수 있는 정책 사건을 함께 보여 줍니다. 모든 수치는 출처와 함께 CSV로 내려받거나 API로 "
            "조회할 수 있습니다."
        ),
        "en": (
            "Charts mark partial periods and series breaks, never add overlapping windows, and "
            "annotate the policy events that may explain a shift. Every figure can be downloaded "
            "as CSV with its source, or read through the API."
        ),
    },
    "about.view_public": {
        "ko": "지금 보고 있는 화면은 공개 열람 전용입니다. 검증된 공표 수치만 보여 줍니다.",
        "en": "This is the public read-only view: it shows verified published figures only.",
    },
    "about.view_internal": {
        "ko": "지금 보고 있는 화면은 내부용입니다. 미검증 수치도 표시를 붙여 보여 줍니다.",
        "en": "This is the internal view: unverified figures are shown too, with a mark.",
    },
    "about.toc": {"ko": "이 페이지의 내용", "en": "On this page"},
    # What is loaded
    "about.h.loaded": {"ko": "적재된 데이터", "en": "What is loaded"},
    "about.loaded": {
        "ko": (
            "수치 {figures}건, 사건 {events}건, 출처 {sources}곳, 지표 {metrics}개, 계열 단절 "
            "{breaks}건."
        ),
        "en": (
            "{figures} figures, {events} events, {sources} sources, {metrics} metrics and "
            "{breaks} series breaks."
        ),
    },
    "about.loaded_unverified": {
        "ko": "이 가운데 미검증 수치 {unverified}건은 내부 화면에서만 보입니다.",
        "en": "Of these figures, {unverified} are unverified and shown only in the internal view.",
    },
    "about.last_load": {"ko": "마지막 적재: ", "en": "Last load: "},
    "about.never_loaded": {
        "ko": "아직 적재된 데이터가 없습니다.",
        "en": "Nothing has been loaded yet.",
    },
    # Methods
    "about.h.methods": {"ko": "방법론", "en": "Methods"},
    "about.m.headline.h": {"ko": "헤드라인 수치 선택 규칙", "en": "The headline rule"},
    "about.m.headline.intro": {
        "ko": (
            "같은 수치를 여러 출처가 보도하고, 때로는 값이 서로 다릅니다. 지표, 구분(차원과 "
            "범주), 기간 시작일과 종료일이 같은 수치마다 헤드라인 행을 하나만 고릅니다."
        ),
        "en": (
            "Several sources often report the same figure, and sometimes disagree. For each key "
            "(metric, breakdown dimension and category, period start and period end) exactly one "
            "row is the headline:"
        ),
    },
    "about.m.headline.tiers": {
        "ko": (
            "출처 등급이 가장 높은 행: 공식 발표(기관·부처·국회의원 자료 원문) → 통신사(연합뉴스, "
            "뉴시스, 뉴스1) → 언론(신문, 방송) → 재게시(커뮤니티 게시물, 요약, 미러, 스팸 복제) "
            "순입니다."
        ),
        "en": (
            "the row from the highest source tier: official (the agency's, ministry's or "
            "lawmaker's own release), then wire (Yonhap, Newsis, News1), then press (newspapers, "
            "broadcasters), then aggregator (forum reposts, summaries, mirrors, spam copies);"
        ),
    },
    "about.m.headline.latest": {
        "ko": "같은 등급 안에서는 가장 최근에 발표된 행, 그다음은 먼저 적재된 행입니다.",
        "en": "within that tier, the latest publication; then the row loaded first.",
    },
    "about.m.headline.alternates": {
        "ko": (
            "나머지 행은 버리지 않고 대체 값으로 보관하며, 차트의 표·데이터 탐색기·내려받기에서 "
            "헤드라인 옆에 보여 줍니다. 출처 간 불일치가 그대로 드러납니다."
        ),
        "en": (
            "The other rows are kept as alternates and shown beside the headline in chart tables, "
            "the data explorer and downloads, so a conflict between sources stays visible."
        ),
    },
    "about.m.headline.unverified": {
        "ko": (
            "재게시 출처에만 있는 수치는 미검증으로 표시합니다. 검증용으로 보관하고 내부 "
            "화면에서는 표시와 함께 보여 주지만, 공개 화면(차트, 표, 내려받기, API)에는 나오지 "
            "않습니다."
        ),
        "en": (
            "A figure whose only sources are aggregators is marked unverified: it is kept for "
            "audit and shown with a mark in the internal view, and it never appears in the public "
            "view (charts, tables, downloads or API)."
        ),
    },
    "about.m.partial.h": {"ko": "부분 기간", "en": "Partial periods"},
    "about.m.partial.intro": {
        "ko": (
            "출처 발표 당시 아직 진행 중이던 기간(연초 이후 누적, '올해 들어 지금까지', 주간 누적 "
            "집계)은 부분 기간입니다."
        ),
        "en": (
            "A period still running when its source was published (a year-to-date count, 'this "
            "year so far', a weekly cumulative snapshot) is a partial period."
        ),
    },
    "about.m.partial.marked": {
        "ko": (
            "부분 기간은 차트에서 빗금 막대와 '부분 기간' 표시로, 내보내기 파일에서는 is_complete "
            "열로 구분합니다. 부분 연도를 전체 연도처럼 그리지 않습니다."
        ),
        "en": (
            "Partial periods are marked: hatched bars and the word 'partial' in charts and "
            "tables, and the is_complete column in exports. A partial year is never drawn as if "
            "it were a full one."
        ),
    },
    "about.m.partial.compare": {
        "ko": (
            "부분 기간은 이전 연도의 같은 달들과만 비교합니다(예: 2025년 1~7월과 2024년 1~7월). "
            "그런 수치가 없으면 증감률 대신 '비교 불가'로 표시합니다."
        ),
        "en": (
            "A partial period is compared only with the same months of an earlier year "
            "(January–July 2025 with January–July 2024). Where no such figure exists, the "
            "dashboard says 'not comparable' instead of giving a percentage."
        ),
    },
    "about.m.partial.sum": {
        "ko": "부분 기간끼리, 또는 부분 기간과 전체 기간을 더하지 않습니다.",
        "en": "Partial periods are never added to each other or to full periods.",
    },
    "about.m.overlap.h": {
        "ko": "겹치는 기간은 더하지 않습니다",
        "en": "Overlapping windows are never summed",
    },
    "about.m.overlap.intro": {
        "ko": (
            "일부 수치는 서로 겹치는 기간을 다룹니다. 더하면 같은 사건을 두 번 세게 되므로 "
            "대시보드는 이를 합산하지 않습니다."
        ),
        "en": (
            "Some figures cover windows that overlap. Adding them would count the same cases "
            "twice, so the dashboard never sums them."
        ),
    },
    "about.m.overlap.knpa": {
        "ko": (
            "경찰청은 겹치는 세 기간의 수치를 발표합니다: 연간(1~12월), 허위영상물 특별 "
            "집중단속(2024-08-28~2025-03-31), 그리고 딥페이크를 한 유형으로 포함하는 사이버성폭력 "
            "전체의 '25년 사이버성폭력 집중단속(2024-11-01~2025-10-31)."
        ),
        "en": (
            "KNPA publishes figures for three overlapping windows: the calendar year; the special "
            "crackdown on sexual deepfakes (2024-08-28 to 2025-03-31); and the '25 cyber sexual "
            "violence crackdown (2024-11-01 to 2025-10-31), which covers all cyber sexual "
            "violence with deepfakes as one type."
        ),
    },
    "about.m.overlap.ytd": {
        "ko": (
            "연초 이후 누적 집계(2024년 9월 10일, 9월 25일, 10월 14일 기준 등)는 앞선 집계를 "
            "포함합니다. 가장 최근 값을 쓰고 더하지 않습니다."
        ),
        "en": (
            "Year-to-date snapshots (police counts to 10 September, 25 September and 14 October "
            "2024, and so on) each include the one before: the latest is used, and they are never "
            "added."
        ),
    },
    "about.m.overlap.moe": {
        "ko": (
            "교육부 학교 피해 현황은 2024년 8월 27일~11월 8일의 주간 누적 집계입니다. 가장 최근 "
            "집계가 그 수치이며 주별 값을 더하지 않습니다."
        ),
        "en": (
            "Ministry of Education school figures are weekly cumulative snapshots (27 August to 8 "
            "November 2024): the latest snapshot is the figure, and weeks are not added."
        ),
    },
    "about.m.breaks.h": {"ko": "계열 단절", "en": "Series breaks"},
    "about.m.breaks.intro": {
        "ko": (
            "계열이 세는 대상이 바뀌는 것도 데이터입니다. 차트에 표시하고, 아래 목록에 싣고, "
            "내보내기에 포함합니다."
        ),
        "en": (
            "A change in what a series counts is data: it is marked on the charts, listed below "
            "and exported."
        ),
    },
    "about.m.breaks.reported": {
        "ko": (
            "경찰청 전국 계열은 2021~2023년이 발생 건수, 2024년이 접수 건수입니다. 180건 → "
            "1,202건은 같은 기준의 6.7배 증가가 아니며, 2024년 수치에는 집중단속과 2024년 8월 말 "
            "사회적 관심 급증의 영향도 있습니다."
        ),
        "en": (
            "KNPA's national series counts crimes recorded (발생) for 2021–2023 and reports "
            "received (접수) for 2024. 180 → 1,202 is not a like-for-like 6.7-fold rise; the 2024 "
            "figure also reflects the crackdown and the public alarm of late August 2024."
        ),
    },
    "about.m.breaks.scope": {
        "ko": (
            "2024-10-16 개정 성폭력처벌법 제14조의2가 시행되어 성적 허위영상물의 "
            "소지·구입·저장·시청이 처벌 대상이 되고 '반포 등을 할 목적' 요건이 삭제되었습니다. "
            "이후 수치는 더 많은 행위를 포함합니다."
        ),
        "en": (
            "On 2024-10-16 the amended Article 14-2 came into force: possessing, purchasing, "
            "storing and viewing sexual deepfakes became crimes, and the 'purpose of "
            "distribution' element was removed. Counts after that date cover more conduct."
        ),
    },
    "about.m.breaks.minors": {
        "ko": (
            "미성년자를 대상으로 한 딥페이크는 허위영상물이 아닌 아동·청소년성착취물로 집계될 수 "
            "있어, 허위영상물 수치는 미성년자 대상 범죄를 적게 셉니다."
        ),
        "en": (
            "Deepfakes that depict minors may be recorded as child and youth sexual exploitation "
            "material (아동·청소년성착취물, CSAM) rather than as sexual deepfakes (허위영상물), "
            "so deepfake counts under-count offending against minors."
        ),
    },
    "about.m.subgroups.h": {"ko": "하위 집단은 더하지 않습니다", "en": "Subgroups are not added"},
    "about.m.subgroups.intro": {
        "ko": "구분 범주가 늘 서로 겹치지 않는 집단은 아니며, 비율은 건수가 아닙니다.",
        "en": "Breakdown categories are not always separate groups, and shares are not counts.",
    },
    "about.m.subgroups.exempt": {
        "ko": "촉법소년(10~13세)은 10대에 포함됩니다. 10대에 더하지 않습니다.",
        "en": (
            "Children aged 10–13 (촉법소년, below the age of criminal responsibility) are inside "
            "the teens (10–19): they are never added to the teens."
        ),
    },
    "about.m.subgroups.bands": {
        "ko": (
            "'18세 이하'(강경숙 의원 자료), '미성년자(19세 미만)'(디성센터), '10대 이하'는 서로 "
            "다른 연령대입니다. 더하지도, 같은 집단처럼 비교하지도 않습니다."
        ),
        "en": (
            "'18 and under' (18세 이하, Rep. Kang Kyung-sook's data), 'minors under 19' (ADSC) "
            "and 'teens and younger' (10대 이하) are different bands: they are neither added nor "
            "compared as if they were the same group."
        ),
    },
    "about.m.subgroups.shares": {
        "ko": "비율(%)은 비율로만 보여 주며, 건수나 기준이 다른 비율과 더하지 않습니다.",
        "en": (
            "A share (percent) is shown as a share; it is never added to counts, or to shares of "
            "another base."
        ),
    },
    "about.m.units.h": {"ko": "단위", "en": "Units"},
    "about.m.units.intro": {
        "ko": (
            "모든 수치는 출처가 쓴 단위를 유지합니다: 건, 명, 건(URL·게시물·영상), 신고 건수, "
            "요청 건수, 지원 건수, 퍼센트, 그리고 일평균 건수 같은 비율. 단위가 다른 수치는 "
            "더하거나 맞대어 비교하지 않습니다."
        ),
        "en": (
            "Every figure keeps the unit its source used: cases, persons, items, reports, "
            "requests, services, percent, and rates such as cases per day. Figures in different "
            "units are never added or set against each other."
        ),
    },
    "about.m.units.kcsc": {
        "ko": (
            "방심위 시정요구는 접속 차단·삭제 결정을 받은 URL·게시물·영상(건)의 수이며, 범죄 "
            "건수나 피해자 수가 아닙니다."
        ),
        "en": (
            "KCSC correction requests (시정요구) count items (URLs, posts or videos ordered "
            "blocked or deleted), not crimes or victims."
        ),
    },
    "about.m.units.adsc": {
        "ko": (
            "디성센터: 지원 피해자는 사람 수(명), 지원 건수는 서비스 건수, 삭제 지원은 사이트에 "
            "보낸 삭제 요청 건수이고, 피해유형(딥페이크는 '합성·편집')은 피해 건수로 피해자 한 "
            "명에 여러 건일 수 있습니다."
        ),
        "en": (
            "ADSC: victims supported are persons; support services (지원 건수) count services; "
            "deletion support counts deletion requests sent to sites; damage types (피해유형, "
            "with 합성·편집 for deepfakes) count damage cases, several per victim."
        ),
    },
    "about.m.units.kcc": {
        "ko": (
            "방송통신위원회 투명성 보고서 수치는 대형 플랫폼이 신고받고 처리한 불법촬영물, 성적 "
            "허위영상물, 아동·청소년성착취물을 합친 값이며 방심위 결정과 비교할 수 없습니다."
        ),
        "en": (
            "KCC platform transparency reports combine illegal filming, sexual deepfakes and "
            "child sexual abuse material (CSAM), as received and processed by large platforms; "
            "they are not comparable with KCSC decisions."
        ),
    },
    "about.m.units.approx": {
        "ko": (
            "출처가 어림한 수치('약', '여')는 근사값으로, '이상'으로 밝힌 수치는 하한값으로 "
            "표시합니다."
        ),
        "en": (
            "Figures the source itself rounds (약, 여, 'some') are marked approximate, and 'at "
            "least' figures are marked as lower bounds."
        ),
    },
    "about.m.cells.h": {"ko": "작은 값 비공개", "en": "Small-cell suppression"},
    "about.m.cells.intro": {
        "ko": (
            "공표 통계는 출처가 발표한 그대로 보여 주며 더 잘게 나누지 않습니다. 개별 기록 수준의 "
            "데이터(삭제·지원 요청 기록 등)는 공개 화면에서 집계값으로만, 작은 값을 가려 보여 "
            "줍니다."
        ),
        "en": (
            "Published aggregates are shown as their sources published them, never finer. "
            "Record-level data (such as logs of takedown and assistance requests) appears in the "
            "public view only as aggregates, with small cells suppressed:"
        ),
    },
    "about.m.cells.rule": {
        "ko": (
            "공개 화면에서 개별 기록으로 만든 1~{largest}의 건수는 표에서 '<{threshold}'로, "
            "차트에서는 설명과 함께 빈칸으로 표시합니다. 기준값은 설정 SMALL_CELL_THRESHOLD(현재 "
            "{threshold})입니다."
        ),
        "en": (
            "in the public view, counts from 1 to {largest} built from record-level data are "
            "shown as '<{threshold}' in tables and as a gap with a note in charts. The threshold "
            "is the setting SMALL_CELL_THRESHOLD (now {threshold});"
        ),
    },
    "about.m.cells.complementary": {
        "ko": (
            "가린 값을 합계에서 빼서 알아낼 수 없도록 보완 셀도 함께 가립니다. 같은 규칙이 조회 "
            "단계에서 적용되므로 차트, 표, CSV, API의 값이 일치합니다."
        ),
        "en": (
            "complementary cells are suppressed too, so no hidden value can be recovered by "
            "subtracting from a total. The same rule runs in the query layer, so charts, tables, "
            "CSV files and the API agree."
        ),
    },
    # Metric definitions
    "about.h.metrics": {"ko": "지표 정의", "en": "Metric definitions"},
    "about.metrics_intro": {
        "ko": (
            "등록된 지표 {count}개를 기관별로 정리했습니다. 지표 ID는 API와 내려받기 파일의 "
            "metric 열에 쓰입니다."
        ),
        "en": (
            "The {count} registered metrics, by agency. The metric id is the value of the metric "
            "column in the API and in downloaded files."
        ),
    },
    "about.metric_id": {"ko": "지표 ID", "en": "Metric id"},
    "about.metric_breaks": {"ko": "계열 단절·유의점", "en": "Breaks and caveats"},
    "about.agency.knpa": {"ko": "경찰청 (KNPA)", "en": "Korean National Police Agency (KNPA)"},
    "about.agency.smpa": {
        "ko": "서울경찰청 (SMPA)",
        "en": "Seoul Metropolitan Police Agency (SMPA)",
    },
    "about.agency.kcsc": {
        "ko": "방송미디어통신심의위원회 (방심위, KCSC)",
        "en": "Korea Communications Standards Commission (KCSC)",
    },
    "about.agency.adsc": {
        "ko": "디지털성범죄피해자지원센터 (디성센터, ADSC)",
        "en": "Digital Sex Crime Victim Support Center (ADSC)",
    },
    "about.agency.mogef": {
        "ko": "여성가족부 (MOGEF)",
        "en": "Ministry of Gender Equality and Family (MOGEF)",
    },
    "about.agency.moe": {"ko": "교육부 (MOE)", "en": "Ministry of Education (MOE)"},
    "about.agency.mnd": {"ko": "국방부 (MND)", "en": "Ministry of National Defense (MND)"},
    "about.agency.kcc": {
        "ko": "방송통신위원회 (KCC)",
        "en": "Korea Communications Commission (KCC)",
    },
    "about.agency.acrc": {
        "ko": "국민권익위원회 (ACRC)",
        "en": "Anti-Corruption and Civil Rights Commission (ACRC)",
    },
    "about.agency.courts": {"ko": "법원 판결", "en": "Courts"},
    "about.agency.seoul": {"ko": "서울시", "en": "Seoul Metropolitan Government"},
    "about.agency.gyeonggi": {"ko": "경기도", "en": "Gyeonggi Province"},
    "about.agency.ktu": {
        "ko": "전국교직원노동조합 (전교조)",
        "en": "Korean Teachers and Education Workers Union (KTU)",
    },
    "about.agency.military_ngo": {
        "ko": "군성폭력상담소 (민간단체)",
        "en": "Military sexual violence counselling centre (NGO)",
    },
    "about.agency.telegram": {"ko": "텔레그램", "en": "Telegram"},
    # Series breaks and events
    "about.h.breaks": {"ko": "계열 단절 목록", "en": "Series breaks by metric"},
    "about.breaks_intro": {
        "ko": "지표가 세는 대상이 바뀐 날짜입니다. 해당 지표의 차트에 표시됩니다.",
        "en": "The dates on which what a metric counts changed; the metric's charts mark them.",
    },
    "about.breaks_table": {"ko": "계열 단절 표", "en": "Table of series breaks"},
    "about.col.date": {"ko": "날짜", "en": "Date"},
    "about.col.kind": {"ko": "종류", "en": "Kind"},
    "about.col.change": {"ko": "변경 내용", "en": "Change"},
    "about.kind.definition": {"ko": "정의 변경", "en": "definition"},
    "about.kind.scope": {"ko": "범위 변경", "en": "scope"},
    "about.h.events": {"ko": "사건 목록", "en": "Events"},
    "about.events_intro": {
        "ko": (
            "차트에 표시하는 정책·플랫폼 사건입니다. 날짜는 출처가 밝힌 정밀도(연, 월, 일, 기간) "
            "그대로입니다."
        ),
        "en": (
            "The policy and platform events annotated on the charts. Each date keeps the "
            "precision its source gives (a year, a month, a day or a range)."
        ),
    },
    "about.events_text_note": {
        "ko": "사건 설명은 데이터에 기록된 영어 원문 그대로 싣습니다. 내용은 각 출처의 것입니다.",
        "en": (
            "Event descriptions are given as recorded in the dataset, in English; their content "
            "is the linked source's."
        ),
    },
    # Sources
    "about.h.sources": {"ko": "출처", "en": "Sources"},
    "about.sources_intro": {
        "ko": (
            "수치와 사건을 읽은 공개 문서 {count}건을 출처 등급별로 정리했습니다(등급은 헤드라인 "
            "규칙에 쓰입니다). 재게시 출처에는 알려진 경우 원문을 함께 적었습니다."
        ),
        "en": (
            "The {count} public texts the figures and events were read from, by tier (the tier "
            "drives the headline rule). Reposts name their original where it is known."
        ),
    },
    "about.sources_public": {
        "ko": "공개 화면에는 검증된 수치, 사건, 계열 단절의 근거가 되는 출처만 싣습니다.",
        "en": (
            "The public view lists only the sources behind verified figures, events and series "
            "breaks."
        ),
    },
    "about.original": {"ko": "원문", "en": "Original"},
    "about.date_unknown": {"ko": "날짜 미상", "en": "date unknown"},
    "about.language.ko": {"ko": "한국어", "en": "Korean"},
    "about.language.en": {"ko": "영어", "en": "English"},
    # Attribution and citing
    "about.h.attribution": {"ko": "출처 표시와 라이선스", "en": "Attribution and licences"},
    "about.attr.read": {
        "ko": (
            "모든 수치는 함께 적은 주소의 공개 문서(보도자료, 보도된 국회의원 국정감사 자료, 뉴스 "
            "기사)에서 읽은 것이며, 추정한 값은 없습니다."
        ),
        "en": (
            "Every figure was read in a public text (a press release, a lawmaker's audit data as "
            "reported, or a news report) at the URL given with it. None is estimated."
        ),
    },
    "about.attr.owners": {
        "ko": (
            "수치는 이를 생산한 기관(경찰청, 방심위, 디성센터·여성가족부·한국여성인권진흥원, "
            "교육부, 국방부, 방송통신위원회 등)의 것이고, 문서는 각 발행처의 것입니다. 이 "
            "대시보드는 각 문서로 연결하며 수치를 인용합니다."
        ),
        "en": (
            "The figures belong to the agencies that produced them (KNPA, KCSC, ADSC/MOGEF/KWHRI, "
            "MOE, MND, KCC and others) and the texts to their publishers. This dashboard quotes "
            "the figures and links to each text."
        ),
    },
    "about.attr.software": {
        "ko": (
            "화면은 Dash와 Plotly(MIT 라이선스)로 만들었고, Bootstrap 5.3(MIT 라이선스)을 assets "
            "폴더에 함께 배포합니다: "
        ),
        "en": (
            "The interface is built with Dash and Plotly (MIT licence); Bootstrap 5.3 (MIT "
            "licence) is vendored in the assets folder: "
        ),
    },
    "about.attr.bootstrap_licence": {
        "ko": "Bootstrap 라이선스 전문",
        "en": "Bootstrap licence text",
    },
    "about.h.cite": {"ko": "이 대시보드를 인용하는 방법", "en": "How to cite this dashboard"},
    "about.cite_intro": {
        "ko": (
            "대시보드와 함께 각 수치의 원출처(기관, 제목, 주소, 발표일)를 밝혀 주세요. 원출처는 "
            "차트마다 아래에 나옵니다. 한국어와 영어 인용문:"
        ),
        "en": (
            "Cite the dashboard and, for each figure, its original source (agency, title, URL, "
            "publication date), listed under every chart. In Korean and in English:"
        ),
    },
    "about.cite_text": {
        "ko": "디지털 성범죄·딥페이크 통계 대시보드. {url} ({date} 확인).",
        "en": "Digital sex crime & deepfake statistics dashboard. {url} (retrieved {date}).",
    },
}
