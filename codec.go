package council

import (
	"encoding/json"
)

// CouncilCreated is the first event of every council's stream: what the council is made of, so its
// state can be rebuilt from the stream alone.
type CouncilCreated struct {
	Dated
	Title string `json:"title,omitempty"`
	// Body is a built-in body's id ("unsc"); BodyFile is the text of a body file when the body is not
	// built in, kept whole so the stream needs nothing beside it.
	Body     string `json:"body"`
	BodyFile string `json:"body_file,omitempty"`
	// Members replaces the roster (class to codes); empty means the real roster of each day.
	Members map[string][]string `json:"members,omitempty"`
	Weights map[string]int64    `json:"weights,omitempty"`
	// NextMeeting and NextResolution are where meeting and resolution numbering start.
	NextMeeting    int `json:"next_meeting,omitempty"`
	NextResolution int `json:"next_resolution,omitempty"`
}

// EventType names the event in stored streams.
func (CouncilCreated) EventType() string { return "council-created" }

// eventTypes makes an empty event of each stored type, for decoding.
var eventTypes = map[string]func() Event{
	"council-created":        func() Event { return &CouncilCreated{} },
	"request-drafted":        func() Event { return &RequestDrafted{} },
	"request-signed":         func() Event { return &RequestSigned{} },
	"signature-withdrawn":    func() Event { return &SignatureWithdrawn{} },
	"request-declined":       func() Event { return &RequestDeclined{} },
	"request-submitted":      func() Event { return &RequestSubmitted{} },
	"request-abandoned":      func() Event { return &RequestAbandoned{} },
	"meeting-scheduled":      func() Event { return &MeetingScheduled{} },
	"meeting-postponed":      func() Event { return &MeetingPostponed{} },
	"meeting-cancelled":      func() Event { return &MeetingCancelled{} },
	"meeting-opened":         func() Event { return &MeetingOpened{} },
	"agenda-objected":        func() Event { return &AgendaObjected{} },
	"agenda-adopted":         func() Event { return &AgendaAdopted{} },
	"draft-circulated":       func() Event { return &DraftCirculated{} },
	"draft-cosponsored":      func() Event { return &DraftCosponsored{} },
	"amendment-proposed":     func() Event { return &AmendmentProposed{} },
	"draft-withdrawn":        func() Event { return &DraftWithdrawn{} },
	"vote-taken":             func() Event { return &VoteTaken{} },
	"statement-made":         func() Event { return &StatementMade{} },
	"presidential-statement": func() Event { return &PresidentialStatement{} },
	"meeting-closed":         func() Event { return &MeetingClosed{} },
	"vote-opened":            func() Event { return &VoteOpened{} },
	"ballot-cast":            func() Event { return &BallotCast{} },
	"speaker-inscribed":      func() Event { return &SpeakerInscribed{} },
}

// EncodeEvent writes an event as its type and canonical JSON: the same event always gives the same bytes.
func EncodeEvent(e Event) (EventData, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return EventData{}, Errorf(EINTERNAL, "encode %s: %v", e.EventType(), err)
	}
	return EventData{Type: e.EventType(), Data: b}, nil
}

// DecodeEvent reads an event from its type and JSON.
func DecodeEvent(typ string, data []byte) (Event, error) {
	mk := eventTypes[typ]
	if mk == nil {
		return nil, Errorf(EINVALID, "unknown event type %q", typ)
	}
	e := mk()
	if err := unmarshalEvent(data, e); err != nil {
		return nil, Errorf(EINVALID, "decode %s: %v", typ, err)
	}
	return e, nil
}
