package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
	"github.com/opencouncil/council/scenario"
)

// sseEvent is one event read off an event stream.
type sseEvent struct {
	id   int64
	typ  string
	data string
}

// readSSE follows a council's event stream from after, sending each event to out, until the stream
// ends or stop is closed. It returns the last id seen.
func readSSE(ctx context.Context, t testing.TB, url, token string, after int64, stop int, out chan<- sseEvent) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return after, err
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+token)
	if after > 0 {
		req.Header.Set("Last-Event-ID", strconv.FormatInt(after, 10))
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return after, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return after, fmt.Errorf("stream: status %d", res.StatusCode)
	}
	sc := bufio.NewScanner(res.Body)
	var ev sseEvent
	n := 0
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.typ != "" {
				out <- ev
				after = ev.id
				if n++; n == stop {
					return after, nil
				}
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, "id: "):
			ev.id, _ = strconv.ParseInt(line[4:], 10, 64)
		case strings.HasPrefix(line, "event: "):
			ev.typ = line[7:]
		case strings.HasPrefix(line, "data: "):
			ev.data = line[6:]
		}
	}
	return after, sc.Err()
}

// TestDPRK2014OverHTTP plays the December 2014 episode over HTTP, each delegation with its own token
// and the President of the day with Chad's, taking the agenda vote live; the record must match the
// replay of examples/scenarios/dprk-2014.yaml. Two event-stream subscribers, one of them cut off
// and resuming with Last-Event-ID, must each see every event once, in order.
func TestDPRK2014OverHTTP(t *testing.T) {
	ts := MustServe(t)
	const name = "dprk-2014"
	sec := ts.create(CreateCouncil{Name: name, Title: "Human rights in the DPRK, December 2014", Date: council.DateOf(2014, 12, 5), NextMeeting: 7353})
	members := []string{"ARG", "AUS", "TCD", "CHL", "CHN", "FRA", "JOR", "LTU", "LUX", "NGA", "KOR", "RUS", "RWA", "GBR", "USA"}
	tok := map[string]string{}
	for _, m := range members {
		tok[m] = ts.issue(name, sec, access.Delegation, m).Token
	}
	observer := ts.issue(name, sec, access.Observer, "").Token

	// Subscribers: one follows throughout, one is cut off after 5 events and resumes.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url := ts.http.URL + "/v1/councils/" + name + "/stream"
	seen := [2][]sseEvent{}
	var wg sync.WaitGroup
	for i := range 2 {
		ch := make(chan sseEvent, 1024)
		wg.Go(func() {
			for ev := range ch {
				seenMu.Lock()
				seen[i] = append(seen[i], ev)
				seenMu.Unlock()
			}
		})
		go func() {
			defer close(ch)
			after := int64(0)
			stop := 0
			if i == 1 {
				stop = 5
			}
			for ctx.Err() == nil {
				last, err := readSSE(ctx, t, url, observer, after, stop, ch)
				after, stop = last, 0
				if err != nil && ctx.Err() == nil {
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}

	parallel := func(kind string, who []string, body func(m string) fields) {
		var wg sync.WaitGroup
		for _, m := range who {
			wg.Go(func() { ts.mustDo(name, tok[m], kind, body(m)) })
		}
		wg.Wait()
	}
	ts.mustDo(name, tok["AUS"], "request", fields{"id": "dprk-hr", "subject": "The situation in the Democratic People's Republic of Korea", "meeting_on": "2014-12-22", "symbol": "S/2014/872"})
	parallel("sign", []string{"CHL", "FRA", "JOR", "LTU", "LUX", "KOR", "RWA", "GBR", "USA"}, func(string) fields { return fields{"request": "dprk-hr"} })
	ts.mustDo(name, tok["AUS"], "submit", fields{"request": "dprk-hr"})
	ts.mustDo(name, tok["TCD"], "schedule", fields{"meeting": "m1", "on": "2014-12-22", "request": "dprk-hr", "format": "briefing", "agenda": []string{"The situation in the Democratic People's Republic of Korea"}, "at": "2014-12-08"})
	ts.mustDo(name, tok["TCD"], "open", fields{"meeting": "m1", "at": "2014-12-22"})
	parallel("object", []string{"CHN", "RUS"}, func(string) fields { return fields{"meeting": "m1"} })
	ts.mustDo(name, tok["TCD"], "open_vote", fields{"id": "agenda-2014", "meeting": "m1", "on": "agenda"})
	ballots := map[string]string{"CHN": "no", "RUS": "no", "TCD": "abstain", "NGA": "abstain"}
	parallel("ballot", members, func(m string) fields {
		b := ballots[m]
		if b == "" {
			b = "yes"
		}
		return fields{"vote": "agenda-2014", "ballot": b}
	})
	// No one votes twice, and no one casts another's ballot.
	if r := ts.do(name, tok["USA"], "ballot", fields{"vote": "agenda-2014", "ballot": "no"}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a second ballot: status %d, want 422: %s", r.status, r.body)
	}
	if r := ts.do(name, tok["USA"], "ballot", fields{"vote": "agenda-2014", "by": "CHN", "ballot": "yes"}); r.status != http.StatusForbidden {
		t.Errorf("a ballot for another member: status %d, want 403: %s", r.status, r.body)
	}
	ts.mustDo(name, tok["TCD"], "close_vote", fields{"vote": "agenda-2014"})
	ts.mustDo(name, tok["USA"], "statement", fields{"meeting": "m1"})
	last := ts.mustDo(name, tok["TCD"], "close", fields{"meeting": "m1"})

	var got council.Record
	ts.must(http.StatusOK, "GET", "/v1/councils/"+name+"/record", observer, nil, &got)
	sc, err := scenario.Load("../examples/scenarios/dprk-2014.yaml", scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rp, err := sc.Run()
	if err != nil || rp.Failed != nil {
		t.Fatalf("replay: %v %v", err, rp.Failed)
	}
	compareRecords(t, &got, rp.Record)

	// Every event reaches both subscribers once, in order, the second across its reconnect.
	deadline := time.Now().Add(10 * time.Second)
	for {
		n0, n1 := countSeen(seen[:])
		if (n0 >= int(last.Version) && n1 >= int(last.Version)) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	for i, evs := range seen {
		if len(evs) != int(last.Version) {
			t.Errorf("subscriber %d saw %d events, want %d", i, len(evs), last.Version)
		}
		for j, ev := range evs {
			if ev.id != int64(j+1) {
				t.Fatalf("subscriber %d: event %d has id %d: lost or repeated", i, j+1, ev.id)
			}
			if !json.Valid([]byte(ev.data)) {
				t.Fatalf("subscriber %d: event %d is not JSON: %s", i, j+1, ev.data)
			}
		}
	}
}

// seenMu guards the subscribers' slices while the test polls them.
var seenMu sync.Mutex

func countSeen(seen [][]sseEvent) (int, int) {
	seenMu.Lock()
	defer seenMu.Unlock()
	return len(seen[0]), len(seen[1])
}

// compareRecords checks what the live session recorded against the replay: the same votes with the
// same ballots and results, the same request support, the same meetings.
func compareRecords(t *testing.T, got, want *council.Record) {
	t.Helper()
	if len(got.Votes) != len(want.Votes) {
		t.Fatalf("%d votes, want %d", len(got.Votes), len(want.Votes))
	}
	for i := range want.Votes {
		g, w := got.Votes[i], want.Votes[i]
		for _, pair := range [][2][]string{{g.Yes, w.Yes}, {g.No, w.No}, {g.Abstain, w.Abstain}, {g.Absent, w.Absent}, {g.Decisive, w.Decisive}} {
			if !sameSet(pair[0], pair[1]) {
				t.Errorf("vote %s: %v, want %v", w.ID, pair[0], pair[1])
			}
		}
		if g.Counts != w.Counts || g.Result != w.Result || g.Reason != w.Reason || g.Needed != w.Needed || g.Matter != w.Matter {
			t.Errorf("vote %s: %+v\nwant %+v", w.ID, g, w)
		}
	}
	if len(got.Requests) != 1 || len(want.Requests) != 1 {
		t.Fatalf("requests: %d and %d, want 1", len(got.Requests), len(want.Requests))
	}
	g, w := got.Requests[0], want.Requests[0]
	if !sameSet(g.Signatories, w.Signatories) || g.Support != w.Support || g.Needed != w.Needed || g.Status != w.Status {
		t.Errorf("request: %+v\nwant %+v", g, w)
	}
	if len(got.Meetings) != len(want.Meetings) {
		t.Fatalf("%d meetings, want %d", len(got.Meetings), len(want.Meetings))
	}
	for i := range want.Meetings {
		g, w := got.Meetings[i], want.Meetings[i]
		if g.Status != w.Status || g.Symbol != w.Symbol || *g.President != *w.President || !sameSet(g.Objections, w.Objections) {
			t.Errorf("meeting %s: %+v\nwant %+v", w.ID, g, w)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
