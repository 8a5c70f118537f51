/* Background save of a questionnaire page. Without this file the buttons still save the page.
   Each change is posted (debounced; at once when the page is hidden or left) to the page's
   draft endpoint, which stores the valid answers without moving the respondent on. Until the
   server has a change, a copy sits in localStorage; a page that opens with a copy made from
   what the server still holds (the save never arrived) puts it back and saves it.
   Each save carries the draft revision it last saw: one still in flight when a button is
   pressed is refused if the button's save came first, so it cannot put older answers back. A
   live page refused because another save came in between (another tab) sends again. */
(function () {
  "use strict";
  var status = document.getElementById("autosave-status");
  var form = document.querySelector("form.js-survey-form");
  if (!status || !form || !window.fetch || !window.JSON) return;

  var PREFIX = "survey-autosave:";
  var RETRY_MS = [1000, 2000, 4000, 8000, 15000, 30000];
  var SKIP = { csrf_token: 1, action: 1, lang: 1, submit: 1, button: 1, reset: 1, file: 1, image: 1 };
  var url = status.getAttribute("data-url");
  var key = PREFIX + status.getAttribute("data-key");
  var keepDays = parseInt(status.getAttribute("data-keep-days"), 10) || 30;
  var revision = status.getAttribute("data-revision");
  var pageStamp = status.getAttribute("data-page");
  var csrf = form.querySelector('input[name="csrf_token"]');
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }

  var acked = null; // the fields, as JSON, that the server is known to hold
  var beaconed = null; // the fields last sent as the page was hidden
  var timer = null, retryTimer = null, failures = 0;
  var inFlight = false, again = false, stopped = false, restoring = false, restored = false;
  var leaving = false; // a button was pressed: its post saves the page

  function text(name) { return status.getAttribute("data-" + name) || ""; }
  function show(message) { status.textContent = (restored ? text("restored") + " " : "") + message; }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock() { var d = new Date(); return pad(d.getHours()) + ":" + pad(d.getMinutes()); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function isField(el) { return el.name && !SKIP[el.name] && !SKIP[(el.type || "").toLowerCase()]; }
  function checkable(el) { return el.type === "radio" || el.type === "checkbox"; }

  // [name, value] pairs as the form would post them; a follow-up the page hides is disabled.
  function fields() {
    var pairs = [];
    each(form.elements, function (el) {
      if (!isField(el) || el.disabled || (checkable(el) && !el.checked)) return;
      if (el.tagName === "SELECT") {
        each(el.options, function (o) { if (o.selected) pairs.push([el.name, o.value]); });
      } else {
        pairs.push([el.name, el.value]);
      }
    });
    return pairs;
  }
  function current() { return JSON.stringify(fields()); }

  // A change event on each restored field tells the page's other scripts (follow-ups).
  function restore(pairs) {
    var values = {}, changed = [];
    pairs.forEach(function (p) { (values[p[0]] = values[p[0]] || []).push(p[1]); });
    each(form.elements, function (el) {
      if (!isField(el)) return;
      var wanted = values[el.name] || [];
      if (checkable(el)) {
        if (el.checked !== (wanted.indexOf(el.value) >= 0)) { el.checked = !el.checked; changed.push(el); }
      } else if (el.tagName === "SELECT") {
        each(el.options, function (o) {
          var on = wanted.indexOf(o.value) >= 0;
          if (o.selected !== on) { o.selected = on; if (changed.indexOf(el) < 0) changed.push(el); }
        });
      } else if (wanted.length && el.value !== wanted[0]) {
        el.value = wanted[0];
        changed.push(el);
      }
    });
    restoring = true;
    changed.forEach(function (el) {
      var event = document.createEvent("Event");
      event.initEvent("change", true, false);
      el.dispatchEvent(event);
    });
    restoring = false;
  }

  function keep(body) {
    try { if (store) store.setItem(key, JSON.stringify({ page: pageStamp, fields: JSON.parse(body), at: Date.now() })); } catch (e) { /* full: the server save still runs */ }
  }
  function drop() { try { if (store) store.removeItem(key); } catch (e) { /* nothing kept */ } }
  function read(k) {
    try { var c = JSON.parse(store.getItem(k) || "null"); return c && Array.isArray(c.fields) ? c : null; } catch (e) { return null; }
  }
  // Nobody needs a copy older than the server keeps an unfinished questionnaire.
  function prune() {
    if (!store) return;
    try {
      for (var i = store.length - 1; i >= 0; i--) {
        var k = store.key(i), c = k && k.indexOf(PREFIX) === 0 ? read(k) : 0;
        if (c === null || (c && !(c.at > Date.now() - keepDays * 864e5))) store.removeItem(k);
      }
    } catch (e) { /* storage refused */ }
  }

  function later(ms) { window.clearTimeout(timer); timer = window.setTimeout(function () { send({}); }, ms); }
  function failed(retry, message) {
    keep(current());
    show(message);
    if (!retry) return;
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(function () { send({}); }, RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]);
  }

  function handle(code, data, body, opts) {
    data = data || {};
    if (code === 200 && data.saved) {
      failures = 0;
      window.clearTimeout(retryTimer);
      revision = data.revision || revision;
      pageStamp = data.page || pageStamp;
      acked = body;
      var now = current(), notSaved = data.not_saved || [];
      if (notSaved.length) {
        keep(now);
        show(text("partial").replace("{time}", clock()) + " " + notSaved.map(function (i) { return i.label; }).join(" "));
      } else if (now === body) {
        drop();
        show(text("saved").replace("{time}", clock()));
        restored = false;
      } else {
        keep(now);
        later(800);
      }
      if (again) { again = false; send({}); }
    } else if (code === 409 && data.reason === "stale" && data.revision) {
      revision = data.revision;
      if (!opts.retried && !leaving) send({ retried: true });
      else failed(true, text("failed"));
    } else if (code === 409 && data.reason === "submitted") {
      stopped = true;
      drop();
      show(data.message || text("failed"));
    } else {
      // 429 and server errors pass; an expired form, a lost session or a bad request do not.
      var passing = code === 429 || code >= 500;
      failed(passing, passing ? text("failed") : data.message || text("failed"));
    }
  }

  function send(opts) {
    if (stopped || (leaving && !opts.keepalive)) return;
    window.clearTimeout(timer);
    var body = current();
    if (body === acked && !inFlight) return;
    if (opts.keepalive) {
      if (body === beaconed) return;
      beaconed = body;
    } else if (inFlight) {
      again = true;
      return;
    }
    if (navigator.onLine === false) { failed(false, text("offline")); return; } // "online" resends
    if (!opts.keepalive) { inFlight = true; show(text("saving")); }
    // Sent as the page goes while another save is in flight, it cannot know the revision that
    // one will make; it goes without, as no newer save can follow it from this page.
    var request;
    try {
      request = window.fetch(url, {
        method: "POST", credentials: "same-origin", cache: "no-store", keepalive: !!opts.keepalive,
        headers: { "Content-Type": "application/json", "Accept": "application/json",
                   "X-CSRFToken": csrf ? csrf.value : "" },
        body: JSON.stringify({ fields: JSON.parse(body), revision: inFlight && opts.keepalive ? null : revision })
      });
    } catch (e) {
      request = Promise.reject(e);
    }
    function done() { if (opts.keepalive) beaconed = null; else inFlight = false; }
    request.then(function (resp) {
      return resp.json().then(function (d) { return [resp.status, d]; }, function () { return [resp.status, null]; });
    }).then(function (r) { done(); handle(r[0], r[1], body, opts); },
            function () { done(); failed(true, text("offline")); });
  }

  function changed() {
    if (restoring || stopped || leaving) return;
    var now = current();
    if (now === acked && !inFlight) { window.clearTimeout(timer); drop(); return; }
    keep(now);
    later(800);
  }
  function leaveNow() {
    if (leaving || stopped) return;
    window.clearTimeout(timer);
    if (current() !== acked || inFlight) send({ keepalive: true });
  }
  function resend() { failures = 0; if (current() !== acked) send({}); }

  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  form.addEventListener("submit", function (event) {
    // Offline, a button would only lead to the browser's own error page: stay, keep the
    // answers on the device and say what to do.
    if (navigator.onLine === false) {
      event.preventDefault();
      keep(current());
      form.removeAttribute("data-submitting");
      show(text("offline-button"));
      return;
    }
    leaving = true;
    window.clearTimeout(timer);
    window.clearTimeout(retryTimer);
    // A post another script cancelled, or one that never left (no network), saves nothing.
    window.setTimeout(function () { if (event.defaultPrevented) leaving = false; }, 0);
    window.setTimeout(function () { leaving = false; changed(); }, 10000);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") leaveNow();
  });
  window.addEventListener("pagehide", leaveNow);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { leaving = false; resend(); } // back from the page cache
  });
  window.addEventListener("online", resend);

  prune();
  var loaded = current(), copy = store ? read(key) : null;
  if (status.getAttribute("data-unsaved") === "true") {
    // A button sent these answers but the server did not store them (a question needs
    // attention, or the form expired): save what is valid of them now.
    keep(loaded);
    send({});
  } else if (copy && copy.page === pageStamp && JSON.stringify(copy.fields) !== loaded) {
    acked = loaded;
    restore(copy.fields);
    restored = true;
    send({});
  } else {
    acked = loaded;
    if (copy) drop();
  }
})();
