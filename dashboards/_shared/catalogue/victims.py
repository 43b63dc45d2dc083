"""Catalogue: the victims and support page (ADSC victims, deletion support, deepfake harm)."""

TEXT: dict[str, dict[str, str]] = {
    "nav.victims": {"ko": "피해자 지원", "en": "Victims and support"},
    "victims.title": {"ko": "피해자 지원", "en": "Victims and support"},
    "victims.intro": {
        "ko": "디지털성범죄피해자지원센터(디성센터)가 지원한 피해자와 삭제 지원, 딥페이크형"
        "(합성·편집) 피해 수치입니다. 디성센터에 직접 연락한 사람만 집계하며, 서울·경기 등 "
        "지역 센터는 따로 집계하므로 같은 사람이 양쪽에 있을 수 있습니다.",
        "en": "People supported by the Digital Sex Crime Victim Support Center (ADSC), its "
        "deletion support, and deepfake-type (synthetic or edited) harm. ADSC counts only "
        "people who contacted it; regional centres (Seoul, Gyeonggi and others) count "
        "separately, and the same person may appear in both.",
    },
    "victims.section.adsc": {
        "ko": "디성센터: 디지털성범죄 피해자 전체",
        "en": "ADSC: all digital sex crime victims",
    },
    "victims.section.deepfake": {"ko": "딥페이크 피해", "en": "Deepfake harm"},
    "victims.chart.supported": {
        "ko": "디성센터 지원 피해자 (연도별)",
        "en": "Victims supported by ADSC, by year",
    },
    "victims.chart.gender": {
        "ko": "지원 피해자 성별 (연도별)",
        "en": "Victims supported by ADSC, by gender",
    },
    "victims.chart.age": {
        "ko": "지원 피해자 연령대 (연도마다 구간이 다름)",
        "en": "Victims supported by ADSC, by age band (bands differ by year)",
    },
    "victims.chart.deletion": {
        "ko": "디성센터 삭제 지원 (연도별)",
        "en": "Deletion support by ADSC, by year",
    },
    "victims.chart.synthetic": {
        "ko": "합성·편집(딥페이크형) 피해 건수 (디성센터)",
        "en": "Synthetic or edited (deepfake-type) damage cases at ADSC",
    },
    "victims.chart.deepfake_windows": {
        "ko": "딥페이크 피해 지원: 기간이 겹치는 수시 발표 수치",
        "en": "Deepfake support: overlapping windows from ad hoc releases",
    },
    "victims.note.2018": {
        "ko": "2018년은 센터가 문을 연 4월 30일부터 12월 31일까지로, 한 해 전체가 아닙니다. 이 "
        "기간의 수치는 출처마다 다릅니다(1,315명과 2,379명). 표의 '다른 출처의 값' 열에 "
        "함께 보입니다.",
        "en": "2018 runs from the centre's opening on 30 April to 31 December: not a full year. "
        "Sources disagree for it (1,315 or 2,379 people); the table shows the other value "
        "under \u201cOther sources' values\u201d.",
    },
    "victims.note.gender": {
        "ko": "성별 구분은 2019년부터 공개되었습니다. 2018년 구분은 없습니다.",
        "en": "The split by gender is published from 2019; there is none for 2018.",
    },
    "victims.note.age": {
        "ko": "연령 구간이 해마다 다릅니다. 2020~2022년은 10대와 20대를 합쳐(10·20대) 공개했고 "
        "연령 미상이 많으며, 2023년은 10대와 20대만 따로 공개했습니다. 막대를 더하거나 "
        "연도끼리 비교하지 마세요. 공개된 구간을 모두 더해도 전체 피해자 수가 되지 "
        "않습니다.",
        "en": "Age bands differ by year: 2020–2022 give teens and 20s together, with many of "
        "unknown age; 2023 gives only teens and 20s, separately. Do not add the bars or "
        "compare bands across years: the published bands do not make up the total.",
    },
    "victims.note.deletion": {
        "ko": "삭제 지원은 사이트에 보낸 삭제 요청 건수로, 같은 게시물이 여러 번 셀 수 있으며 "
        "피해자 수가 아닙니다. 2018년은 4월 30일~12월 31일입니다.",
        "en": "Deletion support counts deletion requests sent to sites; the same item can be "
        "counted more than once, and it is not a count of victims. 2018 covers 30 April "
        "to 31 December.",
    },
    "victims.note.synthetic": {
        "ko": "디성센터 피해유형 중 딥페이크를 포함하는 '합성·편집' 분류입니다. 피해 건수이며 "
        "피해자 한 명에게 여러 건이 있을 수 있어 피해자 수가 아닙니다.",
        "en": "ADSC's \u201csynthetic or edited\u201d damage type, the category that covers "
        "deepfakes. These are damage cases, several possible for one victim: not a count "
        "of victims.",
    },
    "victims.note.windows": {
        "ko": "딥페이크 지원 요청과 지원 피해자 수는 서로 다른 때에 따로 발표된 수치이며 기간이 "
        "겹칩니다. 더하지 마세요. 2024년 1월 1일~8월 25일의 781은 요청 건수로도, 피해자 "
        "수로도 보도되었습니다.",
        "en": "Deepfake support requests and deepfake victims supported come from separate ad "
        "hoc releases over overlapping windows: never add them. The 781 for 1 January to "
        "25 August 2024 was reported both as requests and as people.",
    },
    "event.2018-04-30": {"ko": "디성센터 운영 시작", "en": "ADSC opens"},
    "event.2024-08": {"ko": "디성센터 딥페이크 대응팀", "en": "ADSC deepfake team"},
}
