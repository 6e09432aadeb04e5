package history

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
)

func TestVetoCounts(t *testing.T) {
	h := mustDefault(t)
	for _, tc := range []struct {
		by    string
		first VetoCount
		want  map[string]int // key: vetoes
		total int
	}{
		{by: "member", first: VetoCount{Member: "SUN", Name: "USSR (Union of Soviet Socialist Republics)", Vetoes: 90},
			want: map[string]int{"SUN": 90, "USA": 82, "RUS": 31, "GBR": 29, "CHN": 17, "FRA": 16}, total: 265},
		{by: "year", first: VetoCount{Year: 1946, Vetoes: 9}, total: 214},
		{by: "topic", first: VetoCount{Topic: "Admission", Vetoes: 41}, want: map[string]int{"Israel-Palestine": 41, "Syria": 17}, total: 214},
	} {
		t.Run(tc.by, func(t *testing.T) {
			got, err := h.VetoCounts(tc.by)
			if err != nil {
				t.Fatal(err)
			}
			if got[0] != tc.first {
				t.Errorf("first %+v, want %+v", got[0], tc.first)
			}
			total := 0
			for _, c := range got {
				total += c.Vetoes
				key := c.Member + c.Topic
				if n, ok := tc.want[key]; ok && n != c.Vetoes {
					t.Errorf("%s: %d, want %d", key, c.Vetoes, n)
				}
			}
			if total != tc.total {
				t.Errorf("total %d, want %d", total, tc.total)
			}
		})
	}
	if _, err := h.VetoCounts("region"); !errors.Is(err, ErrBadQuery) {
		t.Errorf("by region: %v", err)
	}
}

func TestYearsAndUnanimity(t *testing.T) {
	h := mustDefault(t)
	years := h.Years()
	if years[0].Year != 1946 || years[len(years)-1].Year != 2022 || len(years) != 77 {
		t.Fatalf("years %d..%d (%d)", years[0].Year, years[len(years)-1].Year, len(years))
	}
	res := 0
	for _, y := range years {
		res += y.Resolutions
		if y.Year == 1950 && (y.Resolutions != 9 || y.Vetoed != 2 || y.NotAdopted != 13) { // resolution 89 (1950) is missing from the table
			t.Errorf("1950: %+v", y)
		}
	}
	if res != h.Stats.ByKind[KindResolution] {
		t.Errorf("%d resolutions by year, %d in all", res, h.Stats.ByKind[KindResolution])
	}
	u := h.Unanimity()
	if u.Voted+u.WithoutVote+u.Unknown != u.Resolutions || u.Unanimous > u.Voted || u.Share <= 0.5 || u.Share >= 1 {
		t.Errorf("unanimity %+v", u)
	}
	if len(u.ByYear) != len(years) {
		t.Errorf("%d years of unanimity", len(u.ByYear))
	}
}

func TestFailedAndMeetings(t *testing.T) {
	h := mustDefault(t)
	failed := h.Failed(0)
	if len(failed) != h.Stats.ByKind[KindDraftNotAdopted] {
		t.Errorf("%d failed drafts, %d not adopted", len(failed), h.Stats.ByKind[KindDraftNotAdopted])
	}
	if f := h.Failed(1950); len(f) != 13 || f[1].Document != "S/1500" || f[1].Tally != "1-6-3" {
		t.Errorf("1950: %+v", f)
	}
	korea := h.MeetingsOn("aggression upon the Republic of Korea", 1950)
	if len(korea) == 0 || korea[0].Key != "S/PV.473" {
		t.Errorf("Korea 1950: %d meetings, first %+v", len(korea), korea)
	}
	if n := len(h.MeetingsOn("", 0)); n != len(h.Meetings) {
		t.Errorf("all meetings: %d", n)
	}
	if n := len(h.MeetingsOn("KOREA", 2017)); n < 10 {
		t.Errorf("Korea 2017: %d meetings", n)
	}
	if n := len(h.MeetingsOn("no such topic at all", 0)); n != 0 {
		t.Errorf("%d meetings on nothing", n)
	}
}

func TestMember(t *testing.T) {
	h := mustDefault(t)
	usa, err := h.Member("usa")
	if err != nil {
		t.Fatal(err)
	}
	if !usa.Permanent || len(usa.Terms) != 1 || usa.Terms[0].From != 1946 || len(usa.Vetoes) != 82 || usa.Terms[0].VetoesCast != 82 {
		t.Errorf("USA: permanent %v, terms %+v, %d vetoes", usa.Permanent, usa.Terms, len(usa.Vetoes))
	}
	if len(usa.Terms[0].Presidencies) < 50 {
		t.Errorf("USA presided %d months", len(usa.Terms[0].Presidencies))
	}
	chn, err := h.Member("CHN")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, b := range chn.Ballots {
		if b.Meeting == "S/PV.7353" && b.Ballot == "no" {
			found = true
		}
	}
	if !found {
		t.Errorf("CHN's negative vote on the DPRK agenda in 2014 is not in its ballots")
	}
	jpn, err := h.Member("JPN")
	if err != nil {
		t.Fatal(err)
	}
	if jpn.Permanent || len(jpn.Terms) < 10 || jpn.Terms[0].From != 1958 || jpn.Terms[0].To != 1959 || len(jpn.Vetoes) != 0 {
		t.Errorf("JPN: %+v", jpn.Terms)
	}
	for _, code := range []string{"XYZ", ""} {
		if _, err := h.Member(code); !errors.Is(err, ErrBadQuery) {
			t.Errorf("%q: %v", code, err)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	h := mustDefault(t)
	byMember, _ := h.VetoCounts("member")
	byYear, _ := h.VetoCounts("year")
	usa, _ := h.Member("USA")
	w, _ := h.WhatIf(Scenario{NoVeto: true})
	for _, tc := range []struct {
		v      any
		header string
		rows   int
	}{
		{byMember, "member,name,vetoes", len(byMember)},
		{byYear, "year,vetoes", len(byYear)},
		{h.Years(), "year,meetings,resolutions", len(h.Years())},
		{h.Unanimity(), "year,voted,unanimous,share", len(h.Years()) + 1},
		{h.Failed(0), "meeting,date,document,tally", len(h.Failed(0))},
		{h.MeetingsOn("Korea", 0), "meeting,date,symbol,topic", len(h.MeetingsOn("Korea", 0))},
		{usa, "member,from,to", 1},
		{h.Check(), "meeting,date,document,kind,tally,recorded,computed,reason", len(h.Check().Disagreements)},
		{w, "meeting,date,document,kind,tally,recorded,before,after", w.Changed},
		{h.Problems, "file,row,field,value,reason", len(h.Problems)},
		{h.Summary(), "count,of,n", len(Kinds) + len(h.Stats.ByReason)},
	} {
		var b bytes.Buffer
		if err := WriteCSV(&b, tc.v); err != nil {
			t.Fatalf("%T: %v", tc.v, err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatalf("%T: %v", tc.v, err)
		}
		if got := strings.Join(recs[0], ","); !strings.HasPrefix(got, tc.header) || len(recs)-1 != tc.rows {
			t.Errorf("%T: header %s, %d rows; want %s..., %d rows", tc.v, got, len(recs)-1, tc.header, tc.rows)
		}
	}
	if err := WriteCSV(&bytes.Buffer{}, 42); err == nil {
		t.Error("an int has a CSV form")
	}
}
