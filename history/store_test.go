package history

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/roster"
	"github.com/opencouncil/council/sqlite"
	"github.com/opencouncil/council/sqlite/sqlitetest"
)

func openStore(tb testing.TB) *sqlite.Store {
	tb.Helper()
	return sqlitetest.Open(tb)
}

// TestImportTwice imports the record, then again: the second import appends nothing, the stream holds
// one copy and verifies, and the record read back is the record imported.
func TestImportTwice(t *testing.T) {
	ctx := context.Background()
	h := mustDefault(t)
	st := openStore(t)
	want := int64(1 + len(h.Meetings) + len(h.Vetoes))
	first, err := Import(ctx, st, h)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Appended || first.Events != want || first.Stream != Stream {
		t.Fatalf("first import: %+v, want %d events appended", first, want)
	}
	second, err := Import(ctx, st, h)
	if err != nil {
		t.Fatal(err)
	}
	if second.Appended || second.Events != want || second.Head != first.Head {
		t.Fatalf("second import: %+v, want nothing appended and the same head", second)
	}
	if n, _, err := st.Head(ctx, Stream); err != nil || n != want {
		t.Fatalf("the stream holds %d events (%v), want one copy: %d", n, err, want)
	}
	if streams, _ := st.Streams(ctx); !reflect.DeepEqual(streams, []string{Stream}) {
		t.Errorf("streams %v", streams)
	}
	got, err := Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Meetings, h.Meetings) || !reflect.DeepEqual(got.Vetoes, h.Vetoes) ||
		!reflect.DeepEqual(got.Problems, h.Problems) || !reflect.DeepEqual(got.Stats, h.Stats) {
		t.Error("the record read back from the store differs from the one imported")
	}
	a, b := got.Check(), h.Check()
	if a.Votes != b.Votes || a.Agree != b.Agree || !reflect.DeepEqual(a.Disagreements, b.Disagreements) {
		t.Errorf("the check of the stored record: %d/%d, of the embedded one %d/%d", a.Agree, a.Votes, b.Agree, b.Votes)
	}
}

// TestImportRefuses leaves a stream holding something else, or another record, untouched.
func TestImportRefuses(t *testing.T) {
	ctx := context.Background()
	h := mustDefault(t)

	st := openStore(t)
	if _, err := st.Append(ctx, council.Append{Stream: Stream, Events: []council.EventData{{Type: "x", Data: []byte("{}")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(ctx, st, h); err == nil || !strings.Contains(err.Error(), "not an imported record") {
		t.Errorf("a stream of something else: %v", err)
	}
	if _, err := Load(ctx, st); err == nil {
		t.Error("a stream of something else loads")
	}

	st = openStore(t)
	f, err := EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	f.Meetings = []byte(strings.Replace(string(f.Meetings), "S/RES/82 (1950) | 9-0-1", "S/RES/82 (1950) | 9-0-2", 1))
	other, err := Parse(f, roster.Default())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Import(ctx, st, other); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(ctx, st, h); err == nil || !strings.Contains(err.Error(), "other sources") {
		t.Errorf("a record of other sources: %v", err)
	}
	if _, err := Load(ctx, openStore(t)); err == nil || !strings.Contains(err.Error(), "no imported record") {
		t.Errorf("an empty store: %v", err)
	}
}
