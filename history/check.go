package history

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/roster"
	"github.com/opencouncil/council/rules"
)

// Reasons of disagreements between the record and the engine.
const (
	DisagreeOverSeats       = "tally-over-seats"      // the tally counts more votes than members sat
	DisagreeShortOfVotes    = "short-of-votes"        // recorded adopted with fewer votes in favour than needed
	DisagreeVetoShort       = "veto-short-of-votes"   // recorded vetoed, but the draft lacked the votes: by practice not adopted, not vetoed
	DisagreeVetoNoNegative  = "veto-without-negative" // recorded vetoed, but the tally has fewer negative votes than vetoing members
	DisagreeFailedWithVotes = "failed-with-votes"     // recorded not adopted, though it had the votes and no veto is recorded
	DisagreeVetoUnrecorded  = "veto-not-recorded"     // the tally's negative votes must include a permanent member's, and no veto is recorded
	DisagreeVetoersDiffer   = "vetoers-differ"        // the engine finds other vetoing members than the record
)

// knownAbsence is a member known to have stayed away from the Council's votes for a time.
type knownAbsence struct {
	member, from, to, source string
}

// absences are the absences the record knows of, used where a tally leaves a seat uncounted.
var absences = []knownAbsence{
	{"SUN", "1950-01-13", "1950-07-31", "the Soviet Union boycotted the Council from 13 January 1950 until it took the presidency on 1 August 1950"},
}

// vote is one recorded vote, ready to count: the members' ballots as the record allows them to be
// known, and its result under the real rules.
type vote struct {
	m, o    int // meeting and outcome
	date    string
	matter  string
	casts   []rules.Cast
	assumed string // how a missing tally was filled in, "" when the record gives it
	fault   string // a disagreement found before counting (tally-over-seats), "" when none
	detail  string
	result  rules.Result
}

// Report is the record checked against the rules.
type Report struct {
	Votes int `json:"votes"` // votes recomputed
	Agree int `json:"agree"` // of which the engine finds the recorded outcome
	// Assumed counts the votes recomputed without a tally in the record: vetoed drafts (the vetoing
	// members against, the others in favour) and resolutions "adopted unanimously" (every member
	// present in favour).
	Assumed int `json:"assumed"`
	// NotChecked counts the resolutions and drafts the record gives neither a tally nor words a result
	// can be computed from (adopted without a vote, or no tally).
	NotChecked    int            `json:"not_checked"`
	ByReason      map[string]int `json:"by_reason"`
	Disagreements []Disagreement `json:"disagreements"`
}

// Disagreement is a vote whose recorded outcome the engine does not find.
type Disagreement struct {
	Meeting  string `json:"meeting"`
	Date     string `json:"date"`
	Document string `json:"document"`
	Kind     string `json:"kind"`
	Tally    string `json:"tally"`
	Recorded string `json:"recorded"`
	Computed string `json:"computed"`
	Reason   string `json:"reason"`
	Detail   string `json:"detail"`
}

// unsc is the Security Council's real rules.
func unsc() *rules.Body {
	b, err := bodies.Builtin("unsc")
	if err != nil {
		panic("history: the built-in unsc body: " + err.Error())
	}
	return b
}

// prepareVotes builds the ballots of every recorded vote and counts it under the real rules.
func (h *History) prepareVotes() {
	body := unsc()
	for i := range h.Meetings {
		m := &h.Meetings[i]
		for j := range m.Outcomes {
			o := &m.Outcomes[j]
			if !o.Votable() {
				continue
			}
			v, ok := h.castsOf(m, o)
			if !ok {
				h.idx.notChecked++
				continue
			}
			v.m, v.o = i, j
			if v.fault == "" {
				res, err := body.EraOn(v.date).Evaluate(v.matter, v.casts)
				if err != nil {
					v.fault, v.detail = DisagreeOverSeats, err.Error()
				}
				v.result = res
			}
			h.idx.votes = append(h.idx.votes, v)
		}
	}
}

// castsOf spreads an outcome's tally over the members sitting that year: the ballots the record names
// (a source's per-member ballots, the members not participating, the vetoing members' negative votes,
// a known absence) first, then the other negative votes to elected members, the votes in favour,
// the abstentions, and the seats the tally leaves uncounted as absent. ok is false when there is no
// tally to count.
func (h *History) castsOf(m *Meeting, o *Outcome) (v vote, ok bool) {
	v = vote{date: m.Date, matter: "substantive"}
	if o.Kind == KindAgendaVote {
		v.matter = "procedural"
	}
	members, err := h.roster.Members(m.Year())
	if err != nil {
		return v, false
	}
	casts := make([]rules.Cast, len(members))
	set := make([]bool, len(members))
	for i, mm := range members {
		casts[i] = rules.Cast{Member: mm.Code, Class: "elected"}
		if mm.Permanent {
			casts[i].Class = "permanent"
		}
	}
	v.casts = casts
	if b := o.Ballots; b != nil {
		for i := range casts {
			switch c := casts[i].Member; {
			case slices.Contains(b.Yes, c):
				casts[i].Ballot = rules.Yes
			case slices.Contains(b.No, c):
				casts[i].Ballot = rules.No
			case slices.Contains(b.Abstain, c):
				casts[i].Ballot = rules.Abstain
			}
		}
		return v, true
	}
	t := o.Tally
	switch {
	case t.Known:
	case o.Kind == KindDraftVetoed && len(o.VetoedBy) > 0:
		t = Tally{No: len(o.VetoedBy), Yes: len(members) - len(o.VetoedBy) - len(o.NotParticipating), Known: true}
		v.assumed = "no tally: the vetoing members against, every other member in favour"
	case o.Kind == KindResolution && o.Unanimous:
		t = Tally{Yes: len(members), Known: true}
		for _, a := range absences {
			if a.from <= m.Date && m.Date <= a.to && slices.ContainsFunc(members, func(x roster.Member) bool { return x.Code == a.member }) {
				t.Yes--
			}
		}
		v.assumed = "adopted unanimously, no tally: every member present in favour"
	default:
		return v, false
	}
	counted := t.Yes + t.No + t.Abstain + len(o.NotParticipating)
	if counted > len(members) {
		v.fault = DisagreeOverSeats
		v.detail = fmt.Sprintf("the tally %s counts %d votes, with %d not participating; %d members sat in %d",
			t.String(), t.Yes+t.No+t.Abstain, len(o.NotParticipating), len(members), m.Year())
		return v, true
	}
	absent := len(members) - counted
	give := func(i int, b rules.Ballot) { casts[i].Ballot, set[i] = b, true }
	for i := range casts {
		if slices.Contains(o.NotParticipating, casts[i].Member) {
			give(i, rules.NotParticipating)
		}
	}
	no := t.No
	for i := range casts {
		if no > 0 && !set[i] && casts[i].Class == "permanent" && slices.Contains(o.VetoedBy, casts[i].Member) {
			give(i, rules.No)
			no--
		}
	}
	for _, a := range absences {
		for i := range casts {
			if absent > 0 && !set[i] && casts[i].Member == a.member && a.from <= m.Date && m.Date <= a.to {
				give(i, rules.Absent)
				absent--
			}
		}
	}
	// The other negative votes go to elected members, then, if need be, to permanent members.
	for _, class := range []string{"elected", "permanent"} {
		for i := range casts {
			if no > 0 && !set[i] && casts[i].Class == class {
				give(i, rules.No)
				no--
			}
		}
	}
	yes, abstain := t.Yes, t.Abstain
	for _, class := range []string{"permanent", "elected"} {
		for i := range casts {
			if set[i] || casts[i].Class != class {
				continue
			}
			switch {
			case yes > 0:
				give(i, rules.Yes)
				yes--
			case abstain > 0:
				give(i, rules.Abstain)
				abstain--
			default:
				give(i, rules.Absent)
			}
		}
	}
	return v, true
}

// Check recomputes every recorded vote with the rules engine and lists where it disagrees with the
// record. The report is computed once.
func (h *History) Check() *Report {
	h.checkOnce.Do(func() { h.check = h.recheck() })
	return h.check
}

// recheck computes the check's report.
func (h *History) recheck() *Report {
	r := &Report{ByReason: map[string]int{}, Disagreements: []Disagreement{}, NotChecked: h.idx.notChecked}
	for i := range h.idx.votes {
		v := &h.idx.votes[i]
		r.Votes++
		if v.assumed != "" {
			r.Assumed++
		}
		d, agree := h.compare(v)
		if agree {
			r.Agree++
			continue
		}
		r.ByReason[d.Reason]++
		r.Disagreements = append(r.Disagreements, d)
	}
	return r
}

// recorded is the outcome the record gives, in the words the engine's results are named in.
func recorded(o *Outcome) string {
	switch o.Kind {
	case KindDraftNotAdopted:
		return "not adopted"
	case KindDraftVetoed:
		return vetoedBy(o.VetoedBy)
	}
	return "adopted"
}

func vetoedBy(codes []string) string {
	return "vetoed by " + strings.Join(slices.Sorted(slices.Values(codes)), ", ")
}

// computed names a result: "adopted", "not adopted" or "vetoed by CODES".
func computed(r *rules.Result) string {
	switch {
	case r.Adopted:
		return "adopted"
	case len(r.VetoedBy) > 0:
		return vetoedBy(r.VetoedBy)
	}
	return "not adopted"
}

// compare sets a vote's result against the record and says why they differ.
func (h *History) compare(v *vote) (Disagreement, bool) {
	m := &h.Meetings[v.m]
	o := &m.Outcomes[v.o]
	d := Disagreement{Meeting: m.Key, Date: m.Date, Document: o.Document, Kind: o.Kind, Tally: o.Tally.String(),
		Recorded: recorded(o)}
	if v.fault != "" {
		d.Computed, d.Reason, d.Detail = "", v.fault, v.detail
		return d, false
	}
	r := &v.result
	d.Computed = computed(r)
	if d.Computed == d.Recorded {
		return d, true
	}
	d.Detail = r.Reason
	c := r.Counts
	switch {
	case o.Kind == KindDraftVetoed && c.No < len(o.VetoedBy):
		d.Reason = DisagreeVetoNoNegative
		d.Detail = fmt.Sprintf("the tally %s has %d negative votes, and %d members are recorded as vetoing; perhaps the negative votes and abstentions are swapped", o.Tally, c.No, len(o.VetoedBy))
	case o.Kind == KindDraftVetoed && c.Yes < r.Needed:
		d.Reason = DisagreeVetoShort
		d.Detail = fmt.Sprintf("%d in favour, %d needed: by the Council's practice a draft without the votes is not adopted, whatever the permanent members did", c.Yes, r.Needed)
	case o.Kind == KindDraftVetoed:
		d.Reason = DisagreeVetoersDiffer
	case d.Recorded == "adopted" && c.Yes < r.Needed:
		d.Reason = DisagreeShortOfVotes
		d.Detail = fmt.Sprintf("%d in favour, %d needed in %s", c.Yes, r.Needed, m.Date[:4])
	case d.Recorded == "not adopted" && r.Adopted:
		d.Reason = DisagreeFailedWithVotes
		d.Detail = fmt.Sprintf("%d in favour, %d needed, %d against: only a permanent member's negative vote defeats such a draft, and the cell records no veto", c.Yes, r.Needed, c.No)
		if v := h.vetoOf(m.Key, o.Document); v != nil {
			d.Detail += fmt.Sprintf("; the veto list records it as vetoed by %s", strings.Join(v.Members, ", "))
		} else {
			d.Detail += ", nor does the veto list"
		}
	default:
		d.Reason = DisagreeVetoUnrecorded
		d.Detail = "the tally's negative votes outnumber the elected members, so a permanent member's is among them: " + r.Reason
	}
	return d, false
}

// vetoOf finds the row of the veto list joined to a meeting's draft; nil when there is none.
func (h *History) vetoOf(meeting, document string) *Veto {
	for i := range h.Vetoes {
		if v := &h.Vetoes[i]; v.Meeting == meeting && v.Document == document {
			return v
		}
	}
	return nil
}
