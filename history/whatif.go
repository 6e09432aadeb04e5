package history

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/opencouncil/council/rules"
)

// Scenario is a what-if: the recorded votes, counted under other rules or with other ballots. The
// fields combine: no veto and a threshold of 1946 together, for example.
type Scenario struct {
	// NoVeto counts every decision as procedural decisions are counted: no member class holds a veto.
	NoVeto bool
	// Threshold replaces the affirmative votes needed, procedural and substantive, in every era:
	// "1946" (or any year) is that year's number in every era — 7 for 1946 to 1965, so seven of fifteen
	// from 1966, fewer than half; "N" is N votes; "A/B" is the share A/B of the members sitting, so "7/11"
	// keeps the 1946 proportion (7 of 11, 10 of 15).
	Threshold string
	// Abstain turns these members' negative votes into abstentions.
	Abstain []string
	// Body counts under another body's rules instead of the Council's (its member classes must be
	// "permanent" and "elected", and it must define the decisions "substantive" and "procedural").
	Body *rules.Body
	// Year, Meeting and Document choose the votes: of one year, of one meeting (key or record symbol),
	// on one document (S/RES/82 (1950), S/2022/155). Zero values choose all.
	Year     int
	Meeting  string
	Document string
	// All lists every vote chosen, not only those whose outcome changes.
	All bool
}

// WhatIf is the record's votes counted under a scenario.
type WhatIf struct {
	Rule     string   `json:"rule"`    // the scenario in words
	Votes    int      `json:"votes"`   // votes counted
	Changed  int      `json:"changed"` // of which the outcome changes
	Outcomes []Change `json:"outcomes"`
	Notes    []string `json:"notes"`
}

// Change is one vote under a scenario.
type Change struct {
	Meeting  string `json:"meeting"`
	Date     string `json:"date"`
	Document string `json:"document"`
	Kind     string `json:"kind"`
	Tally    string `json:"tally"`
	Recorded string `json:"recorded"` // the outcome the record gives
	Before   string `json:"before"`   // the outcome the engine computes under the real rules
	After    string `json:"after"`    // the outcome under the scenario
	// Changed is true when the decision changes: adopted, not adopted, vetoed (a veto by other members
	// is no change, though After names them).
	Changed bool   `json:"changed"`
	Reason  string `json:"reason"` // the engine's reason under the scenario
	// Assumed says how a tally the record does not give was filled in (see Check); "" when it gives it.
	// An outcome that changes on an assumed tally is a conjecture, not a finding.
	Assumed string `json:"assumed,omitempty"`
}

// body builds the scenario's rules and says them in words.
func (s *Scenario) body() (*rules.Body, string, error) {
	var words []string
	b := unsc()
	if s.Body != nil {
		b = cloneBody(s.Body)
		words = append(words, "the rules of "+b.ID)
	}
	if s.NoVeto {
		for _, e := range b.Eras {
			for _, d := range e.Decisions {
				d.Veto = ""
			}
		}
		words = append(words, "without the veto")
	}
	if t := strings.TrimSpace(s.Threshold); t != "" {
		c, w, err := threshold(t)
		if err != nil {
			return nil, "", err
		}
		for _, e := range b.Eras {
			for _, name := range []string{"procedural", "substantive"} {
				if d := e.Decisions[name]; d != nil {
					d.Criteria = []rules.Criterion{c}
				}
			}
		}
		words = append(words, w)
	}
	for _, c := range s.Abstain {
		words = append(words, strings.ToUpper(c)+"'s negative votes as abstentions")
	}
	if err := b.Validate(); err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrBadQuery, err)
	}
	for _, e := range b.Eras {
		for _, name := range []string{"procedural", "substantive"} {
			if e.Decisions[name] == nil {
				return nil, "", fmt.Errorf("%w: the body %s has no decision %q (from %s)", ErrBadQuery, b.ID, name, e.From)
			}
		}
	}
	if len(words) == 0 {
		return nil, "", fmt.Errorf("%w: a what-if needs a rule: no veto, a threshold, members abstaining or a body", ErrBadQuery)
	}
	return b, strings.Join(words, "; "), nil
}

// threshold reads a threshold: a year, a number of votes, or a share of the members.
func threshold(t string) (rules.Criterion, string, error) {
	if a, b, ok := strings.Cut(t, "/"); ok {
		num, err1 := strconv.Atoi(a)
		den, err2 := strconv.Atoi(b)
		if err1 != nil || err2 != nil || num <= 0 || den <= 0 || num > den {
			return rules.Criterion{}, "", fmt.Errorf("%w: threshold %q: want a share A/B of the members, such as 7/11", ErrBadQuery, t)
		}
		return rules.Criterion{Share: rules.Share{Num: int64(num), Den: int64(den)}, Base: rules.OfMembers},
			fmt.Sprintf("%d/%d of the members needed in every era", num, den), nil
	}
	n, err := strconv.Atoi(t)
	switch {
	case err != nil || n <= 0:
		return rules.Criterion{}, "", fmt.Errorf("%w: threshold %q: want a year (1946), a number of votes (7) or a share of the members (7/11)", ErrBadQuery, t)
	case n >= 1900:
		era := unsc().EraOn(strconv.Itoa(n) + "-01-01")
		if era == nil {
			return rules.Criterion{}, "", fmt.Errorf("%w: threshold %q: the Council did not exist yet", ErrBadQuery, t)
		}
		v := era.Decisions["substantive"].Criteria[0].Votes
		return rules.Criterion{Votes: v}, fmt.Sprintf("the threshold of %d: %d votes needed in every era", n, v), nil
	}
	return rules.Criterion{Votes: n}, fmt.Sprintf("%d votes needed in every era", n), nil
}

// cloneBody copies a body's eras and decisions, so a scenario can change them.
func cloneBody(b *rules.Body) *rules.Body {
	c := *b
	c.Eras = make([]*rules.Era, len(b.Eras))
	for i, e := range b.Eras {
		ec := &rules.Era{From: e.From, Seats: e.Seats, Classes: slices.Clone(e.Classes), Quorum: e.Quorum,
			Decisions: map[string]*rules.Decision{}}
		for name, d := range e.Decisions {
			dc := *d
			dc.Criteria = slices.Clone(d.Criteria)
			ec.Decisions[name] = &dc
		}
		c.Eras[i] = ec
	}
	return &c
}

// WhatIf counts the recorded votes the scenario chooses under its rules, and lists those whose
// outcome changes (all of them with All).
func (h *History) WhatIf(s Scenario) (*WhatIf, error) {
	b, words, err := s.body()
	if err != nil {
		return nil, err
	}
	out := &WhatIf{Rule: words, Outcomes: []Change{}, Notes: []string{}}
	abstain := make([]string, len(s.Abstain))
	for i, c := range s.Abstain {
		abstain[i] = strings.ToUpper(strings.TrimSpace(c))
	}
	turned := map[string]int{}
	casts := make([]rules.Cast, 0, 15)
	for i := range h.idx.votes {
		v := &h.idx.votes[i]
		m := &h.Meetings[v.m]
		o := &m.Outcomes[v.o]
		if v.fault != "" || (s.Year != 0 && m.Year() != s.Year) ||
			(s.Meeting != "" && m.Key != s.Meeting && m.Symbol != s.Meeting) ||
			(s.Document != "" && !strings.EqualFold(o.Document, s.Document)) {
			continue
		}
		casts = append(casts[:0], v.casts...)
		for k := range casts {
			if casts[k].Ballot == rules.No && slices.Contains(abstain, casts[k].Member) && known(o, casts[k].Member) {
				casts[k].Ballot = rules.Abstain
				turned[casts[k].Member]++
			}
		}
		era := b.EraOn(v.date)
		if era == nil {
			return nil, fmt.Errorf("%w: the body %s has no rules on %s", ErrBadQuery, b.ID, v.date)
		}
		res, err := era.Evaluate(v.matter, casts)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadQuery, err)
		}
		out.Votes++
		c := Change{Meeting: m.Key, Date: m.Date, Document: o.Document, Kind: o.Kind, Tally: o.Tally.String(),
			Recorded: recorded(o), Before: computed(&v.result), After: computed(&res), Reason: res.Reason, Assumed: v.assumed}
		c.Changed = class(&v.result) != class(&res)
		if c.Changed {
			out.Changed++
		}
		if c.Changed || s.All {
			out.Outcomes = append(out.Outcomes, c)
		}
	}
	for _, c := range abstain {
		if turned[c] == 0 {
			out.Notes = append(out.Notes, "the record names no negative vote of "+c+" among these votes: the Library's tallies do not say who voted how, only who vetoed (and, for the DPRK agenda votes of 2014–2017, every ballot)")
		}
	}
	if s.Meeting != "" || s.Document != "" {
		if out.Votes == 0 {
			return nil, fmt.Errorf("%w: no recorded vote with a tally matches meeting %q, document %q", ErrBadQuery, s.Meeting, s.Document)
		}
	}
	return out, nil
}

// known reports whether the record names the member's negative vote on the outcome (rather than the
// tally's negative votes being spread over members by assumption).
func known(o *Outcome, code string) bool {
	if o.Ballots != nil {
		return slices.Contains(o.Ballots.No, code)
	}
	return slices.Contains(o.VetoedBy, code)
}

// class is a result's decision: adopted, vetoed or not adopted.
func class(r *rules.Result) string {
	switch {
	case r.Adopted:
		return "adopted"
	case len(r.VetoedBy) > 0:
		return "vetoed"
	}
	return "not adopted"
}
