package rules_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/rules"
)

// example loads one of the example body files.
func example(tb testing.TB, name string) *rules.Body {
	tb.Helper()
	b, err := bodies.Load("../examples/bodies/" + name + ".yaml")
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// tallyCasts gives the first members of the body yes, then no, then abstain; the rest are absent.
func tallyCasts(b *rules.Body, yes, no, abstain int) []rules.Cast {
	casts := make([]rules.Cast, len(b.Members))
	for i, s := range b.Members {
		casts[i] = rules.Cast{Member: s.Code, Class: s.Class, Weight: s.Weight}
		switch {
		case i < yes:
			casts[i].Ballot = rules.Yes
		case i < yes+no:
			casts[i].Ballot = rules.No
		case i < yes+no+abstain:
			casts[i].Ballot = rules.Abstain
		}
	}
	return casts
}

type countCase struct {
	matter           string
	yes, no, abstain int
	adopted          bool
	needed           int
	reason           string
}

func runCounts(t *testing.T, b *rules.Body, cases []countCase) {
	t.Helper()
	for _, tc := range cases {
		r, err := b.Eras[0].Evaluate(tc.matter, tallyCasts(b, tc.yes, tc.no, tc.abstain))
		if err != nil {
			t.Fatal(err)
		}
		if r.Adopted != tc.adopted || r.Needed != tc.needed || !strings.Contains(r.Reason, tc.reason) {
			t.Errorf("%s %d-%d-%d: adopted %v needed %d (%s); want adopted %v needed %d, reason with %q",
				tc.matter, tc.yes, tc.no, tc.abstain, r.Adopted, r.Needed, r.Reason, tc.adopted, tc.needed, tc.reason)
		}
	}
}

// General Assembly (Charter Art. 18): two thirds or a majority of the members present and voting;
// abstainers are not voting; a majority of the members must be present (Rule 67).
func TestGeneralAssembly(t *testing.T) {
	ga := example(t, "general-assembly")
	runCounts(t, ga, []countCase{
		{"important", 120, 60, 13, true, 120, "adopted: 120 in favour, 60 against, 13 abstaining, two thirds of those present and voting (120) needed"},
		{"important", 119, 60, 14, false, 120, "not adopted: 119 in favour"},
		{"important", 100, 51, 42, false, 101, "(101) needed"},
		{"important", 100, 50, 0, true, 100, ""},
		{"important", 100, 50, 43, true, 100, ""},
		{"other", 80, 79, 34, true, 80, "a majority of those present and voting (80) needed"},
		{"other", 80, 80, 33, false, 81, "not adopted"},
		{"other", 1, 0, 192, true, 1, "adopted: 1 in favour, 0 against, 192 abstaining"},
		{"other", 60, 30, 7, true, 46, "adopted"},
		{"other", 60, 30, 6, false, 46, "not adopted: no quorum: 96 of 193 members present, 97 needed"},
		{"other", 60, 30, 0, false, 46, "no quorum"},
	})
	// Abstentions do not count: the result is the same however many members abstain.
	for _, matter := range []string{"important", "other"} {
		for yes, no := 40, 20; yes+no <= 120; yes, no = yes+1, no+1 {
			var first rules.Result
			for abstain := 193 - yes - no; abstain >= 97-yes-no && abstain >= 0; abstain -= 7 {
				r, _ := ga.Eras[0].Evaluate(matter, tallyCasts(ga, yes, no, abstain))
				if abstain == 193-yes-no {
					first = r
				} else if r.Adopted != first.Adopted || r.Needed != first.Needed {
					t.Fatalf("%s %d-%d: %d abstaining changes the result", matter, yes, no, abstain)
				}
			}
		}
	}
}

// An ordinary board: a majority of the votes cast, two thirds for special motions, a quorum of five.
func TestBoard(t *testing.T) {
	board := example(t, "board")
	runCounts(t, board, []countCase{
		{"ordinary", 3, 2, 1, true, 3, "adopted: 3 in favour, 2 against, 1 abstaining"},
		{"ordinary", 3, 3, 0, false, 4, "not adopted"},
		{"ordinary", 2, 1, 2, true, 2, "adopted"},
		{"ordinary", 5, 4, 0, true, 5, "adopted"},
		{"special", 4, 2, 0, true, 4, "two thirds of those present and voting (4) needed"},
		{"special", 4, 3, 0, false, 5, "not adopted"},
		{"special", 6, 0, 0, true, 4, "adopted"},
		{"special", 6, 3, 0, true, 6, "adopted"},
		{"special", 5, 3, 1, false, 6, "not adopted"},
		{"ordinary", 3, 1, 0, false, 3, "not adopted: no quorum: 4 of 9 members present, 5 needed"},
		{"special", 4, 0, 0, false, 3, "no quorum"},
	})
	// Without a quorum, nothing passes, and the absent members are the ones who could change that.
	casts := tallyCasts(board, 3, 1, 0)
	r, _ := board.Eras[0].Evaluate("ordinary", casts)
	if r.Adopted || r.Quorate || !strings.Contains(r.Reason, "no quorum") {
		t.Errorf("3-1 of 9: %+v, want not adopted for want of a quorum", r)
	}
	if want := []string{"ERIN", "FRANK", "GRACE", "HEIDI", "IVAN"}; !slices.Equal(r.Decisive, want) {
		t.Errorf("decisive %v, want the absent %v", r.Decisive, want)
	}
}

// A share of those voting is not met when nobody votes, and then one vote in favour is what it needs.
func TestNeededWhenNobodyVotes(t *testing.T) {
	for _, tc := range []struct {
		body, matter string
		members      int
	}{
		{"board", "special", 9},
		{"board", "ordinary", 9},
		{"general-assembly", "important", 193},
		{"general-assembly", "other", 193},
	} {
		b := example(t, tc.body)
		r, _ := b.Eras[0].Evaluate(tc.matter, tallyCasts(b, 0, 0, tc.members))
		if r.Adopted || r.Needed != 1 {
			t.Errorf("%s %s, everyone abstaining: adopted %v, needed %d (%s); want not adopted, 1 needed",
				tc.body, tc.matter, r.Adopted, r.Needed, r.Reason)
		}
		if one, _ := b.Eras[0].Evaluate(tc.matter, tallyCasts(b, 1, 0, tc.members-1)); !one.Adopted {
			t.Errorf("%s %s: one vote in favour, the rest abstaining, is not adopted: %s", tc.body, tc.matter, one.Reason)
		}
	}
}

// euCasts gives the listed members yes, no or abstain, and the rest the ballot rest.
func euCasts(b *rules.Body, rest rules.Ballot, ballots map[string]rules.Ballot) []rules.Cast {
	casts := make([]rules.Cast, len(b.Members))
	for i, s := range b.Members {
		bal, ok := ballots[s.Code]
		if !ok {
			bal = rest
		}
		casts[i] = rules.Cast{Member: s.Code, Class: s.Class, Weight: s.Weight, Ballot: bal}
	}
	return casts
}

// firstN gives the first n members (largest first, as the file lists them) the ballot b.
func firstN(body *rules.Body, n int, b rules.Ballot) map[string]rules.Ballot {
	out := map[string]rules.Ballot{}
	for _, s := range body.Members[:n] {
		out[s.Code] = b
	}
	return out
}

func lastN(body *rules.Body, n int, b rules.Ballot) map[string]rules.Ballot {
	out := map[string]rules.Ballot{}
	for _, s := range body.Members[len(body.Members)-n:] {
		out[s.Code] = b
	}
	return out
}

// Council of the EU: 55% of the members and 65% of the population; a blocking minority needs four.
func TestEUCouncil(t *testing.T) {
	eu := example(t, "eu-council")
	e := eu.Eras[0]
	for _, tc := range []struct {
		name    string
		casts   []rules.Cast
		adopted bool
		reason  string
	}{
		{"all in favour", euCasts(eu, rules.Yes, nil), true, "adopted"},
		{"the 15 smallest: enough members, too few people", euCasts(eu, rules.No, lastN(eu, 15, rules.Yes)), false, "not adopted"},
		{"the 14 largest: enough people, too few members", euCasts(eu, rules.No, firstN(eu, 14, rules.Yes)), false, "not adopted"},
		{"the 15 largest", euCasts(eu, rules.No, firstN(eu, 15, rules.Yes)), true, "adopted"},
		{"the three largest against: no blocking minority, deemed taken", euCasts(eu, rules.Yes, firstN(eu, 3, rules.No)), true,
			"deemed taken: fewer than 4 members did not vote in favour, so there is no blocking minority"},
		{"the three largest abstaining: deemed taken too", euCasts(eu, rules.Yes, firstN(eu, 3, rules.Abstain)), true, "deemed taken"},
		{"the four largest against: a blocking minority", euCasts(eu, rules.Yes, firstN(eu, 4, rules.No)), false, "not adopted"},
	} {
		r, err := e.Evaluate("qualified", tc.casts)
		if err != nil {
			t.Fatal(err)
		}
		if r.Adopted != tc.adopted || !strings.Contains(r.Reason, tc.reason) {
			t.Errorf("%s: adopted %v (%s), want %v with %q", tc.name, r.Adopted, r.Reason, tc.adopted, tc.reason)
		}
	}
	// With the three largest against, each of the 24 others is decisive: one more makes a blocking minority.
	r, _ := e.Evaluate("qualified", euCasts(eu, rules.Yes, firstN(eu, 3, rules.No)))
	if len(r.Decisive) != 24 || slices.Contains(r.Decisive, "DEU") {
		t.Errorf("decisive %v, want the 24 in favour", r.Decisive)
	}
	if got := e.NeededOf("simple", 27); got != 14 {
		t.Errorf("NeededOf(simple, 27) = %d, want 14", got)
	}
	// Unanimity: abstentions do not prevent it (TFEU Art. 238(4)); one vote against does.
	if r, _ := e.Evaluate("unanimity", euCasts(eu, rules.Yes, firstN(eu, 2, rules.Abstain))); !r.Adopted {
		t.Errorf("unanimity with two abstentions: %s", r.Reason)
	}
	if r, _ := e.Evaluate("unanimity", euCasts(eu, rules.Yes, lastN(eu, 1, rules.No))); r.Adopted || !slices.Equal(r.Decisive, []string{"MLT"}) {
		t.Errorf("unanimity with Malta against: adopted %v, decisive %v", r.Adopted, r.Decisive)
	}
}

// A share of the members present counts abstentions and parties against the motion, unlike a share of
// those voting.
func TestShareOfPresent(t *testing.T) {
	e := &rules.Era{Decisions: map[string]*rules.Decision{
		"present": {Name: "present", Criteria: []rules.Criterion{{Share: majority, Base: rules.OfPresent}}},
		"voting":  {Name: "voting", Criteria: []rules.Criterion{{Share: majority, Base: rules.OfVoting}}},
	}}
	ballots := []rules.Ballot{rules.Yes, rules.Yes, rules.Yes, rules.Yes, rules.Yes,
		rules.No, rules.No, rules.Abstain, rules.NotParticipating, rules.Absent, rules.Absent}
	casts := make([]rules.Cast, len(ballots))
	for i, b := range ballots {
		casts[i] = rules.Cast{Member: string(rune('A' + i)), Ballot: b}
	}
	for _, tc := range []struct {
		matter  string
		adopted bool
		needed  int
		reason  string
	}{
		{"present", true, 5, "a majority of the members present (5) needed"},
		{"voting", true, 4, "a majority of those present and voting (4) needed"},
	} {
		r := evaluate(t, e, tc.matter, casts)
		if r.Adopted != tc.adopted || r.Needed != tc.needed || !strings.Contains(r.Reason, tc.reason) {
			t.Errorf("%s: adopted %v, needed %d (%s)", tc.matter, r.Adopted, r.Needed, r.Reason)
		}
	}
	casts[4].Ballot = rules.Abstain // 4 of 9 present, 4 of 6 voting
	if r := evaluate(t, e, "present", casts); r.Adopted {
		t.Errorf("4 of 9 present adopted: %s", r.Reason)
	}
	if r := evaluate(t, e, "voting", casts); !r.Adopted {
		t.Errorf("4 of 6 voting not adopted: %s", r.Reason)
	}
}
