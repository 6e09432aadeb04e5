package storetest

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/opencouncil/council"
)

// testRoundTrip appends to two streams and reads back every field, before and after a reopen; the
// stored versions and hashes are the ones council.Seal gives.
func testRoundTrip(t *testing.T, h Harness) {
	s := h.Open(t)
	binary := make([]byte, 70_000)
	for i := range binary {
		binary[i] = byte(i * 7)
	}
	script := []council.Append{
		{Stream: "council/unsc", Expected: 0, Key: "cmd-1", Events: []council.EventData{
			{Type: "council-created", Data: []byte(`{"body":"unsc"}`)},
		}},
		{Stream: "council/unsc", Expected: 1, Events: []council.EventData{
			{Type: "meeting-scheduled", Data: []byte(`{"id":"m1"}`)},
			{Type: "empty", Data: nil},
			{Type: "binary", Data: []byte{0, 0xff, 0, '\n', 0x80}},
		}},
		{Stream: "board é/ünïcode", Expected: 0, Key: "ключ 1", Events: []council.EventData{
			{Type: "type with spaces", Data: []byte(`{"s":"\u00e9"}`)},
			{Type: "large", Data: binary},
		}},
		{Stream: "council/unsc", Expected: 4, Key: "cmd-3", Events: []council.EventData{
			{Type: "vote-taken", Data: []byte(`{"yes":13}`)},
			{Type: "meeting-closed", Data: []byte(`{}`)},
		}},
	}
	type head struct {
		v int64
		h [32]byte
	}
	heads := map[string]head{}
	want := map[string][]council.StoredEvent{}
	for i, a := range script {
		hd := heads[a.Stream]
		sealed := council.Seal(a.Stream, hd.v, hd.h, a.Key, a.Events)
		res := MustAppend(t, s, a)
		if res.Duplicate {
			t.Fatalf("append %d: Duplicate on a first use", i)
		}
		sameEvents(t, "append result", res.Events, sealed)
		last := sealed[len(sealed)-1]
		heads[a.Stream] = head{last.Version, last.Hash}
		want[a.Stream] = append(want[a.Stream], sealed...)
	}
	check := func(s council.EventStore, when string) {
		t.Helper()
		for stream, evs := range want {
			sameEvents(t, when+": read "+stream, MustRead(t, s, stream, 0), evs)
			v, hh := MustHead(t, s, stream)
			if hd := heads[stream]; v != hd.v || hh != hd.h {
				t.Fatalf("%s: head of %q is %d %s, want %d %s", when, stream, v, council.HashString(hh), hd.v, council.HashString(hd.h))
			}
			if n := MustVerify(t, s, stream); n != int64(len(evs)) {
				t.Fatalf("%s: verify %q counted %d events, want %d", when, stream, n, len(evs))
			}
		}
	}
	check(s, "before reopen")
	if h.Reopen != nil {
		check(h.Reopen(t, s), "after reopen")
	}
}

// testReadAfter reads a stream from each place in it.
func testReadAfter(t *testing.T, h Harness) {
	s := h.Open(t)
	var all []council.StoredEvent
	for i := range 4 {
		res := MustAppend(t, s, council.Append{Stream: "s", Expected: int64(len(all)), Events: events("e", "x", i%2+1)})
		all = append(all, res.Events...)
	}
	for _, after := range []int64{0, 1, 2, 3, int64(len(all)) - 1, int64(len(all)), int64(len(all)) + 10} {
		var want []council.StoredEvent
		if after < int64(len(all)) {
			want = all[after:]
		}
		sameEvents(t, "read after "+itoa(after), MustRead(t, s, "s", after), want)
	}
}

// testReadStops checks that an error from fn stops the read and comes back from Read.
func testReadStops(t *testing.T, h Harness) {
	s := h.Open(t)
	MustAppend(t, s, council.Append{Stream: "s", Events: events("e", "x", 5)})
	stop := errors.New("enough")
	calls := 0
	err := s.Read(context.Background(), "s", 0, func(council.StoredEvent) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("read: got %v, want the error fn returned", err)
	}
	if calls != 2 {
		t.Fatalf("fn called %d times after it returned an error at the 2nd", calls)
	}
}

// testStreams lists streams in name order, each once.
func testStreams(t *testing.T, h Harness) {
	s := h.Open(t)
	names := []string{"c", "a", "b/2", "b", "a", "B", "council/unsc"}
	for _, n := range names {
		v, _ := MustHead(t, s, n)
		MustAppend(t, s, council.Append{Stream: n, Expected: v, Events: events("e", n, 1)})
	}
	got, err := s.Streams(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"B", "a", "b", "b/2", "c", "council/unsc"}
	if !slices.Equal(got, want) {
		t.Fatalf("streams %q, want %q", got, want)
	}
}

// testEmptyStream: a stream never written has version 0, the zero hash, no events, and verifies.
func testEmptyStream(t *testing.T, h Harness) {
	s := h.Open(t)
	if got, err := s.Streams(context.Background()); err != nil || len(got) != 0 {
		t.Fatalf("streams of a fresh store: %q, %v", got, err)
	}
	v, hh := MustHead(t, s, "nothing")
	if v != 0 || hh != [32]byte{} {
		t.Fatalf("head of an empty stream: %d %s, want 0 and the zero hash", v, council.HashString(hh))
	}
	if evs := MustRead(t, s, "nothing", 0); len(evs) != 0 {
		t.Fatalf("read of an empty stream gave %d events", len(evs))
	}
	if n := MustVerify(t, s, "nothing"); n != 0 {
		t.Fatalf("verify of an empty stream counted %d", n)
	}
}

// testConflict: a wrong expected version is refused with EConflict and writes nothing, not even the key.
func testConflict(t *testing.T, h Harness) {
	s := h.Open(t)
	base := MustAppend(t, s, council.Append{Stream: "s", Key: "first", Events: events("e", "base", 2)}).Events
	cases := []struct {
		name     string
		stream   string
		expected int64
	}{
		{"behind", "s", 0},
		{"one behind", "s", 1},
		{"ahead", "s", 3},
		{"far ahead", "s", 100},
		{"new stream ahead", "fresh", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Append(context.Background(), council.Append{Stream: tc.stream, Expected: tc.expected, Key: "k-" + tc.name, Events: events("e", tc.name, 3)})
			wantConflict(t, err, "append at "+itoa(tc.expected))
			if len(res.Events) != 0 || res.Duplicate {
				t.Fatalf("a refused append returned %+v", res)
			}
			sameEvents(t, "stream s", MustRead(t, s, "s", 0), base)
			if evs := MustRead(t, s, "fresh", 0); len(evs) != 0 {
				t.Fatalf("a refused append wrote %d events to a new stream", len(evs))
			}
			if v, hh := MustHead(t, s, tc.stream); tc.stream == "s" && (v != 2 || hh != base[1].Hash) || tc.stream == "fresh" && v != 0 {
				t.Fatalf("head moved to %d after a refused append", v)
			}
			got, err := s.Streams(context.Background())
			if err != nil || !slices.Equal(got, []string{"s"}) {
				t.Fatalf("streams after a refused append: %q, %v", got, err)
			}
		})
	}
	// The key of a refused append is not spent: the re-decided command appends.
	v, _ := MustHead(t, s, "s")
	if res := MustAppend(t, s, council.Append{Stream: "s", Expected: v, Key: "k-behind", Events: events("e", "again", 1)}); res.Duplicate {
		t.Fatal("the key of a refused append was kept")
	}
}

// testCancelled: an append whose context ended before it was made writes nothing.
func testCancelled(t *testing.T, h Harness) {
	s := h.Open(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 8 { // the queue may take the append or refuse it; either way nothing is written
		_, err := s.Append(ctx, council.Append{Stream: "s", Key: "k", Events: events("e", "x", 2)})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("append with a cancelled context: got %v, want context.Canceled", err)
		}
	}
	if v, _ := MustHead(t, s, "s"); v != 0 {
		t.Fatalf("a cancelled append moved the head to %d", v)
	}
	if evs := MustRead(t, s, "s", 0); len(evs) != 0 {
		t.Fatalf("a cancelled append wrote %d events", len(evs))
	}
	if res := MustAppend(t, s, council.Append{Stream: "s", Key: "k", Events: events("e", "x", 2)}); res.Duplicate {
		t.Fatal("the key of a cancelled append was kept")
	}
}

// testClosed: a closed store refuses appends and reads, and a second Close does no harm.
func testClosed(t *testing.T, h Harness) {
	s := h.Open(t)
	MustAppend(t, s, council.Append{Stream: "s", Events: events("e", "x", 1)})
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if _, err := s.Append(context.Background(), council.Append{Stream: "s", Expected: 1, Events: events("e", "y", 1)}); err == nil {
		t.Fatal("append after close succeeded")
	}
	if _, _, err := s.Head(context.Background(), "s"); err == nil {
		t.Fatal("head after close succeeded")
	}
	if err := s.Read(context.Background(), "s", 0, func(council.StoredEvent) error { return nil }); err == nil {
		t.Fatal("read after close succeeded")
	}
	_ = s.Close() // must not panic or hang
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
