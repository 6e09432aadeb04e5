package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/web"
	"github.com/opencouncil/council/web/webtest"
)

// remoteServer is a council server on loopback over a fresh SQLite store, and its admin token.
func remoteServer(t *testing.T) (string, string) {
	t.Helper()
	s := webtest.Start(t, nil)
	return s.URL, s.Admin
}

// remoteRun runs a remote subcommand against the server on council unsc with a token.
func remoteRun(t *testing.T, server, token string, args ...string) (int, string, string) {
	t.Helper()
	return run(t, append(args, "--server", server, "--token", token, "--council", "unsc")...)
}

// lastLine is the last line of an output: where the CLI prints a token.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func TestRemoteCommands(t *testing.T) {
	url, admin := remoteServer(t)
	do := func(token string, wantCode int, stdout, stderr []string, args ...string) string {
		t.Helper()
		code, out, errOut := remoteRun(t, url, token, args...)
		wantRun(t, code, out, errOut, wantCode, stdout, stderr)
		return out
	}

	out := do(admin, 0, []string{"created council unsc (body unsc, 15 members on 2014-12-01", "secretariat token"}, nil,
		"create", "unsc", "--date", "2014-12-01", "--title", "Security Council")
	sec := lastLine(out)
	if !strings.HasPrefix(sec, "cnl_") {
		t.Fatalf("secretariat token %q", sec)
	}
	do(admin, exitInternal, nil, []string{"council create: "}, "create", "unsc", "--date", "2014-12-01")
	do(sec, exitDenied, nil, []string{"forbidden: only the server's admin token creates councils"}, "create", "other", "--date", "2014-12-01")
	do(admin, exitInvalid, nil, []string{"--date"}, "create", "other", "--date", "1 December")

	token := func(member string) string {
		t.Helper()
		out := do(sec, 0, []string{"issued tok_", "delegation of " + member + " on unsc (" + member + " mission)"}, nil,
			"token", "issue", "--role", "delegation", "--member", member, "--label", member+" mission")
		return lastLine(out)
	}
	aus, chl := token("AUS"), token("CHL")
	out = do(sec, 0, nil, nil, "token", "issue", "--member", "CHN", "--json")
	var issued web.IssuedToken
	if err := json.Unmarshal([]byte(out), &issued); err != nil || issued.Member != "CHN" || issued.Token == "" {
		t.Fatalf("token issue --json: %v\n%s", err, out)
	}
	chn := issued.Token
	do(sec, exitInvalid, nil, []string{"invalid: XYZ is not a member of unsc"}, "token", "issue", "--member", "XYZ")
	do(aus, exitDenied, nil, []string{"forbidden"}, "token", "issue", "--role", "observer")

	// Delegations act for themselves; the rules refuse a second signature (exit 1 with the rule's
	// message); one member may not sign for another, nor anyone without a token (exitDenied).
	do(aus, 0, []string{"accepted: request-drafted at version 2"}, nil,
		"request", "id=r1", "subject=The situation in the DPRK", "meeting_on=2014-12-22")
	do(chl, 0, []string{"accepted: request-signed at version 3"}, nil, "sign", "request=r1")
	do(chl, exitRefused, nil, []string{"council sign: already-signed: CHL has already signed request r1"}, "sign", "request=r1")
	do(chl, exitDenied, nil, []string{"forbidden: the delegation of CHL acts only as CHL"}, "sign", "request=r1", "by=FRA")
	do("", exitDenied, nil, []string{"unauthorized"}, "sign", "request=r1")
	do(chl, exitInvalid, nil, []string{`sign has no field "colour"; it takes at, request, by`}, "sign", "request=r1", "colour=red")
	do(chl, exitInvalid, nil, []string{"want field=value"}, "sign", "r1")
	do(chl, exitInvalid, nil, []string{"meeting_on: bad date"}, "request", "id=r2", "subject=s", "meeting_on=22/12/2014")
	out = do(chn, 0, nil, nil, "sign", "request=r1", "--json", "--key", "chn-1")
	var done web.Done
	if err := json.Unmarshal([]byte(out), &done); err != nil || done.Type != "request-signed" || done.Version != 4 ||
		!strings.Contains(string(done.Event), `"CHN"`) {
		t.Fatalf("sign --json: %v\n%s", err, out)
	}
	do(chn, 0, []string{"accepted: request-signed at version 4"}, nil, "sign", "request=r1", "--key", "chn-1")
	out = do(chl, exitRefused, nil, []string{"already-signed"}, "sign", "request=r1", "--json")
	var problem web.Problem
	if err := json.Unmarshal([]byte(out), &problem); err != nil || problem.Code != council.EAlreadySigned || problem.Status != 422 {
		t.Fatalf("a refusal with --json: %v\n%s", err, out)
	}

	// A meeting, a vote taken at once and one taken ballot by ballot.
	do(sec, 0, []string{"accepted: meeting-scheduled"}, nil, "schedule", "meeting=m1", "on=2014-12-22",
		"agenda=Letter dated 5 December 2014, from ten members", "agenda=The situation in the DPRK")
	do(sec, 0, []string{"accepted: meeting-opened"}, nil, "open", "meeting=m1", "at=2014-12-22")
	do(sec, 0, []string{"accepted: agenda-adopted"}, nil, "adopt_agenda", "meeting=m1")
	do(aus, 0, []string{"accepted: draft-circulated"}, nil, "draft", "id=d1", "title=A draft", "meeting=m1")
	do(aus, 0, []string{"accepted: draft-circulated"}, nil, "draft", "id=d2", "title=Another", "meeting=m1")
	do(sec, 0, []string{"accepted: vote-taken", "vetoed by CHN: 14 in favour, 1 against, 0 abstaining, 0 absent; 9 needed"}, nil,
		"vote", "meeting=m1", "on=d1", "no=CHN", "rest=yes")
	do(sec, 0, []string{"accepted: vote-opened"}, nil, "open_vote", "id=v2", "meeting=m1", "on=d2")
	do(aus, 0, []string{"accepted: ballot-cast"}, nil, "ballot", "vote=v2", "ballot=yes")
	do(chl, 0, []string{"accepted: ballot-cast"}, nil, "ballot", "vote=v2", "ballot=abstain")
	do(sec, 0, []string{"accepted: vote-taken", "not adopted: 1 in favour, 0 against, 1 abstaining, 13 absent; 9 needed"}, nil,
		"close_vote", "vote=v2")

	out = do(sec, 0, []string{"unsc: Security Council (body unsc, private, version", "today 2014-12-22", "President TCD",
		"Members (15)", "  CHN  permanent", "  AUS  elected, term ends 2014"}, nil, "show")
	out = do(chl, 0, nil, nil, "show", "--json")
	var info web.CouncilInfo
	if err := json.Unmarshal([]byte(out), &info); err != nil || info.President != "TCD" || len(info.Members) != 15 {
		t.Fatalf("show --json: %v\n%s", err, out)
	}
	out = do(chl, 0, nil, nil, "record")
	var rec council.Record
	if err := json.Unmarshal([]byte(out), &rec); err != nil || len(rec.Requests) != 1 || len(rec.Votes) != 2 ||
		!slices.Equal(rec.Requests[0].Signatories, []string{"AUS", "CHL", "CHN"}) ||
		!slices.Equal(rec.Meetings[0].Agenda, []string{"Letter dated 5 December 2014, from ten members", "The situation in the DPRK"}) {
		t.Fatalf("record: %v\n%s", err, out)
	}

	// The secretariat lists and revokes tokens; a revoked token is refused.
	out = do(sec, 0, []string{"secretariat on unsc (secretariat)", "delegation of AUS on unsc (AUS mission)"}, nil, "token", "list")
	var chnID string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "delegation of CHN") {
			chnID, _, _ = strings.Cut(line, " ")
		}
	}
	do(chn, 0, []string{chnID + ": delegation of CHN on unsc"}, nil, "whoami")
	do(sec, 0, []string{"revoked " + chnID}, nil, "token", "revoke", chnID)
	do(chn, exitDenied, nil, []string{"unauthorized: the token is unknown or revoked"}, "whoami")
	do(sec, 0, []string{"unsc"}, nil, "councils")
	do(sec, exitInvalid, nil, []string{"unknown token command"}, "token", "burn")
}

// syncBuffer is a buffer one goroutine writes while another reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRemoteWatch(t *testing.T) {
	url, admin := remoteServer(t)
	code, out, errOut := remoteRun(t, url, admin, "create", "unsc", "--date", "2014-12-01")
	wantRun(t, code, out, errOut, 0, nil, nil)
	sec := lastLine(out)

	watch := func(args ...string) (*syncBuffer, func() int) {
		ctx, cancel := context.WithCancel(context.Background())
		var stdout, stderr syncBuffer
		ended := make(chan int, 1)
		go func() {
			ended <- Main(ctx, append(args, "--server", url, "--token", sec, "--council", "unsc"), &stdout, &stderr)
		}()
		return &stdout, func() int { cancel(); return <-ended }
	}
	until := func(b *syncBuffer, lines int) []string {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if got := strings.Split(strings.TrimSpace(b.String()), "\n"); len(got) >= lines && got[0] != "" {
				return got
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("watch printed:\n%s", b.String())
		return nil
	}

	people, stopPeople := watch("watch")
	asJSON, stopJSON := watch("watch", "--json", "--after", "1")
	for _, m := range []string{"m1", "m2"} {
		code, out, errOut := remoteRun(t, url, sec, "schedule", "meeting="+m, "on=2014-12-22", "agenda=Item")
		wantRun(t, code, out, errOut, 0, nil, nil)
	}
	lines := until(people, 3)
	if !strings.HasPrefix(lines[0], "1  council-created  {") || !strings.HasPrefix(lines[2], `3  meeting-scheduled  {`) ||
		!strings.Contains(lines[2], `"meeting":"m2"`) {
		t.Errorf("watch:\n%s", strings.Join(lines, "\n"))
	}
	lines = until(asJSON, 2)
	for i, line := range lines {
		var e web.StreamEvent
		if err := json.Unmarshal([]byte(line), &e); err != nil || e.Version != int64(i+2) || e.Type != "meeting-scheduled" {
			t.Errorf("watch --json line %d: %v: %s", i, err, line)
		}
	}
	if code := stopPeople(); code != 0 {
		t.Errorf("watch ended with %d", code)
	}
	if code := stopJSON(); code != 0 {
		t.Errorf("watch --json ended with %d", code)
	}
	code, _, errOut = remoteRun(t, url, "", "watch")
	wantRun(t, code, "", errOut, exitDenied, nil, []string{"council unsc is not public"})
}

func TestKindUsage(t *testing.T) {
	tests := map[string]string{
		"sign":     "sign request=REQUEST [at=YYYY-MM-DD] [by=BY,...] [--key K]",
		"schedule": "schedule meeting=MEETING on=YYYY-MM-DD agenda=AGENDA ... [at=YYYY-MM-DD] [by=BY] [request=REQUEST] [format=FORMAT] [--key K]",
		"ballot":   "ballot vote=VOTE ballot=BALLOT [at=YYYY-MM-DD] [by=BY] [--key K]",
	}
	for kind, want := range tests {
		if got := kindSyntax(kind); got != want {
			t.Errorf("%s:\n got %s\nwant %s", kind, got, want)
		}
	}
	cmd, err := buildCommand("vote", []string{"meeting=m1", "on=d1", "yes=USA, GBR", "yes=FRA", "parties=", "at=2014-12-22"})
	if err != nil {
		t.Fatal(err)
	}
	v := cmd.(*council.Vote)
	if !slices.Equal(v.Yes, []string{"USA", "GBR", "FRA"}) || v.Parties != nil || v.Day() != council.DateOf(2014, 12, 22) {
		t.Errorf("vote %+v", v)
	}
	if _, err := buildCommand("vote", []string{"meeting=m1", "meeting=m2"}); err == nil || !strings.Contains(err.Error(), "meeting is given twice") {
		t.Errorf("a field given twice: %v", err)
	}
	code, _, errOut := run(t, "help")
	wantRun(t, code, "", errOut, 0, nil, []string{"council ballot vote=VOTE", "council create NAME", "council watch"})
}
