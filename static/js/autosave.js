/* Background save of a questionnaire page, so that no answer is lost.

   Everything works without this file: the buttons under the questions save the page. With it,
   each change is posted (debounced; at once when the page is hidden or left) to the page's
   draft endpoint, which stores the valid answers without moving the respondent on. Until the
   server has a change, a copy of the page sits in the browser's storage; a page that opens
   with a copy the server never received (the network dropped, the phone switched apps) puts
   it back and saves it. The status line under the buttons says what happened.

   Concurrency: each save carries the revision of the draft it last saw. A save still in
   flight when a button is pressed is refused by the server if the button's save came first,
   so it cannot put older answers back. A live page whose save is refused because another save
   came in between (another tab) takes the new revision and sends its answers again: what the
   respondent sees is what is stored. */
(function () {
  "use strict";

  var status = document.getElementById("autosave-status");
  var form = document.querySelector("form.js-survey-form");
  if (!status || !form || !window.fetch || !window.JSON) return;

  var PREFIX = "survey-autosave:";
  var DEBOUNCE_MS = 800;
  var RETRY_MS = [1000, 2000, 4000, 8000, 15000, 30000];
  var SKIP = { csrf_token: true, action: true, lang: true };
  var NOT_FIELDS = { submit: true, button: true, reset: true, file: true, image: true };

  var url = status.getAttribute("data-url");
  var storageKey = PREFIX + status.getAttribute("data-key");
  var keepDays = parseInt(status.getAttribute("data-keep-days"), 10) || 30;
  var revision = status.getAttribute("data-revision");
  var pageStamp = status.getAttribute("data-page");
  var csrfInput = form.querySelector('input[name="csrf_token"]');

  var acked = null; // the fields (as JSON) the server is known to hold
  var pendingKeepalive = null; // the fields last sent as the page was hidden
  var timer = null;
  var retryTimer = null;
  var failures = 0;
  var inFlight = false;
  var again = false;
  var leaving = false; // a button was pressed: the form post saves the page
  var stopped = false;
  var restoring = false;
  var restoredNote = false;

  function text(name) { return status.getAttribute("data-" + name) || ""; }

  function show(message) {
    status.textContent = (restoredNote ? text("restored") + " " : "") + message;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function clock() {
    var d = new Date();
    return pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function isField(el) {
    return el.name && !SKIP[el.name] && !NOT_FIELDS[(el.type || "").toLowerCase()];
  }

  // The page's answers as the form would post them: [name, value] pairs of enabled fields
  // (a follow-up the page hides is disabled, so it is not posted, as with the buttons).
  function fields() {
    var pairs = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!isField(el) || el.disabled) return;
      var type = (el.type || "").toLowerCase();
      if ((type === "radio" || type === "checkbox") && !el.checked) return;
      if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.options, function (opt) {
          if (opt.selected) pairs.push([el.name, opt.value]);
        });
        return;
      }
      pairs.push([el.name, el.value]);
    });
    return pairs;
  }

  function current() { return JSON.stringify(fields()); }

  function fire(el) {
    var event;
    try {
      event = new Event("change", { bubbles: true });
    } catch (e) {
      event = document.createEvent("Event");
      event.initEvent("change", true, false);
    }
    el.dispatchEvent(event);
  }

  // Put a kept copy back into the form, and tell the page's other scripts (follow-ups that
  // appear, the province search) by a change event on each field that changed.
  function restore(pairs) {
    var values = {};
    pairs.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    var changed = [];
    restoring = true;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!isField(el)) return;
      var wanted = values[el.name] || [];
      var type = (el.type || "").toLowerCase();
      var before;
      if (type === "radio" || type === "checkbox") {
        before = el.checked;
        el.checked = wanted.indexOf(el.value) >= 0;
        if (before !== el.checked) changed.push(el);
      } else if (el.tagName === "SELECT") {
        before = JSON.stringify(Array.prototype.map.call(el.options, function (o) { return o.selected; }));
        Array.prototype.forEach.call(el.options, function (opt) {
          opt.selected = wanted.indexOf(opt.value) >= 0;
        });
        if (before !== JSON.stringify(Array.prototype.map.call(el.options, function (o) { return o.selected; }))) changed.push(el);
      } else if (wanted.length && el.value !== wanted[0]) {
        el.value = wanted[0];
        changed.push(el);
      }
    });
    changed.forEach(fire);
    restoring = false;
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function readCopy() {
    var store = storage();
    try {
      var copy = store && JSON.parse(store.getItem(storageKey) || "null");
      return copy && Array.isArray(copy.fields) ? copy : null;
    } catch (e) { return null; }
  }

  function keepCopy(body) {
    var store = storage();
    try {
      if (store) store.setItem(storageKey, JSON.stringify({ page: pageStamp, fields: JSON.parse(body), at: Date.now() }));
    } catch (e) { /* storage full or refused: the server save still runs */ }
  }

  function dropCopy() {
    var store = storage();
    try { if (store) store.removeItem(storageKey); } catch (e) { /* nothing kept */ }
  }

  // Copies older than the server keeps an unfinished questionnaire are of no use to anyone.
  function pruneCopies() {
    var store = storage();
    if (!store) return;
    var oldest = Date.now() - keepDays * 864e5;
    try {
      for (var i = store.length - 1; i >= 0; i--) {
        var key = store.key(i);
        if (!key || key.indexOf(PREFIX) !== 0) continue;
        var copy = null;
        try { copy = JSON.parse(store.getItem(key) || "null"); } catch (e) { copy = null; }
        if (!copy || !(copy.at > oldest)) store.removeItem(key);
      }
    } catch (e) { /* storage refused */ }
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { send({}); }, delay);
  }

  function retryLater() {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(function () { send({}); }, RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]);
    failures += 1;
  }

  function failed(retry, message) {
    keepCopy(current());
    if (message) show(message);
    if (retry) retryLater();
  }

  function handle(result, body, opts) {
    var data = result.data || {};
    if (result.status === 200 && data.saved) {
      failures = 0;
      window.clearTimeout(retryTimer);
      if (data.revision) revision = data.revision;
      if (data.page) pageStamp = data.page;
      acked = body;
      var now = current();
      var notSaved = data.not_saved || [];
      if (notSaved.length) {
        keepCopy(now);
        show(text("partial").replace("{time}", clock()) + " " +
             notSaved.map(function (item) { return item.label; }).join(" "));
      } else if (now === body) {
        dropCopy();
        show(text("saved").replace("{time}", clock()));
        restoredNote = false;
      } else {
        keepCopy(now);
        schedule(DEBOUNCE_MS);
      }
      if (again) { again = false; send({}); }
      return;
    }
    if (result.status === 409 && data.reason === "stale" && data.revision) {
      revision = data.revision;
      if (!opts.retried && !leaving) send({ retried: true });
      return;
    }
    if (result.status === 409 && data.reason === "submitted") {
      stopped = true;
      dropCopy();
      show(data.message || text("failed"));
      return;
    }
    // 429 and server errors pass; an expired token, a lost session or a bad request do not.
    var transient = result.status === 429 || result.status >= 500;
    failed(transient, transient ? text("failed") : (data.message || text("failed")));
  }

  function send(opts) {
    if (stopped || (leaving && !opts.keepalive)) return;
    window.clearTimeout(timer);
    var body = current();
    if (body === acked && !inFlight) return;
    if (opts.keepalive) {
      if (body === pendingKeepalive) return;
      pendingKeepalive = body;
    } else if (inFlight) {
      again = true;
      return;
    }
    if (navigator.onLine === false) {
      keepCopy(body);
      show(text("offline"));
      return; // the "online" event sends it
    }
    // A save sent as the page goes while another is in flight cannot know the revision that
    // one will make, so it goes without: the page is leaving, no newer save can follow it.
    var payload = JSON.stringify({ fields: JSON.parse(body), revision: inFlight ? null : revision });
    if (!opts.keepalive) {
      inFlight = true;
      show(text("saving"));
    }
    var request;
    try {
      request = window.fetch(url, {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        keepalive: !!opts.keepalive,
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "X-CSRFToken": csrfInput ? csrfInput.value : ""
        },
        body: payload
      });
    } catch (e) {
      request = Promise.reject(e);
    }
    request.then(function (resp) {
      return resp.json().then(
        function (data) { return { status: resp.status, data: data }; },
        function () { return { status: resp.status, data: null }; });
    }).then(function (result) {
      if (!opts.keepalive) inFlight = false;
      if (opts.keepalive) pendingKeepalive = null;
      handle(result, body, opts);
    }, function () {
      if (!opts.keepalive) inFlight = false;
      if (opts.keepalive) pendingKeepalive = null;
      failed(true, text("offline"));
    });
  }

  function changed() {
    if (restoring || stopped || leaving) return;
    var now = current();
    if (now === acked && !inFlight) {
      window.clearTimeout(timer);
      dropCopy();
      return;
    }
    keepCopy(now);
    schedule(DEBOUNCE_MS);
  }

  function leaveNow() {
    if (leaving || stopped) return;
    window.clearTimeout(timer);
    if (current() !== acked || inFlight) send({ keepalive: true });
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  form.addEventListener("submit", function () {
    leaving = true;
    window.clearTimeout(timer);
    window.clearTimeout(retryTimer);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") leaveNow();
  });
  window.addEventListener("pagehide", leaveNow);
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    leaving = false; // back from the page cache: this page is live again
    if (current() !== acked) send({});
  });
  window.addEventListener("online", function () {
    failures = 0;
    if (current() !== acked) send({});
  });

  pruneCopies();
  var loaded = current();
  if (status.getAttribute("data-unsaved") === "true") {
    // The page shows answers a button sent but the server did not store (a question needs
    // attention, or the form had expired): save what is valid of them now.
    keepCopy(loaded);
    send({});
  } else {
    acked = loaded;
    var copy = readCopy();
    if (copy && copy.page === pageStamp && JSON.stringify(copy.fields) !== loaded) {
      // Nobody saved this page since the copy was made, so the copy is newer.
      restore(copy.fields);
      restoredNote = true;
      send({});
    } else if (copy) {
      dropCopy();
    }
  }
})();
