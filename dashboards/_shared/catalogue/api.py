"""Catalogue: the API and downloads page (endpoints, parameters, examples, limits)."""

TEXT: dict[str, dict[str, str]] = {
    "nav.api": {"ko": "API·내려받기", "en": "API & downloads"},
    "api.title": {"ko": "데이터 API와 내려받기", "en": "Data API and downloads"},
    "api.intro": {
        "ko": "대시보드의 모든 수치를 출처와 함께 JSON이나 CSV로 가져갈 수 있습니다. 로그인이 "
        "필요 없고, 주소 하나가 곧 그 데이터입니다. 공개 열람에서는 검증된 수치만 나옵니다.",
        "en": "Every figure behind the dashboard, with its source, as JSON or CSV. No login is "
        "needed and each address is the data it returns. The public view serves verified "
        "figures only.",
    },
    "api.h.endpoints": {"ko": "주소", "en": "Addresses"},
    "api.h.parameters": {"ko": "수치(observations) 필터", "en": "Filters for observations"},
    "api.h.examples": {"ko": "예시", "en": "Examples"},
    "api.h.answers": {"ko": "응답 형식", "en": "What an answer looks like"},
    "api.h.downloads": {"ko": "파일 내려받기", "en": "Download files"},
    "api.h.limits": {"ko": "오류, 캐시, 이용 한도", "en": "Errors, caching and limits"},
    "api.h.columns": {"ko": "수치 파일의 열", "en": "Columns of the figures"},
    "api.col.address": {"ko": "주소", "en": "Address"},
    "api.col.what": {"ko": "내용", "en": "What it returns"},
    "api.col.parameter": {"ko": "매개변수", "en": "Parameter"},
    "api.col.values": {"ko": "값", "en": "Values"},
    "api.col.default": {"ko": "기본값", "en": "Default"},
    "api.col.meaning": {"ko": "뜻", "en": "Meaning"},
    "api.col.file": {"ko": "파일", "en": "File"},
    "api.col.column": {"ko": "열", "en": "Column"},
    "api.col.type": {"ko": "자료형", "en": "Type"},
    "api.col.description": {"ko": "설명", "en": "Description"},
    "api.ep.metrics": {
        "ko": "지표 목록: 한국어·영어 이름, 단위와 단위 종류, 정의, 계열 단절",
        "en": "Metric registry: Korean and English names, unit and unit kind, definitions, "
        "series breaks",
    },
    "api.ep.sources": {
        "ko": "출처 목록: 주소, 제목, 발행처, 발표일, 언어, 신뢰 등급, 원문 정보",
        "en": "Source registry: URL, title, publisher, publication date, language, tier, "
        "original text",
    },
    "api.ep.events": {
        "ko": "사건 목록: 발표된 날짜와 정밀도, 시작일·종료일, 설명, 출처",
        "en": "Events: date as published and its precision, start and end, description, source",
    },
    "api.ep.observations": {
        "ko": "발표 수치: 한 행에 수치 하나, 출처 열 포함. 아래 필터 사용",
        "en": "Published figures, one a row, with source columns; takes the filters below",
    },
    "api.ep.download": {
        "ko": "데이터셋 하나의 CSV 파일(observations, events, sources, metrics). "
        "observations는 같은 필터 사용",
        "en": "One dataset as a CSV file (observations, events, sources, metrics); observations "
        "take the same filters",
    },
    "api.ep.package": {
        "ko": "전체 데이터 패키지(Frictionless): CSV, 스키마, 데이터 사전, README",
        "en": "The whole data package (Frictionless): CSVs, schemas, data dictionary, README",
    },
    "api.p.metric": {
        "ko": "지표 ID. 여러 번 쓰거나 쉼표로 구분. 모르는 ID는 400",
        "en": "Metric id; repeat it or separate with commas. An unknown id gives 400",
    },
    "api.p.from": {
        "ko": "이 날짜 이후와 겹치는 기간(연도는 1월 1일부터)",
        "en": "Periods overlapping from this date on (a year means 1 January)",
    },
    "api.p.to": {
        "ko": "이 날짜 이전과 겹치는 기간(연도는 12월 31일까지)",
        "en": "Periods overlapping up to this date (a year means 31 December)",
    },
    "api.p.dimension": {
        "ko": "세부 구분 기준(예: age_group). 비우면 전체",
        "en": "Breakdown dimension (e.g. age_group); empty means any",
    },
    "api.p.category": {
        "ko": "구분 안의 집단(예: 10s, total)",
        "en": "Category within the breakdown (e.g. 10s, total)",
    },
    "api.p.tier": {
        "ko": "출처 신뢰 등급. 여러 번 쓰거나 쉼표로 구분",
        "en": "Source tier; repeat it or separate with commas",
    },
    "api.p.source": {
        "ko": "출처 문서의 주소(source_url)와 정확히 같은 행만",
        "en": "Only rows read in the text at this exact address (source_url)",
    },
    "api.p.headline_only": {
        "ko": "수치마다 대표 행만(true) 또는 대안 출처 행까지(false)",
        "en": "Only the headline row of each figure (true) or the alternates too (false)",
    },
    "api.p.format": {"ko": "응답 형식(API만)", "en": "Answer format (API only)"},
    "api.p.encoding": {
        "ko": "CSV 인코딩: BOM 있는 UTF-8(엑셀에서 한글이 바로 보임) 또는 BOM 없는 UTF-8",
        "en": "CSV encoding: UTF-8 with a BOM (Excel shows Korean right) or plain UTF-8",
    },
    "api.p.limit": {"ko": "한 번에 받을 행 수(API만)", "en": "Rows per answer (API only)"},
    "api.p.offset": {
        "ko": "건너뛸 행 수. 응답의 next_offset을 다음 요청에 사용(API만)",
        "en": "Rows to skip; use the answer's next_offset for the next page (API only)",
    },
    "api.ex.metrics": {"ko": "지표 목록", "en": "The metrics"},
    "api.ex.year": {
        "ko": "경찰 딥페이크 신고 접수 건수, 2024년과 겹치는 모든 기간",
        "en": "Police deepfake reports, every period overlapping 2024",
    },
    "api.ex.csv": {
        "ko": "같은 선택을 CSV로, 대안 출처 행까지",
        "en": "The same selection as CSV, alternates included",
    },
    "api.ex.download": {
        "ko": "공식 발표와 통신사 출처의 수치 전체를 파일로",
        "en": "Every figure from official and wire sources, as a file",
    },
    "api.ex.package": {"ko": "데이터 패키지 전체", "en": "The whole data package"},
    "api.answers": {
        "ko": "JSON 응답은 data(행 목록), count(이 응답의 행 수), total(조건에 맞는 전체 행 수), "
        "filters(적용된 필터)와, 뒤에 행이 더 있으면 next_offset을 담습니다. 날짜는 "
        "YYYY-MM-DD, 값은 숫자입니다.",
        "en": "A JSON answer holds data (the rows), count (rows in this answer), total (rows "
        "matching), filters (as applied) and, when more rows follow, next_offset. Dates "
        "are YYYY-MM-DD; values are numbers.",
    },
    "api.download.observations": {
        "ko": "수치(대표 행, 필터는 API와 같음)",
        "en": "Figures (headline rows; same filters as the API)",
    },
    "api.download.events": {"ko": "사건", "en": "Events"},
    "api.download.sources": {"ko": "출처", "en": "Sources"},
    "api.download.metrics": {"ko": "지표", "en": "Metrics"},
    "api.download.package": {
        "ko": "데이터 패키지(ZIP): 모든 행과 스키마, 데이터 사전, 인용 방법",
        "en": "Data package (zip): every row, schemas, data dictionary, how to cite",
    },
    "api.files": {
        "ko": "파일 이름에는 담긴 내용과 데이터 기준일이 들어갑니다(예: "
        "observations_police_deepfake_cases_reported_2024-2024_data-2026-11-25.csv). "
        "=, +, -, @로 시작하는 글자 칸은 스프레드시트가 수식으로 실행하지 않도록 앞에 '를 "
        "붙입니다. 숫자 칸은 그대로입니다.",
        "en": "File names say what the file holds and the date of the data (e.g. "
        "observations_police_deepfake_cases_reported_2024-2024_data-2026-11-25.csv). "
        "Text cells starting with =, +, -, @ get a leading ' so spreadsheets do not run "
        "them as formulas; number cells stay as they are.",
    },
    "api.limit.errors": {
        "ko": '잘못된 매개변수나 모르는 매개변수는 400과 {"error": "..."} 메시지(매개변수 '
        "이름 포함)를 돌려줍니다. 없는 주소는 404입니다.",
        "en": 'A bad or unknown parameter gives 400 with {"error": "..."} naming the '
        "parameter; an unknown address gives 404.",
    },
    "api.limit.cache": {
        "ko": "응답마다 ETag와 Cache-Control(5분)이 붙습니다. If-None-Match를 보내면 바뀌지 않은 "
        "응답은 304로 옵니다.",
        "en": "Every answer carries an ETag and Cache-Control (5 minutes); send If-None-Match "
        "and an unchanged answer comes back as 304.",
    },
    "api.limit.rate": {
        "ko": "공개 열람에서는 주소(IP)마다 분당 {rate}회까지 요청할 수 있고, 넘으면 429와 "
        "Retry-After가 옵니다.",
        "en": "In the public view each address may make {rate} requests a minute; past that, "
        "429 with Retry-After.",
    },
    "api.limit.rows": {
        "ko": "API는 한 번에 최대 {limit}행을 돌려줍니다. 파일은 최대 {cap}행이며, 잘린 파일은 "
        "이름과 X-Rows-Capped 헤더로 알려 줍니다.",
        "en": "The API returns at most {limit} rows an answer. A file holds at most {cap} rows; "
        "a capped file says so in its name and in the X-Rows-Capped header.",
    },
    "api.limit.public": {
        "ko": "공개 열람에서는 재게시·커뮤니티 사이트에서만 확인된 미검증 수치가 어떤 "
        "매개변수로도 나오지 않습니다.",
        "en": "In the public view, figures found only on aggregator or forum sites (unverified) "
        "are never returned, whatever the parameters.",
    },
}
