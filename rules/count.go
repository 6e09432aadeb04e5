package rules

import (
	"fmt"
)

// Ballot is how one member took part in a vote.
type Ballot uint8

// The ballots. NotParticipating is a member present that may not vote, such as a party to a dispute
// under Charter Art. 27(3).
const (
	Absent Ballot = iota
	Yes
	No
	Abstain
	NotParticipating
)

var ballotNames = [...]string{Absent: "absent", Yes: "yes", No: "no", Abstain: "abstain", NotParticipating: "not participating"}

// String is the ballot's name in records.
func (b Ballot) String() string {
	if int(b) < len(ballotNames) {
		return ballotNames[b]
	}
	return fmt.Sprintf("ballot(%d)", b)
}

// Cast is one member's ballot in a vote.
type Cast struct {
	Member string
	Class  string
	Weight int64
	Ballot Ballot
}

// Counts are the heads of a vote by ballot.
type Counts struct {
	Yes, No, Abstain, Absent, NotParticipating int
}

// Result is a counted vote and its explanation.
type Result struct {
	Matter  string
	Adopted bool
	Counts  Counts
	// Needed is the number of affirmative votes the decision required in this vote (for a share of
	// those voting, of the members who actually voted).
	Needed int
	// VetoedBy lists the members of the veto class whose negative vote defeated a decision that had
	// met its criteria; empty otherwise.
	VetoedBy []string
	// Decisive lists the members whose own ballot, changed alone, would change the result.
	Decisive []string
	// Quorate is false when too few members were present for the vote to count.
	Quorate bool
	// Reason says in words why the decision was or was not taken.
	Reason string
}

// tally is what a decision depends on, aggregated so one ballot can be changed cheaply.
type tally struct {
	n       [5]int
	w       [5]int64
	members int
	totalW  int64
	vetoNo  int // negative votes of the decision's veto class
}

// add counts (sign 1) or uncounts (sign -1) one ballot of a member of weight w; veto says whether the
// member belongs to the decision's veto class.
func (t *tally) add(b Ballot, w int64, veto bool, sign int) {
	t.n[b] += sign
	t.w[b] += int64(sign) * w
	if b == No && veto {
		t.vetoNo += sign
	}
}

func weight(c *Cast) int64 {
	if c.Weight == 0 {
		return 1
	}
	return c.Weight
}

func (t *tally) present() int { return t.n[Yes] + t.n[No] + t.n[Abstain] + t.n[NotParticipating] }

// base is the heads and weight that a share is counted against.
func (t *tally) base(b Base) (int64, int64) {
	switch b {
	case OfPresent:
		return int64(t.present()), t.w[Yes] + t.w[No] + t.w[Abstain] + t.w[NotParticipating]
	case OfVoting:
		return int64(t.n[Yes] + t.n[No]), t.w[Yes] + t.w[No]
	}
	return int64(t.members), t.totalW
}

func (c *Criterion) met(t *tally) bool {
	yes := int64(t.n[Yes])
	if c.Votes > 0 && yes < int64(c.Votes) {
		return false
	}
	if c.Share.Den == 0 {
		return true
	}
	heads, w := t.base(c.Base)
	if c.Weighted {
		return t.w[Yes] > 0 && c.Share.Met(t.w[Yes], w)
	}
	return yes > 0 && c.Share.Met(yes, heads)
}

// needed is the affirmative heads the criterion asks for in this tally.
func (c *Criterion) needed(t *tally) int {
	n := c.Votes
	if c.Share.Den != 0 && !c.Weighted {
		heads, _ := t.base(c.Base)
		// met asks for at least one vote in favour, even when nobody voted (Min(0) is 0).
		if m := max(int(c.Share.Min(heads)), 1); m > n {
			n = m
		}
	}
	return n
}

// outcome is a decision applied to a tally.
type outcome struct {
	quorate, met, deemed, vetoed bool
}

func (o outcome) adopted() bool { return o.quorate && o.met && !o.vetoed }

func (e *Era) quorate(t *tally) bool {
	q := e.Quorum
	if q == nil {
		return true
	}
	p := t.present()
	if p < q.Members {
		return false
	}
	return q.Share.Den == 0 || q.Share.Met(int64(p), int64(t.members))
}

func (e *Era) apply(d *Decision, t *tally) outcome {
	o := outcome{quorate: e.quorate(t), met: true}
	if d.Consensus && t.n[No] > 0 {
		o.met = false
	}
	for i := range d.Criteria {
		if !d.Criteria[i].met(t) {
			o.met = false
			break
		}
	}
	if !o.met && !d.Consensus && d.BlockingMinority > 0 && t.members-t.n[Yes] < d.BlockingMinority {
		o.met, o.deemed = true, true
	}
	o.vetoed = o.met && d.Veto != "" && t.vetoNo > 0
	return o
}

// Decision returns the era's decision of that name, or nil.
func (e *Era) Decision(matter string) *Decision {
	return e.Decisions[matter]
}

// Evaluate counts a vote on a matter under the era's rules. casts holds every member of the body,
// each with its ballot; members that did not vote are Absent.
func (e *Era) Evaluate(matter string, casts []Cast) (Result, error) {
	d := e.Decisions[matter]
	if d == nil {
		return Result{}, fmt.Errorf("no decision %q in these rules", matter)
	}
	return e.EvaluateDecision(d, casts)
}

// Consensus is the rule of decisions taken without a vote, such as presidential statements: taken
// unless a member objects (votes against).
var Consensus = &Decision{Name: "consensus", Consensus: true}

// EvaluateDecision counts a vote under a decision rule, under the era's quorum. It is Evaluate for a
// rule that is not one of the era's named decisions, such as Consensus.
func (e *Era) EvaluateDecision(d *Decision, casts []Cast) (Result, error) {
	matter := d.Name
	t := tally{members: len(casts)}
	for i := range casts {
		c := &casts[i]
		if c.Ballot > NotParticipating {
			return Result{}, fmt.Errorf("member %s: bad ballot %d", c.Member, c.Ballot)
		}
		t.totalW += weight(c)
		t.add(c.Ballot, weight(c), d.Veto != "" && c.Class == d.Veto, 1)
	}
	o := e.apply(d, &t)
	r := Result{
		Matter:  matter,
		Adopted: o.adopted(),
		Quorate: o.quorate,
		Counts: Counts{Yes: t.n[Yes], No: t.n[No], Abstain: t.n[Abstain], Absent: t.n[Absent],
			NotParticipating: t.n[NotParticipating]},
	}
	for i := range d.Criteria {
		if n := d.Criteria[i].needed(&t); n > r.Needed {
			r.Needed = n
		}
	}
	if o.vetoed {
		for i := range casts {
			if casts[i].Ballot == No && casts[i].Class == d.Veto {
				r.VetoedBy = append(r.VetoedBy, casts[i].Member)
			}
		}
	}
	r.Decisive = e.decisive(d, &t, casts, r.Adopted)
	r.Reason = e.explain(d, &t, o, &r, casts)
	return r, nil
}

// alternatives are the ballots a member could have cast instead.
var alternatives = [...]Ballot{Yes, No, Abstain, Absent}

// decisive lists the members whose own ballot, changed alone, would change whether the decision is
// taken. Members that may not vote (parties to a dispute) are never decisive. What a member's change can
// do depends only on its ballot, its weight and whether it holds the veto, so members alike in these are
// tried once.
func (e *Era) decisive(d *Decision, t *tally, casts []Cast, adopted bool) []string {
	const unknown, no, yes = 0, 1, 2
	var seen [2][NotParticipating]uint8 // for members of weight 1: [holds the veto][ballot]
	var out []string
	for i := range casts {
		c := &casts[i]
		if c.Ballot == NotParticipating {
			continue
		}
		veto := d.Veto != "" && c.Class == d.Veto
		var dec bool
		if w := weight(c); w != 1 {
			dec = e.flips(d, t, c.Ballot, w, veto, adopted)
		} else if k := &seen[b2i(veto)][c.Ballot]; *k != unknown {
			dec = *k == yes
		} else {
			dec = e.flips(d, t, c.Ballot, 1, veto, adopted)
			*k = no
			if dec {
				*k = yes
			}
		}
		if dec {
			if out == nil {
				out = make([]string, 0, len(casts)-i)
			}
			out = append(out, c.Member)
		}
	}
	return out
}

// flips reports whether some other ballot of one member alone would change the result.
func (e *Era) flips(d *Decision, t *tally, b Ballot, w int64, veto, adopted bool) bool {
	t.add(b, w, veto, -1)
	flipped := false
	for _, alt := range alternatives {
		if alt == b {
			continue
		}
		t.add(alt, w, veto, 1)
		flipped = e.apply(d, t).adopted() != adopted
		t.add(alt, w, veto, -1)
		if flipped {
			break
		}
	}
	t.add(b, w, veto, 1)
	return flipped
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// NeededOf is the number of members that must vote in favour, all others voting against, for the
// decision to be taken in a body of that many members: the support a request needs. It ignores
// weights and vetoes. It returns members+1 when no number is enough.
func (e *Era) NeededOf(matter string, members int) int {
	d := e.Decisions[matter]
	if d == nil {
		return members + 1
	}
	t := tally{members: members, totalW: int64(members)}
	for k := 0; k <= members; k++ {
		t.n[Yes], t.n[No] = k, members-k
		t.w[Yes], t.w[No] = int64(k), int64(members-k)
		t.vetoNo = 0
		if e.apply(d, &t).met {
			return k
		}
	}
	return members + 1
}
