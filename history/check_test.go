package history

import (
	"slices"
	"strings"
	"testing"

	"github.com/opencouncil/council/rules"
)

// voteOn finds the recorded vote on a document (the first, where a meeting is not named).
func voteOn(tb testing.TB, h *History, meeting, document string) *vote {
	tb.Helper()
	for i := range h.idx.votes {
		v := &h.idx.votes[i]
		m := &h.Meetings[v.m]
		if m.Outcomes[v.o].Document == document && (meeting == "" || m.Key == meeting) {
			return v
		}
	}
	tb.Fatalf("no recorded vote on %s", document)
	return nil
}

// ballotOfCast is a member's ballot in a vote's casts.
func ballotOfCast(v *vote, code string) rules.Ballot {
	for _, c := range v.casts {
		if c.Member == code {
			return c.Ballot
		}
	}
	return 255
}

// TestEdges recomputes the votes at the edges of the record: the first year (11 members, 7 votes), Korea
// in 1950 with the USSR absent, the last year of eleven and the first of fifteen members (9 votes), and
// 2022.
func TestEdges(t *testing.T) {
	h := mustDefault(t)
	for _, tc := range []struct {
		name, meeting, document string
		date                    string
		seats, needed           int
		want                    string // the computed outcome
		agree                   bool
		absent                  string // a member the casts must have absent
	}{
		{"1946: the first veto, no tally", "S/PV.23", "S/PV.23", "1946-02-16", 11, 7, "vetoed by SUN", true, ""},
		{"1946: 9-0-1 of eleven", "S/PV.30", "S/RES/3 (1946)", "1946-04-04", 11, 7, "adopted", true, ""},
		{"1946: adopted unanimously, no tally", "S/PV.5", "S/RES/2 (1946)", "1946-01-30", 11, 7, "adopted", true, ""},
		{"1950: Korea, resolution 82 with the USSR absent", "S/PV.473", "S/RES/82 (1950)", "1950-06-25", 11, 7, "adopted", true, "SUN"},
		{"1950: Korea, resolution 83, exactly seven", "S/PV.474", "S/RES/83 (1950)", "1950-06-27", 11, 7, "adopted", true, "SUN"},
		{"1950: Korea, resolution 84", "S/PV.476", "S/RES/84 (1950)", "1950-07-07", 11, 7, "adopted", true, "SUN"},
		{"1950: Korea, the Yugoslav draft", "S/PV.473", "S/1500", "1950-06-25", 11, 7, "not adopted", true, "SUN"},
		{"1965: the last year of eleven, 7-0-4", "S/PV.1268", "S/RES/218 (1965)", "1965-11-23", 11, 7, "adopted", true, ""},
		{"1966: the first year of fifteen", "S/PV.1275", "S/RES/220 (1966)", "1966-03-16", 15, 9, "adopted", true, ""},
		{"1966: six votes of fifteen", "S/PV.1285", "S/7285/Add.1", "1966-05-23", 15, 9, "not adopted", true, ""},
		{"2022: Ukraine, vetoed by the Russian Federation", "S/PV.8979", "S/2022/155", "2022-02-25", 15, 9, "vetoed by RUS", true, ""},
		{"2022: Ukraine, the same tally adopted (procedural)", "S/PV.8980", "S/RES/2623 (2022)", "2022-02-27", 15, 9, "adopted", true, ""},
		{"2022: DPRK, the tally has no negative vote", "S/PV.9048", "S/2022/431", "2022-05-26", 15, 9, "adopted", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := voteOn(t, h, tc.meeting, tc.document)
			if v.date != tc.date || len(v.casts) != tc.seats || v.result.Needed != tc.needed {
				t.Errorf("date %s, %d members, %d needed; want %s, %d, %d", v.date, len(v.casts), v.result.Needed, tc.date, tc.seats, tc.needed)
			}
			if got := computed(&v.result); got != tc.want {
				t.Errorf("computed %s (%s), want %s", got, v.result.Reason, tc.want)
			}
			if _, agree := h.compare(v); agree != tc.agree {
				t.Errorf("agrees with the record: %v, want %v", agree, tc.agree)
			}
			if tc.absent != "" && ballotOfCast(v, tc.absent) != rules.Absent {
				t.Errorf("%s's ballot is %v, want absent", tc.absent, ballotOfCast(v, tc.absent))
			}
		})
	}
	// Absence is not a veto: had the USSR come and voted against resolution 82, it would have been vetoed.
	v := voteOn(t, h, "S/PV.473", "S/RES/82 (1950)")
	casts := slices.Clone(v.casts)
	for i := range casts {
		if casts[i].Member == "SUN" {
			casts[i].Ballot = rules.No
		}
	}
	res, err := unsc().EraOn(v.date).Evaluate("substantive", casts)
	if err != nil || computed(&res) != "vetoed by SUN" {
		t.Errorf("resolution 82 with the USSR against: %s (%v), want vetoed by SUN", computed(&res), err)
	}
	// Resolution 83 had exactly seven votes: each member in favour is decisive.
	v = voteOn(t, h, "S/PV.474", "S/RES/83 (1950)")
	if len(v.result.Decisive) < 7 {
		t.Errorf("resolution 83: decisive %v, want the seven in favour at least", v.result.Decisive)
	}
}

// TestDPRKVotes reproduces the procedural votes that put human rights in the DPRK on the agenda in
// December 2014–2017 over China's and the Russian Federation's negative votes, from each member's
// ballot and again from the tally alone.
func TestDPRKVotes(t *testing.T) {
	h := mustDefault(t)
	for _, tc := range []struct {
		meeting, date string
		tally         Tally
		decisive      bool // every member in favour is decisive (nine votes exactly)
	}{
		{"S/PV.7353", "2014-12-22", tl(11, 2, 2), false},
		{"S/PV.7575", "2015-12-10", tl(9, 4, 2), true},
		{"S/PV.7830", "2016-12-09", tl(9, 5, 1), true},
		{"S/PV.8130", "2017-12-11", tl(10, 3, 2), false},
	} {
		t.Run(tc.meeting, func(t *testing.T) {
			v := voteOn(t, h, tc.meeting, tc.meeting)
			m, o := &h.Meetings[v.m], &h.Meetings[v.m].Outcomes[v.o]
			if m.Date != tc.date || o.Kind != KindAgendaVote || o.Tally != tc.tally || v.matter != "procedural" {
				t.Fatalf("%s: %s %s %+v %s", tc.meeting, m.Date, o.Kind, o.Tally, v.matter)
			}
			r := v.result
			c := r.Counts
			if !r.Adopted || len(r.VetoedBy) != 0 || c.Yes != tc.tally.Yes || c.No != tc.tally.No || c.Abstain != tc.tally.Abstain || r.Needed != 9 {
				t.Errorf("result %+v", r)
			}
			for _, p := range []string{"CHN", "RUS"} {
				if ballotOfCast(v, p) != rules.No {
					t.Errorf("%s voted %v, want no", p, ballotOfCast(v, p))
				}
			}
			if !strings.Contains(r.Reason, "procedural") {
				t.Errorf("reason %q does not say the vote was procedural", r.Reason)
			}
			if got := len(r.Decisive) == tc.tally.Yes; got != tc.decisive {
				t.Errorf("decisive %v", r.Decisive)
			}
			if _, agree := h.compare(v); !agree {
				t.Error("the engine disagrees with the record")
			}
			// The tally alone, spread over the members, gives the same result.
			bare := *o
			bare.Ballots = nil
			tv, ok := h.castsOf(m, &bare)
			if !ok {
				t.Fatal("no casts from the tally")
			}
			res, err := unsc().EraOn(tv.date).Evaluate("procedural", tv.casts)
			if err != nil || res.Adopted != r.Adopted || res.Counts != r.Counts {
				t.Errorf("from the tally alone: %+v, %v", res, err)
			}
		})
	}
}

// TestCheck recomputes every recorded vote: the report's totals add up, and each disagreement names
// its reason.
func TestCheck(t *testing.T) {
	h := mustDefault(t)
	r := h.Check()
	if r.Votes < 2700 || r.Agree > r.Votes || r.Votes-r.Agree != len(r.Disagreements) {
		t.Fatalf("votes %d, agree %d, %d disagreements", r.Votes, r.Agree, len(r.Disagreements))
	}
	sum := 0
	for reason, n := range r.ByReason {
		sum += n
		if reason == "" {
			t.Error("a disagreement without a reason")
		}
	}
	if sum != len(r.Disagreements) {
		t.Errorf("by reason %v sums to %d, not %d", r.ByReason, sum, len(r.Disagreements))
	}
	want := map[string]string{ // document: reason
		"S/2022/431": DisagreeVetoNoNegative,
		"S/5134":     DisagreeFailedWithVotes,
		"S/10768":    DisagreeVetoShort,
	}
	for _, d := range r.Disagreements {
		if d.Detail == "" || d.Recorded == d.Computed {
			t.Errorf("disagreement %+v", d)
		}
		if reason, ok := want[d.Document]; ok {
			if d.Reason != reason {
				t.Errorf("%s: reason %s, want %s", d.Document, d.Reason, reason)
			}
			delete(want, d.Document)
		}
	}
	if len(want) > 0 {
		t.Errorf("no disagreement on %v", want)
	}
	if h.Check() != r {
		t.Error("the check is computed twice")
	}
	t.Logf("%d votes, %d agree (%d with an assumed tally), %d not checked: %v", r.Votes, r.Agree, r.Assumed, r.NotChecked, r.ByReason)
}

// TestCastsOf spreads tallies over the members: vetoing members first, the other negative votes to
// elected members, the members not participating, and no more votes than seats.
func TestCastsOf(t *testing.T) {
	h := mustDefault(t)
	for _, tc := range []struct {
		name  string
		date  string
		o     Outcome
		fault string
		want  map[string]rules.Ballot
		count rules.Counts
	}{
		{name: "vetoing members vote no", date: "1974-10-30",
			o:     Outcome{Kind: KindDraftVetoed, Tally: tl(10, 3, 2), VetoedBy: []string{"USA", "FRA", "GBR"}},
			want:  map[string]rules.Ballot{"USA": rules.No, "FRA": rules.No, "GBR": rules.No, "SUN": rules.Yes, "CHN": rules.Yes},
			count: rules.Counts{Yes: 10, No: 3, Abstain: 2}},
		{name: "a negative vote with no veto goes to an elected member", date: "2022-02-27",
			o:     Outcome{Kind: KindResolution, Tally: tl(11, 1, 3)},
			want:  map[string]rules.Ballot{"RUS": rules.Yes, "USA": rules.Yes},
			count: rules.Counts{Yes: 11, No: 1, Abstain: 3}},
		{name: "not participating", date: "1999-12-03",
			o:     Outcome{Kind: KindResolution, Tally: tl(11, 0, 3), NotParticipating: []string{"FRA"}},
			want:  map[string]rules.Ballot{"FRA": rules.NotParticipating},
			count: rules.Counts{Yes: 11, Abstain: 3, NotParticipating: 1}},
		{name: "seats left over are absent", date: "2000-01-31",
			o:     Outcome{Kind: KindResolution, Tally: Tally{Yes: 14, Absent: 1, Known: true}},
			count: rules.Counts{Yes: 14, Absent: 1}},
		{name: "more votes than seats", date: "1960-01-01", o: Outcome{Kind: KindResolution, Tally: tl(10, 1, 1)}, fault: DisagreeOverSeats},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &Meeting{Key: "test", Date: tc.date}
			v, ok := h.castsOf(m, &tc.o)
			if !ok {
				t.Fatal("no vote")
			}
			if v.fault != tc.fault {
				t.Fatalf("fault %q, want %q", v.fault, tc.fault)
			}
			if tc.fault != "" {
				return
			}
			for code, b := range tc.want {
				if got := ballotOfCast(&v, code); got != b {
					t.Errorf("%s: %v, want %v", code, got, b)
				}
			}
			res, err := unsc().EraOn(tc.date).Evaluate("substantive", v.casts)
			if err != nil || res.Counts != tc.count {
				t.Errorf("counts %+v (%v), want %+v", res.Counts, err, tc.count)
			}
		})
	}
}
