package history

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MemberRecord is a member's record over its terms on the Council. The tables give tallies, not each
// member's ballot, so what is known of its own votes is what the record names: its vetoes, the members
// not participating, and the ballots a source lists (the DPRK votes of 2014–2017).
type MemberRecord struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Permanent bool   `json:"permanent"`
	Years     int    `json:"years"` // years on the Council, to the last year of the membership data
	Terms     []Term `json:"terms"`
	// Vetoes are the drafts of the veto list it vetoed.
	Vetoes []Veto `json:"vetoes"`
	// Ballots are its ballots where the record names them.
	Ballots []KnownBallot `json:"ballots"`
	// RecordEnds is the date of the meetings table's last meeting: later years are counted in the
	// terms, their meetings are not.
	RecordEnds string `json:"record_ends"`
}

// Term is an unbroken run of years on the Council, with what the Council did in them.
type Term struct {
	From         int      `json:"from"`
	To           int      `json:"to"`
	Meetings     int      `json:"meetings"`
	Resolutions  int      `json:"resolutions"`
	Unanimous    int      `json:"unanimous"`
	NotAdopted   int      `json:"drafts_not_adopted"`
	Vetoed       int      `json:"drafts_vetoed"`
	VetoesCast   int      `json:"vetoes_cast"` // drafts of the veto list it vetoed
	Presidencies []string `json:"presidencies"`
}

// KnownBallot is one of a member's ballots the record names.
type KnownBallot struct {
	Meeting  string `json:"meeting"`
	Date     string `json:"date"`
	Document string `json:"document"`
	Kind     string `json:"kind"`
	Ballot   string `json:"ballot"` // no (a veto), yes, abstain, not participating
}

// Member is a member's record over its terms: code is its ISO 3166 alpha-3 code (SUN for the USSR).
func (h *History) Member(code string) (*MemberRecord, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	first, last := h.roster.Years()
	rec := &MemberRecord{Code: code, Terms: []Term{}, Vetoes: []Veto{}, Ballots: []KnownBallot{}, RecordEnds: h.Stats.Last}
	years := map[int]YearCount{}
	for _, y := range h.idx.years {
		years[y.Year] = y
	}
	for y := first; y <= last; y++ {
		if !h.roster.Sits(code, y) {
			continue
		}
		rec.Years++
		rec.Name = h.roster.Name(code, y)
		if ms, err := h.roster.Members(y); err == nil {
			for _, m := range ms {
				if m.Code == code {
					rec.Permanent = m.Permanent
				}
			}
		}
		n := len(rec.Terms)
		if n == 0 || rec.Terms[n-1].To != y-1 {
			rec.Terms = append(rec.Terms, Term{From: y, Presidencies: []string{}})
			n++
		}
		t := &rec.Terms[n-1]
		t.To = y
		yc := years[y]
		t.Meetings += yc.Meetings
		t.Resolutions += yc.Resolutions
		t.Unanimous += yc.Unanimous
		t.NotAdopted += yc.NotAdopted
		t.Vetoed += yc.Vetoed
		for mo := time.January; mo <= time.December; mo++ {
			if p, err := h.roster.President(y, mo); err == nil && p.Code == code {
				t.Presidencies = append(t.Presidencies, fmt.Sprintf("%d-%02d", y, mo))
			}
		}
	}
	if rec.Years == 0 {
		return nil, fmt.Errorf("%w: %s never sat on the Council (%d–%d): give a member's ISO 3166 alpha-3 code, such as USA, or SUN for the USSR", ErrBadQuery, code, first, last)
	}
	for _, v := range h.Vetoes {
		if !slices.Contains(v.Members, code) {
			continue
		}
		rec.Vetoes = append(rec.Vetoes, v)
		y, _ := strconv.Atoi(v.Date[:4])
		for i := range rec.Terms {
			if t := &rec.Terms[i]; t.From <= y && y <= t.To {
				t.VetoesCast++
			}
		}
	}
	for i := range h.Meetings {
		m := &h.Meetings[i]
		for j := range m.Outcomes {
			o := &m.Outcomes[j]
			if b := ballotOf(o, code); b != "" {
				rec.Ballots = append(rec.Ballots, KnownBallot{Meeting: m.Key, Date: m.Date, Document: o.Document, Kind: o.Kind, Ballot: b})
			}
		}
	}
	return rec, nil
}

// ballotOf is a member's ballot on an outcome where the record names it, else "".
func ballotOf(o *Outcome, code string) string {
	if b := o.Ballots; b != nil {
		switch {
		case slices.Contains(b.Yes, code):
			return "yes"
		case slices.Contains(b.No, code):
			return "no"
		case slices.Contains(b.Abstain, code):
			return "abstain"
		}
	}
	switch {
	case slices.Contains(o.VetoedBy, code):
		return "no"
	case slices.Contains(o.NotParticipating, code):
		return "not participating"
	}
	return ""
}
