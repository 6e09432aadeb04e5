package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/councils"
)

// recordOf reads a readable council's record as it stands.
func (s *Server) recordOf(r *http.Request, p principal) (*council.Record, int64, error) {
	name, err := s.readable(r, p)
	if err != nil {
		return nil, 0, err
	}
	var (
		rec     *council.Record
		version int64
	)
	err = s.svc.View(r.Context(), name, func(v councils.View) error {
		rec, version = v.State.Record(v.Def.Title), v.Version
		return nil
	})
	return rec, version, err
}

// writeVersioned writes a query's answer with the version of the council it reflects, as an ETag.
func writeVersioned(w http.ResponseWriter, version int64, v any) {
	w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(version, 10)))
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, v)
}

// record serves the full record: the same JSON as `council replay --json`.
func (s *Server) record(w http.ResponseWriter, r *http.Request, p principal) error {
	rec, version, err := s.recordOf(r, p)
	if err != nil {
		return err
	}
	writeVersioned(w, version, rec)
	return nil
}

// Programme is the programme of work: the council's meetings, scheduled, held, postponed or cancelled.
type Programme struct {
	Meetings []council.MeetingRecord `json:"meetings"`
}

func (s *Server) programme(w http.ResponseWriter, r *http.Request, p principal) error {
	rec, version, err := s.recordOf(r, p)
	if err != nil {
		return err
	}
	writeVersioned(w, version, Programme{Meetings: rec.Meetings})
	return nil
}

// Requests are the council's requests for meetings with their support.
type Requests struct {
	Requests []council.RequestRecord `json:"requests"`
}

func (s *Server) requests(w http.ResponseWriter, r *http.Request, p principal) error {
	rec, version, err := s.recordOf(r, p)
	if err != nil {
		return err
	}
	writeVersioned(w, version, Requests{Requests: rec.Requests})
	return nil
}

func (s *Server) request(w http.ResponseWriter, r *http.Request, p principal) error {
	rec, version, err := s.recordOf(r, p)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	for _, q := range rec.Requests {
		if q.ID == id {
			writeVersioned(w, version, q)
			return nil
		}
	}
	return council.Errorf(councils.ENotFound, "%s has no request %s", r.PathValue("council"), id)
}

// Votes are the council's votes with every member's ballot.
type Votes struct {
	Votes []council.VoteRecord `json:"votes"`
}

func (s *Server) votes(w http.ResponseWriter, r *http.Request, p principal) error {
	rec, version, err := s.recordOf(r, p)
	if err != nil {
		return err
	}
	writeVersioned(w, version, Votes{Votes: rec.Votes})
	return nil
}

func (s *Server) vote(w http.ResponseWriter, r *http.Request, p principal) error {
	rec, version, err := s.recordOf(r, p)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	for _, v := range rec.Votes {
		if v.ID == id {
			writeVersioned(w, version, v)
			return nil
		}
	}
	return council.Errorf(councils.ENotFound, "%s has no vote %s", r.PathValue("council"), id)
}

// StreamEvent is an event as the API shows it: its version in the council's stream, its type, the
// event's JSON and its chain hash.
type StreamEvent struct {
	Version int64           `json:"version"`
	Type    string          `json:"type"`
	Event   json.RawMessage `json:"event"`
	Hash    string          `json:"hash"`
}

// EventPage is a page of a council's events.
type EventPage struct {
	Events []StreamEvent `json:"events"`
	Next   int64         `json:"next"` // pass as after= for the next page
}

// maxPage bounds a page of events.
const maxPage = 1000

// events serves the council's stored events after a version, a page at a time; with Accept:
// text/event-stream it is the live stream.
func (s *Server) events(w http.ResponseWriter, r *http.Request, p principal) error {
	if r.Header.Get("Accept") == "text/event-stream" {
		return s.stream(w, r, p)
	}
	name, err := s.readable(r, p)
	if err != nil {
		return err
	}
	after, err := intParam(r, "after", 0)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", maxPage)
	if err != nil {
		return err
	}
	limit = min(max(limit, 1), maxPage)
	if _, err := s.svc.Version(r.Context(), name); err != nil {
		return err
	}
	page := EventPage{Events: []StreamEvent{}, Next: after}
	err = s.store.Read(r.Context(), name, after, func(e council.StoredEvent) error {
		if int64(len(page.Events)) == limit {
			return errPageFull
		}
		page.Events = append(page.Events, streamEvent(e))
		page.Next = e.Version
		return nil
	})
	if err != nil && !errors.Is(err, errPageFull) {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

var errPageFull = council.Errorf(council.EINTERNAL, "page full")

func streamEvent(e council.StoredEvent) StreamEvent {
	return StreamEvent{Version: e.Version, Type: e.Type, Event: e.Data, Hash: council.HashString(e.Hash)}
}

// intParam reads a non-negative integer query parameter.
func intParam(r *http.Request, name string, def int64) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, invalidField(name, "%s must be a whole number of at least 0, not %q", name, v)
	}
	return n, nil
}
