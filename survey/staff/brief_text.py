"""The brief's key findings and chart in words, in the page's language.

survey.core.findings decides what the numbers support; this module only writes it down, one
sentence per finding with its numbers, intervals and n, so the page, its print and the PDF read
the same. A finding the data cannot support says so and how far off it is, never asserts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import flask_babel
from markupsafe import Markup

from survey.core import findings as kf
from survey.core.charts.brief_svg import ShareBar, share_chart
from survey.core.findings import Estimate, Finding
from survey.core.formatting import format_mean, format_mean_range, format_percent, share_digits
from survey.web.templating import number

_: Callable[..., str] = flask_babel.gettext
ngettext: Callable[..., str] = flask_babel.ngettext


@dataclass(frozen=True)
class KeyFinding:
    """A finding as printed: its heading, its sentence, and whether it rests on the
    more-responses assumption (then it carries the footnote mark)."""

    heading: str
    text: str
    footnote: bool = False


def pct(e: Estimate) -> str:
    iv = e.interval
    return format_percent(e.value, share_digits(e.value, *((iv.low, iv.high) if iv else ())))


def pct_range(e: Estimate) -> str:
    iv = e.interval
    if iv is None:
        return "—"
    digits = share_digits(e.value, iv.low, iv.high)
    return f"{format_percent(iv.low, digits)}–{format_percent(iv.high, digits)}"


def _n(e: Estimate) -> str:
    return number(e.n) if e.n is not None else "—"


def _more(f: Finding) -> str:
    return _("the data cannot yet separate these: about %(more)s more responses needed",
             more=number(f.more))


def need_text(f: Finding, names: Mapping[str, str]) -> KeyFinding:
    heading = _("The largest need")
    a, b = f.subject, f.other
    if f.status == kf.TOO_FEW or a is None or b is None:
        return KeyFinding(heading, _("Too few SMEs have a known priority to name the largest "
                                     "need: the shares of %(k)s recommendations are withheld.",
                                     k=number(f.withheld)))
    values = {"rec": names.get(f"rec:{a.key}", a.key), "share": pct(a), "range": pct_range(a),
              "n": _n(a), "other": names.get(f"rec:{b.key}", b.key), "other_share": pct(b),
              "other_range": pct_range(b)}
    if f.status == kf.CLEAR:
        return KeyFinding(heading, _(
            "%(rec)s: %(share)s of SMEs with a known priority have a high-priority gap linked "
            "to it (95%% interval %(range)s, n = %(n)s), clearly ahead of %(other)s at "
            "%(other_share)s (%(other_range)s).", **values))
    if f.status == kf.NO_DIFFERENCE:
        return KeyFinding(heading, _(
            "%(rec)s and %(other)s lead with the same share, %(share)s (95%% interval "
            "%(range)s, n = %(n)s): the data show no difference between them.", **values))
    return KeyFinding(heading, _(
        "%(rec)s leads with %(share)s of SMEs with a high-priority gap (95%% interval "
        "%(range)s, n = %(n)s), ahead of %(other)s at %(other_share)s (%(other_range)s), "
        "but %(more)s.", more=_more(f), **values), footnote=True)


def segment_label(key: str, names: Mapping[str, str]) -> str:
    dimension, _sep, value = key.partition(":")
    label = {"industry": _("Industry"), "size": _("Size"), "region": _("Region")}.get(
        dimension, dimension)
    return _("%(label)s: %(value)s", label=label, value=names.get(key, value))


def behind_text(f: Finding, names: Mapping[str, str]) -> KeyFinding:
    heading = _("The segment furthest behind")
    a, b = f.subject, f.other
    withheld = (" " + ngettext("%(num)s segment is withheld (too few SMEs) and not compared.",
                               "%(num)s segments are withheld (too few SMEs) and not compared.",
                               f.withheld)) if f.withheld else ""
    if f.status == kf.TOO_FEW or a is None or b is None:
        return KeyFinding(heading, _("There is no segment to set against all SMEs: none is "
                                     "both large enough to show and smaller than the "
                                     "selection.") + withheld)
    values = {"segment": segment_label(a.key, names), "mean": format_mean(a.value),
              "range": format_mean_range(a.interval), "n": _n(a),
              "all_mean": format_mean(b.value), "all_range": format_mean_range(b.interval),
              "all_n": _n(b)}
    if f.status == kf.CLEAR:
        return KeyFinding(heading, _(
            "%(segment)s, with a mean overall score of %(mean)s (95%% interval %(range)s, "
            "n = %(n)s), below all SMEs at %(all_mean)s (%(all_range)s, n = %(all_n)s).",
            **values) + withheld)
    if f.status == kf.NO_DIFFERENCE:
        return KeyFinding(heading, _(
            "No segment scores below all SMEs: the lowest, %(segment)s, has the same mean, "
            "%(mean)s (n = %(n)s).", **values) + withheld)
    return KeyFinding(heading, _(
        "%(segment)s has the lowest mean overall score, %(mean)s (95%% interval %(range)s, "
        "n = %(n)s), against %(all_mean)s (%(all_range)s, n = %(all_n)s) for all SMEs, but "
        "%(more)s.", more=_more(f), **values) + withheld, footnote=True)


def scheme_text(f: Finding, names: Mapping[str, str],
                aware: Mapping[str, Estimate]) -> KeyFinding:
    heading = _("The scheme that fails to reach firms")
    a, b = f.subject, f.other
    if f.status == kf.TOO_FEW or a is None or b is None:
        return KeyFinding(heading, _("Too few SMEs answered on the support schemes (asked of "
                                     "firms that need finance, questionnaire 2027.1 or later) "
                                     "to say which fails to reach them."))
    values = {"scheme": names.get(f"scheme:{a.key}", a.key), "share": pct(a),
              "range": pct_range(a), "n": _n(a), "other": names.get(f"scheme:{b.key}", b.key),
              "other_share": pct(b), "other_range": pct_range(b)}
    known = aware.get(a.key)
    if f.measure == kf.REACH:
        lead = _("%(scheme)s: of the SMEs that had heard of it, %(share)s received it (95%% "
                 "interval %(range)s, n = %(n)s), against %(other_share)s for %(other)s "
                 "(%(other_range)s).", **values)
        if known is not None and known.value is not None:
            lead += " " + _("%(aware)s of the SMEs asked had heard of it.", aware=pct(known))
    else:
        lead = _("%(scheme)s is the least known: %(share)s of the SMEs asked had heard of it "
                 "(95%% interval %(range)s, n = %(n)s), against %(other_share)s for %(other)s "
                 "(%(other_range)s).", **values)
    if f.status == kf.CLEAR:
        return KeyFinding(heading, lead)
    if f.status == kf.NO_DIFFERENCE:
        return KeyFinding(heading, lead + " " + _("The data show no difference between the "
                                                   "two."))
    return KeyFinding(heading, lead + " " + _("But %(more)s.", more=_more(f)), footnote=True)


def key_findings(found: Sequence[Finding], names: Mapping[str, str],
                 aware: Mapping[str, Estimate]) -> list[KeyFinding]:
    writers = {kf.NEED: lambda f: need_text(f, names), kf.BEHIND: lambda f: behind_text(f, names),
               kf.SCHEME: lambda f: scheme_text(f, names, aware)}
    return [writers[f.kind](f) for f in found]


def needs_chart(bars: Sequence[tuple[str, Estimate, bool]], min_group: int) -> Markup:
    """The chart of high-priority shares: (name, estimate, hidden) per recommendation."""
    rows = [ShareBar(name, e.value, _("hidden (n<%(k)s)", k=min_group) if hidden and
                     e.value is None else (pct(e) if e.value is not None else "—"),
                     e.interval) for name, e, hidden in bars]
    described = "; ".join(f"{name}: {pct(e)} ({pct_range(e)})" for name, e, _h in bars
                          if e.value is not None)
    svg = share_chart(
        rows, title=_("SMEs with a high-priority gap linked to each recommendation"),
        description=_("Share of SMEs with a known priority, with 95%% intervals: %(values)s.",
                      values=described),
        axis_label=_("High priority"), interval_label=_("95%% interval") % {})
    return Markup(svg)  # noqa: S704 -- built from escaped parts in survey.core.charts
