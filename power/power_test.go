package power

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/opencouncil/council/bodies"
)

// unscGame is the Security Council's game for substantive decisions on a day.
func unscGame(t testing.TB, day string) *Game {
	t.Helper()
	b, err := bodies.Builtin("unsc")
	if err != nil {
		t.Fatal(err)
	}
	g, err := BodyGame(b, "substantive", day, nil)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

// want is one kind of player's exact values.
type want struct {
	swings                       int64
	banzhaf, absolute, shapley   string
	deegan, publicGood, johnston string
}

func checkPlayer(t *testing.T, p PlayerPower, w want) {
	t.Helper()
	if p.Swings.Cmp(big.NewInt(w.swings)) != 0 {
		t.Errorf("%s: swings %v, want %d", p.ID, p.Swings, w.swings)
	}
	for _, x := range []struct {
		name string
		v    *Value
		want string
	}{{"Banzhaf", p.Banzhaf, w.banzhaf}, {"absolute Banzhaf", p.AbsoluteBanzhaf, w.absolute}, {"Shapley-Shubik", p.ShapleyShubik, w.shapley},
		{"Deegan-Packel", p.DeeganPackel, w.deegan}, {"Public Good", p.PublicGood, w.publicGood}, {"Johnston", p.Johnston, w.johnston}} {
		if x.want == "" {
			continue
		}
		if x.v == nil || x.v.Exact.Cmp(rat(x.want)) != 0 {
			t.Errorf("%s: %s %v, want %s", p.ID, x.name, x.v, x.want)
		}
	}
}

// TestSecurityCouncil checks the classic results: since 1966 a permanent member's Shapley-Shubik index
// is 421/2145 and an elected member's 4/2145; their Banzhaf swings 848 and 84 (106/635 and 21/1270
// normalised). Before 1966, 11 members and 7 votes: 76/385 and 1/462, swings 57 and 5.
func TestSecurityCouncil(t *testing.T) {
	for _, tc := range []struct {
		day                  string
		members              int
		permanent, elected   want
		minimal, totalSwings int64
	}{
		{"2024-06-01", 15, want{848, "106/635", "848/16384", "421/2145", "1/9", "1/9", "283/1590"},
			want{84, "21/1270", "84/16384", "4/2145", "2/45", "2/45", "7/636"}, 210, 5080},
		{"1960-06-01", 11, want{57, "19/105", "57/1024", "76/385", "1/7", "1/7", "123/665"},
			want{5, "1/63", "5/1024", "1/462", "1/21", "1/21", "5/399"}, 15, 315},
	} {
		g := unscGame(t, tc.day)
		if len(g.Players) != tc.members {
			t.Fatalf("%s: %d members, want %d", tc.day, len(g.Players), tc.members)
		}
		res, err := Compute(g, Options{Indices: All, Method: Exact})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Exact || res.TotalSwings.Int64() != tc.totalSwings || res.MinimalWinning.Int64() != tc.minimal {
			t.Errorf("%s: exact %v, total swings %v, minimal winning %v", tc.day, res.Exact, res.TotalSwings, res.MinimalWinning)
		}
		for _, p := range res.Players {
			if p.Class == "permanent" {
				checkPlayer(t, p, tc.permanent)
			} else {
				checkPlayer(t, p, tc.elected)
			}
		}
		// Every exact algorithm agrees.
		c := newCore(g)
		for _, dual := range []bool{false, true} {
			s := c.plan()
			s.useDual, s.x = dual, s.xs[b2i(dual)]
			cnt := c.byTable(s)
			e, _ := c.byEnumeration(c.classes(), false)
			for k := range cnt.cls {
				if cnt.swings[k].big().Cmp(e.swings[k].big()) != 0 {
					t.Errorf("%s: table (dual %v) and enumeration disagree", tc.day, dual)
				}
			}
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestEEC1958: weights 4, 4, 4, 2, 2, 1 and a quota of 12: Banzhaf 5/21, 5/21, 5/21, 3/21, 3/21, 0.
// Luxembourg is powerless.
func TestEEC1958(t *testing.T) {
	g := EEC1958()
	res, err := Compute(g, Options{Indices: All, Method: Exact})
	if err != nil {
		t.Fatal(err)
	}
	big3 := want{10, "5/21", "10/32", "7/30", "5/24", "1/5", "1/4"}
	small := want{6, "3/21", "6/32", "3/20", "3/16", "1/5", "1/8"}
	lux := want{0, "0", "0", "0", "0", "0", "0"}
	for i, w := range []want{big3, big3, big3, small, small, lux} {
		checkPlayer(t, res.Players[i], w)
	}
	// The generating function and the table find the same swings.
	c := newCore(g)
	gp, ok := c.planGenerating()
	if !ok {
		t.Fatal("the EEC is a weighted game")
	}
	gen, tab := c.generating(gp), c.byTable(c.plan())
	for k := range gen.cls {
		if gen.swings[k].big().Cmp(tab.swings[k].big()) != 0 {
			t.Errorf("class %d: generating function %v, table %v", k, gen.swings[k].big(), tab.swings[k].big())
		}
	}
}

// sumsToOne checks the efficiency of normalised indices.
func sumsToOne(t *testing.T, res *Result) {
	t.Helper()
	bz, ss := new(big.Rat), new(big.Rat)
	for _, p := range res.Players {
		if p.Banzhaf != nil {
			bz.Add(bz, p.Banzhaf.Exact)
		}
		if p.ShapleyShubik != nil {
			ss.Add(ss, p.ShapleyShubik.Exact)
		}
	}
	one := big.NewRat(1, 1)
	if res.Indices&Banzhaf != 0 && bz.Cmp(one) != 0 {
		t.Errorf("normalised Banzhaf indices sum to %v", bz)
	}
	if res.Indices&ShapleyShubik != 0 && ss.Cmp(one) != 0 {
		t.Errorf("Shapley-Shubik indices sum to %v", ss)
	}
}

func TestElectoralCollege(t *testing.T) {
	g := ElectoralCollege()
	if len(g.Players) != 51 || g.TotalWeight() != 538 {
		t.Fatalf("%d players, %d electors", len(g.Players), g.TotalWeight())
	}
	res, err := Compute(g, Options{Method: Exact})
	if err != nil {
		t.Fatal(err)
	}
	sumsToOne(t, res)
	// California, the largest, has the most power, more than its share of electors by Banzhaf.
	ca := res.Players[4]
	if ca.ID != "CA" || ca.Banzhaf.Float < 54.0/538 || ca.ShapleyShubik.Float < 0.1 {
		t.Errorf("%s: Banzhaf %v, Shapley-Shubik %v", ca.ID, ca.Banzhaf.Float, ca.ShapleyShubik.Float)
	}
	// The generating function (Banzhaf alone) agrees with the table.
	alone, err := Compute(g, Options{Indices: Banzhaf, Method: Exact})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(alone.Method, "generating function") {
		t.Errorf("Banzhaf alone used %s", alone.Method)
	}
	for i := range res.Players {
		if alone.Players[i].Swings.Cmp(res.Players[i].Swings) != 0 {
			t.Errorf("%s: %v swings by the generating function, %v by the table", g.Players[i].ID, alone.Players[i].Swings, res.Players[i].Swings)
		}
	}
	// A Monte Carlo estimate's 95% intervals hold the exact values for nearly every state.
	est, err := Compute(g, Options{Method: Estimate, Samples: 200_000, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if est.Exact || est.Samples != 200_000 || est.Report().Estimate == nil || est.Players[0].Swings != nil {
		t.Fatalf("the estimate is not labelled as one: %+v", est.Report().Estimate)
	}
	misses := 0
	for i, p := range est.Players {
		for _, x := range []struct{ got, exact *Value }{{p.AbsoluteBanzhaf, res.Players[i].AbsoluteBanzhaf}, {p.ShapleyShubik, res.Players[i].ShapleyShubik}} {
			if x.exact.Float < x.got.Low || x.exact.Float > x.got.High {
				misses++
			}
		}
	}
	if misses > 12 { // of 102 intervals; about 5 expected
		t.Errorf("%d of 102 intervals miss the exact value", misses)
	}
}

// TestBigWeightedGame checks the 200-player benchmark game at a quota of 85%: the generating function
// and the counting table find the same swings (numbers of about 2^199), and the Shapley-Shubik
// indices sum to exactly 1.
func TestBigWeightedGame(t *testing.T) {
	if testing.Short() {
		t.Skip("a few seconds")
	}
	g := w200Game(t, 850_000)
	res, err := Compute(g, Options{Method: Exact})
	if err != nil {
		t.Fatal(err)
	}
	sumsToOne(t, res)
	if !strings.Contains(res.Method, "dual") {
		t.Errorf("a quota of 85%% should count the dual's table: %s", res.Method)
	}
	c := newCore(g)
	gp, _ := c.planGenerating()
	gen := c.generating(gp)
	for k, cl := range gen.cls {
		if got := res.Players[cl.players[0]].Swings; gen.swings[k].big().Cmp(got) != 0 {
			t.Fatalf("player %d: %v swings by the generating function, %v by the table", cl.players[0], gen.swings[k].big(), got)
		}
	}
	if res.TotalSwings.BitLen() <= 64 {
		t.Errorf("total swings %v: they should exceed 64 bits", res.TotalSwings)
	}
}

// TestMidSizeGames checks games of 14 to 20 players, too varied for the closed form by types, as
// Compute counts them (the table) against enumeration.
func TestMidSizeGames(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 30 {
		g := randomGame(r)
		n := 14 + r.IntN(7)
		g.Players = g.Players[:0]
		var total int64
		for i := range n {
			w := 1 + r.Int64N(50)
			g.Players = append(g.Players, Player{ID: string(rune('A'+i)) + "x", Weight: w, Veto: r.IntN(10) == 0})
			total += w
		}
		heads, weight := 1+r.IntN(n), r.Int64N(total+1)
		g.Need = make([]int64, n+1)
		for k := range g.Need {
			g.Need[k] = Never
			if k >= heads {
				g.Need[k] = weight
			}
		}
		res, err := Compute(g, Options{Method: Exact})
		if err != nil {
			t.Fatal(err)
		}
		c := newCore(g)
		e, _ := c.byEnumeration(c.classes(), false)
		for _, dual := range []bool{false, true} {
			s := c.plan()
			s.useDual, s.x = dual, s.xs[b2i(dual)]
			tab := c.byTable(s)
			for k, cl := range e.cls {
				for _, i := range cl.players {
					if res.Players[i].Swings.Cmp(e.swings[k].big()) != 0 || tab.swings[k].big().Cmp(e.swings[k].big()) != 0 {
						t.Fatalf("player %d: %v swings (%s), table %v, enumeration %v", i, res.Players[i].Swings, res.Method,
							tab.swings[k].big(), e.swings[k].big())
					}
				}
			}
		}
		sumsToOne(t, res)
		ref := &Result{Players: make([]PlayerPower, n)}
		ref.fill(c, e, ShapleyShubik)
		for i, p := range res.Players {
			if p.ShapleyShubik.Exact.Cmp(ref.Players[i].ShapleyShubik.Exact) != 0 {
				t.Fatalf("player %d: Shapley-Shubik %v, enumeration %v", i, p.ShapleyShubik.Exact, ref.Players[i].ShapleyShubik.Exact)
			}
		}
	}
}

func TestBudget(t *testing.T) {
	g := w200Game(t, 500_000)
	_, err := Compute(g, Options{Method: Exact, Budget: 1000})
	if !errors.Is(err, ErrBudget) {
		t.Fatalf("want ErrBudget, got %v", err)
	}
	res, err := Compute(g, Options{Budget: 1000, Samples: 2000})
	if err != nil {
		t.Fatal(err)
	}
	rep := res.Report()
	if res.Exact || rep.Exact || rep.Estimate == nil || len(res.Notes) == 0 || !strings.Contains(res.Method, "Monte Carlo") {
		t.Errorf("over the budget, the result must be a labelled estimate: %+v", rep)
	}
	if rep.Players[0].Interval["shapley_shubik"][1] <= 0 || rep.Players[0].Swings != "" {
		t.Errorf("an estimate reports intervals, not exact counts: %+v", rep.Players[0])
	}
}

func TestReadWeights(t *testing.T) {
	ids, ws, err := ReadWeights(strings.NewReader("id,weight\n# a comment\nFRA, 4\n\nLUX,1\n"), "eec.csv")
	if err != nil || strings.Join(ids, " ") != "FRA LUX" || ws[0] != 4 || ws[1] != 1 {
		t.Fatalf("%v %v %v", ids, ws, err)
	}
	ids, ws, err = ReadWeights(strings.NewReader("9\n5\n3\n"), "epic.csv")
	if err != nil || strings.Join(ids, " ") != "P1 P2 P3" || ws[2] != 3 {
		t.Fatalf("%v %v %v", ids, ws, err)
	}
	for text, msg := range map[string]string{
		"A,1\nB,x\n":   "x.csv:2: weight \"x\" is not a whole number",
		"A,1\nA,2\n":   "x.csv:2: A is listed twice (first on line 1)",
		"A,-1\n":       "x.csv:1: weight -1 is negative",
		"A,1,2\n":      "x.csv:1: want id,weight, got 3 fields",
		"# nothing\n":  "x.csv: no players",
		"id,weight\n":  "x.csv: no players",
		"A,1\nid,w\n":  "x.csv:2: weight \"w\" is not a whole number",
		",3\n":         "x.csv:1: no id",
		"A,1.5\nB,2\n": "x.csv:1: weight \"1.5\" is not a whole number",
	} {
		if _, _, err := ReadWeights(strings.NewReader(text), "x.csv"); err == nil || err.Error() != msg {
			t.Errorf("%q: %v, want %s", text, err, msg)
		}
	}
	for s, want := range map[string]int64{"500": 500, "50%": 500, "majority": 501, "2/3": 667, "0.85": 850, "more than 1/2": 501} {
		if q, err := ParseQuota(s, 1000); err != nil || q != want {
			t.Errorf("quota %q: %d %v, want %d", s, q, err, want)
		}
	}
	if _, err := ParseQuota("lots", 1000); err == nil {
		t.Error("quota lots: no error")
	}
	if _, err := Weighted("w", []string{"A", "B"}, []int64{1, 1}, 3); err == nil {
		t.Error("a quota above the total weight: no error")
	}
}

func TestDescribe(t *testing.T) {
	if got := EEC1958().Describe(); got != "a total weight of at least 12 of 17" {
		t.Errorf("EEC: %s", got)
	}
	if got := unscGame(t, "2024-06-01").Describe(); got != "at least 9 of 15 members, including all 5 permanent members (veto)" {
		t.Errorf("UNSC: %s", got)
	}
	g := unscGame(t, "2024-06-01")
	g.Rule = ""
	if got := g.Describe(); !strings.HasPrefix(got, "at least 9 of 15 players, including all 5 veto players (") {
		t.Errorf("UNSC from its thresholds: %s", got)
	}
}
