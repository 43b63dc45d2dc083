"""The plotly.js bundle vendored in assets/: the version plotly.py writes figures for, named in
app.py, with its licence beside it."""

from __future__ import annotations

from plotly.offline import get_plotlyjs_version

from tests.conftest import ROOT

ASSETS = ROOT / "assets"


def test_the_plotly_bundle_is_plotly_pys_version():
    version = get_plotlyjs_version()
    bundles = sorted(p.name for p in ASSETS.glob("plotly*.js"))
    assert bundles == [f"plotly-basic-{version}.min.js"]
    head = (ASSETS / bundles[0]).read_text(encoding="utf-8")[:200]
    assert f"plotly.js (basic - minified) v{version}\n" in head
    app_text = (ROOT / "app.py").read_text(encoding="utf-8")
    assert f'PLOTLY_BUNDLE = "{bundles[0]}"' in app_text


def test_the_plotly_bundle_has_its_licence_beside_it():
    text = (ASSETS / "PLOTLY-LICENSE.txt").read_text(encoding="utf-8")
    assert f"plotly-basic-{get_plotlyjs_version()}.min.js" in text
    assert "MIT License" in text and "Plotly Technologies Inc." in text
