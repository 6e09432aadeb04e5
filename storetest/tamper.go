package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/opencouncil/council"
)

// testTamper changes a stream's rows behind the store's back in each way the record must reveal, and
// checks that council.VerifyStream names the stream and the first bad version, and that the stream
// beside it still verifies.
func testTamper(t *testing.T, h Harness) {
	if h.Tamper == nil {
		t.Skip("the harness has no Tamperer")
	}
	tp := h.Tamper
	cases := []struct {
		name   string
		tamper func(t testing.TB, s council.EventStore)
		want   int64
	}{
		{"FlipByte first", func(t testing.TB, s council.EventStore) { tp.FlipByte(t, s, "s", 1) }, 1},
		{"FlipByte middle", func(t testing.TB, s council.EventStore) { tp.FlipByte(t, s, "s", 3) }, 3},
		{"FlipByte last", func(t testing.TB, s council.EventStore) { tp.FlipByte(t, s, "s", 6) }, 6},
		{"Delete first", func(t testing.TB, s council.EventStore) { tp.Delete(t, s, "s", 1) }, 1},
		{"Delete middle", func(t testing.TB, s council.EventStore) { tp.Delete(t, s, "s", 3) }, 3},
		{"Delete last", func(t testing.TB, s council.EventStore) { tp.Delete(t, s, "s", 6) }, 6},
		{"Swap middle", func(t testing.TB, s council.EventStore) { tp.Swap(t, s, "s", 3, 4) }, 3},
		{"Swap apart", func(t testing.TB, s council.EventStore) { tp.Swap(t, s, "s", 2, 5) }, 2},
		{"InsertForged past head", func(t testing.TB, s council.EventStore) { tp.InsertForged(t, s, "s", 7) }, 7},
		{"InsertForged for a deleted middle row", func(t testing.TB, s council.EventStore) {
			tp.Delete(t, s, "s", 3)
			tp.InsertForged(t, s, "s", 3)
		}, 3},
		{"DeleteHead", func(t testing.TB, s council.EventStore) { tp.DeleteHead(t, s, "s") }, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := h.Open(t)
			// Six events in four appends, and a neighbour stream.
			for _, a := range []council.Append{
				{Stream: "s", Expected: 0, Key: "a", Events: events("e", "a", 1)},
				{Stream: "s", Expected: 1, Key: "b", Events: events("f", "b", 2)},
				{Stream: "s", Expected: 3, Events: events("g", "c", 1)},
				{Stream: "s", Expected: 4, Key: "d", Events: events("h", "d", 2)},
				{Stream: "t", Expected: 0, Key: "a", Events: events("e", "t", 3)},
			} {
				MustAppend(t, s, a)
			}
			MustVerify(t, s, "s")
			tc.tamper(t, s)
			// a stream whose head row is gone is still listed, so verify checks it
			if names, err := s.Streams(context.Background()); err != nil || !slices.Contains(names, "s") {
				t.Fatalf("streams %v (%v): want s listed while it has events", names, err)
			}
			brk, _, err := council.VerifyStream(context.Background(), s, "s")
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if brk == nil {
				t.Fatal("verify found nothing wrong")
			}
			if brk.Stream != "s" || brk.Version != tc.want || brk.Reason == "" {
				t.Fatalf("verify: break %+v, want stream s at version %d with a reason", *brk, tc.want)
			}
			MustVerify(t, s, "t")
		})
	}
}
