package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/councils"
	"github.com/opencouncil/council/history"
	"github.com/opencouncil/council/rules"
)

// The archive: the Council's real record since 1946 (package history) as pages, open to anyone like
// /v1/history. Every page is rendered on the server from the embedded record; the charts are inline
// SVG with a title on each bar and the same figures in a table, so nothing needs JavaScript.
//
//	GET /archive                   the overview: counts, the check, the charts, the search form
//	GET /archive/meetings          meetings by topic, years, document and kind of outcome, 50 a page
//	GET /archive/votes/{id...}     one recorded vote: tally, threshold, outcome, check, what-ifs
//	GET /archive/members           every state that sat
//	GET /archive/members/{code}    a member's terms, vetoes and known ballots
//
// A vote's id is its meeting's key and the outcome's place in the meeting's outcome cell, from 1:
// /archive/votes/S/PV.473/2 is the second outcome of S/PV.473 (resolution 82 (1950)). Each part of the
// key is escaped as a path segment (/archive/votes/S/PV.4194%20%232/1 for the key "S/PV.4194 #2"). The
// record is embedded, so an id holds as long as the data does.

// archivePages lists the pages of the Council's historical record.
func (s *Server) archivePages() []route {
	if s.store != nil {
		// Like the history routes, the archive's index is built in the background as the server starts.
		go func() { _, _ = theArchive() }()
	}
	return []route{
		{"GET", "/archive", s.page(s.archivePage)},
		{"GET", "/archive/meetings", s.page(s.archiveMeetings)},
		{"GET", "/archive/votes/{id...}", s.page(s.archiveVote)},
		{"GET", "/archive/members", s.page(s.archiveMembers)},
		{"GET", "/archive/members/{code}", s.page(s.archiveMember)},
	}
}

// archive is what the archive's pages answer from, built once from the record: the votes in order,
// the charts and the check, which do not change while the binary runs.
type archive struct {
	h         *history.History
	unsc      *rules.Body
	first     int // the first and last years of the meetings table
	last      int
	meetingAt map[string]int // a meeting's index by key
	topics    []string       // each meeting's topic in lower case, for the search
	yearStart map[int]int    // the index of a year's first meeting (of the next year's, for a year without)
	votes     []archRef      // every outcome a vote decides, in the record's order
	voteAt    map[archRef]int
	vetoOf    map[archRef]int // the row of the veto list joined to a vetoed draft
	vetoAt    []archRef       // each row of the veto list's outcome; {-1, -1} when none
	members   []archMemberRow
	overview  archOverview
	// counted are every vote counted under the real rules (the engine's result and reason) and under
	// each what-if of the vote pages, by meeting key, in order.
	counted   []map[string][]history.Change
	summaries []archWhatIfSummary // the same, in sum
}

// archScenarios are the rules each vote is counted under: the real ones (the engine's reason), then the
// what-ifs its page shows.
var archScenarios = [...]struct {
	name string
	sc   func(a *archive) history.Scenario
}{
	{"The real rules", func(a *archive) history.Scenario { return history.Scenario{Body: a.unsc} }},
	{"Without the veto", func(*archive) history.Scenario { return history.Scenario{NoVeto: true} }},
	{"With the threshold of 1946", func(*archive) history.Scenario { return history.Scenario{Threshold: "1946"} }},
}

// archRef is an outcome of the record: its meeting's and its own index.
type archRef struct{ m, o int }

// The archive, built once on first use.
var (
	archiveOnce sync.Once
	archiveData *archive
	archiveErr  error
)

// theArchive returns the archive, built on first use.
func theArchive() (*archive, error) {
	archiveOnce.Do(func() {
		h, err := history.Default()
		if err != nil {
			archiveErr = err
			return
		}
		archiveData, archiveErr = newArchive(h)
	})
	return archiveData, archiveErr
}

// newArchive indexes the record for the pages.
func newArchive(h *history.History) (*archive, error) {
	body, err := bodies.Builtin("unsc")
	if err != nil {
		return nil, err
	}
	a := &archive{h: h, unsc: body, meetingAt: map[string]int{}, voteAt: map[archRef]int{}, vetoOf: map[archRef]int{},
		topics: make([]string, len(h.Meetings)), yearStart: map[int]int{}}
	years := h.Years()
	if len(years) == 0 {
		return nil, fmt.Errorf("archive: the record has no meeting")
	}
	a.first, a.last = years[0].Year, years[len(years)-1].Year
	for i := range h.Meetings {
		m := &h.Meetings[i]
		a.meetingAt[m.Key] = i
		a.topics[i] = strings.ToLower(m.Topic)
		if _, ok := a.yearStart[m.Year()]; !ok {
			a.yearStart[m.Year()] = i
		}
		for j := range m.Outcomes {
			if m.Outcomes[j].Votable() {
				a.voteAt[archRef{i, j}] = len(a.votes)
				a.votes = append(a.votes, archRef{i, j})
			}
		}
	}
	a.yearStart[a.last+1] = len(h.Meetings)
	for y := a.last; y >= a.first; y-- {
		if _, ok := a.yearStart[y]; !ok {
			a.yearStart[y] = a.yearStart[y+1]
		}
	}
	a.joinVetoes()
	a.counted, a.summaries = make([]map[string][]history.Change, len(archScenarios)), make([]archWhatIfSummary, len(archScenarios))
	for k, s := range archScenarios {
		sc := s.sc(a)
		sc.All = true
		w, err := h.WhatIf(sc)
		if err != nil {
			return nil, fmt.Errorf("archive: %s: %w", s.name, err)
		}
		a.counted[k] = map[string][]history.Change{}
		a.summaries[k] = archWhatIfSummary{Rule: w.Rule, Votes: w.Votes, Changed: w.Changed}
		for _, c := range w.Outcomes {
			a.counted[k][c.Meeting] = append(a.counted[k][c.Meeting], c)
			if c.Changed {
				a.summaries[k].Changes = append(a.summaries[k].Changes, c)
			}
		}
	}
	a.members = a.memberRows()
	a.overview, err = a.buildOverview()
	return a, err
}

// joinVetoes finds each row of the veto list's outcome: the k-th row naming a meeting and a draft is
// the k-th vetoed (or not adopted) outcome of that meeting with that symbol, as the record joined them.
func (a *archive) joinVetoes() {
	taken := map[archRef]bool{}
	a.vetoAt = make([]archRef, len(a.h.Vetoes))
	for k, v := range a.h.Vetoes {
		a.vetoAt[k] = archRef{-1, -1}
		i, ok := a.meetingAt[v.Meeting]
		if v.Meeting == "" || !ok {
			continue
		}
		m := &a.h.Meetings[i]
		for pass := 0; pass < 2 && a.vetoAt[k].m < 0; pass++ {
			for j := range m.Outcomes {
				o, r := &m.Outcomes[j], archRef{i, j}
				if taken[r] || (o.Kind != history.KindDraftVetoed && o.Kind != history.KindDraftNotAdopted) {
					continue
				}
				// First the same symbol; failing that, like the record's own join, another draft of the
				// meeting (a revision, or a draft the list names only by the meeting's record).
				if pass == 0 && o.Document != v.Document {
					continue
				}
				taken[r], a.vetoAt[k], a.vetoOf[r] = true, r, k
				break
			}
		}
	}
}

// meeting is an outcome's meeting.
func (a *archive) meeting(r archRef) *history.Meeting { return &a.h.Meetings[r.m] }

// outcome is the outcome a reference names.
func (a *archive) outcome(r archRef) *history.Outcome { return &a.h.Meetings[r.m].Outcomes[r.o] }

// votePath is the page of a vote: its meeting's key, each part escaped, and the outcome's place.
func (a *archive) votePath(r archRef) string {
	parts := strings.Split(a.meeting(r).Key, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return "/archive/votes/" + strings.Join(parts, "/") + "/" + strconv.Itoa(r.o+1)
}

// findVote reads a vote's id: not found when no vote of the record has it.
func (a *archive) findVote(id string) (archRef, error) {
	notFound := func(format string, args ...any) error {
		return council.Errorf(councils.ENotFound, format, args...)
	}
	cut := strings.LastIndexByte(id, '/')
	if cut <= 0 {
		return archRef{}, notFound("%q is not a vote of the record: a vote is named by its meeting and the outcome's place, such as /archive/votes/S/PV.473/2", id)
	}
	key, n := id[:cut], id[cut+1:]
	i, found := a.meetingAt[key]
	if !found {
		return archRef{}, notFound("the record has no meeting %s", key)
	}
	m := &a.h.Meetings[i]
	j, err := strconv.Atoi(n)
	if err != nil || j < 1 || j > len(m.Outcomes) {
		return archRef{}, notFound("%s has %d outcome(s); there is no outcome %q", key, len(m.Outcomes), n)
	}
	r := archRef{i, j - 1}
	if !a.outcome(r).Votable() {
		return archRef{}, notFound("outcome %d of %s is a %s, not a vote", j, key, strings.ToLower(kindNames[a.outcome(r).Kind]))
	}
	return r, nil
}

// refOf finds the outcome of a meeting with a document and a kind ({-1, -1} when none).
func (a *archive) refOf(meeting, document, kind string) archRef {
	if i, ok := a.meetingAt[meeting]; ok {
		for j, o := range a.h.Meetings[i].Outcomes {
			if o.Document == document && o.Kind == kind {
				return archRef{i, j}
			}
		}
	}
	return archRef{-1, -1}
}

// kindNames name the kinds of outcome.
var kindNames = map[string]string{
	history.KindResolution: "Resolution", history.KindDraftNotAdopted: "Draft not adopted",
	history.KindDraftVetoed: "Draft vetoed", history.KindPRST: "Presidential statement",
	history.KindAgendaVote: "Procedural vote on the agenda", history.KindCommunique: "Communiqué",
	history.KindNote: "Note by the President", history.KindLetter: "Letter", history.KindElection: "Election",
	history.KindDocument: "Document", history.KindOther: "Other decision",
}

// shortNames are the permanent members' names as lists of vetoes give them.
var shortNames = map[string]string{"SUN": "USSR", "RUS": "Russian Federation", "USA": "United States",
	"GBR": "United Kingdom", "FRA": "France", "CHN": "China"}

// memberName is a member's name in a year: a permanent member's short name, else the roster's.
func (a *archive) memberName(code string, year int) string {
	if n := shortNames[code]; n != "" {
		return n
	}
	if n := a.h.Roster().Name(code, year); n != "" {
		return n
	}
	return code
}

// refs names members of a year.
func (a *archive) refs(codes []string, year int) []memberRef {
	out := make([]memberRef, 0, len(codes))
	for _, c := range codes {
		out = append(out, memberRef{Code: c, Name: a.memberName(c, year)})
	}
	return out
}

// names joins members' names: "China and Russian Federation".
func (a *archive) names(codes []string, year int) string {
	var n []string
	for _, c := range codes {
		n = append(n, a.memberName(c, year))
	}
	switch len(n) {
	case 0:
		return ""
	case 1:
		return n[0]
	}
	return strings.Join(n[:len(n)-1], ", ") + " and " + n[len(n)-1]
}

// archOutcome is one outcome of a meeting as the lists show it.
type archOutcome struct {
	Kind      string
	Text      string // in words: "Resolution S/RES/82 (1950) adopted"
	Tally     string // "9-0-1", with absences and members not participating; "" when none
	Link      string // the vote's page, for an outcome a vote decided
	Disagrees bool   // the check does not find the recorded outcome
}

// outcomeText says an outcome in words.
func (a *archive) outcomeText(m *history.Meeting, o *history.Outcome) string {
	doc := o.Document
	switch {
	case o.Detail == "" || o.Kind == history.KindElection || o.Kind == history.KindOther || o.Kind == history.KindAgendaVote:
	case strings.HasPrefix(o.Detail, doc):
		doc = o.Detail // "S/9696 and Corr.1 & 2"
	default:
		doc = strings.TrimSpace(doc + " " + o.Detail) // "S/RES/7 (1946) (as amended)"
	}
	switch o.Kind {
	case history.KindResolution:
		switch {
		case o.WithoutVote:
			return "Resolution " + doc + " adopted without a vote"
		case o.Unanimous:
			return "Resolution " + doc + " adopted unanimously"
		}
		return "Resolution " + doc + " adopted"
	case history.KindDraftNotAdopted:
		return "Draft " + doc + " not adopted"
	case history.KindDraftVetoed:
		return "Draft " + doc + " vetoed by " + a.names(o.VetoedBy, m.Year())
	case history.KindAgendaVote:
		return "Agenda adopted by a procedural vote"
	case history.KindElection, history.KindOther:
		return o.Detail
	case history.KindCommunique:
		return "Communiqué of a private meeting"
	}
	return strings.TrimSpace(kindNames[o.Kind] + " " + doc)
}

// tallyText writes a tally with what the cell adds: "14-0-0 (1 absent)", "9-0-1, China not participating".
func (a *archive) tallyText(m *history.Meeting, o *history.Outcome) string {
	t := o.Tally.String()
	if t != "" && o.Tally.Absent > 0 {
		t += fmt.Sprintf(" (%d absent)", o.Tally.Absent)
	}
	if len(o.NotParticipating) > 0 {
		t = strings.TrimPrefix(t+", "+a.names(o.NotParticipating, m.Year())+" not participating", ", ")
	}
	return t
}

// outcomes lists a meeting's outcomes, each vote linked to its page.
func (a *archive) outcomes(i int) []archOutcome {
	m := &a.h.Meetings[i]
	out := make([]archOutcome, 0, len(m.Outcomes))
	for j := range m.Outcomes {
		o := &m.Outcomes[j]
		v := archOutcome{Kind: o.Kind, Text: a.outcomeText(m, o), Tally: a.tallyText(m, o)}
		if o.Votable() {
			v.Link = a.votePath(archRef{i, j})
			v.Disagrees = a.overview.disagrees[archRef{i, j}]
		}
		out = append(out, v)
	}
	return out
}

// archDate writes a record's date for people: "Sunday 25 June 1950".
func archDate(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("Monday 2 January 2006")
}

// archShortDate writes a date briefly: "25 Jun 1950".
func archShortDate(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("2 Jan 2006")
}

// anchorOf is an id for a meeting in a list: its key with every other character than a letter or
// digit made a hyphen.
func anchorOf(key string) string {
	b := []byte("m-" + key)
	for i := 2; i < len(b); i++ {
		if c := b[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			b[i] = '-'
		}
	}
	return string(b)
}

// undocs is the official document's address at the UN's document system, for a symbol.
func undocs(symbol string) string {
	if !strings.HasPrefix(symbol, "S/") {
		return ""
	}
	return "https://undocs.org/" + strings.ReplaceAll(symbol, " ", "")
}

// memberRows lists every state that sat, with its years, in name order.
func (a *archive) memberRows() []archMemberRow {
	first, last := a.h.Roster().Years()
	byCode := map[string]*archMemberRow{}
	for y := first; y <= last; y++ {
		ms, err := a.h.Roster().Members(y)
		if err != nil {
			continue
		}
		for _, m := range ms {
			row := byCode[m.Code]
			if row == nil {
				row = &archMemberRow{Code: m.Code, First: y}
				byCode[m.Code] = row
			}
			row.Years++
			row.Last = y
			row.Permanent = row.Permanent || m.Permanent
			row.Name = a.h.Roster().Name(m.Code, y)
		}
	}
	vetoes, _ := a.h.VetoCounts("member")
	out := make([]archMemberRow, 0, len(byCode))
	for _, row := range byCode {
		for _, v := range vetoes {
			if v.Member == row.Code {
				row.Vetoes = v.Vetoes
			}
		}
		out = append(out, *row)
	}
	slices.SortFunc(out, func(x, y archMemberRow) int { return strings.Compare(x.Name, y.Name) })
	return out
}

// archBase is the frame of an archive page: printable, no council.
func (s *Server) archBase(r *http.Request, p principal, title string) pageBase {
	b := s.base(r, p, title, "")
	b.Print = true
	return b
}
