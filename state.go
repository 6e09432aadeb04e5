package council

import (
	"github.com/opencouncil/council/rules"
	"slices"
)

// Config is what a body needs to be run: its rules, who sits when, and where document numbering starts.
type Config struct {
	Body    *rules.Body
	Seating Seating
	// Known reports whether a code names a member at all (on any date); nil accepts every code.
	Known func(code string) bool
	// NextMeeting and NextResolution are the numbers the next meeting record (S/PV.N) and the next
	// adopted resolution (S/RES/N (YEAR)) take; 0 means 1.
	NextMeeting    int
	NextResolution int
	// Prefix is the document series, "S" for the Security Council; "" means the body's own.
	Prefix string
	// Expect is how many commands are expected (a scenario's steps), so the state can make room for
	// them at once; 0 when unknown.
	Expect int
}

// Request statuses.
const (
	StatusDrafted   = "drafted"
	StatusSubmitted = "submitted"
	StatusAbandoned = "abandoned"
	StatusScheduled = "scheduled"
)

// Meeting statuses (and StatusScheduled).
const (
	StatusPostponed      = "postponed"
	StatusCancelled      = "cancelled"
	StatusOpen           = "open"
	StatusHeld           = "held"
	StatusAgendaRejected = "agenda-rejected"
)

// Draft statuses.
const (
	StatusPending   = "pending"
	StatusAdopted   = "adopted"
	StatusFailed    = "failed"
	StatusVetoed    = "vetoed"
	StatusWithdrawn = "withdrawn"
)

// RequestState is a request for a meeting as it stands.
type RequestState struct {
	ID          string
	By          string
	Subject     string
	MeetingOn   Date
	Symbol      string
	Drafted     Date
	Updated     Date // the day of the last step on it
	Status      string
	Signatories []string // in the order they signed, the author first
	Declined    []string
	Reason      string // why it was abandoned
	Meeting     string // the meeting scheduled on it
}

// signed reports whether a member has signed.
func (r *RequestState) signed(code string) bool { return slices.Contains(r.Signatories, code) }

// MeetingChange is a postponement or cancellation of a meeting, with who made it and why.
type MeetingChange struct {
	Date   Date   `json:"date"`
	Kind   string `json:"kind"` // "postponed" or "cancelled"
	From   Date   `json:"from"`
	To     Date   `json:"to,omitzero"`
	Reason string `json:"reason"`
	By     string `json:"by,omitempty"` // the President who made the change
	// RequestedBy is the member at whose request it was made, when known.
	RequestedBy string `json:"requested_by,omitempty"`
}

// MeetingState is a meeting as it stands.
type MeetingState struct {
	ID            string
	On            Date
	Agenda        []string
	Request       string
	Format        string
	Status        string
	Symbol        string
	AgendaAdopted bool
	Objections    []string
	Changes       []MeetingChange
	Speeches      []*StatementMade
	Votes         []string
	// Speakers is the speakers list: the members that asked to speak and have not yet spoken, in the
	// order they asked (Rule 27).
	Speakers []string
	// OpenVote is the vote open in the meeting, nil when none is.
	OpenVote *OpenVoteState
}

// OpenVoteState is a vote the President has opened and not yet closed: the question put and the ballots
// cast so far.
type OpenVoteState struct {
	ID      string
	Meeting string
	On      string // "agenda", or a draft or amendment id
	Matter  string
	Parties []string
	Opened  Date // the day it was opened: the result counts the members sitting that day
	Ballots []CastBallot
}

// CastBallot is one member's ballot in an open vote: "yes", "no" or "abstain".
type CastBallot struct {
	Member string `json:"member"`
	Ballot string `json:"ballot"`
}

// cast returns the ballot a member has cast in the vote, or "".
func (v *OpenVoteState) cast(member string) string {
	for _, b := range v.Ballots {
		if b.Member == member {
			return b.Ballot
		}
	}
	return ""
}

// DraftState is a draft resolution or an amendment as it stands.
type DraftState struct {
	ID         string
	Draft      string // for an amendment, the draft it amends
	Title      string
	Symbol     string
	Meeting    string
	Sponsors   []string
	Status     string
	Vote       string   // the vote taken on it
	Resolution string   // S/RES/N (YEAR) when adopted
	Amendments []string // for a draft, its amendments
	Circulated Date
}

// State is everything the body has done so far. Only Apply changes it; Decide and the queries only read
// it, so they may run at once from several goroutines while no Apply does.
type State struct {
	cfg  Config
	eras []datedEra

	Today Date
	Title string // from the council's first event, when it was loaded from a stream

	// ids holds every request, meeting, draft, amendment and vote by its id, which is unique across all
	ids map[string]any

	RequestOrder []string
	MeetingOrder []string
	DraftOrder   []string
	Votes        []*VoteTaken
	Statements   []*PresidentialStatement

	open []*OpenVoteState // the votes open now, in every meeting: few at a time

	nextMeeting    int
	nextResolution int
	documents      map[int]int     // S/YEAR/N: the N below which every number of the year is taken
	symbols        map[string]bool // document symbols given out
	prsts          map[int]int     // S/PRST/YEAR/N: last N used per year
}

type datedEra struct {
	from Date
	era  *rules.Era
}

// NewState returns the state of a body that has done nothing yet.
func NewState(cfg Config) (*State, error) {
	if cfg.Body == nil || cfg.Seating == nil {
		return nil, Errorf(EINVALID, "a body needs its rules and its seating")
	}
	if cfg.Prefix == "" {
		cfg.Prefix = cfg.Body.Prefix
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "S"
	}
	s := &State{
		cfg:            cfg,
		ids:            make(map[string]any, cfg.Expect/2),
		documents:      map[int]int{},
		symbols:        make(map[string]bool, cfg.Expect/8),
		prsts:          map[int]int{},
		nextMeeting:    max(cfg.NextMeeting, 1),
		nextResolution: max(cfg.NextResolution, 1),
	}
	for _, e := range cfg.Body.Eras {
		var from Date
		if e.From != "" {
			d, err := ParseDate(e.From)
			if err != nil {
				return nil, Errorf(EINVALID, "body %s: era from: %v", cfg.Body.ID, err)
			}
			from = d
		}
		s.eras = append(s.eras, datedEra{from, e})
	}
	return s, nil
}

// Body returns the rules the state runs under.
func (s *State) Body() *rules.Body { return s.cfg.Body }

// Request returns a request by id, or nil.
func (s *State) Request(id string) *RequestState { x, _ := s.ids[id].(*RequestState); return x }

// Meeting returns a meeting by id, or nil.
func (s *State) Meeting(id string) *MeetingState { x, _ := s.ids[id].(*MeetingState); return x }

// DraftByID returns a draft or amendment by id, or nil.
func (s *State) DraftByID(id string) *DraftState { x, _ := s.ids[id].(*DraftState); return x }

// VoteByID returns a vote by id, or nil.
func (s *State) VoteByID(id string) *VoteTaken { x, _ := s.ids[id].(*VoteTaken); return x }

// OpenVoteByID returns the vote open with that id, or nil if none is (a vote once closed is a VoteTaken:
// see VoteByID).
func (s *State) OpenVoteByID(id string) *OpenVoteState { x, _ := s.ids[id].(*OpenVoteState); return x }

// openVoteOn returns the vote open on a draft or amendment, or nil.
func (s *State) openVoteOn(id string) *OpenVoteState {
	for _, v := range s.open {
		if v.On == id {
			return v
		}
	}
	return nil
}

// EraOn returns the rules in force on a day, or nil before the body existed.
func (s *State) EraOn(d Date) *rules.Era {
	var e *rules.Era
	for _, x := range s.eras {
		if x.from <= d {
			e = x.era
		}
	}
	return e
}

// SittingOn returns who sits and presides on a day.
func (s *State) SittingOn(d Date) (*Sitting, error) {
	return s.cfg.Seating.Sitting(d)
}

// PresidentOn returns the member presiding on a day, "" if the body has no presidency; a zero day means
// the state's last day (Today). It is who may take the President's steps that day.
func (s *State) PresidentOn(d Date) (string, error) {
	if d == 0 {
		d = s.Today
	}
	if d == 0 {
		return "", Errorf(EINVALID, "no day given, and the body has done nothing yet")
	}
	sit, err := s.SittingOn(d)
	if err != nil {
		return "", err
	}
	return sit.President, nil
}
