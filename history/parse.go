package history

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opencouncil/council/roster"
)

// The files of the record, as named in data/ and in problems.
const (
	MeetingsFile   = "meetings_1946_2022.csv"
	VetoesFile     = "vetoes_1946_2022.csv"
	DPRKFile       = "dprk_human_rights_2014_2019.json"
	MembershipFile = "membership.csv"
)

// Files are the record's tables as bytes: the meetings table, the veto list, the DPRK votes and the
// membership (the last is hashed to name the import's sources; the membership itself comes from the
// roster).
type Files struct {
	Meetings, Vetoes, DPRK, Membership []byte
}

var meetingsHeader = []string{"year", "iso_date", "date", "meeting_record", "press_release", "topic", "outcome_vote", "source_file"}

// Parse reads the record's tables into a History, listing every cell it cannot read as a Problem. It
// fails only when a file is not the table it should be (a wrong header, broken CSV or JSON).
func Parse(f Files, r *roster.Roster) (*History, error) {
	h := &History{roster: r}
	for _, s := range []struct {
		name string
		data []byte
	}{{MeetingsFile, f.Meetings}, {VetoesFile, f.Vetoes}, {DPRKFile, f.DPRK}, {MembershipFile, f.Membership}} {
		sum := sha256.Sum256(s.data)
		h.Sources = append(h.Sources, Source{File: s.name, SHA256: hex.EncodeToString(sum[:])})
	}
	rows, err := h.readMeetings(f.Meetings)
	if err != nil {
		return nil, err
	}
	h.Sources[0].Rows = rows
	h.keyMeetings()
	if h.Sources[1].Rows, err = h.readVetoes(f.Vetoes); err != nil {
		return nil, err
	}
	if h.Sources[2].Rows, err = h.readDPRK(f.DPRK); err != nil {
		return nil, err
	}
	h.Sources[3].Rows = bytes.Count(f.Membership, []byte("\n")) - 1
	h.checkNumbers()
	h.build()
	return h, nil
}

// readMeetings reads the meetings table and returns its number of rows.
func (h *History) readMeetings(data []byte) (int, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = len(meetingsHeader)
	head, err := cr.Read()
	if err != nil || !slices.Equal(head, meetingsHeader) {
		return 0, fmt.Errorf("%s: the header is %q, want %q", MeetingsFile, head, meetingsHeader)
	}
	seen := map[string]int{}
	rows := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", MeetingsFile, err)
		}
		rows++
		line, _ := cr.FieldPos(0)
		whole := strings.Join(rec, "\x00")
		if first, dup := seen[whole]; dup {
			h.problem(MeetingsFile, line, "", rec[3], ReasonDuplicateRow, fmt.Sprintf("the same as line %d, left out", first), false)
			continue
		}
		seen[whole] = line
		h.readMeeting(line, rec)
	}
}

var (
	reRecord     = regexp.MustCompile(`S/PV\.(\d+)`)
	reResumption = regexp.MustCompile(`(?i)Resumption\s*([0-9IVX]*)`)
	rePart       = regexp.MustCompile(`\(Part\s*(I+|\d+)\)`)
	reShifted    = regexp.MustCompile(`^(?:Draft resolution|S/RES/)`)
	reDateText   = regexp.MustCompile(`^(\d{1,2})\D*?(?:\d{1,2}\s*)?([A-Z][a-z]+)$`)
)

// readMeeting reads one row of the meetings table.
func (h *History) readMeeting(line int, rec []string) {
	m := Meeting{Record: strings.TrimSpace(rec[3]), PressRelease: strings.TrimSpace(rec[4]),
		Topic: strings.TrimSpace(rec[5]), Raw: strings.TrimSpace(rec[6]), Row: line}
	if m.PressRelease == "--" {
		m.PressRelease = ""
	}
	m.Date = rec[1]
	if _, err := time.Parse(time.DateOnly, m.Date); err != nil {
		day, ok := dateFromText(rec[0], rec[2])
		if !ok {
			h.problem(MeetingsFile, line, "iso_date", rec[1]+" / "+rec[2], ReasonBadRow, "no date can be read; the row is left out", false)
			return
		}
		m.Date = day
		h.problem(MeetingsFile, line, "date", rec[2], ReasonDateFromText, "no ISO date; the first day, "+day+", was taken", true)
	}
	if sm := reRecord.FindStringSubmatch(m.Record); sm != nil {
		m.Symbol = sm[0]
	}
	low := strings.ToLower(m.Record)
	m.Closed = strings.Contains(low, "closed") || strings.Contains(low, "privada")
	year, _ := strconv.Atoi(m.Date[:4])
	nameOf := func(name string) string { return h.codeOf(name, year) }
	if m.Raw == "--" && reShifted.MatchString(m.Topic) {
		// One row has its outcome in the topic column and its topic in the press release's.
		if outs, probs := parseOutcomes(m.Topic, nameOf); len(probs) == 0 && len(outs) > 0 {
			h.problem(MeetingsFile, line, "topic", m.Topic, ReasonColumnsShifted,
				"the outcome stands in the topic column and the topic in the press release's: read from there", true)
			m.Raw, m.Topic, m.PressRelease = m.Topic, m.PressRelease, ""
		}
	}
	outs, probs := parseOutcomes(m.Raw, nameOf)
	for _, p := range probs {
		h.problem(MeetingsFile, line, "outcome_vote", p.value, p.reason, p.detail, true)
	}
	m.Outcomes = outs
	if m.Outcomes == nil {
		m.Outcomes = []Outcome{}
	}
	h.Meetings = append(h.Meetings, m)
}

// dateFromText reads a date the table gives only in words, as "14-15 October" or "29 + 30 March":
// the first day.
func dateFromText(year, text string) (string, bool) {
	m := reDateText.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		return "", false
	}
	t, err := time.Parse("2 January 2006", m[1]+" "+m[2]+" "+year)
	if err != nil {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// codeOf finds the member sitting in year whose name is name ("France", "The Syrian Arab Republic").
func (h *History) codeOf(name string, year int) string {
	want := roster.Fold(strings.TrimPrefix(strings.TrimSpace(name), "The "))
	if c, ok := vetoerCodes[want]; ok {
		return c
	}
	members, err := h.roster.Members(year)
	if err != nil {
		return ""
	}
	for _, mm := range members {
		if roster.Fold(mm.Name) == want {
			return mm.Code
		}
	}
	return ""
}

// keyMeetings puts the meetings in date order and gives each its key.
func (h *History) keyMeetings() {
	pv := func(m *Meeting) int {
		n, _ := strconv.Atoi(strings.TrimPrefix(m.Symbol, "S/PV."))
		return n
	}
	slices.SortStableFunc(h.Meetings, func(a, b Meeting) int {
		if c := strings.Compare(a.Date, b.Date); c != 0 {
			return c
		}
		if c := pv(&a) - pv(&b); c != 0 {
			return c
		}
		return b.Row - a.Row // the table lists each year's meetings latest first
	})
	used := map[string]int{}
	for i := range h.Meetings {
		m := &h.Meetings[i]
		key := m.Symbol
		if key == "" {
			key = "VTC " + m.Date
		}
		if r := reResumption.FindStringSubmatch(m.Record); r != nil {
			key += " (Resumption"
			if r[1] != "" {
				key += " " + r[1]
			}
			key += ")"
		}
		if p := rePart.FindStringSubmatch(m.Record); p != nil {
			key += " (Part " + p[1] + ")"
		}
		used[key]++
		if n := used[key]; n > 1 {
			key += " #" + strconv.Itoa(n)
		}
		m.Key = key
	}
}

// dprkVote is one December episode of dprk_human_rights_2014_2019.json.
type dprkVote struct {
	Year      int    `json:"year"`
	Meeting   string `json:"meeting"`
	Date      string `json:"meeting_date"`
	Outcome   string `json:"outcome"`
	Procedure *struct {
		Tally   []int    `json:"tally"`
		Yes     []string `json:"yes"`
		No      []string `json:"no"`
		Abstain []string `json:"abstain"`
	} `json:"procedural_vote"`
}

// readDPRK adds the procedural votes on the agenda of the DPRK meetings of 2014–2017, which the
// Library's table leaves out ("--"), with each member's ballot.
func (h *History) readDPRK(data []byte) (int, error) {
	var eps []dprkVote
	if err := json.Unmarshal(data, &eps); err != nil {
		return 0, fmt.Errorf("%s: %w", DPRKFile, err)
	}
	for i, e := range eps {
		p := e.Procedure
		if p == nil {
			continue
		}
		if len(p.Tally) != 3 {
			return 0, fmt.Errorf("%s: record %d: the tally has %d numbers, want 3", DPRKFile, i+1, len(p.Tally))
		}
		m := h.meeting(e.Meeting, e.Date)
		if m == nil {
			h.problem(DPRKFile, i+1, "meeting", e.Meeting, ReasonBadRow, "no meeting "+e.Meeting+" on "+e.Date+" in the meetings table", false)
			continue
		}
		m.Outcomes = append(m.Outcomes, Outcome{Kind: KindAgendaVote, Document: m.Symbol,
			Detail:  "adoption of the agenda: " + e.Outcome,
			Tally:   Tally{Yes: p.Tally[0], No: p.Tally[1], Abstain: p.Tally[2], Known: true},
			Ballots: &Ballots{Yes: slices.Clone(p.Yes), No: slices.Clone(p.No), Abstain: slices.Clone(p.Abstain)},
			Source:  DPRKFile, Raw: fmt.Sprintf("procedural vote %d-%d-%d", p.Tally[0], p.Tally[1], p.Tally[2])})
	}
	return len(eps), nil
}

// meeting finds the meeting of a record symbol on a date.
func (h *History) meeting(symbol, date string) *Meeting {
	for i := range h.Meetings {
		if m := &h.Meetings[i]; m.Symbol == symbol && m.Date == date {
			return m
		}
	}
	return nil
}

var reResNumber = regexp.MustCompile(`^S/RES/(\d+) `)

// checkNumbers lists the resolution numbers no row adopts, and those two rows adopt.
func (h *History) checkNumbers() {
	rows := map[int][]int{}
	top := 0
	for i := range h.Meetings {
		for _, o := range h.Meetings[i].Outcomes {
			if o.Kind != KindResolution {
				continue
			}
			n := atoi(reResNumber.FindStringSubmatch(o.Document)[1])
			rows[n] = append(rows[n], h.Meetings[i].Row)
			top = max(top, n)
		}
	}
	for n := 1; n <= top; n++ {
		switch r := rows[n]; {
		case len(r) == 0:
			h.problem(MeetingsFile, 0, "outcome_vote", "S/RES/"+strconv.Itoa(n), ReasonResolutionMissing,
				"no row of the table adopts resolution "+strconv.Itoa(n), true)
		case len(r) > 1:
			for _, row := range r[1:] {
				h.problem(MeetingsFile, row, "outcome_vote", "S/RES/"+strconv.Itoa(n), ReasonResolutionTwice,
					fmt.Sprintf("resolution %d is also adopted at line %d", n, r[0]), true)
			}
		}
	}
}

// problem lists a problem.
func (h *History) problem(file string, row int, field, value, reason, detail string, kept bool) {
	h.Problems = append(h.Problems, Problem{File: file, Row: row, Field: field, Value: value, Reason: reason, Detail: detail, Kept: kept})
}
