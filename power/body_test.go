package power

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/rules"
	"github.com/opencouncil/council/scenario"
)

// TestGamesFollowTheRules checks that a body's game is the engine's rule: for every coalition (or,
// for large bodies, many), the game's verdict is rules.Era.EvaluateDecision's on a vote with the
// coalition in favour and everyone else against.
func TestGamesFollowTheRules(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct {
		body string
		day  string
	}{
		{"unsc", "1960-06-01"}, {"unsc", "2024-06-01"},
		{"../examples/bodies/board.yaml", "2024-06-01"},
		{"../examples/bodies/eu-council.yaml", "2024-06-01"},
		{"../examples/bodies/general-assembly.yaml", "2024-06-01"},
		{"../examples/bodies/unsc-no-veto.yaml", "2024-06-01"},
	} {
		b, err := bodies.Load(tc.body)
		if err != nil {
			t.Fatal(err)
		}
		era := b.EraOn(tc.day)
		seats, err := Seats(b, tc.day, nil)
		if err != nil {
			t.Fatal(err)
		}
		for matter, d := range era.Decisions {
			g, err := FromDecision(era, matter, seats)
			if err != nil {
				t.Fatalf("%s %s: %v", tc.body, matter, err)
			}
			n := len(seats)
			in := make([]bool, n)
			casts := make([]rules.Cast, n)
			check := func() {
				for i, s := range seats {
					casts[i] = rules.Cast{Member: s.Code, Class: s.Class, Weight: s.Weight, Ballot: rules.No}
					if in[i] {
						casts[i].Ballot = rules.Yes
					}
				}
				res, err := era.EvaluateDecision(d, casts)
				if err != nil {
					t.Fatal(err)
				}
				if got := g.Wins(in); got != res.Adopted {
					t.Fatalf("%s %s: %v in favour: the game says %v, the engine %v (%s)", tc.body, matter, yesOf(seats, in), got, res.Adopted, res.Reason)
				}
			}
			if n <= 16 {
				for mask := range 1 << n {
					for i := range n {
						in[i] = mask&(1<<i) != 0
					}
					check()
				}
				continue
			}
			// Large bodies: coalitions of every size, and many near the thresholds by size.
			for range 20000 {
				k := r.IntN(n + 1)
				if r.IntN(2) == 0 {
					k = max(0, min(n, n/2+r.IntN(n/2+1)))
				}
				perm := r.Perm(n)
				clear(in)
				for _, i := range perm[:k] {
					in[i] = true
				}
				check()
			}
		}
	}
}

func yesOf(seats []rules.Seat, in []bool) []string {
	var out []string
	for i, s := range seats {
		if in[i] {
			out = append(out, s.Code)
		}
	}
	return out
}

func TestBodyGameErrors(t *testing.T) {
	b, _ := bodies.Builtin("unsc")
	if _, err := BodyGame(b, "nonsense", "2024-06-01", nil); err == nil || !strings.Contains(err.Error(), "procedural, statement, substantive") {
		t.Errorf("unknown matter: %v", err)
	}
	if _, err := BodyGame(b, "", "1900-01-01", nil); err == nil {
		t.Error("a day before the body: no error")
	}
	if _, err := BodyGame(b, "", "2400-01-01", nil); err == nil || !strings.Contains(err.Error(), "roster covers") {
		t.Errorf("a year the roster lacks: %v", err)
	}
	g, err := BodyGame(b, "statement", "2024-06-01", nil)
	if err != nil || g.Describe() != "all 15 members (by consensus)" {
		t.Errorf("statement: %v %v", g.Describe(), err)
	}
}

// TestDecisive explains the decisive members of recorded votes and requests.
func TestDecisive(t *testing.T) {
	sc, err := scenario.Load("../examples/scenarios/ukraine-2022.yaml", scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := sc.Run()
	if err != nil {
		t.Fatal(err)
	}
	d, err := VoteDecisive(r.State, "v155")
	if err != nil {
		t.Fatal(err)
	}
	if d.Result != "failed" || len(d.Members) != 1 {
		t.Fatalf("%+v", d)
	}
	m := d.Members[0]
	if m.Member != "RUS" || m.Ballot != "no" || m.Instead != "yes" || m.Result != "adopted" || !strings.HasPrefix(m.Why, "adopted: 12 in favour, 9 needed") {
		t.Errorf("%+v", m)
	}
	if got := m.Text(); got != "RUS voted no; had it voted yes, "+m.Why {
		t.Errorf("text: %s", got)
	}
	// The same members as the record: one definition.
	for _, v := range r.Record.Votes {
		d, err := VoteDecisive(r.State, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range d.Members {
			got = append(got, m.Member)
			if m.Instead == "" {
				t.Errorf("vote %s: no ballot of %s changes the result", v.ID, m.Member)
			}
		}
		if !slices.Equal(got, v.Decisive) && !(len(got) == 0 && len(v.Decisive) == 0) {
			t.Errorf("vote %s: decisive %v, the record says %v", v.ID, got, v.Decisive)
		}
	}
	if _, err := VoteDecisive(r.State, "nope"); err == nil {
		t.Error("an unknown vote: no error")
	}

	sc, err = scenario.Load("../examples/scenarios/dprk-2019.yaml", scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r, err = sc.Run(); err != nil {
		t.Fatal(err)
	}
	all, err := RecordDecisive(r.State)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Kind != "request" || len(all[0].Members) != 7 {
		t.Fatalf("%+v", all)
	}
	for _, m := range all[0].Members {
		want := "not answered"
		if m.Member == "USA" {
			want = "declined"
		}
		if m.Ballot != want || m.Why != "support 8 of 9 needed: its signature alone makes 9" {
			t.Errorf("%+v", m)
		}
	}
}
