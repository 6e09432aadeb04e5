package council

import (
	"slices"
	"strconv"
	"strings"

	"github.com/opencouncil/council/rules"
)

// question is what a vote decides, as checked before any ballot: the meeting, the vote's id, what is voted
// on and as which matter.
type question struct {
	id      string
	meeting *MeetingState
	on      string
	kind    string // "agenda", "draft" or "amendment": what On names
	matter  string
}

// pose runs every check of a vote that does not depend on its ballots, for Vote and OpenVote alike: the
// meeting is open with no vote open in it, the id is fresh (or the first free vN), what is voted on may be
// voted on now, the matter is one the body decides that day, and parties, if any, sit and belong to a
// substantive matter.
func (d *decision) pose(id, meeting, on, matter string, parties []string) (question, error) {
	m, err := d.openMeeting(meeting)
	if err != nil {
		return question{}, err
	}
	if v := m.OpenVote; v != nil {
		return question{}, Errorf(EVoteOpen, "vote %s is open in meeting %s: it must be closed before another vote is taken", v.ID, m.ID)
	}
	s := d.s
	if id == "" {
		// the first free vN: a draft, a meeting or an open vote may already be called v1
		for n := len(s.Votes) + 1; id == "" || s.used(id); n++ {
			id = "v" + strconv.Itoa(n)
		}
	} else if err := d.freshID("id", id); err != nil {
		return question{}, err
	}
	kind := "agenda"
	switch on {
	case "":
		return question{}, Errorf(EINVALID, "on is missing: vote on the agenda or on a draft or amendment")
	case "agenda":
		if m.AgendaAdopted {
			return question{}, Errorf(EAgendaAdopted, "the agenda of meeting %s is already adopted", m.ID)
		}
		if len(m.Objections) == 0 {
			return question{}, Errorf(ENoObjection, "no member objected to the agenda of meeting %s: it is adopted without a vote (Rule 9)", m.ID)
		}
	default:
		x, err := d.pendingDraft(on)
		if err != nil {
			return question{}, err
		}
		if v := s.openVoteOn(x.ID); v != nil {
			return question{}, Errorf(EVoteOpen, "vote %s on %s is open in meeting %s", v.ID, x.ID, v.Meeting)
		}
		if !m.AgendaAdopted {
			return question{}, Errorf(EAgendaPending, "meeting %s has not adopted its agenda; nothing else can be voted on", m.ID)
		}
		kind = "draft"
		if x.Draft != "" {
			kind = "amendment"
			if parent := s.DraftByID(x.Draft); parent.Status != StatusPending {
				return question{}, Errorf(EDraftClosed, "%s amends %s, which is already %s", x.ID, parent.ID, parent.Status)
			}
		} else {
			for _, a := range x.Amendments {
				if s.DraftByID(a).Status == StatusPending {
					return question{}, Errorf(EAmendmentsFirst, "amendment %s to %s has not been voted on: amendments are voted on before the draft (Rule 36)", a, x.ID)
				}
			}
		}
	}
	era := s.EraOn(d.day)
	if matter == "" {
		matter = s.cfg.Body.DefaultMatter(kind)
	}
	if era.Decision(matter) == nil {
		return question{}, Errorf(EUnknownMatter, "matter %q is not a kind of decision of the %s (on %s)", matter, s.cfg.Body.ID, d.day)
	}
	if len(parties) > 0 {
		if matter == s.cfg.Body.DefaultMatter("agenda") {
			return question{}, Errorf(EPartyMustAbstain, "parties to a dispute abstain only in substantive decisions (Charter Art. 27(3)); this vote is %s", matter)
		}
		if err := d.members("parties", parties, EListedTwice); err != nil {
			return question{}, err
		}
	}
	return question{id: id, meeting: m, on: on, kind: kind, matter: matter}, nil
}

// vote counts a vote under the rules of the day: procedural or substantive (or the body's other
// matters), parties to a dispute not participating, members listed nowhere absent.
func (d *decision) vote(c *Vote) (Event, error) {
	q, err := d.pose(c.ID, c.Meeting, c.On, c.Matter, c.Parties)
	if err != nil {
		return nil, err
	}
	var room [16]rules.Cast // a vote of up to 16 members is counted without allocating
	casts, err := d.ballots(c, d.castsIn(d.sit, room[:]))
	if err != nil {
		return nil, err
	}
	return d.count(q, d.s.EraOn(d.day), casts)
}

// count evaluates the ballots of a vote under an era's rules and returns the vote taken, numbering an
// adopted resolution in the year of the decision's day.
func (d *decision) count(q question, era *rules.Era, casts []rules.Cast) (Event, error) {
	res, err := era.Evaluate(q.matter, casts)
	if err != nil {
		return nil, Errorf(EINVALID, "%v", err)
	}
	s := d.s
	e := &VoteTaken{
		Dated: d.at(), ID: q.id, Meeting: q.meeting.ID, On: q.on, Matter: q.matter,
		Counts: Counts(res.Counts), Needed: res.Needed, Adopted: res.Adopted,
		VetoedBy: nonNil(res.VetoedBy), Decisive: nonNil(res.Decisive), Reason: res.Reason,
	}
	e.Yes, e.No, e.Abstain, e.Absent, e.NotParticipating = split(casts, &e.lists)
	if res.Adopted && q.kind == "draft" {
		e.Symbol = s.cfg.Prefix + "/RES/" + strconv.Itoa(s.nextResolution) + " (" + strconv.Itoa(d.day.Year()) + ")"
	}
	return e, nil
}

// openVote opens a vote after the checks of a vote that need no ballot.
func (d *decision) openVote(c *OpenVote) (Event, error) {
	if _, err := d.presiding(c.Presiding); err != nil {
		return nil, err
	}
	q, err := d.pose(c.ID, c.Meeting, c.On, c.Matter, c.Parties)
	if err != nil {
		return nil, err
	}
	return &VoteOpened{Dated: d.at(), ID: q.id, Meeting: q.meeting.ID, On: q.on, Matter: q.matter, Parties: cloneNonNil(c.Parties)}, nil
}

// openVoteByID returns the vote open with that id, or refuses: none by that id, or closed.
func (d *decision) openVoteByID(id string) (*OpenVoteState, error) {
	if err := required("vote", id); err != nil {
		return nil, err
	}
	if v := d.s.OpenVoteByID(id); v != nil {
		return v, nil
	}
	if d.s.VoteByID(id) != nil {
		return nil, Errorf(ENoOpenVote, "vote %s is already closed", id)
	}
	return nil, Errorf(ENoOpenVote, "there is no open vote %s", id)
}

// voteSitting is who sits in an open vote: the members sitting on the day it was opened.
func (d *decision) voteSitting(v *OpenVoteState) (*Sitting, error) {
	if v.Opened == d.day {
		return d.sit, nil
	}
	return d.s.SittingOn(v.Opened)
}

// ballot checks a member's own ballot in an open vote: one ballot each, none by a party.
func (d *decision) ballot(c *Ballot) (Event, error) {
	v, err := d.openVoteByID(c.Vote)
	if err != nil {
		return nil, err
	}
	if err := d.member("by", c.By); err != nil {
		return nil, err
	}
	sit, err := d.voteSitting(v)
	if err != nil {
		return nil, err
	}
	if sit.Index(c.By) < 0 {
		return nil, Errorf(ENotSitting, "by: %s did not sit on the %s on %s, when vote %s was opened", c.By, d.s.cfg.Body.ID, v.Opened, v.ID)
	}
	if slices.Contains(v.Parties, c.By) {
		return nil, Errorf(EPartyMustAbstain, "%s is a party to the dispute and does not vote in vote %s (Charter Art. 27(3))", c.By, v.ID)
	}
	if b := v.cast(c.By); b != "" {
		return nil, Errorf(EAlreadyVoted, "%s has already voted %s in vote %s; a ballot cannot be changed", c.By, b, v.ID)
	}
	if _, ok := ballotOf(c.Ballot); !ok {
		if c.Ballot == "" {
			return nil, Errorf(EINVALID, "ballot is missing: yes, no or abstain")
		}
		return nil, Errorf(EINVALID, "ballot: %q is not a ballot (yes, no or abstain)", c.Ballot)
	}
	return &BallotCast{Dated: d.at(), Vote: v.ID, By: c.By, Ballot: c.Ballot}, nil
}

// ballotOf reads a ballot a member casts: yes, no or abstain.
func ballotOf(b string) (rules.Ballot, bool) {
	switch b {
	case "yes":
		return rules.Yes, true
	case "no":
		return rules.No, true
	case "abstain":
		return rules.Abstain, true
	}
	return rules.Absent, false
}

// closeVote counts an open vote as Vote counts its lists: the ballots cast, members that cast none
// absent, parties not participating, among the members and under the rules of the day it was opened.
func (d *decision) closeVote(c *CloseVote) (Event, error) {
	if _, err := d.presiding(c.Presiding); err != nil {
		return nil, err
	}
	v, err := d.openVoteByID(c.Vote)
	if err != nil {
		return nil, err
	}
	s := d.s
	m := s.Meeting(v.Meeting)
	sit, err := d.voteSitting(v)
	if err != nil {
		return nil, err
	}
	var room [16]rules.Cast
	casts := d.castsIn(sit, room[:])
	copy(casts, sit.absent)
	for _, p := range v.Parties {
		casts[sit.Index(p)].Ballot = rules.NotParticipating
	}
	for _, b := range v.Ballots {
		casts[sit.Index(b.Member)].Ballot, _ = ballotOf(b.Ballot)
	}
	kind := "agenda"
	if v.On != "agenda" {
		kind = "draft"
		if s.DraftByID(v.On).Draft != "" {
			kind = "amendment"
		}
	}
	return d.count(question{id: v.ID, meeting: m, on: v.On, kind: kind, matter: v.Matter}, s.EraOn(v.Opened), casts)
}

// castsIn returns room for one ballot per member of a sitting, in room when it is large enough.
func (d *decision) castsIn(sit *Sitting, room []rules.Cast) []rules.Cast {
	if n := len(sit.Members); n <= len(room) {
		return room[:n]
	}
	return make([]rules.Cast, len(sit.Members))
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
	casts := d.castsIn(d.sit, room[:])
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
