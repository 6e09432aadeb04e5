package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/councils"
)

// The live chamber: the members round the horseshoe table as an inline SVG, the vote under way or the
// last one taken, and its result. The server renders the council as it stands, so the page shows
// everything without JavaScript (and reloads itself in projector mode); static/chamber.js then follows
// the council's event stream from the version the page was rendered at.

// chamberPages lists the chamber's pages.
func (s *Server) chamberPages() []route {
	return []route{
		{"GET", "/c/{council}/chamber", s.page(s.chamber)},
	}
}

// chamberPage is what templates/chamber.html renders.
type chamberPage struct {
	Council   string
	Title     string
	Version   int64
	Projector bool
	Who       chamberWho
	Today     string
	President string // the code of the member presiding today, or ""
	Meeting   string // the meeting line: the meeting in progress, or none
	Seats     []chamberSeat
	Vote      chamberVote
	Result    chamberResult
	Ballots   []chamberBallot
	Speakers  []string
	Centre    string // the word in the middle of the horseshoe: VOTING, ADOPTED, ...
	Summary   string // the horseshoe's description for assistive technology
}

// chamberSeat is one member's seat at the table.
type chamberSeat struct {
	Code, Name, Class string
	President         bool
	Ballot            string // yes, no, abstain, absent, not_participating, or "" while none is cast
	Word              string // the ballot as the seat shows it: YES, NO, ...
	Text              string // the ballot in words: "not participating"
	Place             string // the seat's place in the SVG: its centre, and its scale when the table is crowded
}

// chamberVote is the vote open now, or the last one taken.
type chamberVote struct {
	ID, State        string // State: open, closed or none
	On, Subject      string // the matter voted on: "agenda" or a draft's id, and what it is
	Matter, Date     string
	Parties          []string
	Yes, No, Abstain int
	Absent, Pending  int
	Tally            string
	Symbol           string
}

// chamberResult is the banner of the last vote taken; Result is "" while a vote is open.
type chamberResult struct {
	Result   string // adopted, not adopted or vetoed
	Verdict  string // ADOPTED, NOT ADOPTED, VETOED
	VetoedBy string
	Reason   string
	Tally    string
	Needed   int
	Decisive string
	Symbol   string
}

// chamberBallot is one line of the list of ballots.
type chamberBallot struct{ Member, Ballot, Text string }

// chamberWho is who is signed in, for the chamber's header.
type chamberWho struct {
	Signed                bool
	Role, Member, Council string
}

// chamber serves /c/{council}/chamber, and with ?projector=1 its full-screen projector mode. Its errors
// become the site's error page (page, in pages_routes.go).
func (s *Server) chamber(w http.ResponseWriter, r *http.Request, p principal) error {
	name, err := s.readable(r, p)
	if err != nil {
		return err
	}
	page, err := s.chamberOf(r.Context(), name)
	if err != nil {
		return err
	}
	page.Projector = r.URL.Query().Get("projector") == "1"
	if !p.anonymous {
		page.Who = chamberWho{Signed: true, Role: string(p.grant.Role), Member: p.grant.Member, Council: p.grant.Council}
	}
	w.Header().Set("Cache-Control", "no-cache")
	return s.render(w, http.StatusOK, "chamber", page)
}

// chamberOf reads the council as it stands into a chamber page.
func (s *Server) chamberOf(ctx context.Context, name string) (*chamberPage, error) {
	page := &chamberPage{Council: name}
	err := s.svc.View(ctx, name, func(v councils.View) error {
		st := v.State
		page.Title, page.Version = v.Def.Title, v.Version
		day := st.Today
		if day == 0 {
			day = v.Def.Date
		}
		page.Today = day.String()
		open, current := chamberOpenVote(st)
		if open != nil {
			day = open.Opened
		}
		var shown *council.VoteTaken // the last vote taken, shown when none is open
		if open == nil && len(st.Votes) > 0 {
			shown = st.Votes[len(st.Votes)-1]
		}
		ballots := map[string]string{}
		switch {
		case open != nil:
			page.Vote = chamberVote{ID: open.ID, State: "open", On: open.On, Matter: open.Matter,
				Date: open.Opened.String(), Parties: open.Parties}
			for _, m := range open.Parties {
				ballots[m] = "not_participating"
			}
			for _, b := range open.Ballots {
				ballots[b.Member] = b.Ballot
				page.Ballots = append(page.Ballots, chamberBallot{b.Member, b.Ballot, chamberText(b.Ballot)})
				switch b.Ballot {
				case "yes":
					page.Vote.Yes++
				case "no":
					page.Vote.No++
				case "abstain":
					page.Vote.Abstain++
				}
			}
			page.Centre = "VOTING"
		case shown != nil:
			page.Vote = chamberVote{ID: shown.ID, State: "closed", On: shown.On, Matter: shown.Matter,
				Date: shown.Date.String(), Yes: shown.Counts.Yes, No: shown.Counts.No,
				Abstain: shown.Counts.Abstain, Absent: shown.Counts.Absent, Symbol: shown.Symbol}
			for _, l := range []struct {
				ballot  string
				members []string
			}{{"yes", shown.Yes}, {"no", shown.No}, {"abstain", shown.Abstain}, {"absent", shown.Absent},
				{"not_participating", shown.NotParticipating}} {
				for _, m := range l.members {
					ballots[m] = l.ballot
					page.Ballots = append(page.Ballots, chamberBallot{m, l.ballot, chamberText(l.ballot)})
				}
			}
			page.Result = chamberResultOf(shown)
			page.Centre = page.Result.Verdict
		default:
			page.Vote.State = "none"
		}
		page.Vote.Tally = chamberTally(page.Vote.Yes, page.Vote.No, page.Vote.Abstain, page.Vote.Absent)
		page.Vote.Subject = chamberSubject(st, page.Vote.On)
		if current != nil {
			page.Meeting = chamberMeetingLine(current.ID, current.Symbol, "in progress")
			page.Speakers = current.Speakers
		} else {
			page.Meeting = "No meeting in progress"
		}
		sit, err := st.SittingOn(day)
		if err != nil {
			return nil // a day without data: no seats to show
		}
		page.President = sit.President
		pres := -1
		for i, m := range sit.Members {
			seat := chamberSeat{Code: m.Code, Name: m.Name, Class: m.Class, President: m.Code == sit.President,
				Ballot: ballots[m.Code]}
			seat.Word, seat.Text = chamberWord(seat.Ballot), chamberText(seat.Ballot)
			if seat.President {
				pres = i
			}
			page.Seats = append(page.Seats, seat)
		}
		if open != nil {
			page.Vote.Pending = len(sit.Members) - len(open.Ballots) - len(open.Parties)
		}
		chamberPlace(page.Seats, pres)
		page.Summary = chamberSummary(page)
		return nil
	})
	return page, err
}

// chamberOpenVote finds the vote open now, if any, and the meeting in progress (the last one opened and not
// yet closed), if any.
func chamberOpenVote(st *council.State) (*council.OpenVoteState, *council.MeetingState) {
	var (
		open    *council.OpenVoteState
		current *council.MeetingState
	)
	for i := len(st.MeetingOrder) - 1; i >= 0; i-- {
		m := st.Meeting(st.MeetingOrder[i])
		if m == nil || m.Status != council.StatusOpen {
			continue
		}
		if current == nil {
			current = m
		}
		if open == nil && m.OpenVote != nil {
			open = m.OpenVote
		}
	}
	return open, current
}

// chamberResultOf is the banner of a vote taken.
func chamberResultOf(v *council.VoteTaken) chamberResult {
	res := chamberResult{Result: "not adopted", Verdict: "NOT ADOPTED", Reason: v.Reason, Needed: v.Needed,
		Tally:    chamberTally(v.Counts.Yes, v.Counts.No, v.Counts.Abstain, v.Counts.Absent),
		Decisive: chamberList(v.Decisive), Symbol: v.Symbol}
	switch {
	case len(v.VetoedBy) > 0:
		res.Result, res.Verdict, res.VetoedBy = "vetoed", "VETOED", strings.Join(v.VetoedBy, ", ")
	case v.Adopted:
		res.Result, res.Verdict = "adopted", "ADOPTED"
	}
	return res
}

// chamberTally is the count line of a vote, the same as chamber.js writes.
func chamberTally(yes, no, abstain, absent int) string {
	return fmt.Sprintf("Yes %d · No %d · Abstain %d · Absent %d", yes, no, abstain, absent)
}

// chamberList joins member codes, or says none.
func chamberList(codes []string) string {
	if len(codes) == 0 {
		return "none"
	}
	return strings.Join(codes, ", ")
}

// chamberWord is a ballot as a seat shows it, so that no seat says its ballot by colour alone.
func chamberWord(ballot string) string {
	switch ballot {
	case "":
		return ""
	case "not_participating":
		return "PARTY"
	}
	return strings.ToUpper(ballot)
}

// chamberText is a ballot in words, as the list of ballots and the seats' titles say it.
func chamberText(ballot string) string {
	if ballot == "not_participating" {
		return "not participating"
	}
	return ballot
}

// chamberSubject says what a vote is on: the agenda, or a draft or an amendment with its symbol and title.
func chamberSubject(st *council.State, on string) string {
	switch on {
	case "":
		return ""
	case "agenda":
		return "the provisional agenda"
	}
	d := st.DraftByID(on)
	if d == nil {
		return on
	}
	kind := "draft resolution"
	if d.Draft != "" {
		kind = "amendment to " + d.Draft
	}
	out := kind + " " + d.ID
	if d.Symbol != "" {
		out += " (" + d.Symbol + ")"
	}
	if d.Title != "" {
		out += ": " + d.Title
	}
	return out
}

// chamberMeetingLine describes a meeting for the header line; chamber.js writes the same.
func chamberMeetingLine(id, symbol, status string) string {
	out := "Meeting " + id
	if symbol != "" {
		out += " (" + symbol + ")"
	}
	return out + " " + status
}

// chamberSummary describes the horseshoe in words.
func chamberSummary(page *chamberPage) string {
	out := strconv.Itoa(len(page.Seats)) + " members"
	if page.President != "" {
		out += ", " + page.President + " presiding"
	}
	switch page.Vote.State {
	case "open":
		out += "; vote " + page.Vote.ID + " open: " + page.Vote.Tally
	case "closed":
		out += "; vote " + page.Vote.ID + " " + page.Result.Result + ": " + page.Vote.Tally
	}
	return out
}

// The horseshoe: a half circle at the head of the table with two straight arms, open at the foot.
const (
	chamberCX, chamberCY = 500.0, 350.0 // the centre of the half circle
	chamberR             = 290.0        // its radius
	chamberArm           = 300.0        // the arms' length
	chamberStep          = 100.0        // the room a seat of radius 46 needs; seats are shrunk below it
)

// chamberPlace puts the seats round the horseshoe: the President at the head, the others clockwise in
// the sitting's order (the presidency rotation), as they sit in the chamber, shrunk when there are
// too many for the table; pres is the President's index, or -1.
func chamberPlace(seats []chamberSeat, pres int) {
	n := len(seats)
	if n == 0 {
		return
	}
	if pres < 0 {
		pres = 0
	}
	length := 2*chamberArm + math.Pi*chamberR
	scale := ""
	if step := length / float64(n); step < chamberStep {
		scale = " scale(" + strconv.FormatFloat(step/chamberStep, 'f', 3, 64) + ")"
	}
	for i := range seats {
		k := (i - pres + n) % n
		x, y := chamberPoint(math.Mod(length/2+float64(k)*length/float64(n), length))
		seats[i].Place = "translate(" + strconv.FormatFloat(x, 'f', 1, 64) + " " + strconv.FormatFloat(y, 'f', 1, 64) + ")" + scale
	}
}

// chamberPoint is the point at distance d along the horseshoe, from the foot of its left arm up and round
// the head to the foot of its right arm.
func chamberPoint(d float64) (float64, float64) {
	switch {
	case d < chamberArm:
		return chamberCX - chamberR, chamberCY + chamberArm - d
	case d < chamberArm+math.Pi*chamberR:
		a := math.Pi - (d-chamberArm)/chamberR
		return chamberCX + chamberR*math.Cos(a), chamberCY - chamberR*math.Sin(a)
	}
	return chamberCX + chamberR, chamberCY + (d - chamberArm - math.Pi*chamberR)
}
