package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/opencouncil/council/web"
)

// TestStreamFormat checks the parsing of the event-stream format against a hand-written server: CRLF
// lines, comments, a line longer than the read buffer, data on several lines, an event cut by the end
// of a connection, and an event sent again after the client reconnected.
func TestStreamFormat(t *testing.T) {
	long := strings.Repeat("x", 70<<10)
	var conns atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/councils/c1/stream" || r.Header.Get("Authorization") != "Bearer tok" {
			http.Error(w, "wrong request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		switch n := conns.Add(1); n {
		case 1:
			if got := r.Header.Get("Last-Event-ID"); got != "0" {
				t.Errorf("first connection: Last-Event-ID %q", got)
			}
			fmt.Fprint(w, "retry: 5\n\n: keep-alive\r\nid: 1\r\nevent: a\r\ndata: {\"x\":1}\r\n\r\n")
			fmt.Fprintf(w, "id: 2\nevent: b\ndata: %s\n\n", long)
			fmt.Fprint(w, "id: 3\nevent: c\ndata: cut")
		case 2:
			if got := r.Header.Get("Last-Event-ID"); got != "2" {
				t.Errorf("second connection: Last-Event-ID %q", got)
			}
			fmt.Fprint(w, "id: 2\nevent: b\ndata: again\n\n")
			fmt.Fprint(w, "id: 3\nevent: c\ndata: line one\ndata: line two\n\n")
			fmt.Fprint(w, "id: 4\ndata:no space\n\n")
		default:
			http.Error(w, "too many connections", http.StatusBadRequest)
		}
	}))
	defer ts.Close()

	c := &Client{BaseURL: ts.URL + "/", Token: "tok"}
	var got []web.StreamEvent
	done := errors.New("done")
	err := c.Stream(context.Background(), "c1", 0, func(e web.StreamEvent) error {
		got = append(got, e)
		if e.Version == 4 {
			return done
		}
		return nil
	})
	if err != done {
		t.Fatalf("Stream returned %v", err)
	}
	want := []web.StreamEvent{
		{Version: 1, Type: "a", Event: []byte(`{"x":1}`)},
		{Version: 2, Type: "b", Event: []byte(long)},
		{Version: 3, Type: "c", Event: []byte("line one\nline two")},
		{Version: 4, Type: "message", Event: []byte("no space")},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d events, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Version != want[i].Version || got[i].Type != want[i].Type || string(got[i].Event) != string(want[i].Event) {
			t.Errorf("event %d: %d %s %.40q, want %d %s %.40q", i, got[i].Version, got[i].Type, got[i].Event,
				want[i].Version, want[i].Type, want[i].Event)
		}
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}

	// A refusal that will not change ends the stream with the problem.
	conns.Store(10)
	err = c.Stream(context.Background(), "c1", 0, func(web.StreamEvent) error { return nil })
	var pe *ProblemError
	if !errors.As(err, &pe) || pe.Status != http.StatusBadRequest {
		t.Fatalf("refused stream: %v", err)
	}
}
