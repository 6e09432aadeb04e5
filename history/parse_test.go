package history

import (
	"bytes"
	"encoding/csv"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/opencouncil/council/roster"
)

// mustDefault is the embedded record, parsed.
func mustDefault(tb testing.TB) *History {
	tb.Helper()
	h, err := Default()
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// names resolves the two names the cells give for members not participating, for the table test.
func names(name string) string {
	return map[string]string{"France": "FRA", "Syrian Arab Republic": "SYR"}[name]
}

func tl(y, n, a int) Tally { return Tally{Yes: y, No: n, Abstain: a, Known: true} }

// TestParseOutcomes covers each phrasing of the Library's outcome cells.
func TestParseOutcomes(t *testing.T) {
	type o = Outcome
	for _, tc := range []struct {
		cell  string
		want  []Outcome
		probs []string // reasons
	}{
		{cell: "--"},
		{cell: "S/RES/8 (1946) | 10-0-1", want: []o{{Kind: KindResolution, Document: "S/RES/8 (1946)", Tally: tl(10, 0, 1)}}},
		{cell: "S/RES/2141(2014) | 15-0-0", want: []o{{Kind: KindResolution, Document: "S/RES/2141 (2014)", Tally: tl(15, 0, 0)}}},
		{cell: "S/RES/82 (1950) | | 9-0-1", want: []o{{Kind: KindResolution, Document: "S/RES/82 (1950)", Tally: tl(9, 0, 1)}}},
		{cell: "S/RES/15 (1946) | adopted unanimously", want: []o{{Kind: KindResolution, Document: "S/RES/15 (1946)", Unanimous: true}}},
		{cell: "S/RES/2 (1946) | Adopted unanimously", want: []o{{Kind: KindResolution, Document: "S/RES/2 (1946)", Unanimous: true}}},
		{cell: "S/RES/1 (1946) | without vote", want: []o{{Kind: KindResolution, Document: "S/RES/1 (1946)", WithoutVote: true}}},
		{cell: "S/RES/1 (1946) | without a vote", want: []o{{Kind: KindResolution, Document: "S/RES/1 (1946)", WithoutVote: true}}},
		{cell: "S/RES/591 (1986) | adopted by consensus", want: []o{{Kind: KindResolution, Document: "S/RES/591 (1986)", WithoutVote: true}}},
		{cell: "S/RES/1287 (2000) | 14-0-0 (1 absent)", want: []o{{Kind: KindResolution, Document: "S/RES/1287 (2000)", Tally: Tally{Yes: 14, Absent: 1, Known: true}}}},
		{cell: "S/RES/1280 (1999) | 11-0-3 | (France did not participate in the voting.)",
			want: []o{{Kind: KindResolution, Document: "S/RES/1280 (1999)", Tally: tl(11, 0, 3), NotParticipating: []string{"FRA"}}}},
		{cell: "S/RES/1483 (2003) | 14-0-0 | (The Syrian Arab Republic did not participate in the voting.)",
			want: []o{{Kind: KindResolution, Document: "S/RES/1483 (2003)", Tally: tl(14, 0, 0), NotParticipating: []string{"SYR"}}}},
		{cell: "S/PRST/2017/16", want: []o{{Kind: KindPRST, Document: "S/PRST/2017/16"}}},
		{cell: "S/22133 (PRST)", want: []o{{Kind: KindPRST, Document: "S/22133 (PRST)"}}},
		{cell: "S/PV.2750 (PRST)", want: []o{{Kind: KindPRST, Document: "S/PV.2750 (PRST)"}}},
		{cell: "S/25344 (PRST) and Corr.1", want: []o{{Kind: KindPRST, Document: "S/25344 (PRST) and Corr.1"}}},
		{cell: "PRST unnumbered", want: []o{{Kind: KindPRST}}},
		{cell: "S/PRST/2020/12 | S/PRST/2020/11", want: []o{{Kind: KindPRST, Document: "S/PRST/2020/12"}, {Kind: KindPRST, Document: "S/PRST/2020/11"}}},
		{cell: "S/PRST/2000/1+S/PRST/2000/2", want: []o{{Kind: KindPRST, Document: "S/PRST/2000/1"}, {Kind: KindPRST, Document: "S/PRST/2000/2"}}},
		{cell: "Communiqué", want: []o{{Kind: KindCommunique}}},
		{cell: "communiqué", want: []o{{Kind: KindCommunique}}},
		{cell: "Note (S/2017/12)", want: []o{{Kind: KindNote, Document: "S/2017/12"}}},
		{cell: "Note S/2017/691", want: []o{{Kind: KindNote, Document: "S/2017/691"}}},
		{cell: "Letter(S/2018/1)", want: []o{{Kind: KindLetter, Document: "S/2018/1"}}},
		{cell: "Election of Mr. Alfaro (Panama)", want: []o{{Kind: KindElection, Detail: "Election of Mr. Alfaro (Panama)"}}},
		{cell: "Election of Mr. Jessup (USA), Mr. Koretsky (USSR), Mr. Morelli (Italy) and Mr. Tanaka (Japan)",
			want: []o{{Kind: KindElection, Detail: "Election of Mr. Jessup (USA), Mr. Koretsky (USSR), Mr. Morelli (Italy) and Mr. Tanaka (Japan)"}}},
		{cell: "Referral to the Committee on the Admission of New Members", want: []o{{Kind: KindOther, Detail: "Referral to the Committee on the Admission of New Members"}}},
		{cell: "Decision", want: []o{{Kind: KindOther, Detail: "Decision"}}},
		{cell: "S/2021/886", want: []o{{Kind: KindDocument, Document: "S/2021/886"}}},
		{cell: "Draft resolution S/2014/916 not adopted | 8-2-5", want: []o{{Kind: KindDraftNotAdopted, Document: "S/2014/916", Tally: tl(8, 2, 5)}}},
		{cell: "Draft resolution S/2022/231 was not adopted | 2-0-13", want: []o{{Kind: KindDraftNotAdopted, Document: "S/2022/231", Tally: tl(2, 0, 13)}}},
		{cell: "Draft resolution (S/2020/1054) not adopted | 5-0-10", want: []o{{Kind: KindDraftNotAdopted, Document: "S/2020/1054", Detail: "(S/2020/1054)", Tally: tl(5, 0, 10)}}},
		{cell: "S/2020/1054 | not adopted | 5-0-10", want: []o{{Kind: KindDraftNotAdopted, Document: "S/2020/1054", Tally: tl(5, 0, 10)}}},
		{cell: "S/2020/797 not adopted | 2-2-11", want: []o{{Kind: KindDraftNotAdopted, Document: "S/2020/797", Tally: tl(2, 2, 11)}}},
		{cell: "Draft resolutions S/1 & Add.1 & S/2 not adopted | 4-0-7", want: []o{{Kind: KindDraftNotAdopted, Document: "S/1", Detail: "S/1 & Add.1 & S/2", Tally: tl(4, 0, 7)}}},
		{cell: "Draft resolution S/2022/155 vetoed by Russian Federation | 11-1-3", want: []o{{Kind: KindDraftVetoed, Document: "S/2022/155", VetoedBy: []string{"RUS"}, Tally: tl(11, 1, 3)}}},
		{cell: "Draft resolutionS/2017/172vetoed by China and Russian Federation | | 9-3-3", want: []o{{Kind: KindDraftVetoed, Document: "S/2017/172", VetoedBy: []string{"CHN", "RUS"}, Tally: tl(9, 3, 3)}}},
		{cell: "Draft resolution S/2019/961 vetoed by China and Russian Federation 11-2-2", want: []o{{Kind: KindDraftVetoed, Document: "S/2019/961", VetoedBy: []string{"CHN", "RUS"}, Tally: tl(11, 2, 2)}}},
		{cell: "Draft resolution S/2022/431 vetoed by China, Russian Federation | 13-0-2", want: []o{{Kind: KindDraftVetoed, Document: "S/2022/431", VetoedBy: []string{"CHN", "RUS"}, Tally: tl(13, 0, 2)}}},
		{cell: "Draft resolution S/2017/1060 vetoed by the United States | 14-1-0", want: []o{{Kind: KindDraftVetoed, Document: "S/2017/1060", VetoedBy: []string{"USA"}, Tally: tl(14, 1, 0)}}},
		{cell: "S/2020/852 | vetoed by USA | 14-1-0", want: []o{{Kind: KindDraftVetoed, Document: "S/2020/852", VetoedBy: []string{"USA"}, Tally: tl(14, 1, 0)}}},
		{cell: "Draft resolution S/11543 vetoed by USA, France and UK | 10-3-2", want: []o{{Kind: KindDraftVetoed, Document: "S/11543", VetoedBy: []string{"USA", "FRA", "GBR"}, Tally: tl(10, 3, 2)}}},
		{cell: "Draft resolution S/3710 (as amended) vetoed by | USSR 7-2-2", want: []o{{Kind: KindDraftVetoed, Document: "S/3710", Detail: "S/3710 (as amended)", VetoedBy: []string{"SUN"}, Tally: tl(7, 2, 2)}}},
		{cell: "Draft resolution S/PV.23 vetoed by USSR", want: []o{{Kind: KindDraftVetoed, Document: "S/PV.23", VetoedBy: []string{"SUN"}}}},
		{cell: "Power Four draft resolution S/10771 vetoed by China | 11-1-3", want: []o{{Kind: KindDraftVetoed, Document: "S/10771", VetoedBy: []string{"CHN"}, Tally: tl(11, 1, 3)}}},
		{cell: "Draft resolution S/PV.57 (Transjordan) vetoed by USSR 8-2-1 | Draft resolution S/PV.57 (Ireland) vetoed by USSR 9-1-1 | S/RES/8 (1946) | 10-0-1",
			want: []o{{Kind: KindDraftVetoed, Document: "S/PV.57", Detail: "S/PV.57 (Transjordan)", VetoedBy: []string{"SUN"}, Tally: tl(8, 2, 1)},
				{Kind: KindDraftVetoed, Document: "S/PV.57", Detail: "S/PV.57 (Ireland)", VetoedBy: []string{"SUN"}, Tally: tl(9, 1, 1)},
				{Kind: KindResolution, Document: "S/RES/8 (1946)", Tally: tl(10, 0, 1)}}},
		{cell: "Draft resolution S/1500 not adopted | 1-6-3 | | S/RES/82 (1950) | 9-0-1",
			want: []o{{Kind: KindDraftNotAdopted, Document: "S/1500", Tally: tl(1, 6, 3)}, {Kind: KindResolution, Document: "S/RES/82 (1950)", Tally: tl(9, 0, 1)}}},
		{cell: "Draft resolution S/1 and S/2 not adopted | S/RES/3 (1948) | 9-0-2",
			want: []o{{Kind: KindDraftNotAdopted, Document: "S/1", Detail: "S/1 and S/2"}, {Kind: KindResolution, Document: "S/RES/3 (1948)", Tally: tl(9, 0, 2)}}},
		{cell: "S/RES/1209 (1998) | 15-0-0S/PRST/1998/35",
			want: []o{{Kind: KindResolution, Document: "S/RES/1209 (1998)", Tally: tl(15, 0, 0)}, {Kind: KindPRST, Document: "S/PRST/1998/35"}}},
		{cell: "S/RES/1 (2000) | without voteS/RES/2 (2000) | without vote",
			want: []o{{Kind: KindResolution, Document: "S/RES/1 (2000)", WithoutVote: true}, {Kind: KindResolution, Document: "S/RES/2 (2000)", WithoutVote: true}}},
		{cell: "S/RES/5 (2001) S/RES/6 (2001)", want: []o{{Kind: KindResolution, Document: "S/RES/5 (2001)"}, {Kind: KindResolution, Document: "S/RES/6 (2001)"}}},
		{cell: "S/RES/7 (2004) | | 15-0-0 + | | S/PRST/2004/1",
			want: []o{{Kind: KindResolution, Document: "S/RES/7 (2004)", Tally: tl(15, 0, 0)}, {Kind: KindPRST, Document: "S/PRST/2004/1"}}},
		{cell: "S/PRST/2004/2 and | S/RES/8 (2004) | | 15-0-0",
			want: []o{{Kind: KindPRST, Document: "S/PRST/2004/2"}, {Kind: KindResolution, Document: "S/RES/8 (2004)", Tally: tl(15, 0, 0)}}},
		{cell: "Communiqué+S/RES/9 (2004) | without vote", want: []o{{Kind: KindCommunique}, {Kind: KindResolution, Document: "S/RES/9 (2004)", WithoutVote: true}}},
		{cell: "S/RES/10 (2004) | 15-0-0 | | --", want: []o{{Kind: KindResolution, Document: "S/RES/10 (2004)", Tally: tl(15, 0, 0)}}},
		// What it cannot read is reported, and what it can is kept.
		{cell: "15-0-0", probs: []string{ReasonTallyWithout}},
		{cell: "S/RES/11 (2004) | 15-0-0 | 14-0-1", want: []o{{Kind: KindResolution, Document: "S/RES/11 (2004)", Tally: tl(15, 0, 0)}}, probs: []string{ReasonSecondTally}},
		{cell: "S/PRST/2004/3 | adopted unanimously", want: []o{{Kind: KindPRST, Document: "S/PRST/2004/3"}}, probs: []string{ReasonWordsWithout}},
		{cell: "Adjourned sine die | S/RES/12 (2004) | 15-0-0", want: []o{{Kind: KindResolution, Document: "S/RES/12 (2004)", Tally: tl(15, 0, 0)}}, probs: []string{ReasonUnreadText}},
		{cell: "S/RES/13 (2004) | 14-0-0 | (Atlantis did not participate in the voting.)", want: []o{{Kind: KindResolution, Document: "S/RES/13 (2004)", Tally: tl(14, 0, 0)}}, probs: []string{ReasonUnknownMember}},
	} {
		t.Run(tc.cell, func(t *testing.T) {
			got, probs := parseOutcomes(tc.cell, names)
			for i := range got {
				got[i].Raw = "" // checked by TestEveryRow
			}
			if len(got) == 0 {
				got = nil
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("outcomes\n got %+v\nwant %+v", got, tc.want)
			}
			var reasons []string
			for _, p := range probs {
				reasons = append(reasons, p.reason)
			}
			if !reflect.DeepEqual(reasons, tc.probs) {
				t.Errorf("problems %+v, want reasons %v", probs, tc.probs)
			}
		})
	}
}

var (
	reCountRes     = regexp.MustCompile(`S/RES/\d+`)
	reCountTally   = regexp.MustCompile(`\d+-\d+-\d+`)
	reCountVetoed  = regexp.MustCompile(`(?i)vetoed by`)
	reCountFailed  = regexp.MustCompile(`(?i)not adopted`)
	reCountPRST    = regexp.MustCompile(`S/PRST/|\(PRST\)|PRST unnumbered|\| PRST`)
	reCountUnanim  = regexp.MustCompile(`(?i)adopted unanimously`)
	reCountWithout = regexp.MustCompile(`(?i)without (a )?vote|by consensus`)
)

// TestEveryRow walks every row of the meetings table: each is a meeting or a problem saying why it was
// left out, and in each cell the outcomes found match, phrase for phrase, what the cell says — a
// resolution for each S/RES, a tally for each n-n-n, a vetoed draft for each "vetoed by" — unless a
// problem of that row says what could not be read.
func TestEveryRow(t *testing.T) {
	h := mustDefault(t)
	data, err := os.ReadFile("data/" + MeetingsFile)
	if err != nil {
		t.Fatal(err)
	}
	byRow := map[int]*Meeting{}
	for i := range h.Meetings {
		byRow[h.Meetings[i].Row] = &h.Meetings[i]
	}
	problems := map[int][]Problem{}
	for _, p := range h.Problems {
		if p.File == MeetingsFile {
			problems[p.Row] = append(problems[p.Row], p)
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	if _, err := cr.Read(); err != nil {
		t.Fatal(err)
	}
	rows, fully := 0, 0
	for {
		rec, err := cr.Read()
		if err != nil {
			break
		}
		rows++
		line, _ := cr.FieldPos(0)
		m := byRow[line]
		if m == nil {
			if len(problems[line]) == 0 || problems[line][0].Kept {
				t.Errorf("line %d (%s): neither a meeting nor a problem that leaves it out", line, rec[3])
			}
			continue
		}
		cell := m.Raw
		count := map[string]int{}
		for _, o := range m.Outcomes {
			if o.Source != "" {
				continue
			}
			count[o.Kind]++
			if o.Tally.Known {
				count["tally"]++
			}
			if o.Unanimous {
				count["unanimous"]++
			}
			if o.WithoutVote {
				count["without"]++
			}
			if o.Raw == "" || !strings.Contains(cell, strings.SplitN(o.Raw, " | ", 2)[0]) {
				t.Errorf("line %d: outcome %+v: its raw text is not in the cell %q", line, o, cell)
			}
		}
		want := map[string]int{
			KindResolution:      len(reCountRes.FindAllString(cell, -1)),
			"tally":             len(reCountTally.FindAllString(cell, -1)),
			KindDraftVetoed:     len(reCountVetoed.FindAllString(cell, -1)),
			KindDraftNotAdopted: len(reCountFailed.FindAllString(cell, -1)),
			KindPRST:            len(reCountPRST.FindAllString(cell, -1)),
			"unanimous":         len(reCountUnanim.FindAllString(cell, -1)),
			"without":           len(reCountWithout.FindAllString(cell, -1)),
		}
		ok := true
		for k, n := range want {
			if count[k] != n {
				ok = false
			}
		}
		if !ok && len(problems[line]) == 0 {
			t.Errorf("line %d: the cell %q has %v; the parse found %v, and no problem is listed", line, cell, want, count)
		}
		if cell != "--" && cell != "" && len(m.Outcomes) == 0 && len(problems[line]) == 0 {
			t.Errorf("line %d: the cell %q gave no outcome and no problem", line, cell)
		}
		if ok && len(problems[line]) == 0 {
			fully++
		}
	}
	if rows != h.Stats.Rows {
		t.Errorf("read %d rows; the parse reports %d", rows, h.Stats.Rows)
	}
	t.Logf("%d rows: %d read fully, %d meetings, %d outcomes, %d problems %v", rows, fully, len(h.Meetings),
		h.Stats.Outcomes, h.Stats.Problems, h.Stats.ByReason)
}

// TestProblemsListed checks that the data's known faults are listed, each with its reason.
func TestProblemsListed(t *testing.T) {
	h := mustDefault(t)
	want := map[string]string{ // reason: a value it must name
		ReasonDuplicateRow:      "S/PV.6576",
		ReasonDateFromText:      "14-15 October",
		ReasonColumnsShifted:    "Draft resolution S/5973 vetoed by | USSR 9-2-0",
		ReasonResolutionTwice:   "S/RES/663",
		ReasonResolutionMissing: "S/RES/666",
		ReasonVetoNotInTable:    "S/2022/538",
		ReasonVetoAsNotAdopted:  "S/5134",
		ReasonVetoNotListed:     "Draft resolution S/10768 and Corr.1 vetoed by USSR | 3-3-9",
	}
	for reason, value := range want {
		found := false
		for _, p := range h.Problems {
			if p.Reason == reason && p.Value == value {
				found = true
				if p.Detail == "" {
					t.Errorf("problem %+v has no detail", p)
				}
			}
		}
		if !found {
			t.Errorf("no problem %s for %q", reason, value)
		}
	}
	if h.Stats.Problems != len(h.Problems) {
		t.Errorf("stats count %d problems, the list has %d", h.Stats.Problems, len(h.Problems))
	}
}

// TestShiftedAndDatedRows checks the rows read with a repair.
func TestShiftedAndDatedRows(t *testing.T) {
	h := mustDefault(t)
	m := h.MeetingByKey("S/PV.1152")
	if m == nil || m.Topic != "Complaint by Malaysia" || len(m.Outcomes) != 1 || m.Outcomes[0].Kind != KindDraftVetoed ||
		m.Outcomes[0].Tally != tl(9, 2, 0) {
		t.Errorf("S/PV.1152: %+v", m)
	}
	for key, date := range map[string]string{"S/PV.1307": "1966-10-14", "S/PV.1558": "1970-11-22", "S/PV.4503": "2002-03-29"} {
		if m := h.MeetingByKey(key); m == nil || m.Date != date {
			t.Errorf("%s: %+v, want date %s", key, m, date)
		}
	}
}

// TestKeysUnique checks that every meeting has its own key and the meetings are in date order.
func TestKeysUnique(t *testing.T) {
	h := mustDefault(t)
	seen := map[string]bool{}
	for i, m := range h.Meetings {
		if seen[m.Key] {
			t.Errorf("key %s twice", m.Key)
		}
		seen[m.Key] = true
		if i > 0 && m.Date < h.Meetings[i-1].Date {
			t.Errorf("%s (%s) after %s (%s)", m.Key, m.Date, h.Meetings[i-1].Key, h.Meetings[i-1].Date)
		}
	}
	for _, key := range []string{"S/PV.4194", "S/PV.4194 #2", "S/PV.1", "VTC 2020-12-21"} {
		if !seen[key] {
			t.Errorf("no meeting %s", key)
		}
	}
}

// TestMembershipCopy keeps the copy of the membership beside the record the same as the roster's.
func TestMembershipCopy(t *testing.T) {
	a, err := os.ReadFile("data/" + MembershipFile)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../roster/data/membership.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("history/data/membership.csv differs from roster/data/membership.csv: copy it again")
	}
	if _, err := Parse(Files{Meetings: []byte("a,b\n")}, roster.Default()); err == nil {
		t.Error("a meetings table with another header parses")
	}
}
