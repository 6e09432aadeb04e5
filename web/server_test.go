package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
	"github.com/opencouncil/council/sqlite/sqlitetest"
)

// TestCouncilFromBodyFile creates a board from a body file with its own members, and runs a vote on it.
func TestCouncilFromBodyFile(t *testing.T) {
	ts := MustServe(t)
	text, err := os.ReadFile("../examples/bodies/board.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sec := ts.create(CreateCouncil{Name: "board", BodyFile: string(text), Date: council.DateOf(2026, 3, 2)})
	var info CouncilInfo
	ts.must(http.StatusOK, "GET", "/v1/councils/board", sec, nil, &info)
	if info.Body != "board" || len(info.Members) != 9 || info.Members[0].Code != "ALICE" {
		t.Fatalf("the board: %+v", info)
	}
	alice := ts.issue("board", sec, access.Delegation, "ALICE").Token
	ts.mustDo("board", sec, "schedule", fields{"meeting": "b1", "on": "2026-03-05", "agenda": []string{"Accounts"}})
	ts.mustDo("board", sec, "open", fields{"meeting": "b1", "at": "2026-03-05"})
	ts.mustDo("board", sec, "adopt_agenda", fields{"meeting": "b1"})
	ts.mustDo("board", alice, "draft", fields{"id": "m1", "title": "Approve the accounts", "meeting": "b1"})
	done := ts.mustDo("board", sec, "vote", fields{"meeting": "b1", "on": "m1", "yes": []string{"ALICE", "BOB", "CAROL"}, "no": []string{"DAVID"}, "abstain": []string{"ERIN"}})
	if done.Type != "vote-taken" || !strings.Contains(string(done.Event), `"adopted":true`) {
		t.Fatalf("the board's vote: %s", done.Event)
	}
	// A delegation token names a member of the body.
	r := ts.send("POST", "/v1/councils/board/tokens", sec, IssueToken{Role: access.Delegation, Member: "USA"})
	if r.status != http.StatusBadRequest || r.problem().Field != "member" {
		t.Fatalf("a token for a non-member: %d %s", r.status, r.body)
	}
}

// TestPublicAndPrivate: the public reads a public council's record and nothing of a private one;
// observers read but do not act.
func TestPublicAndPrivate(t *testing.T) {
	ts := MustServe(t)
	sec := ts.create(CreateCouncil{Name: "open", Date: council.DateOf(2014, 12, 5), Public: true})
	ts.create(CreateCouncil{Name: "closed", Date: council.DateOf(2014, 12, 5)})
	ts.must(http.StatusOK, "GET", "/v1/councils/open/record", "", nil, nil)
	if r := ts.send("GET", "/v1/councils/closed/record", "", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("the public read a private council: %d", r.status)
	}
	if r := ts.send("GET", "/v1/councils/closed/record", sec, nil); r.status != http.StatusForbidden {
		t.Fatalf("another council's secretariat read a private council: %d", r.status)
	}
	var list CouncilList
	ts.must(http.StatusOK, "GET", "/v1/councils", "", nil, &list)
	if len(list.Councils) != 1 || list.Councils[0] != "open" {
		t.Fatalf("the public's list: %v", list.Councils)
	}
	ts.must(http.StatusOK, "PATCH", "/v1/councils/open", sec, map[string]any{"public": false}, nil)
	if r := ts.send("GET", "/v1/councils/open/record", "", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("the public read a council made private: %d", r.status)
	}
	if r := ts.send("DELETE", "/v1/councils", ts.admin, nil); r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET, POST" {
		t.Fatalf("a method the path does not take: %d, Allow %q", r.status, r.header.Get("Allow"))
	}
}

// TestRateLimit: a token that sends more than its rate gets 429 with Retry-After, and another token
// is not affected.
func TestRateLimit(t *testing.T) {
	ctx := context.Background()
	srv, err := New(ctx, Config{Store: sqlitetest.Open(t), Rate: 1, Burst: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	a, _, _ := srv.Keeper().EnsureAdmin(ctx, "")
	_, b, _ := srv.Keeper().Issue(ctx, access.Grant{Role: access.Observer, Council: "x"})
	get := func(token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/v1/whoami", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		return w
	}
	for i := range 3 {
		if w := get(a); w.Code != 200 {
			t.Fatalf("request %d: %d", i, w.Code)
		}
	}
	w := get(a)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("over the rate: %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	// A page asked for over the rate is refused with a page, not a problem document.
	req := httptest.NewRequest("GET", "/archive", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: a})
	pw := httptest.NewRecorder()
	srv.ServeHTTP(pw, req)
	if pw.Code != http.StatusTooManyRequests || pw.Header().Get("Retry-After") == "" || !strings.HasPrefix(pw.Header().Get("Content-Type"), "text/html") || !strings.Contains(pw.Body.String(), `id="page-error"`) {
		t.Fatalf("a page over the rate: %d, %q, Retry-After %q: %.300s", pw.Code, pw.Header().Get("Content-Type"), pw.Header().Get("Retry-After"), pw.Body.String())
	}
	if w := get(b); w.Code != 200 {
		t.Fatalf("another token: %d", w.Code)
	}
}

// TestMetricsAndHealth: /healthz answers, and /metrics counts requests, commands, appends and
// subscribers.
func TestMetricsAndHealth(t *testing.T) {
	ts := MustServe(t)
	sec := ts.create(CreateCouncil{Name: "m", Date: council.DateOf(2014, 12, 5)})
	ts.mustDo("m", sec, "schedule", fields{"meeting": "m1", "on": "2014-12-22", "agenda": []string{"An item"}})
	// A command retried with its key is answered as it was first, marked as a replay, and counted as one.
	body := []byte(`{"meeting":"m2","on":"2014-12-23","agenda":["Another item"]}`)
	first := ts.send("POST", "/v1/councils/m/commands/schedule", sec, body, "Idempotency-Key", "schedule-m2")
	again := ts.send("POST", "/v1/councils/m/commands/schedule", sec, body, "Idempotency-Key", "schedule-m2")
	if first.status != http.StatusOK || string(first.body) != string(again.body) || first.header.Get("Idempotent-Replayed") != "" || again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retried command: %s (Idempotent-Replayed %q) after %s (%q)", again.body, again.header.Get("Idempotent-Replayed"), first.body, first.header.Get("Idempotent-Replayed"))
	}
	ts.must(http.StatusOK, "GET", "/healthz", "", nil, nil)
	r := ts.must(http.StatusOK, "GET", "/metrics", "", nil, nil)
	for _, want := range []string{
		`council_http_requests_total{code="201",route="POST /v1/councils"} 1`,
		`council_commands_total{kind="schedule",outcome="accepted"} 2`,
		`council_commands_total{kind="schedule",outcome="replayed"} 1`,
		`council_appends_total 2`,
		`council_sse_subscribers 0`,
		`council_http_request_duration_seconds_bucket`,
	} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestUndatedOnStaleState: a command sent without a date to a server whose copy of the council is
// behind (another server sharing the store moved it on) is dated from the council as it is decided
// on, not as the stale copy had it: the server reads the store again and dates the command again.
func TestUndatedOnStaleState(t *testing.T) {
	store := sqlitetest.Open(t)
	const admin = "cnl_stale-state-test-admin-token"
	a, b := serveStore(t, store, admin), serveStore(t, store, admin)
	sec := a.create(CreateCouncil{Name: "d", Date: council.DateOf(2014, 12, 5)})
	b.version("d") // b holds the council as of its first day
	a.mustDo("d", sec, "schedule", fields{"meeting": "m1", "on": "2014-12-22", "agenda": []string{"An item"}})
	a.mustDo("d", sec, "open", fields{"meeting": "m1", "at": "2014-12-22"})
	d := b.mustDo("d", sec, "adopt_agenda", fields{"meeting": "m1"})
	if d.Version != 4 {
		t.Fatalf("adopt_agenda on the stale server stored at %d, want 4", d.Version)
	}
}
