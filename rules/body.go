// Package rules says how a deliberative body decides: who may vote, in which classes and with which
// weights, and for each kind of decision the criteria a vote must meet. It counts ballots and explains
// every result in words. It is pure and uses only the standard library; body files in YAML are read by
// package bodies.
package rules

import (
	"errors"
	"fmt"
	"slices"
	"sort"
)

// Body is a deliberative body defined as data: the UN Security Council, the General Assembly, a board.
type Body struct {
	ID   string // short name used in scenarios, e.g. "unsc"
	Name string // human name, e.g. "United Nations Security Council"
	// Prefix starts the body's document symbols: "S" gives S/PV.N, S/RES/N (YEAR), S/PRST/YEAR/N.
	Prefix string

	// Roster names where the membership comes from: "unsc" for the Security Council roster by date,
	// "" when Members below lists it (or a scenario supplies it).
	Roster string
	// Presidency is "rotation" for a presidency that rotates monthly in the English alphabetical order of
	// the members' names (Security Council Rule 18), or "" when the body has no rotating presidency.
	Presidency string
	// Members is the membership when Roster is empty. A scenario may replace it.
	Members []Seat
	// Eras are the body's successive rule sets, in order of their start date.
	Eras []*Era
	// Defaults maps what is voted on ("agenda", "draft", "amendment", "statement") to the decision used
	// when a vote does not name its matter.
	Defaults map[string]string
}

// Seat is one member of a body.
type Seat struct {
	Code   string // the member's identifier, for states an ISO 3166 alpha-3 code
	Name   string // human name
	Class  string // member class, e.g. "permanent" or "elected"
	Weight int64  // voting weight for weighted criteria (1 when unset)
}

// Era is a body's rules from a date on, such as the Security Council of 11 members before 1966.
type Era struct {
	From      string // first day the era applies, "YYYY-MM-DD"; "" for the beginning of time
	Seats     int    // how many members sit; 0 when any number may
	Classes   []string
	Quorum    *Quorum
	Decisions map[string]*Decision

	vetoes *[]string // the classes holding a veto in some decision, kept by Validate
}

// Quorum is how many members must be present for a vote to count.
type Quorum struct {
	Members int   // at least this many present, when non-zero
	Share   Share // and at least (or more than) this share of all members, when Den is non-zero
}

// Decision is one kind of decision of a body ("procedural", "substantive", "important") and the
// criteria a vote on it must meet.
type Decision struct {
	Name string
	// Criteria must all hold for the decision to be taken.
	Criteria []Criterion
	// Veto names the member class whose negative vote defeats a decision that met its criteria.
	Veto string
	// Consensus decisions are taken only if nobody votes against (objects).
	Consensus bool
	// BlockingMinority, when non-zero, deems the decision taken if fewer than this many members did not
	// vote in favour (the Council of the EU's rule, TEU Art. 16(4)).
	BlockingMinority int
}

// Criterion is one condition on the affirmative votes.
type Criterion struct {
	Votes    int   // at least this many affirmative votes, when non-zero
	Share    Share // affirmative votes as a share of Base, when Share.Den is non-zero
	Base     Base
	Weighted bool // the share is of weights, not of heads
}

// Base is what a share of votes is counted against.
type Base uint8

// The bases of a share.
const (
	OfMembers Base = iota // every member of the body
	OfPresent             // members present: in favour, against, abstaining or not participating
	OfVoting              // members present and voting: in favour or against
)

var baseNames = [...]string{OfMembers: "members", OfPresent: "present", OfVoting: "voting"}

// String is the base's name in body files.
func (b Base) String() string {
	if int(b) < len(baseNames) {
		return baseNames[b]
	}
	return fmt.Sprintf("base(%d)", b)
}

// ParseBase reads a base's name from a body file.
func ParseBase(s string) (Base, error) {
	for i, n := range baseNames {
		if n == s {
			return Base(i), nil
		}
	}
	return 0, fmt.Errorf("unknown base %q (want members, present or voting)", s)
}

// EraOn is the era in force on a day ("YYYY-MM-DD"), or nil if the body did not exist yet.
func (b *Body) EraOn(day string) *Era {
	var e *Era
	for _, x := range b.Eras {
		if x.From <= day {
			e = x
		}
	}
	return e
}

// DefaultMatter is the decision used for a vote on this kind of thing ("agenda", "draft", "amendment",
// "statement") when the vote names none.
func (b *Body) DefaultMatter(on string) string {
	return b.Defaults[on]
}

// Validate checks that a body is complete and consistent, naming what is wrong.
func (b *Body) Validate() error {
	if b.ID == "" {
		return errors.New("body has no id")
	}
	if b.Roster != "" && b.Roster != "unsc" {
		return fmt.Errorf("body %s: unknown roster %q (want unsc, or list members)", b.ID, b.Roster)
	}
	if b.Presidency != "" && b.Presidency != "rotation" {
		return fmt.Errorf("body %s: unknown presidency %q (want rotation, or none)", b.ID, b.Presidency)
	}
	if len(b.Eras) == 0 {
		return fmt.Errorf("body %s: no decisions defined", b.ID)
	}
	if !sort.SliceIsSorted(b.Eras, func(i, j int) bool { return b.Eras[i].From < b.Eras[j].From }) {
		return fmt.Errorf("body %s: eras are not in date order", b.ID)
	}
	seen := map[string]bool{}
	for _, s := range b.Members {
		if s.Code == "" {
			return fmt.Errorf("body %s: a member has no code", b.ID)
		}
		if seen[s.Code] {
			return fmt.Errorf("body %s: member %s listed twice", b.ID, s.Code)
		}
		seen[s.Code] = true
		if s.Weight < 0 {
			return fmt.Errorf("body %s: member %s has a negative weight", b.ID, s.Code)
		}
	}
	for _, e := range b.Eras {
		e.vetoes = nil
		v := e.vetoClasses()
		e.vetoes = &v
		if err := e.validate(); err != nil {
			return fmt.Errorf("body %s, era from %q: %w", b.ID, e.From, err)
		}
	}
	for on, m := range b.Defaults {
		for _, e := range b.Eras {
			if e.Decisions[m] == nil {
				return fmt.Errorf("body %s: default for %s is %q, which the era from %q does not define", b.ID, on, m, e.From)
			}
		}
	}
	return nil
}

func (e *Era) validate() error {
	if len(e.Decisions) == 0 {
		return errors.New("no decisions defined")
	}
	classes := map[string]bool{}
	for _, c := range e.Classes {
		classes[c] = true
	}
	if q := e.Quorum; q != nil {
		if q.Members < 0 || !q.Share.valid() {
			return errors.New("quorum: members must be positive and a share between 0 and 1")
		}
	}
	for name, d := range e.Decisions {
		if d.Name == "" {
			d.Name = name
		}
		if d.Veto != "" && !classes[d.Veto] {
			return fmt.Errorf("decision %s: veto class %q is not one of the member classes", name, d.Veto)
		}
		if len(d.Criteria) == 0 && !d.Consensus {
			return fmt.Errorf("decision %s: no criteria and not by consensus", name)
		}
		for i, c := range d.Criteria {
			if c.Votes < 0 || !c.Share.valid() {
				return fmt.Errorf("decision %s, criterion %d: votes must be positive and a share between 0 and 1", name, i+1)
			}
			if c.Votes == 0 && c.Share.Den == 0 {
				return fmt.Errorf("decision %s, criterion %d: neither votes nor a share", name, i+1)
			}
			if e.Seats > 0 && c.Votes > e.Seats {
				return fmt.Errorf("decision %s, criterion %d: %d votes needed but only %d seats", name, i+1, c.Votes, e.Seats)
			}
		}
		if d.BlockingMinority < 0 {
			return fmt.Errorf("decision %s: negative blocking minority", name)
		}
	}
	return nil
}

// vetoClasses lists the classes that hold a veto in some decision of the era, for explanations.
func (e *Era) vetoClasses() []string {
	if e.vetoes != nil {
		return *e.vetoes
	}
	out := []string{}
	for _, d := range e.Decisions {
		if d.Veto != "" && !slices.Contains(out, d.Veto) {
			out = append(out, d.Veto)
		}
	}
	sort.Strings(out)
	return out
}
