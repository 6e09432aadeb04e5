package feed

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/opencouncil/council"
)

// Sub is one subscription to a council's events: an SSE stream, say.
//
// A subscription starts catching up: a goroutine of its own sends it the events it lacks, from the
// store (Backfill) while they are older than the ring, then from the ring, waiting for its reader as
// needed. Once it has every event the dispatcher has handed out, it joins the live subscribers (under
// the stream's lock, so no event falls between) and the dispatcher sends it the rest, never waiting:
// what its channel cannot take yet stays in the dispatcher's window, and a subscriber more than its
// buffer behind is dropped.
type Sub struct {
	hub    *Hub
	st     *stream
	ch     chan council.StoredEvent
	ctx    context.Context // ends with the subscription: backfills run under it
	cancel context.CancelFunc

	// guarded by mu; in the live state the dispatcher sends on ch under mu, so ending can close it
	mu        sync.Mutex
	pos       int64 // the last version sent on ch
	live      bool  // the dispatcher serves it; before, its catch-up goroutine does and closes ch
	ended     bool
	err       error
	stopAfter func() bool // unregisters the watch of the subscriber's context

	idx int // its index in st.live, or -1 (guarded by st.mu)
}

// Subscribe subscribes to a council's events after version after (0: from the first; an SSE client's
// Last-Event-ID to resume). Every event after it arrives on Events once, in version order, without a
// gap, however events are published meanwhile. Events older than the hub's ring are read with
// backfill (nil: such a subscription ends with ErrTooOld). The hub knows only the events published to
// it: a server loads a council (councils.Service.Version) before subscribing to it, so its events are
// published. The subscription ends when ctx does, on Close, or when it falls too far behind.
func (h *Hub) Subscribe(ctx context.Context, stream string, after int64, backfill Backfill) (*Sub, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st := h.stream(stream)
	sctx, cancel := context.WithCancel(ctx)
	s := &Sub{hub: h, st: st, ch: make(chan council.StoredEvent, min(h.buffer, chanSize)), ctx: sctx, cancel: cancel, pos: max(after, 0), idx: -1}
	h.subs.Add(1)
	s.mu.Lock()
	s.stopAfter = context.AfterFunc(ctx, func() { s.end(ctx.Err()) })
	s.mu.Unlock()
	st.mu.Lock()
	joined, ended := s.joinLocked(s.pos)
	st.mu.Unlock()
	switch {
	case ended: // ctx ended meanwhile
		close(s.ch)
	case !joined:
		go s.catchUp(ctx, s.pos, backfill)
	}
	return s, nil
}

// Events delivers every event after the subscription's start, once, in version order. It is closed
// when the subscription ends; Err then says why. A reader that writes to a network does well to take
// every event waiting (len of the channel) before it flushes.
func (s *Sub) Events() <-chan council.StoredEvent { return s.ch }

// Err is why the subscription ended: ErrSlow, ErrClosed, ErrGap, ErrTooOld, its context's error or a
// backfill's; nil while it runs.
func (s *Sub) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close ends the subscription; its channel is closed (once any event being sent is taken, while it
// catches up).
func (s *Sub) Close() { s.end(ErrClosed) }

// end ends the subscription with err, unless it has ended.
func (s *Sub) end(err error) {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.endLocked(err)
	live := s.live
	s.mu.Unlock()
	if live {
		s.st.mu.Lock()
		s.st.removeLocked(s)
		s.st.mu.Unlock()
	}
}

// endLocked ends the subscription with s.mu held; a live one's channel is closed here, a catching-up
// one's by its goroutine.
func (s *Sub) endLocked(err error) {
	s.ended, s.err = true, err
	s.cancel()
	if s.stopAfter != nil {
		s.stopAfter()
	}
	s.hub.subs.Add(-1)
	if s.live {
		close(s.ch)
	}
}

// joinLocked makes the subscription live if, at version pos, it has every event the dispatcher
// handed out; the stream's lock is held. It reports whether it joined, or that it had ended.
func (s *Sub) joinLocked(pos int64) (joined, ended bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.ended:
		return false, true
	case pos < s.st.sent:
		return false, false
	}
	s.live, s.pos, s.idx = true, pos, len(s.st.live)
	s.st.live = append(s.st.live, s)
	return true, false
}

// deliver sends a live subscriber the events of the window it has not had, as many as its channel
// takes. It reports whether the subscriber is still behind, whether it took any event, and whether it
// was dropped: more than its buffer behind, or needing events the window no longer has.
func (s *Sub) deliver(window []council.StoredEvent, wfirst, floor int64, buffer int) (behind, progress, drop bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	wlast := wfirst + int64(len(window)) - 1
	if s.ended || s.pos >= wlast {
		return false, false, false
	}
	if s.pos+1 < wfirst {
		err := ErrSlow
		if s.pos+1 < floor {
			err = fmt.Errorf("%w: the hub was not given events %d to %d", ErrGap, s.pos+1, floor-1)
		}
		s.endLocked(err)
		return false, false, true
	}
	for _, e := range window[s.pos+1-wfirst:] {
		select {
		case s.ch <- e:
			s.pos, progress = e.Version, true
		default:
			if wlast-s.pos+int64(len(s.ch)) > int64(buffer) { // events its reader has yet to take
				s.endLocked(ErrSlow)
				return false, progress, true
			}
			return true, progress, false
		}
	}
	return false, progress, false
}

// catchUp is a catching-up subscription's goroutine: it sends the events after pos until the
// subscription joins the live ones, or ends.
func (s *Sub) catchUp(ctx context.Context, pos int64, backfill Backfill) {
	if err := s.pump(pos, backfill); err != nil {
		if s.ctx.Err() != nil && ctx.Err() != nil {
			err = ctx.Err() // it ended because its context did
		}
		s.end(err) // nothing, if it ended first
		close(s.ch)
	}
}

// errEnded stops a catch-up whose subscription ended, or whose context did.
var errEnded = errors.New("feed: ended")

// pump sends the events after pos, from the store while they are older than the ring and then from
// the ring, and joins the live subscribers once it has what the dispatcher handed out. It returns nil
// once joined.
func (s *Sub) pump(pos int64, backfill Backfill) error {
	st := s.st
	var chunk []council.StoredEvent
	for {
		st.mu.Lock()
		joined, ended := s.joinLocked(pos)
		if joined || ended {
			st.mu.Unlock()
			if ended {
				return errEnded
			}
			return nil
		}
		first := st.first()
		if pos+1 < first {
			st.mu.Unlock()
			if backfill == nil {
				return ErrTooOld
			}
			var err error
			if pos, err = s.backfill(backfill, pos, first-1); err != nil {
				return err
			}
			continue
		}
		chunk = st.appendRange(chunk[:0], pos+1, min(st.sent, pos+chunkSize))
		st.mu.Unlock()
		for _, e := range chunk {
			if !s.send(e) {
				return errEnded
			}
			pos = e.Version
		}
		clear(chunk)
	}
}

// backfill sends the stored events after pos up to upTo, and returns the last version sent.
func (s *Sub) backfill(backfill Backfill, pos, upTo int64) (int64, error) {
	err := backfill(s.ctx, pos, upTo, func(e council.StoredEvent) error {
		switch {
		case e.Version <= pos:
			return nil
		case e.Version > upTo:
			return errEnough
		case e.Version != pos+1:
			return fmt.Errorf("%w: the store skips from version %d to %d", ErrGap, pos, e.Version)
		case !s.send(e):
			return errEnded
		}
		pos = e.Version
		return nil
	})
	switch {
	case errors.Is(err, errEnough):
	case err != nil:
		if s.ctx.Err() != nil {
			return pos, errEnded
		}
		return pos, fmt.Errorf("feed: backfill: %w", err)
	case pos < upTo:
		return pos, fmt.Errorf("%w: the store has events up to %d, the hub from %d", ErrGap, pos, upTo+1)
	}
	return pos, nil
}

// send sends an event while catching up, waiting for the reader; it reports false once the
// subscription has ended.
func (s *Sub) send(e council.StoredEvent) bool {
	select {
	case s.ch <- e:
		return true
	case <-s.ctx.Done():
		return false
	}
}
