package rules_test

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/rules"
)

// council is the Security Council in one era, with made-up member codes: P1..P5 permanent, E1.. elected.
type council struct {
	name          string
	era           *rules.Era
	perm, elected []string
	need          int // affirmative votes required: 7 before 1966, 9 after
}

func codes(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(i+1)
	}
	return out
}

// councils returns the Security Council of 11 members (1946–1965) and of 15 members (1966 on).
func councils(tb testing.TB) []council {
	tb.Helper()
	b, err := bodies.Builtin("unsc")
	if err != nil {
		tb.Fatal(err)
	}
	return []council{
		{"11 members (1950)", b.EraOn("1950-06-27"), codes("P", 5), codes("E", 6), 7},
		{"15 members (2019)", b.EraOn("2019-12-10"), codes("P", 5), codes("E", 10), 9},
	}
}

func (c council) members() []string { return append(slices.Clone(c.perm), c.elected...) }

// casts lists every member with its ballot (Absent when not in ballots).
func (c council) casts(ballots map[string]rules.Ballot) []rules.Cast {
	var out []rules.Cast
	for _, m := range c.perm {
		out = append(out, rules.Cast{Member: m, Class: "permanent", Ballot: ballots[m]})
	}
	for _, m := range c.elected {
		out = append(out, rules.Cast{Member: m, Class: "elected", Ballot: ballots[m]})
	}
	return out
}

// spec describes a vote in terms that hold in both eras.
type spec struct {
	yes    int  // affirmative votes relative to the threshold: 0 is exactly 9 (7 before 1966), -1 one short
	allYes bool // instead, every member not named below votes yes
	no     []string
	abst   []string
	absent []string
	np     []string     // parties to a dispute, not participating
	rest   rules.Ballot // members neither named nor voting yes
}

// ballots fills the yes votes with the permanent members not named, then the elected members.
func (s spec) ballots(c council) map[string]rules.Ballot {
	b := map[string]rules.Ballot{}
	for _, list := range []struct {
		codes  []string
		ballot rules.Ballot
	}{{s.no, rules.No}, {s.abst, rules.Abstain}, {s.absent, rules.Absent}, {s.np, rules.NotParticipating}} {
		for _, m := range list.codes {
			b[m] = list.ballot
		}
	}
	yes := c.need + s.yes
	for _, m := range c.members() {
		if _, named := b[m]; named {
			continue
		}
		if s.allYes || yes > 0 {
			b[m] = rules.Yes
			yes--
		} else {
			b[m] = s.rest
		}
	}
	return b
}

// Who is decisive, as a function of the casts.
type who func(casts []rules.Cast) []string

func only(codes ...string) who { return func([]rules.Cast) []string { return codes } }

func nobody([]rules.Cast) []string { return nil }

func where(keep func(rules.Cast) bool) who {
	return func(casts []rules.Cast) []string {
		var out []string
		for _, c := range casts {
			if keep(c) {
				out = append(out, c.Member)
			}
		}
		return out
	}
}

var (
	everyone  = where(func(rules.Cast) bool { return true })
	yesVoters = where(func(c rules.Cast) bool { return c.Ballot == rules.Yes })
	// notYes are the members that could vote yes but did not; parties to a dispute cannot vote.
	notYes = where(func(c rules.Cast) bool { return c.Ballot != rules.Yes && c.Ballot != rules.NotParticipating })
	// yesOrPermanent: each yes vote is needed, and any permanent member not voting yes could veto.
	yesOrPermanent = where(func(c rules.Cast) bool {
		return c.Ballot == rules.Yes || c.Class == "permanent" && c.Ballot != rules.NotParticipating
	})
)

func sorted(xs []string) []string {
	out := slices.Clone(xs)
	sort.Strings(out)
	return out
}

// TestSecurityCouncil checks each clause of unsc-rules §6 and §7 in both eras.
func TestSecurityCouncil(t *testing.T) {
	for _, tc := range []struct {
		name     string
		matter   string
		vote     spec
		adopted  bool
		vetoedBy []string
		decisive who
		reason   []string // {yes} and {need} stand for the era's numbers
	}{
		{
			name: "procedural: the votes carry it over a permanent member's negative vote", matter: "procedural",
			vote:    spec{no: []string{"P3"}, rest: rules.Abstain},
			adopted: true, decisive: yesVoters,
			reason: []string{"adopted: {yes} in favour, {need} needed", "procedural, so negative votes of permanent members are not vetoes"},
		},
		{
			name: "procedural: one vote short fails", matter: "procedural",
			vote:    spec{yes: -1, no: []string{"P3"}, rest: rules.Abstain},
			adopted: false, decisive: notYes,
			reason: []string{"not adopted: {yes} in favour, {need} needed", "not vetoes"},
		},
		{
			name: "procedural: one short, every member not voting yes is decisive", matter: "procedural",
			vote:    spec{yes: -1, no: []string{"P1", "E1"}, abst: []string{"P2"}, rest: rules.Absent},
			adopted: false, decisive: notYes,
		},
		{
			name: "procedural: 11-2-2 (9-2-0 before 1966), nobody is decisive", matter: "procedural",
			vote:    spec{yes: 2, no: []string{"P1", "P2"}, rest: rules.Abstain},
			adopted: true, decisive: nobody,
			reason: []string{"adopted: {yes} in favour, {need} needed"},
		},
		{
			name: "substantive: a permanent member's abstention is not a veto", matter: "substantive",
			vote:    spec{abst: []string{"P2"}, rest: rules.Abstain},
			adopted: true, decisive: yesOrPermanent,
			reason: []string{"adopted: {yes} in favour, {need} needed", "the abstention of P2 is not a veto"},
		},
		{
			name: "substantive: a permanent member's absence is not a veto", matter: "substantive",
			vote:    spec{absent: []string{"P5"}, rest: rules.Abstain},
			adopted: true, decisive: yesOrPermanent,
			reason: []string{"the absence of P5 is not a veto"},
		},
		{
			name: "substantive: one permanent no defeats a draft that had the votes", matter: "substantive",
			vote:    spec{allYes: true, no: []string{"P3"}, abst: []string{"E1"}},
			adopted: false, vetoedBy: []string{"P3"}, decisive: only("P3"),
			reason: []string{"not adopted: vetoed by P3: {yes} in favour, {need} needed, but the permanent member P3 voted against"},
		},
		{
			name: "substantive: short of the votes, a permanent no is not a veto", matter: "substantive",
			vote:    spec{yes: -1, no: []string{"P3"}, rest: rules.Abstain},
			adopted: false, decisive: only("P3"), // an elected member's yes would meet P3's veto
			reason: []string{"not adopted: {yes} in favour, {need} needed", "short of the votes it needs, it is not vetoed, so the negative vote of P3 is not a veto"},
		},
		{
			name: "substantive: two permanent noes are both vetoes, and neither alone is decisive", matter: "substantive",
			vote:    spec{allYes: true, no: []string{"P1", "P2"}},
			adopted: false, vetoedBy: []string{"P1", "P2"}, decisive: nobody,
			reason: []string{"vetoed by P1, P2", "the permanent members P1, P2 voted against"},
		},
		{
			name: "substantive: parties to a dispute do not vote and the threshold stays", matter: "substantive",
			vote:    spec{np: []string{"E1", "E2"}, rest: rules.Abstain},
			adopted: true, decisive: yesOrPermanent,
			reason: []string{"adopted: {yes} in favour, {need} needed", "E1, E2 did not vote, as parties to the dispute"},
		},
		{
			name: "substantive: with the parties out, one short still fails", matter: "substantive",
			vote:    spec{yes: -1, np: []string{"E1", "E2"}, rest: rules.Abstain},
			adopted: false, decisive: notYes,
		},
		{
			name: "substantive: a permanent member party to a dispute cannot veto", matter: "substantive",
			vote:    spec{np: []string{"P1"}, rest: rules.No},
			adopted: true, decisive: yesVoters,
			reason: []string{"P1 did not vote, as a party to the dispute"},
		},
		{
			name: "statement: one objection blocks, and the objector is decisive", matter: "statement",
			vote:    spec{allYes: true, no: []string{"E3"}},
			adopted: false, decisive: only("E3"),
			reason: []string{"not adopted: E3 objected, and it needs consensus"},
		},
		{
			name: "statement: a permanent member's objection blocks it the same way", matter: "statement",
			vote:    spec{allYes: true, no: []string{"P2"}, abst: []string{"E1"}},
			adopted: false, decisive: only("P2"),
			reason: []string{"P2 objected"},
		},
		{
			name: "statement: without objection it is issued, and anyone could block it", matter: "statement",
			vote:    spec{allYes: true, abst: []string{"E2"}, absent: []string{"P4"}},
			adopted: true, decisive: everyone,
			reason: []string{"adopted: no member objected"},
		},
		{
			name: "statement: two objections, neither alone decisive", matter: "statement",
			vote:    spec{allYes: true, no: []string{"E1", "P1"}},
			adopted: false, decisive: nobody,
		},
	} {
		for _, c := range councils(t) {
			t.Run(c.name+"/"+tc.name, func(t *testing.T) {
				casts := c.casts(tc.vote.ballots(c))
				r, err := c.era.Evaluate(tc.matter, casts)
				if err != nil {
					t.Fatal(err)
				}
				if r.Adopted != tc.adopted {
					t.Errorf("adopted = %v, want %v (%s)", r.Adopted, tc.adopted, r.Reason)
				}
				if r.Matter != tc.matter || !r.Quorate {
					t.Errorf("matter %q quorate %v", r.Matter, r.Quorate)
				}
				n := r.Counts
				if n.Yes+n.No+n.Abstain+n.Absent+n.NotParticipating != len(casts) || n.NotParticipating != len(tc.vote.np) {
					t.Errorf("counts %+v do not add up to %d members", n, len(casts))
				}
				if !tc.vote.allYes && n.Yes != c.need+tc.vote.yes {
					t.Errorf("%d in favour, want %d", n.Yes, c.need+tc.vote.yes)
				}
				wantNeeded := c.need
				if tc.matter == "statement" {
					wantNeeded = 0
				}
				if r.Needed != wantNeeded {
					t.Errorf("needed = %d, want %d", r.Needed, wantNeeded)
				}
				if !slices.Equal(sorted(r.VetoedBy), sorted(tc.vetoedBy)) {
					t.Errorf("vetoed by %v, want %v", r.VetoedBy, tc.vetoedBy)
				}
				if want := tc.decisive(casts); !slices.Equal(sorted(r.Decisive), sorted(want)) {
					t.Errorf("decisive %v, want %v", r.Decisive, want)
				}
				for _, np := range tc.vote.np {
					if slices.Contains(r.Decisive, np) || slices.Contains(r.VetoedBy, np) {
						t.Errorf("party to the dispute %s is decisive or vetoing", np)
					}
				}
				for _, w := range tc.reason {
					w = strings.NewReplacer("{yes}", strconv.Itoa(n.Yes), "{need}", strconv.Itoa(c.need)).Replace(w)
					if !strings.Contains(r.Reason, w) {
						t.Errorf("reason %q does not say %q", r.Reason, w)
					}
				}
				if len(r.VetoedBy) == 0 && strings.Contains(r.Reason, "vetoed by") {
					t.Errorf("reason %q speaks of a veto", r.Reason)
				}
			})
		}
	}
}

// The matter decides whether a permanent member's negative vote is a veto: the same ballots pass as a
// procedural matter and fail as a substantive one (S/RES/2623 (2022), 11-1-3 over Russia's negative vote).
func TestSecurityCouncilMatterDecidesVeto(t *testing.T) {
	c := councils(t)[1]
	casts := c.casts(spec{yes: 2, no: []string{"P3"}, abst: []string{"P1", "E1", "E2"}}.ballots(c))
	proc, _ := c.era.Evaluate("procedural", casts)
	subst, _ := c.era.Evaluate("substantive", casts)
	if n := proc.Counts; n.Yes != 11 || n.No != 1 || n.Abstain != 3 {
		t.Fatalf("counts %+v, want 11-1-3", n)
	}
	if !proc.Adopted || len(proc.VetoedBy) != 0 {
		t.Errorf("procedural: %+v, want adopted without a veto", proc)
	}
	if subst.Adopted || !slices.Equal(subst.VetoedBy, []string{"P3"}) {
		t.Errorf("substantive: %+v, want vetoed by P3", subst)
	}
}

func TestNeededOf(t *testing.T) {
	cs := councils(t)
	for _, tc := range []struct {
		era            *rules.Era
		matter         string
		members, needs int
	}{
		{cs[1].era, "procedural", 15, 9},
		{cs[1].era, "substantive", 15, 9},
		{cs[0].era, "procedural", 11, 7},
		{cs[0].era, "substantive", 11, 7},
		{cs[1].era, "statement", 15, 15}, // consensus: everyone, nobody against
		{cs[1].era, "no such matter", 15, 16},
	} {
		if got := tc.era.NeededOf(tc.matter, tc.members); got != tc.needs {
			t.Errorf("NeededOf(%s, %d) = %d, want %d", tc.matter, tc.members, got, tc.needs)
		}
	}
}

func TestEvaluateRefuses(t *testing.T) {
	c := councils(t)[1]
	if _, err := c.era.Evaluate("important", c.casts(nil)); err == nil {
		t.Error("unknown matter: no error")
	}
	casts := c.casts(nil)
	casts[3].Ballot = 9
	if _, err := c.era.Evaluate("procedural", casts); err == nil || !strings.Contains(err.Error(), "P4") {
		t.Errorf("bad ballot: error %v", err)
	}
}

func BenchmarkEvaluate(b *testing.B) {
	c := councils(b)[1]
	casts := c.casts(spec{allYes: true, no: []string{"P3"}, abst: []string{"E1"}}.ballots(c))
	for b.Loop() {
		r, err := c.era.Evaluate("substantive", casts)
		if err != nil || r.Adopted {
			b.Fatal(r, err)
		}
	}
}
