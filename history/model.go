package history

import (
	"fmt"
	"strconv"
)

// The kinds of outcome a meeting can have.
const (
	KindResolution      = "resolution"        // a resolution adopted: S/RES/N (YEAR)
	KindDraftNotAdopted = "draft-not-adopted" // a draft put to the vote and not adopted, with no veto
	KindDraftVetoed     = "draft-vetoed"      // a draft defeated by the negative vote of a permanent member
	KindPRST            = "prst"              // a presidential statement: S/PRST/YEAR/N, or S/N (PRST) before 1994
	KindAgendaVote      = "agenda-vote"       // a procedural vote on the adoption of the agenda
	KindCommunique      = "communique"        // the communiqué of a private meeting
	KindNote            = "note"              // a note by the President: Note (S/YEAR/N)
	KindLetter          = "letter"            // a letter: Letter (S/YEAR/N)
	KindElection        = "election"          // an election, such as of judges of the International Court
	KindDocument        = "document"          // a document symbol the table gives without saying what it was
	KindOther           = "other"             // another decision the table names in words ("Decision", a referral)
)

// Kinds lists every kind of outcome, in the order they are reported.
var Kinds = []string{KindResolution, KindDraftNotAdopted, KindDraftVetoed, KindPRST, KindAgendaVote,
	KindCommunique, KindNote, KindLetter, KindElection, KindDocument, KindOther}

// Meeting is one row of the Library's table of meetings: a formal meeting, or one item of it (a few
// meetings take two rows, one per item; their keys are told apart by "#2").
type Meeting struct {
	// Key names the meeting uniquely in the record: its record symbol, with "(Resumption N)" or
	// "(Part N)" where the table has one, "VTC DATE" for a videoconference of 2020–2021 without a
	// record, and " #2", " #3" for further rows of the same meeting.
	Key          string    `json:"key"`
	Date         string    `json:"date"`             // YYYY-MM-DD
	Symbol       string    `json:"symbol,omitempty"` // S/PV.N; "" for a videoconference without a record
	Record       string    `json:"record"`           // the record cell as the table has it
	Closed       bool      `json:"closed,omitempty"` // a private (closed) meeting
	PressRelease string    `json:"press_release,omitempty"`
	Topic        string    `json:"topic"`
	Outcomes     []Outcome `json:"outcomes"`
	Raw          string    `json:"raw"` // the outcome cell as the table has it
	Row          int       `json:"row"` // the line of meetings_1946_2022.csv (the header is line 1)
}

// Year is the meeting's year.
func (m *Meeting) Year() int {
	y, _ := strconv.Atoi(m.Date[:4])
	return y
}

// Outcome is one thing a meeting decided or failed to decide, as the Library's outcome cell says it.
type Outcome struct {
	Kind string `json:"kind"`
	// Document is the document's symbol: S/RES/82 (1950), a draft's S/1500 or S/2014/916 (S/PV.N for the
	// early drafts that had none), S/PRST/2017/16.
	Document string `json:"document,omitempty"`
	// Detail keeps the Library's further words on the document: "(as amended)", a second draft, a
	// country in an admission vote.
	Detail string `json:"detail,omitempty"`
	Tally  Tally  `json:"tally,omitzero"`
	// Unanimous is the Library's "adopted unanimously", said without a tally.
	Unanimous bool `json:"unanimous,omitempty"`
	// WithoutVote is a resolution adopted without a vote (or "by consensus").
	WithoutVote bool `json:"without_vote,omitempty"`
	// VetoedBy are the permanent members whose negative vote defeated the draft (codes: SUN, RUS, USA,
	// GBR, FRA, CHN), from the veto list where it names the draft, else from the cell.
	VetoedBy []string `json:"vetoed_by,omitempty"`
	// NotParticipating are members the cell says did not participate in the voting.
	NotParticipating []string `json:"not_participating,omitempty"`
	// Ballots is each member's ballot, where a source gives them (the DPRK votes of 2014–2017).
	Ballots *Ballots `json:"ballots,omitempty"`
	// Source is the file the outcome comes from when it is not the meetings table.
	Source string `json:"source,omitempty"`
	// Raw is the part of the cell the outcome was read from.
	Raw string `json:"raw"`
}

// Tally is a vote's count as the Library gives it: in favour, against, abstaining.
type Tally struct {
	Yes     int `json:"yes"`
	No      int `json:"no"`
	Abstain int `json:"abstain"`
	// Absent is the count the Library states, as in "14-0-0 (1 absent)"; otherwise 0, and the members
	// not counted are taken as absent.
	Absent int  `json:"absent,omitempty"`
	Known  bool `json:"known"`
}

// String writes the tally as the Library does: "9-0-1"; "" when unknown.
func (t Tally) String() string {
	if !t.Known {
		return ""
	}
	return fmt.Sprintf("%d-%d-%d", t.Yes, t.No, t.Abstain)
}

// Ballots are the members that voted each way, where a source names them.
type Ballots struct {
	Yes     []string `json:"yes"`
	No      []string `json:"no"`
	Abstain []string `json:"abstain"`
}

// Votable reports whether the outcome is one that a vote decides: a resolution, a draft, an agenda.
func (o *Outcome) Votable() bool {
	switch o.Kind {
	case KindResolution, KindDraftNotAdopted, KindDraftVetoed, KindAgendaVote:
		return true
	}
	return false
}

// Veto is one row of the Library's list of vetoed drafts.
type Veto struct {
	Row      int      `json:"row"`      // the line of vetoes_1946_2022.csv
	Date     string   `json:"date"`     // YYYY-MM-DD
	Draft    string   `json:"draft"`    // as the list gives it: S/2022/155, or S/PV.N for drafts without a symbol
	Document string   `json:"document"` // the draft's first symbol
	Record   string   `json:"record"`   // the meeting record the list gives
	Members  []string `json:"members"`  // the vetoing members' codes
	Agenda   string   `json:"agenda"`
	Topic    string   `json:"topic"` // the list's crisis topic: "Syria", "Israel-Palestine", "Admission"
	Region   string   `json:"region"`
	// Meeting is the key of the meeting whose vetoed draft this is; "" when the meetings table has none.
	Meeting string `json:"meeting,omitempty"`
}

// Problem is a cell, or part of one, that the parser could not read, or a fact of the data worth
// knowing (a row given twice, a resolution missing from the table).
type Problem struct {
	File   string `json:"file"`
	Row    int    `json:"row"`   // the line in the file; 0 when the problem is not one row's
	Field  string `json:"field"` // the column
	Value  string `json:"value"` // the text at fault
	Reason string `json:"reason"`
	Detail string `json:"detail"`
	// Kept says whether the row was kept (with what could be read); false when it was left out.
	Kept bool `json:"kept"`
}

// Reasons of problems.
const (
	ReasonUnreadText        = "unread-text"           // words in an outcome cell that name no outcome the parser knows
	ReasonTallyWithout      = "tally-without-outcome" // a tally with no resolution or draft before it
	ReasonWordsWithout      = "words-without-outcome" // "adopted unanimously", "without vote" with no resolution before it
	ReasonSecondTally       = "second-tally"          // an outcome followed by two tallies
	ReasonUnknownMember     = "unknown-member"        // a member's name that is not one of that year's members
	ReasonDateFromText      = "date-from-text"        // no ISO date: the first day of the date text was taken
	ReasonDuplicateRow      = "duplicate-row"         // a row the table gives twice: the second is left out
	ReasonResolutionMissing = "resolution-missing"    // a resolution number no meeting row adopts
	ReasonResolutionTwice   = "resolution-twice"      // a resolution number two rows adopt
	ReasonVetoNotInTable    = "veto-not-in-table"     // a vetoed draft of the veto list that no meeting row records as vetoed
	ReasonVetoNotListed     = "veto-not-listed"       // a draft the table records as vetoed that the veto list lacks
	ReasonVetoAsNotAdopted  = "veto-as-not-adopted"   // a draft the veto list has as vetoed and the table as not adopted
	ReasonColumnsShifted    = "columns-shifted"       // a row whose outcome stands in the topic column: read from there
	ReasonVetoersDiffer     = "vetoers-differ"        // the cell and the veto list name different vetoing members
	ReasonBadRow            = "bad-row"               // a row whose date or record cannot be read at all
)

// Source is a file the record was read from, with its SHA-256.
type Source struct {
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows"`
}

// Stats counts what the parse found.
type Stats struct {
	Rows     int            `json:"rows"`     // rows of the meetings table
	Meetings int            `json:"meetings"` // meetings kept
	Outcomes int            `json:"outcomes"`
	ByKind   map[string]int `json:"by_kind"`
	// Tallies counts outcomes with a numeric tally.
	Tallies  int            `json:"tallies"`
	Vetoes   int            `json:"vetoes"`   // rows of the veto list
	Problems int            `json:"problems"` // every problem, row or not
	ByReason map[string]int `json:"by_reason"`
	First    string         `json:"first"` // the first meeting's date
	Last     string         `json:"last"`  // the last meeting's date
}
