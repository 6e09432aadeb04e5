package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/opencouncil/council"
)

// TestPagesWithoutJavaScript fetches every page as plain HTTP and finds its content in the HTML:
// the home's members, President and programme with its changes and reasons; a request's support
// "8 of 9 needed" with who signed, declined and has not answered; the record's votes with each
// member's ballot; the console's forms.
func TestPagesWithoutJavaScript(t *testing.T) {
	ts := MustServe(t)
	c := newPagesCouncil(ts, "dprk")
	ts.mustDo(c.name, c.tok["AUS"], "request", fields{"id": "dprk-hr", "subject": "The situation in the DPRK", "meeting_on": "2014-12-22", "symbol": "S/2014/872"})
	for _, m := range []string{"CHL", "FRA", "JOR", "LTU", "LUX", "KOR", "RWA"} {
		ts.mustDo(c.name, c.tok[m], "sign", fields{"request": "dprk-hr"})
	}
	ts.mustDo(c.name, c.tok["RUS"], "decline", fields{"request": "dprk-hr"})

	// The request: 8 of 9, and any one signature more would carry it.
	page := ts.mustPage(http.StatusOK, "/c/dprk/requests/dprk-hr", c.observer)
	if m := htmlFind(t, page, "div", "id", "support", "role", "meter", "aria-valuemin", "0", "aria-valuemax", "9", "aria-valuenow", "8", "aria-label", "support"); m == nil {
		t.Errorf("no meter #support of 8 out of 9")
	}
	if !strings.Contains(page, `<span id="support-text">8 of 9 needed</span>`) {
		t.Errorf("the request page does not say 8 of 9 needed")
	}
	if n := htmlCount(t, page, "signed", "li", "data-member", "*"); n != 8 {
		t.Errorf("#signed lists %d members, want 8", n)
	}
	if n := htmlCount(t, page, "declined", "li", "data-member", "RUS"); n != 1 {
		t.Errorf("#declined does not list RUS")
	}
	if n := htmlCount(t, page, "undecided", "li", "data-member", "*"); n != 6 {
		t.Errorf("#undecided lists %d members, want 6", n)
	}
	if n := htmlCount(t, page, "decisive", "span", "data-member", "*"); n != 7 {
		t.Errorf("#decisive names %d members, want the 7 that have not signed", n)
	}
	if strings.Contains(page, `id="sign"`) {
		t.Errorf("an observer is offered the sign button")
	}
	if page := ts.mustPage(http.StatusOK, "/c/dprk/requests/dprk-hr", c.tok["USA"]); !strings.Contains(page, `id="sign"`) || !strings.Contains(page, `id="decline"`) {
		t.Errorf("the USA, which has not answered, is not offered sign and decline")
	}
	if page := ts.mustPage(http.StatusOK, "/c/dprk/requests/dprk-hr", c.tok["RUS"]); strings.Contains(page, `id="decline"`) || !strings.Contains(page, `id="sign"`) {
		t.Errorf("Russia, which declined, should be offered only to sign")
	}

	// The programme: a meeting held with a vote, one postponed to a date, one cancelled, one
	// postponed without a date.
	ts.mustDo(c.name, c.tok["USA"], "sign", fields{"request": "dprk-hr"})
	ts.mustDo(c.name, c.tok["AUS"], "submit", fields{"request": "dprk-hr"})
	ts.mustDo(c.name, c.tok["TCD"], "schedule", fields{"meeting": "m1", "on": "2014-12-22", "request": "dprk-hr", "agenda": []string{"The situation in the DPRK"}, "at": "2014-12-08"})
	ts.mustDo(c.name, c.sec, "schedule", fields{"meeting": "m2", "on": "2014-12-10", "agenda": []string{"Briefing"}})
	ts.mustDo(c.name, c.sec, "postpone", fields{"meeting": "m2", "to": "2014-12-18", "reason": "at the request of the briefer", "requested_by": "FRA"})
	ts.mustDo(c.name, c.sec, "schedule", fields{"meeting": "m3", "on": "2014-12-11", "agenda": []string{"Other matters"}})
	ts.mustDo(c.name, c.sec, "cancel", fields{"meeting": "m3", "reason": "no longer needed"})
	ts.mustDo(c.name, c.sec, "schedule", fields{"meeting": "m4", "on": "2014-12-12", "agenda": []string{"Later"}})
	ts.mustDo(c.name, c.sec, "postpone", fields{"meeting": "m4", "reason": "consultations continue"})
	ts.mustDo(c.name, c.tok["TCD"], "open", fields{"meeting": "m1", "at": "2014-12-22"})
	ts.mustDo(c.name, c.tok["CHN"], "object", fields{"meeting": "m1"})
	ts.mustDo(c.name, c.tok["TCD"], "open_vote", fields{"id": "agenda-2014", "meeting": "m1", "on": "agenda"})
	for _, m := range dprkMembers {
		b := map[string]string{"CHN": "no", "RUS": "no", "TCD": "abstain", "NGA": "abstain"}[m]
		if b == "" {
			b = "yes"
		}
		ts.mustDo(c.name, c.tok[m], "ballot", fields{"vote": "agenda-2014", "ballot": b})
	}
	ts.mustDo(c.name, c.tok["TCD"], "close_vote", fields{"vote": "agenda-2014"})
	ts.mustDo(c.name, c.tok["USA"], "statement", fields{"meeting": "m1", "text": "The world is watching."})

	home := ts.mustPage(http.StatusOK, "/c/dprk", c.observer)
	if n := htmlCount(t, home, "members", "tr", "data-member", "*"); n != 15 {
		t.Errorf("#members has %d rows, want 15", n)
	}
	for _, want := range [][2]string{{"USA", "permanent"}, {"AUS", "elected"}} {
		if htmlFind(t, home, "tr", "data-member", want[0], "data-class", want[1]) == nil {
			t.Errorf("no #members row %s %s", want[0], want[1])
		}
	}
	for _, want := range []string{"Chad", ">2014<", "Australia", `id="president"`, "/c/dprk/chamber?projector=1", "/c/dprk/requests/dprk-hr",
		"at the request of the briefer", "no longer needed", "consultations continue", `data-member="FRA"`, "December 2014"} {
		if !strings.Contains(home, want) {
			t.Errorf("the home page does not show %q", want)
		}
	}
	if p := home[strings.Index(home, `id="president"`):]; !strings.Contains(p[:strings.Index(p, "</p>")], "Chad") {
		t.Errorf("#president does not name Chad")
	}
	for id, status := range map[string]string{"m1": "open", "m2": "postponed", "m3": "cancelled", "m4": "postponed"} {
		if htmlFind(t, home, "li", "class", "*", "data-meeting", id, "data-status", status) == nil {
			t.Errorf("the programme has no meeting %s %s", id, status)
		}
	}
	if htmlCount(t, home, "sine-die", "li", "data-meeting", "m4") != 1 || htmlCount(t, home, "sine-die", "li", "data-meeting", "m2") != 0 {
		t.Errorf("#sine-die should list m4 alone")
	}
	if htmlFind(t, home, "li", "data-date", "2014-12-22") == nil || htmlFind(t, home, "li", "data-date", "2014-12-01", "class", "day start-1") == nil {
		t.Errorf("the calendar of December 2014 is not laid out by day (the 1st was a Monday)")
	}

	rec := ts.mustPage(http.StatusOK, "/c/dprk/record", c.observer)
	for _, want := range []string{`href="/static/print.css" media="print"`, `id="download-json" class="button" href="/c/dprk/record.json"`,
		`id="download-csv" class="button" href="/c/dprk/record.csv"`, "S/PV.7353", "The world is watching.", "Adopted", "11 in favour, 2 against, 2 abstaining"} {
		if !strings.Contains(rec, want) {
			t.Errorf("the record does not show %q", want)
		}
	}
	if n := htmlCount(t, rec, "vote-agenda-2014", "tr", "data-member", "*"); n != 15 {
		t.Errorf("vote agenda-2014 shows %d ballots, want 15", n)
	}
	for m, b := range map[string]string{"CHN": "no", "TCD": "abstain", "USA": "yes"} {
		if htmlFind(t, rec, "tr", "data-member", m, "data-ballot", b) == nil {
			t.Errorf("the record does not show %s voting %s", m, b)
		}
	}

	// Every page of every role is well formed (mustPage checks it).
	for _, tok := range []string{c.observer, c.sec, c.tok["TCD"], c.tok["USA"], ts.admin} {
		for _, path := range []string{"/", "/c/dprk", "/c/dprk/requests/dprk-hr", "/c/dprk/record", "/c/dprk/console"} {
			ts.mustPage(http.StatusOK, path, tok)
		}
	}
	ts.mustPage(http.StatusOK, "/admin", ts.admin)
	ts.mustPage(http.StatusOK, "/", "")
}

// TestPagesDownloads checks the record's JSON (the API's record, as a file) and CSV (one row per
// vote and member, under a header row).
func TestPagesDownloads(t *testing.T) {
	ts := MustServe(t)
	c := newPagesCouncil(ts, "dl")
	ts.mustDo(c.name, c.sec, "schedule", fields{"meeting": "m1", "on": "2014-12-05", "agenda": []string{"=HYPERLINK(\"x\")"}})
	ts.mustDo(c.name, c.sec, "open", fields{"meeting": "m1"})
	ts.mustDo(c.name, c.tok["USA"], "draft", fields{"id": "d1", "title": "-cmd|' /C calc'!A0", "meeting": "m1"})
	ts.mustDo(c.name, c.sec, "adopt_agenda", fields{"meeting": "m1"})
	ts.mustDo(c.name, c.sec, "vote", fields{"id": "v1", "meeting": "m1", "on": "d1", "rest": "yes", "no": []string{"RUS"}})

	r := ts.browse("GET", "/c/dl/record.json", c.observer, nil)
	if r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("record.json: %d %v", r.status, r.header)
	}
	api := ts.send("GET", "/v1/councils/dl/record", c.observer, nil)
	if !bytes.Equal(r.body, api.body) {
		t.Errorf("record.json differs from the API's record:\n%s\n%s", r.body, api.body)
	}
	var rec council.Record
	if err := json.Unmarshal(r.body, &rec); err != nil || len(rec.Votes) != 1 {
		t.Fatalf("record.json: %v %+v", err, rec)
	}

	r = ts.browse("GET", "/c/dl/record.csv", c.observer, nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || !strings.Contains(r.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("record.csv: %d %v", r.status, r.header)
	}
	rows, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 16 || !slices.Equal(rows[0], csvColumns) {
		t.Fatalf("record.csv: %d rows, header %v", len(rows), rows[0])
	}
	col := func(name string) int { return slices.Index(csvColumns, name) }
	ballots := map[string]string{}
	for _, row := range rows[1:] {
		if row[col("vote")] != "v1" || row[col("date")] != "2014-12-05" || row[col("meeting")] != "m1" || row[col("on")] != "d1" || row[col("result")] != "failed" {
			t.Errorf("record.csv row %v", row)
		}
		if title := row[col("on_title")]; title != "'-cmd|' /C calc'!A0" {
			t.Errorf("a title that reads as a formula is written %q", title)
		}
		ballots[row[col("member")]] = row[col("ballot")]
	}
	if len(ballots) != 15 || ballots["RUS"] != "no" || ballots["USA"] != "yes" {
		t.Errorf("record.csv ballots: %v", ballots)
	}
	if r := ts.browse("GET", "/c/dl/record.csv", "", nil); r.status != http.StatusUnauthorized || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Errorf("record.csv of a private council without a token: %d %s", r.status, r.header.Get("Content-Type"))
	}
}

// TestPagesErrors checks that errors are pages in plain words with the right status.
func TestPagesErrors(t *testing.T) {
	ts := MustServe(t)
	c := newPagesCouncil(ts, "err")
	for _, tc := range []struct {
		path, token string
		status      int
		want        string
	}{
		{"/c/err", "", http.StatusUnauthorized, "Sign in first:"},
		{"/c/nope", ts.admin, http.StatusNotFound, "Not found:"},
		{"/c/err/requests/none", c.observer, http.StatusNotFound, "has no request"},
	} {
		page := ts.mustPage(tc.status, tc.path, tc.token)
		if !strings.Contains(page, `role="alert"`) || !strings.Contains(page, tc.want) {
			t.Errorf("GET %s: the error page does not say %q", tc.path, tc.want)
		}
	}
	other := newPagesCouncil(ts, "other")
	if page := ts.mustPage(http.StatusForbidden, "/c/err/console", other.tok["USA"]); !strings.Contains(page, "Not allowed:") {
		t.Errorf("another council's delegation on the console: %s", page)
	}
	// The console of a visitor not signed in sends it to sign in.
	if r := ts.browse("GET", "/c/err/console", "", nil); r.status != http.StatusSeeOther || r.header.Get("Location") != "/?signin=required" {
		t.Errorf("the console without a token: %d %s", r.status, r.header.Get("Location"))
	}
	if page := ts.mustPage(http.StatusOK, "/?signin=required", ""); !strings.Contains(page, "Sign in with your token") {
		t.Errorf("the index does not ask to sign in")
	}
	// A GET of a path no page takes is still the API's 404, not the index.
	if r := ts.browse("GET", "/nothing-here", "", nil); r.status != http.StatusNotFound {
		t.Errorf("GET /nothing-here: %d", r.status)
	}
}

// TestFormJSON checks how a form becomes a command's JSON.
func TestFormJSON(t *testing.T) {
	form := url.Values{"meeting": {" m1 "}, "on": {"2014-12-22"}, "agenda": {"Item one, with a comma\r\nItem two\r\n\r\n"},
		"request": {""}, "back": {"/c/x/console"}, "at": {"2014-12-08"}}
	body, err := formJSON("schedule", form)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"agenda":["Item one, with a comma","Item two"],"at":"2014-12-08","meeting":"m1","on":"2014-12-22"}`
	if string(body) != want {
		t.Errorf("schedule: %s\nwant %s", body, want)
	}
	body, _ = formJSON("prst", url.Values{"meeting": {"m1"}, "objections": {"CHN, RUS", "USA"}, "text": {" Line one\r\nLine two "}})
	if want := `{"meeting":"m1","objections":["CHN","RUS","USA"],"text":"Line one\nLine two"}`; string(body) != want {
		t.Errorf("prst: %s\nwant %s", body, want)
	}
	if _, err := formJSON("nope", nil); council.ErrorCode(err) != EUnknownKind {
		t.Errorf("an unknown kind: %v", err)
	}
	for back, want := range map[string]string{
		"/c/x/requests/r1":   "/c/x/requests/r1?done=request-signed",
		"/c/x/console?done=": "/c/x/console?done=request-signed",
		"//evil.example/":    "/c/x/console?done=request-signed",
		"https://evil/":      "/c/x/console?done=request-signed",
		"":                   "/c/x/console?done=request-signed",
	} {
		if got := backTo(back, "/c/x/console", "request-signed"); got != want {
			t.Errorf("backTo(%q) = %q, want %q", back, got, want)
		}
	}
}

// TestSiteStyleSmall keeps the shared style sheet small, for the chamber's budget.
func TestSiteStyleSmall(t *testing.T) {
	for file, limit := range map[string]int{"static/site.css": 12 << 10, "static/print.css": 2 << 10, "static/site.js": 5 << 10} {
		data, err := pageFS.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > limit {
			t.Errorf("%s is %d bytes, over %d", file, len(data), limit)
		}
		if bytes.Contains(data, []byte("@font-face")) || bytes.Contains(data, []byte("@import")) || bytes.Contains(data, []byte("http")) {
			t.Errorf("%s loads something from elsewhere", file)
		}
	}
}
