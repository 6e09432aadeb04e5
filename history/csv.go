package history

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteCSV writes a query's answer as CSV with a header row: the rows of a list, the by-year rows of
// the unanimity, the terms of a member's record, the disagreements of a check, the votes of a what-if.
func WriteCSV(w io.Writer, v any) error {
	header, rows, err := table(v)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func itoa(n int) string { return strconv.Itoa(n) }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }

// table turns a query's answer into a header and rows.
func table(v any) ([]string, [][]string, error) {
	var rows [][]string
	switch x := v.(type) {
	case []VetoCount:
		key := "member"
		if len(x) > 0 && x[0].Topic != "" {
			key = "topic"
		} else if len(x) > 0 && x[0].Year != 0 {
			key = "year"
		}
		header := []string{key, "vetoes"}
		if key == "member" {
			header = []string{"member", "name", "vetoes"}
		}
		for _, c := range x {
			switch key {
			case "member":
				rows = append(rows, []string{c.Member, c.Name, itoa(c.Vetoes)})
			case "year":
				rows = append(rows, []string{itoa(c.Year), itoa(c.Vetoes)})
			default:
				rows = append(rows, []string{c.Topic, itoa(c.Vetoes)})
			}
		}
		return header, rows, nil
	case []YearCount:
		for _, y := range x {
			rows = append(rows, []string{itoa(y.Year), itoa(y.Meetings), itoa(y.Resolutions), itoa(y.Unanimous),
				itoa(y.WithoutVote), itoa(y.NotAdopted), itoa(y.Vetoed), itoa(y.Statements)})
		}
		return []string{"year", "meetings", "resolutions", "unanimous", "without_vote", "drafts_not_adopted",
			"drafts_vetoed", "presidential_statements"}, rows, nil
	case *Unanimity:
		for _, y := range x.ByYear {
			rows = append(rows, []string{itoa(y.Year), itoa(y.Voted), itoa(y.Unanimous), ftoa(y.Share)})
		}
		rows = append(rows, []string{"all", itoa(x.Voted), itoa(x.Unanimous), ftoa(x.Share)})
		return []string{"year", "voted", "unanimous", "share"}, rows, nil
	case []Draft:
		for _, d := range x {
			rows = append(rows, []string{d.Meeting, d.Date, d.Document, d.Tally, d.Topic, d.Detail})
		}
		return []string{"meeting", "date", "document", "tally", "topic", "detail"}, rows, nil
	case []Meeting:
		for i := range x {
			m := &x[i]
			var kinds []string
			for _, o := range m.Outcomes {
				kinds = append(kinds, o.Kind)
			}
			rows = append(rows, []string{m.Key, m.Date, m.Symbol, m.Topic, strings.Join(kinds, " "), m.Raw})
		}
		return []string{"meeting", "date", "symbol", "topic", "outcomes", "raw"}, rows, nil
	case *MemberRecord:
		for _, t := range x.Terms {
			rows = append(rows, []string{x.Code, itoa(t.From), itoa(t.To), itoa(t.Meetings), itoa(t.Resolutions),
				itoa(t.Unanimous), itoa(t.NotAdopted), itoa(t.Vetoed), itoa(t.VetoesCast), strings.Join(t.Presidencies, " ")})
		}
		return []string{"member", "from", "to", "meetings", "resolutions", "unanimous", "drafts_not_adopted",
			"drafts_vetoed", "vetoes_cast", "presidencies"}, rows, nil
	case *Report:
		for _, d := range x.Disagreements {
			rows = append(rows, []string{d.Meeting, d.Date, d.Document, d.Kind, d.Tally, d.Recorded, d.Computed, d.Reason, d.Detail})
		}
		return []string{"meeting", "date", "document", "kind", "tally", "recorded", "computed", "reason", "detail"}, rows, nil
	case *WhatIf:
		for _, c := range x.Outcomes {
			rows = append(rows, []string{c.Meeting, c.Date, c.Document, c.Kind, c.Tally, c.Recorded, c.Before, c.After,
				strconv.FormatBool(c.Changed), c.Reason})
		}
		return []string{"meeting", "date", "document", "kind", "tally", "recorded", "before", "after", "changed", "reason"}, rows, nil
	case []Problem:
		for _, p := range x {
			rows = append(rows, []string{p.File, itoa(p.Row), p.Field, p.Value, p.Reason, p.Detail, strconv.FormatBool(p.Kept)})
		}
		return []string{"file", "row", "field", "value", "reason", "detail", "kept"}, rows, nil
	case *Summary:
		for _, k := range Kinds {
			rows = append(rows, []string{"outcomes", k, itoa(x.Stats.ByKind[k])})
		}
		for _, r := range sortedKeys(x.Stats.ByReason) {
			rows = append(rows, []string{"problems", r, itoa(x.Stats.ByReason[r])})
		}
		return []string{"count", "of", "n"}, rows, nil
	}
	return nil, nil, fmt.Errorf("no CSV form for %T", v)
}
