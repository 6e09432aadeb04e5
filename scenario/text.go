package scenario

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/opencouncil/council"
)

// WriteText writes a replay as a record for people: each step as it happened, with the tally and every
// member's ballot for each vote, then where each request, meeting and draft stands and why.
func WriteText(w io.Writer, sc *Scenario, r *Replay) error {
	t := &textWriter{w: w, rec: r.Record, state: r.State, signed: map[string]int{}, amends: map[string]bool{}, needed: map[string]int{},
		speakers: map[string][]string{}}
	for _, req := range r.Record.Requests {
		t.needed[req.ID] = req.Needed
	}
	title := sc.Title
	if title == "" {
		title = sc.File
	}
	t.printf("%s\n", title)
	t.printf("%s\n\n", strings.Repeat("=", len([]rune(title))))
	t.printf("Body: %s. %d steps, from %s.\n", sc.BodyID, len(sc.Steps), sc.AsOf)
	if sit, err := r.State.SittingOn(sc.AsOf); err == nil {
		var names []string
		pres := ""
		for _, m := range sit.Members {
			n := m.Code
			if m.Name != "" && m.Name != m.Code {
				n += " " + m.Name
			}
			if m.Code == sit.President {
				pres = n
			}
			names = append(names, n)
		}
		if pres != "" {
			t.printf("President: %s.\n", pres)
		}
		t.printf("Members:")
		col := 8
		for i, n := range names {
			if i > 0 {
				t.printf(",")
				col++
			}
			if col+len(n) > 100 {
				t.printf("\n ")
				col = 1
			}
			t.printf(" %s", n)
			col += len(n) + 1
		}
		t.printf(".\n")
	}
	t.printf("\n")
	var last council.Date
	for _, p := range r.Steps {
		e := p.Event
		day := "          "
		if d := e.EventDate(); d != last {
			day, last = d.String(), d
		}
		t.printf("%3d  %s  %s\n", p.Step.N, day, t.narrate(e))
		if v, ok := e.(*council.VoteTaken); ok {
			t.ballots(v)
		}
	}
	if f := r.Failed; f != nil {
		t.printf("\nStopped: step %d (%s): %s [%s]\n", f.Step, f.Kind, f.Message, f.Code)
	}
	t.summary()
	return t.err
}

type textWriter struct {
	w      io.Writer
	rec    *council.Record
	state  *council.State
	signed map[string]int
	amends map[string]bool
	needed map[string]int // the support each request needs
	// speakers is each meeting's speakers list as the steps go
	speakers map[string][]string
	err      error
}

func (t *textWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

func list(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

// narrate says in one line what an event was.
func (t *textWriter) narrate(e council.Event) string {
	switch e := e.(type) {
	case *council.RequestDrafted:
		t.signed[e.ID] = 1
		s := fmt.Sprintf("%s drafts a letter asking for a meeting on %q (request %s)", e.By, e.Subject, e.ID)
		if e.MeetingOn != 0 {
			s += ", for " + e.MeetingOn.String()
		}
		return s
	case *council.RequestSigned:
		t.signed[e.Request] += len(e.By)
		return fmt.Sprintf("%s sign%s request %s: support %d of %d needed", list(e.By), plural(len(e.By) == 1), e.Request, t.signed[e.Request], t.needed[e.Request])
	case *council.SignatureWithdrawn:
		t.signed[e.Request]--
		return fmt.Sprintf("%s takes back its signature of request %s: support %d of %d needed", e.By, e.Request, t.signed[e.Request], t.needed[e.Request])
	case *council.RequestDeclined:
		return fmt.Sprintf("%s declines to sign request %s", e.By, e.Request)
	case *council.RequestSubmitted:
		if e.Symbol == "" {
			return fmt.Sprintf("request %s is sent to the President", e.Request)
		}
		return fmt.Sprintf("request %s is sent to the President as %s", e.Request, e.Symbol)
	case *council.RequestAbandoned:
		return fmt.Sprintf("request %s is abandoned: %s", e.Request, e.Reason)
	case *council.MeetingScheduled:
		s := fmt.Sprintf("meeting %s is scheduled for %s", e.Meeting, e.On)
		if e.Format != "" {
			s += " (" + e.Format + ")"
		}
		if e.Request != "" {
			s += " at request " + e.Request
		}
		return s + "; agenda: " + strings.Join(e.Agenda, "; ")
	case *council.MeetingPostponed:
		to := "without date"
		if e.To != 0 {
			to = "to " + e.To.String()
		}
		return fmt.Sprintf("meeting %s is postponed %s%s: %s", e.Meeting, to, requested(e.RequestedBy), e.Reason)
	case *council.MeetingCancelled:
		return fmt.Sprintf("meeting %s is cancelled%s: %s", e.Meeting, requested(e.RequestedBy), e.Reason)
	case *council.MeetingOpened:
		s := fmt.Sprintf("meeting %s opens (%s)", e.Meeting, e.Symbol)
		if e.President != "" {
			s += ", President " + e.President
		}
		return s
	case *council.AgendaObjected:
		return fmt.Sprintf("%s object%s to the provisional agenda of %s", list(e.By), plural(len(e.By) == 1), e.Meeting)
	case *council.AgendaAdopted:
		return fmt.Sprintf("the agenda of %s is adopted without a vote", e.Meeting)
	case *council.DraftCirculated:
		return fmt.Sprintf("draft %s (%s) %q is circulated by %s", e.ID, e.Symbol, e.Title, list(e.Sponsors))
	case *council.DraftCosponsored:
		return fmt.Sprintf("%s co-sponsor%s %s", list(e.By), plural(len(e.By) == 1), e.Draft)
	case *council.AmendmentProposed:
		t.amends[e.ID] = true
		return fmt.Sprintf("amendment %s (%s) to %s is proposed by %s", e.ID, e.Symbol, e.Draft, list(e.Sponsors))
	case *council.DraftWithdrawn:
		return fmt.Sprintf("%s is withdrawn", e.Draft)
	case *council.VoteTaken:
		res := "ADOPTED"
		switch {
		case len(e.VetoedBy) > 0:
			res = "VETOED by " + list(e.VetoedBy)
		case !e.Adopted:
			res = "NOT ADOPTED"
		}
		s := fmt.Sprintf("vote %s on the %s (%s): %s, %d-%d-%d", e.ID, t.on(e.On), e.Matter, res, e.Counts.Yes, e.Counts.No, e.Counts.Abstain)
		if e.Symbol != "" {
			s += " as " + e.Symbol
		}
		return s
	case *council.VoteOpened:
		s := fmt.Sprintf("vote %s on the %s (%s) opens at %s", e.ID, t.on(e.On), e.Matter, e.Meeting)
		if len(e.Parties) > 0 {
			s += "; not participating: " + list(e.Parties)
		}
		return s
	case *council.BallotCast:
		how := map[string]string{"yes": "votes in favour", "no": "votes against", "abstain": "abstains"}[e.Ballot]
		if how == "" {
			how = "votes " + e.Ballot
		}
		return fmt.Sprintf("%s %s in vote %s", e.By, how, e.Vote)
	case *council.SpeakerInscribed:
		t.speakers[e.Meeting] = append(t.speakers[e.Meeting], e.By)
		return fmt.Sprintf("%s asks to speak at %s: speaker %d on the list", e.By, e.Meeting, len(t.speakers[e.Meeting]))
	case *council.StatementMade:
		if l := t.speakers[e.Meeting]; slices.Contains(l, e.By) {
			t.speakers[e.Meeting] = slices.DeleteFunc(slices.Clone(l), func(x string) bool { return x == e.By })
		}
		if e.Text != "" {
			return fmt.Sprintf("%s speaks at %s: %q", e.By, e.Meeting, e.Text)
		}
		return fmt.Sprintf("%s speaks at %s", e.By, e.Meeting)
	case *council.PresidentialStatement:
		if e.Issued {
			return fmt.Sprintf("presidential statement %s is issued at %s", e.Symbol, e.Meeting)
		}
		return fmt.Sprintf("a presidential statement at %s is blocked: %s", e.Meeting, e.Reason)
	case *council.MeetingClosed:
		return fmt.Sprintf("meeting %s closes", e.Meeting)
	}
	return e.EventType()
}

// voters is how many members may cast a ballot in an open vote: those sitting the day it opened, but
// the parties.
func (t *textWriter) voters(v *council.OpenVoteRecord) int {
	sit, err := t.state.SittingOn(v.Date)
	if err != nil {
		return 0
	}
	return len(sit.Members) - len(v.Parties)
}

// on names what a vote is on: the agenda, a draft or an amendment.
func (t *textWriter) on(on string) string {
	switch {
	case t.amends[on]:
		return "amendment " + on
	case on != "agenda":
		return "draft " + on
	}
	return on
}

func plural(one bool) string {
	if one {
		return "s"
	}
	return ""
}

const indent = "                     "

func (t *textWriter) ballots(v *council.VoteTaken) {
	rows := []struct {
		label string
		who   []string
	}{{"in favour", v.Yes}, {"against", v.No}, {"abstaining", v.Abstain}, {"absent", v.Absent}, {"not participating", v.NotParticipating}}
	for _, r := range rows {
		if len(r.who) > 0 || r.label == "in favour" || r.label == "against" || r.label == "abstaining" {
			t.printf("%s%-18s %s\n", indent, r.label+" ("+strconv.Itoa(len(r.who))+"):", list(r.who))
		}
	}
	t.printf("%s%-18s %d\n", indent, "needed:", v.Needed)
	if len(v.Decisive) > 0 {
		t.printf("%s%-18s %s\n", indent, "decisive:", list(v.Decisive))
	}
	t.printf("%s%-18s %s\n", indent, "why:", v.Reason)
}

// summary writes where each request, meeting and draft stands.
func (t *textWriter) summary() {
	rec := t.rec
	if len(rec.Requests) > 0 {
		t.printf("\nRequests\n")
	}
	for _, r := range rec.Requests {
		t.printf("  %s (%s), by %s: %s", r.ID, r.Subject, r.By, r.Status)
		if r.Reason != "" {
			t.printf(" (%s)", r.Reason)
		}
		t.printf("\n")
		t.printf("    %-18s %s\n", "signed ("+strconv.Itoa(len(r.Signatories))+"):", list(r.Signatories))
		t.printf("    %-18s %s\n", "declined ("+strconv.Itoa(len(r.Declined))+"):", list(r.Declined))
		t.printf("    %-18s %s\n", "not answered ("+strconv.Itoa(len(r.Undecided))+"):", list(r.Undecided))
		t.printf("    support %d of %d needed", r.Support, r.Needed)
		switch {
		case r.Missing == 0:
			t.printf(": enough to carry the vote on the agenda\n")
		case len(r.Decisive) > 0:
			t.printf(", %d missing: the signature of any one of %s would close the gap\n", r.Missing, list(r.Decisive))
		default:
			t.printf(", %d missing\n", r.Missing)
		}
	}
	if len(rec.Meetings) > 0 {
		t.printf("\nMeetings\n")
	}
	for _, m := range rec.Meetings {
		on := "no date"
		if m.On != nil {
			on = m.On.String()
		}
		t.printf("  %s", m.ID)
		if m.Symbol != "" {
			t.printf(" (%s)", m.Symbol)
		}
		t.printf(", %s", on)
		if m.President != nil {
			t.printf(", President %s", *m.President)
		}
		t.printf(": %s", m.Status)
		if m.Status == council.StatusHeld || m.Status == council.StatusOpen {
			t.printf(", agenda %s", map[bool]string{true: "adopted", false: "not adopted"}[m.AgendaAdopted])
		}
		t.printf("\n")
		for _, c := range m.Changes {
			t.printf("    %s on %s", c.Kind, c.Date)
			if c.By != "" {
				t.printf(" by %s", c.By)
			}
			if c.RequestedBy != "" {
				t.printf(" at the request of %s", c.RequestedBy)
			}
			switch {
			case c.Kind == council.StatusCancelled:
			case c.To != 0:
				t.printf(", from %s to %s", c.From, c.To)
			default:
				t.printf(", from %s without date", c.From)
			}
			t.printf(": %s\n", c.Reason)
		}
		if v := m.OpenVote; v != nil {
			t.printf("    vote %s on the %s, opened %s, is still open: %d of %d ballots cast\n", v.ID, t.on(v.On), v.Date, len(v.Ballots), t.voters(v))
		}
		if len(m.Speakers) > 0 {
			t.printf("    %-18s %s\n", "to speak ("+strconv.Itoa(len(m.Speakers))+"):", list(m.Speakers))
		}
	}
	if len(rec.Drafts) > 0 {
		t.printf("\nDrafts\n")
	}
	for _, d := range rec.Drafts {
		title := strconv.Quote(d.Title)
		if d.Title == "" {
			title = "(no title)"
		}
		if d.Amends != "" {
			title = "amending " + d.Amends + ", " + title
		}
		t.printf("  %s %s %s: %s", d.ID, d.Symbol, title, d.Status)
		if d.Resolution != "" {
			t.printf(" as %s", d.Resolution)
		}
		t.printf("\n")
	}
}

func requested(by string) string {
	if by == "" {
		return ""
	}
	return " at the request of " + by
}
