package groupcommit_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/groupcommit"
)

// recorder is a WriteFunc that notes the size of every batch and answers each append with its stream.
type recorder struct {
	mu      sync.Mutex
	batches []int
	slow    time.Duration
	fail    error
}

func (r *recorder) write(ctx context.Context, batch []council.Append) ([]groupcommit.Outcome, error) {
	time.Sleep(r.slow) // a sync
	r.mu.Lock()
	r.batches = append(r.batches, len(batch))
	r.mu.Unlock()
	if r.fail != nil {
		return nil, r.fail
	}
	out := make([]groupcommit.Outcome, len(batch))
	for i, a := range batch {
		out[i].Appended.Events = []council.StoredEvent{{Stream: a.Stream}}
	}
	return out, nil
}

func TestCommitterBatchesConcurrentAppends(t *testing.T) {
	r := &recorder{slow: 5 * time.Millisecond}
	c := groupcommit.New(r.write, 64)
	defer c.Close()
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stream := string(rune('a' + i%26))
			res, err := c.Append(context.Background(), council.Append{Stream: stream})
			if err != nil || len(res.Events) != 1 || res.Events[0].Stream != stream {
				t.Errorf("append %d: %+v %v", i, res, err)
			}
		}()
	}
	wg.Wait()
	total, most := 0, 0
	for _, n := range r.batches {
		total += n
		most = max(most, n)
	}
	if total != 200 || most > 64 || len(r.batches) >= 200 {
		t.Errorf("batches %v: want 200 appends in batches of at most 64, fewer batches than appends", r.batches)
	}
}

func TestCommitterErrors(t *testing.T) {
	boom := errors.New("disk full")
	r := &recorder{fail: boom}
	c := groupcommit.New(r.write, 8)
	if _, err := c.Append(context.Background(), council.Append{Stream: "s"}); !errors.Is(err, boom) {
		t.Errorf("a failed batch: %v, want its error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Append(ctx, council.Append{Stream: "s"}); err == nil {
		t.Error("an append with a cancelled context was acknowledged")
	}
	c.Close()
	c.Close() // twice is fine
	if _, err := c.Append(context.Background(), council.Append{Stream: "s"}); !errors.Is(err, groupcommit.ErrClosed) {
		t.Errorf("after Close: %v, want ErrClosed", err)
	}
}

// TestLingerGathersReturningWriters: writers that append again as soon as they are acknowledged end
// up in fewer, larger batches with Linger than without.
func TestLingerGathersReturningWriters(t *testing.T) {
	batches := func(opts ...groupcommit.Option) int {
		r := &recorder{slow: time.Millisecond}
		c := groupcommit.New(r.write, 1024, opts...)
		defer c.Close()
		var wg sync.WaitGroup
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 20 {
					if _, err := c.Append(context.Background(), council.Append{Stream: "s"}); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.batches)
	}
	plain, lingering := batches(), batches(groupcommit.Linger(200*time.Microsecond, 5*time.Millisecond))
	if lingering >= plain {
		t.Errorf("%d batches with Linger, %d without: want fewer with", lingering, plain)
	}
}
