package council

import (
	"slices"
	"strconv"
	"strings"

	"github.com/opencouncil/council/rules"
)

// vote counts a vote under the rules of the day: procedural or substantive (or the body's other
// matters), parties to a dispute not participating, members listed nowhere absent.
func (d *decision) vote(c *Vote) (Event, error) {
	m, err := d.openMeeting(c.Meeting)
	if err != nil {
		return nil, err
	}
	s := d.s
	id := c.ID
	if id == "" {
		// the first free vN: a draft or meeting may already be called v1
		for n := len(s.Votes) + 1; id == "" || s.used(id); n++ {
			id = "v" + strconv.Itoa(n)
		}
	} else if err := d.freshID("id", id); err != nil {
		return nil, err
	}
	kind := "agenda"
	var x *DraftState
	switch c.On {
	case "":
		return nil, Errorf(EINVALID, "on is missing: vote on the agenda or on a draft or amendment")
	case "agenda":
		if m.AgendaAdopted {
			return nil, Errorf(EAgendaAdopted, "the agenda of meeting %s is already adopted", m.ID)
		}
		if len(m.Objections) == 0 {
			return nil, Errorf(ENoObjection, "no member objected to the agenda of meeting %s: it is adopted without a vote (Rule 9)", m.ID)
		}
	default:
		if x, err = d.pendingDraft(c.On); err != nil {
			return nil, err
		}
		if !m.AgendaAdopted {
			return nil, Errorf(EAgendaPending, "meeting %s has not adopted its agenda; nothing else can be voted on", m.ID)
		}
		kind = "draft"
		if x.Draft != "" {
			kind = "amendment"
			if parent := s.DraftByID(x.Draft); parent.Status != StatusPending {
				return nil, Errorf(EDraftClosed, "%s amends %s, which is already %s", x.ID, parent.ID, parent.Status)
			}
		} else {
			for _, a := range x.Amendments {
				if s.DraftByID(a).Status == StatusPending {
					return nil, Errorf(EAmendmentsFirst, "amendment %s to %s has not been voted on: amendments are voted on before the draft (Rule 36)", a, x.ID)
				}
			}
		}
	}
	era := s.EraOn(d.day)
	matter := c.Matter
	if matter == "" {
		matter = s.cfg.Body.DefaultMatter(kind)
	}
	if era.Decision(matter) == nil {
		return nil, Errorf(EUnknownMatter, "matter %q is not a kind of decision of the %s (on %s)", matter, s.cfg.Body.ID, d.day)
	}
	if len(c.Parties) > 0 && matter == s.cfg.Body.DefaultMatter("agenda") {
		return nil, Errorf(EPartyMustAbstain, "parties to a dispute abstain only in substantive decisions (Charter Art. 27(3)); this vote is %s", matter)
	}
	var room [16]rules.Cast // a vote of up to 16 members is counted without allocating
	casts, err := d.ballots(c, d.castsIn(room[:]))
	if err != nil {
		return nil, err
	}
	res, err := era.Evaluate(matter, casts)
	if err != nil {
		return nil, Errorf(EINVALID, "%v", err)
	}
	e := &VoteTaken{
		Dated: d.at(), ID: id, Meeting: m.ID, On: c.On, Matter: matter,
		Counts: Counts(res.Counts), Needed: res.Needed, Adopted: res.Adopted,
		VetoedBy: nonNil(res.VetoedBy), Decisive: nonNil(res.Decisive), Reason: res.Reason,
	}
	e.Yes, e.No, e.Abstain, e.Absent, e.NotParticipating = split(casts, &e.lists)
	if res.Adopted && kind == "draft" {
		e.Symbol = s.cfg.Prefix + "/RES/" + strconv.Itoa(s.nextResolution) + " (" + strconv.Itoa(d.day.Year()) + ")"
	}
	return e, nil
}

// castsIn returns room for one ballot per sitting member, in room when it is large enough.
func (d *decision) castsIn(room []rules.Cast) []rules.Cast {
	if n := len(d.sit.Members); n <= len(room) {
		return room[:n]
	}
	return make([]rules.Cast, len(d.sit.Members))
}

// ballots gives every sitting member its ballot from the vote's lists, in casts.
func (d *decision) ballots(c *Vote, casts []rules.Cast) ([]rules.Cast, error) {
	members := d.sit.Members
	var small [32]bool
	set := small[:0]
	if len(members) <= len(small) {
		set = small[:len(members)]
	} else {
		set = make([]bool, len(members))
	}
	copy(casts, d.sit.absent)
	mark := func(field string, codes []string, b rules.Ballot) error {
		for _, code := range codes {
			i := d.sit.Index(code)
			if i < 0 {
				return d.member(field, code)
			}
			if set[i] {
				if casts[i].Ballot == rules.NotParticipating && b != rules.NotParticipating {
					if b == rules.Abstain {
						continue // a party listed as abstaining: it does not participate
					}
					return Errorf(EPartyMustAbstain, "%s is a party to the dispute and may not vote %s (Charter Art. 27(3))", code, field)
				}
				return Errorf(EListedTwice, "%s has two ballots in this vote", code)
			}
			set[i] = true
			casts[i].Ballot = b
		}
		return nil
	}
	if err := mark("parties", c.Parties, rules.NotParticipating); err != nil {
		return nil, err
	}
	lists := [...]struct {
		name  string
		codes []string
		b     rules.Ballot
	}{{"yes", c.Yes, rules.Yes}, {"no", c.No, rules.No}, {"abstain", c.Abstain, rules.Abstain}, {"absent", c.Absent, rules.Absent}}
	for _, l := range lists {
		if err := mark(l.name, l.codes, l.b); err != nil {
			return nil, err
		}
	}
	if c.Rest != "" {
		var rest rules.Ballot
		switch c.Rest {
		case "yes":
			rest = rules.Yes
		case "no":
			rest = rules.No
		case "abstain":
			rest = rules.Abstain
		case "absent":
			rest = rules.Absent
		default:
			return nil, Errorf(EINVALID, "rest: %q is not a ballot (yes, no, abstain or absent)", c.Rest)
		}
		for i := range casts {
			if !set[i] {
				casts[i].Ballot = rest
			}
		}
	}
	return casts, nil
}

// split lists the members by ballot, in the order they sit, in one backing array: room when it is
// large enough.
func split(casts []rules.Cast, room *[16]string) (yes, no, abstain, absent, np []string) {
	var start [5]int
	for i := range casts {
		start[casts[i].Ballot]++
	}
	for b, n := 0, 0; b < len(start); b++ {
		start[b], n = n, n+start[b]
	}
	var all []string
	if len(casts) <= len(room) {
		all = room[:len(casts)]
	} else {
		all = make([]string, len(casts))
	}
	next := start
	for i := range casts {
		b := casts[i].Ballot
		all[next[b]] = casts[i].Member
		next[b]++
	}
	list := func(b rules.Ballot) []string { return all[start[b]:next[b]:next[b]] }
	return list(rules.Yes), list(rules.No), list(rules.Abstain), list(rules.Absent), list(rules.NotParticipating)
}

// cloneNonNil copies a command's list into an event, so the event never shares the caller's array.
func cloneNonNil(xs []string) []string {
	if len(xs) == 0 {
		return []string{}
	}
	return slices.Clone(xs)
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// prst decides a presidential statement: issued only by consensus, so one objection blocks it.
func (d *decision) prst(c *PRST) (Event, error) {
	if _, err := d.presiding(c.Presiding); err != nil {
		return nil, err
	}
	m, err := d.openMeeting(c.Meeting)
	if err != nil {
		return nil, err
	}
	if !m.AgendaAdopted {
		return nil, Errorf(EAgendaPending, "meeting %s has not adopted its agenda", m.ID)
	}
	if len(c.Objections) > 0 {
		if err := d.members("objections", c.Objections, EAlreadyObjected); err != nil {
			return nil, err
		}
	}
	s := d.s
	var room [16]rules.Cast
	casts := d.castsIn(room[:])
	copy(casts, d.sit.absent)
	for i := range casts {
		casts[i].Ballot = rules.Yes
	}
	for _, o := range c.Objections {
		casts[d.sit.Index(o)].Ballot = rules.No
	}
	// Presidential statements need consensus whatever else a body decides by (rules §7).
	res, err := s.EraOn(d.day).EvaluateDecision(rules.Consensus, casts)
	if err != nil {
		return nil, Errorf(EINVALID, "%v", err)
	}
	e := &PresidentialStatement{Dated: d.at(), Meeting: m.ID, Text: c.Text, Objections: cloneNonNil(c.Objections),
		Issued: res.Adopted, Decisive: nonNil(res.Decisive), Reason: issuedReason(res.Reason)}
	if res.Adopted {
		y := d.day.Year()
		e.Symbol = s.cfg.Prefix + "/PRST/" + strconv.Itoa(y) + "/" + strconv.Itoa(s.prsts[y]+1)
	}
	return e, nil
}

// issuedReason words a statement's result as issued or not issued rather than adopted.
func issuedReason(r string) string {
	if rest, ok := strings.CutPrefix(r, "not adopted"); ok {
		return "not issued" + rest
	}
	if rest, ok := strings.CutPrefix(r, "adopted"); ok {
		return "issued" + rest
	}
	return r
}
