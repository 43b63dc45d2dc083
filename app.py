"""Create the Dash app, wire the HTTP routes, and run it: `python app.py [--public]`."""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

import dash
from dash import Dash, dcc, html
from werkzeug.middleware.proxy_fix import ProxyFix

import config
from dashboards._shared import context as app_context
from dashboards._shared import shell
from dashboards._shared.i18n import request_language
from web import (
    answercache,
    api,
    auth,
    callbackcache,
    health,
    requests_api,
    security,
    staticzip,
)

ROOT = Path(__file__).resolve().parent
# plotly.js in assets/: the build with only the bar, scatter and pie trace types, of the
# same version as plotly.py's own bundle. Assets load before the Dash renderer, so window.Plotly
# is there before the first graph mounts.
PLOTLY_BUNDLE = "plotly-basic-4.1.1.min.js"
GRAPH_CHUNK = "dcc/async-graph.js"  # dcc.Graph's code, loaded on demand by default

INDEX = """<!DOCTYPE html>
<html lang="{lang}">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


class DashboardApp(Dash):
    """Dash with the page's `<html lang>` set from the request's language, and plotly.js from
    assets/ (PLOTLY_BUNDLE) instead of Dash's full bundle."""

    def _setup_plotlyjs(self):
        # Dash lists the full plotly.js (every trace type: 4.8 MB, 1.4 MB compressed) for
        # dcc.Graph to fetch when window.Plotly is missing. The charts draw bar and scatter
        # traces only, and the bundle in assets/ defines window.Plotly first, so the full one
        # is neither listed nor served (its address answers 404).
        dcc._js_dist[:] = [r for r in dcc._js_dist if r.get("namespace") != "plotly"]
        self._plotlyjs_url = self.get_asset_url(PLOTLY_BUNDLE)
        # dcc.Graph's own code (5 kB compressed) comes with the page's scripts, with a
        # versioned address kept for a year, instead of being fetched when the first graph
        # mounts: every page with a chart saves that round trip
        for resource in dcc._js_dist:
            if resource.get("relative_package_path") == GRAPH_CHUNK:
                resource.pop("async", None)

    def interpolate_index(self, **kwargs):
        from flask import request

        html_text = super().interpolate_index(**kwargs)
        lang = request_language(request.args.get("lang"))
        return html_text.replace('<html lang="{lang}">', f'<html lang="{lang}">', 1)


def create_app(
    public: bool | None = None, database_url: str | None = None, host: str | None = None
) -> Dash:
    """The app; `host` is the address it will listen on (default: DASHBOARD_HOST)."""
    public = config.get_bool("DASHBOARD_PUBLIC") if public is None else public
    ctx = app_context.make_context(public=public, database_url=database_url)
    app = DashboardApp(
        __name__,
        use_pages=True,
        pages_folder=str(ROOT / "dashboards"),
        assets_folder=str(ROOT / "assets"),
        title="Digital sex crime statistics · 디지털 성범죄 통계",
        suppress_callback_exceptions=True,
        serve_locally=True,
        update_title=None,
        compress=True,
        on_error=shell.on_callback_error,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = INDEX
    app.layout = html.Div(
        [
            dcc.Location(id="url", refresh="callback-nav"),
            shell.navbar(),
            html.Main(
                [shell.unreadable_notice(), dash.page_container],
                id="main",
                className="container-lg py-3",
            ),
        ]
    )
    app.server.config[app_context.CONFIG_KEY] = ctx
    proxies = config.get_int("TRUSTED_PROXIES")
    if proxies > 0:  # the client's address and scheme as the proxies in front saw them
        app.server.wsgi_app = ProxyFix(app.server.wsgi_app, x_for=proxies, x_proto=proxies)
    # /assets/ URLs carry their modification time, so browsers may keep them for a year
    app.server.config["SEND_FILE_MAX_AGE_DEFAULT"] = 365 * 24 * 3600
    security.register(app, host or config.get("DASHBOARD_HOST"))  # first: its checks run first
    staticzip.register(app.server)  # static files compressed once, not per request
    health.register(app.server)
    api.register(app.server)
    requests_api.register(app.server)
    if public:
        callbackcache.register(app.server, answercache.make_response_cache(entries=1024))
    return app


def settle_heap() -> None:
    """Take what start-up left in memory (modules, the app, its pages: ~150,000 objects, alive
    as long as the process) out of the garbage collector's full passes, which would otherwise walk
    all of them (60-100 ms) in the middle of whichever request set one off. Call it once the app
    is built, in the process that serves it."""
    gc.collect()  # garbage of the start-up, freed before the rest is set aside for good
    gc.freeze()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the statistics dashboard.")
    parser.add_argument(
        "--public",
        action="store_true",
        help="serve the public read-only view (setting DASHBOARD_PUBLIC)",
    )
    parser.add_argument("--host", default=config.get("DASHBOARD_HOST"))
    parser.add_argument("--port", type=int, default=int(config.get("DASHBOARD_PORT")))
    parser.add_argument("--debug", action="store_true", help="Dash debug mode (development)")
    args = parser.parse_args(argv)
    problem = auth.startup_problem(args.public or config.get_bool("DASHBOARD_PUBLIC"), args.host)
    if problem:
        parser.exit(2, f"app.py: {problem}\n")
    app = create_app(public=args.public or None, host=args.host)
    settle_heap()
    app.run(host=args.host, port=args.port, debug=args.debug)


if __name__ == "__main__":
    main()
