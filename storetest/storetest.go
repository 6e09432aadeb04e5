// Package storetest is the contract every council.EventStore passes: round trips, optimistic
// concurrency, idempotency, races, durability across a reopen and across a killed process, and tamper
// evidence. A store's own tests call Run with a Harness that opens it, and RunCrash with a
// CrashHarness that a child process can open again.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/opencouncil/council"
)

// Harness is what the suite needs of one store implementation.
type Harness struct {
	// Open returns a fresh empty store, closed by t.Cleanup. Close must therefore tolerate a second
	// call: the suite closes some stores itself.
	Open func(t testing.TB) council.EventStore
	// Reopen closes s and opens the same data again; the new store is closed by t.Cleanup.
	Reopen func(t testing.TB, s council.EventStore) council.EventStore
	// Tamper changes stored rows behind the store's back; nil skips the tamper tests.
	Tamper Tamperer
}

// Tamperer changes stored rows behind the store's back, for the tamper tests.
type Tamperer interface {
	FlipByte(t testing.TB, s council.EventStore, stream string, version int64)     // change one byte of the event's data
	Delete(t testing.TB, s council.EventStore, stream string, version int64)       // delete the event's row
	Swap(t testing.TB, s council.EventStore, stream string, v1, v2 int64)          // exchange type, key, data and hash of two events
	InsertForged(t testing.TB, s council.EventStore, stream string, version int64) // add a row at that version with a made-up hash
	DeleteHead(t testing.TB, s council.EventStore, stream string)                  // delete the stream's head row
}

// Run runs every contract test as subtests, each on a fresh store.
func Run(t *testing.T, h Harness) {
	tests := []struct {
		name string
		fn   func(*testing.T, Harness)
	}{
		{"RoundTrip", testRoundTrip},
		{"ReadAfter", testReadAfter},
		{"ReadStops", testReadStops},
		{"Streams", testStreams},
		{"EmptyStream", testEmptyStream},
		{"Conflict", testConflict},
		{"AllOrNothing", testAllOrNothing},
		{"Idempotency", testIdempotency},
		{"KeysKept", testKeysKept},
		{"RaceSameKey", testRaceSameKey},
		{"RaceOneStream", testRaceOneStream},
		{"ManyStreams", testManyStreams},
		{"VerifyWhileAppending", testVerifyWhileAppending},
		{"Tamper", testTamper},
		{"CancelledContext", testCancelled},
		{"Closed", testClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, h) })
	}
}

// MustAppend appends and fails the test on any error.
func MustAppend(tb testing.TB, s council.EventStore, a council.Append) council.Appended {
	tb.Helper()
	res, err := s.Append(context.Background(), a)
	if err != nil {
		tb.Fatalf("append to %q at %d: %v", a.Stream, a.Expected, err)
	}
	return res
}

// MustRead returns the events of a stream after a version, failing the test on any error.
func MustRead(tb testing.TB, s council.EventStore, stream string, after int64) []council.StoredEvent {
	tb.Helper()
	var out []council.StoredEvent
	err := s.Read(context.Background(), stream, after, func(e council.StoredEvent) error {
		out = append(out, e)
		return nil
	})
	if err != nil {
		tb.Fatalf("read %q after %d: %v", stream, after, err)
	}
	return out
}

// MustHead returns a stream's head, failing the test on any error.
func MustHead(tb testing.TB, s council.EventStore, stream string) (int64, [32]byte) {
	tb.Helper()
	v, h, err := s.Head(context.Background(), stream)
	if err != nil {
		tb.Fatalf("head of %q: %v", stream, err)
	}
	return v, h
}

// MustVerify checks a stream's chain and fails the test on a break or an error.
func MustVerify(tb testing.TB, s council.EventStore, stream string) int64 {
	tb.Helper()
	brk, n, err := council.VerifyStream(context.Background(), s, stream)
	if err != nil {
		tb.Fatalf("verify %q: %v", stream, err)
	}
	if brk != nil {
		tb.Fatalf("verify %q: break at %d: %s", stream, brk.Version, brk.Reason)
	}
	return n
}

// isConflict reports whether err is the domain's conflict error.
func isConflict(err error) bool {
	var e *council.Error
	return errors.As(err, &e) && e.Code == council.EConflict
}

func wantConflict(tb testing.TB, err error, what string) {
	tb.Helper()
	if !isConflict(err) {
		tb.Fatalf("%s: want a *council.Error with code %q, got %T: %v", what, council.EConflict, err, err)
	}
}

// sameEvents fails the test unless got and want hold the same events, field by field.
func sameEvents(tb testing.TB, what string, got, want []council.StoredEvent) {
	tb.Helper()
	if msg := diffEvents(got, want); msg != "" {
		tb.Fatalf("%s: %s", what, msg)
	}
}

func diffEvents(got, want []council.StoredEvent) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d events, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		switch {
		case g.Stream != w.Stream:
			return fmt.Sprintf("event %d: stream %q, want %q", i, g.Stream, w.Stream)
		case g.Version != w.Version:
			return fmt.Sprintf("event %d: version %d, want %d", i, g.Version, w.Version)
		case g.Type != w.Type:
			return fmt.Sprintf("event %d: type %q, want %q", i, g.Type, w.Type)
		case g.Key != w.Key:
			return fmt.Sprintf("event %d: key %q, want %q", i, g.Key, w.Key)
		case !bytes.Equal(g.Data, w.Data):
			return fmt.Sprintf("event %d: data %q, want %q", i, g.Data, w.Data)
		case g.Hash != w.Hash:
			return fmt.Sprintf("event %d: hash %s, want %s", i, council.HashString(g.Hash), council.HashString(w.Hash))
		}
	}
	return ""
}

// events makes n events of a type whose data names who made them.
func events(typ, who string, n int) []council.EventData {
	out := make([]council.EventData, n)
	for i := range out {
		out[i] = council.EventData{Type: typ, Data: fmt.Appendf(nil, `{"who":%q,"n":%d}`, who, i)}
	}
	return out
}

// AppendRedeciding appends, re-deciding against the stream's head after each conflict, as a command
// handler does. It returns the outcome of the append that was stored or found a duplicate.
func AppendRedeciding(ctx context.Context, s council.EventStore, a council.Append) (council.Appended, error) {
	for {
		v, _, err := s.Head(ctx, a.Stream)
		if err != nil {
			return council.Appended{}, err
		}
		a.Expected = v
		res, err := s.Append(ctx, a)
		if isConflict(err) {
			continue
		}
		return res, err
	}
}

// testKeysKept appends events that carry their own keys in one append, as an import does: each key is
// stored on its event, the chain is the one Seal gives, and a later append with one of the keys is a
// duplicate.
func testKeysKept(t *testing.T, h Harness) {
	s := h.Open(t)
	evs := events("e", "k", 3)
	evs[0].Key, evs[2].Key = "first", "third"
	MustAppend(t, s, council.Append{Stream: "s", Events: evs})
	got := MustRead(t, s, "s", 0)
	want := council.Seal("s", 0, [32]byte{}, "", evs)
	if len(got) != 3 {
		t.Fatalf("%d events, want 3", len(got))
	}
	for i := range got {
		if got[i].Key != want[i].Key || got[i].Hash != want[i].Hash {
			t.Errorf("event %d: key %q hash %x, want key %q hash %x", i+1, got[i].Key, got[i].Hash, want[i].Key, want[i].Hash)
		}
	}
	MustVerify(t, s, "s")
	res := MustAppend(t, s, council.Append{Stream: "s", Expected: 3, Key: "third", Events: events("x", "y", 1)})
	if !res.Duplicate || len(res.Events) == 0 || res.Events[0].Version != 3 {
		t.Errorf("an append with the key of event 3: %+v, want a duplicate returning event 3", res)
	}
}
