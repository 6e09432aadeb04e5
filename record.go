package council

import "slices"

// Record is what a body has done, as people and programs read it: the public contract of
// `council replay --json` (see docs/scenario.md). Fields may be added, never renamed or dropped.
type Record struct {
	Title      string            `json:"title"`
	Body       string            `json:"body"`
	Requests   []RequestRecord   `json:"requests"`
	Meetings   []MeetingRecord   `json:"meetings"`
	Votes      []VoteRecord      `json:"votes"`
	Drafts     []DraftRecord     `json:"drafts"`
	Statements []StatementRecord `json:"statements"`
	Error      *StepError        `json:"error"`
}

// StepError is the step a replay stopped at, and why.
type StepError struct {
	Step    int    `json:"step"`
	Kind    string `json:"kind"`
	Line    int    `json:"line,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// RequestRecord is a request for a meeting and its support.
type RequestRecord struct {
	ID          string   `json:"id"`
	By          string   `json:"by"`
	Subject     string   `json:"subject"`
	Symbol      string   `json:"symbol,omitempty"`
	Drafted     Date     `json:"drafted"`
	MeetingOn   Date     `json:"meeting_on,omitzero"`
	Status      string   `json:"status"`
	Signatories []string `json:"signatories"`
	Declined    []string `json:"declined"`
	Undecided   []string `json:"undecided"`
	Support     int      `json:"support"`
	Needed      int      `json:"needed"`
	Missing     int      `json:"missing"`
	Decisive    []string `json:"decisive"`
	Reason      string   `json:"reason,omitempty"`
	Meeting     string   `json:"meeting,omitempty"`
}

// MeetingRecord is a meeting in the programme of work.
type MeetingRecord struct {
	ID            string          `json:"id"`
	On            *Date           `json:"on"`        // null when postponed without date
	President     *string         `json:"president"` // null without a date or a presidency
	Status        string          `json:"status"`
	Agenda        []string        `json:"agenda"`
	AgendaAdopted bool            `json:"agenda_adopted"`
	Symbol        string          `json:"symbol,omitempty"`
	Format        string          `json:"format,omitempty"`
	Request       string          `json:"request,omitempty"`
	Objections    []string        `json:"objections"`
	Changes       []MeetingChange `json:"changes"`
	Speeches      []SpeechRecord  `json:"speeches"`
	Votes         []string        `json:"votes"`
	// Speakers is the speakers list: members that asked to speak and have not spoken yet, in order.
	Speakers []string `json:"speakers,omitempty"`
	// OpenVote is the vote open in the meeting, when one is.
	OpenVote *OpenVoteRecord `json:"open_vote,omitempty"`
}

// OpenVoteRecord is a vote opened and not yet closed, with the ballots cast so far in the order cast.
type OpenVoteRecord struct {
	ID      string       `json:"id"`
	On      string       `json:"on"`
	Matter  string       `json:"matter"`
	Date    Date         `json:"date"`              // the day it was opened
	Parties []string     `json:"parties,omitempty"` // parties to the dispute, who cast no ballot
	Ballots []CastBallot `json:"ballots"`
}

// SpeechRecord is a statement made by a member at a meeting.
type SpeechRecord struct {
	Date Date   `json:"date"`
	By   string `json:"by"`
	Text string `json:"text,omitempty"`
}

// VoteRecord is a vote with every member's ballot, the result and why.
type VoteRecord struct {
	ID               string   `json:"id"`
	Meeting          string   `json:"meeting"`
	On               string   `json:"on"`
	Date             Date     `json:"date"`
	Matter           string   `json:"matter"`
	Yes              []string `json:"yes"`
	No               []string `json:"no"`
	Abstain          []string `json:"abstain"`
	Absent           []string `json:"absent"`
	NotParticipating []string `json:"not_participating"`
	Counts           Counts   `json:"counts"`
	Needed           int      `json:"needed"`
	Result           string   `json:"result"`
	VetoedBy         []string `json:"vetoed_by"`
	Decisive         []string `json:"decisive"`
	Reason           string   `json:"reason"`
	Symbol           string   `json:"symbol,omitempty"`
}

// DraftRecord is a draft resolution or amendment and what became of it.
type DraftRecord struct {
	ID         string   `json:"id"`
	Amends     string   `json:"amends,omitempty"`
	Title      string   `json:"title"`
	Symbol     string   `json:"symbol"`
	Sponsors   []string `json:"sponsors"`
	Meeting    string   `json:"meeting,omitempty"`
	Status     string   `json:"status"`
	Vote       string   `json:"vote,omitempty"`
	Resolution string   `json:"resolution,omitempty"`
}

// StatementRecord is a presidential statement, issued or blocked.
type StatementRecord struct {
	Meeting    string   `json:"meeting"`
	Date       Date     `json:"date"`
	Text       string   `json:"text,omitempty"`
	Issued     bool     `json:"issued"`
	Symbol     string   `json:"symbol,omitempty"`
	Objections []string `json:"objections"`
	Decisive   []string `json:"decisive"`
	Reason     string   `json:"reason"`
}

// Record builds the record of everything done so far.
func (s *State) Record(title string) *Record {
	rec := &Record{Title: title, Body: s.cfg.Body.ID, Requests: []RequestRecord{}, Meetings: []MeetingRecord{},
		Votes: []VoteRecord{}, Drafts: []DraftRecord{}, Statements: []StatementRecord{}}
	for _, id := range s.RequestOrder {
		rec.Requests = append(rec.Requests, s.RequestRecord(s.Request(id)))
	}
	for _, id := range s.MeetingOrder {
		m := s.Meeting(id)
		mr := MeetingRecord{ID: m.ID, Status: m.Status, Agenda: nonNil(m.Agenda), AgendaAdopted: m.AgendaAdopted,
			Symbol: m.Symbol, Format: m.Format, Request: m.Request, Objections: nonNil(m.Objections),
			Changes: m.Changes, Speeches: []SpeechRecord{}, Votes: nonNil(m.Votes)}
		if mr.Changes == nil {
			mr.Changes = []MeetingChange{}
		}
		if m.On != 0 {
			on := m.On
			mr.On = &on
			if sit, err := s.cfg.Seating.Sitting(m.On); err == nil && sit.President != "" {
				p := sit.President
				mr.President = &p
			}
		}
		for _, st := range m.Speeches {
			mr.Speeches = append(mr.Speeches, SpeechRecord{Date: st.Date, By: st.By, Text: st.Text})
		}
		if len(m.Speakers) > 0 {
			mr.Speakers = slices.Clone(m.Speakers)
		}
		if v := m.OpenVote; v != nil {
			mr.OpenVote = &OpenVoteRecord{ID: v.ID, On: v.On, Matter: v.Matter, Date: v.Opened,
				Ballots: append([]CastBallot{}, v.Ballots...)}
			if len(v.Parties) > 0 {
				mr.OpenVote.Parties = slices.Clone(v.Parties)
			}
		}
		rec.Meetings = append(rec.Meetings, mr)
	}
	for _, v := range s.Votes {
		rec.Votes = append(rec.Votes, VoteRecordOf(v))
	}
	for _, id := range s.DraftOrder {
		x := s.DraftByID(id)
		rec.Drafts = append(rec.Drafts, DraftRecord{ID: x.ID, Amends: x.Draft, Title: x.Title, Symbol: x.Symbol,
			Sponsors: x.Sponsors, Meeting: x.Meeting, Status: x.Status, Vote: x.Vote, Resolution: x.Resolution})
	}
	for _, p := range s.Statements {
		rec.Statements = append(rec.Statements, StatementRecord{Meeting: p.Meeting, Date: p.Date, Text: p.Text,
			Issued: p.Issued, Symbol: p.Symbol, Objections: p.Objections, Decisive: p.Decisive, Reason: p.Reason})
	}
	return rec
}

// VoteRecordOf is the record of a vote.
func VoteRecordOf(v *VoteTaken) VoteRecord {
	result := "failed"
	if v.Adopted {
		result = "adopted"
	}
	return VoteRecord{ID: v.ID, Meeting: v.Meeting, On: v.On, Date: v.Date, Matter: v.Matter, Yes: v.Yes, No: v.No,
		Abstain: v.Abstain, Absent: v.Absent, NotParticipating: v.NotParticipating, Counts: v.Counts,
		Needed: v.Needed, Result: result, VetoedBy: v.VetoedBy, Decisive: v.Decisive, Reason: v.Reason, Symbol: v.Symbol}
}

// RequestRecord is a request with its support counted against the procedural threshold: who signed,
// who declined, who has not answered, how many are missing and whose signature alone would close the gap.
// Membership is taken on the day of the request's last step; support counts the signatories sitting then.
func (s *State) RequestRecord(r *RequestState) RequestRecord {
	rr := RequestRecord{ID: r.ID, By: r.By, Subject: r.Subject, Symbol: r.Symbol, Drafted: r.Drafted, MeetingOn: r.MeetingOn,
		Status: r.Status, Signatories: nonNil(r.Signatories), Declined: nonNil(r.Declined), Undecided: []string{},
		Support: len(r.Signatories), Decisive: []string{}, Reason: r.Reason, Meeting: r.Meeting}
	sit, err := s.cfg.Seating.Sitting(r.Updated)
	era := s.EraOn(r.Updated)
	if err != nil || era == nil {
		return rr
	}
	// Only members sitting that day count: a signatory whose term ended supports the letter no more.
	rr.Support = 0
	for _, m := range r.Signatories {
		if sit.Index(m) >= 0 {
			rr.Support++
		}
	}
	rr.Needed = era.NeededOf(s.cfg.Body.DefaultMatter("agenda"), len(sit.Members))
	rr.Missing = max(rr.Needed-rr.Support, 0)
	for _, m := range sit.Members {
		signed := r.signed(m.Code)
		if !signed && !slices.Contains(r.Declined, m.Code) {
			rr.Undecided = append(rr.Undecided, m.Code)
		}
		if !signed && rr.Missing == 1 {
			rr.Decisive = append(rr.Decisive, m.Code)
		}
	}
	return rr
}
