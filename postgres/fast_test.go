package postgres

import (
	"context"
	"fmt"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/storetest"
)

func one(stream string, expected int64) council.Append {
	return council.Append{Stream: stream, Expected: expected, Events: []council.EventData{ev("a", fmt.Sprint(expected))}}
}

// mustFast writes batch with writeFast and checks whether it took the one-round-trip path.
func mustFast(t *testing.T, s *Store, fast bool, batch ...council.Append) []council.Appended {
	t.Helper()
	outs, done, err := s.writeFast(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	if done != fast {
		t.Fatalf("writeFast done=%v, want %v", done, fast)
	}
	var res []council.Appended
	for _, o := range outs {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		res = append(res, o.Appended)
	}
	return res
}

// TestWriteFast: batches on streams whose heads the store knows take one round trip; when another
// process moved a head, the batch writes nothing that way and is written under the locks instead.
func TestWriteFast(t *testing.T) {
	u := mustSchema(t)
	a, b := mustOpenURL(t, u), mustOpenURL(t, u)
	ctx := context.Background()

	// New streams, then streams the store knows, several appends to one stream in a batch.
	mustFast(t, a, true, one("s", 0), one("t", 0), one("s", 1))
	res := mustFast(t, a, true, one("t", 1), one("s", 2))
	if res[0].Events[0].Version != 2 || res[1].Events[0].Version != 3 {
		t.Fatalf("stored %+v", res)
	}
	// A stream the store has not seen, with events: its head is unknown.
	storetest.MustAppend(t, b, one("u", 0))
	mustFast(t, a, false, one("u", 1))

	// Another process moves s: the batch, which also holds t, rolls back whole.
	storetest.MustAppend(t, b, one("s", 3))
	mustFast(t, a, false, one("t", 2), one("s", 3))
	if v, _, _ := a.Head(ctx, "t"); v != 2 {
		t.Fatalf("t at %d after a batch that rolled back", v)
	}
	// The stale head was dropped; write decides against the locked heads and caches them again.
	outs, err := a.write(ctx, []council.Append{one("t", 2), one("s", 3)})
	if err != nil || !isCode(outs[1].Err, council.EConflict) || outs[0].Err != nil {
		t.Fatalf("write after a stale head: %v %+v", err, outs)
	}
	mustFast(t, a, true, one("s", 4), one("t", 3))

	// A new stream that another process created meanwhile.
	storetest.MustAppend(t, b, one("v", 0))
	mustFast(t, a, false, one("v", 0))
	if _, err := a.Append(ctx, one("v", 0)); !isCode(err, council.EConflict) {
		t.Fatalf("append to a stream created elsewhere: %v, want a conflict", err)
	}

	// An append that would be a conflict against the cache is decided under the locks: the cache
	// may be behind.
	storetest.MustAppend(t, b, one("t", 4))
	mustFast(t, a, false, one("t", 5))
	storetest.MustAppend(t, a, one("t", 5))

	for name, n := range map[string]int64{"s": 5, "t": 6, "u": 1, "v": 1} {
		if got := storetest.MustVerify(t, a, name); got != n {
			t.Fatalf("%s has %d events, want %d", name, got, n)
		}
	}
	var empty int
	if err := a.pool.QueryRow(ctx, `SELECT count(*) FROM streams WHERE version = 0`).Scan(&empty); err != nil || empty != 0 {
		t.Fatalf("%d empty head rows, %v", empty, err)
	}
}

// TestFastKeyStored: a key stored before makes the one-round-trip insert fail on the unique index;
// the batch is written under the locks and the append is the duplicate it is.
func TestFastKeyStored(t *testing.T) {
	s := MustOpen(t)
	first := storetest.MustAppend(t, s, council.Append{Stream: "s", Key: "k", Events: []council.EventData{ev("a", `1`)}})
	storetest.MustAppend(t, s, one("s", 1))
	retry := council.Append{Stream: "s", Expected: 2, Key: "k", Events: []council.EventData{ev("a", `1`)}}
	mustFast(t, s, false, retry, one("t", 0))
	outs, err := s.write(context.Background(), []council.Append{retry, one("t", 0)})
	if err != nil || outs[0].Err != nil || outs[1].Err != nil {
		t.Fatalf("write: %v %+v", err, outs)
	}
	if !outs[0].Appended.Duplicate || fmt.Sprint(outs[0].Appended.Events) != fmt.Sprint(first.Events) {
		t.Fatalf("retried key: %+v, want the duplicate of %+v", outs[0].Appended, first.Events)
	}
	if n := storetest.MustVerify(t, s, "s"); n != 2 {
		t.Fatalf("s has %d events, want 2", n)
	}
	if n := storetest.MustVerify(t, s, "t"); n != 1 {
		t.Fatalf("t has %d events, want 1", n)
	}
}

// TestHeadCacheBound: the cache forgets heads rather than grow past maxCached.
func TestHeadCacheBound(t *testing.T) {
	var c headCache
	for i := range maxCached + 1000 {
		c.put(map[string]*head{fmt.Sprint(i): {version: 1}})
	}
	if n := len(c.m); n > maxCached || n < maxCached/2 {
		t.Fatalf("%d heads cached", n)
	}
	c.put(map[string]*head{"x": {version: 5}})
	c.put(map[string]*head{"x": {version: 4}})
	if c.m["x"].version != 5 {
		t.Fatalf("a later head was replaced by an earlier one: %+v", c.m["x"])
	}
}
