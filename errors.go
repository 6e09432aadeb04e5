// Package council is the domain of a deliberative body run by its real rules: members and their seats,
// requests for meetings and their support, the programme of work, meetings, agendas, drafts, votes and
// statements. Commands are decided against the state (every rule check lives in Decide), produce events,
// and only Apply changes the state. It is pure and deterministic, and uses only the standard library and
// the project's own pure packages.
package council

import (
	"errors"
	"fmt"
)

// Error is the application's error: a stable code for programs and a message for people. Any other
// error is internal.
type Error struct {
	Code    string
	Message string
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error, or EINTERNAL for any other non-nil error.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an application error, or a generic text for internal errors so
// their details never reach users.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	}
	return "internal error"
}

// Error codes. They are stable: programs and the HTTP API depend on them.
const (
	EINTERNAL = "internal"
	EINVALID  = "invalid" // a command is malformed: a field missing or of the wrong form

	EUnknownMember    = "unknown-member"     // a code that names no known member
	ENotSitting       = "not-sitting"        // a member that does not sit on the body on that day
	ENotPresident     = "not-president"      // a presidential step by someone who is not the President
	EDateBackwards    = "date-backwards"     // a step dated before the step before it
	EDuplicateID      = "duplicate-id"       // an id already used
	EUnknownRequest   = "unknown-request"    // no request with that id
	EUnknownMeeting   = "unknown-meeting"    // no meeting with that id
	EUnknownDraft     = "unknown-draft"      // no draft or amendment with that id
	EUnknownMatter    = "unknown-matter"     // a matter the body's rules do not define
	EAlreadySigned    = "already-signed"     // a member signs twice, or declines after signing
	ENotSigned        = "not-signed"         // a signature taken back that was never given
	EAlreadyDeclined  = "already-declined"   // a member declines twice
	EAuthor           = "author"             // the author cannot take back its own letter's signature
	ERequestClosed    = "request-closed"     // the request is no longer open for this step
	ENotSubmitted     = "not-submitted"      // a meeting scheduled on a request not yet submitted
	EMeetingStatus    = "meeting-status"     // the meeting is not in a state that allows the step
	EWrongDay         = "wrong-day"          // a meeting opened on another day than its date
	EAgendaAdopted    = "agenda-adopted"     // the agenda is already adopted
	EAgendaPending    = "agenda-pending"     // the agenda is not adopted yet
	EObjection        = "objection-stands"   // the agenda cannot be adopted without a vote
	ENoObjection      = "no-objection"       // the agenda is put to the vote only when a member objects
	EAlreadyObjected  = "already-objected"   // a member objects twice
	EDraftClosed      = "draft-closed"       // the draft was already voted on or withdrawn
	EAlreadySponsor   = "already-sponsor"    // a member sponsors twice
	EAmendmentsFirst  = "amendments-first"   // amendments are voted before the draft (Rule 36)
	EListedTwice      = "listed-twice"       // a member given two ballots in one vote
	EPartyMustAbstain = "party-must-abstain" // a party to a dispute voting (Art. 27(3))
	ENoPresidency     = "no-presidency"      // the body's presidency is not known for that day
	ENoData           = "no-data"            // the roster has no members for that day
	EVoteOpen         = "vote-open"          // a vote is open in the meeting, or on the draft: it must be closed first
	ENoOpenVote       = "no-open-vote"       // no vote with that id is open
	EAlreadyVoted     = "already-voted"      // a member casts a second ballot in an open vote
	EAlreadyInscribed = "already-inscribed"  // a member already on the speakers list asks to speak again
)
