package council

// Command is something a member, the President or the secretariat asks the body to do: one step of a
// scenario, or one request to the server. Decide checks it against the rules.
type Command interface {
	// Kind is the step's name in scenarios and the API ("sign", "vote", ...).
	Kind() string
	// Day is the day the step happens; zero means the day of the step before.
	Day() Date
}

// At carries the day a command happens; zero means the day of the command before.
type At struct {
	At Date `json:"at,omitzero"`
}

// Day returns the command's day.
func (a At) Day() Date { return a.At }

// Request: a member drafts a letter asking for a meeting; its author is its first signatory.
type Request struct {
	At
	ID        string `json:"id"`
	By        string `json:"by"`
	Subject   string `json:"subject"`
	MeetingOn Date   `json:"meeting_on,omitzero"`
	Symbol    string `json:"symbol,omitempty"` // the letter's document symbol, when known (S/2014/872)
}

// Sign: members co-sign a request.
type Sign struct {
	At
	Request string   `json:"request"`
	By      []string `json:"by"`
}

// Unsign: a member takes its signature back before the letter is submitted.
type Unsign struct {
	At
	Request string `json:"request"`
	By      string `json:"by"`
}

// Decline: a member says it will not sign.
type Decline struct {
	At
	Request string `json:"request"`
	By      string `json:"by"`
}

// Submit: the letter goes to the President, who must then schedule a meeting (Rule 2).
type Submit struct {
	At
	Request string `json:"request"`
}

// Abandon: the proponents drop a request.
type Abandon struct {
	At
	Request string `json:"request"`
	Reason  string `json:"reason"`
}

// Presiding carries the optional name of the member acting as President; if given it must be the
// President of the day.
type Presiding struct {
	By string `json:"by,omitempty"`
}

// Schedule: the President puts a meeting in the programme of work.
type Schedule struct {
	At
	Presiding
	Meeting string   `json:"meeting"`
	On      Date     `json:"on"`
	Agenda  []string `json:"agenda"`
	Request string   `json:"request,omitempty"`
	Format  string   `json:"format,omitempty"`
}

// Postpone: a scheduled meeting is put off to a new date, or without date.
type Postpone struct {
	At
	Presiding
	Meeting string `json:"meeting"`
	To      Date   `json:"to,omitzero"`
	Reason  string `json:"reason"`
	// RequestedBy is the member at whose request the President acts, when known.
	RequestedBy string `json:"requested_by,omitempty"`
}

// Cancel: a meeting is taken off the programme of work.
type Cancel struct {
	At
	Presiding
	Meeting     string `json:"meeting"`
	Reason      string `json:"reason"`
	RequestedBy string `json:"requested_by,omitempty"`
}

// Open: the meeting starts with the provisional agenda before it.
type Open struct {
	At
	Presiding
	Meeting string `json:"meeting"`
}

// Object: members object to the provisional agenda.
type Object struct {
	At
	Meeting string   `json:"meeting"`
	By      []string `json:"by"`
}

// AdoptAgenda: the agenda is adopted without a vote; refused while an objection stands.
type AdoptAgenda struct {
	At
	Presiding
	Meeting string `json:"meeting"`
}

// Draft: a draft resolution is circulated by its sponsors.
type Draft struct {
	At
	ID      string   `json:"id"`
	By      []string `json:"by"`
	Title   string   `json:"title"`
	Meeting string   `json:"meeting,omitempty"`
	Symbol  string   `json:"symbol,omitempty"` // the draft's document symbol, when known (S/2014/916)
}

// Cosponsor: members join a draft's sponsors.
type Cosponsor struct {
	At
	Draft string   `json:"draft"`
	By    []string `json:"by"`
}

// Amend: an amendment to a draft is proposed.
type Amend struct {
	At
	ID     string   `json:"id"`
	Draft  string   `json:"draft"`
	By     []string `json:"by"`
	Title  string   `json:"title,omitempty"`
	Symbol string   `json:"symbol,omitempty"`
}

// Withdraw: a draft or amendment is withdrawn before it is voted on (Rule 35).
type Withdraw struct {
	At
	Draft string `json:"draft"`
}

// Vote: the body votes on the agenda, a draft or an amendment. Members listed nowhere are absent;
// Rest names the ballot ("yes", "no" or "abstain") of every member not listed elsewhere.
type Vote struct {
	At
	ID      string   `json:"id,omitempty"`
	Meeting string   `json:"meeting"`
	On      string   `json:"on"`
	Matter  string   `json:"matter,omitempty"`
	Parties []string `json:"parties,omitempty"`
	Yes     []string `json:"yes,omitempty"`
	No      []string `json:"no,omitempty"`
	Abstain []string `json:"abstain,omitempty"`
	Absent  []string `json:"absent,omitempty"`
	Rest    string   `json:"rest,omitempty"`
}

// Statement: a member speaks at a meeting.
type Statement struct {
	At
	Meeting string `json:"meeting"`
	By      string `json:"by"`
	Text    string `json:"text,omitempty"`
}

// PRST: the President proposes a presidential statement; it is issued only if nobody objects.
type PRST struct {
	At
	Presiding
	Meeting    string   `json:"meeting"`
	Text       string   `json:"text,omitempty"`
	Objections []string `json:"objections,omitempty"`
}

// Close: the meeting ends.
type Close struct {
	At
	Presiding
	Meeting string `json:"meeting"`
}

// OpenVote: the President puts a question to the vote, which stays open while each member casts its own
// ballot (Ballot) and until the President closes it (CloseVote). It names what Vote names but the ballots:
// the same checks apply, and while it is open no other vote is taken and the meeting cannot close.
type OpenVote struct {
	At
	Presiding
	ID      string   `json:"id,omitempty"` // "" gives the first free vN, as Vote does
	Meeting string   `json:"meeting"`
	On      string   `json:"on"` // "agenda", or a draft or amendment id
	Matter  string   `json:"matter,omitempty"`
	Parties []string `json:"parties,omitempty"`
}

// Ballot: a member casts its own ballot in an open vote: "yes", "no" or "abstain". A ballot once cast
// cannot be changed, and a party to the dispute casts none (Art. 27(3)).
type Ballot struct {
	At
	Vote   string `json:"vote"` // the open vote's id
	By     string `json:"by"`
	Ballot string `json:"ballot"`
}

// CloseVote: the President closes an open vote and the result is declared: members that cast no ballot
// are absent, parties do not participate. It produces the VoteTaken a Vote with those ballots would.
type CloseVote struct {
	At
	Presiding
	Vote string `json:"vote"` // the open vote's id
}

// AskToSpeak: a member asks the President for the floor at an open meeting, and is inscribed at the end
// of the speakers list (Rule 27); its statement takes it off the list.
type AskToSpeak struct {
	At
	Meeting string `json:"meeting"`
	By      string `json:"by"`
}

// Kind names the step.
func (Request) Kind() string     { return "request" }
func (Sign) Kind() string        { return "sign" }
func (Unsign) Kind() string      { return "unsign" }
func (Decline) Kind() string     { return "decline" }
func (Submit) Kind() string      { return "submit" }
func (Abandon) Kind() string     { return "abandon" }
func (Schedule) Kind() string    { return "schedule" }
func (Postpone) Kind() string    { return "postpone" }
func (Cancel) Kind() string      { return "cancel" }
func (Open) Kind() string        { return "open" }
func (Object) Kind() string      { return "object" }
func (AdoptAgenda) Kind() string { return "adopt_agenda" }
func (Draft) Kind() string       { return "draft" }
func (Cosponsor) Kind() string   { return "cosponsor" }
func (Amend) Kind() string       { return "amend" }
func (Withdraw) Kind() string    { return "withdraw" }
func (Vote) Kind() string        { return "vote" }
func (Statement) Kind() string   { return "statement" }
func (PRST) Kind() string        { return "prst" }
func (Close) Kind() string       { return "close" }
func (OpenVote) Kind() string    { return "open_vote" }
func (Ballot) Kind() string      { return "ballot" }
func (CloseVote) Kind() string   { return "close_vote" }
func (AskToSpeak) Kind() string  { return "ask_to_speak" }

// SetDay sets the day a command happens; a scenario gives undated steps the day of the step before.
func (a *At) SetDay(d Date) { a.At = d }
