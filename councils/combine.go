package councils

import (
	"context"
	"slices"
	"time"

	"github.com/opencouncil/council"
)

// How commands sent to one council at once share an append.
//
// A caller of Do or DoBatch puts its request in the council's queue and waits for its reply. If no
// round is under way, it starts the council's leader: a goroutine of its own (tied to no caller, so
// no caller giving up can cancel an append others wait for) that takes every request queued, runs one
// round for them (below), and loops until the queue is empty. The commands that arrive while an append
// is on its way to the store thus wait for the next round, and go into its one append together.
//
// A round holds the council's lock. It catches up with the store, decides the requests in order against
// the state, applying each accepted event before deciding the next, and appends every accepted event
// in one append, at the version decided against, each command's key on its first event. A refused
// command is answered at once and left out; a key already stored is answered at once with the version
// it produced; a second request with the key of one decided in the same round gets that one's outcome.
// After a conflict (another process appended) the round catches up and decides again what is not
// answered. A failed append answers the requests in it with the error. Events applied to the state
// before their append succeeded are undone by dropping the state (forget), which the next catch-up
// reads again from the start of the stream; a round of one event applies it only once stored, so its
// conflicts catch up from where the state stands. (So when several processes write one long council
// at once, their conflicts cost reloads; one process per council avoids them.)

// roundTimeout bounds a round. A round runs on behalf of several callers, so it does not end when one
// of their contexts does; it ends after roundTimeout at most.
const roundTimeout = 30 * time.Second

// request is a Do (one command) or a DoBatch waiting in a council's queue.
type request struct {
	ctx   context.Context
	key   string
	cmds  []council.Command
	batch bool
	check func(View) error // DoChecked: runs against the state just before the command is decided
	reply chan reply       // capacity 1: the outcome

	taken    bool // the leader took it from the queue (guarded by the council's qmu)
	answered bool // the round gave it its outcome (the leader's alone)
}

// reply is the outcome of a request.
type reply struct {
	event   council.Event // Do: the event stored
	version int64         // Do: its version
	stored  int64         // Do: the version of the event its key stored before (the caller reads it)
	n       int           // DoBatch: how many commands were carried out
	err     error
}

// answer gives a request its outcome.
func (r *request) answer(rep reply) {
	r.answered = true
	r.reply <- rep
}

// submit queues a request for a council, starting the council's leader if none runs, and waits for
// the request's outcome or for ctx to end.
func (s *Service) submit(ctx context.Context, stream string, r *request) reply {
	l, err := s.council(ctx, stream)
	if err != nil {
		return reply{err: err}
	}
	r.reply = make(chan reply, 1)
	l.qmu.Lock()
	l.queue = append(l.queue, r)
	if !l.leading {
		l.leading = true
		go s.lead(stream, l)
	}
	l.qmu.Unlock()
	select {
	case rep := <-r.reply:
		return rep
	case <-ctx.Done():
		if !l.withdraw(r) {
			select {
			case rep := <-r.reply: // answered as it gave up
				return rep
			default: // being decided or stored: its outcome is unknown to the caller
			}
		}
		return reply{err: ctx.Err()}
	}
}

// withdraw takes a request whose caller gave up out of the queue, and reports whether it was still
// there; once the leader took it, it stays in its round.
func (l *live) withdraw(r *request) bool {
	l.qmu.Lock()
	defer l.qmu.Unlock()
	if r.taken {
		return false
	}
	if i := slices.Index(l.queue, r); i >= 0 {
		l.queue = slices.Delete(l.queue, i, i+1)
	}
	return true
}

// lead is a council's leader: it runs rounds for the requests queued until none are left.
func (s *Service) lead(stream string, l *live) {
	var next []*request
	for {
		l.qmu.Lock()
		reqs := l.queue
		if len(reqs) == 0 {
			l.leading = false
			l.qmu.Unlock()
			return
		}
		l.queue = next[:0] // the slice of the round before last, free again
		for _, r := range reqs {
			r.taken = true
		}
		l.qmu.Unlock()

		ctx, cancel := context.WithTimeout(context.WithoutCancel(reqs[0].ctx), roundTimeout)
		s.round(ctx, stream, l, reqs)
		cancel()
		clear(reqs)
		next = reqs
	}
}

// unit is a request decided in a round, with the events it put in the round's append.
type unit struct {
	r       *request
	first   int           // the index of its first event in the append
	n       int           // how many events it put there
	event   council.Event // its first event
	refused error         // DoBatch: why the batch stopped after its n events, if it did
	copies  []*request    // requests of the round with the same key, which get its outcome
}

// round decides reqs against the council and stores the events of those the rules accept in one
// append, answering every request.
func (s *Service) round(ctx context.Context, stream string, l *live, reqs []*request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	defer func() {
		// The round runs in the leader's goroutine, where no caller (an HTTP server, say) can recover
		// a panic: answer the requests with it instead, and read the state afresh.
		if p := recover(); p != nil {
			l.forget()
			for _, r := range reqs {
				if !r.answered {
					r.answer(reply{err: council.Errorf(council.EINTERNAL, "council %s: panic: %v", stream, p)})
				}
			}
		}
	}()
	caught, stale := false, false
	for {
		reqs = slices.DeleteFunc(reqs, func(r *request) bool {
			if r.answered {
				return true
			}
			if err := r.ctx.Err(); err != nil { // its caller gave up before it was decided: drop it
				r.answer(reply{err: err})
				return true
			}
			return false
		})
		if len(reqs) == 0 {
			return
		}
		// The state is read afresh only when it may be behind in a way that matters: not loaded, after
		// a conflict, or before refusing a command (another process may have made it possible). An
		// accepted command needs no read first: its append names the version it was decided against,
		// and the store refuses it if another writer moved the council on.
		if l.state == nil || stale {
			if err := s.catchUp(ctx, stream, l); err != nil {
				for _, r := range reqs {
					r.answer(reply{err: err})
				}
				return
			}
			caught, stale = true, false
		}
		from := l.version
		units, events, last, speculative, held := s.decide(l, reqs, !caught)
		if held != nil && !caught {
			if speculative {
				l.forget()
			}
			stale = true
			continue // decide again on what the store holds now
		}
		if len(events) == 0 {
			return // every request was answered
		}
		res, err := s.store.Append(ctx, council.Append{Stream: stream, Expected: from, Events: events})
		if err == nil && (res.Duplicate || len(res.Events) != len(events)) {
			err = council.Errorf(council.EConflict, "stream %s: the append was taken as a duplicate", stream)
		}
		if err != nil {
			if speculative {
				l.forget() // it holds events the store did not take
			}
			if council.ErrorCode(err) == council.EConflict {
				stale = true
				continue // another writer moved the council on: read what it did and decide again
			}
			for _, u := range units {
				u.r.answer(reply{err: err})
				for _, c := range u.copies {
					c.answer(reply{err: err})
				}
			}
			return
		}
		if last != nil {
			l.state.Apply(last)
		}
		for _, se := range res.Events {
			l.version = se.Version
			if se.Key != "" {
				l.keys[se.Key] = se.Version
			}
		}
		s.feed(stream, l, res.Events)
		for _, u := range units {
			v := res.Events[u.first].Version
			u.r.answer(reply{event: u.event, version: v, n: u.n, err: u.refused})
			for _, c := range u.copies {
				c.answer(reply{event: u.event, version: v, n: len(c.cmds)})
			}
		}
		return
	}
}

// decide decides the requests in order against the state. It answers those whose key is stored, and
// returns the others as units with their events, the last accepted event (not yet applied: it is
// applied once stored), whether events were applied to the state before being stored, and the units
// the rules refused in whole or in part (held). Those refused outright are answered at once unless
// hold is set; then the caller answers them, or reads the store and decides again.
func (s *Service) decide(l *live, reqs []*request, hold bool) (units []*unit, events []council.EventData, last council.Event, speculative bool, held []*unit) {
	claimed := map[string]*unit{}
	for _, r := range reqs {
		if r.key != "" {
			if v, ok := l.keys[r.key]; ok {
				r.answer(reply{stored: v, n: len(r.cmds)}) // done before; a refusal in it was reported then
				continue
			}
			if u := claimed[r.key]; u != nil {
				u.copies = append(u.copies, r)
				continue
			}
		}
		u := &unit{r: r, first: len(events)}
		for i, c := range r.cmds {
			if last != nil { // decide on top of the events decided before it
				l.state.Apply(last)
				last, speculative = nil, true
			}
			var (
				e   council.Event
				err error
			)
			if r.check != nil {
				err = r.check(View{State: l.state, Def: l.def, Version: l.version, s: s})
			}
			if err == nil {
				e, err = l.state.Decide(c)
			}
			var data council.EventData
			if err == nil {
				data, err = council.EncodeEvent(e)
			} else if r.batch {
				err = &Refused{Index: i, Err: err}
			}
			if err != nil {
				u.refused = err
				break
			}
			if i == 0 {
				data.Key, u.event = r.key, e
			}
			events = append(events, data)
			u.n++
			last = e
		}
		if u.refused != nil {
			held = append(held, u)
		}
		if u.n == 0 {
			if !hold {
				r.answer(reply{err: u.refused})
			}
			continue
		}
		units = append(units, u)
		if r.key != "" {
			claimed[r.key] = u
		}
	}
	return units, events, last, speculative, held
}
