package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/councils"
	"github.com/opencouncil/council/history"
)

// historyRoutes lists the routes of the Council's historical record (package history): queries of the
// real record since 1946, embedded in the binary, open to anyone, as JSON or, with ?format=csv, CSV.
func (s *Server) historyRoutes() []route {
	if s.store != nil {
		// A server parses the record in the background as it starts, so the first question is answered
		// as fast as the next.
		go func() { _, _ = history.Default() }()
	}
	return []route{
		{"GET", "/v1/history", s.historyAnswer(func(h *history.History, _ *http.Request) (any, error) { return h.Summary(), nil })},
		{"GET", "/v1/history/problems", s.historyAnswer(func(h *history.History, _ *http.Request) (any, error) { return h.Problems, nil })},
		{"GET", "/v1/history/check", s.historyAnswer(func(h *history.History, _ *http.Request) (any, error) { return h.Check(), nil })},
		{"GET", "/v1/history/vetoes", s.historyAnswer(historyVetoes)},
		{"GET", "/v1/history/resolutions", s.historyAnswer(func(h *history.History, _ *http.Request) (any, error) { return h.Years(), nil })},
		{"GET", "/v1/history/unanimous", s.historyAnswer(func(h *history.History, _ *http.Request) (any, error) { return h.Unanimity(), nil })},
		{"GET", "/v1/history/failed", s.historyAnswer(historyFailed)},
		{"GET", "/v1/history/meetings", s.historyAnswer(historyMeetings)},
		{"GET", "/v1/history/members/{code}", s.historyAnswer(historyMember)},
		{"GET", "/v1/history/whatif", s.historyAnswer(historyWhatIf)},
	}
}

// historyAnswer serves a query of the record: anyone may ask; the answer is JSON, or CSV with
// ?format=csv.
func (s *Server) historyAnswer(query func(h *history.History, r *http.Request) (any, error)) func(http.ResponseWriter, *http.Request, principal) error {
	return func(w http.ResponseWriter, r *http.Request, _ principal) error {
		format := r.URL.Query().Get("format")
		if format != "" && format != "json" && format != "csv" {
			return invalidField("format", "format must be json or csv, not %q", format)
		}
		h, err := history.Default()
		if err != nil {
			return err
		}
		v, err := query(h, r)
		if err != nil {
			return err
		}
		// The record is embedded: an answer changes only with the binary.
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("ETag", `"`+h.Sources[0].SHA256[:16]+`"`)
		if format == "csv" {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			return history.WriteCSV(w, v)
		}
		writeJSON(w, http.StatusOK, v)
		return nil
	}
}

// badQuery turns a query the record cannot answer into an invalid request naming the parameter.
func badQuery(field string, err error) error {
	if errors.Is(err, history.ErrBadQuery) {
		return invalidField(field, "%s", strings.TrimPrefix(err.Error(), history.ErrBadQuery.Error()+": "))
	}
	return err
}

func historyVetoes(h *history.History, r *http.Request) (any, error) {
	v, err := h.VetoCounts(r.URL.Query().Get("by"))
	return v, badQuery("by", err)
}

func historyFailed(h *history.History, r *http.Request) (any, error) {
	year, err := intParam(r, "year", 0)
	if err != nil {
		return nil, err
	}
	return h.Failed(int(year)), nil
}

func historyMeetings(h *history.History, r *http.Request) (any, error) {
	year, err := intParam(r, "year", 0)
	if err != nil {
		return nil, err
	}
	return h.MeetingsOn(r.URL.Query().Get("topic"), int(year)), nil
}

func historyMember(h *history.History, r *http.Request) (any, error) {
	code := r.PathValue("code")
	m, err := h.Member(code)
	if errors.Is(err, history.ErrBadQuery) {
		return nil, council.Errorf(councils.ENotFound, "%s never sat on the Security Council: give a member's ISO 3166 alpha-3 code, such as USA, or SUN for the USSR", code)
	}
	return m, err
}

func historyWhatIf(h *history.History, r *http.Request) (any, error) {
	q := r.URL.Query()
	var sc history.Scenario
	switch rule := q.Get("rule"); rule {
	case "":
	case "no-veto":
		sc.NoVeto = true
	default:
		return nil, invalidField("rule", "rule must be no-veto, not %q (or give threshold or abstain)", rule)
	}
	sc.Threshold = q.Get("threshold")
	for c := range strings.SplitSeq(q.Get("abstain"), ",") {
		if c = strings.TrimSpace(c); c != "" {
			sc.Abstain = append(sc.Abstain, c)
		}
	}
	year, err := intParam(r, "year", 0)
	if err != nil {
		return nil, err
	}
	sc.Year, sc.Meeting, sc.Document = int(year), q.Get("meeting"), q.Get("document")
	switch all := q.Get("all"); all {
	case "", "false":
	case "true":
		sc.All = true
	default:
		return nil, invalidField("all", "all must be true or false, not %q", all)
	}
	v, err := h.WhatIf(sc)
	field := "rule"
	if sc.Threshold != "" {
		field = "threshold"
	}
	return v, badQuery(field, err)
}
