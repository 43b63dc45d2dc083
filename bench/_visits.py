"""What a browser sends to the public view: for a page load the HTML page, /_dash-layout,
/_dash-dependencies and the callbacks Dash's renderer posts (the page router, the navbar, the
URL-state callback and the redraw it causes), for a click the URL-state callback or a chart's
CSV button. The bodies are built as the renderer builds them (shapes captured from Chromium on
these pages) and the sequence is found by asking the live server once, as the first visitor
does: whatever the page router draws decides which state callback follows.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator

from bench._load import Request
from tests.dash_requests import dom_id, navbar_request, page_request

CALLBACK = "/_dash-update-component"
ACCEPT_ENCODING = "gzip, deflate, br, zstd"  # what Chromium sends
LANGUAGES = {"ko": "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "en": "en-US,en;q=0.9"}
HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
STATE_CONTROL = "state-control"

ROUTE_HTML = "GET page (HTML)"
ROUTE_LAYOUT = "GET /_dash-layout"
ROUTE_DEPENDENCIES = "GET /_dash-dependencies"
ROUTE_ROUTER = "POST callback: page router"
ROUTE_NAVBAR = "POST callback: navbar"
ROUTE_STATE = "POST callback: URL state"
ROUTE_CSV = "POST callback: chart CSV button"


def _sorted(component_id: dict) -> dict:
    return dict(sorted(component_id.items()))


def state_body(
    output: str, controls: list[tuple[dict, object]], search: str, changed: list[dict]
) -> dict:
    """The URL-state callback: every control's value, which ones changed, and the address."""
    return {
        "output": output,
        "outputs": {"id": "url", "property": output.removeprefix("url.")},
        "inputs": [
            [{"id": _sorted(i), "property": "value", "value": value} for i, value in controls]
        ],
        "changedPropIds": [dom_id(i) + ".value" for i in changed],
        "parsedChangedPropsIds": [_sorted(i) for i in changed],
        "state": [
            [{"id": _sorted(i), "property": "id", "value": i} for i, _ in controls],
            [],  # no drawn values kept: a control changed, so the address is written
            {"id": "url", "property": "search", "value": search},
        ],
    }


def csv_body(chart: str, stored: object, clicks: int = 1) -> dict:
    """A chart card's CSV button: the click and the rows the page stored for the chart."""
    button = {"chart": chart, "type": "csv-button"}
    return {
        "output": '{"chart":["MATCH"],"type":"csv-download"}.data',
        "outputs": {"id": {"chart": chart, "type": "csv-download"}, "property": "data"},
        "inputs": [{"id": button, "property": "n_clicks", "value": clicks}],
        "changedPropIds": [dom_id(button) + ".n_clicks"],
        "parsedChangedPropsIds": [button],
        "state": [
            {"id": {"chart": chart, "type": "chart-rows"}, "property": "data", "value": stored}
        ],
    }


def components(tree: object) -> Iterator[dict]:
    """Every component in a serialised layout, depth first (Dash's order for ALL patterns)."""
    if isinstance(tree, list):
        for item in tree:
            yield from components(item)
    elif isinstance(tree, dict):
        if "type" in tree and "props" in tree:
            yield tree
            for value in tree["props"].values():
                yield from components(value)
        else:
            for value in tree.values():
                yield from components(value)


def state_controls(tree: object) -> list[tuple[dict, object]]:
    found = []
    for component in components(tree):
        component_id = component["props"].get("id")
        if isinstance(component_id, dict) and component_id.get("type") == STATE_CONTROL:
            found.append((component_id, component["props"].get("value")))
    return found


def chart_stores(tree: object) -> list[tuple[str, object]]:
    found = []
    for component in components(tree):
        component_id = component["props"].get("id")
        if (
            component["type"] == "Store"
            and isinstance(component_id, dict)
            and component_id.get("type") == "chart-rows"
        ):
            found.append((component_id["chart"], component["props"].get("data")))
    return found


def written_search(status: int, answer: object) -> str | None:
    """The address search the URL-state callback wrote; None when it left it as it was."""
    if status != 200 or not isinstance(answer, dict):
        return None
    written = answer.get("response", {}).get("url")
    return next(iter(written.values())) if written else None


def headers_for(lang: str, json_body: bool = False, accept: str = "application/json") -> tuple:
    headers = [
        ("Accept", accept),
        ("Accept-Encoding", ACCEPT_ENCODING),
        ("Accept-Language", LANGUAGES[lang]),
    ]
    if json_body:
        headers.append(("Content-Type", "application/json"))
    return tuple(headers)


def get(route: str, path: str, lang: str, accept: str = "*/*") -> Request:
    return Request(route, path, headers=headers_for(lang, accept=accept))


class Site:
    """The live public server, asked once per distinct callback to learn what follows it."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        html_text = self._fetch("/", None, "ko")[1].decode("utf-8")
        match = re.search(r'"end_id":\s*"([^"]+)"', html_text)
        self.end_id = match.group(1) if match else ""
        dependencies = json.loads(self._fetch("/_dash-dependencies", None, "ko")[1])
        self.state_output = next(
            d["output"] for d in dependencies if d["output"].startswith("url.search@")
        )
        self._answers: dict[tuple[str, str], tuple[int, object]] = {}
        self.callbacks_asked = 0

    def _fetch(self, path: str, body: bytes | None, lang: str) -> tuple[int, bytes]:
        headers = {"Accept-Language": LANGUAGES[lang]}
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def callback(self, route: str, body: dict, lang: str) -> Request:
        path = CALLBACK + (f"?endId={self.end_id}" if self.end_id else "")
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return Request(route, path, "POST", data, headers_for(lang, json_body=True))

    def answer(self, request: Request, lang: str) -> tuple[int, object]:
        """The server's answer to a callback request (asked once, then remembered)."""
        key = (request.body.decode("utf-8"), lang)
        if key not in self._answers:
            self.callbacks_asked += 1
            status, data = self._fetch(request.path, request.body, lang)
            if status not in (200, 204):
                raise RuntimeError(f"{request.route} answered {status}: {data[:300]!r}")
            self._answers[key] = (status, json.loads(data) if status == 200 else None)
        return self._answers[key]

    def _draw(self, path: str, search: str, lang: str) -> tuple[list[Request], object]:
        router = self.callback(ROUTE_ROUTER, page_request(path, search), lang)
        navbar = self.callback(ROUTE_NAVBAR, navbar_request(path, search), lang)
        _, answer = self.answer(router, lang)
        tree = answer["response"]["_pages_content"]["children"] if answer else None
        return [navbar, router], tree

    def _settle(
        self, path: str, search: str, lang: str, tree: object, changed: list[dict] | None
    ) -> tuple[list[Request], str, object]:
        """After a draw: the state callback the new controls fire, and each redraw it causes,
        until the address stops changing."""
        requests: list[Request] = []
        for _ in range(4):
            controls = state_controls(tree)
            if not controls:
                break
            body = state_body(
                self.state_output, controls, search, changed or [i for i, _ in controls]
            )
            state = self.callback(ROUTE_STATE, body, lang)
            requests.append(state)
            status, answer = self.answer(state, lang)
            new_search = written_search(status, answer)
            if new_search is None or new_search == search:
                break
            search, changed = new_search, None
            drawn, tree = self._draw(path, search, lang)
            requests += drawn
        return requests, search, tree

    def page_load(self, path: str, search: str, lang: str) -> tuple[list[Request], str, object]:
        """Every request of a page load, the address it ends on and the page drawn there."""
        requests = [
            get(ROUTE_HTML, path + search, lang, accept=HTML_ACCEPT),
            get(ROUTE_LAYOUT, "/_dash-layout", lang, accept="application/json"),
            get(ROUTE_DEPENDENCIES, "/_dash-dependencies", lang, accept="application/json"),
        ]
        drawn, tree = self._draw(path, search, lang)
        settled, search, tree = self._settle(path, search, lang, tree, None)
        return requests + drawn + settled, search, tree

    def change_control(
        self, path: str, search: str, lang: str, tree: object, param: str, value: object
    ) -> list[Request]:
        """A person changing one control on a drawn page: the state callback and the redraw."""
        controls = [(i, value if i.get("param") == param else v) for i, v in state_controls(tree)]
        target = [i for i, _ in controls if i.get("param") == param]
        if not target:
            return []
        state = self.callback(
            ROUTE_STATE, state_body(self.state_output, controls, search, target), lang
        )
        new_search = written_search(*self.answer(state, lang))
        if new_search is None:
            return [state]
        drawn, new_tree = self._draw(path, new_search, lang)
        settled, _, _ = self._settle(path, new_search, lang, new_tree, None)
        return [state, *drawn, *settled]

    def chart_csv_click(self, tree: object, lang: str) -> list[Request]:
        """A click on the first chart's CSV button of a drawn page (none if it has no chart)."""
        stores = chart_stores(tree)
        if not stores:
            return []
        chart, stored = stores[0]
        return [self.callback(ROUTE_CSV, csv_body(chart, stored), lang)]
