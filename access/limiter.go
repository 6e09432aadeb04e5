package access

import (
	"container/list"
	"math"
	"sync"
	"time"
)

// DefaultMaxKeys is how many keys a Limiter remembers at most unless told otherwise.
const DefaultMaxKeys = 100_000

// Limiter is a token bucket per key (a grant's id, a client's address): each key may make burst
// requests at once, then rate a second. A bucket left alone fills up again, and a full bucket is the
// same as none, so the Limiter forgets it: it keeps its buckets from the most recently used to the
// least, and drops the least recently used while they are full, or while it holds more than its
// maximum of keys (a key dropped early comes back with a full bucket). Memory is so bounded without a
// goroutine. It is safe for concurrent use.
type Limiter struct {
	rate    float64 // tokens a second
	burst   float64
	maxKeys int
	now     func() time.Time

	mu      sync.Mutex
	buckets map[string]*list.Element // of *bucket
	lru     list.List                // front: most recently used
}

// bucket is one key's tokens as of last.
type bucket struct {
	key    string
	tokens float64
	last   time.Time
}

// LimiterOption changes how NewLimiter makes a Limiter.
type LimiterOption func(*Limiter)

// WithClock makes the Limiter read the time from now instead of time.Now, for tests.
func WithClock(now func() time.Time) LimiterOption { return func(l *Limiter) { l.now = now } }

// WithMaxKeys bounds how many keys the Limiter remembers (DefaultMaxKeys unless given; at least 1).
func WithMaxKeys(n int) LimiterOption { return func(l *Limiter) { l.maxKeys = max(n, 1) } }

// NewLimiter returns a Limiter that lets each key make burst requests at once and rate a second after
// that. A burst below 1 counts as 1. It panics unless rate is positive.
func NewLimiter(rate float64, burst int, opts ...LimiterOption) *Limiter {
	if !(rate > 0) {
		panic("access: NewLimiter needs a positive rate")
	}
	burst = max(burst, 1)
	l := &Limiter{rate: rate, burst: float64(burst), maxKeys: DefaultMaxKeys, now: time.Now, buckets: map[string]*list.Element{}}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Allow reports whether key may make a request now, and if so takes a token from its bucket.
func (l *Limiter) Allow(key string) bool {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	var b *bucket
	if el, ok := l.buckets[key]; ok {
		b = el.Value.(*bucket)
		b.tokens = l.fill(b, now)
		b.last = now
		l.lru.MoveToFront(el)
	} else {
		b = &bucket{key: key, tokens: l.burst, last: now}
		l.buckets[key] = l.lru.PushFront(b)
	}
	ok := b.tokens >= 1
	if ok {
		b.tokens--
	}
	l.sweep(now)
	return ok
}

// Len is how many keys the Limiter remembers.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// fill is how many tokens b holds at now.
func (l *Limiter) fill(b *bucket, now time.Time) float64 {
	elapsed := now.Sub(b.last).Seconds()
	if elapsed <= 0 {
		return b.tokens // a clock that went back adds nothing
	}
	return math.Min(l.burst, b.tokens+elapsed*l.rate)
}

// sweep forgets the least recently used buckets while they are full again, or while there are too
// many. It stops at the first that is neither, so each call does little.
func (l *Limiter) sweep(now time.Time) {
	for l.lru.Len() > 0 {
		el := l.lru.Back()
		b := el.Value.(*bucket)
		if l.lru.Len() <= l.maxKeys && l.fill(b, now) < l.burst {
			return
		}
		l.lru.Remove(el)
		delete(l.buckets, b.key)
	}
}
