"""The about page on the loaded database: methods, every metric, breaks, events, sources, citing."""

from __future__ import annotations

import json
import sys

import dash
import pytest
from plotly.utils import PlotlyJSONEncoder

ADSC_REPORT_URL = (
    "https://www.stop.or.kr/home/kor/M827891955/board.do?deleteAt=N&act=detail"
    "&idx=cb00d1a0008a85e71a41b8741facbffebfa86627a6a1f8f7b29921f070d3441e"
)
SECTIONS_EN = [
    "What is loaded",
    "Methods",
    "Metric definitions",
    "Series breaks by metric",
    "Events",
    "Sources",
    "Attribution and licences",
    "How to cite this dashboard",
]


def component(data):
    """Components again from the JSON data of a component tree (as the browser receives it)."""
    if isinstance(data, list):
        return [component(item) for item in data]
    if isinstance(data, dict) and {"type", "namespace", "props"} <= data.keys():
        kind = getattr({"dash_html_components": dash.html}[data["namespace"]], data["type"])
        return kind(**{key: component(value) for key, value in data["props"].items()})
    return data


def render(app, lang: str):
    """The about page's layout as `app` serves it for `?lang=`."""
    page = next(p for p in dash.page_registry.values() if p["path"] == "/about")
    with app.server.test_request_context(f"/about?lang={lang}"):
        return component(page["layout"](lang=lang).to_plotly_json())


def dumped(component) -> str:
    return json.dumps(component.to_plotly_json(), default=str, ensure_ascii=False)


def walk(node):
    """Every component in the tree under `node`, depth first in document order."""
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from walk(child)
    elif isinstance(node, dash.development.base_component.Component):
        yield node
        yield from walk(getattr(node, "children", None))


def of_type(root, name: str) -> list:
    return [c for c in walk(root) if type(c).__name__ == name]


def text(node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, (int, float)):
        return str(node)
    if isinstance(node, (list, tuple)):
        return "".join(text(child) for child in node)
    if node is None:
        return ""
    return text(getattr(node, "children", None))


def test_the_page_is_registered_with_its_navigation_label(internal_app):
    page = next(p for p in dash.page_registry.values() if p["path"] == "/about")
    assert (page["name_key"], page["order"]) == ("nav.about", 80)
    assert internal_app.server.test_client().get("/about?lang=en").status_code == 200


def test_headings_are_one_h1_then_the_sections_in_order(internal_app):
    layout = render(internal_app, "en")
    headings = [c for c in walk(layout) if type(c).__name__ in {"H1", "H2", "H3", "H4"}]
    levels = [int(type(h).__name__[1]) for h in headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    assert text(headings[0]) == "About and methods"
    assert [text(h) for h in of_type(layout, "H2")] == SECTIONS_EN
    assert [text(h) for h in of_type(layout, "H3")][:7] == [
        "The headline rule",
        "Partial periods",
        "Overlapping windows are never summed",
        "Series breaks",
        "Subgroups are not added",
        "Units",
        "Small-cell suppression",
    ]


def test_what_is_loaded_counts_the_database(internal_app, public_app):
    internal = dumped(render(internal_app, "en"))
    assert "527 figures, 32 events, 127 sources, 104 metrics and 30 series breaks." in internal
    assert "Of these figures, 84 are unverified and shown only in the internal view." in internal
    public = dumped(render(public_app, "en"))
    assert "443 figures, 32 events," in public
    assert "unverified and shown only" not in public
    times = [t for t in of_type(render(internal_app, "en"), "Time") if t.dateTime.endswith("Z")]
    assert len(times) == 1 and text(times[0]).endswith(" UTC")


def test_methods_name_the_rules_in_english_and_korean(internal_app):
    english = dumped(render(internal_app, "en"))
    for phrase in (
        "then wire (Yonhap, Newsis, News1), then press",
        "the special crackdown on sexual deepfakes (2024-08-28 to 2025-03-31)",
        "cyber sexual violence crackdown (2024-11-01 to 2025-10-31)",
        "compared only with the same months of an earlier year",
        "'not comparable'",
        "On 2024-10-16 the amended Article 14-2 came into force",
        "(촉법소년, below the age of criminal responsibility) are inside the teens",
        "KCSC correction requests (시정요구) count items",
        "counts from 1 to 9 built from record-level data are shown as '<10'",
    ):
        assert phrase in english, phrase
    korean = dumped(render(internal_app, "ko"))
    for phrase in (
        "헤드라인 수치 선택 규칙",
        "허위영상물 특별 집중단속(2024-08-28~2025-03-31)",
        "촉법소년(10~13세)은 10대에 포함됩니다.",
        "1~9의 건수는 표에서 '<10'로",
    ):
        assert phrase in korean, phrase
    assert "then wire (Yonhap" not in korean


def test_the_suppression_threshold_follows_the_setting(internal_app, monkeypatch):
    monkeypatch.setenv("SMALL_CELL_THRESHOLD", "5")
    assert "counts from 1 to 4 built from record-level data are shown as '<5'" in dumped(
        render(internal_app, "en")
    )


def test_every_metric_is_defined_with_agency_unit_and_breaks(internal_app):
    layout = render(internal_app, "en")
    terms = of_type(layout, "Dt")
    assert len(terms) == 104
    assert len({t.id for t in terms}) == 104
    page = dumped(layout)
    assert "Sexual-deepfake cases reported to police" in page
    assert "police_deepfake_cases_reported" in page
    assert "Korean National Police Agency (KNPA)" in page
    assert "Unit: items (URLs, posts or videos)" in page
    korean = render(internal_app, "ko")
    assert len(of_type(korean, "Dt")) == 104
    assert "경찰청 (KNPA)" in dumped(korean)
    assert "계열 단절·유의점: " in dumped(korean)


def test_series_breaks_table_has_every_break_by_date(internal_app):
    layout = render(internal_app, "en")
    table = next(t for t in of_type(layout, "Table") if text(t).startswith("Series breaks"))
    rows = of_type(of_type(table, "Tbody")[0], "Tr")
    assert len(rows) == 30
    first = [text(cell) for cell in rows[0].children]
    assert first == [
        "Deletion support by ADSC",
        "2021-06-01",
        "scope",
        "Proactive CSAM deletion (Jun 2021)",
        "Edaily",
    ]
    korean = render(internal_app, "ko")
    assert "발생 → 접수" in dumped(korean) and "정의 변경" in dumped(korean)


def test_events_keep_their_precision_and_link_their_source(internal_app):
    layout = render(internal_app, "ko")
    section = next(
        s
        for s in of_type(layout, "Section")
        if getattr(s, "aria-labelledby", None) == "about-events"
    )
    items = of_type(section, "Li")
    assert len(items) == 32
    assert [text(t) for t in of_type(items[3], "Time")] == ["2020-02", "2020-08"]
    assert text(of_type(items[1], "Time")) == "2019-09"
    descriptions = [s for s in of_type(section, "Span") if getattr(s, "lang", None) == "en"]
    assert len(descriptions) == 32
    assert "사건 설명은 데이터에 기록된 영어 원문 그대로 싣습니다." in dumped(section)
    links = of_type(items[0], "A")
    assert (links[0].href, text(links[0])) == (ADSC_REPORT_URL, "MOGEF/KWHRI")


def test_sources_link_their_text_and_name_reposts_originals(internal_app):
    layout = render(internal_app, "en")
    links = {a.href: a for a in of_type(layout, "A")}
    adsc = links[ADSC_REPORT_URL]
    assert text(adsc).startswith("MOGEF/KWHRI press release (stop.or.kr)")
    assert adsc.lang == "ko"
    page = dumped(layout)
    assert "MOGEF/KWHRI · 2025-04-10 · Korean · official" in page
    assert "https://n.news.naver.com/mnews/article/656/0000103462" in links
    assert "jsc.m99f.com (spam site) · date unknown · Korean · repost (aggregator)" in page
    assert [text(h) for h in of_type(layout, "H3")][-4:] == [
        "Official (2)",
        "Wire (14)",
        "Press (89)",
        "Repost (aggregator) (22)",
    ]


def test_the_public_view_lists_no_source_of_unverified_figures_only(public_app):
    for lang in ("en", "ko"):
        page = dumped(render(public_app, lang))
        assert "jsc.m99f.com" not in page
        assert ADSC_REPORT_URL in page
    english = dumped(render(public_app, "en"))
    assert "The public view lists only the sources behind verified figures" in english


def test_attribution_and_citation_in_both_languages(internal_app):
    layout = render(internal_app, "en")
    page = dumped(layout)
    assert "None is estimated." in page
    assert "KNPA, KCSC, ADSC/MOGEF/KWHRI, MOE, MND, KCC and others" in page
    licence = next(a for a in of_type(layout, "A") if text(a) == "Bootstrap licence text")
    assert licence.href == "/assets/BOOTSTRAP-LICENSE.txt"
    cites = {p.lang: text(p) for p in of_type(layout, "P") if getattr(p, "lang", None)}
    assert cites["ko"].startswith("디지털 성범죄·딥페이크 통계 대시보드. http://localhost/ (")
    assert cites["en"].startswith(
        "Digital sex crime & deepfake statistics dashboard. http://localhost/ (retrieved "
    )


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("which", ["internal_app", "public_app"])
def test_no_catalogue_key_leaks(which, lang, request):
    page = dumped(render(request.getfixturevalue(which), lang))
    assert "about." not in page
    assert "tier." not in page
    assert "nav." not in page


def test_the_page_is_kept_per_load_as_the_json_it_is_sent_as(internal_app):
    page = next(p for p in dash.page_registry.values() if p["path"] == "/about")
    with internal_app.server.test_request_context("/about?lang=en"):
        first = page["layout"](lang="en")
    with internal_app.server.test_request_context("/about?lang=en"):
        again = page["layout"](lang="en")
    with internal_app.server.test_request_context("/about?lang=ko"):
        korean = page["layout"](lang="ko")
    assert again is first and korean is not first
    assert (first["namespace"], first["type"], first["props"]["className"]) == (
        "dash_html_components",
        "Div",
        "about-page",
    )
    heading = first["props"]["children"][0]
    assert (heading["type"], heading["props"]["children"]) == ("H1", "About and methods")
    # what is kept is the JSON of the page's components, built afresh here
    with internal_app.server.test_request_context("/about?lang=en"):
        built = sys.modules[page["module"]]._page.__wrapped__("en")
    assert first == json.loads(PlotlyJSONEncoder().encode(built))
