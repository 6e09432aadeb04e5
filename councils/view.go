package councils

import (
	"context"
	"errors"

	"github.com/opencouncil/council"
)

// View is a council as it stands, lent to a function while the council's lock is held: read it, do
// not keep it, and do not call the Service from inside.
type View struct {
	State   *council.State
	Def     *council.CouncilCreated
	Version int64
	s       *Service
}

// Known reports whether a code names a member the council's body could seat on some day.
// A council of an explicit membership knows the members it seats on its first day; a council on the
// Security Council's real roster knows every member that sat in any year.
func (v View) Known(code string) bool {
	if sit, err := v.State.SittingOn(v.Def.Date); err == nil && sit.Index(code) >= 0 {
		return true
	}
	if len(v.Def.Members) > 0 || v.State.Body().Roster != "unsc" {
		return false
	}
	first, last := v.s.roster.Years()
	for y := first; y <= last; y++ {
		if v.s.roster.Sits(code, y) {
			return true
		}
	}
	return false
}

// TermEnd is the last year of an elected member's current term on the Security Council's real
// roster, counted from the day's year; 0 when the council has no such roster or the member is
// permanent or not sitting.
func (v View) TermEnd(code string, day council.Date) int {
	if len(v.Def.Members) > 0 || v.State.Body().Roster != "unsc" {
		return 0
	}
	sit, err := v.State.SittingOn(day)
	if err != nil {
		return 0
	}
	i := sit.Index(code)
	if i < 0 || sit.Members[i].Class == "permanent" {
		return 0
	}
	r := v.s.roster
	_, last := r.Years()
	y := day.Year()
	for y < last && r.Sits(code, y+1) {
		y++
	}
	return y
}

// View calls fn with the council as it stands in the store, caught up with what other writers added.
func (s *Service) View(ctx context.Context, stream string, fn func(View) error) error {
	l, err := s.council(ctx, stream)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := s.catchUp(ctx, stream, l); err != nil {
		return err
	}
	return fn(View{State: l.state, Def: l.def, Version: l.version, s: s})
}

// DoChecked is Do with a check that runs against the very state the command is decided against, just
// before it is: an authorisation that depends on the state (who presides that day, who signed) holds
// for the decision it guards. The check may complete the command (fill in who acts); an error from it
// refuses the command, which changes nothing.
func (s *Service) DoChecked(ctx context.Context, stream, key string, cmd council.Command, check func(View) error) (Outcome, error) {
	rep := s.submit(ctx, stream, &request{ctx: ctx, key: key, cmds: []council.Command{cmd}, check: check})
	if rep.stored > 0 {
		e, err := s.eventAt(ctx, stream, rep.stored)
		return Outcome{Event: e, Version: rep.stored, Replayed: true}, err
	}
	return Outcome{Event: rep.event, Version: rep.version}, rep.err
}

// Outcome is what became of a command given with DoChecked.
type Outcome struct {
	Event   council.Event // the event the command stored
	Version int64         // the stream's version at that event
	// Replayed is set when the command's idempotency key was stored before: Event is what that
	// command stored, and nothing was appended now.
	Replayed bool
}

// RefreshAll catches up every council this service has loaded, after the store said anything may
// have changed (a lost notification connection).
func (s *Service) RefreshAll(ctx context.Context) error {
	s.mu.Lock()
	names := make([]string, 0, len(s.live))
	for name := range s.live {
		names = append(names, name)
	}
	s.mu.Unlock()
	var errs []error
	for _, name := range names {
		errs = append(errs, s.Refresh(ctx, name))
	}
	return errors.Join(errs...)
}
