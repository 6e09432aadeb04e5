// Package councils runs councils: it turns a council's definition (the first event of its stream)
// into the rules, seating and numbering it runs under, and its Service decides commands against each
// council's state and appends what they produce to an event store, with optimistic concurrency and
// idempotency.
package councils

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/roster"
	"github.com/opencouncil/council/rules"
)

// FieldError is a definition that cannot be resolved, naming the field at fault.
type FieldError struct {
	Field string // "body", "members", "weights" or "as_of"
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Err: fmt.Errorf(format, args...)}
}

// Body returns the body a definition names: its body file's text when it has one, else a built-in.
func Body(def *council.CouncilCreated) (*rules.Body, error) {
	if def.BodyFile != "" {
		b, err := bodies.Parse([]byte(def.BodyFile), def.Body)
		if err != nil {
			return nil, &FieldError{Field: "body", Err: err}
		}
		return b, nil
	}
	b, err := bodies.Builtin(def.Body)
	if err != nil {
		return nil, &FieldError{Field: "body", Err: err}
	}
	return b, nil
}

// Resolve turns a council's definition into the configuration it runs under: its body, who sits
// (the roster of each day, or the members the definition gives) and who presides, what member codes
// are known, and where numbering starts. r is the Security Council roster; nil means the embedded one.
func Resolve(def *council.CouncilCreated, r *roster.Roster) (council.Config, error) {
	if r == nil {
		r = roster.Default()
	}
	body, err := Body(def)
	if err != nil {
		return council.Config{}, err
	}
	cfg := council.Config{Body: body, NextMeeting: def.NextMeeting, NextResolution: def.NextResolution, Known: Known(body, r)}
	if def.Date == 0 {
		return council.Config{}, fieldErr("as_of", "the council has no start date")
	}
	seats, err := seats(def, body, r, cfg.Known)
	if err != nil {
		return council.Config{}, err
	}
	switch {
	case body.Roster == "unsc" && seats == nil:
		if cfg.Seating, err = rosterSeating(r); err != nil {
			return council.Config{}, fieldErr("body", "%v", err)
		}
	case body.Roster == "unsc" || body.Presidency == "rotation" && seats != nil && allKnown(r, seats):
		cfg.Seating = CompositionSeating(r, seats)
	default:
		if seats == nil {
			seats = body.Members
		}
		if len(seats) == 0 {
			return council.Config{}, fieldErr("members", "body %s lists no members: give them under members", body.ID)
		}
		var presidency func(int, time.Month) (string, error)
		if body.Presidency == "rotation" {
			presidency = rotation(seats, def.Date)
		}
		cfg.Seating = council.NewFixedSeating(seats, presidency)
	}
	return cfg, nil
}

// Known reports which codes name members of a body: the Security Council roster's and the world's
// states for the Council, and for other bodies also the members their file lists.
func Known(body *rules.Body, r *roster.Roster) func(string) bool {
	if body.Roster == "unsc" {
		return r.Known
	}
	codes := map[string]bool{}
	for _, m := range body.Members {
		codes[m.Code] = true
	}
	return func(c string) bool { return codes[c] || r.Known(c) }
}

// seats turns the definition's members (class to codes) and weights into seats in the presidency's
// order, or nil when the definition keeps the body's own membership.
func seats(def *council.CouncilCreated, body *rules.Body, r *roster.Roster, known func(string) bool) ([]rules.Seat, error) {
	if len(def.Members) == 0 {
		if len(def.Weights) > 0 {
			return nil, fieldErr("weights", "weights are given with members: list the members too")
		}
		return nil, nil
	}
	era := body.EraOn(def.Date.String())
	if era == nil {
		return nil, fieldErr("as_of", "the body %s did not exist on %s", body.ID, def.Date)
	}
	classes := make([]string, 0, len(def.Members))
	for c := range def.Members {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	var out []rules.Seat
	seen := map[string]bool{}
	for _, class := range classes {
		if len(era.Classes) > 0 && !slices.Contains(era.Classes, class) {
			return nil, fieldErr("members", "unknown member class %q (the %s has %s)", class, body.ID, strings.Join(era.Classes, ", "))
		}
		for _, c := range def.Members[class] {
			switch {
			case !known(c):
				return nil, fieldErr("members", "unknown member %q (members are named by ISO 3166 alpha-3 code, e.g. FRA)", c)
			case seen[c]:
				return nil, fieldErr("members", "%s is listed twice", c)
			}
			seen[c] = true
			w := def.Weights[c]
			if w < 0 {
				return nil, fieldErr("weights", "%s has a negative weight", c)
			}
			if w == 0 {
				w = 1
			}
			out = append(out, rules.Seat{Code: c, Name: nameOf(body, r, c, def.Date.Year()), Class: class, Weight: w})
		}
	}
	for c := range def.Weights {
		if !seen[c] {
			return nil, fieldErr("weights", "%s has a weight but is not among the members", c)
		}
	}
	if era.Seats > 0 && len(out) != era.Seats {
		return nil, fieldErr("members", "%d members listed, but the %s has %d seats on %s", len(out), body.ID, era.Seats, def.Date)
	}
	sort.SliceStable(out, func(i, j int) bool { return roster.Fold(out[i].Name) < roster.Fold(out[j].Name) })
	return out, nil
}

func nameOf(body *rules.Body, r *roster.Roster, code string, year int) string {
	for _, m := range body.Members {
		if m.Code == code && m.Name != "" {
			return m.Name
		}
	}
	if n := r.Name(code, year); n != "" {
		return n
	}
	return code
}

func allKnown(r *roster.Roster, seats []rules.Seat) bool {
	for _, s := range seats {
		if !r.Known(s.Code) {
			return false
		}
	}
	return true
}

var (
	seatingOnce sync.Once
	seating     *RosterSeating
	seatingErr  error
)

// rosterSeating is the real Security Council's seating, worked out once for the embedded roster.
func rosterSeating(r *roster.Roster) (council.Seating, error) {
	if r != roster.Default() {
		return NewRosterSeating(r)
	}
	seatingOnce.Do(func() { seating, seatingErr = NewRosterSeating(r) })
	return seating, seatingErr
}

// rotation is a monthly presidency in the members' order, starting with the first in the month the
// council starts.
func rotation(seats []rules.Seat, start council.Date) func(int, time.Month) (string, error) {
	y0, m0, _ := start.Civil()
	return func(y int, m time.Month) (string, error) {
		k := ((y-y0)*12 + int(m) - int(m0)) % len(seats)
		if k < 0 {
			k += len(seats)
		}
		return seats[k].Code, nil
	}
}

// AsField reports the field a resolution error names, or "".
func AsField(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}
