package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/opencouncil/council"
)

// recordData is the record as readable minutes: each meeting in order with what was said and
// decided there, then the drafts, the presidential statements and the requests.
type recordData struct {
	Page       pageBase
	Name       string
	Title      string
	Body       string
	Today      string
	Meetings   []minutes
	Drafts     []draftLine
	Statements []prstView
	Requests   []requestLine
	Failed     *council.StepError
}

// minutes are one meeting's minutes.
type minutes struct {
	meetingView
	AgendaAdopted bool
	Objections    []memberRef
	Speeches      []speechView
	Votes         []voteView
	Statements    []prstView
	Drafts        []draftLine
	Speakers      []memberRef
	OpenVote      *openVoteView
}

// speechView is a statement made at a meeting.
type speechView struct {
	Date string
	By   memberRef
	Text string
}

// voteView is a vote with each member's ballot.
type voteView struct {
	ID         string
	Date       string
	On         string
	OnText     string
	Matter     string
	Result     string
	Reason     string
	Symbol     string
	Counts     council.Counts
	Needed     int
	VetoedBy   []memberRef
	Ballots    []ballotRow
	Resolution string
}

// ballotRow is one member's ballot.
type ballotRow struct {
	memberRef
	Ballot string // yes, no, abstain, absent, not_participating
	Text   string
}

// openVoteView is a vote still open, with the ballots cast so far.
type openVoteView struct {
	ID      string
	On      string
	OnText  string
	Matter  string
	Ballots []ballotRow
	Parties []memberRef
}

// prstView is a presidential statement, issued or blocked.
type prstView struct {
	Meeting    string
	Date       string
	Text       string
	Symbol     string
	Issued     bool
	Objections []memberRef
	Reason     string
}

// ballotText says a ballot in words.
func ballotText(b string) string {
	switch b {
	case "yes":
		return "In favour"
	case "no":
		return "Against"
	case "abstain":
		return "Abstained"
	case "absent":
		return "Absent"
	case "not_participating":
		return "Did not participate"
	}
	return b
}

// onText says what a vote was on: the agenda, or a draft's symbol and title.
func (sn *snapshot) onText(on string) string {
	if on == "agenda" {
		return "the provisional agenda"
	}
	if d := sn.draft(on); d != nil {
		t := d.Symbol
		if d.Title != "" {
			t += " " + d.Title
		}
		if d.Amends != "" {
			return "amendment " + strings.TrimSpace(t) + " to " + d.Amends
		}
		return "draft " + strings.TrimSpace(t)
	}
	return on
}

// voteOf is a vote for the minutes.
func (sn *snapshot) voteOf(v council.VoteRecord) voteView {
	vv := voteView{ID: v.ID, Date: longDate(v.Date), On: v.On, OnText: sn.onText(v.On), Matter: v.Matter, Result: v.Result,
		Reason: v.Reason, Symbol: v.Symbol, Counts: v.Counts, Needed: v.Needed, VetoedBy: sn.refs(v.VetoedBy)}
	vv.Ballots = sn.orderBallots(ballotsOf(v))
	return vv
}

// ballotsOf lists every member's ballot in a vote.
func ballotsOf(v council.VoteRecord) []ballotRow {
	var out []ballotRow
	for _, l := range []struct {
		ballot string
		who    []string
	}{{"yes", v.Yes}, {"no", v.No}, {"abstain", v.Abstain}, {"absent", v.Absent}, {"not_participating", v.NotParticipating}} {
		for _, m := range l.who {
			out = append(out, ballotRow{memberRef: memberRef{Code: m}, Ballot: l.ballot, Text: ballotText(l.ballot)})
		}
	}
	return out
}

// orderBallots names the ballots' members and puts them in presidency order.
func (sn *snapshot) orderBallots(bs []ballotRow) []ballotRow {
	codes := make([]string, len(bs))
	by := make(map[string]ballotRow, len(bs))
	for i, b := range bs {
		codes[i], by[b.Code] = b.Code, b
	}
	out := make([]ballotRow, 0, len(bs))
	for _, m := range sn.sorted(codes) {
		b := by[m.Code]
		b.memberRef = m
		out = append(out, b)
	}
	return out
}

// openVoteOf is an open vote with the ballots cast so far.
func (sn *snapshot) openVoteOf(v *council.OpenVoteRecord) *openVoteView {
	if v == nil {
		return nil
	}
	ov := &openVoteView{ID: v.ID, On: v.On, OnText: sn.onText(v.On), Matter: v.Matter, Parties: sn.refs(v.Parties)}
	for _, b := range v.Ballots {
		ov.Ballots = append(ov.Ballots, ballotRow{memberRef: sn.ref(b.Member), Ballot: b.Ballot, Text: ballotText(b.Ballot)})
	}
	return ov
}

// prstOf is a presidential statement for the minutes.
func (sn *snapshot) prstOf(p council.StatementRecord) prstView {
	return prstView{Meeting: p.Meeting, Date: longDate(p.Date), Text: p.Text, Symbol: p.Symbol, Issued: p.Issued,
		Objections: sn.refs(p.Objections), Reason: p.Reason}
}

// minutesOf builds the readable minutes of the record.
func (sn *snapshot) minutesOf() []minutes {
	votes := map[string]council.VoteRecord{}
	for _, v := range sn.Rec.Votes {
		votes[v.ID] = v
	}
	drafts := sn.draftLines()
	out := make([]minutes, 0, len(sn.Rec.Meetings))
	for _, m := range sn.Rec.Meetings {
		mm := minutes{meetingView: sn.meetingOf(m), AgendaAdopted: m.AgendaAdopted, Objections: sn.refs(m.Objections),
			Speakers: sn.refs(m.Speakers), OpenVote: sn.openVoteOf(m.OpenVote)}
		for _, sp := range m.Speeches {
			mm.Speeches = append(mm.Speeches, speechView{Date: longDate(sp.Date), By: sn.ref(sp.By), Text: sp.Text})
		}
		for _, id := range m.Votes {
			if v, ok := votes[id]; ok {
				mm.Votes = append(mm.Votes, sn.voteOf(v))
			}
		}
		for _, p := range sn.Rec.Statements {
			if p.Meeting == m.ID {
				mm.Statements = append(mm.Statements, sn.prstOf(p))
			}
		}
		for _, d := range drafts {
			if d.Meeting == m.ID {
				mm.Drafts = append(mm.Drafts, d)
			}
		}
		out = append(out, mm)
	}
	return out
}

// recordPage serves GET /c/{council}/record: the minutes, printable.
func (s *Server) recordPage(w http.ResponseWriter, r *http.Request, p principal) error {
	sn, err := s.readableSnapshot(r, p)
	if err != nil {
		return err
	}
	name, title := sn.Name, sn.title()
	data := recordData{Page: s.base(r, p, "Record of "+title, name), Name: name, Title: title, Body: sn.Info.Body,
		Today: longDate(sn.Day), Meetings: sn.minutesOf(), Drafts: sn.draftLines(), Requests: sn.requestLines(), Failed: sn.Rec.Error}
	data.Page.Print = true
	for _, st := range sn.Rec.Statements {
		data.Statements = append(data.Statements, sn.prstOf(st))
	}
	return s.render(w, http.StatusOK, "record.html", data)
}

// attachment names the file a download is saved as.
func attachment(w http.ResponseWriter, file string) {
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
}

// recordJSON serves GET /c/{council}/record.json: the API's record, as a file to save.
func (s *Server) recordJSON(w http.ResponseWriter, r *http.Request, p principal) error {
	rec, version, err := s.recordOf(r, p)
	if err != nil {
		return err
	}
	attachment(w, r.PathValue("council")+"-record.json")
	writeVersioned(w, version, rec)
	return nil
}

// csvColumns are the columns of record.csv: one row per member in each vote.
var csvColumns = []string{"vote", "date", "meeting", "meeting_record", "on", "on_title", "matter", "result",
	"resolution", "needed", "member", "member_name", "ballot"}

// recordCSV serves GET /c/{council}/record.csv: every vote with each member's ballot, one row per
// vote and member, under a header row naming the columns (csvColumns). Ballots are yes, no, abstain,
// absent or not_participating; result is adopted or failed.
func (s *Server) recordCSV(w http.ResponseWriter, r *http.Request, p principal) error {
	sn, err := s.readableSnapshot(r, p)
	if err != nil {
		return err
	}
	name := sn.Name
	symbols := map[string]string{}
	for _, m := range sn.Rec.Meetings {
		symbols[m.ID] = m.Symbol
	}
	var b strings.Builder
	cw := csv.NewWriter(&b)
	_ = cw.Write(csvColumns)
	for _, v := range sn.Rec.Votes {
		title := ""
		if d := sn.draft(v.On); d != nil {
			title = d.Title
		}
		for _, row := range sn.orderBallots(ballotsOf(v)) {
			_ = cw.Write(safeCells(v.ID, v.Date.String(), v.Meeting, symbols[v.Meeting], v.On, title, v.Matter, v.Result,
				v.Symbol, strconv.Itoa(v.Needed), row.Code, row.Name, row.Ballot))
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", strconv.Quote(strconv.FormatInt(sn.Info.Version, 10)))
	attachment(w, name+"-votes.csv")
	_, err = w.Write([]byte(b.String()))
	return err
}

// safeCells keeps a spreadsheet from reading a cell as a formula: text starting with =, +, -, @ or a
// control character is prefixed with an apostrophe.
func safeCells(cells ...string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}
