package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/storetest"
)

func ev(typ, data string) council.EventData { return council.EventData{Type: typ, Data: []byte(data)} }

func isCode(err error, code string) bool {
	var e *council.Error
	return errors.As(err, &e) && e.Code == code
}

func TestConflict(t *testing.T) {
	s := MustOpen(t)
	storetest.MustAppend(t, s, council.Append{Stream: "s", Events: []council.EventData{ev("a", `{}`), ev("b", `{}`)}})
	for _, expected := range []int64{0, 1, 3} {
		res, err := s.Append(context.Background(), council.Append{Stream: "s", Expected: expected, Key: "k", Events: []council.EventData{ev("c", `{}`)}})
		if !isCode(err, council.EConflict) {
			t.Fatalf("append at %d: got %T %v, want EConflict", expected, err, err)
		}
		if len(res.Events) != 0 {
			t.Fatalf("a conflict returned events")
		}
	}
	if v, _, _ := s.Head(context.Background(), "s"); v != 2 {
		t.Fatalf("head %d after conflicts, want 2", v)
	}
	if res := storetest.MustAppend(t, s, council.Append{Stream: "s", Expected: 2, Key: "k", Events: []council.EventData{ev("c", `{}`)}}); res.Duplicate {
		t.Fatal("the key of a refused append was kept")
	}
	storetest.MustVerify(t, s, "s")
}

// TestBatchOutcomes writes one batch that mixes every case, through the batch writer and through the
// savepoint writer it falls back to; both must decide alike.
func TestBatchOutcomes(t *testing.T) {
	batch := []council.Append{
		{Stream: "new", Expected: 0, Key: "n1", Events: []council.EventData{ev("x", `1`)}},        // 0 a new stream
		{Stream: "new", Expected: 1, Events: []council.EventData{ev("y", `2`), ev("z", `3`)}},     // 1 follows 0 in the batch
		{Stream: "new", Expected: 1, Events: []council.EventData{ev("y", `lost`)}},                // 2 conflict with 1
		{Stream: "new", Expected: 7, Key: "n1", Events: []council.EventData{ev("x", `again`)}},    // 3 duplicate of 0
		{Stream: "old", Expected: 0, Key: "k0", Events: []council.EventData{ev("a", `again`)}},    // 4 duplicate of a stored append
		{Stream: "gone", Expected: 3, Events: []council.EventData{ev("a", `1`)}},                  // 5 conflict on a new stream
		{Stream: "zero", Expected: 2, Key: "z", Events: []council.EventData{ev("a", `1`)}},        // 6 conflict
		{Stream: "zero", Expected: 0, Key: "z", Events: []council.EventData{ev("a", `1`)}},        // 7 the same key, now stored
		{Stream: "old", Expected: 2, Key: "k1", Events: []council.EventData{ev("c", `3`)}},        // 8 append to a stored stream
		{Stream: "new", Expected: 0, Key: "n2", Events: []council.EventData{ev("x", `too late`)}}, // 9 conflict: the stream moved
		{Stream: "fresh", Expected: 1, Events: []council.EventData{ev("a", `1`)}},                 // 10 conflict on a new stream
		{Stream: "fresh", Expected: 0, Key: "n2", Events: []council.EventData{ev("a", `1`)}},      // 11 keys belong to a stream
	}
	stored := map[int][2]int64{0: {1, 1}, 1: {2, 3}, 7: {1, 1}, 8: {3, 3}, 11: {1, 1}}
	conflicts := []int{2, 5, 6, 9, 10}
	for _, path := range []string{"batch", "savepoints"} {
		t.Run(path, func(t *testing.T) {
			s := MustOpen(t)
			old := storetest.MustAppend(t, s, council.Append{Stream: "old", Key: "k0", Events: []council.EventData{ev("a", `1`), ev("b", `2`)}})
			write := s.writeBatch
			if path == "savepoints" {
				write = s.writeEach
			}
			outs, err := write(context.Background(), batch)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range stored {
				o := outs[i]
				if o.Err != nil || o.Appended.Duplicate || len(o.Appended.Events) == 0 {
					t.Fatalf("append %d: %+v, want stored", i, o)
				}
				evs := o.Appended.Events
				if evs[0].Version != r[0] || evs[len(evs)-1].Version != r[1] || evs[0].Key != batch[i].Key {
					t.Fatalf("append %d stored %+v, want versions %v", i, evs, r)
				}
			}
			for _, i := range conflicts {
				if !isCode(outs[i].Err, council.EConflict) {
					t.Fatalf("append %d: %v, want a conflict", i, outs[i].Err)
				}
			}
			for i, want := range map[int][]council.StoredEvent{3: outs[0].Appended.Events, 4: old.Events} {
				got := outs[i].Appended
				if outs[i].Err != nil || !got.Duplicate || fmt.Sprint(got.Events) != fmt.Sprint(want) {
					t.Fatalf("append %d: %+v, %v; want a duplicate of %+v", i, got, outs[i].Err, want)
				}
			}
			names, err := s.Streams(context.Background())
			if err != nil || strings.Join(names, ",") != "fresh,new,old,zero" {
				t.Fatalf("streams %q, %v", names, err)
			}
			for name, n := range map[string]int64{"new": 3, "old": 3, "zero": 1, "fresh": 1, "gone": 0} {
				if got := storetest.MustVerify(t, s, name); got != n {
					t.Fatalf("%s has %d events, want %d", name, got, n)
				}
			}
			var rows int
			if err := s.pool.QueryRow(context.Background(), `SELECT count(*) FROM streams WHERE version = 0`).Scan(&rows); err != nil || rows != 0 {
				t.Fatalf("%d empty head rows left, %v", rows, err)
			}
		})
	}
}

// TestUniqueViolation: rows written behind the head's back make the insert fail with a unique
// violation; the batch falls back to savepoints and the append at fault alone gets the conflict, a
// domain error and not the driver's.
func TestUniqueViolation(t *testing.T) {
	s := MustOpen(t)
	storetest.MustAppend(t, s, council.Append{Stream: "s", Events: []council.EventData{ev("a", `1`)}})
	// A writer that ignores the head row puts version 2 in place.
	rogue := council.Seal("s", 1, [32]byte{}, "", []council.EventData{ev("rogue", `{}`)})[0]
	if _, err := s.pool.Exec(context.Background(), `INSERT INTO events (stream, version, type, data, hash) VALUES ('s', 2, 'rogue', '{}', $1)`, rogue.Hash[:]); err != nil {
		t.Fatal(err)
	}
	outs, err := s.write(context.Background(), []council.Append{
		{Stream: "other", Events: []council.EventData{ev("a", `1`)}},
		{Stream: "s", Expected: 1, Key: "k", Events: []council.EventData{ev("b", `2`)}},
		{Stream: "t", Events: []council.EventData{ev("a", `1`)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if outs[0].Err != nil || outs[2].Err != nil {
		t.Fatalf("appends beside the faulty one failed: %v, %v", outs[0].Err, outs[2].Err)
	}
	if !isCode(outs[1].Err, council.EConflict) || !strings.Contains(outs[1].Err.Error(), "taken by another writer") {
		t.Fatalf("append onto a taken version: %T %v, want EConflict", outs[1].Err, outs[1].Err)
	}
	if v, _, _ := s.Head(context.Background(), "s"); v != 1 {
		t.Fatalf("head moved to %d", v)
	}

	// A keyed row written behind the head's back: the unique violation on the key becomes a duplicate.
	keyed := council.Seal("u", 5, [32]byte{}, "dup", []council.EventData{ev("x", `{}`)})[0]
	if _, err := s.pool.Exec(context.Background(), `INSERT INTO events (stream, version, type, key, data, hash, size) VALUES ('u', 6, 'x', 'dup', '{}', $1, 1)`, keyed.Hash[:]); err != nil {
		t.Fatal(err)
	}
	o, err := appendSaved(context.Background(), mustBegin(t, s), council.Append{Stream: "u", Expected: 0, Key: "fresh", Events: []council.EventData{ev("x", `{}`)}})
	if err != nil || o.Err != nil || o.Appended.Events[0].Version != 1 {
		t.Fatalf("append beside a rogue keyed row: %+v, %v", o, err)
	}
	o, err = uniqueViolation(context.Background(), mustBegin(t, s), council.Append{Stream: "u", Key: "dup", Events: []council.EventData{ev("x", `{}`)}})
	if err != nil || o.Err != nil || !o.Appended.Duplicate || o.Appended.Events[0].Version != 6 {
		t.Fatalf("a unique violation on a stored key: %+v, %v; want the duplicate", o, err)
	}
}

func mustBegin(tb testing.TB, s *Store) pgx.Tx {
	tb.Helper()
	tx, err := s.pool.Begin(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = tx.Rollback(context.Background()) })
	return tx
}

// TestRaceSameKey: 32 copies of one command race through the committer; one is stored, the others
// get it back as a duplicate.
func TestRaceSameKey(t *testing.T) {
	s := MustOpen(t)
	const n = 32
	res := make([]council.Appended, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res[i], errs[i] = s.Append(context.Background(), council.Append{Stream: "s", Key: "same", Events: []council.EventData{ev("a", fmt.Sprint(i)), ev("b", `{}`)}})
		})
	}
	wg.Wait()
	first := -1
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("copy %d: %v", i, errs[i])
		}
		if !res[i].Duplicate {
			if first >= 0 {
				t.Fatalf("copies %d and %d were both stored", first, i)
			}
			first = i
		}
	}
	if first < 0 {
		t.Fatal("no copy was stored")
	}
	for i := range n {
		if fmt.Sprint(res[i].Events) != fmt.Sprint(res[first].Events) {
			t.Fatalf("copy %d got %+v, want %+v", i, res[i].Events, res[first].Events)
		}
	}
	if n := storetest.MustVerify(t, s, "s"); n != 2 {
		t.Fatalf("%d events stored, want 2", n)
	}
}

// TestTwoProcesses: two stores on one schema, as two servers would be, race on the same streams and
// the same keys; nothing is lost or stored twice and every chain verifies.
func TestTwoProcesses(t *testing.T) {
	u := mustSchema(t)
	stores := []*Store{mustOpenURL(t, u), mustOpenURL(t, u)}
	const writers, streams, each = 32, 4, 20
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				// Both processes get every command: a client retrying against the other server.
				a := council.Append{Stream: fmt.Sprintf("s%d", (w+i)%streams), Key: fmt.Sprintf("w%d-%d", w, i), Events: []council.EventData{ev("a", fmt.Sprintf(`{"w":%d,"i":%d}`, w, i)), ev("b", `{}`)}}
				var res [2]council.Appended
				var inner sync.WaitGroup
				for p, s := range stores {
					inner.Go(func() {
						r, err := storetest.AppendRedeciding(context.Background(), s, a)
						if err != nil {
							t.Errorf("process %d: %s: %v", p, a.Key, err)
						}
						res[p] = r
					})
				}
				inner.Wait()
				if res[0].Duplicate == res[1].Duplicate || fmt.Sprint(res[0].Events) != fmt.Sprint(res[1].Events) {
					t.Errorf("%s: the two processes disagree: %+v / %+v", a.Key, res[0], res[1])
				}
			}
		})
	}
	wg.Wait()
	total := int64(0)
	seen := map[string]bool{}
	for i := range streams {
		name := fmt.Sprintf("s%d", i)
		total += storetest.MustVerify(t, stores[0], name)
		err := stores[1].Read(context.Background(), name, 0, func(e council.StoredEvent) error {
			if e.Key != "" {
				if seen[e.Key] {
					return fmt.Errorf("key %s stored twice", e.Key)
				}
				seen[e.Key] = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if total != 2*writers*each || len(seen) != writers*each {
		t.Fatalf("%d events and %d keys stored, want %d and %d", total, len(seen), 2*writers*each, writers*each)
	}
}

// TestManyWriters: 64 writers on 8 streams re-deciding on conflicts through one store.
func TestManyWriters(t *testing.T) {
	s := MustOpen(t)
	const writers, streams, each = 64, 8, 10
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				_, err := storetest.AppendRedeciding(context.Background(), s, council.Append{Stream: fmt.Sprintf("s%d", w%streams), Key: fmt.Sprintf("w%d-%d", w, i), Events: []council.EventData{ev("a", `{}`)}})
				if err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	var total int64
	for i := range streams {
		total += storetest.MustVerify(t, s, fmt.Sprintf("s%d", i))
	}
	if total != writers*each {
		t.Fatalf("%d events, want %d", total, writers*each)
	}
}

func TestValidate(t *testing.T) {
	s := MustOpen(t)
	for name, a := range map[string]council.Append{
		"no stream":       {Events: []council.EventData{ev("a", `{}`)}},
		"no events":       {Stream: "s"},
		"NUL in a key":    {Stream: "s", Key: "a\x00b", Events: []council.EventData{ev("a", `{}`)}},
		"bad UTF-8 type":  {Stream: "s", Events: []council.EventData{ev("\xff", `{}`)}},
		"NUL in a stream": {Stream: "s\x00", Events: []council.EventData{ev("a", `{}`)}},
	} {
		if _, err := s.Append(context.Background(), a); !isCode(err, council.EINVALID) {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
}

// TestMigrations: stores opening a fresh schema together migrate it once; a schema newer than the
// binary is refused; synchronous_commit=off is refused.
func TestMigrations(t *testing.T) {
	u := mustSchema(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := Open(context.Background(), u)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("concurrent open: %v", err)
		}
	}
	s := mustOpenURL(t, u)
	var n, latest int
	if err := s.pool.QueryRow(context.Background(), `SELECT count(*), max(version) FROM schema_migrations`).Scan(&n, &latest); err != nil {
		t.Fatal(err)
	}
	all, _ := migrations()
	if n != len(all) || latest != len(all) {
		t.Fatalf("schema_migrations has %d rows up to %d, want %d", n, latest, len(all))
	}
	if _, err := s.pool.Exec(context.Background(), `INSERT INTO schema_migrations (version, name) VALUES ($1, 'from the future')`, latest+1); err != nil {
		t.Fatal(err)
	}
	if s2, err := Open(context.Background(), u); err == nil || !strings.Contains(err.Error(), "newer than this binary") {
		if s2 != nil {
			s2.Close()
		}
		t.Fatalf("open of a newer schema: %v", err)
	}
	if s2, err := Open(context.Background(), withParam(u, "synchronous_commit", "off")); !isCode(err, council.EINVALID) {
		if s2 != nil {
			s2.Close()
		}
		t.Fatalf("open with synchronous_commit=off: %v, want EINVALID", err)
	}
	var sc string
	if err := s.pool.QueryRow(context.Background(), `SHOW synchronous_commit`).Scan(&sc); err != nil || sc != "on" {
		t.Fatalf("synchronous_commit %q, %v; want on", sc, err)
	}
}

// TestConnectionLost: the server drops the store's connections between batches; the next batch fails
// before its commit, is retried on a new connection, and is stored once.
func TestConnectionLost(t *testing.T) {
	u := withParam(mustSchema(t), "application_name", "council_lost")
	s := mustOpenURL(t, u)
	storetest.MustAppend(t, s, council.Append{Stream: "s", Key: "k1", Events: []council.EventData{ev("a", `{}`)}})
	var n int
	if err := adminQueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'council_lost'`, &n); err != nil || n == 0 {
		t.Fatalf("terminated %d connections: %v", n, err)
	}
	for i, key := range []string{"k2", "k3"} {
		if res := storetest.MustAppend(t, s, council.Append{Stream: "s", Expected: int64(i + 1), Key: key, Events: []council.EventData{ev("b", `{}`)}}); res.Duplicate {
			t.Fatalf("%s reported as a duplicate", key)
		}
	}
	if got := storetest.MustVerify(t, s, "s"); got != 3 {
		t.Fatalf("%d events, want 3", got)
	}
}
