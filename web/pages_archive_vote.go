package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/opencouncil/council/history"
)

// The page of one recorded vote (GET /archive/votes/{id...}): its meeting and document, the tally with
// a bar of the seats and the threshold of its year, the outcome the record gives, the outcome and
// reason the rules engine finds (history's check), the vetoing members, and the vote counted again
// without the veto and with the threshold of 1946 (history's what-if). For the DPRK agenda votes of
// 2014–2017, whose source names every ballot, each member's ballot.
//
// The check and the what-if answer per meeting, naming votes by document, kind and tally; a meeting can
// hold two drafts with the same symbol (the early drafts named only by the meeting's record), so their
// answers are matched to the meeting's outcomes in order, each to the next outcome with the same
// document, kind and tally.

// alignTo matches a meeting's answers to its outcomes: each answer to the next outcome (after the one
// before) with its document, kind and tally. It returns the answers by outcome index.
func alignTo[T any](m *history.Meeting, items []T, key func(T) (meeting, document, kind, tally string)) map[int]T {
	out := map[int]T{}
	j := 0
	for _, it := range items {
		meeting, doc, kind, tally := key(it)
		if meeting != m.Key {
			continue
		}
		for k := j; k < len(m.Outcomes); k++ {
			if o := &m.Outcomes[k]; o.Document == doc && o.Kind == kind && o.Tally.String() == tally {
				out[k], j = it, k+1
				break
			}
		}
	}
	return out
}

// byMeeting groups the check's disagreements by meeting, in order.
func (a *archive) byMeeting(ds []history.Disagreement) map[string][]history.Disagreement {
	out := map[string][]history.Disagreement{}
	for _, d := range ds {
		out[d.Meeting] = append(out[d.Meeting], d)
	}
	return out
}

// alignDisagreements matches a meeting's disagreements to its outcomes.
func (a *archive) alignDisagreements(meeting string, ds []history.Disagreement) map[int]history.Disagreement {
	i, ok := a.meetingAt[meeting]
	if !ok {
		return nil
	}
	return alignTo(&a.h.Meetings[i], ds, func(d history.Disagreement) (string, string, string, string) {
		return d.Meeting, d.Document, d.Kind, d.Tally
	})
}

// whatIf is a meeting's votes counted under one of archScenarios, matched to its outcomes.
func (a *archive) whatIf(r archRef, scenario int) map[int]history.Change {
	m := a.meeting(r)
	return alignTo(m, a.counted[scenario][m.Key], func(c history.Change) (string, string, string, string) {
		return c.Meeting, c.Document, c.Kind, c.Tally
	})
}

// archVotePage is what a vote's page shows.
type archVotePage struct {
	Page       pageBase
	Path       string
	Heading    string
	Meeting    archMeeting
	RecordLink string // the meeting's record at undocs.org
	Search     string // the meetings on the same topic that year
	Kind       string
	KindText   string
	Document   string
	DocLink    string
	Detail     string
	Matter     string
	Tally      archTally
	Assumed    string // how the check filled in a missing tally
	Recorded   string
	Result     string // adopted, failed or vetoed, for the style and tests
	VetoedBy   []memberRef
	Veto       *history.Veto // the veto list's row
	Checked    bool
	NotChecked string
	Computed   string
	Reason     string
	Agrees     bool
	Disagree   *history.Disagreement
	WhatIfs    []archWhatIf
	Ballots    []archBallot
	AllBallots bool // the source names every member's ballot
	Others     []archOutcome
	Prev, Next archLink
	API        string
}

// archLink is a link with its words.
type archLink struct{ Href, Text string }

// archWhatIf is the vote counted under other rules.
type archWhatIf struct {
	Name    string // the rule, briefly
	Rule    string // the rule as the what-if says it
	After   string
	Changed bool
	Reason  string
}

// archBallot is a member's ballot.
type archBallot struct {
	Code, Name string
	Permanent  bool
	Ballot     string // yes, no, abstain, absent, not_participating: site.css's classes
	Text       string
}

// archTally is a vote's count, with a box per seat for the bar: in favour, against, abstaining, not
// participating, then absent.
type archTally struct {
	Known                                   bool
	Text                                    string
	Yes, No, Abstain, NotParticipating, Out int // Out: seats the tally leaves uncounted (absent)
	Seats, Needed                           int
	Boxes                                   []archBox
	W                                       int     // the bar's viewBox width
	Mark                                    float64 // the threshold's x, after the needed-th box
	Summary                                 string
}

// archBox is a seat in the tally's bar.
type archBox struct {
	X      float64
	Ballot string
	Sign   string
}

// Tally bar geometry.
const (
	boxW   = 26.0
	boxGap = 4.0
	boxX0  = 4.0
)

// newTally counts a vote's tally into seats. needed is the affirmative votes the rules required.
func newTally(o *history.Outcome, seats, needed int) archTally {
	t := archTally{Known: o.Tally.Known, Seats: seats, Needed: needed}
	if !t.Known {
		return t
	}
	t.Yes, t.No, t.Abstain, t.NotParticipating = o.Tally.Yes, o.Tally.No, o.Tally.Abstain, len(o.NotParticipating)
	t.Out = max(0, seats-t.Yes-t.No-t.Abstain-t.NotParticipating)
	t.Text = o.Tally.String()
	add := func(n int, ballot, sign string) {
		for range n {
			t.Boxes = append(t.Boxes, archBox{X: boxX0 + float64(len(t.Boxes))*(boxW+boxGap), Ballot: ballot, Sign: sign})
		}
	}
	add(t.Yes, "yes", "✓")
	add(t.No, "no", "✗")
	add(t.Abstain, "abstain", "○")
	add(t.NotParticipating, "not_participating", "–")
	add(t.Out, "absent", "")
	t.W = int(boxX0*2 + float64(len(t.Boxes))*(boxW+boxGap))
	t.Mark = boxX0 + float64(needed)*(boxW+boxGap) - boxGap/2
	parts := []string{fmt.Sprintf("%d in favour", t.Yes), fmt.Sprintf("%d against", t.No), fmt.Sprintf("%d abstaining", t.Abstain)}
	if t.NotParticipating > 0 {
		parts = append(parts, fmt.Sprintf("%d not participating", t.NotParticipating))
	}
	if t.Out > 0 {
		parts = append(parts, fmt.Sprintf("%d absent", t.Out))
	}
	t.Summary = fmt.Sprintf("%s, of %d seats; %d votes in favour needed.", strings.Join(parts, ", "), seats, needed)
	return t
}

// resultWords names an outcome the check or a what-if computed: "vetoed by CHN, RUS" becomes
// "Vetoed by China and Russian Federation".
func (a *archive) resultWords(s string, year int) string {
	if codes, ok := strings.CutPrefix(s, "vetoed by "); ok {
		return "Vetoed by " + a.names(strings.Split(codes, ", "), year)
	}
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// needed is the affirmative votes a matter needed on a date, and the seats of the era.
func (a *archive) needed(date, matter string) (votes, seats int) {
	era := a.unsc.EraOn(date)
	if era == nil {
		return 0, 0
	}
	if d := era.Decisions[matter]; d != nil {
		for _, c := range d.Criteria {
			votes = max(votes, c.Votes)
		}
	}
	return votes, era.Seats
}

// votePage builds a vote's page.
func (a *archive) votePage(r archRef) archVotePage {
	m, o := a.meeting(r), a.outcome(r)
	y := m.Year()
	v := archVotePage{Path: a.votePath(r), Meeting: a.meetingView(r.m), RecordLink: undocs(m.Symbol), Kind: o.Kind,
		KindText: kindNames[o.Kind], Document: o.Document, DocLink: undocs(o.Document), Detail: o.Detail, Matter: "substantive",
		VetoedBy: a.refs(o.VetoedBy, y)}
	if o.Kind == history.KindAgendaVote {
		v.Matter = "procedural"
	}
	v.Search = archQuery{Topic: m.Topic, From: y, To: y}.link()
	switch o.Kind {
	case history.KindResolution:
		v.Heading = "Resolution " + o.Document
	case history.KindAgendaVote:
		v.Heading = "The agenda of " + m.Key
	default:
		v.Heading = strings.TrimSpace("Draft " + o.Document)
	}
	needed, seats := a.needed(m.Date, v.Matter)
	if ms, err := a.h.Roster().Members(y); err == nil {
		seats = len(ms)
	}
	v.Tally = newTally(o, seats, needed)
	switch o.Kind {
	case history.KindResolution:
		v.Recorded, v.Result = "Adopted as resolution "+o.Document, "adopted"
		if o.Unanimous {
			v.Recorded += ", unanimously"
		}
		if o.WithoutVote {
			v.Recorded += ", without a vote"
		}
	case history.KindDraftNotAdopted:
		v.Recorded, v.Result = "Not adopted", "failed"
	case history.KindDraftVetoed:
		v.Recorded, v.Result = "Not adopted: vetoed by "+a.names(o.VetoedBy, y), "vetoed"
	case history.KindAgendaVote:
		v.Recorded, v.Result = "Adopted: the agenda was adopted", "adopted"
	}
	if k, ok := a.vetoOf[r]; ok {
		v.Veto = &a.h.Vetoes[k]
	}
	if !o.Tally.Known && o.Ballots == nil {
		switch {
		case o.Kind == history.KindDraftVetoed && len(o.VetoedBy) > 0:
			v.Assumed = "The record gives no tally: the check counts the vetoing members against and every other member in favour."
		case o.Kind == history.KindResolution && o.Unanimous:
			v.Assumed = "The record says “adopted unanimously” without a tally: the check counts every member present in favour."
		}
	}
	// The engine's result under the real rules, and the check's verdict.
	engine := a.whatIf(r, 0)
	d := a.alignDisagreements(m.Key, a.byMeeting(a.h.Check().Disagreements)[m.Key])
	if c, ok := engine[r.o]; ok {
		v.Checked, v.Computed, v.Reason = true, a.resultWords(c.Before, y), c.Reason
		v.Agrees = c.Before == c.Recorded
	}
	if dis, ok := d[r.o]; ok {
		v.Checked, v.Agrees, v.Disagree = true, false, &dis
		if v.Computed == "" {
			v.Computed = a.resultWords(dis.Computed, y)
		}
	}
	if !v.Checked {
		switch {
		case o.WithoutVote:
			v.NotChecked = "It was adopted without a vote: there is no count for the engine to recompute."
		default:
			v.NotChecked = "The record gives no tally, and no words (“adopted unanimously”, a veto) a count can be built from."
		}
	}
	if v.Checked && v.Reason != "" {
		for k := 1; k < len(archScenarios); k++ {
			if c, ok := a.whatIf(r, k)[r.o]; ok {
				// The rule in words, less what the name says: "7 votes needed in every era".
				rule := a.summaries[k].Rule
				if _, after, ok := strings.Cut(rule, ": "); ok {
					rule = after
				} else if strings.EqualFold(rule, archScenarios[k].name) {
					rule = ""
				}
				v.WhatIfs = append(v.WhatIfs, archWhatIf{Name: archScenarios[k].name, Rule: rule, After: a.resultWords(c.After, y),
					Changed: c.Changed, Reason: c.Reason})
			}
		}
		q := url.Values{"rule": {"no-veto"}, "meeting": {m.Key}, "all": {"true"}}
		if o.Document != "" {
			q.Set("document", o.Document)
		}
		v.API = "/v1/history/whatif?" + q.Encode()
	}
	v.Ballots, v.AllBallots = a.ballots(m, o)
	for _, x := range v.Meeting.Outcomes {
		if x.Link != v.Path {
			v.Others = append(v.Others, x)
		}
	}
	k := a.voteAt[r]
	if k > 0 {
		p := a.votes[k-1]
		v.Prev = archLink{a.votePath(p), archShortDate(a.meeting(p).Date) + ", " + a.outcomeText(a.meeting(p), a.outcome(p))}
	}
	if k+1 < len(a.votes) {
		n := a.votes[k+1]
		v.Next = archLink{a.votePath(n), archShortDate(a.meeting(n).Date) + ", " + a.outcomeText(a.meeting(n), a.outcome(n))}
	}
	return v
}

// ballots are the members' ballots the record names: every one where a source gives them (all is
// true), else the vetoing members' negative votes and the members not participating.
func (a *archive) ballots(m *history.Meeting, o *history.Outcome) ([]archBallot, bool) {
	y := m.Year()
	words := map[string]string{"yes": "In favour", "no": "Against", "abstain": "Abstained", "absent": "Absent",
		"not_participating": "Did not participate"}
	ballot := func(code, b string, permanent bool) archBallot {
		return archBallot{Code: code, Name: a.h.Roster().Name(code, y), Permanent: permanent, Ballot: b, Text: words[b]}
	}
	var out []archBallot
	if b := o.Ballots; b != nil {
		ms, _ := a.h.Roster().Members(y)
		for _, mm := range ms {
			v := "absent"
			switch {
			case slices.Contains(b.Yes, mm.Code):
				v = "yes"
			case slices.Contains(b.No, mm.Code):
				v = "no"
			case slices.Contains(b.Abstain, mm.Code):
				v = "abstain"
			}
			out = append(out, ballot(mm.Code, v, mm.Permanent))
		}
		return out, true
	}
	for _, c := range o.VetoedBy {
		b := ballot(c, "no", true)
		b.Text = "Against (a veto)"
		out = append(out, b)
	}
	for _, c := range o.NotParticipating {
		out = append(out, ballot(c, "not_participating", false))
	}
	return out, false
}

// archiveVote is a vote's page.
func (s *Server) archiveVote(w http.ResponseWriter, r *http.Request, p principal) error {
	a, err := theArchive()
	if err != nil {
		return err
	}
	ref, err := a.findVote(r.PathValue("id"))
	if err != nil {
		return err
	}
	v := a.votePage(ref)
	v.Page = s.archBase(r, p, v.Heading+" · "+v.Meeting.Short)
	return s.render(w, http.StatusOK, "archive-vote.html", v)
}
