/* Questionnaire enhancements. Everything works without this file; it only makes it nicer:
   questions that depend on an answer on the same page appear when they apply, "none of
   these" clears the other boxes, the resume link can be copied, and a submit button cannot be
   pressed twice. */
(function () {
  "use strict";

  // Routing on the page. A question whose applicability depends on an answer on the same
  // page carries what is left of its condition (the server decided the rest) as JSON in
  // data-applies-if: the condition language of the questionnaire (in, not_in, ge, lt,
  // answered, all, any, not). As on the server, an unanswered, "don't know" or hidden
  // question makes every leaf on it false, except answered = false.
  var UNITS = ["\u4e07\u5143", "\u5e74", "\u4eba", "\u540d", "\u4f4d"]; // 万元 年 人 名 位

  function parseNumber(raw) {
    var text = raw.replace(/[\uff10-\uff19]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48);
    }).replace(/\uff0e/g, ".").replace(/\uff0d/g, "-").replace(/[,\uff0c\s\u3000]/g, "");
    for (var i = 0; i < UNITS.length; i++) {
      var u = UNITS[i];
      if (text.slice(-u.length) === u) { text = text.slice(0, -u.length); break; }
    }
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null;
    return parseFloat(text);
  }

  function answerOf(form, name) {
    var box = document.getElementById("q-" + name);
    if (box && box.hidden) return null;
    var els = form.querySelectorAll('[name="' + name + '"]');
    if (!els.length) return null;
    var first = els[0];
    if (first.type === "radio" || first.type === "checkbox") {
      var chosen = [], skip = false;
      els.forEach(function (el) {
        if (!el.checked) return;
        if (el.getAttribute("data-skip") === "true") skip = true;
        chosen.push(el.value);
      });
      if (skip || !chosen.length) return null;
      return first.type === "radio" ? chosen[0] : chosen;
    }
    if (first.tagName === "SELECT") {
      var opt = first.options[first.selectedIndex];
      if (!first.value || (opt && opt.getAttribute("data-skip") === "true")) return null;
      return first.value;
    }
    var value = first.value.trim();
    if (!value) return null;
    return first.getAttribute("data-number") === "true" ? parseNumber(value) : value;
  }

  function holds(cond, form) {
    if (cond.all) return cond.all.every(function (c) { return holds(c, form); });
    if (cond.any) return cond.any.some(function (c) { return holds(c, form); });
    if (cond.not) return !holds(cond.not, form);
    if (!cond.question) return true; // scores and the profile are decided by the server
    var answer = answerOf(form, cond.question);
    if ("answered" in cond) return (answer !== null) === cond.answered;
    if (answer === null) return false;
    var chosen = Array.isArray(answer) ? answer : [answer];
    if (cond["in"]) return chosen.some(function (v) { return cond["in"].indexOf(v) >= 0; });
    if (cond.not_in) return !chosen.some(function (v) { return cond.not_in.indexOf(v) >= 0; });
    if (typeof answer !== "number") return false;
    if ("ge" in cond) return answer >= cond.ge;
    if ("lt" in cond) return answer < cond.lt;
    return false;
  }

  function updateFollowUps(form) {
    // In page order, so a follow-up of a follow-up reads its parent's new visibility.
    form.querySelectorAll("[data-applies-if]").forEach(function (box) {
      var show;
      try {
        show = holds(JSON.parse(box.getAttribute("data-applies-if")), form);
      } catch (e) {
        show = true; // never hide a question on a condition this script cannot read
      }
      box.hidden = !show;
      box.querySelectorAll("input, textarea, select").forEach(function (el) { el.disabled = !show; });
    });
    form.querySelectorAll(".grid-q").forEach(function (grid) {
      var rows = grid.querySelectorAll(".grid-row");
      grid.hidden = Array.prototype.every.call(rows, function (row) { return row.hidden; });
    });
  }

  function exclusiveClick(event) {
    var el = event.target;
    if (el.type !== "checkbox" || !el.checked) return;
    var group = el.form.querySelectorAll('input[type=checkbox][name="' + el.name + '"]');
    var exclusive = el.getAttribute("data-exclusive") === "true";
    group.forEach(function (other) {
      if (other === el) return;
      if (exclusive || other.getAttribute("data-exclusive") === "true") other.checked = false;
    });
  }

  document.querySelectorAll("form.js-survey-form").forEach(function (form) {
    form.addEventListener("change", function (event) {
      exclusiveClick(event);
      updateFollowUps(form);
    });
    form.addEventListener("input", function (event) {
      if (event.target.getAttribute("data-number") === "true") updateFollowUps(form);
    });
    updateFollowUps(form);
  });

  // A long select (province, industry) gets a text box above it that narrows its options as
  // the owner types: Chinese or English names, or pinyin (its label and data-search). The
  // select stays the control that is submitted; the box has no name, so it sends nothing.
  function normalise(text) {
    return text.replace(/[\uff01-\uff5e]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).toLowerCase().replace(/\s+/g, " ").trim();
  }

  function enhanceSelect(select) {
    var all = Array.prototype.slice.call(select.options, 1); // the first is "Choose…"
    var box = document.createElement("div");
    box.className = "select-filter";
    var label = document.createElement("label");
    var input = document.createElement("input");
    var status = document.createElement("span");
    input.type = "search";
    input.id = select.id + "-filter";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    input.setAttribute("aria-describedby", select.id + "-filter-status");
    label.htmlFor = input.id;
    label.textContent = select.getAttribute("data-filter-label");
    status.id = select.id + "-filter-status";
    status.className = "select-filter-status";
    status.setAttribute("role", "status");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    select.parentNode.insertBefore(box, select);

    function apply() {
      var words = normalise(input.value).split(" ").filter(Boolean);
      var shown = [];
      all.forEach(function (opt) {
        var hay = normalise(opt.textContent + " " + (opt.getAttribute("data-search") || ""));
        var match = words.every(function (w) { return hay.indexOf(w) >= 0; });
        // The chosen answer stays in the list, so typing never changes it silently.
        if (match || opt.selected) shown.push(opt);
        if (match) opt.removeAttribute("data-no-match"); else opt.setAttribute("data-no-match", "true");
      });
      while (select.options.length > 1) select.remove(1);
      shown.forEach(function (opt) { select.add(opt); });
      var matches = shown.filter(function (o) { return !o.hasAttribute("data-no-match"); });
      if (matches.length === 1 && words.length && !matches[0].selected) {
        matches[0].selected = true;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      if (!words.length) status.textContent = "";
      else if (!matches.length) status.textContent = select.getAttribute("data-filter-none");
      else status.textContent = select.getAttribute("data-filter-count").replace("{n}", matches.length);
    }

    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      // Enter picks the first match and moves to the list, instead of submitting the page.
      event.preventDefault();
      var first = Array.prototype.find.call(select.options, function (o) {
        return o.value && !o.hasAttribute("data-no-match");
      });
      if (first && !first.selected) {
        first.selected = true;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      select.focus();
    });
  }

  document.querySelectorAll("select[data-filter-label]").forEach(enhanceSelect);

  document.querySelectorAll("form.js-once, form.js-survey-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-submitting") === "true") { event.preventDefault(); return; }
      form.setAttribute("data-submitting", "true");
      window.setTimeout(function () { form.removeAttribute("data-submitting"); }, 8000);
    });
  });

  document.querySelectorAll(".js-copy").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentNode.querySelector(".js-copy-status");
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = target.textContent.trim();
      var done = function () { status.textContent = status.getAttribute("data-copied"); };
      var fail = function () {
        var range = document.createRange();
        range.selectNodeContents(target);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        status.textContent = status.getAttribute("data-failed");
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, fail);
      } else {
        fail();
      }
    });
  });

  // Switching language on a questionnaire page saves the page first, so no answer is lost.
  var surveyForm = document.querySelector("form.js-survey-form");
  if (surveyForm) {
    document.querySelectorAll(".lang-switch a").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var lang = new URL(link.href, window.location.href).searchParams.get("lang");
        if (!lang) return;
        event.preventDefault();
        [["action", "stay"], ["lang", lang]].forEach(function (pair) {
          var input = document.createElement("input");
          input.type = "hidden";
          input.name = pair[0];
          input.value = pair[1];
          surveyForm.appendChild(input);
        });
        surveyForm.submit();
      });
    });
  }

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
