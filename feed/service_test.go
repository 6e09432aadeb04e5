package feed_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/councils"
	"github.com/opencouncil/council/feed"
	"github.com/opencouncil/council/scenario"
	"github.com/opencouncil/council/sqlite/sqlitetest"
)

// TestServiceFeed: a hub fed by a service's OnEvents gives a subscriber who came before the council
// every event as stored, and one who resumes later, from before the ring, the rest, read from the
// store; events another process appended arrive after Refresh.
func TestServiceFeed(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.Open(t)
	sc, err := scenario.Load(filepath.Join("..", "examples", "scenarios", "ukraine-2022.yaml"), scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := feed.NewHub(feed.RingSize(16), feed.Buffer(16))
	svc := councils.NewService(st, nil)
	svc.OnEvents(h.Publish)
	early, err := h.Subscribe(ctx, "c", 0, feed.StoreBackfill(st, "c"))
	if err != nil {
		t.Fatal(err)
	}
	defer early.Close()
	got := make(chan []council.StoredEvent, 1)
	go func() {
		var evs []council.StoredEvent
		for e := range early.Events() {
			evs = append(evs, e)
			if e.Version == 40 {
				break
			}
		}
		got <- evs
	}()
	if err := svc.Create(ctx, "c", sc.Def); err != nil {
		t.Fatal(err)
	}
	for _, step := range sc.Steps[:4] { // up to an open meeting
		if _, _, err := svc.Do(ctx, "c", "", step.Command); err != nil {
			t.Fatal(err)
		}
	}
	members := []string{"ALB", "BRA", "CHN", "FRA", "GAB", "GHA", "IND", "IRL", "KEN", "MEX", "NOR", "RUS", "ARE", "GBR", "USA"}
	var wg sync.WaitGroup
	for i, m := range members[:10] {
		wg.Go(func() {
			for j := range 3 {
				cmd := &council.Statement{Meeting: "m8979", By: m, Text: fmt.Sprint(i, j)}
				if _, _, err := svc.Do(ctx, "c", fmt.Sprint(m, j), cmd); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	// another process appends: this service feeds it once it catches up
	other := councils.NewService(st, nil)
	for j := range 5 {
		cmd := &council.Statement{Meeting: "m8979", By: "USA", Text: fmt.Sprint("other ", j)}
		if _, _, err := other.Do(ctx, "c", "", cmd); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.Refresh(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	var stored []council.StoredEvent
	if err := st.Read(ctx, "c", 0, func(e council.StoredEvent) error { stored = append(stored, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(stored) != 40 {
		t.Fatalf("%d events stored, want 40", len(stored))
	}
	var evs []council.StoredEvent
	select {
	case evs = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("the early subscriber did not get every event")
	}
	same(t, evs, stored)

	late, err := h.Subscribe(ctx, "c", 3, feed.StoreBackfill(st, "c"))
	if err != nil {
		t.Fatal(err)
	}
	defer late.Close()
	evs = evs[:0]
	for len(evs) < 37 {
		select {
		case e := <-late.Events():
			evs = append(evs, e)
		case <-time.After(10 * time.Second):
			t.Fatalf("the late subscriber got %d events, want 37: %v", len(evs), late.Err())
		}
	}
	same(t, evs, stored[3:])
}

func same(tb testing.TB, got, want []council.StoredEvent) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("%d events, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i].Version != want[i].Version || got[i].Hash != want[i].Hash || got[i].Key != want[i].Key {
			tb.Fatalf("event %d: version %d key %q, want version %d key %q (same hash)", i, got[i].Version, got[i].Key, want[i].Version, want[i].Key)
		}
	}
}
