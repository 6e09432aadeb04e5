package web

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
)

// chamberMembers are the Security Council of December 2014 in the order of the presidency rotation.
var chamberMembers = []string{"ARG", "AUS", "TCD", "CHL", "CHN", "FRA", "JOR", "LTU", "LUX", "NGA", "KOR", "RUS", "RWA", "GBR", "USA"}

// chamberCouncil starts a council of December 2014 with a delegation token for each member and the
// agenda meeting open, its agenda objected to; it returns the secretariat's token and the delegations'.
func chamberCouncil(t *testing.T, ts *testServer, name string, public bool) (string, map[string]string) {
	t.Helper()
	sec := ts.create(CreateCouncil{Name: name, Title: "Human rights in the DPRK", Date: council.DateOf(2014, 12, 5), NextMeeting: 7353, Public: public})
	tok := map[string]string{}
	for _, m := range chamberMembers {
		tok[m] = ts.issue(name, sec, access.Delegation, m).Token
	}
	ts.mustDo(name, sec, "schedule", fields{"meeting": "m1", "on": "2014-12-22", "agenda": []string{"The situation in the DPRK"}})
	ts.mustDo(name, sec, "open", fields{"meeting": "m1", "at": "2014-12-22"})
	for _, m := range []string{"CHN", "RUS"} {
		ts.mustDo(name, tok[m], "object", fields{"meeting": "m1"})
	}
	return sec, tok
}

// chamberGet fetches a page as a browser signed in with a token would: the token in the session cookie.
func chamberGet(ts *testServer, path, token string) reply {
	ts.t.Helper()
	req, err := http.NewRequest("GET", ts.http.URL+path, nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	if token != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
	}
	client := *ts.http.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer res.Body.Close()
	var body strings.Builder
	if _, err := bufio.NewReader(res.Body).WriteTo(&body); err != nil {
		ts.t.Fatal(err)
	}
	return reply{status: res.StatusCode, header: res.Header, body: []byte(body.String())}
}

var (
	chamberSeatRE   = regexp.MustCompile(`<g class="seat" data-member="([A-Z]+)" data-ballot="([a-z_]*)"( data-president="true")?`)
	chamberBallotRE = regexp.MustCompile(`<li data-member="([A-Z]+)" data-ballot="[a-z_]+">([A-Z]+: [a-z ]+)</li>`)
)

// chamberView is what a test reads off the chamber page.
type chamberView struct {
	html      string
	seats     []string          // the members, in the page's order
	ballots   map[string]string // member to data-ballot, for the seats with one
	president string
	list      []string // the ballots list's lines
}

func readChamber(t *testing.T, html string) chamberView {
	t.Helper()
	v := chamberView{html: html, ballots: map[string]string{}}
	for _, m := range chamberSeatRE.FindAllStringSubmatch(html, -1) {
		v.seats = append(v.seats, m[1])
		if m[2] != "" {
			v.ballots[m[1]] = m[2]
		}
		if m[3] != "" {
			v.president = m[1]
		}
	}
	for _, m := range chamberBallotRE.FindAllStringSubmatch(html, -1) {
		v.list = append(v.list, m[2])
	}
	return v
}

// chamberBetween is the text of the element that starts with open, up to the next close.
func chamberBetween(html, open, close string) string {
	_, after, ok := strings.Cut(html, open)
	if !ok {
		return ""
	}
	in, _, _ := strings.Cut(after, close)
	return in
}

// TestChamberWithoutJS follows a live vote on the chamber page as a browser without JavaScript sees
// it: every seat, the ballots cast so far while the vote is open, and the result with its reason once
// it is closed; then a vetoed draft.
func TestChamberWithoutJS(t *testing.T) {
	ts := MustServe(t)
	const name = "chamber"
	sec, tok := chamberCouncil(t, ts, name, false)
	path := "/c/" + name + "/chamber"

	v := readChamber(t, string(chamberGet(ts, path, sec).body))
	if !slices.Equal(v.seats, chamberMembers) {
		t.Fatalf("seats %v, want %v", v.seats, chamberMembers)
	}
	if v.president != "TCD" || len(v.ballots) != 0 {
		t.Errorf("president %q, ballots %v: want TCD and none", v.president, v.ballots)
	}
	for _, want := range []string{`data-state="none"`, `data-result=""`, `<svg id="horseshoe" role="img" aria-labelledby=`,
		`Meeting m1 (S/PV.7353) in progress`, `<div id="live" class="live" aria-live="polite">`, `PRESIDENT`} {
		if !strings.Contains(v.html, want) {
			t.Errorf("before the vote the page lacks %q", want)
		}
	}

	ts.mustDo(name, sec, "open_vote", fields{"id": "agenda-2014", "meeting": "m1", "on": "agenda"})
	cast := [][2]string{{"USA", "yes"}, {"CHN", "no"}, {"TCD", "abstain"}}
	for _, c := range cast {
		ts.mustDo(name, tok[c[0]], "ballot", fields{"vote": "agenda-2014", "ballot": c[1]})
	}
	v = readChamber(t, string(chamberGet(ts, path, sec).body))
	if want := map[string]string{"USA": "yes", "CHN": "no", "TCD": "abstain"}; fmt.Sprint(v.ballots) != fmt.Sprint(want) {
		t.Errorf("seats lit %v, want %v", v.ballots, want)
	}
	if want := []string{"USA: yes", "CHN: no", "TCD: abstain"}; !slices.Equal(v.list, want) {
		t.Errorf("ballots list %v, want %v", v.list, want)
	}
	for _, want := range []string{`data-vote="agenda-2014" data-state="open"`, `<p id="tally">Yes 1 · No 1 · Abstain 1 · Absent 0</p>`,
		`data-result=""></div>`, `12 yet to vote`, `<tspan class="word" x="0" y="21">YES</tspan>`, `>VOTING<`,
		`United States of America (USA), permanent member — yes</title>`} {
		if !strings.Contains(v.html, want) {
			t.Errorf("while the vote is open the page lacks %q", want)
		}
	}

	for _, m := range chamberMembers {
		if m == "USA" || m == "CHN" || m == "TCD" || m == "LUX" {
			continue
		}
		b := "yes"
		if m == "RUS" {
			b = "no"
		}
		ts.mustDo(name, tok[m], "ballot", fields{"vote": "agenda-2014", "ballot": b})
	}
	ts.mustDo(name, sec, "close_vote", fields{"vote": "agenda-2014"})
	var rec council.VoteRecord
	ts.must(http.StatusOK, "GET", "/v1/councils/"+name+"/votes/agenda-2014", sec, nil, &rec)
	v = readChamber(t, string(chamberGet(ts, path, sec).body))
	if v.ballots["LUX"] != "absent" || v.ballots["RUS"] != "no" || v.ballots["ARG"] != "yes" || len(v.ballots) != 15 {
		t.Errorf("seats after the vote: %v", v.ballots)
	}
	result := chamberBetween(v.html, `<div id="result"`, `</div>`)
	for _, want := range []string{`data-result="adopted"`, `role="status"`, `aria-live="assertive"`, `ADOPTED`, rec.Reason,
		"Yes 11 · No 2 · Abstain 1 · Absent 1 · 9 needed", "Decisive: " + chamberList(rec.Decisive)} {
		if !strings.Contains(result, want) {
			t.Errorf("the result banner lacks %q: %s", want, result)
		}
	}
	if !strings.Contains(v.html, `data-vote="agenda-2014" data-state="closed"`) {
		t.Error("the vote is not shown closed")
	}

	// A draft vetoed by two permanent members.
	ts.mustDo(name, tok["FRA"], "draft", fields{"id": "d1", "title": "Human rights in the DPRK", "meeting": "m1"})
	ts.mustDo(name, sec, "vote", fields{"id": "v2", "meeting": "m1", "on": "d1", "no": []string{"CHN", "RUS"}, "rest": "yes"})
	v = readChamber(t, string(chamberGet(ts, path, sec).body))
	result = chamberBetween(v.html, `<div id="result"`, `</div>`)
	for _, want := range []string{`data-result="vetoed"`, `VETOED <span class="by">by CHN, RUS</span>`, "Decisive: "} {
		if !strings.Contains(result, want) {
			t.Errorf("the vetoed banner lacks %q: %s", want, result)
		}
	}
	if !strings.Contains(v.html, "draft resolution d1") {
		t.Error("the vote does not say it is on draft d1")
	}
}

// TestChamberProjector checks the two modes: the projector fills the screen without navigation and
// reloads itself without JavaScript; the normal page has its navigation and a reload link.
func TestChamberProjector(t *testing.T) {
	ts := MustServe(t)
	chamberCouncil(t, ts, "proj", true)
	proj := string(chamberGet(ts, "/c/proj/chamber?projector=1", "").body)
	for _, want := range []string{`<body class="projector">`, `<noscript><meta http-equiv="refresh" content="5"></noscript>`,
		`<main id="chamber" data-council="proj" data-version="`, `id="fullscreen"`} {
		if !strings.Contains(proj, want) {
			t.Errorf("the projector page lacks %q", want)
		}
	}
	if strings.Contains(proj, "<nav") {
		t.Error("the projector page has navigation")
	}
	normal := string(chamberGet(ts, "/c/proj/chamber", "").body)
	for _, want := range []string{`<body>`, `<a href="/c/proj">`, `>Reload</a>`, `?projector=1`} {
		if !strings.Contains(normal, want) {
			t.Errorf("the chamber page lacks %q", want)
		}
	}
	if strings.Contains(normal, "http-equiv") {
		t.Error("the normal page reloads itself")
	}
}

// TestChamberWeight sums what a browser fetches for the chamber page, which must stay under 100 KB,
// and checks that the page renders well within its 200 ms.
func TestChamberWeight(t *testing.T) {
	ts := MustServe(t)
	sec, tok := chamberCouncil(t, ts, "weight", false)
	ts.mustDo("weight", sec, "open_vote", fields{"id": "v1", "meeting": "m1", "on": "agenda"})
	for _, m := range chamberMembers[:10] {
		ts.mustDo("weight", tok[m], "ballot", fields{"vote": "v1", "ballot": "yes"})
	}
	r := chamberGet(ts, "/c/weight/chamber", sec)
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	total := len(r.body)
	limits := map[string]int{"/static/chamber.js": 15 << 10, "/static/chamber.css": 10 << 10}
	links := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(string(r.body), -1)
	if len(links) < 3 {
		t.Fatalf("the page links %d static files, want site.css, chamber.css and chamber.js", len(links))
	}
	for _, l := range links {
		a := chamberGet(ts, l[1], "")
		if a.status != http.StatusOK {
			t.Fatalf("%s: status %d", l[1], a.status)
		}
		if max, ok := limits[l[1]]; ok && len(a.body) > max {
			t.Errorf("%s is %d bytes, over %d", l[1], len(a.body), max)
		}
		total += len(a.body)
		t.Logf("%s: %d bytes", l[1], len(a.body))
	}
	t.Logf("page %d bytes, %d in all", len(r.body), total)
	if total >= 100<<10 {
		t.Errorf("the chamber page weighs %d bytes in all, over 100 KB", total)
	}
	if strings.Contains(string(r.body), "<img") || strings.Contains(string(r.body), "style=") {
		t.Error("the page has an image or an inline style")
	}
	var took []time.Duration
	for range 5 {
		start := time.Now()
		chamberGet(ts, "/c/weight/chamber", sec)
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	if took[2] > 100*time.Millisecond {
		t.Errorf("the chamber page takes %v to serve (median), want well under 200 ms", took[2])
	}
}

// TestChamberAccess checks that the chamber is read like the record: a private council's needs a
// token of the council, a public one's none.
func TestChamberAccess(t *testing.T) {
	ts := MustServe(t)
	sec := ts.create(CreateCouncil{Name: "private", Date: council.DateOf(2014, 12, 5)})
	other := ts.create(CreateCouncil{Name: "other", Date: council.DateOf(2014, 12, 5)})
	ts.create(CreateCouncil{Name: "open", Date: council.DateOf(2014, 12, 5), Public: true})
	observer := ts.issue("private", sec, access.Observer, "").Token
	for _, c := range []struct {
		path, token string
		want        int
	}{
		{"/c/private/chamber", "", http.StatusUnauthorized},
		{"/c/private/chamber?projector=1", "", http.StatusUnauthorized},
		{"/c/private/chamber", other, http.StatusForbidden},
		{"/c/private/chamber", observer, http.StatusOK},
		{"/c/private/chamber", sec, http.StatusOK},
		{"/c/open/chamber", "", http.StatusOK},
		{"/c/open/chamber?projector=1", other, http.StatusOK},
		{"/c/missing/chamber", ts.admin, http.StatusNotFound},
	} {
		r := chamberGet(ts, c.path, c.token)
		if r.status != c.want {
			t.Errorf("%s with token %t: status %d, want %d", c.path, c.token != "", r.status, c.want)
			continue
		}
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s: Content-Type %q", c.path, ct)
		}
		if c.want == http.StatusUnauthorized && !strings.Contains(string(r.body), `href="/"`) {
			t.Errorf("%s: the refusal does not lead to signing in: %s", c.path, r.body)
		}
		if c.want == http.StatusOK && len(readChamber(t, string(r.body)).seats) != 15 {
			t.Errorf("%s: not 15 seats", c.path)
		}
	}
}

// TestChamberFollows checks what chamber.js relies on: the stream, read with the session cookie from
// the version the page was rendered at (?after=), brings the next ballot and nothing before it.
func TestChamberFollows(t *testing.T) {
	ts := MustServe(t)
	sec, tok := chamberCouncil(t, ts, "follow", false)
	ts.mustDo("follow", sec, "open_vote", fields{"id": "v1", "meeting": "m1", "on": "agenda"})
	ts.mustDo("follow", tok["FRA"], "ballot", fields{"vote": "v1", "ballot": "yes"})
	html := string(chamberGet(ts, "/c/follow/chamber", sec).body)
	version := chamberBetween(html, `data-version="`, `"`)
	if _, err := strconv.ParseInt(version, 10, 64); err != nil {
		t.Fatalf("data-version %q", version)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.http.URL+"/v1/councils/follow/stream?after="+version, nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sec})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("stream: status %d", res.StatusCode)
	}
	ts.mustDo("follow", tok["GBR"], "ballot", fields{"vote": "v1", "ballot": "no"})
	sc := bufio.NewScanner(res.Body)
	var lines []string
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "retry") && !strings.HasPrefix(l, ":") {
			if lines = append(lines, l); strings.HasPrefix(l, "data: ") {
				break
			}
		}
	}
	if len(lines) != 3 || lines[1] != "event: ballot-cast" || !strings.Contains(lines[2], `"by":"GBR"`) {
		t.Errorf("the stream after the page's version began %q, want GBR's ballot", lines)
	}
	js := string(chamberGet(ts, "/static/chamber.js", "").body)
	for _, want := range []string{"addEventListener(type", `"ballot-cast"`, `"vote-taken"`, `"vote-opened"`, "councilTimings", "/stream?after="} {
		if !strings.Contains(js, want) {
			t.Errorf("chamber.js lacks %q", want)
		}
	}
}

// TestPlaceSeats checks the horseshoe: the President at the head, the seats apart (shrunk when there
// are many), and symmetric about the head.
func TestPlaceSeats(t *testing.T) {
	for _, n := range []int{1, 5, 14, 15, 40} {
		seats := make([]chamberSeat, n)
		pres := 2 % n
		chamberPlace(seats, pres)
		pt := func(i int) (x, y, scale float64) {
			scale = 1
			if _, err := fmt.Sscanf(seats[i].Place, "translate(%g %g) scale(%g)", &x, &y, &scale); err != nil && scale != 1 {
				t.Fatalf("seat %d: %q: %v", i, seats[i].Place, err)
			}
			return x, y, scale
		}
		if x, y, _ := pt(pres); x != chamberCX || y != chamberCY-chamberR {
			t.Errorf("%d seats: the President sits at %v,%v, not at the head", n, x, y)
		}
		for i := range n {
			for j := range i {
				xi, yi, s := pt(i)
				xj, yj, _ := pt(j)
				if d := math.Hypot(xi-xj, yi-yj); d < 2*46*s {
					t.Errorf("%d seats: seats %d and %d overlap: %.1f apart, scale %.2f", n, i, j, d, s)
				}
			}
		}
		if n%2 == 1 {
			for k := 1; k < n; k++ {
				xa, ya, _ := pt((pres + k) % n)
				xb, yb, _ := pt((pres - k + n) % n)
				if math.Abs(xa+xb-2*chamberCX) > 0.2 || math.Abs(ya-yb) > 0.2 {
					t.Errorf("%d seats: offsets %d and -%d are not mirror images", n, k, k)
				}
			}
		}
	}
}
