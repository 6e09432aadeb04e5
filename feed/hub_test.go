package feed_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/feed"
)

// event is the event of version v of stream "c".
func event(v int64) council.StoredEvent {
	return council.StoredEvent{Stream: "c", Version: v, Type: "x", Data: []byte(fmt.Sprint(v))}
}

// source stands for the store: events are stored in it before they are published.
type source struct {
	mu    sync.Mutex
	evs   []council.StoredEvent
	calls [][2]int64 // the after and upTo of each backfill
}

func (s *source) store(evs ...council.StoredEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.evs = append(s.evs, evs...)
}

// publish stores versions from..to and publishes them to h.
func (s *source) publish(h *feed.Hub, from, to int64) {
	var evs []council.StoredEvent
	for v := from; v <= to; v++ {
		evs = append(evs, event(v))
	}
	s.store(evs...)
	h.Publish("c", evs)
}

func (s *source) backfill(ctx context.Context, after, upTo int64, fn func(council.StoredEvent) error) error {
	s.mu.Lock()
	s.calls = append(s.calls, [2]int64{after, upTo})
	evs := s.evs
	s.mu.Unlock()
	for _, e := range evs {
		if e.Version > after && e.Version <= upTo {
			if err := fn(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// read takes events from sub until it has version to, checking they follow after one by one. It
// fails the test if the channel closes first or nothing comes for a while.
func read(tb testing.TB, sub *feed.Sub, after, to int64) {
	tb.Helper()
	for want := after + 1; want <= to; want++ {
		select {
		case e, ok := <-sub.Events():
			if !ok {
				tb.Fatalf("closed at %d, want up to %d: %v", want-1, to, sub.Err())
			}
			if e.Version != want || string(e.Data) != fmt.Sprint(want) {
				tb.Fatalf("got version %d (%s), want %d", e.Version, e.Data, want)
			}
		case <-time.After(10 * time.Second):
			tb.Fatalf("nothing after %d, want up to %d", want-1, to)
		}
	}
}

// quiet fails if sub has an event waiting.
func quiet(tb testing.TB, sub *feed.Sub) {
	tb.Helper()
	select {
	case e, ok := <-sub.Events():
		tb.Fatalf("an extra event %d (open %v)", e.Version, ok)
	case <-time.After(20 * time.Millisecond):
	}
}

// closed waits for sub's channel to close, draining it, and returns Err.
func closed(tb testing.TB, sub *feed.Sub) error {
	tb.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case _, ok := <-sub.Events():
			if !ok {
				return sub.Err()
			}
		case <-timeout:
			tb.Fatal("the channel stays open")
		}
	}
}

// TestConcurrentPublish: subscribers come at random moments, resuming from random versions, while
// events are published in batches; some read slowly, are dropped and resume from where they were,
// as SSE clients do. Every one gets every event after its start exactly once, in order.
func TestConcurrentPublish(t *testing.T) {
	const n = 5000
	h := feed.NewHub(feed.RingSize(64), feed.Buffer(16))
	src := &source{}
	var published sync.Mutex
	last := int64(0)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for last < n {
			k := min(int64(1+rand.IntN(7)), n-last)
			published.Lock()
			src.publish(h, last+1, last+k)
			last += k
			published.Unlock()
			if rand.IntN(8) == 0 {
				time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
			}
		}
	}()
	var wg sync.WaitGroup
	var mu sync.Mutex
	resumed := map[string]int{}
	for i := range 60 {
		wg.Go(func() {
			time.Sleep(time.Duration(rand.IntN(20000)) * time.Microsecond)
			published.Lock()
			pos := int64(rand.IntN(int(last) + 1))
			published.Unlock()
			slow := i%4 == 0
			for pos < n {
				sub, err := h.Subscribe(context.Background(), "c", pos, src.backfill)
				if err != nil {
					t.Error(err)
					return
				}
				for e := range sub.Events() {
					if e.Version != pos+1 {
						t.Errorf("subscriber %d: version %d after %d", i, e.Version, pos)
						sub.Close()
						return
					}
					pos = e.Version
					if slow && rand.IntN(50) == 0 {
						time.Sleep(time.Millisecond)
					}
					if pos == n {
						break
					}
				}
				sub.Close()
				if pos < n {
					if err := sub.Err(); !errors.Is(err, feed.ErrSlow) {
						t.Errorf("subscriber %d ended at %d: %v", i, pos, err)
						return
					}
					mu.Lock()
					resumed[fmt.Sprint(sub.Err())]++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	<-done
	t.Logf("resumed after %v; %d backfills", resumed, len(src.calls))
	for deadline := time.Now().Add(5 * time.Second); h.Subscribers() != 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d subscribers left", h.Subscribers())
		}
	}
}

// TestResumeFromRing: a subscriber resuming within the ring gets what it missed, then what comes.
func TestResumeFromRing(t *testing.T) {
	h := feed.NewHub(feed.RingSize(128))
	src := &source{}
	src.publish(h, 1, 100)
	sub, err := h.Subscribe(context.Background(), "c", 50, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	read(t, sub, 50, 100)
	src.publish(h, 101, 110)
	read(t, sub, 100, 110)
	h.Publish("c", []council.StoredEvent{event(105), event(110)}) // published again: ignored
	quiet(t, sub)
	if h.Subscribers() != 1 {
		t.Errorf("%d subscribers, want 1", h.Subscribers())
	}
}

// TestResumeFromBackfill: a subscriber resuming before the ring reads the store up to the ring, then
// the ring, then what comes; without a backfill it ends with ErrTooOld.
func TestResumeFromBackfill(t *testing.T) {
	h := feed.NewHub(feed.RingSize(16), feed.Buffer(8))
	src := &source{}
	src.publish(h, 1, 100)
	sub, err := h.Subscribe(context.Background(), "c", 10, src.backfill)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	read(t, sub, 10, 100)
	for v := int64(101); v <= 120; v += 4 { // batches its buffer takes
		src.publish(h, v, v+3)
		read(t, sub, v-1, v+3)
	}
	quiet(t, sub)
	if len(src.calls) != 1 || src.calls[0] != [2]int64{10, 84} {
		t.Errorf("backfills %v, want one of 10..84", src.calls)
	}
	old, err := h.Subscribe(context.Background(), "c", 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := closed(t, old); !errors.Is(err, feed.ErrTooOld) {
		t.Errorf("without a backfill: %v, want ErrTooOld", err)
	}
}

// TestSlowDropped: a subscriber that does not read is dropped with ErrSlow once it is its buffer
// behind, while another gets every event, and publishing never waits.
func TestSlowDropped(t *testing.T) {
	h := feed.NewHub(feed.Buffer(8))
	src := &source{}
	ctx := context.Background()
	slow, _ := h.Subscribe(ctx, "c", 0, nil)
	fast, _ := h.Subscribe(ctx, "c", 0, nil)
	defer fast.Close()
	for v := int64(1); v <= 100; v++ {
		start := time.Now()
		src.publish(h, v, v)
		if d := time.Since(start); d > time.Second {
			t.Fatalf("publish took %v", d)
		}
		read(t, fast, v-1, v)
	}
	if err := closed(t, slow); !errors.Is(err, feed.ErrSlow) {
		t.Errorf("slow: %v, want ErrSlow", err)
	}
	if h.Subscribers() != 1 {
		t.Errorf("%d subscribers, want 1", h.Subscribers())
	}
}

// TestManySubscribers: every one of many subscribers gets every event.
func TestManySubscribers(t *testing.T) {
	const subs, n = 2000, 300
	h := feed.NewHub()
	src := &source{}
	var wg sync.WaitGroup
	for range subs {
		sub, err := h.Subscribe(context.Background(), "c", 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			defer sub.Close()
			read(t, sub, 0, n)
		})
	}
	for v := int64(1); v <= n; v += 3 {
		src.publish(h, v, v+2)
	}
	wg.Wait()
	if h.Subscribers() != 0 {
		t.Errorf("%d subscribers left", h.Subscribers())
	}
}

// TestCloseAndContext: Close and the end of the context close the channel and say why.
func TestCloseAndContext(t *testing.T) {
	h := feed.NewHub(feed.RingSize(8))
	src := &source{}
	src.publish(h, 1, 50)
	ctx, cancel := context.WithCancel(context.Background())
	a, _ := h.Subscribe(ctx, "c", 0, src.backfill) // catching up: blocked on its reader
	b, _ := h.Subscribe(ctx, "c", 50, nil)         // live
	c, _ := h.Subscribe(context.Background(), "c", 50, nil)
	if h.Subscribers() != 3 {
		t.Fatalf("%d subscribers, want 3", h.Subscribers())
	}
	cancel()
	for _, s := range []*feed.Sub{a, b} {
		if err := closed(t, s); !errors.Is(err, context.Canceled) {
			t.Errorf("after cancel: %v", err)
		}
	}
	c.Close()
	if err := closed(t, c); !errors.Is(err, feed.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
	if h.Subscribers() != 0 {
		t.Errorf("%d subscribers left", h.Subscribers())
	}
	if _, err := h.Subscribe(ctx, "c", 0, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("subscribe with an ended context: %v", err)
	}
}

// TestGap: events published past a gap end the live subscribers that miss them with ErrGap; one that
// resumes reads the missing ones from the store.
func TestGap(t *testing.T) {
	h := feed.NewHub()
	src := &source{}
	src.publish(h, 1, 10)
	sub, _ := h.Subscribe(context.Background(), "c", 10, nil)
	src.store(event(11), event(12), event(13), event(14), event(15), event(16), event(17), event(18), event(19))
	src.publish(h, 20, 25)
	if err := closed(t, sub); !errors.Is(err, feed.ErrGap) {
		t.Errorf("live across the gap: %v, want ErrGap", err)
	}
	again, _ := h.Subscribe(context.Background(), "c", 10, src.backfill)
	defer again.Close()
	read(t, again, 10, 25)
	quiet(t, again)
}
