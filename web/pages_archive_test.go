package web

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opencouncil/council/history"
)

// archiveRecord is the record the archive pages read, for the tests to compare with.
func archiveRecord(t testing.TB) (*archive, *history.History) {
	t.Helper()
	a, err := theArchive()
	if err != nil {
		t.Fatal(err)
	}
	return a, a.h
}

// element is the text of the first element of a tag with an id, from its start tag to the first end
// tag of the same name (enough for the elements the tests look into, which do not nest their kind).
func element(t testing.TB, page, tag, id string) string {
	t.Helper()
	i := strings.Index(page, "<"+tag+` id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no <%s id=%q>", tag, id)
	}
	j := strings.Index(page[i:], "</"+tag+">")
	if j < 0 {
		t.Fatalf("<%s id=%q> is not closed", tag, id)
	}
	return page[i : i+j]
}

// voteRef finds the outcome of the record on a document.
func voteRef(t testing.TB, a *archive, document string) archRef {
	t.Helper()
	for i := range a.h.Meetings {
		for j, o := range a.h.Meetings[i].Outcomes {
			if o.Document == document && o.Votable() {
				return archRef{i, j}
			}
		}
	}
	t.Fatalf("no vote on %s in the record", document)
	return archRef{}
}

// TestArchiveOverview fetches /archive without JavaScript: the search form, and the two charts with a
// bar and a title per year, the legend in text and the tables of their figures.
func TestArchiveOverview(t *testing.T) {
	ts := MustServe(t)
	_, h := archiveRecord(t)
	years := h.Years()
	page := ts.mustPage(http.StatusOK, "/archive", "")
	if htmlFind(t, page, "form", "id", "archive-search", "method", "get", "action", "/archive/meetings") == nil {
		t.Errorf("no search form")
	}
	for _, in := range [][]string{{"name", "topic"}, {"name", "from", "type", "number"}, {"name", "to", "type", "number"}} {
		if htmlFind(t, page, "input", in...) == nil {
			t.Errorf("the search form has no input %v", in)
		}
	}
	for _, id := range []string{"chart-vetoes", "chart-resolutions"} {
		fig := element(t, page, "figure", id)
		if n := htmlCount(t, page, id, "g", "data-year", "*"); n != len(years) {
			t.Errorf("#%s has %d bars, want one per year (%d)", id, n, len(years))
		}
		if n := strings.Count(fig, "<title>"); n != len(years) {
			t.Errorf("#%s has %d titles, want one per bar (%d)", id, n, len(years))
		}
		if htmlCount(t, page, id, "figcaption", "id", id+"-caption") != 1 || htmlCount(t, page, id, "details", "id", id+"-data") != 1 {
			t.Errorf("#%s lacks its caption or the <details> of its table", id)
		}
		if n := htmlCount(t, page, id+"-table", "tr", "data-year", "*"); n != len(years) {
			t.Errorf("#%s's table has %d rows, want %d", id, n, len(years))
		}
		if !strings.Contains(fig, `<svg class="bars"`) || !strings.Contains(fig, `role="group" aria-labelledby="`+id+`-caption"`) {
			t.Errorf("#%s has no inline SVG named by its caption", id)
		}
	}
	for _, code := range []string{"SUN", "USA", "RUS", "GBR", "CHN", "FRA"} {
		if htmlCount(t, page, "chart-vetoes-legend", "li", "data-member", code) != 1 {
			t.Errorf("the legend does not name %s", code)
		}
	}
	for _, want := range []string{"<title>1950: 3 vetoes on 3 drafts — USSR 3</title>", "<title>1951: no veto</title>",
		"<title>2011: 3 vetoes on 2 drafts — United States 1, Russian Federation 1, China 1</title>",
		"<title>1993: 91 resolutions (78 unanimous), 169 meetings</title>",
		`<tr data-year="1947"><th scope="row">1947</th><td>13</td><td>13</td><td>13</td>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the overview does not show %q", want)
		}
	}
	// The check's disagreements link to their votes.
	if n := htmlCount(t, page, "disagreements", "a", "href", "*"); n != len(h.Check().Disagreements) {
		t.Errorf("#disagreements links %d votes, want %d", n, len(h.Check().Disagreements))
	}
	ts.mustPage(http.StatusOK, "/archive", ts.admin) // signed in, the same page with the header's name
}

// TestArchiveSearch searches the meetings: Korea in 1950 finds the meetings of June and July 1950 with
// links to their votes; results are paged; bad parameters give a 400 page naming the field.
func TestArchiveSearch(t *testing.T) {
	ts := MustServe(t)
	a, h := archiveRecord(t)
	page := ts.mustPage(http.StatusOK, "/archive/meetings?topic=Korea&from=1950&to=1950", "")
	for key, date := range map[string]string{"S/PV.473": "1950-06-25", "S/PV.474": "1950-06-27", "S/PV.475": "1950-06-30",
		"S/PV.476": "1950-07-07", "S/PV.479": "1950-07-31"} {
		if htmlFind(t, page, "li", "data-meeting", key, "data-date", date) == nil {
			t.Errorf("Korea in 1950 does not find %s of %s", key, date)
		}
	}
	if n, want := htmlCount(t, page, "results", "li", "data-meeting", "*"), len(h.MeetingsOn("korea", 1950)); n != want {
		t.Errorf("Korea in 1950: %d meetings, want %d", n, want)
	}
	for _, want := range []string{`<a href="/archive/votes/S/PV.473/2">Resolution S/RES/82 (1950) adopted</a> <span class="tally">9-0-1</span>`,
		`<a href="/archive/votes/S/PV.496/1">Draft S/1653 vetoed by USSR</a>`, `href="/v1/history/meetings?topic=Korea&amp;year=1950"`} {
		if !strings.Contains(page, want) {
			t.Errorf("Korea in 1950 does not show %q", want)
		}
	}
	if htmlFind(t, page, "input", "name", "topic", "value", "Korea") == nil || htmlFind(t, page, "input", "name", "from", "value", "1950") == nil {
		t.Errorf("the form does not keep the search")
	}
	if strings.Contains(page, `data-date="1951`) || strings.Contains(page, `data-date="1949`) {
		t.Errorf("Korea in 1950 lists meetings of other years")
	}

	// Paging: 2000's meetings, 50 a page.
	total := len(h.MeetingsOn("", 2000))
	pages := (total + archPageSize - 1) / archPageSize
	first := ts.mustPage(http.StatusOK, "/archive/meetings?from=2000&to=2000", "")
	if n := htmlCount(t, first, "results", "li", "data-meeting", "*"); n != archPageSize {
		t.Errorf("page 1 lists %d meetings", n)
	}
	if htmlFind(t, first, "a", "rel", "next", "href", "/archive/meetings?from=2000&amp;page=2&amp;to=2000") == nil &&
		htmlFind(t, first, "a", "rel", "next", "href", "/archive/meetings?from=2000&page=2&to=2000") == nil {
		t.Errorf("page 1 has no link to page 2")
	}
	last := ts.mustPage(http.StatusOK, "/archive/meetings?from=2000&to=2000&page="+strconv.Itoa(pages), "")
	if n := htmlCount(t, last, "results", "li", "data-meeting", "*"); n != total-(pages-1)*archPageSize {
		t.Errorf("the last page lists %d meetings of %d", n, total)
	}
	// By symbol and by kind.
	if p := ts.mustPage(http.StatusOK, "/archive/meetings?symbol=S/RES/2623", ""); htmlFind(t, p, "li", "data-meeting", "S/PV.8980") == nil {
		t.Errorf("the symbol S/RES/2623 does not find S/PV.8980")
	}
	p := ts.mustPage(http.StatusOK, "/archive/meetings?kind=disagree", "")
	if n := htmlCount(t, p, "results", "li", "data-meeting", "*"); n != len(a.overview.Disagreements) {
		t.Errorf("kind=disagree finds %d meetings, want %d", n, len(a.overview.Disagreements))
	}
	if p := ts.mustPage(http.StatusOK, "/archive/meetings?topic=no+such+topic+at+all", ""); !strings.Contains(p, "No meeting found") {
		t.Errorf("a search without results does not say so")
	}

	for _, tc := range []struct{ query, field, want string }{
		{"from=abc", "from", `from must be a year, such as 1950, not &#34;abc&#34;`},
		{"to=19x", "to", "to must be a year"},
		{"from=1900", "from", "from must be a year from 1946 to 2022"},
		{"from=1960&to=1950", "to", "to (1950) must not be before from (1960)"},
		{"kind=everything", "kind", "kind must be one of the choices"},
		{"page=0", "page", "page must be a whole number of at least 1"},
		{"from=2000&to=2000&page=" + strconv.Itoa(pages+1), "page", "past the last page"},
		{"topic=" + strings.Repeat("x", 201), "topic", "topic must be at most 200 characters"},
	} {
		page := ts.mustPage(http.StatusBadRequest, "/archive/meetings?"+tc.query, "")
		if !strings.Contains(page, `role="alert"`) || !strings.Contains(page, tc.want) {
			t.Errorf("%s: the 400 page does not say %q", tc.query, tc.want)
		}
		if tc.field != "page" && htmlFind(t, page, "input", "name", tc.field, "aria-invalid", "true") == nil &&
			htmlFind(t, page, "select", "name", tc.field, "aria-invalid", "true") == nil {
			t.Errorf("%s: the field %s is not marked invalid", tc.query, tc.field)
		}
	}
	if p := ts.mustPage(http.StatusBadRequest, "/archive/meetings?from=abc&topic=Korea", ""); htmlFind(t, p, "input", "name", "from", "value", "abc") == nil {
		t.Errorf("the 400 page does not give back what was typed")
	}
}

// TestArchiveVotes checks the votes' pages: a vetoed draft names its vetoing members and the engine's
// reason; the DPRK agenda vote of 2014 shows 11-2-2 with every ballot; a disagreement says why; ids that
// name no vote are 404 pages.
func TestArchiveVotes(t *testing.T) {
	ts := MustServe(t)
	a, _ := archiveRecord(t)

	// Vetoed by the USSR in 1950, and by China and the Russian Federation in 2011.
	page := ts.mustPage(http.StatusOK, "/archive/votes/S/PV.496/1", "")
	for _, want := range []string{"<h1>Draft S/1653 <small>", "9-1-1", "Not adopted: vetoed by USSR", `id="engine-reason">not adopted: vetoed by SUN`,
		`data-agrees="yes"`, "7 needed"} {
		if !strings.Contains(page, want) {
			t.Errorf("S/1653 (1950) does not show %q", want)
		}
	}
	if htmlCount(t, page, "vetoed-by", "a", "data-member", "SUN") != 1 {
		t.Errorf("S/1653 does not name the USSR as vetoing")
	}
	page = ts.mustPage(http.StatusOK, a.votePath(voteRef(t, a, "S/2011/612")), "")
	for _, code := range []string{"CHN", "RUS"} {
		if htmlCount(t, page, "vetoed-by", "a", "data-member", code) != 1 || htmlFind(t, page, "tr", "data-member", code, "data-ballot", "no") == nil {
			t.Errorf("S/2011/612 does not name %s as vetoing", code)
		}
	}
	for _, want := range []string{"9-2-4", `id="engine-reason">not adopted: vetoed by CHN, RUS`, "Vetoed by China and Russian Federation", "Syria"} {
		if !strings.Contains(page, want) {
			t.Errorf("S/2011/612 does not show %q", want)
		}
	}
	// Without the veto it would have been adopted.
	if w := element(t, page, "table", "whatifs"); !strings.Contains(w, `<tr data-changed="true"><th scope="row">Without the veto`) {
		t.Errorf("S/2011/612's what-if without the veto does not change: %s", w)
	}

	// The DPRK agenda, 22 December 2014: 11-2-2, procedural, each ballot.
	page = ts.mustPage(http.StatusOK, "/archive/votes/S/PV.7353/1", "")
	for _, want := range []string{`<strong id="tally-figures">11-2-2</strong>`, "9 needed", "procedural", "Adopted: the agenda was adopted", `data-agrees="yes"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the DPRK agenda vote does not show %q", want)
		}
	}
	if n := htmlCount(t, page, "ballots", "tr", "data-member", "*"); n != 15 {
		t.Errorf("the DPRK agenda vote shows %d ballots, want 15", n)
	}
	for m, b := range map[string]string{"CHN": "no", "RUS": "no", "TCD": "abstain", "NGA": "abstain", "USA": "yes", "KOR": "yes"} {
		if htmlFind(t, page, "tr", "data-member", m, "data-ballot", b) == nil {
			t.Errorf("the DPRK agenda vote does not show %s voting %s", m, b)
		}
	}
	if n := strings.Count(element(t, page, "section", "tally"), `<g class="box b-yes">`); n != 11 {
		t.Errorf("the tally's bar has %d boxes in favour, want 11", n)
	}

	// Resolution 82 (1950): adopted in the USSR's absence.
	page = ts.mustPage(http.StatusOK, "/archive/votes/S/PV.473/2", "")
	for _, want := range []string{"Resolution S/RES/82 (1950)", "9-0-1", "1 absent", "the absence of SUN is not a veto", "Sunday 25 June 1950"} {
		if !strings.Contains(page, want) {
			t.Errorf("resolution 82 does not show %q", want)
		}
	}

	// A vote the check disputes.
	page = ts.mustPage(http.StatusOK, a.votePath(voteRef(t, a, "S/2022/431")), "")
	for _, want := range []string{`data-agrees="no"`, "veto-without-negative", "perhaps the negative votes and abstentions are swapped"} {
		if !strings.Contains(page, want) {
			t.Errorf("S/2022/431 does not show %q", want)
		}
	}

	for _, path := range []string{"/archive/votes/S/PV.475/1", "/archive/votes/S/PV.473/3", "/archive/votes/S/PV.473/x",
		"/archive/votes/S/PV.0/1", "/archive/votes/nothing", "/archive/votes/S/PV.5110%20(Resumption%201)/1"} {
		if p := ts.mustPage(http.StatusNotFound, path, ""); !strings.Contains(p, "Not found:") {
			t.Errorf("GET %s: the 404 page does not say so", path)
		}
	}
}

// TestArchiveVoteIDs reads back every vote's id, as the server's mux unescapes it, and finds the vote of
// every row of the veto list the record joined to a meeting.
func TestArchiveVoteIDs(t *testing.T) {
	a, h := archiveRecord(t)
	for k, v := range h.Vetoes {
		r := a.vetoAt[k]
		if (v.Meeting != "") != (r.m >= 0) {
			t.Errorf("the veto of %s (line %d), meeting %q, is joined to %v", v.Draft, v.Row, v.Meeting, r)
		} else if r.m >= 0 && (a.meeting(r).Key != v.Meeting || !strings.HasPrefix(a.outcome(r).Document, strings.Split(v.Document, "/Rev")[0])) &&
			!strings.HasPrefix(v.Document, "S/PV.") && !strings.HasPrefix(a.outcome(r).Document, "S/PV.") {
			t.Errorf("the veto of %s (line %d) is joined to %s of %s", v.Draft, v.Row, a.outcome(r).Document, a.meeting(r).Key)
		}
	}
	for _, r := range a.votes {
		p := a.votePath(r)
		id, err := url.PathUnescape(strings.TrimPrefix(p, "/archive/votes/"))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := a.findVote(id); err != nil || got != r {
			t.Errorf("%s reads back as %v, %v; want %v", p, got, err, r)
		}
	}
}

// TestArchiveMembers checks a member's record (the USA's vetoes, Japan's ballots) and the list.
func TestArchiveMembers(t *testing.T) {
	ts := MustServe(t)
	_, h := archiveRecord(t)
	usa, err := h.Member("USA")
	if err != nil {
		t.Fatal(err)
	}
	page := ts.mustPage(http.StatusOK, "/archive/members/USA", "")
	if n := htmlCount(t, page, "vetoes", "tr", "data-date", "*"); n != len(usa.Vetoes) || n < 80 {
		t.Errorf("the USA's page lists %d vetoes, want %d", n, len(usa.Vetoes))
	}
	for _, want := range []string{"United States of America", "Permanent member", "S/9696 and Corr.1 &amp; 2", "Southern Rhodesia",
		`<a href="/archive/members/GBR">United Kingdom</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the USA's page does not show %q", want)
		}
	}
	linked := 0
	for _, v := range usa.Vetoes {
		if v.Meeting != "" {
			linked++
		}
	}
	if n := htmlCount(t, page, "vetoes", "a", "href", "*") - htmlCount(t, page, "vetoes", "a", "href", "/archive/members/GBR") -
		htmlCount(t, page, "vetoes", "a", "href", "/archive/members/FRA"); n != linked {
		t.Errorf("the USA's page links %d vetoes to their votes, want the %d the meetings table has", n, linked)
	}
	if n := htmlCount(t, page, "ballots", "tr", "data-ballot", "yes"); n != 4 {
		t.Errorf("the USA's page lists %d ballots in favour (the DPRK agenda votes), want 4", n)
	}
	page = ts.mustPage(http.StatusOK, "/archive/members/jpn", "")
	if !strings.Contains(page, "Japan") || htmlCount(t, page, "ballots", "tr", "data-ballot", "yes") != 2 || htmlCount(t, page, "terms", "tr", "data-from", "*") < 10 {
		t.Errorf("Japan's page lacks its terms or its ballots")
	}
	if p := ts.mustPage(http.StatusNotFound, "/archive/members/XYZ", ""); !strings.Contains(p, "never sat") {
		t.Errorf("a state that never sat is not a 404 page saying so")
	}
	page = ts.mustPage(http.StatusOK, "/archive/members", "")
	for _, code := range []string{"USA", "SUN", "JPN", "DEU"} {
		if htmlFind(t, page, "tr", "data-member", code) == nil {
			t.Errorf("the list of members lacks %s", code)
		}
	}
}

// TestArchiveEveryPage renders the page of every vote and every member, and follows every link of the
// overview and of a page of results: each is well formed, and each link of the site answers.
func TestArchiveEveryPage(t *testing.T) {
	ts := MustServe(t)
	a, _ := archiveRecord(t)
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		ts.srv.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec
	}
	start := time.Now()
	for k, r := range a.votes {
		if testing.Short() && k%20 != 0 {
			continue // -short: every twentieth vote
		}
		path := a.votePath(r)
		rec := get(path)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		checkHTML(t, path, rec.Body.String())
	}
	for _, m := range a.members {
		path := "/archive/members/" + m.Code
		if rec := get(path); rec.Code != http.StatusOK {
			t.Errorf("GET %s: %d", path, rec.Code)
		} else {
			checkHTML(t, path, rec.Body.String())
		}
	}
	t.Logf("%d votes and %d members in %v", len(a.votes), len(a.members), time.Since(start))

	seen := map[string]bool{}
	for _, from := range []string{"/archive", "/archive/meetings?topic=Korea&from=1950&to=1950", "/archive/votes/S/PV.7353/1", "/archive/members/CHN"} {
		for _, tg := range htmlTags(t, ts.mustPage(http.StatusOK, from, "")) {
			href, _, _ := strings.Cut(html.UnescapeString(tg.attrs["href"]), "#")
			if tg.end || tg.name != "a" || !(strings.HasPrefix(href, "/archive") || strings.HasPrefix(href, "/v1/history")) || seen[href] {
				continue
			}
			seen[href] = true
			if rec := get(href); rec.Code != http.StatusOK {
				t.Errorf("%s links %s, which answers %d", from, href, rec.Code)
			}
		}
	}

	r := ts.browse("GET", "/static/archive.css", "", nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") || len(r.body) > 4<<10 ||
		strings.Contains(string(r.body), "http") || strings.Contains(string(r.body), "@import") {
		t.Errorf("/static/archive.css: %d %s, %d bytes", r.status, r.header.Get("Content-Type"), len(r.body))
	}
}

// BenchmarkArchivePages renders each kind of archive page through the server's handler (no network):
// each should take well under 50 ms.
func BenchmarkArchivePages(b *testing.B) {
	ts := MustServe(b)
	a, _ := archiveRecord(b)
	for _, bc := range []struct{ name, path string }{
		{"overview", "/archive"},
		{"search-korea-1950", "/archive/meetings?topic=Korea&from=1950&to=1950"},
		{"search-all", "/archive/meetings"},
		{"vote-vetoed", a.votePath(voteRef(b, a, "S/2011/612"))},
		{"vote-dprk", "/archive/votes/S/PV.7353/1"},
		{"member-usa", "/archive/members/USA"},
		{"members", "/archive/members"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				ts.srv.ServeHTTP(rec, httptest.NewRequest("GET", bc.path, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", bc.path, rec.Code)
				}
			}
		})
	}
}
