"""The catalogue: every piece of interface text in Korean and English, keyed by a stable id.

Each module here holds the text of one part of the product as `TEXT = {key: {"ko": .., "en": ..}}`;
they are merged below, and a key defined twice is an error.
"""

from __future__ import annotations

import importlib
import pkgutil

CATALOGUE: dict[str, dict[str, str]] = {}

for _module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    _module = importlib.import_module(f"{__name__}.{_module_info.name}")
    for _key, _entry in getattr(_module, "TEXT", {}).items():
        if _key in CATALOGUE:
            raise KeyError(f"catalogue key {_key!r} is defined twice")
        if set(_entry) != {"ko", "en"}:
            raise KeyError(f"catalogue key {_key!r} needs exactly 'ko' and 'en'")
        CATALOGUE[_key] = _entry
