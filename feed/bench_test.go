package feed_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/feed"
)

// BenchmarkFanout10k measures how long an event takes from Publish to its receipt by each of 10,000
// subscribers of one council, each reading its channel in a goroutine of its own (as SSE handlers
// do). An op is one Publish of batch events; the next is published once every subscriber has the
// last, so the figures are the fan-out's own, without queueing. It reports the latency's p50, p99 and
// max over every delivery, and deliveries per second.
func BenchmarkFanout10k(b *testing.B) {
	for _, batch := range []int{1, 16} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) { fanout(b, 10_000, batch) })
	}
}

func fanout(b *testing.B, subs, batch int) {
	h := feed.NewHub()
	published := make([]int64, b.N*batch+1) // when each version was published, in Unix nanoseconds
	lat := make([][]time.Duration, subs)
	var remaining atomic.Int64
	all := make(chan struct{}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	for i := range subs {
		sub, err := h.Subscribe(ctx, "c", 0, nil)
		if err != nil {
			b.Fatal(err)
		}
		lat[i] = make([]time.Duration, 0, b.N*batch)
		wg.Go(func() {
			for e := range sub.Events() {
				lat[i] = append(lat[i], time.Duration(time.Now().UnixNano()-published[e.Version]))
				if remaining.Add(-1) == 0 {
					all <- struct{}{}
				}
			}
		})
	}
	evs := make([]council.StoredEvent, batch)
	b.ResetTimer()
	for n := range b.N {
		remaining.Store(int64(subs * batch))
		now := time.Now().UnixNano()
		for j := range evs {
			v := int64(n*batch + j + 1)
			published[v] = now
			evs[j] = council.StoredEvent{Stream: "c", Version: v, Type: "x", Data: []byte("{}")}
		}
		h.Publish("c", evs)
		select {
		case <-all:
		case <-time.After(30 * time.Second):
			b.Fatalf("event %d: %d deliveries missing, %d subscribers left", n, remaining.Load(), h.Subscribers())
		}
	}
	b.StopTimer()
	elapsed := b.Elapsed()
	cancel()
	wg.Wait()
	var merged []time.Duration
	for _, l := range lat {
		merged = append(merged, l...)
	}
	if len(merged) != subs*batch*b.N {
		b.Fatalf("%d deliveries, want %d", len(merged), subs*batch*b.N)
	}
	slices.Sort(merged)
	at := func(q float64) float64 { return float64(merged[int(q*float64(len(merged)-1))]) / 1e6 }
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(at(1), "max-ms")
	b.ReportMetric(float64(len(merged))/elapsed.Seconds(), "deliveries/s")
}
