package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
	"github.com/opencouncil/council/client"
	"github.com/opencouncil/council/web"
	"github.com/opencouncil/council/web/webtest"
)

// server is a council server on loopback over a fresh SQLite store.
type server struct{ *webtest.Server }

// newServer starts a server; wrap, when given, stands in front of it (to fail some requests).
func newServer(t *testing.T, wrap func(http.Handler) http.Handler) *server {
	t.Helper()
	return &server{webtest.Start(t, wrap)}
}

// council creates the Security Council of December 2014 and returns its secretariat's client.
func (s *server) council(t *testing.T, name string) *client.Client {
	t.Helper()
	created, err := client.New(s.URL, s.Admin).CreateCouncil(context.Background(),
		web.CreateCouncil{Name: name, Title: "Security Council", Body: "unsc", Date: council.DateOf(2014, 12, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if created.Secretariat.Token == "" || created.Secretariat.Role != access.Secretariat {
		t.Fatalf("secretariat token: %+v", created.Secretariat)
	}
	return client.New(s.URL, created.Secretariat.Token)
}

// delegation issues a delegation token of a member and returns its client.
func (s *server) delegation(t *testing.T, sec *client.Client, name, member string) *client.Client {
	t.Helper()
	tok, err := sec.IssueToken(context.Background(), name, web.IssueToken{Role: access.Delegation, Member: member, Label: member + " mission"})
	if err != nil {
		t.Fatal(err)
	}
	if tok.Member != member || tok.Token == "" || !strings.HasPrefix(tok.ID, access.IDPrefix) {
		t.Fatalf("issued %+v", tok)
	}
	return client.New(s.URL, tok.Token)
}

// wantProblem checks that err is a problem of the status and code.
func wantProblem(t *testing.T, err error, status int, code string) *client.ProblemError {
	t.Helper()
	var pe *client.ProblemError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want a problem %d %s", err, err, status, code)
	}
	if pe.Status != status || pe.Problem.Code != code || council.ErrorCode(err) != code {
		t.Fatalf("problem %d %s (ErrorCode %s): %s; want %d %s", pe.Status, pe.Problem.Code, council.ErrorCode(err), pe.Problem.Detail, status, code)
	}
	if council.ErrorMessage(err) != pe.Problem.Detail || pe.Problem.Detail == "" {
		t.Fatalf("message %q, detail %q", council.ErrorMessage(err), pe.Problem.Detail)
	}
	return pe
}

func TestCouncilLifecycle(t *testing.T) {
	ctx := context.Background()
	s := newServer(t, nil)
	admin := client.New(s.URL, s.Admin)
	if err := admin.Health(ctx); err != nil {
		t.Fatal(err)
	}
	who, err := admin.Whoami(ctx)
	if err != nil || who.Anonymous || who.Grant == nil || who.Grant.Role != access.Admin {
		t.Fatalf("whoami admin: %+v, %v", who, err)
	}
	sec := s.council(t, "unsc")
	info, err := sec.Council(ctx, "unsc")
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "unsc" || len(info.Members) != 15 || info.President == "" {
		t.Fatalf("council info %+v", info)
	}
	aus := s.delegation(t, sec, "unsc", "AUS")
	chl := s.delegation(t, sec, "unsc", "CHL")
	chn := s.delegation(t, sec, "unsc", "CHN")

	done, err := aus.Do(ctx, "unsc", &council.Request{ID: "r1", Subject: "The situation in the DPRK", MeetingOn: council.DateOf(2014, 12, 22)}, "")
	if err != nil {
		t.Fatal(err)
	}
	if done.Type != "request-drafted" || done.Version != 2 || !strings.Contains(string(done.Event), `"by":"AUS"`) {
		t.Fatalf("request: %+v %s", done, done.Event)
	}
	if done, err = chl.Do(ctx, "unsc", &council.Sign{Request: "r1"}, ""); err != nil || done.Type != "request-signed" || done.Version != 3 {
		t.Fatalf("sign: %+v, %v", done, err)
	}

	// The rules refuse a second signature; a delegation may not act as another member; no token, or a
	// token the server does not know, is unauthorized; a malformed body is invalid.
	_, err = chl.Do(ctx, "unsc", &council.Sign{Request: "r1"}, "")
	pe := wantProblem(t, err, http.StatusUnprocessableEntity, council.EAlreadySigned)
	if !strings.Contains(pe.Error(), "CHL") {
		t.Errorf("refusal says %q", pe.Error())
	}
	_, err = chl.Do(ctx, "unsc", &council.Sign{Request: "r1", By: []string{"FRA"}}, "")
	wantProblem(t, err, http.StatusForbidden, web.EForbidden)
	_, err = client.New(s.URL, "").Do(ctx, "unsc", &council.Sign{Request: "r1"}, "")
	wantProblem(t, err, http.StatusUnauthorized, web.EUnauthorized)
	_, err = client.New(s.URL, "cnl_not-a-token-the-server-knows").Whoami(ctx)
	wantProblem(t, err, http.StatusUnauthorized, web.EUnauthorized)
	_, err = sec.IssueToken(ctx, "unsc", web.IssueToken{Role: "king"})
	if pe := wantProblem(t, err, http.StatusBadRequest, council.EINVALID); pe.Problem.Field != "role" {
		t.Errorf("field %q, want role", pe.Problem.Field)
	}
	_, err = chl.IssueToken(ctx, "unsc", web.IssueToken{Role: access.Observer})
	wantProblem(t, err, http.StatusForbidden, web.EForbidden)
	_, err = admin.CreateCouncil(ctx, web.CreateCouncil{Name: "unsc", Date: council.DateOf(2014, 12, 1)})
	if code := council.ErrorCode(err); code == "" || code == council.EINTERNAL {
		t.Errorf("creating unsc twice: %v (code %q)", err, code)
	}

	// The same key gives the same answer, once.
	d1, err := chn.Do(ctx, "unsc", &council.Sign{Request: "r1"}, "chn-sign-1")
	if err != nil {
		t.Fatal(err)
	}
	d2, err := chn.Do(ctx, "unsc", &council.Sign{Request: "r1"}, "chn-sign-1")
	if err != nil || d2.Version != d1.Version || d2.Type != d1.Type {
		t.Fatalf("the same key again: %+v, %v; first %+v", d2, err, d1)
	}

	rec, err := chn.Record(ctx, "unsc")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Requests) != 1 || !slices.Equal(rec.Requests[0].Signatories, []string{"AUS", "CHL", "CHN"}) {
		t.Fatalf("record requests %+v", rec.Requests)
	}
	r1, err := aus.Request(ctx, "unsc", "r1")
	if err != nil || r1.Support != 3 {
		t.Fatalf("request r1: %+v, %v", r1, err)
	}
	_, err = aus.Request(ctx, "unsc", "r2")
	wantProblem(t, err, http.StatusNotFound, "not-found")
	if reqs, err := aus.Requests(ctx, "unsc"); err != nil || len(reqs) != 1 {
		t.Fatalf("requests %+v, %v", reqs, err)
	}
	if votes, err := aus.Votes(ctx, "unsc"); err != nil || len(votes) != 0 {
		t.Fatalf("votes %+v, %v", votes, err)
	}
	if ms, err := aus.Programme(ctx, "unsc"); err != nil || len(ms) != 0 {
		t.Fatalf("programme %+v, %v", ms, err)
	}
	page, err := aus.Events(ctx, "unsc", 0, 0)
	if err != nil || len(page.Events) != 4 || page.Next != 4 || page.Events[0].Type != "council-created" || page.Events[1].Hash == "" {
		t.Fatalf("events %+v, %v", page, err)
	}
	page, err = aus.Events(ctx, "unsc", 1, 2)
	if err != nil || len(page.Events) != 2 || page.Next != 3 || page.Events[0].Version != 2 {
		t.Fatalf("a page of 2 after 1: %+v, %v", page, err)
	}

	// The secretariat lists and revokes tokens; a revoked token is refused.
	grants, err := sec.Tokens(ctx, "unsc")
	if err != nil || len(grants) != 4 {
		t.Fatalf("tokens %+v, %v", grants, err)
	}
	var chnID string
	for _, g := range grants {
		if g.Member == "CHN" {
			chnID = g.ID
		}
	}
	if err := sec.Revoke(ctx, "unsc", chnID); err != nil {
		t.Fatal(err)
	}
	_, err = chn.Whoami(ctx)
	wantProblem(t, err, http.StatusUnauthorized, web.EUnauthorized)

	// Private until made public.
	anon := client.New(s.URL, "")
	_, err = anon.Council(ctx, "unsc")
	wantProblem(t, err, http.StatusUnauthorized, web.EUnauthorized)
	if names, err := anon.Councils(ctx); err != nil || len(names) != 0 {
		t.Fatalf("anonymous councils %v, %v", names, err)
	}
	if info, err := sec.SetPublic(ctx, "unsc", true); err != nil || !info.Public {
		t.Fatalf("set public: %+v, %v", info, err)
	}
	if _, err := anon.Council(ctx, "unsc"); err != nil {
		t.Fatal(err)
	}
	if names, err := anon.Councils(ctx); err != nil || !slices.Equal(names, []string{"unsc"}) {
		t.Fatalf("anonymous councils %v, %v", names, err)
	}
}

// TestDoRetries checks that a keyed command is sent again after 503 and 429, and an unkeyed one not.
func TestDoRetries(t *testing.T) {
	ctx := context.Background()
	var fail atomic.Int32
	s := newServer(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.Contains(r.URL.Path, "/commands/") {
				switch fail.Add(-1) {
				case 1:
					w.Header().Set("Retry-After", "0")
					http.Error(w, "busy", http.StatusTooManyRequests)
					return
				case 0:
					http.Error(w, "down for a moment", http.StatusServiceUnavailable)
					return
				}
			}
			h.ServeHTTP(w, r)
		})
	})
	sec := s.council(t, "unsc")
	aus := s.delegation(t, sec, "unsc", "AUS")

	fail.Store(2)
	done, err := aus.Do(ctx, "unsc", &council.Request{ID: "r1", Subject: "s"}, "k1")
	if err != nil || done.Version != 2 {
		t.Fatalf("keyed command after 429 and 503: %+v, %v", done, err)
	}
	fail.Store(1)
	_, err = aus.Do(ctx, "unsc", &council.Request{ID: "r2", Subject: "s"}, "")
	pe := wantProblemStatus(t, err, http.StatusServiceUnavailable)
	if pe.Problem.Code != web.EUnavailable || !pe.Temporary() {
		t.Errorf("a 503 without a problem: %+v", pe)
	}
	fail.Store(2)
	aus.Retries = -1
	_, err = aus.Do(ctx, "unsc", &council.Request{ID: "r2", Subject: "s"}, "k2")
	wantProblemStatus(t, err, http.StatusTooManyRequests)

	// A server that is not there: the keyed command gives up after its retries.
	gone := client.New("http://127.0.0.1:1", "x")
	gone.Retries = 2
	start := time.Now()
	if _, err := gone.Do(ctx, "unsc", &council.Request{ID: "r3", Subject: "s"}, "k3"); err == nil {
		t.Fatal("no error from a server that is not there")
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("gave up after %v", took)
	}
}

func wantProblemStatus(t *testing.T, err error, status int) *client.ProblemError {
	t.Helper()
	var pe *client.ProblemError
	if !errors.As(err, &pe) || pe.Status != status {
		t.Fatalf("error %v, want status %d", err, status)
	}
	return pe
}

// TestStreamAcrossReconnect follows the stream while the server drops every connection, and checks that
// every event arrives once, in order.
func TestStreamAcrossReconnect(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := newServer(t, nil)
	sec := s.council(t, "unsc")
	aus := s.delegation(t, sec, "unsc", "AUS")

	var (
		mu   sync.Mutex
		seen []web.StreamEvent
	)
	got := make(chan struct{}, 100)
	ended := make(chan error, 1)
	go func() {
		ended <- aus.Stream(ctx, "unsc", 0, func(e web.StreamEvent) error {
			mu.Lock()
			seen = append(seen, e)
			mu.Unlock()
			got <- struct{}{}
			return nil
		})
	}()
	waitFor := func(n int) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			mu.Lock()
			have := len(seen)
			mu.Unlock()
			if have >= n {
				return
			}
			select {
			case <-got:
			case <-deadline:
				t.Fatalf("saw %d events, want %d", have, n)
			}
		}
	}
	do := func(i int) {
		t.Helper()
		id := fmt.Sprintf("r%d", i)
		if _, err := aus.Do(ctx, "unsc", &council.Request{ID: id, Subject: "s"}, id); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(1) // council-created
	for i := 1; i <= 5; i++ {
		do(i)
	}
	waitFor(6)
	s.CloseClientConnections()
	for i := 6; i <= 10; i++ {
		do(i) // while the stream is away
	}
	waitFor(11)
	s.CloseClientConnections()
	do(11)
	waitFor(12)
	cancel()
	if err := <-ended; !errors.Is(err, context.Canceled) {
		t.Errorf("Stream returned %v, want context.Canceled", err)
	}
	mu.Lock()
	defer mu.Unlock()
	for i, e := range seen {
		if e.Version != int64(i+1) {
			t.Fatalf("event %d has version %d: a gap or a duplicate (%v)", i, e.Version, versions(seen))
		}
	}
	if len(seen) != 12 || seen[0].Type != "council-created" || seen[11].Type != "request-drafted" ||
		!strings.Contains(string(seen[11].Event), `"id":"r11"`) {
		t.Fatalf("events %v", versions(seen))
	}

	// Resuming after a version starts there; fn's error ends the stream as it is.
	stop := errors.New("enough")
	var from []int64
	err := aus.Stream(context.Background(), "unsc", 9, func(e web.StreamEvent) error {
		from = append(from, e.Version)
		if e.Version == 11 {
			return stop
		}
		return nil
	})
	if err != stop || !slices.Equal(from, []int64{10, 11}) {
		t.Fatalf("resumed after 9: %v, %v", from, err)
	}
	// A council that is not there is refused for good.
	err = aus.Stream(context.Background(), "nowhere", 0, func(web.StreamEvent) error { return nil })
	if council.ErrorCode(err) == "" || council.ErrorCode(err) == council.EINTERNAL {
		t.Fatalf("stream of no council: %v", err)
	}
}

func versions(evs []web.StreamEvent) []int64 {
	var vs []int64
	for _, e := range evs {
		vs = append(vs, e.Version)
	}
	return vs
}
