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
    window.Plotly.newPlot(el, fig.data, fig.layout, fig.config).then(function () {
      el.classList.add("is-drawn");
      var card = el.closest(".chart");
      if (card) { card.classList.add("is-drawn"); }
    });
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
