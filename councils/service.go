package councils

import (
	"context"
	"sync"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/roster"
)

// Error codes of the service.
const (
	EExists   = "exists"    // a council of that name already exists
	ENotFound = "not-found" // no council of that name
)

// Service runs councils kept in an event store, one stream each. It decides each command against the
// council's current state and appends the event it produces at the version it was decided against; when
// another writer got there first, it reads what they wrote and decides again. A command that carries a
// key is carried out once: a retry returns the original event. A Service is safe for concurrent use;
// several Services (in several processes) may share one store.
type Service struct {
	store  council.EventStore
	roster *roster.Roster

	mu   sync.Mutex
	live map[string]*live
}

// live is one council's state as this service last read it.
type live struct {
	mu      sync.Mutex
	def     *council.CouncilCreated
	state   *council.State
	version int64
	keys    map[string]int64 // idempotency key to the version of the event it produced
}

// NewService returns a service over a store; r is the Security Council roster (nil: the embedded one).
func NewService(store council.EventStore, r *roster.Roster) *Service {
	return &Service{store: store, roster: r, live: map[string]*live{}}
}

// Create starts a council: its definition becomes the first event of its stream.
func (s *Service) Create(ctx context.Context, stream string, def *council.CouncilCreated) error {
	if stream == "" {
		return council.Errorf(council.EINVALID, "a council needs a name")
	}
	if _, err := Resolve(def, s.roster); err != nil {
		return council.Errorf(council.EINVALID, "%v", err)
	}
	data, err := council.EncodeEvent(def)
	if err != nil {
		return err
	}
	_, err = s.store.Append(ctx, council.Append{Stream: stream, Expected: 0, Events: []council.EventData{data}})
	if council.ErrorCode(err) == council.EConflict {
		return council.Errorf(EExists, "a council named %s already exists", stream)
	}
	return err
}

// Do decides a command for a council and, if the rules accept it, appends its event durably and
// returns it with its version. A refused command returns the rules' *council.Error and changes nothing.
// A non-empty key makes the command idempotent: if an event with that key is already stored, Do
// returns it instead of deciding again.
func (s *Service) Do(ctx context.Context, stream, key string, cmd council.Command) (council.Event, int64, error) {
	l, err := s.council(ctx, stream)
	if err != nil {
		return nil, 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		if err := s.catchUp(ctx, stream, l); err != nil {
			return nil, 0, err
		}
		if v, ok := l.keys[key]; ok && key != "" {
			e, err := s.eventAt(ctx, stream, v)
			return e, v, err
		}
		e, err := l.state.Decide(cmd)
		if err != nil {
			return nil, 0, err
		}
		data, err := council.EncodeEvent(e)
		if err != nil {
			return nil, 0, err
		}
		res, err := s.store.Append(ctx, council.Append{Stream: stream, Expected: l.version, Key: key, Events: []council.EventData{data}})
		switch {
		case council.ErrorCode(err) == council.EConflict:
			continue // another writer moved the council on: read what it did and decide again
		case err != nil:
			return nil, 0, err
		case res.Duplicate:
			continue // a copy of this command won a race: catch up and return its event
		}
		l.state.Apply(e)
		l.version = res.Events[len(res.Events)-1].Version
		if key != "" {
			l.keys[key] = res.Events[0].Version
		}
		return e, l.version, nil
	}
}

// Record returns a council's record as it stands in the store.
func (s *Service) Record(ctx context.Context, stream string) (*council.Record, int64, error) {
	l, err := s.council(ctx, stream)
	if err != nil {
		return nil, 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := s.catchUp(ctx, stream, l); err != nil {
		return nil, 0, err
	}
	return l.state.Record(l.def.Title), l.version, nil
}

// council returns the live state of a council, loading it on first use.
func (s *Service) council(ctx context.Context, stream string) (*live, error) {
	s.mu.Lock()
	l := s.live[stream]
	if l == nil {
		l = &live{}
		s.live[stream] = l
	}
	s.mu.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.state != nil {
		return l, nil
	}
	if err := s.catchUp(ctx, stream, l); err != nil {
		s.mu.Lock()
		delete(s.live, stream)
		s.mu.Unlock()
		return nil, err
	}
	return l, nil
}

// catchUp applies the events other writers stored since the live state was last read. The first
// event, the council's definition, sets the state up. Reading runs in a goroutine of its own while this
// one decodes and applies, so a long stream loads on two cores.
func (s *Service) catchUp(ctx context.Context, stream string, l *live) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []council.StoredEvent, 8)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		batch := make([]council.StoredEvent, 0, 256)
		// The read itself is not cancellable (a cancellable one costs SQLite drivers a watcher per row);
		// it stops when the callback returns the context's error.
		err := s.store.Read(context.WithoutCancel(ctx), stream, l.version, func(se council.StoredEvent) error {
			batch = append(batch, se)
			if len(batch) == cap(batch) {
				select {
				case batches <- batch:
				case <-ctx.Done():
					return ctx.Err()
				}
				batch = make([]council.StoredEvent, 0, 256)
			}
			return nil
		})
		if err == nil && len(batch) > 0 {
			batches <- batch // the loop below drains every batch sent, so this never blocks for good
		}
		readErr <- err
	}()
	var applyErr error
	for batch := range batches {
		if applyErr == nil && ctx.Err() != nil {
			applyErr = ctx.Err() // the caller gave up: stop applying, and say so
		}
		for i := 0; i < len(batch) && applyErr == nil; i++ {
			var e council.Event
			if e, applyErr = council.DecodeEvent(batch[i].Type, batch[i].Data); applyErr == nil {
				applyErr = s.apply(stream, l, batch[i], e)
			}
		}
		if applyErr != nil {
			cancel() // stop the reader; the loop drains what it already sent
		}
	}
	if err := <-readErr; applyErr == nil && err != nil {
		return err
	}
	if applyErr != nil {
		return applyErr
	}
	if l.state == nil {
		return council.Errorf(ENotFound, "there is no council named %s", stream)
	}
	return nil
}

// apply applies one stored event to the live state; the first sets the state up.
func (s *Service) apply(stream string, l *live, se council.StoredEvent, e council.Event) error {
	if l.state == nil {
		def, ok := e.(*council.CouncilCreated)
		if !ok || se.Version != 1 {
			return council.Errorf(council.EINVALID, "stream %s does not start with its council's definition", stream)
		}
		cfg, err := Resolve(def, s.roster)
		if err != nil {
			return council.Errorf(council.EINVALID, "stream %s: %v", stream, err)
		}
		if l.state, err = council.NewState(cfg); err != nil {
			return err
		}
		l.def, l.keys = def, map[string]int64{}
	}
	l.state.Apply(e)
	l.version = se.Version
	if se.Key != "" {
		l.keys[se.Key] = se.Version
	}
	return nil
}

// Version loads a council, or catches up with what others wrote, and returns its version.
func (s *Service) Version(ctx context.Context, stream string) (int64, error) {
	l, err := s.council(ctx, stream)
	if err != nil {
		return 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.version, s.catchUp(ctx, stream, l)
}

// eventAt reads and decodes the event stored at a version.
func (s *Service) eventAt(ctx context.Context, stream string, v int64) (council.Event, error) {
	se, found, err := council.ReadAt(ctx, s.store, stream, v)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, council.Errorf(council.EINTERNAL, "stream %s has no event %d", stream, v)
	}
	return council.DecodeEvent(se.Type, se.Data)
}

// Refused is a command of a batch that the rules refused: its index in the batch and why.
type Refused struct {
	Index int
	Err   error
}

func (r *Refused) Error() string { return r.Err.Error() }
func (r *Refused) Unwrap() error { return r.Err }

// DoBatch decides commands in order against a council and appends the events of those the rules
// accept, up to the first refusal, in one durable append: all of them or none. key, when given, makes
// the batch idempotent as Do makes one command. It returns how many commands were carried out, and a
// *Refused for the command that stopped the batch, if one did.
func (s *Service) DoBatch(ctx context.Context, stream, key string, cmds []council.Command) (int, error) {
	l, err := s.council(ctx, stream)
	if err != nil {
		return 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		if err := s.catchUp(ctx, stream, l); err != nil {
			return 0, err
		}
		if _, ok := l.keys[key]; ok && key != "" {
			return len(cmds), nil // done before; a refusal in it would have been reported then
		}
		events := make([]council.EventData, 0, len(cmds))
		var refused *Refused
		for i, c := range cmds {
			e, err := l.state.Decide(c)
			if err != nil {
				refused = &Refused{Index: i, Err: err}
				break
			}
			l.state.Apply(e) // decided on top of each other; undone below if the append fails
			data, err := council.EncodeEvent(e)
			if err != nil {
				l.forget()
				return 0, err
			}
			events = append(events, data)
		}
		if len(events) == 0 {
			return 0, refused
		}
		res, err := s.store.Append(ctx, council.Append{Stream: stream, Expected: l.version, Key: key, Events: events})
		if err != nil || res.Duplicate {
			// The state has events the store did not take: the loop reads the council afresh and, after
			// a conflict or a duplicate, decides again; any other error ends the batch.
			l.forget()
			if err != nil && council.ErrorCode(err) != council.EConflict {
				return 0, err
			}
			continue
		}
		l.version = res.Events[len(res.Events)-1].Version
		if key != "" {
			l.keys[key] = res.Events[0].Version
		}
		if refused != nil {
			return len(events), refused
		}
		return len(events), nil
	}
}

// forget drops a council's live state, so it is read from the store again.
func (l *live) forget() {
	l.state, l.def, l.keys, l.version = nil, nil, nil, 0
}
