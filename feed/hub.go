// Package feed fans the events of councils out to many live subscribers, such as the Server-Sent
// Events streams of a web server, in order, without letting a slow subscriber hold up the others.
//
// A councils.Service hands every event it absorbs to Hub.Publish (through Service.OnEvents). Each
// subscriber names the last version it has (an SSE client's Last-Event-ID) and gets every event
// after it exactly once, in version order: the older ones from the hub's ring of recent events or,
// before that, from the store (a Backfill), then the new ones as they are published.
//
// Publish never waits for a subscriber: it puts the events in the council's ring and wakes the
// council's dispatcher, a goroutine that hands them to the subscribers' channels. A subscriber more
// than its buffer behind is dropped (its channel closed, Err ErrSlow); its client reconnects with its
// Last-Event-ID and resumes. Memory is bounded: per council, the ring and the dispatcher's window of
// the last buffer events; per subscriber, a small channel.
package feed

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opencouncil/council"
)

// Why a subscription ended, as Sub.Err says; a context's error when its context ended.
var (
	// ErrSlow: the subscriber fell more than its buffer behind (or the hub fell behind its ring).
	ErrSlow = errors.New("feed: the subscriber fell too far behind")
	// ErrClosed: Sub.Close was called.
	ErrClosed = errors.New("feed: the subscription was closed")
	// ErrGap: the hub was not published some events the subscriber needs (or the store lacks them):
	// subscribe again, with a Backfill.
	ErrGap = errors.New("feed: events are missing")
	// ErrTooOld: the subscriber resumes from before the hub's ring, and no Backfill was given.
	ErrTooOld = errors.New("feed: the events to resume from are no longer kept, and there is no backfill")
)

// Defaults of the options.
const (
	DefaultRingSize = 4096 // recent events kept per council
	DefaultBuffer   = 1024 // how far behind a subscriber may fall
)

const (
	chanSize  = 32                    // a subscriber channel's capacity (at most its buffer): the rest waits in the window
	chunkSize = 256                   // events a catching-up subscriber copies from the ring at a time
	retryMin  = time.Millisecond      // the dispatcher's first wait before trying subscribers behind again
	retryMax  = 50 * time.Millisecond // its longest, while none of them takes anything
)

// Option sets up a Hub.
type Option func(*Hub)

// RingSize sets how many recent events the hub keeps per council, for subscribers that resume; older
// ones come from the store. It is raised to the buffer if smaller.
func RingSize(n int) Option { return func(h *Hub) { h.ringSize = n } }

// Buffer sets how many events a subscriber may fall behind the newest before it is dropped.
func Buffer(n int) Option { return func(h *Hub) { h.buffer = n } }

// Hub fans each council's events out to its subscribers, in order, without letting a slow subscriber
// stall the others. It is safe for concurrent use.
type Hub struct {
	ringSize, buffer int

	mu      sync.Mutex
	streams map[string]*stream

	subs atomic.Int64 // subscriptions not ended
}

// NewHub returns a hub; see RingSize and Buffer for its options.
func NewHub(opts ...Option) *Hub {
	h := &Hub{ringSize: DefaultRingSize, buffer: DefaultBuffer, streams: map[string]*stream{}}
	for _, o := range opts {
		o(h)
	}
	h.buffer = max(h.buffer, 1)
	h.ringSize = max(h.ringSize, h.buffer)
	return h
}

// Subscribers is how many subscriptions are open, for metrics.
func (h *Hub) Subscribers() int { return int(h.subs.Load()) }

// stream is one council's feed: its ring of recent events, its live subscribers and its dispatcher.
type stream struct {
	hub *Hub

	mu      sync.Mutex
	ring    []council.StoredEvent // the newest events, in a circle once full: the oldest at ring[head]
	head    int
	last    int64 // the newest version published
	floor   int64 // the first version of the run the ring holds, published without a gap
	sent    int64 // the newest version the dispatcher took for the live subscribers
	live    []*Sub
	running bool          // the dispatcher runs
	wake    chan struct{} // tells a running dispatcher of new events

	// The dispatcher's, or Publish's while none runs: the events up to sent, the last buffer (to
	// twice that) of them, which live subscribers behind still need.
	window []council.StoredEvent
	wfirst int64 // the version of window[0], or sent+1 while it is empty
}

// stream returns a council's stream, made on first use.
func (h *Hub) stream(name string) *stream {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := h.streams[name]
	if st == nil {
		st = &stream{hub: h, wake: make(chan struct{}, 1), wfirst: 1}
		h.streams[name] = st
	}
	return st
}

// first is the version of the oldest event in the ring (last+1 when it is empty).
func (st *stream) first() int64 { return st.last - int64(len(st.ring)) + 1 }

// appendRange appends the ring's events of versions from to to.
func (st *stream) appendRange(dst []council.StoredEvent, from, to int64) []council.StoredEvent {
	base := st.first()
	for v := from; v <= to; v++ {
		dst = append(dst, st.ring[(st.head+int(v-base))%len(st.ring)])
	}
	return dst
}

// Publish adds a council's newly stored events, in version order, and hands them to its subscribers;
// a version not above the last published is ignored. It never waits for a subscriber. Feed it from
// councils.Service.OnEvents: hub.Publish fits as the function.
func (h *Hub) Publish(name string, evs []council.StoredEvent) {
	st := h.stream(name)
	st.mu.Lock()
	defer st.mu.Unlock()
	added := false
	for _, e := range evs {
		if e.Version <= st.last {
			continue
		}
		if e.Version != st.last+1 { // a gap (or a first event past 1): the ring starts again here
			clear(st.ring)
			st.ring, st.head, st.floor = st.ring[:0], 0, e.Version
		}
		if len(st.ring) < h.ringSize {
			st.ring = append(st.ring, e)
		} else {
			st.ring[st.head] = e
			st.head = (st.head + 1) % len(st.ring)
		}
		st.last = e.Version
		added = true
	}
	switch {
	case !added:
	case st.running:
		select {
		case st.wake <- struct{}{}:
		default:
		}
	case len(st.live) == 0: // nobody to hand them to: the next subscriber starts from here
		clear(st.window)
		st.sent, st.window, st.wfirst = st.last, st.window[:0], st.last+1
	default:
		st.running = true
		go st.dispatch()
	}
}

// dispatch hands the new events to the live subscribers, and tries those behind again until they
// have caught up or are dropped; it ends when there is nothing left to do.
func (st *stream) dispatch() {
	var subs, dropped []*Sub
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	delay := retryMin
	behind := false
	for {
		st.mu.Lock()
		fresh := st.last > st.sent
		if fresh {
			st.take()
		}
		if !fresh && (!behind || len(st.live) == 0) {
			st.running = false
			st.mu.Unlock()
			return
		}
		subs = append(subs[:0], st.live...)
		floor := st.floor
		st.mu.Unlock()

		behind = false
		progress := fresh
		for _, s := range subs {
			b, p, drop := s.deliver(st.window, st.wfirst, floor, st.hub.buffer)
			behind, progress = behind || b, progress || p
			if drop {
				dropped = append(dropped, s)
			}
		}
		if len(dropped) > 0 {
			st.mu.Lock()
			for _, s := range dropped {
				st.removeLocked(s)
			}
			st.mu.Unlock()
			clear(dropped)
			dropped = dropped[:0]
		}
		clear(subs)
		if !behind {
			delay = retryMin
			continue
		}
		if progress {
			delay = retryMin
		} else {
			delay = min(2*delay, retryMax)
		}
		timer.Reset(delay)
		select {
		case <-st.wake:
			timer.Stop()
		case <-timer.C:
		}
	}
}

// take moves the events published since the last take into the window, keeping the newest buffer
// of them at least. A ring that lost events the dispatcher had not taken yet (it fell a ring behind,
// or the events came with a gap) starts the window again; subscribers that needed them are dropped
// when they are next served.
func (st *stream) take() {
	from := max(st.sent+1, st.first())
	if from != st.sent+1 || len(st.window) == 0 {
		clear(st.window)
		st.window, st.wfirst = st.window[:0], from
	}
	st.window = st.appendRange(st.window, from, st.last)
	st.sent = st.last
	if extra := len(st.window) - st.hub.buffer; extra > st.hub.buffer {
		n := copy(st.window, st.window[extra:])
		clear(st.window[n:])
		st.window = st.window[:n]
		st.wfirst += int64(extra)
	}
}

// removeLocked takes a subscriber out of the live ones, if it is there; st.mu is held.
func (st *stream) removeLocked(s *Sub) {
	i := s.idx
	if i < 0 || i >= len(st.live) || st.live[i] != s {
		return
	}
	last := len(st.live) - 1
	st.live[i] = st.live[last]
	st.live[i].idx = i
	st.live[last] = nil
	st.live = st.live[:last]
	s.idx = -1
}

// Backfill reads a council's stored events after version after, up to and including upTo, in order,
// calling fn with each; it stops early when fn returns an error, and returns it. Subscribe uses it
// for events older than the hub keeps. StoreBackfill makes one of an event store.
type Backfill func(ctx context.Context, after, upTo int64, fn func(council.StoredEvent) error) error

// errEnough stops a store's Read once it is past upTo.
var errEnough = errors.New("feed: read enough")

// StoreBackfill is a Backfill that reads a stream of an event store.
func StoreBackfill(st council.EventStore, stream string) Backfill {
	return func(ctx context.Context, after, upTo int64, fn func(council.StoredEvent) error) error {
		err := st.Read(ctx, stream, after, func(e council.StoredEvent) error {
			if e.Version > upTo {
				return errEnough
			}
			return fn(e)
		})
		if errors.Is(err, errEnough) {
			return nil
		}
		return err
	}
}
