package history

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/opencouncil/council"
)

// Stream is the event stream the record is imported into. Like the server's own streams ("$access",
// "$councils") its name starts with "$", which no council's name can: the server does not list it
// among the councils or load it as one, and it cannot collide with a council.
const Stream = "$unsc-history"

// The types of the stream's events: first one header, then one event per meeting (keyed by the
// meeting's key), then one per row of the veto list (keyed "veto N", N its line).
const (
	EventImported = "history-imported"
	EventMeeting  = "historical-meeting"
	EventVeto     = "historical-veto"
)

// ErrOtherRecord is an import refused because the stream already holds something else: another
// record, or events that are not an imported record.
var ErrOtherRecord = errors.New("the store holds another record")

// Header is the stream's first event: where the record comes from, and how much of it there is.
type Header struct {
	Sources  []Source  `json:"sources"`
	Meetings int       `json:"meetings"`
	Vetoes   int       `json:"vetoes"`
	Stats    Stats     `json:"stats"`
	Problems []Problem `json:"problems"`
}

// Imported is what Import did.
type Imported struct {
	Stream   string `json:"stream"`
	Appended bool   `json:"appended"` // false when the store already held the same record
	Events   int64  `json:"events"`
	Head     string `json:"head"` // the stream's head hash, verified
}

// events is the record as the stream's events.
func (h *History) events() ([]council.EventData, error) {
	hd := Header{Sources: h.Sources, Meetings: len(h.Meetings), Vetoes: len(h.Vetoes), Stats: h.Stats, Problems: h.Problems}
	b, err := json.Marshal(hd)
	if err != nil {
		return nil, err
	}
	out := make([]council.EventData, 0, 1+len(h.Meetings)+len(h.Vetoes))
	out = append(out, council.EventData{Type: EventImported, Data: b, Key: "history " + h.Sources[0].SHA256[:16]})
	for i := range h.Meetings {
		b, err := json.Marshal(&h.Meetings[i])
		if err != nil {
			return nil, err
		}
		out = append(out, council.EventData{Type: EventMeeting, Data: b, Key: h.Meetings[i].Key})
	}
	for i := range h.Vetoes {
		b, err := json.Marshal(&h.Vetoes[i])
		if err != nil {
			return nil, err
		}
		out = append(out, council.EventData{Type: EventVeto, Data: b, Key: "veto " + strconv.Itoa(h.Vetoes[i].Row)})
	}
	return out, nil
}

// Import writes the record into the store as the stream Stream, in one atomic append, when the stream
// is empty; when it already holds the same record (the same sources, by SHA-256, and the same number of
// events) it appends nothing. It refuses a stream that holds anything else. Either way it then verifies
// the stream's hash chain.
func Import(ctx context.Context, st council.EventStore, h *History) (*Imported, error) {
	evs, err := h.events()
	if err != nil {
		return nil, err
	}
	out := &Imported{Stream: Stream}
	for attempt := 0; ; attempt++ {
		n, _, err := st.Head(ctx, Stream)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			_, err = st.Append(ctx, council.Append{Stream: Stream, Expected: 0, Events: evs})
			if council.ErrorCode(err) == council.EConflict && attempt == 0 {
				continue // imported at the same moment by another process: compare with what it wrote
			}
			if err != nil {
				return nil, fmt.Errorf("import into %s: %w; nothing imported", Stream, err)
			}
			out.Appended = true
			break
		}
		if err := sameRecord(ctx, st, h, n, int64(len(evs))); err != nil {
			return nil, err
		}
		break
	}
	brk, n, err := council.VerifyStream(ctx, st, Stream)
	if err != nil {
		return nil, err
	}
	if brk != nil {
		return nil, fmt.Errorf("%s does not verify: event %d: %s", Stream, brk.Version, brk.Reason)
	}
	_, head, err := st.Head(ctx, Stream)
	if err != nil {
		return nil, err
	}
	out.Events, out.Head = n, council.HashString(head)
	return out, nil
}

// sameRecord checks that a stream already holds this record: its header names the same sources and it
// has the same number of events.
func sameRecord(ctx context.Context, st council.EventStore, h *History, n, want int64) error {
	first, ok, err := council.ReadAt(ctx, st, Stream, 1)
	if err != nil {
		return err
	}
	if !ok || first.Type != EventImported {
		return fmt.Errorf("%w: the stream %s holds %d events that are not an imported record; nothing imported", ErrOtherRecord, Stream, n)
	}
	var hd Header
	if err := json.Unmarshal(first.Data, &hd); err != nil {
		return fmt.Errorf("the header of %s: %w", Stream, err)
	}
	if len(hd.Sources) == 0 {
		return fmt.Errorf("%w: the header of %s names no sources; nothing imported", ErrOtherRecord, Stream)
	}
	if !slices.Equal(hd.Sources, h.Sources) || n != want {
		return fmt.Errorf("%w: it was imported from other sources (%d events, %s sha256 %.12s…); this one is %d events, sha256 %.12s…; nothing imported",
			ErrOtherRecord, n, hd.Sources[0].File, hd.Sources[0].SHA256, want, h.Sources[0].SHA256)
	}
	return nil
}

// Load reads the record imported into a store back, with the roster of the embedded record, and
// builds its indexes. It reports an error when the store holds no record.
func Load(ctx context.Context, st council.EventStore) (*History, error) {
	def, err := Default()
	if err != nil {
		return nil, err
	}
	h := &History{roster: def.roster}
	seen := false
	err = st.Read(ctx, Stream, 0, func(e council.StoredEvent) error {
		switch e.Type {
		case EventImported:
			var hd Header
			if err := json.Unmarshal(e.Data, &hd); err != nil {
				return fmt.Errorf("event %d: %w", e.Version, err)
			}
			h.Sources, h.Problems, seen = hd.Sources, hd.Problems, true
		case EventMeeting:
			var m Meeting
			if err := json.Unmarshal(e.Data, &m); err != nil {
				return fmt.Errorf("event %d: %w", e.Version, err)
			}
			h.Meetings = append(h.Meetings, m)
		case EventVeto:
			var v Veto
			if err := json.Unmarshal(e.Data, &v); err != nil {
				return fmt.Errorf("event %d: %w", e.Version, err)
			}
			h.Vetoes = append(h.Vetoes, v)
		default:
			return fmt.Errorf("event %d: unknown type %s", e.Version, e.Type)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", Stream, err)
	}
	if !seen {
		return nil, fmt.Errorf("the store holds no imported record (stream %s): run council history import", Stream)
	}
	if len(h.Sources) == 0 {
		return nil, fmt.Errorf("the header of %s names no sources", Stream)
	}
	h.build()
	return h, nil
}
