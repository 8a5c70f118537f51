/* Questionnaire enhancements. Everything works without this file; it only makes it nicer:
   follow-up questions appear when they apply, "none of these" clears the other boxes, the
   resume link can be copied, and a submit button cannot be pressed twice. */
(function () {
  "use strict";

  function valuesOf(form, name) {
    var out = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") ? el.checked : el.value) out.push(el.value);
    });
    return out;
  }

  function updateFollowUps(form) {
    form.querySelectorAll("[data-show-if-question]").forEach(function (box) {
      var parent = box.getAttribute("data-show-if-question");
      if (!form.querySelector('[name="' + parent + '"]')) return; // parent on another page
      var wanted = box.getAttribute("data-show-if-values").split(" ");
      var show = valuesOf(form, parent).some(function (v) { return wanted.indexOf(v) >= 0; });
      box.hidden = !show;
      box.querySelectorAll("input, textarea, select").forEach(function (el) { el.disabled = !show; });
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
    updateFollowUps(form);
  });

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
