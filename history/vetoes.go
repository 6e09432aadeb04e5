package history

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// vetoColumns are the veto list's columns the record reads, by name.
var vetoColumns = []string{"date", "draft", "meeting_record", "agenda_item", "crisis_topic", "region",
	"member_veto1", "member_veto2", "member_veto3"}

// readVetoes reads the veto list and joins each vetoed draft to the meeting that voted on it: by the
// meeting's record symbol (or, failing that, its date) and the draft's symbol. The vetoing members of a
// joined draft are the list's; where the cell names others, the difference is a problem. It returns the
// number of rows.
func (h *History) readVetoes(data []byte) (int, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	head, err := cr.Read()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", VetoesFile, err)
	}
	col := map[string]int{}
	for i, name := range head {
		col[name] = i
	}
	for _, c := range vetoColumns {
		if _, ok := col[c]; !ok {
			return 0, fmt.Errorf("%s: no column %q in the header %q", VetoesFile, c, head)
		}
	}
	type ref struct{ m, o int } // a vetoed outcome: meeting and outcome index
	var (
		claimed        = map[ref]bool{}
		bySymbol       = map[string][]ref{}
		byDate         = map[string][]ref{}
		failedBySymbol = map[string][]ref{}
		failedByDate   = map[string][]ref{}
		all            []ref
	)
	for i := range h.Meetings {
		m := &h.Meetings[i]
		for j := range m.Outcomes {
			r := ref{i, j}
			switch m.Outcomes[j].Kind {
			case KindDraftVetoed:
				bySymbol[m.Symbol] = append(bySymbol[m.Symbol], r)
				byDate[m.Date] = append(byDate[m.Date], r)
				all = append(all, r)
			case KindDraftNotAdopted:
				failedBySymbol[m.Symbol] = append(failedBySymbol[m.Symbol], r)
				failedByDate[m.Date] = append(failedByDate[m.Date], r)
			}
		}
	}
	// candidates are the drafts of the meeting a row of the list names, else of its date.
	candidates := func(v *Veto, bySymbol, byDate map[string][]ref) []ref {
		var cands []ref
		if sym := reRecord.FindString(v.Record); sym != "" {
			cands = unclaimed(bySymbol[sym], claimed)
		}
		if len(cands) == 0 {
			cands = unclaimed(byDate[v.Date], claimed)
		}
		return cands
	}
	outcome := func(r ref) *Outcome { return &h.Meetings[r.m].Outcomes[r.o] }
	rows := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", VetoesFile, err)
		}
		rows++
		line, _ := cr.FieldPos(0)
		get := func(c string) string { return strings.TrimSpace(rec[col[c]]) }
		day, err := time.Parse("1/2/2006", get("date"))
		if err != nil {
			h.problem(VetoesFile, line, "date", get("date"), ReasonBadRow, "not a date (M/D/YYYY); the row is left out", false)
			continue
		}
		v := Veto{Row: line, Date: day.Format(time.DateOnly), Draft: get("draft"), Record: get("meeting_record"),
			Agenda: get("agenda_item"), Topic: get("crisis_topic"), Region: get("region")}
		v.Document = reSymbol.FindString(v.Draft)
		for _, c := range []string{"member_veto1", "member_veto2", "member_veto3"} {
			name := get(c)
			if name == "" {
				continue
			}
			code := vetoerCodes[strings.ToLower(name)]
			if code == "" {
				h.problem(VetoesFile, line, c, name, ReasonUnknownMember, "not a permanent member's name", true)
				continue
			}
			v.Members = appendNew(v.Members, code)
		}
		slices.Sort(v.Members)
		docOf := func(r ref) string { return outcome(r).Document }
		r, ok := pickDraft(candidates(&v, bySymbol, byDate), v.Document, docOf)
		if !ok {
			if r, ok = pickSame(candidates(&v, failedBySymbol, failedByDate), v.Document, docOf); ok {
				claimed[r] = true
				v.Meeting = h.Meetings[r.m].Key
				h.problem(VetoesFile, line, "draft", v.Draft, ReasonVetoAsNotAdopted,
					fmt.Sprintf("the meetings table (line %d) records %s %s as not adopted; the veto list as vetoed by %s",
						h.Meetings[r.m].Row, v.Document, outcome(r).Tally, strings.Join(v.Members, ", ")), true)
			} else {
				detail := "no meeting row of " + v.Record + " or of " + v.Date + " records a vote on " + v.Draft
				if v.Date > h.Meetings[len(h.Meetings)-1].Date {
					detail = "after the meetings table's last meeting (" + h.Meetings[len(h.Meetings)-1].Date + ")"
				}
				h.problem(VetoesFile, line, "draft", v.Draft, ReasonVetoNotInTable, detail, true)
			}
			h.Vetoes = append(h.Vetoes, v)
			continue
		}
		claimed[r] = true
		o, m := outcome(r), &h.Meetings[r.m]
		v.Meeting = m.Key
		cell := slices.Sorted(slices.Values(o.VetoedBy))
		if !slices.Equal(cell, v.Members) && len(v.Members) > 0 {
			h.problem(MeetingsFile, m.Row, "outcome_vote", o.Raw, ReasonVetoersDiffer,
				fmt.Sprintf("the cell names %s; the veto list (line %d) names %s, which is taken",
					strings.Join(cell, ", "), line, strings.Join(v.Members, ", ")), true)
			o.VetoedBy = slices.Clone(v.Members)
		}
		h.Vetoes = append(h.Vetoes, v)
	}
	for _, r := range all {
		if claimed[r] {
			continue
		}
		m, o := &h.Meetings[r.m], outcome(r)
		detail := "the veto list has no draft " + o.Document + " of " + m.Date
		for _, v := range h.Vetoes {
			if v.Document == o.Document {
				detail += "; it has " + v.Document + " on " + v.Date + " (" + v.Record + ")"
				break
			}
		}
		h.problem(MeetingsFile, m.Row, "outcome_vote", o.Raw, ReasonVetoNotListed, detail, true)
	}
	return rows, nil
}

// pickSame chooses among drafts the one of the same symbol, with or without its revision.
func pickSame[R any](cands []R, doc string, docOf func(R) string) (R, bool) {
	base := func(s string) string { b, _, _ := strings.Cut(s, "/Rev"); return b }
	for _, c := range cands {
		if base(docOf(c)) == base(doc) {
			return c, true
		}
	}
	var zero R
	return zero, false
}

// unclaimed keeps the candidates not yet joined to a row of the veto list.
func unclaimed[R comparable](rs []R, claimed map[R]bool) []R {
	var out []R
	for _, r := range rs {
		if !claimed[r] {
			out = append(out, r)
		}
	}
	return out
}

// pickDraft chooses among a meeting's vetoed drafts the one a row of the veto list names: the same
// symbol, else the same symbol without revision, else, where either side names the draft only by the
// meeting's record (S/PV.N) or only one draft remains, the first.
func pickDraft[R any](cands []R, doc string, docOf func(R) string) (R, bool) {
	var zero R
	if len(cands) == 0 {
		return zero, false
	}
	for _, c := range cands {
		if docOf(c) == doc {
			return c, true
		}
	}
	base := func(s string) string { b, _, _ := strings.Cut(s, "/Rev"); return b }
	for _, c := range cands {
		if base(docOf(c)) == base(doc) {
			return c, true
		}
	}
	if strings.HasPrefix(doc, "S/PV.") || strings.HasPrefix(docOf(cands[0]), "S/PV.") || len(cands) == 1 {
		return cands[0], true
	}
	return zero, false
}
