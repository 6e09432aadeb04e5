package scenario

import (
	"github.com/opencouncil/council"
)

// Replay is a scenario played through the rules: the final state, every event, and the record. Failed
// names the step the rules refused, if one was; the state and record stop just before it.
type Replay struct {
	State  *council.State
	Events []council.Event
	// Steps pairs each step played with the event it produced, for narration.
	Steps  []Played
	Record *council.Record
	Failed *council.StepError
}

// Played is one step that the rules accepted, and the event it produced.
type Played struct {
	Step  Step
	Event council.Event
}

// Run plays the scenario's steps in order and stops at the first step the rules refuse, leaving the
// state as it was before that step.
func (sc *Scenario) Run() (*Replay, error) {
	cfg := sc.Config
	cfg.Expect = len(sc.Steps)
	s, err := council.NewState(cfg)
	if err != nil {
		return nil, err
	}
	r := &Replay{State: s, Events: make([]council.Event, 0, len(sc.Steps)), Steps: make([]Played, 0, len(sc.Steps))}
	for _, st := range sc.Steps {
		e, err := s.Decide(st.Command)
		if err != nil {
			r.Failed = &council.StepError{Step: st.N, Kind: st.Command.Kind(), Line: st.Line,
				Code: council.ErrorCode(err), Message: council.ErrorMessage(err)}
			break
		}
		s.Apply(e)
		r.Events = append(r.Events, e)
		r.Steps = append(r.Steps, Played{Step: st, Event: e})
	}
	r.Record = s.Record(sc.Title)
	r.Record.Error = r.Failed
	return r, nil
}
