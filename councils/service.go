package councils

import (
	"context"
	"sync"
	"sync/atomic"

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
//
// Commands sent to one council at the same time are combined: while one append of the council is on
// its way to the store, the commands that arrive wait in the council's queue, and the next round
// decides them all, in order, and stores their events in one append (see combine.go). A council thus
// commits as many commands per store round trip as are waiting, not one.
type Service struct {
	store    council.EventStore
	roster   *roster.Roster
	onEvents func(stream string, evs []council.StoredEvent)

	mu   sync.Mutex
	live map[string]*live
}

// live is one council's state as this service last read it, and the commands waiting for it.
type live struct {
	mu      sync.Mutex // held to read or change what follows, and across a round's append
	def     *council.CouncilCreated
	state   *council.State
	version int64
	keys    map[string]int64 // idempotency key to the version of the event it produced
	fed     int64            // the last version handed to OnEvents: kept when the state is dropped
	gone    bool             // the council failed to load and left Service.live: look it up again

	loaded atomic.Bool // the state was loaded once: callers may queue without taking mu

	qmu     sync.Mutex // guards queue and leading
	queue   []*request // commands waiting for the next round, in arrival order
	leading bool       // the council's leader goroutine runs (combine.go)
}

// NewService returns a service over a store; r is the Security Council roster (nil: the embedded one).
func NewService(store council.EventStore, r *roster.Roster) *Service {
	if r == nil {
		r = roster.Default()
	}
	return &Service{store: store, roster: r, live: map[string]*live{}}
}

// OnEvents sets fn to be told of every event the service's live state absorbs: those it appends and
// those other processes appended, read when it catches up. It exists to feed live updates (package
// feed's Hub.Publish). fn gets each council's events in version order, each version once per Service
// (a council read again from the store, after a failed append, is not fed again), the council's
// definition (version 1) included. It is called while the council's lock is held, so it must be fast
// and must not call the Service; it may keep the events but must not change them. Set it once, before
// the service is used.
func (s *Service) OnEvents(fn func(stream string, evs []council.StoredEvent)) {
	s.onEvents = fn
}

// Create starts a council: its definition becomes the first event of its stream, and the council is
// loaded, so its definition is fed to OnEvents at once.
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
	res, err := s.store.Append(ctx, council.Append{Stream: stream, Expected: 0, Events: []council.EventData{data}})
	if council.ErrorCode(err) == council.EConflict {
		return council.Errorf(EExists, "a council named %s already exists", stream)
	}
	if err != nil || len(res.Events) != 1 {
		return err
	}
	l := s.entry(stream)
	defer l.mu.Unlock()
	if l.state == nil && l.version == 0 && l.fed == 0 {
		// the state as a load would make it, from the stored event (a copy the caller cannot change)
		e, err := council.DecodeEvent(res.Events[0].Type, res.Events[0].Data)
		if err == nil && s.apply(stream, l, res.Events[0], e) == nil {
			s.feed(stream, l, res.Events)
			l.loaded.Store(true)
		}
	}
	return nil
}

// Do decides a command for a council and, if the rules accept it, appends its event durably and
// returns it with its version. A refused command returns the rules' *council.Error and changes nothing.
// A non-empty key makes the command idempotent: if an event with that key is already stored, Do
// returns it instead of deciding again. Commands sent to one council at once share an append; a
// caller whose ctx ends before its command is decided gets ctx's error and the command is dropped,
// one that gives up later gets ctx's error while its command may still be stored.
func (s *Service) Do(ctx context.Context, stream, key string, cmd council.Command) (council.Event, int64, error) {
	rep := s.submit(ctx, stream, &request{ctx: ctx, key: key, cmds: []council.Command{cmd}})
	if rep.stored > 0 {
		e, err := s.eventAt(ctx, stream, rep.stored)
		return e, rep.stored, err
	}
	return rep.event, rep.version, rep.err
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
	s.mu.Unlock()
	if l != nil && l.loaded.Load() {
		return l, nil
	}
	l = s.entry(stream)
	defer l.mu.Unlock()
	if l.state == nil {
		if err := s.catchUp(ctx, stream, l); err != nil {
			if l.fed == 0 { // nothing of it was fed: forget the name, so unknown names do not pile up
				l.gone = true
				s.mu.Lock()
				delete(s.live, stream)
				s.mu.Unlock()
			}
			return nil, err
		}
	}
	l.loaded.Store(true)
	return l, nil
}

// entry returns a council's entry in s.live, made if there is none, with its lock held.
func (s *Service) entry(stream string) *live {
	for {
		s.mu.Lock()
		l := s.live[stream]
		if l == nil {
			l = &live{}
			s.live[stream] = l
		}
		s.mu.Unlock()
		l.mu.Lock()
		if !l.gone {
			return l
		}
		l.mu.Unlock()
	}
}

// Refresh catches a loaded council up with the events other processes appended, which feeds them to
// OnEvents: a server calls it when the store tells it a council moved on. A council this service has
// not loaded is left alone.
func (s *Service) Refresh(ctx context.Context, stream string) error {
	s.mu.Lock()
	l := s.live[stream]
	s.mu.Unlock()
	if l == nil || !l.loaded.Load() {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return s.catchUp(ctx, stream, l)
}

// catchUp applies the events other writers stored since the live state was last read, and feeds them
// to OnEvents. The first event, the council's definition, sets the state up. Reading runs in a
// goroutine of its own while this one decodes and applies, so a long stream loads on two cores.
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
		n := 0
		for ; n < len(batch) && applyErr == nil; n++ {
			var e council.Event
			if e, applyErr = council.DecodeEvent(batch[n].Type, batch[n].Data); applyErr == nil {
				applyErr = s.apply(stream, l, batch[n], e)
			}
			if applyErr != nil {
				break
			}
		}
		s.feed(stream, l, batch[:n])
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

// feed hands OnEvents the events of evs it has not been handed yet. evs are in version order and
// were just absorbed by the live state; the council's lock is held.
func (s *Service) feed(stream string, l *live, evs []council.StoredEvent) {
	i := 0
	for i < len(evs) && evs[i].Version <= l.fed {
		i++
	}
	if i == len(evs) {
		return
	}
	l.fed = evs[len(evs)-1].Version
	if s.onEvents != nil {
		s.onEvents(stream, evs[i:])
	}
}

// Version loads a council, or catches up with what others wrote, and returns its version.
func (s *Service) Version(ctx context.Context, stream string) (int64, error) {
	l, err := s.council(ctx, stream)
	if err != nil {
		return 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	err = s.catchUp(ctx, stream, l)
	return l.version, err
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
// *Refused for the command that stopped the batch, if one did. A batch waits in the council's queue
// with the commands sent by Do, and may share their append.
func (s *Service) DoBatch(ctx context.Context, stream, key string, cmds []council.Command) (int, error) {
	if len(cmds) == 0 {
		return 0, nil
	}
	rep := s.submit(ctx, stream, &request{ctx: ctx, key: key, cmds: cmds, batch: true})
	return rep.n, rep.err
}

// forget drops a council's live state, so it is read from the store again. What was fed to OnEvents
// stays fed.
func (l *live) forget() {
	l.state, l.def, l.keys, l.version = nil, nil, nil, 0
}
