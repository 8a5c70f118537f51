"""Plotly figure JSON built by hand: layout, bars with intervals, hidden markers.

Pure (no Flask, no SQLAlchemy, not even plotly): a figure is a plain dict `{"data", "layout",
"config"}` that static/js/charts.js hands to `Plotly.newPlot`. Building the dict directly is
much cheaper than plotly.graph_objects and keeps the dashboard's Python light. The conventions
every chart shares live here: a CJK font stack, no plotly logo and a minimal mode bar, 95 %
error bars, low precision hatched and lighter, suppressed groups written out rather than drawn
as zero. No geo traces, ever: their base maps come from a CDN. Heatmaps are drawn by
survey.core.charts.heatmaps; every colour comes from survey.core.charts.palette.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from survey.core.charts.palette import HATCH, HIDDEN_LABEL_BG, INK, PAPER
from survey.core.formatting import describe_mean, describe_share
from survey.core.rounding import half_up
from survey.core.stats import Interval, Mean, Share

Labels = Mapping[str, Any]
"""Translated strings with %(name)s placeholders; keys "plural.*" hold n -> str functions."""
Names = Mapping[str, str]

FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Segoe UI", Roboto, sans-serif'
CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    # plotly.js's own words (mode bar tooltips, the "Double-click to zoom back out" tip) are
    # English only; each chart has its own CSV download, so neither is needed.
    "displayModeBar": False,
    "showTips": False,
    "modeBarButtonsToRemove": [
        "zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d",
        "resetScale2d", "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian",
        "sendDataToCloud", "editInChartStudio",
    ],
}
TOTAL_ID = "all"
"""The CSV and table id of a margin (a row or column total)."""





def fmt_int(n: int | None) -> str:
    return "—" if n is None else f"{n:,}"


def fmt_mean(m: Mean | None) -> str:
    """"53 (52–54)" — survey.core.stats writes every aggregate, so pages and charts agree."""
    return describe_mean(m)


def fmt_share(s: Share | None) -> str:
    """"0.2% (0.1%–0.4%)" (see survey.core.formatting.describe_share)."""
    return describe_share(s)


LINE_BREAK = "<br>"


def plain(text: str) -> str:
    """Text for a figure with Plotly's pseudo-HTML (<a href>, <b>, <span style>…) disarmed.

    Plotly renders a subset of HTML in every label, tick, legend entry, annotation and hover
    text, and some of them come from people (wave names an admin types, unexpected category
    codes). Everything is escaped; only the line breaks the charts put in themselves stay
    markup. Entities show as their characters, so the label reads as it was written.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("&lt;br&gt;", LINE_BREAK)


def _plain_all(value: Any, key: str = "") -> Any:
    """Every string of a figure through `plain`, except Plotly's own templates
    (`hovertemplate`, `texttemplate`), whose `<extra>` tags and `%{…}` fields are ours."""
    if isinstance(value, str):
        return value if key.endswith("template") else plain(value)
    if isinstance(value, dict):
        return {k: _plain_all(v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_all(v, key) for v in value]
    return value


def name(names: Names, namespace: str, key: Any, labels: Labels) -> str:
    if key is None:
        return str(labels["not_stated"])
    if key == TOTAL_ID:
        return str(labels["all"])
    known = names.get(f"{namespace}:{key}")
    return known if known is not None else str(key)


def text_px(text: str, size: float = 12) -> float:
    """About how wide plotly draws `text` (its longest line) at font `size`: Latin letters
    about 0.6 em, CJK characters a full em. Enough to size a chart, not to typeset it."""
    def line(part: str) -> float:
        return sum(size if ord(ch) >= 0x2E80 else 0.6 * size for ch in part)

    return max((line(part) for part in text.split(LINE_BREAK)), default=0.0)


def wrap(text: str, width: int = 18) -> str:
    """Break a long axis label over lines at spaces (Chinese labels are short enough as is)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def plural(labels: Labels, key: str, n: int) -> str:
    """The right plural form for n, from a translated n -> str function in `labels`."""
    return str(labels[key](n))


def hidden_text(labels: Labels, k: int, short: bool = False) -> str:
    """"hidden (n<10)"; `short` breaks it over two lines for narrow heatmap cells."""
    return str(labels["hidden_short" if short else "hidden"] % {"k": k})


def layout(title: str, n: int | None, labels: Labels, **extra: Any) -> dict[str, Any]:
    text = title if n is None else f"{title} ({labels['n'] % {'n': fmt_int(n)}})"
    out: dict[str, Any] = {
        "title": {"text": text, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "font": {"family": FONT, "size": 12, "color": INK},
        "margin": {"l": 60, "r": 20, "t": 60, "b": 60},
        "paper_bgcolor": PAPER,
        "plot_bgcolor": PAPER,
        "legend": {"orientation": "h", "y": -0.2},
        "height": 380,
        "hoverlabel": {"font": {"family": FONT}},
    }
    out.update(extra)
    return out


def figure(data: list[dict[str, Any]], lay: dict[str, Any]) -> dict[str, Any]:
    """The figure JSON. Charts are built from plain text (names as people wrote them, also used
    in summaries and tables); this is the one place it becomes Plotly's pseudo-HTML."""
    return {"data": _plain_all(data), "layout": _plain_all(lay), "config": CONFIG}


def errors(values: Sequence[float | None], intervals: Sequence[Interval | None],
           scale: float = 1.0) -> dict[str, Any]:
    plus = [None if v is None or iv is None else half_up(iv.high * scale - v, 3)
            for v, iv in zip(values, intervals, strict=True)]
    minus = [None if v is None or iv is None else half_up(v - iv.low * scale, 3)
             for v, iv in zip(values, intervals, strict=True)]
    return {"type": "data", "symmetric": False, "array": plus, "arrayminus": minus,
            "visible": True, "thickness": 1.2, "width": 3}


def bar(name_: str, cats: list[str], values: list[float | None],
        intervals: list[Interval | None], low: list[bool], color: str, *,
        scale: float = 1.0, horizontal: bool = False, texts: Sequence[str] = ()
        ) -> dict[str, Any]:
    """A bar trace with 95 % error bars; low-precision bars hatched and lighter.

    The hatch's background is the bar's own colour: without it plotly.js draws only the white
    stripes, and on the white plot a low-precision bar vanishes.

    `texts` are the values as the page writes them (survey.core.stats), shown on hover in
    place of plotly's own number formatting, which rounds differently.
    """
    shown = [None if v is None else half_up(v * scale, 2) for v in values]
    trace: dict[str, Any] = {
        "type": "bar", "name": name_,
        "x": shown if horizontal else cats, "y": cats if horizontal else shown,
        "orientation": "h" if horizontal else "v",
        "marker": {"color": color, "opacity": [0.5 if lp else 1.0 for lp in low],
                   "pattern": {"shape": ["/" if lp else "" for lp in low],
                               "fgcolor": HATCH, "bgcolor": color, "size": 6}},
        ("error_x" if horizontal else "error_y"): errors(shown, intervals, scale),
        "customdata": list(texts) if texts else ["" if v is None else f"{v:g}" for v in shown],
        "hovertemplate": ("%{y}" if horizontal else "%{x}")
        + ": %{customdata}<extra>%{fullData.name}</extra>",
    }
    return trace


def hidden_annotations(cats: list[str], hidden: list[bool], text: str, *,
                       horizontal: bool = False, axis: str = "") -> list[dict[str, Any]]:
    """Text written where a suppressed bar would stand, so it never reads as a zero."""
    out = []
    for cat, h in zip(cats, hidden, strict=True):
        if not h:
            continue
        ann: dict[str, Any] = {"text": text, "showarrow": False, "font": {"size": 11},
                               "bgcolor": HIDDEN_LABEL_BG}
        if horizontal:
            ann.update({"y": cat, "x": 0, "xref": "paper", "yref": "y" + axis,
                        "xanchor": "left"})
        else:
            ann.update({"x": cat, "y": 0, "yref": "paper", "xref": "x" + axis,
                        "yanchor": "bottom", "textangle": -90})
        out.append(ann)
    return out
