package access

import (
	"fmt"
	"math"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestLimiter(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := NewLimiter(2, 3, WithClock(clock.now)) // 2 a second, 3 at once

	steps := []struct {
		name    string
		advance time.Duration
		key     string
		want    []bool // results of successive Allow calls
	}{
		{"burst then refused", 0, "a", []bool{true, true, true, false, false}},
		{"other key has its own bucket", 0, "b", []bool{true, true, true, false}},
		{"half a second refills one", 500 * time.Millisecond, "a", []bool{true, false}},
		{"a quarter second refills half", 250 * time.Millisecond, "a", []bool{false}},
		{"another quarter completes it", 250 * time.Millisecond, "a", []bool{true, false}},
		{"a long pause refills only up to the burst", time.Hour, "a", []bool{true, true, true, false}},
		{"a clock going back adds nothing", -time.Minute, "a", []bool{false}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			clock.advance(s.advance)
			for i, want := range s.want {
				if got := l.Allow(s.key); got != want {
					t.Fatalf("call %d: Allow(%q) = %v, want %v", i+1, s.key, got, want)
				}
			}
		})
	}
}

func TestLimiterForgets(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := NewLimiter(10, 5, WithClock(clock.now), WithMaxKeys(50))

	for i := range 20 {
		l.Allow(fmt.Sprint("idle-", i))
	}
	if n := l.Len(); n != 20 {
		t.Fatalf("%d keys remembered, want 20", n)
	}
	clock.advance(time.Second) // their buckets are full again: the next call forgets them
	l.Allow("busy")
	if n := l.Len(); n != 1 {
		t.Fatalf("%d keys remembered after the idle ones filled up, want 1", n)
	}

	for i := range 1000 { // many keys at once: never more than the maximum
		l.Allow(fmt.Sprint("flood-", i))
		if n := l.Len(); n > 50 {
			t.Fatalf("%d keys remembered, want at most 50", n)
		}
	}

	// An emptied bucket is not forgotten while it refills.
	l2 := NewLimiter(1, 2, WithClock(clock.now))
	l2.Allow("x")
	l2.Allow("x")
	clock.advance(500 * time.Millisecond)
	l2.Allow("y") // sweeps: x's bucket holds half a token, so it stays
	if l2.Len() != 2 || l2.Allow("x") {
		t.Fatal("x's emptied bucket was forgotten before it filled up")
	}
}

func TestLimiterConcurrent(t *testing.T) {
	l := NewLimiter(1e-9, 100) // practically no refill: exactly the burst passes
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if l.Allow("k") {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if allowed != 100 {
		t.Fatalf("%d allowed, want the burst of 100", allowed)
	}
}

func TestLimiterBurstAtLeastOne(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := NewLimiter(1, 0, WithClock(clock.now))
	if !l.Allow("k") || l.Allow("k") {
		t.Fatal("a burst of 0 should let one request through, then refuse")
	}
}

func TestNewLimiterPanics(t *testing.T) {
	for _, tc := range []struct {
		rate  float64
		burst int
	}{{0, 1}, {-1, 1}, {math.NaN(), 1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewLimiter(%v, %d) did not panic", tc.rate, tc.burst)
				}
			}()
			NewLimiter(tc.rate, tc.burst)
		}()
	}
}
