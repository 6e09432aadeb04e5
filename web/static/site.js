// site.js keeps the pages that show the council live (the home, a request, the console) up to date: it
// asks for the council's new events every few seconds (short requests: a browser's few connections
// to the server stay free for the chamber's event stream), swaps in the parts marked data-live, and
// says what happened in the live region. On the pages marked data-reload, a change of what can be done
// reloads the page unless the visitor has typed into a form. Without JavaScript the pages work with a reload.
(function () {
  "use strict";
  var body = document.body, council = body.dataset.council, after = +body.dataset.version || 0;
  document.documentElement.classList.add("js");
  if (!council || !window.fetch) return;
  var words = {
    "request-signed": "A letter was signed", "request-declined": "A member declined to sign",
    "request-submitted": "A letter was submitted", "meeting-scheduled": "A meeting was scheduled",
    "meeting-postponed": "A meeting was postponed", "meeting-cancelled": "A meeting was cancelled",
    "meeting-opened": "A meeting opened", "agenda-adopted": "The agenda was adopted",
    "vote-opened": "A vote is open", "ballot-cast": "A ballot was cast",
    "speaker-inscribed": "A member asked to speak", "statement-made": "A member spoke",
    "meeting-closed": "The meeting closed", "draft-circulated": "A draft was circulated"
  };
  var structural = /^(meeting-|vote-|agenda-|request-submitted|draft-circulated)/;
  var live = document.getElementById("live");
  if (!live) { // a live region must be on the page before what it announces
    live = document.createElement("div");
    live.id = "live"; live.className = "vh"; live.setAttribute("aria-live", "polite");
    body.appendChild(live);
  }
  function say(text) { if (text) live.textContent = text; }
  try {
    var was = sessionStorage.getItem("council-said");
    sessionStorage.removeItem("council-said");
    if (was) setTimeout(function () { say(was); }, 500);
  } catch (err) {}
  function dirty() {
    return [].some.call(document.querySelectorAll("input:not([type=hidden]),textarea,select"), function (el) {
      if (el.tagName === "SELECT") {
        var def = 0;
        [].forEach.call(el.options, function (o, i) { if (o.defaultSelected) def = i; });
        return el.selectedIndex !== def;
      }
      return el.type === "checkbox" ? el.checked !== el.defaultChecked : el.value !== el.defaultValue;
    });
  }
  function text(e) {
    if (e.type !== "vote-taken") return words[e.type] || "";
    var v = e.event;
    return "Vote " + v.id + ": " + (v.adopted ? "adopted" : "not adopted") + ", " + v.counts.yes +
      " in favour, " + v.counts.no + " against, " + v.counts.abstain + " abstaining";
  }
  function swap(said) {
    return fetch(location.href, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (!html) return;
      var doc = new DOMParser().parseFromString(html, "text/html");
      document.querySelectorAll("[data-live][id]").forEach(function (el) {
        var fresh = doc.getElementById(el.id);
        if (fresh && !el.contains(document.activeElement)) el.replaceWith(document.importNode(fresh, true));
      });
      say(said);
    });
  }
  var wait = 3000, leaving = false;
  addEventListener("beforeunload", function () { leaving = true; });
  addEventListener("pagehide", function () { leaving = true; });
  function poll() {
    if (document.hidden) { setTimeout(poll, wait); return; }
    fetch("/v1/councils/" + encodeURIComponent(council) + "/events?limit=200&after=" + after, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw r.status; return r.json(); })
      .then(function (page) {
        var evs = page.events || [], said = "", reload = false;
        evs.forEach(function (e) { said = text(e) || said; reload = reload || structural.test(e.type); });
        after = page.next || after;
        wait = 3000;
        if (!evs.length) return;
        if (leaving) return;
        if (reload && body.hasAttribute("data-reload") && !dirty()) {
          try { sessionStorage.setItem("council-said", said); } catch (err) {}
          location.reload();
          return new Promise(function () {});
        }
        return swap(reload ? said + ". Reload the page to see everything" : said);
      })
      .catch(function () { wait = Math.min(wait * 2, 60000); })
      .then(function () { setTimeout(poll, wait); });
  }
  setTimeout(poll, wait);
})();
