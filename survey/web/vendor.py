"""plotly.js served by the app itself from the plotly package — no CDN.

Many respondents and staff sit behind networks where foreign CDNs fail, so the file comes from
the installed Python package, gzip-compressed once per process, under a versioned URL that can
be cached for a year.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

from flask import Response, abort, request, url_for


@lru_cache(maxsize=1)
def _plotly() -> tuple[str, bytes, bytes]:
    import plotly

    raw = resources.files("plotly").joinpath("package_data/plotly.min.js").read_bytes()
    return plotly.__version__, raw, gzip.compress(raw, compresslevel=9)


def plotly_version() -> str:
    from importlib.metadata import version

    return version("plotly")


def plotly_js_url() -> str:
    return url_for("system.plotly_js", version=plotly_version())


def plotly_js_response(version: str) -> Response:
    current, raw, compressed = _plotly()
    if version != current:
        abort(404)
    use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    resp = Response(compressed if use_gzip else raw, mimetype="text/javascript")
    if use_gzip:
        resp.headers["Content-Encoding"] = "gzip"
    resp.headers["Vary"] = "Accept-Encoding"
    resp.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return resp
