// Package groupcommit batches concurrent appends into one transaction and one sync. While a batch is
// being written and synced, the appends that arrive wait together and go into the next batch, so many
// writers share each sync without any added delay, and an append is acknowledged only once the batch
// that holds it is durable. The stores (package sqlite, package postgres) supply the transaction.
package groupcommit

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/opencouncil/council"
)

// Outcome is what became of one append in a batch.
type Outcome struct {
	Appended council.Appended
	Err      error // a conflict, for this append alone
}

// WriteFunc writes a batch of appends in one transaction and makes it durable. It returns one outcome
// per append, in order. An error means no append of the batch is acknowledged: nothing was written, or
// (a connection lost during the commit) whether it was is not known, and a retry with the same
// idempotency key finds out safely.
type WriteFunc func(ctx context.Context, batch []council.Append) ([]Outcome, error)

// ErrClosed is returned for appends made after Close.
var ErrClosed = errors.New("store is closed")

// Committer runs one writer that takes the appends waiting and writes them as one batch.
type Committer struct {
	write       WriteFunc
	maxBatch    int
	gap, linger time.Duration
	queue       chan *pending

	mu     sync.RWMutex // held for reading while an append is queued, for writing by Close
	closed bool
	done   chan struct{}
}

type pending struct {
	ctx  context.Context
	a    council.Append
	done chan Outcome
}

// New starts a committer that writes batches of at most maxBatch appends with write.
func New(write WriteFunc, maxBatch int, opts ...Option) *Committer {
	if maxBatch < 1 {
		maxBatch = 1
	}
	c := &Committer{write: write, maxBatch: maxBatch, queue: make(chan *pending, maxBatch), done: make(chan struct{})}
	for _, o := range opts {
		o(c)
	}
	go c.run()
	return c
}

// Append queues an append and waits until its batch is durable, or ctx ends. An append whose
// context ended before its batch was written is not written.
func (c *Committer) Append(ctx context.Context, a council.Append) (council.Appended, error) {
	p := pendings.Get().(*pending)
	p.ctx, p.a = ctx, a
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		p.release()
		return council.Appended{}, ErrClosed
	}
	select {
	case c.queue <- p:
		c.mu.RUnlock()
	case <-ctx.Done():
		c.mu.RUnlock()
		p.release()
		return council.Appended{}, ctx.Err()
	}
	// Once queued, wait for the outcome even if ctx ends: the batch may already be on its way to disk,
	// and an acknowledged append must be reported as such.
	o := <-p.done
	p.release() // the writer sent its one outcome and no longer looks at p
	return o.Appended, o.Err
}

// pendings keeps pending appends and their channels for reuse: under load, one per append was a
// quarter of what the stores allocated.
var pendings = sync.Pool{New: func() any { return &pending{done: make(chan Outcome, 1)} }}

func (p *pending) release() {
	p.ctx, p.a = nil, council.Append{}
	pendings.Put(p)
}

// Close writes the appends already queued and stops the writer.
func (c *Committer) Close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.queue)
	}
	c.mu.Unlock()
	<-c.done
}

// Linger makes a committer gather a batch a little longer under load. The writers of the last batch
// come back one after another just after their acknowledgement, so a batch that starts at once holds
// only those already back. With Linger, when the last batch held more than one append, the next waits
// while appends keep arriving, each within gap of the one before, for at most max in all. It pays where
// a batch's cost hardly grows with its size (PostgreSQL's round trips); SQLite's single writer is better
// off without it (measured in docs/storage.md).
func Linger(gap, max time.Duration) Option {
	return func(c *Committer) { c.gap, c.linger = gap, max }
}

// Option changes how a Committer gathers its batches.
type Option func(*Committer)

func (c *Committer) run() {
	defer close(c.done)
	batch := make([]*pending, 0, c.maxBatch)
	appends := make([]council.Append, 0, c.maxBatch)
	last := 0
	for first := range c.queue {
		batch = append(batch[:0], first)
		c.fill(&batch, c.linger > 0 && last > 1)
		last = len(batch)
		// Drop appends whose callers gave up before the batch was written.
		live := batch[:0]
		for _, p := range batch {
			if err := p.ctx.Err(); err != nil {
				p.done <- Outcome{Err: err}
				continue
			}
			live = append(live, p)
		}
		if len(live) == 0 {
			continue
		}
		appends = appends[:0]
		for _, p := range live {
			appends = append(appends, p.a)
		}
		outs, err := c.write(context.Background(), appends)
		for i, p := range live {
			switch {
			case err != nil:
				p.done <- Outcome{Err: err}
			case i < len(outs):
				p.done <- outs[i]
			default:
				p.done <- Outcome{Err: errors.New("groupcommit: write returned too few outcomes")}
			}
		}
	}
}

// fill adds the appends waiting to the batch and, when wait is set, those that keep arriving.
func (c *Committer) fill(batch *[]*pending, wait bool) {
	var timer *time.Timer
	deadline := time.Now().Add(c.linger)
	for len(*batch) < c.maxBatch {
		select {
		case p, ok := <-c.queue:
			if !ok {
				return
			}
			*batch = append(*batch, p)
			continue
		default:
		}
		left := time.Until(deadline)
		if !wait || left <= 0 {
			return
		}
		if timer == nil {
			timer = time.NewTimer(min(c.gap, left))
			defer timer.Stop()
		} else {
			timer.Reset(min(c.gap, left))
		}
		select {
		case p, ok := <-c.queue:
			if !ok {
				return
			}
			*batch = append(*batch, p)
		case <-timer.C:
			return
		}
	}
}
