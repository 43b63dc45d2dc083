"""Korean and English: one catalogue for every label, and how a request's language is chosen.

Language: `?lang=ko|en` wins; otherwise the browser's Accept-Language; Korean as fallback.
"""

from __future__ import annotations

from dashboards._shared.catalogue import CATALOGUE

LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "ko"


def pick_language(query_lang: str | None, accept_language: str | None) -> str:
    if query_lang in LANGUAGES:
        return query_lang
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def request_language(query_lang: str | None = None) -> str:
    """The language of the request being served (inside a Flask request or Dash callback)."""
    try:
        from flask import has_request_context, request
    except ImportError:  # pragma: no cover
        return pick_language(query_lang, None)
    if not has_request_context():
        return pick_language(query_lang, None)
    return pick_language(query_lang, request.headers.get("Accept-Language"))


def t(key: str, lang: str, **values) -> str:
    """The catalogue text for `key` in `lang`, formatted with `values`. Unknown keys raise."""
    entry = CATALOGUE[key]
    text = entry[lang if lang in entry else DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def pick(lang: str, ko: str, en: str) -> str:
    """Choose between a registry's Korean and English text (metric names, definitions)."""
    return ko if lang == "ko" and ko else en
