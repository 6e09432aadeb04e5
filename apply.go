package council

import (
	"slices"
	"strconv"
	"strings"
)

// Apply changes the state by one event. It checks nothing: events come from Decide, or from a stored
// stream that Decide produced.
func (s *State) Apply(e Event) {
	if d := e.EventDate(); d > s.Today {
		s.Today = d
	}
	s.apply(e)
	if r, ok := e.(requestEvent); ok {
		if x := s.Request(r.requestID()); x != nil {
			x.Updated = e.EventDate()
		}
	}
}

// requestEvent is an event that changes a request, whose day Apply keeps as the request's last.
type requestEvent interface {
	Event
	requestID() string
}

func (s *State) apply(e Event) {
	switch e := e.(type) {
	case *RequestDrafted:
		s.ids[e.ID] = &RequestState{ID: e.ID, By: e.By, Subject: e.Subject, MeetingOn: e.MeetingOn,
			Symbol: e.Symbol, Drafted: e.Date, Status: StatusDrafted, Signatories: []string{e.By}}
		s.RequestOrder = append(s.RequestOrder, e.ID)
	case *RequestSigned:
		r := s.Request(e.Request)
		r.Signatories = append(r.Signatories, e.By...)
		for _, m := range e.By {
			r.Declined = remove(r.Declined, m)
		}
	case *SignatureWithdrawn:
		r := s.Request(e.Request)
		r.Signatories = remove(r.Signatories, e.By)
	case *RequestDeclined:
		r := s.Request(e.Request)
		r.Declined = append(r.Declined, e.By)
	case *RequestSubmitted:
		r := s.Request(e.Request)
		r.Status = StatusSubmitted
		s.useDocument(e.Symbol, e.Date)
		r.Symbol = e.Symbol
	case *RequestAbandoned:
		r := s.Request(e.Request)
		r.Status, r.Reason = StatusAbandoned, e.Reason
	case *MeetingScheduled:
		s.ids[e.Meeting] = &MeetingState{ID: e.Meeting, On: e.On, Agenda: e.Agenda, Request: e.Request,
			Format: e.Format, Status: StatusScheduled}
		s.MeetingOrder = append(s.MeetingOrder, e.Meeting)
		if e.Request != "" {
			r := s.Request(e.Request)
			r.Status, r.Meeting = StatusScheduled, e.Meeting
		}
	case *MeetingPostponed:
		m := s.Meeting(e.Meeting)
		m.Changes = append(m.Changes, MeetingChange{Date: e.Date, Kind: StatusPostponed, From: m.On, To: e.To, Reason: e.Reason, By: e.By, RequestedBy: e.RequestedBy})
		m.Status, m.On = StatusPostponed, e.To
	case *MeetingCancelled:
		m := s.Meeting(e.Meeting)
		m.Changes = append(m.Changes, MeetingChange{Date: e.Date, Kind: StatusCancelled, From: m.On, Reason: e.Reason, By: e.By, RequestedBy: e.RequestedBy})
		m.Status = StatusCancelled
	case *MeetingOpened:
		m := s.Meeting(e.Meeting)
		m.Status, m.Symbol = StatusOpen, e.Symbol
		s.nextMeeting++
	case *AgendaObjected:
		m := s.Meeting(e.Meeting)
		m.Objections = append(m.Objections, e.By...)
	case *AgendaAdopted:
		s.Meeting(e.Meeting).AgendaAdopted = true
	case *DraftCirculated:
		s.ids[e.ID] = &DraftState{ID: e.ID, Title: e.Title, Symbol: e.Symbol, Meeting: e.Meeting,
			Sponsors: slices.Clone(e.Sponsors), Status: StatusPending, Circulated: e.Date}
		s.DraftOrder = append(s.DraftOrder, e.ID)
		s.useDocument(e.Symbol, e.Date)
	case *DraftCosponsored:
		x := s.DraftByID(e.Draft)
		x.Sponsors = append(x.Sponsors, e.By...)
	case *AmendmentProposed:
		s.ids[e.ID] = &DraftState{ID: e.ID, Draft: e.Draft, Title: e.Title, Symbol: e.Symbol,
			Sponsors: slices.Clone(e.Sponsors), Status: StatusPending, Circulated: e.Date}
		x := s.DraftByID(e.Draft)
		x.Amendments = append(x.Amendments, e.ID)
		s.DraftOrder = append(s.DraftOrder, e.ID)
		s.useDocument(e.Symbol, e.Date)
	case *DraftWithdrawn:
		s.DraftByID(e.Draft).Status = StatusWithdrawn
	case *VoteTaken:
		s.applyVote(e)
	case *CouncilCreated:
		s.Title = e.Title
	case *StatementMade:
		m := s.Meeting(e.Meeting)
		if m.Speeches == nil {
			m.Speeches = make([]*StatementMade, 0, 16) // most meetings hear every member
		}
		m.Speeches = append(m.Speeches, e)
		if len(m.Speakers) > 0 {
			m.Speakers = remove(m.Speakers, e.By)
		}
	case *PresidentialStatement:
		s.Statements = append(s.Statements, e)
		if e.Issued {
			s.prsts[e.Date.Year()]++
		}
	case *MeetingClosed:
		s.Meeting(e.Meeting).Status = StatusHeld
	case *VoteOpened:
		v := &OpenVoteState{ID: e.ID, Meeting: e.Meeting, On: e.On, Matter: e.Matter, Parties: slices.Clone(e.Parties), Opened: e.Date}
		s.ids[e.ID] = v
		s.Meeting(e.Meeting).OpenVote = v
		s.open = append(s.open, v)
	case *BallotCast:
		v := s.OpenVoteByID(e.Vote)
		v.Ballots = append(v.Ballots, CastBallot{Member: e.By, Ballot: e.Ballot})
	case *SpeakerInscribed:
		m := s.Meeting(e.Meeting)
		m.Speakers = append(m.Speakers, e.By)
	}
}

func (s *State) applyVote(e *VoteTaken) {
	m := s.Meeting(e.Meeting)
	if v := m.OpenVote; v != nil { // a vote taken closes the vote open in the meeting
		m.OpenVote = nil
		if i := slices.Index(s.open, v); i >= 0 {
			s.open = slices.Delete(s.open, i, i+1)
		}
		if x, ok := s.ids[v.ID].(*OpenVoteState); ok && x == v {
			delete(s.ids, v.ID) // the id is the vote taken's below, or free again
		}
	}
	s.Votes = append(s.Votes, e)
	s.ids[e.ID] = e
	m.Votes = append(m.Votes, e.ID)
	if e.On == "agenda" {
		if e.Adopted {
			m.AgendaAdopted = true
		} else {
			m.Status = StatusAgendaRejected
		}
		return
	}
	x := s.DraftByID(e.On)
	x.Vote = e.ID
	switch {
	case e.Adopted:
		x.Status = StatusAdopted
		if e.Symbol != "" {
			x.Resolution = e.Symbol
			s.nextResolution++
		}
	case len(e.VetoedBy) > 0:
		x.Status = StatusVetoed
	default:
		x.Status = StatusFailed
	}
}

// useDocument records a document symbol as taken and moves the S/YEAR/N numbering past those taken.
func (s *State) useDocument(symbol string, d Date) {
	if symbol == "" {
		return
	}
	s.symbols[symbol] = true
	y := d.Year()
	n, ok := s.numberOf(symbol, y)
	if !ok || n != s.documents[y]+1 {
		return
	}
	for {
		s.documents[y]++
		next := s.cfg.Prefix + "/" + strconv.Itoa(y) + "/" + strconv.Itoa(s.documents[y]+1)
		if !s.symbols[next] {
			return
		}
	}
}

// numberOf reads N from a symbol PREFIX/YEAR/N of the year.
func (s *State) numberOf(symbol string, year int) (int, bool) {
	rest, ok := strings.CutPrefix(symbol, s.cfg.Prefix+"/")
	if !ok {
		return 0, false
	}
	y, num, ok := strings.Cut(rest, "/")
	if !ok || y != strconv.Itoa(year) {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	return n, err == nil
}

func remove(xs []string, x string) []string {
	if i := slices.Index(xs, x); i >= 0 {
		return append(xs[:i:i], xs[i+1:]...)
	}
	return xs
}
