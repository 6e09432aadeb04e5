package rules

import (
	"strconv"
	"strings"
)

// explain says in words why a decision was or was not taken.
func (e *Era) explain(d *Decision, t *tally, o outcome, r *Result, casts []Cast) string {
	var b strings.Builder
	b.Grow(160)
	if r.Adopted {
		b.WriteString("adopted: ")
	} else {
		b.WriteString("not adopted: ")
	}
	if !o.quorate {
		q := e.Quorum
		need := q.Members
		if q.Share.Den != 0 {
			if m := int(q.Share.Min(int64(t.members))); m > need {
				need = m
			}
		}
		b.WriteString("no quorum: ")
		b.WriteString(strconv.Itoa(t.present()))
		b.WriteString(" of ")
		b.WriteString(strconv.Itoa(t.members))
		b.WriteString(" members present, ")
		b.WriteString(strconv.Itoa(need))
		b.WriteString(" needed")
		return b.String()
	}
	if o.vetoed {
		b.WriteString("vetoed by ")
		b.WriteString(strings.Join(r.VetoedBy, ", "))
		b.WriteString(": ")
	}
	if d.Consensus {
		objectors := members(casts, func(c *Cast) bool { return c.Ballot == No })
		if len(objectors) == 0 {
			b.WriteString("no member objected")
		} else {
			b.WriteString(strings.Join(objectors, ", "))
			b.WriteString(" objected, and it needs consensus")
		}
	}
	if len(d.Criteria) > 0 {
		if d.Consensus {
			b.WriteString("; ")
		}
		e.writeTally(&b, d, t, r)
	}
	if o.vetoed {
		b.WriteString(", but ")
		writeWho(&b, d.Veto, r.VetoedBy)
		b.WriteString(" voted against")
	}
	if o.deemed {
		b.WriteString("; deemed taken: fewer than ")
		b.WriteString(strconv.Itoa(d.BlockingMinority))
		b.WriteString(" members did not vote in favour, so there is no blocking minority")
	}
	vetoNo := func(class string) []string {
		return members(casts, func(c *Cast) bool { return c.Ballot == No && c.Class == class })
	}
	switch {
	case d.Veto == "" && !d.Consensus:
		for _, class := range e.vetoClasses() {
			if has(casts, func(c *Cast) bool { return c.Ballot == No && c.Class == class }) {
				b.WriteString("; ")
				b.WriteString(d.Name)
				b.WriteString(", so negative votes of ")
				b.WriteString(class)
				b.WriteString(" members are not vetoes")
			}
		}
	case !o.met && o.quorate:
		if no := vetoNo(d.Veto); len(no) > 0 {
			b.WriteString("; short of the votes it needs, it is not vetoed, so the negative vote of ")
			b.WriteString(strings.Join(no, ", "))
			b.WriteString(" is not a veto")
		}
	case r.Adopted && has(casts, func(c *Cast) bool { return c.Class == d.Veto && (c.Ballot == Abstain || c.Ballot == Absent) }):
		abstained := members(casts, func(c *Cast) bool { return c.Class == d.Veto && c.Ballot == Abstain })
		absent := members(casts, func(c *Cast) bool { return c.Class == d.Veto && c.Ballot == Absent })
		if len(abstained) > 0 {
			b.WriteString("; the abstention of ")
			b.WriteString(strings.Join(abstained, ", "))
			b.WriteString(" is not a veto")
		}
		if len(absent) > 0 {
			b.WriteString("; the absence of ")
			b.WriteString(strings.Join(absent, ", "))
			b.WriteString(" is not a veto")
		}
	}
	if t.n[NotParticipating] > 0 {
		parties := members(casts, func(c *Cast) bool { return c.Ballot == NotParticipating })
		b.WriteString("; ")
		b.WriteString(strings.Join(parties, ", "))
		if len(parties) == 1 {
			b.WriteString(" did not vote, as a party to the dispute")
		} else {
			b.WriteString(" did not vote, as parties to the dispute")
		}
	}
	return b.String()
}

// writeTally writes the votes in favour against what the criteria asked for.
func (e *Era) writeTally(b *strings.Builder, d *Decision, t *tally, r *Result) {
	b.WriteString(strconv.Itoa(t.n[Yes]))
	b.WriteString(" in favour")
	shares := false
	for _, c := range d.Criteria {
		if c.Share.Den != 0 {
			shares = true
		}
	}
	if shares {
		b.WriteString(", ")
		b.WriteString(strconv.Itoa(t.n[No]))
		b.WriteString(" against, ")
		b.WriteString(strconv.Itoa(t.n[Abstain]))
		b.WriteString(" abstaining")
	}
	b.WriteString(", ")
	if !shares {
		b.WriteString(strconv.Itoa(r.Needed))
		b.WriteString(" needed")
		return
	}
	for i, c := range d.Criteria {
		if i > 0 {
			b.WriteString(" and ")
		}
		if c.Votes > 0 {
			b.WriteString(strconv.Itoa(c.Votes))
			b.WriteString(" votes")
			if c.Share.Den != 0 {
				b.WriteString(" and ")
			}
		}
		if c.Share.Den == 0 {
			continue
		}
		b.WriteString(c.Share.String())
		if c.Weighted {
			b.WriteString(" of the weight of ")
		} else {
			b.WriteString(" of ")
		}
		switch c.Base {
		case OfMembers:
			b.WriteString("the members")
		case OfPresent:
			b.WriteString("the members present")
		case OfVoting:
			b.WriteString("those present and voting")
		}
		if !c.Weighted {
			b.WriteString(" (")
			b.WriteString(strconv.Itoa(c.needed(t)))
			b.WriteString(")")
		}
	}
	b.WriteString(" needed")
}

func writeWho(b *strings.Builder, class string, who []string) {
	if len(who) == 1 {
		b.WriteString("the ")
		b.WriteString(class)
		b.WriteString(" member ")
	} else {
		b.WriteString("the ")
		b.WriteString(class)
		b.WriteString(" members ")
	}
	b.WriteString(strings.Join(who, ", "))
}

func members(casts []Cast, keep func(*Cast) bool) []string {
	var out []string
	for i := range casts {
		if keep(&casts[i]) {
			out = append(out, casts[i].Member)
		}
	}
	return out
}

func has(casts []Cast, keep func(*Cast) bool) bool {
	for i := range casts {
		if keep(&casts[i]) {
			return true
		}
	}
	return false
}
