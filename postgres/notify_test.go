package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/storetest"
)

// sighting is one call of a Watch callback.
type sighting struct {
	stream  string
	version int64
}

// watcher runs s.Watch until the test ends and hands over what it sees.
type watcher struct {
	seen chan sighting
	done chan error
}

func startWatch(t *testing.T, s *Store) *watcher {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w := &watcher{seen: make(chan sighting, 10000), done: make(chan error, 1)}
	go func() {
		w.done <- s.Watch(ctx, func(stream string, version int64) { w.seen <- sighting{stream, version} })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-w.done; !errors.Is(err, context.Canceled) {
			t.Errorf("Watch returned %v, want context.Canceled", err)
		}
	})
	w.expect(t, sighting{}) // listening
	return w
}

// expect waits for the next sightings, which must be want, in order.
func (w *watcher) expect(t *testing.T, want ...sighting) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for _, x := range want {
		select {
		case got := <-w.seen:
			if got != x {
				t.Fatalf("saw %+v, want %+v", got, x)
			}
		case err := <-w.done:
			t.Fatalf("Watch returned %v while %+v was awaited", err, x)
		case <-deadline:
			t.Fatalf("%+v not seen within 10 s", x)
		}
	}
}

// quiet checks that nothing more is seen for a moment.
func (w *watcher) quiet(t *testing.T) {
	t.Helper()
	select {
	case got := <-w.seen:
		t.Fatalf("saw %+v, want nothing", got)
	case <-time.After(200 * time.Millisecond):
	}
}

// appName returns a URL for the schema of u with an application_name of its own.
func appName(u string) (string, string) {
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "council_watch_" + hex.EncodeToString(b[:])
	return withParam(u, "application_name", name), name
}

// TestWatch: two stores on one schema, as two processes; every commit made through one is seen by the
// other, in commit order, whichever way it was written, and nothing else is.
func TestWatch(t *testing.T) {
	u := mustSchema(t)
	a := mustOpenURL(t, u)
	bURL, _ := appName(u)
	b := mustOpenURL(t, bURL)
	w := startWatch(t, b)
	ctx := context.Background()

	// One append at a time, through the committer: one commit each, on the one-round-trip path once
	// the head is known.
	var want []sighting
	for i := range 5 {
		for _, stream := range []string{"s1", "s2"} {
			storetest.MustAppend(t, a, council.Append{Stream: stream, Expected: int64(i), Events: []council.EventData{ev("a", `{}`)}})
			want = append(want, sighting{stream, int64(i + 1)})
		}
	}
	w.expect(t, want...)

	// A batch of several streams is one commit: its streams in name order, at their last version.
	outs, err := a.write(ctx, []council.Append{
		{Stream: "s2", Expected: 5, Events: []council.EventData{ev("a", `{}`), ev("b", `{}`)}},
		{Stream: "s1", Expected: 5, Events: []council.EventData{ev("a", `{}`)}},
		{Stream: "s2", Expected: 7, Events: []council.EventData{ev("c", `{}`)}},
		{Stream: "s1", Expected: 0, Events: []council.EventData{ev("x", `{}`)}}, // a conflict moves nothing
	})
	if err != nil || outs[0].Err != nil || outs[2].Err != nil || !isCode(outs[3].Err, council.EConflict) {
		t.Fatalf("batch: %v %+v", err, outs)
	}
	w.expect(t, sighting{"s1", 6}, sighting{"s2", 8})

	// The locking path and the savepoint path announce their commits too; a batch that only finds
	// duplicates and conflicts announces nothing.
	if _, err := a.writeBatch(ctx, []council.Append{{Stream: "s3", Key: "k", Events: []council.EventData{ev("a", `{}`)}}}); err != nil {
		t.Fatal(err)
	}
	w.expect(t, sighting{"s3", 1})
	if _, err := a.writeEach(ctx, []council.Append{{Stream: "s3", Expected: 1, Events: []council.EventData{ev("a", `{}`)}}, {Stream: "s4", Events: []council.EventData{ev("a", `{}`)}}}); err != nil {
		t.Fatal(err)
	}
	w.expect(t, sighting{"s3", 2}, sighting{"s4", 1})
	res := storetest.MustAppend(t, a, council.Append{Stream: "s3", Expected: 0, Key: "k", Events: []council.EventData{ev("a", `{}`)}})
	if !res.Duplicate {
		t.Fatal("the retried key was stored again")
	}
	if _, err := a.Append(ctx, council.Append{Stream: "s3", Expected: 1, Events: []council.EventData{ev("a", `{}`)}}); !isCode(err, council.EConflict) {
		t.Fatalf("stale append: %v, want a conflict", err)
	}
	w.quiet(t)

	// The watching store's own appends are announced as well.
	storetest.MustAppend(t, b, council.Append{Stream: "s4", Expected: 1, Events: []council.EventData{ev("a", `{}`)}})
	w.expect(t, sighting{"s4", 2})
}

// TestWatchConcurrent: many writers on both stores; every stream's versions are seen in order and the
// last one is seen.
func TestWatchConcurrent(t *testing.T) {
	u := mustSchema(t)
	stores := []*Store{mustOpenURL(t, u), mustOpenURL(t, u)}
	w := startWatch(t, stores[1])
	const writers, each = 40, 10
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			stream := fmt.Sprintf("w%02d", i)
			for v := range each {
				storetest.MustAppend(t, stores[v%2], council.Append{Stream: stream, Expected: int64(v), Events: []council.EventData{ev("a", `{}`)}})
			}
		})
	}
	wg.Wait()
	last := map[string]int64{}
	deadline := time.After(10 * time.Second)
	for len(last) < writers || !allAt(last, each) {
		select {
		case x := <-w.seen:
			if x.version <= last[x.stream] {
				t.Fatalf("%s seen at %d after %d", x.stream, x.version, last[x.stream])
			}
			last[x.stream] = x.version
		case <-deadline:
			t.Fatalf("not every stream seen at its last version: %v", last)
		}
	}
}

func allAt(last map[string]int64, v int64) bool {
	for _, got := range last {
		if got != v {
			return false
		}
	}
	return true
}

// TestWatchReconnect: the server drops the listening connection; Watch says anything may have
// changed, listens again, and sees the commits that follow.
func TestWatchReconnect(t *testing.T) {
	u := mustSchema(t)
	a := mustOpenURL(t, u)
	bURL, name := appName(u)
	b := mustOpenURL(t, bURL)
	w := startWatch(t, b)
	storetest.MustAppend(t, a, council.Append{Stream: "s", Events: []council.EventData{ev("a", `{}`)}})
	w.expect(t, sighting{"s", 1})

	for round := range 2 {
		var pid int
		if err := adminQueryRow(fmt.Sprintf(`SELECT pid FROM pg_stat_activity WHERE application_name = '%s watch'`, name), &pid); err != nil {
			t.Fatalf("round %d: the listener: %v", round, err)
		}
		// Once the listener is gone it cannot see this append; its successor may or may not.
		terminate(t, pid)
		missed := sighting{"s", int64(2*round + 2)}
		storetest.MustAppend(t, a, council.Append{Stream: "s", Expected: missed.version - 1, Events: []council.EventData{ev("a", `{}`)}})
		w.expect(t, sighting{})
		storetest.MustAppend(t, a, council.Append{Stream: "s", Expected: missed.version, Events: []council.EventData{ev("a", `{}`)}})
		w.expectAfter(t, missed, sighting{"s", missed.version + 1})
	}
}

// terminate ends the backend pid and waits until it is gone.
func terminate(t *testing.T, pid int) {
	t.Helper()
	var ok bool
	if err := adminQueryRow(fmt.Sprintf(`SELECT pg_terminate_backend(%d)`, pid), &ok); err != nil || !ok {
		t.Fatalf("terminate %d: %v %v", pid, ok, err)
	}
	for range 500 {
		var n int
		if err := adminQueryRow(fmt.Sprintf(`SELECT count(*) FROM pg_stat_activity WHERE pid = %d`, pid), &n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("backend %d still there", pid)
}

// expectAfter waits for want, allowing maybe once before it.
func (w *watcher) expectAfter(t *testing.T, maybe, want sighting) {
	t.Helper()
	select {
	case got := <-w.seen:
		if got == want {
			return
		}
		if got != maybe {
			t.Fatalf("saw %+v, want %+v", got, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%+v not seen within 10 s", want)
	}
	w.expect(t, want)
}

// TestPayloads: payloads stay within PostgreSQL's limit and read back as they were written, also
// for names with newlines or quotes and names too long for a payload.
func TestPayloads(t *testing.T) {
	var streams []string
	var versions []int64
	for i := range 500 {
		streams = append(streams, fmt.Sprintf("council/%03d/%s", i, strings.Repeat("x", 40)))
		versions = append(versions, int64(i+1))
	}
	streams = append(streams, "line\nbreak", `"quoted"`, "tab\there", strings.Repeat("y", 9000))
	versions = append(versions, 7, 8, 9, 10)
	ps := payloads(streams, versions)
	if len(ps) < 3 {
		t.Fatalf("%d payloads for %d streams", len(ps), len(streams))
	}
	var got []sighting
	for _, p := range ps {
		if len(p) > maxPayload {
			t.Fatalf("a payload of %d bytes", len(p))
		}
		dispatch(p, func(stream string, version int64) { got = append(got, sighting{stream, version}) })
	}
	if len(got) != len(streams) {
		t.Fatalf("%d sightings for %d streams", len(got), len(streams))
	}
	for i, x := range got[:len(got)-1] {
		if x != (sighting{streams[i], versions[i]}) {
			t.Fatalf("sighting %d: %+v, want %s at %d", i, x, streams[i], versions[i])
		}
	}
	if got[len(got)-1] != (sighting{}) {
		t.Fatalf("a name too long for a payload: %+v, want the reset", got[len(got)-1])
	}
	var junk []sighting
	dispatch("12\nx y\n-1 s\n", func(stream string, version int64) { junk = append(junk, sighting{stream, version}) })
	if len(junk) != 3 || junk[0] != (sighting{}) || junk[1] != (sighting{}) || junk[2] != (sighting{}) {
		t.Fatalf("lines that do not parse: %+v, want three resets", junk)
	}
}

// TestWatchManyStreams: a batch moving more streams than one payload holds is announced whole.
func TestWatchManyStreams(t *testing.T) {
	u := mustSchema(t)
	a := mustOpenURL(t, u)
	w := startWatch(t, a)
	var batch []council.Append
	var want []sighting
	for i := range 300 {
		name := fmt.Sprintf("%03d-%s", i, strings.Repeat("n", 60))
		batch = append(batch, council.Append{Stream: name, Events: []council.EventData{ev("a", `{}`)}})
		want = append(want, sighting{name, 1})
	}
	outs, err := a.write(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
	}
	w.expect(t, want...)
}
