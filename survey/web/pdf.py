"""Pages of this app as PDF, rendered on the server by WeasyPrint with print media.

The SME's report (survey.respondent.pdf) and the policy brief (survey.staff.brief) are their
own pages laid out with the print stylesheet (`static/css/print.css`, the one a browser uses
for Ctrl+P), so page and PDF never say different things. Rendering never touches the network:
the fetcher serves the app's own static files and `data:` URIs and refuses every other URL.

WeasyPrint is imported when a PDF is asked for, not with the app: it loads Pango and takes
about 0.4 s, which every other request and command would pay for nothing.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import current_app, request, url_for
from werkzeug.security import safe_join

# Families that draw simplified Chinese, as fontconfig names them. A Chinese PDF that embeds
# none of them was drawn in a face without Chinese glyphs: boxes instead of words.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Noto Sans Mono CJK SC",
                "Source Han Sans SC", "Source Han Serif SC", "WenQuanYi")

# WeasyPrint lays out text inside inline SVG (the report's chart) with the drawing's own
# attributes, not the page's CSS; with no family it falls back to a default face, which draws
# Chinese with Japanese glyph shapes. The same chain as print.css, CJK first.
SVG_FONT_FAMILY = ("'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', "
                   "'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif")
SVG_TAG = "{http://www.w3.org/2000/svg}svg"

# site.css is shared with the screen: WeasyPrint warns, on every PDF, about the screen-only
# rules it ignores (width media queries, user-select, …). Errors, such as a refused URL or a
# stylesheet that failed to load, still reach the log.
logging.getLogger("weasyprint").setLevel(logging.ERROR)

# One render at a time per process: gunicorn's threaded workers would otherwise call Pango and
# fontconfig from several threads at once, which WeasyPrint's users report crashing. Rendering
# is Python-bound and holds the GIL anyway, so little throughput is lost.
_RENDER_LOCK = threading.Lock()


class MissingFontError(RuntimeError):
    """The server has no font for Chinese (Debian: `apt-get install fonts-noto-cjk`)."""


def static_fetcher(static_url: str, static_folder: str) -> Any:
    """A WeasyPrint URL fetcher that serves `static_url…` from `static_folder` and decodes
    `data:` URIs, and refuses everything else (other hosts, other paths, `file:`), so a PDF
    neither makes a request nor reads a file outside the static folder."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = urlsplit(url)._replace(query="", fragment="").geturl()
            if not path.startswith(static_url):
                raise ValueError(f"only the app's static files are fetched, not {url}")
            name = unquote(path[len(static_url):])
            found = safe_join(static_folder, name)
            if found is None or not Path(found).is_file():
                raise ValueError(f"no static file {name!r}")
            mime = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": mime})

    return StaticFetcher(allowed_protocols=("data", "http", "https"))


def render_pdf(html: str, lang: str) -> bytes:
    """`html`, a page of this app in `lang`, as PDF bytes (print media, no network).

    Raises MissingFontError for a Chinese page when no CJK face was embedded: an error that
    names the missing package beats a PDF of empty boxes.
    """
    from weasyprint import HTML

    static_folder = current_app.static_folder
    if static_folder is None:
        raise RuntimeError("the app has no static folder: the PDF would have no stylesheet")
    # The page's stylesheet links are paths, resolved against the request's own URL; the
    # static prefix is built from that same host, not SERVER_NAME, which may name a port the
    # proxy's Host header leaves out.
    static_url = request.host_url + url_for("static", filename="").lstrip("/")
    fetcher = static_fetcher(static_url, static_folder)
    page = HTML(string=html, base_url=request.url, url_fetcher=fetcher)
    for svg in page.etree_element.iter(SVG_TAG):
        svg.attrib.setdefault("font-family", SVG_FONT_FAMILY)
    with _RENDER_LOCK:
        document = page.render()
        pdf: bytes = document.write_pdf()
    if lang == "zh":  # the document knows its fonts once written
        families = {str(font.family) for font in document.fonts.values()}
        if not any(family.startswith(CJK_FAMILIES) for family in families):
            raise MissingFontError(f"no CJK font in the PDF (only {sorted(families)}): "
                                   "install fonts-noto-cjk on the server")
    return pdf
