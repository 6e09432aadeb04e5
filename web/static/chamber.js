// The live chamber: follows the council's event stream from the version the server rendered the page
// at, and updates the horseshoe, the vote, the result banner and the speakers list in place. Without
// JavaScript (or EventSource) the page is what the server rendered; reload it for the latest.
(function () {
  "use strict";
  var main = document.querySelector("main[data-council]");
  if (!main) return;
  var T = (window.councilTimings = window.councilTimings || {});
  var $ = function (id) { return document.getElementById(id); };
  var WORD = { yes: "YES", no: "NO", abstain: "ABSTAIN", absent: "ABSENT", not_participating: "PARTY" };
  var TEXT = { not_participating: "not participating" };
  var LISTS = ["yes", "no", "abstain", "absent", "not_participating"];
  var seats = {};
  Array.prototype.forEach.call(document.querySelectorAll("#horseshoe .seat"), function (g) {
    seats[g.getAttribute("data-member")] = g;
    g.addEventListener("focus", function () { info(g); });
    g.addEventListener("click", function () { info(g); });
  });
  var vote = $("vote");
  var shown = vote.getAttribute("data-vote");
  var today = main.getAttribute("data-today") || "";
  var president = main.getAttribute("data-president") || "";

  function text(ballot) { return TEXT[ballot] || ballot; }
  function setText(id, s) { var el = $(id); if (el) el.textContent = s; }
  function el(tag, cls, s) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (s != null) e.textContent = s;
    return e;
  }
  function announce(s) { setText("live", s); }

  // info says who sits in a seat, for keyboard and pointer users alike.
  function info(g) {
    var t = g.querySelector("title");
    setText("seat-info", t ? t.textContent : g.getAttribute("data-member"));
  }

  // seat lights a member's seat with its ballot: the colour and the word, and the title in words.
  function seat(code, ballot) {
    var g = seats[code];
    if (!g) return;
    g.setAttribute("data-ballot", ballot);
    var w = g.querySelector(".word");
    if (w) w.textContent = WORD[ballot] || "";
    var t = g.querySelector("title");
    if (t) t.textContent = t.textContent.replace(/ — .*$/, "") + (ballot ? " — " + text(ballot) : "");
  }

  function tally(c) {
    return "Yes " + c.yes + " · No " + c.no + " · Abstain " + c.abstain + " · Absent " + c.absent;
  }

  // counted counts the ballots on the seats, for the tally while a vote is open.
  function counted() {
    var c = { yes: 0, no: 0, abstain: 0, absent: 0, pending: 0 };
    for (var code in seats) {
      var b = seats[code].getAttribute("data-ballot");
      if (b === "") c.pending++;
      else if (c[b] !== undefined) c[b]++;
    }
    return c;
  }

  function showTally(c) {
    setText("tally", tally(c));
    setText("shoe-tally", tally(c));
    setText("horseshoe-summary", Object.keys(seats).length + " members" +
      (president ? ", " + president + " presiding" : "") + "; vote " + shown + " " +
      (vote.getAttribute("data-state") === "open" ? "open" : $("result").getAttribute("data-result")) +
      ": " + tally(c));
  }

  function pending(n) {
    var p = $("pending");
    if (!p) return;
    p.hidden = n == null;
    p.textContent = n == null ? "" : n + " yet to vote";
  }

  function listBallot(code, ballot) {
    var li = el("li", null, code + ": " + text(ballot));
    li.setAttribute("data-member", code);
    li.setAttribute("data-ballot", ballot);
    $("ballots").appendChild(li);
  }

  function describe(d, how) {
    var on = d.on === "agenda" ? "the provisional agenda" : d.on;
    var p = $("vote-what");
    p.textContent = "";
    p.appendChild(document.createTextNode("Vote "));
    p.appendChild(el("strong", null, d.id));
    p.appendChild(document.createTextNode(" " + how + " on " + on +
      (d.matter ? " (" + d.matter + " matter)" : "") + ", " + d.date + "."));
  }

  // changed reloads the page when the day moves into another month: the presidency, and with the
  // year the members, change, and the server lays out the new table.
  function changed(d) {
    if (d && d.date && today && d.date.slice(0, 7) !== today.slice(0, 7)) {
      location.reload();
      return true;
    }
    return false;
  }

  var on = {
    "vote-opened": function (d) {
      shown = d.id;
      vote.setAttribute("data-vote", d.id);
      vote.setAttribute("data-state", "open");
      var parties = d.parties || [];
      for (var code in seats) seat(code, parties.indexOf(code) >= 0 ? "not_participating" : "");
      $("ballots").textContent = "";
      describe(d, "open");
      var p = $("parties");
      p.hidden = parties.length === 0;
      p.textContent = parties.length ? "Parties to the dispute, not voting: " + parties.join(", ") : "";
      var r = $("result");
      r.setAttribute("data-result", "");
      r.textContent = "";
      setText("shoe-centre", "VOTING");
      var c = counted();
      showTally(c);
      pending(c.pending);
      announce("Vote " + d.id + " opened on " + (d.on === "agenda" ? "the provisional agenda" : d.on));
    },
    "ballot-cast": function (d) {
      if (d.vote !== shown) return;
      seat(d.by, d.ballot);
      listBallot(d.by, d.ballot);
      var c = counted();
      showTally(c);
      pending(c.pending);
      announce(d.by + " votes " + d.ballot);
      T[d.by] = Date.now();
    },
    "vote-taken": function (d) {
      shown = d.id;
      vote.setAttribute("data-vote", d.id);
      vote.setAttribute("data-state", "closed");
      var code, i, j;
      for (code in seats) seat(code, "");
      $("ballots").textContent = "";
      for (i = 0; i < LISTS.length; i++) {
        var list = d[LISTS[i]] || [];
        for (j = 0; j < list.length; j++) {
          seat(list[j], LISTS[i]);
          listBallot(list[j], LISTS[i]);
        }
      }
      describe(d, "taken");
      pending(null);
      var vetoed = d.vetoed_by || [];
      var result = vetoed.length ? "vetoed" : d.adopted ? "adopted" : "not adopted";
      var verdict = result.toUpperCase();
      var c = d.counts || { yes: 0, no: 0, abstain: 0, absent: 0 };
      var r = $("result");
      r.textContent = "";
      var v = el("p", "verdict", verdict);
      if (vetoed.length) {
        v.appendChild(document.createTextNode(" "));
        v.appendChild(el("span", "by", "by " + vetoed.join(", ")));
      }
      r.appendChild(v);
      r.appendChild(el("p", "reason", d.reason || ""));
      r.appendChild(el("p", "result-tally", tally(c) + " · " + d.needed + " needed"));
      var decisive = d.decisive || [];
      r.appendChild(el("p", "decisive", "Decisive: " + (decisive.length ? decisive.join(", ") : "none")));
      if (d.symbol) r.appendChild(el("p", "symbol", "Resolution " + d.symbol));
      r.setAttribute("data-result", result);
      setText("shoe-centre", verdict);
      showTally(c);
      T.result = Date.now();
    },
    "meeting-opened": function (d) {
      if (d.president && president && d.president !== president) return location.reload();
      setText("meeting", "Meeting " + d.meeting + (d.symbol ? " (" + d.symbol + ")" : "") + " in progress");
      speakers([]);
      announce("Meeting " + d.meeting + " opened");
    },
    "meeting-closed": function (d) {
      setText("meeting", "Meeting " + d.meeting + " closed");
      speakers([]);
      announce("Meeting " + d.meeting + " closed");
    },
    "speaker-inscribed": function (d) {
      $("speakers").appendChild(el("li", null, d.by));
      $("no-speakers").hidden = true;
    },
    "statement-made": function (d) {
      var items = $("speakers").children;
      for (var i = 0; i < items.length; i++) {
        if (items[i].textContent === d.by) {
          items[i].remove();
          break;
        }
      }
      $("no-speakers").hidden = items.length > 0;
    }
  };

  function speakers(list) {
    $("speakers").textContent = "";
    list.forEach(function (m) { $("speakers").appendChild(el("li", null, m)); });
    $("no-speakers").hidden = list.length > 0;
  }

  // Full screen for the projector: the button, or the F key.
  var fs = $("fullscreen");
  if (fs && document.fullscreenEnabled) {
    var toggle = function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen();
    };
    fs.hidden = false;
    fs.addEventListener("click", toggle);
    document.addEventListener("keydown", function (e) {
      if ((e.key === "f" || e.key === "F") && !e.ctrlKey && !e.metaKey && !e.altKey) toggle();
    });
  }

  if (!window.EventSource) return;
  var url = "/v1/councils/" + encodeURIComponent(main.getAttribute("data-council")) +
    "/stream?after=" + encodeURIComponent(main.getAttribute("data-version") || "0");
  var es = new EventSource(url);
  var conn = $("conn");
  var status = function (s) { if (conn) conn.textContent = s; };
  es.onopen = function () { status("Live: following the council."); };
  es.onerror = function () {
    status(es.readyState === EventSource.CLOSED
      ? "Live updates stopped: reload the page."
      : "Reconnecting…");
  };
  Object.keys(on).forEach(function (type) {
    es.addEventListener(type, function (e) {
      var d;
      try { d = JSON.parse(e.data); } catch (err) { return; }
      if (changed(d)) return;
      on[type](d);
      if (e.lastEventId) main.setAttribute("data-version", e.lastEventId);
    });
  });
  // Any other event still moves the day on: a new month reloads the table.
  ["meeting-scheduled", "agenda-adopted", "draft-circulated", "presidential-statement"].forEach(function (type) {
    es.addEventListener(type, function (e) {
      try { changed(JSON.parse(e.data)); } catch (err) { /* not JSON: ignore */ }
      if (e.lastEventId) main.setAttribute("data-version", e.lastEventId);
    });
  });
})();
