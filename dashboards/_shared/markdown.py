"""Markdown cells built from data: text escaped so nothing in a source can become markup."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def escape(text: str) -> str:
    """`text` shown literally by a markdown renderer (no links, emphasis or HTML)."""
    return _SPECIAL.sub(r"\\\1", str(text))


def link(text: str, url: str) -> str:
    """A markdown link to an http(s) `url` with escaped text; other schemes become plain text."""
    if not re.match(r"^https?://", url or ""):
        return escape(text)
    safe_url = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{escape(text)}]({safe_url})"
