/* Draws every dashboard figure (and wires the brief's Print button) from its JSON block with the self-hosted plotly.js.
   The figure JSON sits in <script type="application/json" id="fig-…"> (no inline script, so
   the CSP can forbid them); a chart container names its block in data-figure. If plotly.js
   fails to load, the sentence and data table under each chart remain the text alternative. */
(function () {
  "use strict";

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-figure"));
    if (!source || !window.Plotly) { return; }
    var fig;
    try {
      fig = JSON.parse(source.textContent);
    } catch (e) {
      return;
    }
    var minWidth = parseInt(el.getAttribute("data-min-width") || "0", 10);
    if (minWidth) { el.style.minWidth = minWidth + "px"; }
    var titled = keepTitle(el, fig.layout);
    window.Plotly.newPlot(el, fig.data, fig.layout, fig.config).then(function () {
      el.classList.add("is-drawn");
      var card = el.closest(".chart");
      if (card) {
        card.classList.add("is-drawn");
        if (titled) { card.classList.add("is-titled"); }
      }
    });
  }

  /* plotly.js never wraps a title: where the chart's visible width is narrower than the title
     needs (a phone), the figure drops it and the page's own heading, which wraps, stays. */
  function keepTitle(el, layout) {
    var title = layout.title && layout.title.text;
    if (!title) { return false; }
    var visible = (el.closest(".chart-scroll") || el).clientWidth;
    var size = (layout.title.font && layout.title.font.size) || 15;
    if (visible >= textWidth(title, size) + 40) { return true; }
    layout.title = {text: ""};
    if (layout.margin && layout.margin.t) { layout.margin.t = Math.max(20, layout.margin.t - 35); }
    return false;
  }

  function textWidth(text, size) {
    var wide = (text.match(/[\u2e80-\uffef]/g) || []).length;
    return (text.length - wide) * size * 0.55 + wide * size;
  }

  function resizeAll() {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".chart-figure.is-drawn").forEach(function (el) {
      window.Plotly.Plots.resize(el);
    });
  }

  function bindPrint(button) {
    button.hidden = false;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  }

  function init() {
    document.querySelectorAll("[data-figure]").forEach(draw);
    document.querySelectorAll("[data-print]").forEach(bindPrint);
    window.addEventListener("beforeprint", resizeAll);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
