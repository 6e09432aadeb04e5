package rules_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/opencouncil/council/rules"
)

// Property tests: thousands of random ballots with fixed seeds, in both eras of the Security Council
// and in the example bodies.

const trials = 4000

// randomBallots gives each member a random ballot, with a share of yes votes that varies from vote to
// vote so that many votes fall near the threshold. With parties, some members may not participate.
func randomBallots(r *rand.Rand, casts []rules.Cast, parties bool) {
	pYes := 0.3 + 0.7*r.Float64()
	for i := range casts {
		switch x := r.Float64(); {
		case x < pYes:
			casts[i].Ballot = rules.Yes
		case parties && r.IntN(12) == 0:
			casts[i].Ballot = rules.NotParticipating
		default:
			casts[i].Ballot = []rules.Ballot{rules.No, rules.Abstain, rules.Absent}[r.IntN(3)]
		}
	}
}

// electorate is a body in one era with its members, for property tests.
type electorate struct {
	name    string
	era     *rules.Era
	matters []string
	casts   []rules.Cast // the members, ballots to be filled in
	trials  int
}

func electorates(tb testing.TB) []electorate {
	tb.Helper()
	var out []electorate
	for _, c := range councils(tb) {
		out = append(out, electorate{"Security Council, " + c.name, c.era, []string{"procedural", "substantive", "statement"}, c.casts(nil), trials})
	}
	for _, ex := range []struct {
		name    string
		matters []string
		trials  int
	}{
		{"board", []string{"ordinary", "special"}, trials},
		{"eu-council", []string{"qualified", "simple", "unanimity"}, trials},
		{"general-assembly", []string{"important", "other"}, trials / 20},
	} {
		b := example(tb, ex.name)
		out = append(out, electorate{ex.name, b.Eras[0], ex.matters, tallyCasts(b, 0, 0, 0), ex.trials})
	}
	return out
}

func evaluate(tb testing.TB, e *rules.Era, matter string, casts []rules.Cast) rules.Result {
	tb.Helper()
	r, err := e.Evaluate(matter, casts)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// (a) Turning a yes into an abstention never turns a failed vote into an adopted one.
func TestPropertyAbstainingNeverHelps(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, el := range electorates(t) {
		casts := slices.Clone(el.casts)
		for range el.trials {
			randomBallots(r, casts, true)
			for _, matter := range el.matters {
				if evaluate(t, el.era, matter, casts).Adopted {
					continue
				}
				for i := range casts {
					if casts[i].Ballot != rules.Yes {
						continue
					}
					casts[i].Ballot = rules.Abstain
					if res := evaluate(t, el.era, matter, casts); res.Adopted {
						t.Fatalf("%s, %s: %s abstaining instead of voting yes adopts it: %s", el.name, matter, casts[i].Member, res.Reason)
					}
					casts[i].Ballot = rules.Yes
				}
			}
		}
	}
}

// (b) A permanent member's negative vote always defeats a substantive draft that had the votes; a draft
// without the votes is simply not adopted, and nobody is recorded as vetoing it.
func TestPropertyPermanentNegativeVote(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, c := range councils(t) {
		casts := c.casts(nil)
		vetoes, shorts := 0, 0
		for range trials {
			randomBallots(r, casts, true)
			casts[r.IntN(len(c.perm))].Ballot = rules.No // the permanent members come first
			res := evaluate(t, c.era, "substantive", casts)
			var permNo []string
			for _, x := range casts {
				if x.Class == "permanent" && x.Ballot == rules.No {
					permNo = append(permNo, x.Member)
				}
			}
			if res.Adopted {
				t.Fatalf("%s: adopted over the negative vote of %v: %s", c.name, permNo, res.Reason)
			}
			if res.Counts.Yes >= c.need {
				vetoes++
				if !slices.Equal(res.VetoedBy, permNo) {
					t.Fatalf("%s: %d in favour, vetoed by %v, want %v", c.name, res.Counts.Yes, res.VetoedBy, permNo)
				}
			} else {
				shorts++
				if len(res.VetoedBy) != 0 {
					t.Fatalf("%s: only %d in favour, yet vetoed by %v", c.name, res.Counts.Yes, res.VetoedBy)
				}
			}
		}
		if vetoes < trials/10 || shorts < trials/10 {
			t.Errorf("%s: %d vetoes and %d short votes: the generator misses a case", c.name, vetoes, shorts)
		}
	}
}

// (c) Procedural results never depend on who is permanent.
func TestPropertyProceduralIgnoresClasses(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, c := range councils(t) {
		casts := c.casts(nil)
		for range trials {
			randomBallots(r, casts, true)
			want := evaluate(t, c.era, "procedural", casts)
			relabelled := slices.Clone(casts)
			for i := range relabelled {
				relabelled[i].Class = []string{"permanent", "elected"}[r.IntN(2)]
			}
			got := evaluate(t, c.era, "procedural", relabelled)
			if got.Adopted != want.Adopted || got.Needed != want.Needed || !slices.Equal(got.Decisive, want.Decisive) || len(got.VetoedBy) > 0 {
				t.Fatalf("%s: relabelling the classes changes the result: %+v, then %+v", c.name, want, got)
			}
		}
	}
}

// (d) A member is decisive if and only if some change of its own ballot alone flips the result.
func TestPropertyDecisiveByBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, el := range electorates(t) {
		casts := slices.Clone(el.casts)
		n := el.trials / 4 // brute force costs members x alternatives evaluations a trial
		if len(casts) > 50 {
			n = 5 // brute force over 193 members is slow
		}
		for range n {
			randomBallots(r, casts, true)
			for _, matter := range el.matters {
				res := evaluate(t, el.era, matter, casts)
				var want []string
				for i := range casts {
					orig := casts[i].Ballot
					if orig == rules.NotParticipating {
						continue // parties to a dispute cannot vote
					}
					for _, alt := range []rules.Ballot{rules.Yes, rules.No, rules.Abstain, rules.Absent} {
						if alt == orig {
							continue
						}
						casts[i].Ballot = alt
						flipped := evaluate(t, el.era, matter, casts).Adopted != res.Adopted
						casts[i].Ballot = orig
						if flipped {
							want = append(want, casts[i].Member)
							break
						}
					}
				}
				if !slices.Equal(res.Decisive, want) {
					t.Fatalf("%s, %s: decisive %v, brute force %v (%s)", el.name, matter, res.Decisive, want, res.Reason)
				}
			}
		}
	}
}

// (e) For decisions counted in heads, Needed agrees with the result: a quorate, unvetoed vote is
// adopted exactly when it has at least Needed votes in favour.
func TestPropertyNeededAgreesWithResult(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, el := range electorates(t) {
		casts := slices.Clone(el.casts)
		for range el.trials {
			randomBallots(r, casts, true)
			for _, matter := range el.matters {
				d := el.era.Decision(matter)
				if d.Consensus || d.BlockingMinority > 0 || slices.ContainsFunc(d.Criteria, func(c rules.Criterion) bool { return c.Weighted }) {
					continue
				}
				res := evaluate(t, el.era, matter, casts)
				if !res.Quorate || len(res.VetoedBy) > 0 {
					continue
				}
				if res.Adopted != (res.Counts.Yes >= res.Needed) {
					t.Fatalf("%s, %s: %d in favour, %d needed, adopted %v (%s)", el.name, matter, res.Counts.Yes, res.Needed, res.Adopted, res.Reason)
				}
			}
		}
	}
}
