"""Dash callback requests as the browser sends them (shapes captured from Chromium on these
pages), for tests that post to /_dash-update-component."""

from __future__ import annotations

import json

PAGE_OUTPUT = ".._pages_content.children..._pages_store.data.."


def page_request(path: str, search: str = "?lang=en") -> dict:
    """Dash's page router: what the browser posts when the address changes."""
    return {
        "output": PAGE_OUTPUT,
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
        "parsedChangedPropsIds": ["_pages_location.pathname", "_pages_location.search"],
    }


def navbar_request(path: str, search: str = "?lang=en") -> dict:
    """The navigation bar, drawn for the address."""
    return {
        "output": "navbar.children",
        "outputs": {"id": "navbar", "property": "children"},
        "inputs": [
            {"id": "url", "property": "pathname", "value": path},
            {"id": "url", "property": "search", "value": search},
        ],
        "changedPropIds": ["url.pathname", "url.search"],
        "parsedChangedPropsIds": ["url.pathname", "url.search"],
    }


def dom_id(component_id: dict) -> str:
    """A pattern-matching id as Dash writes it in `changedPropIds`."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
