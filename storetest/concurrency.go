package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opencouncil/council"
)

// testAllOrNothing: an append of several events is stored whole or not at all, also when it shares a
// batch with appends that conflict.
func testAllOrNothing(t *testing.T, h Harness) {
	s := h.Open(t)
	if _, err := s.Append(context.Background(), council.Append{Stream: "s", Expected: 1, Events: events("e", "refused", 5)}); !isConflict(err) {
		t.Fatalf("append at a wrong version: %v", err)
	}
	if evs := MustRead(t, s, "s", 0); len(evs) != 0 {
		t.Fatalf("a refused append of 5 events left %d", len(evs))
	}
	whole := MustAppend(t, s, council.Append{Stream: "s", Events: events("e", "whole", 5)})
	sameEvents(t, "stream s", MustRead(t, s, "s", 0), whole.Events)

	// 16 writers race for the shared stream with 3 events each, and append one event to their own.
	const writers = 16
	var wg sync.WaitGroup
	start := make(chan struct{})
	won := make([]council.Appended, writers)
	for w := range writers {
		wg.Go(func() {
			<-start
			who := fmt.Sprintf("w%d", w)
			res, err := s.Append(context.Background(), council.Append{Stream: "shared", Events: events("e", who, 3)})
			switch {
			case err == nil:
				won[w] = res
			case !isConflict(err):
				t.Errorf("%s on shared: %v", who, err)
			}
			if _, err := s.Append(context.Background(), council.Append{Stream: "own-" + who, Events: events("e", who, 1)}); err != nil {
				t.Errorf("%s on its own stream: %v", who, err)
			}
		})
	}
	close(start)
	wg.Wait()
	var winners []council.Appended
	for _, res := range won {
		if len(res.Events) > 0 {
			winners = append(winners, res)
		}
	}
	if len(winners) != 1 {
		t.Fatalf("%d appends at version 0 of one stream succeeded, want 1", len(winners))
	}
	sameEvents(t, "shared stream", MustRead(t, s, "shared", 0), winners[0].Events)
	for w := range writers {
		if evs := MustRead(t, s, fmt.Sprintf("own-w%d", w), 0); len(evs) != 1 {
			t.Fatalf("writer %d's own stream has %d events, want 1", w, len(evs))
		}
	}
}

// testIdempotency: a key used before returns the events it stored then and appends nothing, whatever
// the retry's expected version or events; keys belong to a stream.
func testIdempotency(t *testing.T, h Harness) {
	s := h.Open(t)
	first := MustAppend(t, s, council.Append{Stream: "s", Key: "k", Events: events("e", "first", 2)})
	if first.Events[0].Key != "k" || first.Events[1].Key != "" {
		t.Fatalf("keys %q %q: want the key on the first event only", first.Events[0].Key, first.Events[1].Key)
	}
	later := MustAppend(t, s, council.Append{Stream: "s", Expected: 2, Events: events("e", "later", 1)})
	stored := append(slices.Clone(first.Events), later.Events...)
	cases := []struct {
		name     string
		expected int64
		events   []council.EventData
	}{
		{"same retry", 0, events("e", "first", 2)},
		{"expected after the first append", 2, events("e", "first", 2)},
		{"expected at the head", 3, events("e", "first", 2)},
		{"expected past the head", 9, events("e", "first", 2)},
		{"other events", 0, events("other", "second", 4)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Append(context.Background(), council.Append{Stream: "s", Expected: tc.expected, Key: "k", Events: tc.events})
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			if !res.Duplicate {
				t.Fatal("retry not reported as Duplicate")
			}
			sameEvents(t, "retry", res.Events, first.Events)
			sameEvents(t, "stream", MustRead(t, s, "s", 0), stored)
			if v, _ := MustHead(t, s, "s"); v != 3 {
				t.Fatalf("head %d after a retry, want 3", v)
			}
		})
	}
	other := MustAppend(t, s, council.Append{Stream: "other", Key: "k", Events: events("e", "other", 1)})
	if other.Duplicate || other.Events[0].Version != 1 {
		t.Fatalf("the same key on another stream: %+v, want a first append", other)
	}
	MustVerify(t, s, "s")
}

// testRaceSameKey: copies of one command race; exactly one is stored, every other sees a duplicate of it.
func testRaceSameKey(t *testing.T, h Harness) {
	s := h.Open(t)
	const n = 32
	results := make([]council.Appended, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			results[i], errs[i] = s.Append(context.Background(), council.Append{Stream: "s", Key: "same", Events: events("e", fmt.Sprint(i), 2)})
		})
	}
	close(start)
	wg.Wait()
	var stored []council.StoredEvent
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("copy %d: %v", i, errs[i])
		}
		if !results[i].Duplicate {
			if stored != nil {
				t.Fatal("two copies of one command were stored")
			}
			stored = results[i].Events
		}
	}
	if stored == nil {
		t.Fatal("every copy was reported as a duplicate")
	}
	for i := range n {
		sameEvents(t, fmt.Sprintf("copy %d", i), results[i].Events, stored)
	}
	sameEvents(t, "stream", MustRead(t, s, "s", 0), stored)
	MustVerify(t, s, "s")
}

// testRaceOneStream: commands decided against the same version race; one wins, the rest conflict,
// and when the losers re-decide every command is stored once and the chain verifies.
func testRaceOneStream(t *testing.T, h Harness) {
	s := h.Open(t)
	MustAppend(t, s, council.Append{Stream: "s", Events: events("e", "base", 1)})
	const n = 32
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = s.Append(context.Background(), council.Append{Stream: "s", Expected: 1, Key: fmt.Sprintf("k%d", i), Events: events("e", fmt.Sprint(i), 1+i%2)})
		})
	}
	close(start)
	wg.Wait()
	winners := 0
	for i, err := range errs {
		switch {
		case err == nil:
			winners++
		case !isConflict(err):
			t.Fatalf("command %d: %v, want success or a conflict", i, err)
		}
	}
	if winners != 1 {
		t.Fatalf("%d commands won at version 1, want 1", winners)
	}
	MustVerify(t, s, "s")

	// The losers re-decide against fresh state until they are stored.
	for i, err := range errs {
		if err == nil {
			continue
		}
		wg.Go(func() {
			res, err := AppendRedeciding(context.Background(), s, council.Append{Stream: "s", Key: fmt.Sprintf("k%d", i), Events: events("e", fmt.Sprint(i), 1+i%2)})
			if err != nil || res.Duplicate {
				t.Errorf("command %d re-decided: %v (duplicate %v)", i, err, res.Duplicate)
			}
		})
	}
	wg.Wait()
	keys := map[string]int{}
	for _, e := range MustRead(t, s, "s", 0) {
		if e.Key != "" {
			keys[e.Key]++
		}
	}
	for i := range n {
		if k := fmt.Sprintf("k%d", i); keys[k] != 1 {
			t.Fatalf("command %s stored %d times", k, keys[k])
		}
	}
	want := int64(1 + n + n/2)
	if got := MustVerify(t, s, "s"); got != want {
		t.Fatalf("stream has %d events, want %d", got, want)
	}
}

// testManyStreams: many writers on many streams, re-deciding on conflicts; everything acknowledged is
// there after a reopen, exactly, and every chain verifies.
func testManyStreams(t *testing.T, h Harness) {
	s := h.Open(t)
	const writers, streams, each = 48, 12, 15
	acked := make([][]council.StoredEvent, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			stream := fmt.Sprintf("stream-%02d", w%streams)
			for i := range each {
				key := fmt.Sprintf("w%d-%d", w, i)
				res, err := AppendRedeciding(context.Background(), s, council.Append{Stream: stream, Key: key, Events: events("e", key, 1+i%3)})
				if err != nil {
					t.Errorf("%s: %v", key, err)
					return
				}
				acked[w] = append(acked[w], res.Events...)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if h.Reopen != nil {
		s = h.Reopen(t, s)
	}
	stored := map[string][]council.StoredEvent{}
	names, err := s.Streams(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != streams {
		t.Fatalf("%d streams, want %d", len(names), streams)
	}
	total := 0
	for _, name := range names {
		stored[name] = MustRead(t, s, name, 0)
		total += len(stored[name])
		MustVerify(t, s, name)
	}
	count := 0
	for _, evs := range acked {
		for _, e := range evs {
			count++
			got := stored[e.Stream]
			if e.Version < 1 || e.Version > int64(len(got)) {
				t.Fatalf("acknowledged event %s/%d is missing", e.Stream, e.Version)
			}
			sameEvents(t, "acknowledged event", got[e.Version-1:e.Version], []council.StoredEvent{e})
		}
	}
	if count != total {
		t.Fatalf("%d events stored, %d acknowledged", total, count)
	}
}

// testVerifyWhileAppending: verifying a stream that writers keep appending to finds it intact, every
// time: appends committed while the verifier reads are neither events removed from the end nor
// events inserted past the head.
func testVerifyWhileAppending(t *testing.T, h Harness) {
	s := h.Open(t)
	ctx := context.Background()
	done := make(chan struct{})
	var wg sync.WaitGroup
	var appended atomic.Int64
	for w := range 4 {
		wg.Go(func() {
			for i := 0; i < 500; i++ { // enough to overlap the verifications, few enough to keep them quick
				select {
				case <-done:
					return
				default:
				}
				if _, err := AppendRedeciding(ctx, s, council.Append{Stream: "busy", Events: events("e", fmt.Sprintf("w%d-%d", w, i), 1)}); err != nil {
					t.Errorf("append: %v", err)
					return
				}
				appended.Add(1)
			}
		})
	}
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; (i < 200 || appended.Load() < 100) && time.Now().Before(deadline) && !t.Failed(); i++ {
		brk, _, err := council.VerifyStream(ctx, s, "busy")
		if err != nil || brk != nil {
			t.Errorf("verify while appending: %+v, %v", brk, err)
			break
		}
	}
	close(done)
	wg.Wait()
	if n := MustVerify(t, s, "busy"); n < 100 {
		t.Fatalf("%d appends while verifying, want at least 100", n)
	}
}
