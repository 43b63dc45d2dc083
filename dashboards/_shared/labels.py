"""Readable labels for breakdown categories (age groups, genders, school levels ...)."""

from __future__ import annotations

from dashboards._shared.catalogue import CATALOGUE
from dashboards._shared.i18n import t


def category_key(dimension: str, category: str) -> str:
    return f"cat.{dimension or 'none'}.{category}"


def category_label(dimension: str, category: str, lang: str) -> str:
    """The catalogue label of a category; codes without one are shown tidied (`a_b` → `a b`)."""
    if category == "total":
        return t("cat.total", lang)
    key = category_key(dimension, category)
    if key in CATALOGUE:
        return t(key, lang)
    return category.replace("_", " ")
