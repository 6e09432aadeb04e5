package web

import (
	"net/http"
	"time"

	"github.com/opencouncil/council"
)

// homeData is what a council's home shows: who sits, who presides, the programme of work as a
// calendar, and the requests and drafts before the council.
type homeData struct {
	Page      pageBase
	Name      string
	Title     string
	Body      string
	Today     string
	President memberRef
	Members   []memberRow
	Months    []monthView
	SineDie   []meetingView
	Requests  []requestLine
	Drafts    []draftLine
	Console   bool // the visitor may act on the council
}

// memberRow is a member in the table of members.
type memberRow struct {
	memberRef
	Class     string
	TermEnd   int
	President bool
}

// monthView is a month of the programme's calendar.
type monthView struct {
	ID    string // "2014-12"
	Label string // "December 2014"
	Days  []dayView
	Count int // meetings in the month
}

// dayView is a day of the calendar, with its meetings.
type dayView struct {
	N        int
	Date     string
	Weekday  string
	Start    int // the first day's column, 1 (Monday) to 7; 0 for the other days
	Today    bool
	Meetings []meetingView
	Moved    []movedView
}

// movedView marks, on a meeting's former day, that it was postponed.
type movedView struct {
	ID string
	To string
}

// meetingView is a meeting in the programme.
type meetingView struct {
	Council    string
	ID         string
	Status     string
	StatusText string
	Date       string
	LongDate   string
	Symbol     string
	Format     string
	Request    string
	Agenda     []string
	President  memberRef
	Changes    []changeView
}

// changeView is a postponement or cancellation with its reason.
type changeView struct {
	Kind        string
	Date        string
	From        string
	To          string
	Reason      string
	By          memberRef
	RequestedBy memberRef
}

// requestLine is a request as lists show it.
type requestLine struct {
	ID      string
	Subject string
	By      memberRef
	Status  string
	Support int
	Needed  int
	Meeting string
}

// draftLine is a draft or amendment as lists show it.
type draftLine struct {
	ID         string
	Title      string
	Symbol     string
	Amends     string
	Status     string
	Sponsors   []memberRef
	Resolution string
	Meeting    string
}

// statusText says a meeting's status in words.
func statusText(status string) string {
	switch status {
	case council.StatusScheduled:
		return "Scheduled"
	case council.StatusPostponed:
		return "Postponed"
	case council.StatusCancelled:
		return "Cancelled"
	case council.StatusOpen:
		return "In session"
	case council.StatusHeld:
		return "Held"
	case council.StatusAgendaRejected:
		return "Agenda not adopted"
	}
	return status
}

// meetingOf is a meeting for the pages.
func (sn *snapshot) meetingOf(m council.MeetingRecord) meetingView {
	on := datePtr(m.On)
	v := meetingView{Council: sn.Name, ID: m.ID, Status: m.Status, StatusText: statusText(m.Status), Date: on.String(), LongDate: longDate(on),
		Symbol: m.Symbol, Format: m.Format, Request: m.Request, Agenda: m.Agenda}
	if m.President != nil {
		v.President = sn.ref(*m.President)
	}
	for _, c := range m.Changes {
		cv := changeView{Kind: c.Kind, Date: shortDate(c.Date), From: shortDate(c.From), To: shortDate(c.To), Reason: c.Reason}
		if c.By != "" {
			cv.By = sn.ref(c.By)
		}
		if c.RequestedBy != "" {
			cv.RequestedBy = sn.ref(c.RequestedBy)
		}
		v.Changes = append(v.Changes, cv)
	}
	return v
}

// requestLines lists the requests.
func (sn *snapshot) requestLines() []requestLine {
	out := make([]requestLine, 0, len(sn.Rec.Requests))
	for _, q := range sn.Rec.Requests {
		out = append(out, requestLine{ID: q.ID, Subject: q.Subject, By: sn.ref(q.By), Status: q.Status,
			Support: q.Support, Needed: q.Needed, Meeting: q.Meeting})
	}
	return out
}

// draftLines lists the drafts and amendments.
func (sn *snapshot) draftLines() []draftLine {
	out := make([]draftLine, 0, len(sn.Rec.Drafts))
	for _, d := range sn.Rec.Drafts {
		out = append(out, draftLine{ID: d.ID, Title: d.Title, Symbol: d.Symbol, Amends: d.Amends, Status: d.Status,
			Sponsors: sn.refs(d.Sponsors), Resolution: d.Resolution, Meeting: d.Meeting})
	}
	return out
}

// maxMonths bounds the months the calendar shows in full; a longer programme shows only the months
// that have meetings.
const maxMonths = 24

// monthKey numbers a month: year*12 + month-1.
func monthKey(d council.Date) int {
	y, m, _ := d.Civil()
	return y*12 + int(m) - 1
}

// calendar lays the dated meetings out by month and day; meetings postponed without a date are
// returned apart.
func (sn *snapshot) calendar() (months []monthView, sineDie []meetingView) {
	byDay := map[council.Date][]meetingView{}
	moved := map[council.Date][]movedView{}
	has := map[int]bool{monthKey(sn.Day): true}
	lo, hi := monthKey(sn.Day), monthKey(sn.Day)
	for _, m := range sn.Rec.Meetings {
		v := sn.meetingOf(m)
		if m.On == nil {
			sineDie = append(sineDie, v)
			continue
		}
		byDay[*m.On] = append(byDay[*m.On], v)
		k := monthKey(*m.On)
		has[k], lo, hi = true, min(lo, k), max(hi, k)
		for _, c := range m.Changes {
			if c.Kind == council.StatusPostponed && c.From != 0 && c.From != *m.On {
				moved[c.From] = append(moved[c.From], movedView{ID: m.ID, To: longDate(c.To)})
			}
		}
	}
	for k := lo; k <= hi; k++ {
		if hi-lo >= maxMonths && !has[k] {
			continue
		}
		months = append(months, sn.month(k, byDay, moved))
	}
	return months, sineDie
}

// month is one month of the calendar.
func (sn *snapshot) month(k int, byDay map[council.Date][]meetingView, moved map[council.Date][]movedView) monthView {
	y, m := k/12, time.Month(k%12+1)
	first := time.Date(y, m, 1, 12, 0, 0, 0, time.UTC)
	mv := monthView{ID: first.Format("2006-01"), Label: first.Format("January 2006")}
	for t := first; t.Month() == m; t = t.AddDate(0, 0, 1) {
		d := council.DateOf(y, m, t.Day())
		dv := dayView{N: t.Day(), Date: d.String(), Weekday: t.Format("Mon"), Today: d == sn.Day,
			Meetings: byDay[d], Moved: moved[d]}
		if t.Day() == 1 {
			dv.Start = (int(t.Weekday())+6)%7 + 1
		}
		mv.Count += len(dv.Meetings)
		mv.Days = append(mv.Days, dv)
	}
	return mv
}

// homePage serves GET /c/{council}: the council at a glance.
func (s *Server) homePage(w http.ResponseWriter, r *http.Request, p principal) error {
	sn, err := s.readableSnapshot(r, p)
	if err != nil {
		return err
	}
	name, title := sn.Name, sn.title()
	data := homeData{Page: s.base(r, p, title, name), Name: name, Title: title, Body: sn.Info.Body, Today: longDate(sn.Day),
		Requests: sn.requestLines(), Drafts: sn.draftLines(), Console: p.runs(name) || p.member(name) != "" || (!p.anonymous && p.grant.Council == name)}
	data.Page.Live, data.Page.Reload, data.Page.Version = true, true, sn.Info.Version
	if sn.Info.President != "" {
		data.President = sn.ref(sn.Info.President)
	}
	for _, m := range sn.Info.Members {
		data.Members = append(data.Members, memberRow{memberRef: sn.ref(m.Code), Class: m.Class, TermEnd: m.TermEnd,
			President: m.Code == sn.Info.President})
	}
	data.Months, data.SineDie = sn.calendar()
	return s.render(w, http.StatusOK, "home.html", data)
}
