"""Theme pages (takedowns, victims, schools): their figures, partial periods and notes in both
languages, no catalogue key shown as text, and no unverified figure in the public view; every
chart page kept whole per database load, and drawn again after a new load."""

from __future__ import annotations

import json
import re

import dash
import pytest
from plotly.utils import PlotlyJSONEncoder

THEME_PATHS = ("/takedowns", "/victims", "/schools")
KEY_PREFIXES = ("chart", "nav", "note", "event", "cat", "col", "tier", "kpi", "control",
                "takedowns", "victims", "schools")


def render(app, path: str, lang: str, **query) -> str:
    """The page's layout for `lang`, serialised all the way down (figures included) as Dash
    sends it to the browser; non-ASCII text kept readable."""
    page = next(p for p in dash.page_registry.values() if p["path"] == path)
    with app.server.test_request_context(f"/?lang={lang}"):
        component = page["layout"](lang=lang, **query)
        return json.dumps(component.to_plotly_json(), cls=PlotlyJSONEncoder, ensure_ascii=False)


@pytest.mark.parametrize("path, order, name_key", [
    ("/takedowns", 20, "nav.takedowns"), ("/victims", 30, "nav.victims"),
    ("/schools", 40, "nav.schools")])
def test_theme_pages_are_registered(internal_app, path, order, name_key):
    page = next(p for p in dash.page_registry.values() if p["path"] == path)
    assert (page["order"], page["name_key"]) == (order, name_key)


@pytest.mark.parametrize("lang, heading, partial_label, h1_label", [
    ("en", "Takedowns and platforms", "2025 Jan–Jul (partial)", "2022 Jan–Jun (partial)"),
    ("ko", "삭제·차단과 플랫폼", "2025년 1~7월 (부분 기간)", "2022년 1~6월 (부분 기간)"),
])
def test_takedowns_page(internal_app, lang, heading, partial_label, h1_label):
    text = render(internal_app, "/takedowns", lang)
    assert heading in text
    # KCSC sexual-deepfake requests: every year, and Jan-Jul 2025 drawn as a partial year
    for figure in ("473", "1,913", "3,574", "7,187", "23,107", "15,808"):
        assert figure in text
    assert partial_label in text
    # the same months compared: Jan-Jul 2024 and Jan-Jul 2025; the two published months
    assert '"value_text": "6,434"' in text
    assert '"value_text": "1,519"' in text and '"value_text": "2,352"' in text
    # all digital sex crime requests: a closed first half-year is still drawn partial
    assert h1_label in text and '"value_text": "94,185"' in text
    # Telegram: KCSC requests and the milestones, dated at their published precision
    for figure in ("618", "148", "403", "25", "61"):
        assert f'"value_text": "{figure}"' in text
    for day in ("2024-09-03", "2024-09-27", "2024-10", "2020-02", "2020-08"):
        assert f'"dateTime": "{day}"' in text
    assert "https://yonhapnewstv.co.kr/news/MYH20240903017700641" in text
    # platforms: units of both metrics on the axis, and the caveat against comparing with KCSC
    assert '"value_text": "231,261"' in text and '"value_text": "181,204"' in text
    assert ("reports / items (URLs, posts or videos)" if lang == "en"
            else "신고 건수 / 건(URL·게시물·영상)") in text
    assert ("not comparable with KCSC decisions" if lang == "en"
            else "방심위 시정요구와 비교할 수 없습니다") in text


def test_takedowns_milestones_in_korean_keep_the_published_english(internal_app):
    text = render(internal_app, "/takedowns", "ko")
    assert "텔레그램, 방심위가 9월 1일 긴급 요청한 25건을 모두 삭제하고 사과" in text
    assert "영문 원문" in text and "사건 설명은 데이터에 영어로만 기록되어 있습니다" in text
    assert ("Telegram deletes all 25 items KCSC urgently requested on 1 Sept, apologises, "
            "provides a dedicated email (hotline)") in text
    assert '"lang": "en"' in text


def test_events_switch_turns_event_markers_off(internal_app):
    marker = '"text": "Telegram hotline"'
    assert marker in render(internal_app, "/takedowns", "en")
    without = render(internal_app, "/takedowns", "en", events="0")
    assert marker not in without
    assert "23,107" in without


@pytest.mark.parametrize("lang, heading, note", [
    ("en", "Victims and support", "the published bands do not make up the total"),
    ("ko", "피해자 지원", "공개된 구간을 모두 더해도 전체 피해자 수가 되지 않습니다"),
])
def test_victims_page(internal_app, lang, heading, note):
    text = render(internal_app, "/victims", lang)
    assert heading in text and note in text
    # victims supported 2019-2024, and 2018 (from the centre's opening) with its conflict
    for figure in ("2,087", "4,973", "6,952", "7,979", "8,983", "10,305"):
        assert f'"value_text": "{figure}"' in text
    assert '"value_text": "1,315"' in text and "2,379 (BBS News, press)" in text
    assert ("2018-04-30 – 2018-12-31 (partial)" if lang == "en"
            else "2018-04-30 – 2018-12-31 (부분 기간)") in text
    # by gender, one series each; age bands side by side
    assert '"value_text": "7,428"' in text and '"value_text": "2,877"' in text
    assert '"value_text": "4,517"' in text and '"value_text": "2,256"' in text
    # deletion support with its alternate (a typo) and the 2021 series break
    assert '"value_text": "300,237"' in text and "30,237 (Segye Ilbo, press)" in text
    assert "2021-06-01" in text
    # deepfake-type damage cases and the overlapping support windows
    assert '"value_text": "1,384"' in text and '"value_text": "423"' in text
    assert '"value_text": "1,807"' in text and '"value_text": "540"' in text


@pytest.mark.parametrize("lang, heading, note", [
    ("en", "Schools and the military", "never add them; the latest point is the total so far"),
    ("ko", "학교와 군", "주간 수치를 더하지 마세요"),
])
def test_schools_page(internal_app, lang, heading, note):
    text = render(internal_app, "/schools", lang)
    assert heading in text and note in text
    # the latest snapshots, never a sum of weeks (196+434+... would be 3,795)
    assert '"value_text": "561"' in text and '"value_text": "948"' in text
    assert '"value_text": "196"' in text and "3,795" not in text
    for figure in ("908", "36", "4", "18", "243", "300"):
        assert f'"value_text": "{figure}"' in text
    # the military's ad hoc counts, with their note
    assert '"value_text": "13"' in text and '"value_text": "24"' in text
    assert '"value_text": "7"' in text
    assert ("one-off counts, not a series" if lang == "en" else "계열이 아닙니다") in text


@pytest.mark.parametrize("path", THEME_PATHS)
@pytest.mark.parametrize("lang", ("ko", "en"))
def test_no_catalogue_key_shows_as_text(internal_app, path, lang):
    from dashboards._shared.catalogue import CATALOGUE

    text = render(internal_app, path, lang)
    leaked = [key for key in CATALOGUE
              if re.search(r"(?<![\w./-])" + re.escape(key) + r"(?![\w/-])", text)]
    assert leaked == []
    prefixes = "|".join(KEY_PREFIXES)
    assert re.findall(r"(?<![\w./:-])(?:" + prefixes + r")\.[a-z][a-z0-9_]*", text) == []


def test_public_view_omits_unverified_figures_and_reposted_events(internal_app, public_app):
    internal = render(internal_app, "/takedowns", "en")
    public = render(public_app, "/takedowns", "en")
    # 2023 platform figures are known only from a summary site: internal view only
    for figure in ("144,813", "81,578"):
        assert figure in internal and figure not in public
    # milestones known only from reposts (a forum, an aggregator) stay internal
    for source in ("theqoo.net", "rankmore.kr"):
        assert source in internal and source not in public
    assert "95%+" in internal and "95%+" not in public
    # verified figures remain
    for figure in ("231,261", "218,931", "23,107", "15,808"):
        assert figure in public


@pytest.mark.parametrize("path", THEME_PATHS)
def test_public_theme_pages_carry_no_unverified_rows(public_app, path):
    for lang in ("ko", "en"):
        text = render(public_app, path, lang)
        assert '"is_unverified": true' not in text
        assert "Unverified figures appear only in reposts" not in text


CHART_PAGES = ("/", "/police", "/takedowns", "/victims", "/schools")


@pytest.mark.parametrize("path", CHART_PAGES)
def test_chart_pages_are_kept_per_load_as_the_json_they_are_sent_as(internal_app, path):
    """A page of kept charts is kept whole: Dash would otherwise copy every value of every
    chart into JSON again on each request (most of the page's server time)."""
    page = next(p for p in dash.page_registry.values() if p["path"] == path)
    with internal_app.server.test_request_context(f"{path}?lang=en"):
        first = page["layout"](lang="en")
    with internal_app.server.test_request_context(f"{path}?lang=en"):
        again = page["layout"](lang="en", events="1")
    with internal_app.server.test_request_context(f"{path}?lang=en&events=0"):
        without_events = page["layout"](lang="en", events="0")
    assert again is first and without_events is not first
    assert (type(first).__name__, first["namespace"], first["type"]) == (
        "Piece", "dash_html_components", "Div")
    # kept as plain data, so the page router's answer is written without plotly's cleaner
    assert json.loads(json.dumps(first)) == first


def test_a_new_load_draws_the_kept_chart_pages_again(tmp_path):
    from app import create_app
    from tests.conftest import DATA, REGISTRIES
    from tests.databases import new_database
    from tests.integration.test_downloads import IMBC, POLICE, load_folder, write_figures
    from tests.integration.test_leakage import page_request

    def year(value: str, year: int) -> list[str]:
        return [POLICE, "", "total", f"{year}-01-01", f"{year}-12-31", "yes", value, "cases",
                "KNPA", "a test release", IMBC, f"{year + 1}-02-13", ""]

    first = tmp_path / "first"
    first.mkdir()
    for name in REGISTRIES:
        (first / name).write_bytes((DATA / name).read_bytes())
    write_figures(first / "published_figures.csv", [year("1202", 2024)])
    url = new_database(tmp_path, "theme")
    load_folder(first, url)
    client = create_app(public=False, database_url=url).server.test_client()

    def police_page() -> str:
        response = client.post("/_dash-update-component", json=page_request("/police", "?lang=en"))
        assert response.status_code == 200
        return response.get_data(as_text=True)

    before = police_page()
    assert '"value_text":"1,202"' in before and "4,321" not in before
    assert police_page() == before
    more = tmp_path / "more"
    more.mkdir()
    write_figures(more / "more_figures.csv", [year("4321", 2025)])
    load_folder(more, url)
    after = police_page()
    assert '"value_text":"1,202"' in after and '"value_text":"4,321"' in after
