package storetest_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/storetest"
)

// memStore is the smallest store that keeps the contract; it checks the suite itself.
type memStore struct {
	data   *memData
	mu     sync.Mutex
	closed bool
}

type memData struct {
	mu      sync.Mutex
	events  map[string][]council.StoredEvent // by stream, in stored order (tampering may break it)
	heads   map[string]council.StoredEvent   // the head row: version and hash
	streams map[string]bool
	keys    map[string][]council.StoredEvent // by stream and key: what that append stored
}

var _ council.EventStore = (*memStore)(nil)

var errClosed = errors.New("closed")

func (s *memStore) check(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
	}
	return ctx.Err()
}

func (s *memStore) Append(ctx context.Context, a council.Append) (council.Appended, error) {
	if err := s.check(ctx); err != nil {
		return council.Appended{}, err
	}
	d := s.data
	d.mu.Lock()
	defer d.mu.Unlock()
	evs := d.events[a.Stream]
	if prior, ok := d.keys[a.Stream+"\x00"+a.Key]; ok && a.Key != "" {
		return council.Appended{Events: slices.Clone(prior), Duplicate: true}, nil
	}
	head := d.heads[a.Stream]
	if head.Version != a.Expected {
		return council.Appended{}, council.Errorf(council.EConflict, "stream %s is at version %d, not %d", a.Stream, head.Version, a.Expected)
	}
	sealed := council.Seal(a.Stream, head.Version, head.Hash, a.Key, a.Events)
	d.events[a.Stream] = append(evs, sealed...)
	d.heads[a.Stream] = sealed[len(sealed)-1]
	d.streams[a.Stream] = true
	for i, e := range sealed {
		switch {
		case i == 0 && e.Key != "":
			d.keys[a.Stream+"\x00"+e.Key] = sealed // the append's key: all it stored
		case e.Key != "":
			d.keys[a.Stream+"\x00"+e.Key] = sealed[i : i+1] // an event's own key: that event
		}
	}
	return council.Appended{Events: sealed}, nil
}

func (s *memStore) Read(ctx context.Context, stream string, after int64, fn func(council.StoredEvent) error) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	s.data.mu.Lock()
	evs := slices.Clone(s.data.events[stream])
	s.data.mu.Unlock()
	slices.SortStableFunc(evs, func(a, b council.StoredEvent) int { return int(a.Version - b.Version) })
	for _, e := range evs {
		if e.Version <= after {
			continue
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (s *memStore) Head(ctx context.Context, stream string) (int64, [32]byte, error) {
	if err := s.check(ctx); err != nil {
		return 0, [32]byte{}, err
	}
	s.data.mu.Lock()
	defer s.data.mu.Unlock()
	h := s.data.heads[stream]
	return h.Version, h.Hash, nil
}

func (s *memStore) Streams(ctx context.Context) ([]string, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	s.data.mu.Lock()
	defer s.data.mu.Unlock()
	var out []string
	for k := range s.data.streams {
		out = append(out, k)
	}
	slices.Sort(out)
	return out, nil
}

func (s *memStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// memTamper edits the memory store's rows.
type memTamper struct{}

func (memTamper) edit(s council.EventStore, stream string, fn func(evs []council.StoredEvent) []council.StoredEvent) {
	d := s.(*memStore).data
	d.mu.Lock()
	defer d.mu.Unlock()
	d.events[stream] = fn(d.events[stream])
}

func (memTamper) DeleteHead(t testing.TB, s council.EventStore, stream string) {
	d := s.(*memStore).data
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.heads, stream)
}

func at(evs []council.StoredEvent, v int64) int {
	return slices.IndexFunc(evs, func(e council.StoredEvent) bool { return e.Version == v })
}

func (m memTamper) FlipByte(t testing.TB, s council.EventStore, stream string, v int64) {
	m.edit(s, stream, func(evs []council.StoredEvent) []council.StoredEvent {
		i := at(evs, v)
		evs[i].Data = slices.Clone(evs[i].Data)
		evs[i].Data[0] ^= 1
		return evs
	})
}

func (m memTamper) Delete(t testing.TB, s council.EventStore, stream string, v int64) {
	m.edit(s, stream, func(evs []council.StoredEvent) []council.StoredEvent {
		return slices.Delete(evs, at(evs, v), at(evs, v)+1)
	})
}

func (m memTamper) Swap(t testing.TB, s council.EventStore, stream string, v1, v2 int64) {
	m.edit(s, stream, func(evs []council.StoredEvent) []council.StoredEvent {
		i, j := at(evs, v1), at(evs, v2)
		evs[i], evs[j] = evs[j], evs[i]
		evs[i].Version, evs[j].Version = v1, v2
		return evs
	})
}

func (m memTamper) InsertForged(t testing.TB, s council.EventStore, stream string, v int64) {
	m.edit(s, stream, func(evs []council.StoredEvent) []council.StoredEvent {
		return append(evs, council.StoredEvent{Stream: stream, Version: v, Type: "forged", Data: []byte(`{}`), Hash: [32]byte{1, 2, 3}})
	})
}

func TestMemStore(t *testing.T) {
	open := func(d *memData) func(t testing.TB) council.EventStore {
		return func(t testing.TB) council.EventStore {
			s := &memStore{data: d}
			t.Cleanup(func() { _ = s.Close() })
			return s
		}
	}
	storetest.Run(t, storetest.Harness{
		Open: func(t testing.TB) council.EventStore {
			d := &memData{events: map[string][]council.StoredEvent{}, heads: map[string]council.StoredEvent{}, streams: map[string]bool{}, keys: map[string][]council.StoredEvent{}}
			return open(d)(t)
		},
		Reopen: func(t testing.TB, s council.EventStore) council.EventStore {
			_ = s.Close()
			return open(s.(*memStore).data)(t)
		},
		Tamper: memTamper{},
	})
}
