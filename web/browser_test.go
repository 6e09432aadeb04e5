package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
	"github.com/opencouncil/council/scenario"
)

// TestBrowserSession plays the December 2014 DPRK episode in real browsers, each delegation in a
// browser context of its own signed in with its own token: the signatories of the letter sign in
// their consoles until the request has its nine, the President (Chad) schedules and opens the
// meeting, China and Russia object, and the procedural vote on the agenda is cast by fifteen
// browsers while a projector, a browser of its own, shows every ballot as it comes and then the
// result with its reason. It writes screenshots of the home, request, chamber and record pages and
// the figures (the chamber page's weight and render time, each ballot's latency to the projector)
// under the test output folder; it asserts the chamber page's weight, and only reports the times.
func TestBrowserSession(t *testing.T) {
	exe := chromiumPath(t)
	out := browserOutputDir(t)
	began := time.Now()

	ts := MustServe(t)
	base := ts.http.URL
	const name = "dprk-2014"
	sec := ts.create(CreateCouncil{Name: name, Title: "Human rights in the DPRK, December 2014", Date: council.DateOf(2014, 12, 5), NextMeeting: 7353})
	members := []string{"ARG", "AUS", "TCD", "CHL", "CHN", "FRA", "JOR", "LTU", "LUX", "NGA", "KOR", "RUS", "RWA", "GBR", "USA"}
	tok := map[string]string{}
	for _, m := range members {
		tok[m] = ts.issue(name, sec, access.Delegation, m).Token
	}
	observer := ts.issue(name, sec, access.Observer, "").Token
	record := func() council.Record {
		t.Helper()
		var rec council.Record
		ts.must(http.StatusOK, "GET", "/v1/councils/"+name+"/record", sec, nil, &rec)
		return rec
	}
	// applied checks that a browser's action was accepted: the council moved on by one event.
	version := ts.version(name)
	applied := func(what string) {
		t.Helper()
		if v := ts.version(name); v != version+1 {
			t.Fatalf("%s: the council is at version %d, want %d: the action was not applied once", what, v, version+1)
		}
		version++
	}
	notes := []string{} // where the pages and the contract part ways without stopping the session
	note := func(format string, args ...any) {
		t.Helper()
		s := fmt.Sprintf(format, args...)
		notes = append(notes, s)
		t.Logf("contract note: %s", s)
	}

	// Australia drafts the letter over the API, as a delegation's own tool would.
	ts.mustDo(name, tok["AUS"], "request", fields{"id": "dprk-hr", "subject": "The situation in the Democratic People's Republic of Korea", "meeting_on": "2014-12-22", "symbol": "S/2014/872"})
	version++

	br := startBrowser(t, exe, filepath.Join(out, "chromium.log"), 3*time.Minute)
	consolePath := "/c/" + name + "/console"
	console := base + consolePath
	tabs := br.signedIn(base, consolePath, tok) // each delegation in a browser context of its own
	obs := br.open("the observer")
	obs.signIn(base, observer, "")
	setup := time.Since(began)

	// The signatories sign in their consoles, one by one, until the request has its nine (Australia,
	// its author, is the first); the last signs beyond.
	requestURL := base + "/c/" + name + "/requests/dprk-hr"
	checkRequest := func(when string) council.RequestRecord {
		t.Helper()
		var want council.RequestRecord
		ts.must(http.StatusOK, "GET", "/v1/councils/"+name+"/requests/dprk-hr", sec, nil, &want)
		obs.navigate("open the request page "+when, requestURL)
		got := evalIn[struct {
			Role, Now, Text          *string
			Signed, Undecided        []string
			UndecidedText            *string
			HasDeclined, HasDecisive bool
		}](obs, "read the request page "+when, `(() => {
			const q = s => document.querySelector(s);
			const attr = (s, a) => q(s) ? q(s).getAttribute(a) : null;
			const members = s => [...document.querySelectorAll(s)].map(e => e.dataset.member);
			return {
				Role: attr('#support', 'role'), Now: attr('#support', 'aria-valuenow'),
				Text: q('#support-text') ? q('#support-text').textContent.trim() : null,
				Signed: members('#signed li[data-member]'), Undecided: members('#undecided [data-member]'),
				UndecidedText: q('#undecided') ? q('#undecided').textContent : null,
				HasDeclined: !!q('#declined'), HasDecisive: !!q('#decisive'),
			};
		})()`)
		str := func(p *string) string {
			if p == nil {
				return "(missing)"
			}
			return *p
		}
		if str(got.Role) != "meter" || str(got.Now) != fmt.Sprint(want.Support) {
			t.Errorf("request page %s: #support role=%s aria-valuenow=%s, want role=meter aria-valuenow=%d", when, str(got.Role), str(got.Now), want.Support)
		}
		if wantText := fmt.Sprintf("%d of %d needed", want.Support, want.Needed); str(got.Text) != wantText {
			t.Errorf("request page %s: #support-text %q, want %q", when, str(got.Text), wantText)
		}
		if !sameSet(got.Signed, want.Signatories) {
			t.Errorf("request page %s: #signed lists %v, want %v", when, got.Signed, want.Signatories)
		}
		switch {
		case got.UndecidedText == nil:
			t.Errorf("request page %s: no #undecided", when)
		case len(got.Undecided) > 0:
			if !sameSet(got.Undecided, want.Undecided) {
				t.Errorf("request page %s: #undecided lists %v, want %v", when, got.Undecided, want.Undecided)
			}
		default:
			for _, m := range want.Undecided {
				if !strings.Contains(*got.UndecidedText, m) {
					t.Errorf("request page %s: #undecided does not list %s (no [data-member] and not in its text %q)", when, m, *got.UndecidedText)
				}
			}
		}
		if !got.HasDeclined || !got.HasDecisive {
			t.Errorf("request page %s: #declined present %v, #decisive present %v; want both", when, got.HasDeclined, got.HasDecisive)
		}
		return want
	}
	for _, m := range []string{"CHL", "FRA", "JOR", "LTU", "LUX", "KOR", "RWA", "GBR", "USA"} {
		tabs[m].navigate("open the console to sign", console)
		tabs[m].act("sign", map[string]string{"request": "dprk-hr"}, nil)
		tabs[m].park()
		applied(m + " signs")
		var q council.RequestRecord
		ts.must(http.StatusOK, "GET", "/v1/councils/"+name+"/requests/dprk-hr", sec, nil, &q)
		if !slices.Contains(q.Signatories, m) {
			t.Fatalf("%s signed in its browser, but the request's signatories are %v", m, q.Signatories)
		}
		if q.Support == q.Needed {
			checkRequest(fmt.Sprintf("at %d of %d", q.Support, q.Needed))
		}
	}
	final := checkRequest("with every signature")
	if final.Support != 10 || final.Needed != 9 || !sameSet(final.Undecided, []string{"ARG", "TCD", "CHN", "NGA", "RUS"}) {
		t.Errorf("the request: support %d of %d, undecided %v; want 10 of 9, undecided ARG TCD CHN NGA RUS", final.Support, final.Needed, final.Undecided)
	}
	obs.screenshot(filepath.Join(out, "request.png"))

	// Australia submits the request from its console (over the API if its console has no such form).
	tabs["AUS"].navigate("open the console to submit", console)
	if tabs["AUS"].hasForm("submit") {
		tabs["AUS"].act("submit", map[string]string{"request": "dprk-hr"}, nil)
	} else {
		note("the console of the request's author (AUS) has no form[action$=\"/act/submit\"]; submitted over the API")
		ts.mustDo(name, tok["AUS"], "submit", fields{"request": "dprk-hr"})
	}
	applied("AUS submits the request")
	tabs["AUS"].park()

	// The President schedules the meeting and opens it; China and Russia object.
	president := tabs["TCD"]
	president.navigate("open the President's console", console)
	president.act("schedule", map[string]string{"meeting": "m1", "on": "2014-12-22", "request": "dprk-hr",
		"agenda": "The situation in the Democratic People's Republic of Korea"}, map[string]string{"at": "2014-12-08", "format": "briefing"})
	applied("the President schedules m1")
	president.act("open", map[string]string{"meeting": "m1", "at": "2014-12-22"}, nil)
	applied("the President opens m1")
	for _, m := range []string{"CHN", "RUS"} {
		tabs[m].navigate("open the console to object", console)
		tabs[m].act("object", map[string]string{"meeting": "m1"}, nil)
		tabs[m].park()
		applied(m + " objects")
	}
	if rec := record(); len(rec.Meetings) != 1 || !sameSet(rec.Meetings[0].Objections, []string{"CHN", "RUS"}) || rec.Meetings[0].Request != "dprk-hr" {
		t.Fatalf("after the objections, the programme is %+v", rec.Meetings)
	}
	president.navigate("reload the President's console", console)
	president.act("open_vote", map[string]string{"meeting": "m1", "on": "agenda", "id": "agenda-2014"}, nil)
	applied("the President opens the vote on the agenda")

	// The projector opens the chamber before the ballots: the page's weight and render time are
	// measured on this load.
	projector := br.open("the projector")
	projector.signIn(base, observer, "")
	projectorLoad := projector.measureLoad("open the projector", base+"/c/"+name+"/chamber?projector=1")
	shape := evalIn[struct {
		Seats          []string
		Council, Ver   *string
		VoteState      *string
		Live           *string
		Tally, Result  bool
		TimingsPresent bool
	}](projector, "read the projector page", `(() => {
		const q = s => document.querySelector(s);
		window.browserTestMarker = 'not reloaded';
		return {
			Seats: [...document.querySelectorAll('svg#horseshoe g.seat[data-member]')].map(g => g.dataset.member),
			Council: q('main[data-council]') ? q('main').dataset.council : null,
			Ver: q('main[data-version]') ? q('main').dataset.version : null,
			VoteState: q('#vote[data-state]') ? q('#vote').dataset.state : null,
			Live: q('#live') ? q('#live').getAttribute('aria-live') : null,
			Tally: !!q('#tally'), Result: !!q('#result'),
			TimingsPresent: typeof window.councilTimings === 'object' && window.councilTimings !== null,
		};
	})()`)
	if !sameSet(shape.Seats, members) {
		t.Fatalf("the projector: svg#horseshoe g.seat[data-member] are %v, want the fifteen members", shape.Seats)
	}
	if shape.Council == nil || *shape.Council != name || shape.Ver == nil {
		t.Errorf("the projector: <main data-council=%v data-version=%v>, want data-council=%q and a version", shape.Council, shape.Ver, name)
	}
	if shape.VoteState == nil || *shape.VoteState == "" {
		t.Errorf("the projector: no #vote[data-state] while the vote is open")
	}
	if shape.Live == nil || *shape.Live == "" {
		t.Errorf("the projector: no #live with aria-live")
	}
	if !shape.Tally || !shape.Result {
		t.Errorf("the projector: #tally present %v, #result present %v; want both", shape.Tally, shape.Result)
	}
	if !shape.TimingsPresent {
		note("chamber.js does not define window.councilTimings before the first ballot")
	}
	openState := ""
	if shape.VoteState != nil {
		openState = *shape.VoteState
	}

	// Each delegation casts its ballot from its console in its own browser, and the projector must
	// show each one as it comes.
	ballots := map[string]string{"CHN": "no", "RUS": "no", "TCD": "abstain", "NGA": "abstain"}
	ballotOf := func(m string) string {
		if b := ballots[m]; b != "" {
			return b
		}
		return "yes"
	}
	seatState := `JSON.stringify([...document.querySelectorAll('svg#horseshoe g.seat')].map(g => g.dataset.member + '=' + (g.getAttribute('data-ballot') || '')))`
	castAt := map[string]time.Time{}
	for _, m := range members {
		tabs[m].navigate("open the console to vote", console)
		for _, b := range []string{"yes", "no", "abstain"} {
			if !evalIn[bool](tabs[m], "look for #ballot-"+b, `!!document.querySelector('form.ballot #ballot-`+b+`')`) {
				t.Errorf("%s's console: no form.ballot #ballot-%s while the vote is open", m, b)
			}
		}
		castAt[m] = tabs[m].clickJS("cast the ballot "+ballotOf(m), `(() => {
			const b = document.querySelector('form.ballot #ballot-`+ballotOf(m)+`');
			if (!b) return {error: 'no form.ballot #ballot-`+ballotOf(m)+` on ' + location.pathname};
			b.click();
			return {error: ''};
		})()`)
		applied(m + " votes " + ballotOf(m))
		projector.waitFor("show "+m+"'s ballot",
			fmt.Sprintf(`(document.querySelector('svg#horseshoe g.seat[data-member="%s"]') || {getAttribute: () => null}).getAttribute('data-ballot') === '%s'`, m, ballotOf(m)),
			seatState, 5*time.Second)
		tabs[m].park()
	}
	after := evalIn[struct {
		Marker  *string
		Timings map[string]float64
		Tally   string
	}](projector, "read the projector after the ballots", `({
		Marker: window.browserTestMarker || null,
		Timings: Object.fromEntries(Object.entries(window.councilTimings || {}).filter(([k, v]) => typeof v === 'number')),
		Tally: (document.querySelector('#tally') || {}).textContent || '',
	})`)
	if after.Marker == nil {
		t.Errorf("the projector reloaded during the vote: the ballots must come live, not by reloading")
	}
	latency := map[string]float64{}
	var latencies []float64
	for _, m := range members {
		at, ok := after.Timings[m]
		if !ok {
			t.Errorf("the projector: window.councilTimings has no %s: chamber.js must set it when it applies the ballot", m)
			continue
		}
		ms := at - float64(castAt[m].UnixMilli())
		latency[m] = ms
		latencies = append(latencies, ms)
	}
	if !strings.Contains(after.Tally, "11") {
		t.Errorf("the projector's #tally after the ballots says %q; want the 11 in favour in it", after.Tally)
	}

	// The President closes the vote: the projector shows the result with the record's reason.
	president.navigate("reload the President's console", console)
	closedAt := president.act("close_vote", map[string]string{"vote": "agenda-2014"}, nil)
	applied("the President closes the vote")
	var votes Votes
	ts.must(http.StatusOK, "GET", "/v1/councils/"+name+"/votes", sec, nil, &votes)
	if len(votes.Votes) != 1 || votes.Votes[0].Result != "adopted" {
		t.Fatalf("the votes: %+v, want agenda-2014 adopted", votes.Votes)
	}
	vote := votes.Votes[0]
	projector.waitFor("show the result", `(document.querySelector('#result') || {dataset: {}}).dataset.result === 'adopted'`,
		`(() => { const r = document.querySelector('#result'); return r ? 'data-result=' + JSON.stringify(r.dataset.result) + ' text=' + JSON.stringify(r.textContent) : 'no #result'; })()`, 5*time.Second)
	res := evalIn[struct {
		Text, State, Tally, Version string
		ResultAt                    *float64
	}](projector, "read the result", `({
		Text: document.querySelector('#result').textContent.replace(/\s+/g, ' ').trim(),
		State: (document.querySelector('#vote') || {dataset: {}}).dataset.state || '',
		Tally: ((document.querySelector('#tally') || {}).textContent || '').replace(/\s+/g, ' ').trim(),
		Version: (document.querySelector('main') || {dataset: {}}).dataset.version || '',
		ResultAt: (window.councilTimings || {}).result || null,
	})`)
	if !strings.Contains(res.Text, vote.Reason) {
		t.Errorf("the projector's #result says %q; want the record's reason %q in it", res.Text, vote.Reason)
	}
	if res.State == openState {
		t.Errorf("the projector's #vote data-state is %q both while the vote is open and after it closed", res.State)
	}
	resultLatency := -1.0
	if res.ResultAt == nil {
		t.Errorf("the projector: window.councilTimings.result is not set with the result banner")
	} else {
		resultLatency = *res.ResultAt - float64(closedAt.UnixMilli())
	}
	if res.Version != fmt.Sprint(version) {
		t.Logf("the projector's <main data-version> is %q after the result; the council is at %d", res.Version, version)
	}
	projector.screenshot(filepath.Join(out, "chamber.png"))
	president.navigate("open the President's console", console)
	president.screenshot(filepath.Join(out, "console.png"))
	president.park()

	// The United States speaks and the President closes the meeting: the record the browsers made is
	// the record of examples/scenarios/dprk-2014.yaml.
	tabs["USA"].navigate("open the console to speak", console)
	tabs["USA"].act("statement", map[string]string{"meeting": "m1"}, nil)
	applied("USA makes its statement")
	tabs["USA"].park()
	president.navigate("open the President's console", console)
	president.act("close", map[string]string{"meeting": "m1"}, nil)
	applied("the President closes m1")
	president.park()
	replay, err := scenario.Load("../examples/scenarios/dprk-2014.yaml", scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := replay.Run()
	if err != nil || want.Failed != nil {
		t.Fatalf("replay: %v %v", err, want.Failed)
	}
	got := record()
	compareRecords(t, &got, want.Record)

	// The home page and the record, as the observer sees them.
	obs.navigate("open the home page", base+"/c/"+name)
	home := evalIn[struct {
		President *string
		Members   []string
		Meetings  []struct{ ID, Status string }
	}](obs, "read the home page", `(() => ({
		President: document.querySelector('#president') ? document.querySelector('#president').textContent.replace(/\s+/g, ' ').trim() : null,
		Members: [...document.querySelectorAll('#members tr[data-member]')].map(tr => tr.dataset.member),
		Meetings: [...document.querySelectorAll('#programme li.meeting[data-meeting]')].map(li => ({ID: li.dataset.meeting, Status: li.dataset.status || ''})),
	}))()`)
	if home.President == nil || !(strings.Contains(*home.President, "TCD") || strings.Contains(*home.President, "Chad")) {
		t.Errorf("home page: #president is %v; want Chad (TCD)", home.President)
	}
	if !sameSet(home.Members, members) {
		t.Errorf("home page: #members tr[data-member] are %v, want the fifteen members", home.Members)
	}
	if len(home.Meetings) != 1 || home.Meetings[0].ID != "m1" || home.Meetings[0].Status == "" {
		t.Errorf("home page: #programme li.meeting are %+v, want m1 with its data-status", home.Meetings)
	}
	obs.screenshot(filepath.Join(out, "home.png"))

	obs.navigate("open the record", base+"/c/"+name+"/record")
	downloads := evalIn[[]struct {
		ID, Href, Type string
		Status         int
		Body           string
	}](obs, "follow the record's downloads", `Promise.all(['download-json', 'download-csv'].map(async id => {
		const a = document.getElementById(id);
		if (!a) return {ID: id, Href: '', Type: '', Status: 0, Body: ''};
		const href = a.href || a.getAttribute('href') || (a.form ? a.form.action : '');
		const r = await fetch(href);
		return {ID: id, Href: href, Type: r.headers.get('Content-Type') || '', Status: r.status, Body: (await r.text()).slice(0, 20000)};
	}))`, chromedp.EvalAwaitPromise)
	for _, d := range downloads {
		switch {
		case d.Href == "":
			t.Errorf("record page: no #%s (or it leads nowhere)", d.ID)
		case d.Status != http.StatusOK:
			t.Errorf("record page: #%s (%s) answers %d", d.ID, d.Href, d.Status)
		case !strings.Contains(d.Body, "agenda-2014"):
			t.Errorf("record page: #%s (%s, %s) does not hold the vote agenda-2014", d.ID, d.Href, d.Type)
		}
	}
	obs.screenshot(filepath.Join(out, "record.png"))

	// The figures: the chamber page (not the projector) with the result on it, cache off.
	chamberLoad := obs.measureLoad("measure the chamber page", base+"/c/"+name+"/chamber")
	for _, p := range []pageLoad{projectorLoad, chamberLoad} {
		if p.transferred() >= 100_000 {
			t.Errorf("%s: %d bytes transferred (DevTools %d, Performance API %d), want under 100 KB: %+v", p.URL, p.transferred(), p.TransferredCDP, p.TransferredPerf, p.Requests)
		}
	}
	p50, p90, worst := percentile(slices.Clone(latencies), 0.5), percentile(slices.Clone(latencies), 0.9), percentile(slices.Clone(latencies), 1)
	figures := map[string]any{
		"chromium":                 exe,
		"projector_load":           projectorLoad,
		"chamber_load":             chamberLoad,
		"ballot_latency_ms":        latency,
		"ballot_latency_p50_ms":    p50,
		"ballot_latency_p90_ms":    p90,
		"ballot_latency_max_ms":    worst,
		"result_latency_ms":        resultLatency,
		"ballot_latency_method":    "window.councilTimings[member] (Date.now() when chamber.js applied the ballot on the projector) minus Go's time.Now() just before the click on the ballot button, on the same machine",
		"setup_seconds":            setup.Seconds(),
		"test_seconds":             time.Since(began).Seconds(),
		"contract_notes":           notes,
		"chamber_limit_bytes":      100_000,
		"render_limit_ms_reported": 200,
		"ballot_limit_ms_reported": 500,
	}
	data, err := json.MarshalIndent(figures, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "figures.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []pageLoad{projectorLoad, chamberLoad} {
		t.Logf("%s: %d bytes transferred (DevTools %d, Performance API %d) in %d requests; load event ended at %.1f ms, DOMContentLoaded %.1f ms, first contentful paint %.1f ms, navigation %.1f ms from Go",
			strings.TrimPrefix(p.URL, base), p.transferred(), p.TransferredCDP, p.TransferredPerf, len(p.Requests), p.LoadEventEndMS, p.DOMContentLoadedMS, p.FirstContentfulPaintMS, p.NavigateWallMS)
	}
	t.Logf("ballot to projector: p50 %.0f ms, p90 %.0f ms, max %.0f ms over %d ballots; result banner %.0f ms after the close was clicked", p50, p90, worst, len(latencies), resultLatency)
	t.Logf("screenshots: %s", strings.Join([]string{filepath.Join(out, "home.png"), filepath.Join(out, "request.png"), filepath.Join(out, "chamber.png"), filepath.Join(out, "record.png"), filepath.Join(out, "console.png")}, " "))
	t.Logf("figures: %s (setup %.1f s, whole test %.1f s)", filepath.Join(out, "figures.json"), setup.Seconds(), time.Since(began).Seconds())
}
