"""Accessibility checks for a Playwright page: axe-core, and what axe cannot measure.

axe-core (bundled by `axe-playwright-python` and injected through DevTools, so the app's CSP
needs no exception) runs the WCAG 2.0/2.1 A and AA rules. It cannot judge text drawn over an
image — plotly draws heatmaps as images — nor a focus ring's contrast, so those two are
measured here in the browser: text against a screenshot taken with the text hidden, the ring
against the background it sits on.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import skip_or_fail

from .conftest import OUTPUT

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe's best practices (landmarks, headings, regions): not WCAG failures, but what a screen
# reader user relies on to find their way; run on the respondent's pages.
BEST_PRACTICE = [*WCAG_TAGS, "best-practice"]
BLOCKING = ("serious", "critical")
AUDIT_DIR = OUTPUT / "accessibility"


@dataclass
class Audit:
    """axe-core's violations on one page, as a user saw it."""

    name: str
    url: str
    violations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def blocking(self) -> list[dict[str, Any]]:
        return [v for v in self.violations if v.get("impact") in BLOCKING]

    def report(self) -> str:
        lines = [f"{self.name} ({self.url}): {len(self.violations)} violation(s)"]
        for v in self.violations:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"]:
                lines.append(f"    at {' '.join(map(str, node['target']))}")
                lines.append(f"      {node['html'][:300]}")
                summary = (node.get("failureSummary") or "").replace("\n", "\n        ")
                lines.append(f"        {summary}")
        return "\n".join(lines)


@dataclass
class Run:
    """What one browser session found: axe per page, and the checks axe cannot make."""

    audits: dict[str, Audit] = field(default_factory=dict)
    overflow: dict[str, int] = field(default_factory=dict)
    low_contrast: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    chart_problems: list[str] = field(default_factory=list)

    def check(self, page: Any, key: str, name: str, tags: list[str] | None = None) -> None:
        """axe on the page, and how far it scrolls sideways (WCAG 1.4.10: none on a phone)."""
        self.audits[key] = run_axe(page, name, tags)
        self.overflow[key] = page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth")


def run_axe(page: Any, name: str, tags: list[str] | None = None) -> Audit:
    """Run the WCAG A/AA rules (or the rules of `tags`) on the page as it is now and keep the
    result on disk."""
    try:
        from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
    except ImportError:
        skip_or_fail("axe-playwright-python is not installed")

    options = {"runOnly": {"type": "tag", "values": tags or WCAG_TAGS},
               "resultTypes": ["violations"]}
    result = Axe().run(page, options=options)
    audit = Audit(name, page.url, list(result.response["violations"]))
    AUDIT_DIR.mkdir(parents=True, exist_ok=True)
    # "incomplete" lists what axe could not decide (text over an image, say): a person checks.
    (AUDIT_DIR / f"{name}.json").write_text(
        json.dumps({"url": audit.url, "violations": audit.violations,
                    "incomplete": result.response.get("incomplete", [])}, indent=1,
                   ensure_ascii=False), encoding="utf-8")
    return audit


def assert_accessible(audit: Audit) -> None:
    """No serious or critical violation (staff pages)."""
    assert not audit.blocking, "\n" + audit.report()


def assert_no_violations(audit: Audit) -> None:
    """No violation of any impact, minor and moderate too: the respondent's pages, which
    owners who never chose this check must be able to use."""
    assert not audit.violations, "\n" + audit.report()


_WCAG_RATIO = """
  const channel = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const lum = (c) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  const rgb = (css) => css.match(/[\\d.]+/g).map(Number);
"""

# A chart that scrolls sideways (.chart-scroll) is unclipped while it is measured, so the
# screenshot holds the text a reader scrolls to as well.
_HIDE_SVG_TEXT = """(selector) => {
  document.querySelectorAll(".chart-scroll").forEach((el) => el.classList.add("a11y-unclip"));
  document.querySelectorAll(".a11y-unclip").forEach((el) => { el.style.overflow = "visible"; });
  const out = [];
  document.querySelectorAll(selector).forEach((root) => {
    root.querySelectorAll("text").forEach((t) => {
      const r = t.getBoundingClientRect(), s = getComputedStyle(t);
      if (!t.textContent.trim() || r.width < 1 || r.height < 1 || s.visibility === "hidden"
          || s.display === "none") return;
      out.push({chart: root.id || root.className, text: t.textContent.trim().slice(0, 40),
                fill: s.fill, opacity: parseFloat(s.fillOpacity) * parseFloat(s.opacity),
                size: parseFloat(s.fontSize), weight: parseInt(s.fontWeight, 10) || 400,
                x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height});
      t.setAttribute("data-a11y-visibility", t.style.visibility);
      t.style.visibility = "hidden";
    });
  });
  const pageWidth = document.documentElement.scrollWidth;
  return out.map((t) => ({...t, pageWidth}));
}"""
_SHOW_SVG_TEXT = """() => {
  document.querySelectorAll("[data-a11y-visibility]").forEach((t) => {
    t.style.visibility = t.getAttribute("data-a11y-visibility");
    t.removeAttribute("data-a11y-visibility");
  });
  document.querySelectorAll(".a11y-unclip").forEach((el) => {
    el.style.overflow = "";
    el.classList.remove("a11y-unclip");
  });
}"""
# Each text's background is the commonest pixel under it in a screenshot taken with the text
# hidden; the text's own opacity is blended in before WCAG's ratio is taken.
_MEASURE = """async ([png, texts]) => {""" + _WCAG_RATIO + """
  const img = new Image();
  img.src = "data:image/png;base64," + png;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const scale = img.width / (texts.length ? texts[0].pageWidth
                                            : document.documentElement.scrollWidth);
  return texts.map((t) => {
    const x = Math.max(0, Math.floor(t.x * scale)), y = Math.max(0, Math.floor(t.y * scale));
    const w = Math.max(1, Math.min(Math.ceil(t.w * scale), canvas.width - x));
    const h = Math.max(1, Math.min(Math.ceil(t.h * scale), canvas.height - y));
    const px = ctx.getImageData(x, y, w, h).data, counts = new Map();
    for (let i = 0; i < px.length; i += 4) {
      const k = px[i] + "," + px[i + 1] + "," + px[i + 2];
      counts.set(k, (counts.get(k) || 0) + 1);
    }
    const bg = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0].split(",").map(Number);
    const m = rgb(t.fill);
    const alpha = t.opacity * (m.length > 3 ? m[3] : 1);
    const fg = [0, 1, 2].map((i) => m[i] * alpha + bg[i] * (1 - alpha));
    const large = t.size >= 24 || (t.size >= 18.66 && t.weight >= 700);
    return {...t, background: "rgb(" + bg.join(", ") + ")",
            ratio: Math.round(ratio(fg, bg) * 100) / 100, needed: large ? 3 : 4.5};
  });
}"""


def svg_text_contrast(page: Any, selector: str) -> list[dict[str, Any]]:
    """Every SVG text under `selector` whose contrast with what is drawn behind it is below
    WCAG AA (4.5:1, or 3:1 for large text)."""
    texts = page.evaluate(_HIDE_SVG_TEXT, selector)
    try:
        png = page.screenshot(full_page=True)
    finally:
        page.evaluate(_SHOW_SVG_TEXT)
    measured = page.evaluate(_MEASURE, [base64.b64encode(png).decode(), texts])
    assert len(measured) == len(texts)
    return [t for t in measured if t["ratio"] < t["needed"]]


_FOCUS_RING = """() => {""" + _WCAG_RATIO + """
  const el = document.activeElement.closest(".choice") || document.activeElement;
  const s = getComputedStyle(el);
  let bg = el.parentElement;
  while (bg && rgb(getComputedStyle(bg).backgroundColor)[3] === 0) bg = bg.parentElement;
  const behind = bg ? rgb(getComputedStyle(bg).backgroundColor) : [255, 255, 255];
  return {element: el.outerHTML.slice(0, 80), style: s.outlineStyle,
          width: parseFloat(s.outlineWidth), colour: s.outlineColor,
          ratio: Math.round(ratio(rgb(s.outlineColor), behind) * 100) / 100};
}"""


def focus_ring(page: Any) -> dict[str, Any]:
    """The focused element's outline (its option card's, for a radio or checkbox) and its
    contrast with the background around it."""
    result: dict[str, Any] = page.evaluate(_FOCUS_RING)
    return result


def focused(page: Any) -> dict[str, Any]:
    """The focused element; `ring` is the outline that shows it has focus (an option's card
    draws it for its radio or checkbox)."""
    result: dict[str, Any] = page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), id: el.id, type: el.type || "",
                name: el.name || "", value: el.value || "", checked: !!el.checked,
                cls: String(el.className || ""), outline: getComputedStyle(el).outlineStyle,
                ring: getComputedStyle(el.closest(".choice") || el).outlineStyle};
    }""")
    return result
