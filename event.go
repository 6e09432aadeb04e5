package council

// Event is something that happened to the body, produced by Decide and applied by Apply. Events carry
// every result the rules computed, so applying them needs no rule.
type Event interface {
	// EventType names the event in stored streams.
	EventType() string
	// EventDate is the day it happened.
	EventDate() Date
}

// Dated carries the day an event happened.
type Dated struct {
	Date Date `json:"date"`
}

// EventDate returns the event's day.
func (d Dated) EventDate() Date { return d.Date }

// RequestDrafted: a member drafted a letter asking for a meeting.
type RequestDrafted struct {
	Dated
	ID        string `json:"id"`
	By        string `json:"by"`
	Subject   string `json:"subject"`
	MeetingOn Date   `json:"meeting_on,omitzero"`
	Symbol    string `json:"symbol,omitempty"`
}

// RequestSigned: members co-signed a request.
type RequestSigned struct {
	Dated
	Request string   `json:"request"`
	By      []string `json:"by"`
}

// SignatureWithdrawn: a member took its signature back.
type SignatureWithdrawn struct {
	Dated
	Request string `json:"request"`
	By      string `json:"by"`
}

// RequestDeclined: a member said it will not sign.
type RequestDeclined struct {
	Dated
	Request string `json:"request"`
	By      string `json:"by"`
}

// RequestSubmitted: the letter went to the President.
type RequestSubmitted struct {
	Dated
	Request string `json:"request"`
	Symbol  string `json:"symbol"`
}

// RequestAbandoned: the proponents dropped the request.
type RequestAbandoned struct {
	Dated
	Request string `json:"request"`
	Reason  string `json:"reason"`
}

// MeetingScheduled: the President put a meeting in the programme of work.
type MeetingScheduled struct {
	Dated
	Meeting string   `json:"meeting"`
	On      Date     `json:"on"`
	Agenda  []string `json:"agenda"`
	Request string   `json:"request,omitempty"`
	Format  string   `json:"format,omitempty"`
	By      string   `json:"by,omitempty"`
}

// MeetingPostponed: a meeting was put off, to a date or without date (To is zero).
type MeetingPostponed struct {
	Dated
	Meeting     string `json:"meeting"`
	To          Date   `json:"to,omitzero"`
	Reason      string `json:"reason"`
	By          string `json:"by,omitempty"`
	RequestedBy string `json:"requested_by,omitempty"`
}

// MeetingCancelled: a meeting was taken off the programme of work.
type MeetingCancelled struct {
	Dated
	Meeting     string `json:"meeting"`
	Reason      string `json:"reason"`
	By          string `json:"by,omitempty"`
	RequestedBy string `json:"requested_by,omitempty"`
}

// MeetingOpened: the meeting started; its record has the symbol S/PV.N.
type MeetingOpened struct {
	Dated
	Meeting   string `json:"meeting"`
	Symbol    string `json:"symbol"`
	President string `json:"president,omitempty"`
}

// AgendaObjected: members objected to the provisional agenda.
type AgendaObjected struct {
	Dated
	Meeting string   `json:"meeting"`
	By      []string `json:"by"`
}

// AgendaAdopted: the agenda was adopted without a vote.
type AgendaAdopted struct {
	Dated
	Meeting string `json:"meeting"`
}

// DraftCirculated: a draft resolution was circulated.
type DraftCirculated struct {
	Dated
	ID       string   `json:"id"`
	Sponsors []string `json:"sponsors"`
	Title    string   `json:"title"`
	Meeting  string   `json:"meeting,omitempty"`
	Symbol   string   `json:"symbol"`
}

// DraftCosponsored: members joined a draft's sponsors.
type DraftCosponsored struct {
	Dated
	Draft string   `json:"draft"`
	By    []string `json:"by"`
}

// AmendmentProposed: an amendment to a draft was proposed.
type AmendmentProposed struct {
	Dated
	ID       string   `json:"id"`
	Draft    string   `json:"draft"`
	Sponsors []string `json:"sponsors"`
	Title    string   `json:"title,omitempty"`
	Symbol   string   `json:"symbol"`
}

// DraftWithdrawn: a draft or amendment was withdrawn before the vote.
type DraftWithdrawn struct {
	Dated
	Draft string `json:"draft"`
}

// VoteTaken: the body voted, with every member's ballot and the counted result.
type VoteTaken struct {
	Dated
	ID               string   `json:"id"`
	Meeting          string   `json:"meeting"`
	On               string   `json:"on"`
	Matter           string   `json:"matter"`
	Yes              []string `json:"yes"`
	No               []string `json:"no"`
	Abstain          []string `json:"abstain"`
	Absent           []string `json:"absent"`
	NotParticipating []string `json:"not_participating"`
	Counts           Counts   `json:"counts"`
	Needed           int      `json:"needed"`
	Adopted          bool     `json:"adopted"`
	VetoedBy         []string `json:"vetoed_by"`
	Decisive         []string `json:"decisive"`
	Reason           string   `json:"reason"`
	Symbol           string   `json:"symbol,omitempty"` // S/RES/N (YEAR) of an adopted resolution

	lists [16]string // room for the lists above in a body of up to 16 members, so one allocation holds all
}

// StatementMade: a member spoke at a meeting.
type StatementMade struct {
	Dated
	Meeting string `json:"meeting"`
	By      string `json:"by"`
	Text    string `json:"text,omitempty"`
}

// PresidentialStatement: the President proposed a statement; it was issued unless a member objected.
type PresidentialStatement struct {
	Dated
	Meeting    string   `json:"meeting"`
	Text       string   `json:"text,omitempty"`
	Objections []string `json:"objections"`
	Issued     bool     `json:"issued"`
	Symbol     string   `json:"symbol,omitempty"` // S/PRST/YEAR/N when issued
	Decisive   []string `json:"decisive"`
	Reason     string   `json:"reason"`
}

// VoteOpened: the President opened a vote; members cast their ballots until it is closed, when a
// VoteTaken declares the result. Matter is the matter the vote is taken as, its default resolved.
type VoteOpened struct {
	Dated
	ID      string   `json:"id"`
	Meeting string   `json:"meeting"`
	On      string   `json:"on"`
	Matter  string   `json:"matter"`
	Parties []string `json:"parties"`
}

// BallotCast: a member cast its ballot ("yes", "no" or "abstain") in an open vote.
type BallotCast struct {
	Dated
	Vote   string `json:"vote"`
	By     string `json:"by"`
	Ballot string `json:"ballot"`
}

// SpeakerInscribed: a member asked to speak and was put at the end of the meeting's speakers list.
type SpeakerInscribed struct {
	Dated
	Meeting string `json:"meeting"`
	By      string `json:"by"`
}

// MeetingClosed: the meeting ended.
type MeetingClosed struct {
	Dated
	Meeting string `json:"meeting"`
}

// EventType names the event in stored streams.
func (RequestDrafted) EventType() string        { return "request-drafted" }
func (RequestSigned) EventType() string         { return "request-signed" }
func (SignatureWithdrawn) EventType() string    { return "signature-withdrawn" }
func (RequestDeclined) EventType() string       { return "request-declined" }
func (RequestSubmitted) EventType() string      { return "request-submitted" }
func (RequestAbandoned) EventType() string      { return "request-abandoned" }
func (MeetingScheduled) EventType() string      { return "meeting-scheduled" }
func (MeetingPostponed) EventType() string      { return "meeting-postponed" }
func (MeetingCancelled) EventType() string      { return "meeting-cancelled" }
func (MeetingOpened) EventType() string         { return "meeting-opened" }
func (AgendaObjected) EventType() string        { return "agenda-objected" }
func (AgendaAdopted) EventType() string         { return "agenda-adopted" }
func (DraftCirculated) EventType() string       { return "draft-circulated" }
func (DraftCosponsored) EventType() string      { return "draft-cosponsored" }
func (AmendmentProposed) EventType() string     { return "amendment-proposed" }
func (DraftWithdrawn) EventType() string        { return "draft-withdrawn" }
func (VoteTaken) EventType() string             { return "vote-taken" }
func (StatementMade) EventType() string         { return "statement-made" }
func (PresidentialStatement) EventType() string { return "presidential-statement" }
func (MeetingClosed) EventType() string         { return "meeting-closed" }
func (VoteOpened) EventType() string            { return "vote-opened" }
func (BallotCast) EventType() string            { return "ballot-cast" }
func (SpeakerInscribed) EventType() string      { return "speaker-inscribed" }

// Counts are a vote's heads by ballot.
type Counts struct {
	Yes              int `json:"yes"`
	No               int `json:"no"`
	Abstain          int `json:"abstain"`
	Absent           int `json:"absent"`
	NotParticipating int `json:"not_participating"`
}

// requestID ties the request events to their request, so Apply can date the request's last change.
func (e *RequestDrafted) requestID() string     { return e.ID }
func (e *RequestSigned) requestID() string      { return e.Request }
func (e *SignatureWithdrawn) requestID() string { return e.Request }
func (e *RequestDeclined) requestID() string    { return e.Request }
func (e *RequestSubmitted) requestID() string   { return e.Request }
func (e *RequestAbandoned) requestID() string   { return e.Request }
func (e *MeetingScheduled) requestID() string   { return e.Request }
