package power

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"
)

// oracle is every index of a game found from the definitions, by enumerating coalitions with
// Game.Wins: the reference every algorithm is checked against.
type oracle struct {
	bySize  [][]int64 // per player, swings by the size of the coalition joined
	swings  []int64
	ss, dp  []*big.Rat
	pg, jo  []*big.Rat
	minimal int64
}

func bruteForce(g *Game) *oracle {
	n := len(g.Players)
	o := &oracle{bySize: make([][]int64, n), swings: make([]int64, n)}
	in := make([]bool, n)
	set := func(mask int) int {
		k := 0
		for i := range n {
			in[i] = mask&(1<<i) != 0
			if in[i] {
				k++
			}
		}
		return k
	}
	fact := func(k int) *big.Int { return new(big.Int).MulRange(1, int64(max(k, 1))) }
	for i := range n {
		o.bySize[i] = make([]int64, n)
		for mask := range 1 << n {
			if mask&(1<<i) != 0 {
				continue
			}
			k := set(mask)
			lose := !g.Wins(in)
			in[i] = true
			if lose && g.Wins(in) {
				o.bySize[i][k]++
				o.swings[i]++
			}
		}
		num := new(big.Int)
		for k, x := range o.bySize[i] {
			t := new(big.Int).Mul(fact(k), fact(n-1-k))
			num.Add(num, t.Mul(t, big.NewInt(x)))
		}
		o.ss = append(o.ss, new(big.Rat).SetFrac(num, fact(n)))
	}
	// Minimal winning coalitions and critical players.
	dpRaw := make([]*big.Rat, n)
	pgRaw := make([]int64, n)
	joRaw := make([]*big.Rat, n)
	for i := range n {
		dpRaw[i], joRaw[i] = new(big.Rat), new(big.Rat)
	}
	var joTotal big.Rat
	for mask := range 1 << n {
		k := set(mask)
		if !g.Wins(in) {
			continue
		}
		var crit []int
		for j := range n {
			if in[j] {
				in[j] = false
				if !g.Wins(in) {
					crit = append(crit, j)
				}
				in[j] = true
			}
		}
		for _, j := range crit {
			r := big.NewRat(1, int64(len(crit)))
			joRaw[j].Add(joRaw[j], r)
			joTotal.Add(&joTotal, r)
		}
		if len(crit) == k {
			o.minimal++
			for _, j := range crit {
				dpRaw[j].Add(dpRaw[j], big.NewRat(1, int64(k)))
				pgRaw[j]++
			}
		}
	}
	var pgTotal int64
	for _, x := range pgRaw {
		pgTotal += x
	}
	for i := range n {
		o.dp = append(o.dp, quo(dpRaw[i], big.NewRat(o.minimal, 1)))
		o.pg = append(o.pg, quo(big.NewRat(pgRaw[i], 1), big.NewRat(pgTotal, 1)))
		o.jo = append(o.jo, quo(joRaw[i], &joTotal))
	}
	return o
}

func quo(a, b *big.Rat) *big.Rat {
	if b.Sign() == 0 {
		return new(big.Rat)
	}
	return new(big.Rat).Quo(a, b)
}

// randomGame is a small game: weighted, heads and weight with a blocking minority, a veto class, or
// any monotone thresholds.
func randomGame(r *rand.Rand) *Game {
	n := 1 + r.IntN(11)
	g := &Game{Name: "random", Players: make([]Player, n), Need: make([]int64, n+1)}
	maxW := []int64{1, 3, 6, 20, 1000}[r.IntN(5)]
	var total int64
	for i := range n {
		w := r.Int64N(maxW + 1)
		if r.IntN(8) == 0 {
			w = 0
		}
		g.Players[i] = Player{ID: fmt.Sprintf("P%d", i), Weight: w}
		total += w
	}
	switch r.IntN(4) {
	case 0: // weighted
		q := 1 + r.Int64N(max(total, 1))
		for k := range g.Need {
			g.Need[k] = q
		}
		g.Quota = q
	case 1, 2: // heads and weight, a blocking minority, a veto class
		heads, weight := 1+r.IntN(n), r.Int64N(total+1)
		bm := 0
		if r.IntN(2) == 0 {
			bm = 1 + r.IntN(n)
		}
		for k := range g.Need {
			g.Need[k] = Never
			if k >= heads {
				g.Need[k] = weight
			}
			if bm > 0 && n-k < bm {
				g.Need[k] = 0
			}
		}
		for i := range n {
			g.Players[i].Veto = r.IntN(6) == 0
		}
	default: // any monotone thresholds
		t := total + 1 + r.Int64N(3)
		for k := range g.Need {
			if r.IntN(3) > 0 {
				t = max(0, t-r.Int64N(total/2+2))
			}
			g.Need[k] = t
			if t > total && r.IntN(2) == 0 {
				g.Need[k] = Never
			}
		}
		for k := 1; k <= n; k++ { // Never may only precede finite thresholds
			if g.Need[k] == Never && g.Need[k-1] != Never {
				g.Need[k] = g.Need[k-1]
			}
		}
		for i := range n {
			g.Players[i].Veto = r.IntN(8) == 0
		}
	}
	return g
}

// checkCounts compares an algorithm's swings (and swings by size, when it has them) with the oracle.
func checkCounts(t *testing.T, name string, g *Game, c *core, cnt *counts, o *oracle) {
	t.Helper()
	for ci, cl := range cnt.cls {
		for _, i := range cl.players {
			if got := cnt.swings[ci].big(); got.Cmp(big.NewInt(o.swings[i])) != 0 {
				t.Fatalf("%s: game %+v need %v: player %d swings %v, want %d", name, g.Players, g.Need, i, got, o.swings[i])
			}
			if cnt.bySize == nil {
				continue
			}
			for m, a := range cnt.bySize[ci] {
				if got := a.big(); got.Cmp(big.NewInt(o.bySize[i][m])) != 0 {
					t.Fatalf("%s: game %+v need %v: player %d swings of size %d: %v, want %d", name, g.Players, g.Need, i, m, got, o.bySize[i][m])
				}
			}
		}
	}
}

func TestAlgorithmsAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	games := 3000
	if testing.Short() {
		games = 500
	}
	for range games {
		g := randomGame(r)
		if err := g.Validate(); err != nil {
			t.Fatalf("random game: %v", err)
		}
		o := bruteForce(g)
		c := newCore(g)
		cls := c.classes()
		cnt, mw := c.byTypes(cls, true)
		checkCounts(t, "types", g, c, cnt, o)
		checkMWC(t, "types", g, cls, mw, o)
		cnt, mw = c.byEnumeration(cls, true)
		checkCounts(t, "enumeration", g, c, cnt, o)
		checkMWC(t, "enumeration", g, cls, mw, o)
		for _, dual := range []bool{false, true} {
			s := c.plan()
			s.useDual, s.x = dual, s.xs[map[bool]int{false: 0, true: 1}[dual]]
			checkCounts(t, fmt.Sprintf("table (dual %v)", dual), g, c, c.byTable(s), o)
		}
		if gp, ok := c.planGenerating(); ok {
			checkCounts(t, "generating", g, c, c.generating(gp), o)
		}
		res, err := Compute(g, Options{Indices: All})
		if err != nil {
			t.Fatal(err)
		}
		checkResult(t, g, res, o)
	}
}

func checkMWC(t *testing.T, name string, g *Game, cls []class, mw *mwc, o *oracle) {
	t.Helper()
	if mw.total.Cmp(big.NewInt(o.minimal)) != 0 {
		t.Fatalf("%s: game %+v need %v: %v minimal winning coalitions, want %d", name, g.Players, g.Need, mw.total, o.minimal)
	}
	r := &Result{Players: make([]PlayerPower, len(g.Players))}
	r.fillMWC(cls, mw, All)
	for i, p := range r.Players {
		for _, x := range []struct {
			name      string
			got, want *big.Rat
		}{{"Deegan-Packel", p.DeeganPackel.Exact, o.dp[i]}, {"Public Good", p.PublicGood.Exact, o.pg[i]}, {"Johnston", p.Johnston.Exact, o.jo[i]}} {
			if x.got.Cmp(x.want) != 0 {
				t.Fatalf("%s: game %+v need %v: player %d %s %v, want %v", name, g.Players, g.Need, i, x.name, x.got, x.want)
			}
		}
	}
}

func checkResult(t *testing.T, g *Game, res *Result, o *oracle) {
	t.Helper()
	var total int64
	for _, x := range o.swings {
		total += x
	}
	n := len(g.Players)
	for i, p := range res.Players {
		want := map[string]*big.Rat{
			"absolute Banzhaf": new(big.Rat).SetFrac(big.NewInt(o.swings[i]), new(big.Int).Lsh(big.NewInt(1), uint(n-1))),
			"Banzhaf":          quo(big.NewRat(o.swings[i], 1), big.NewRat(total, 1)),
			"Shapley-Shubik":   o.ss[i],
			"Deegan-Packel":    o.dp[i],
			"Public Good":      o.pg[i],
			"Johnston":         o.jo[i],
		}
		got := map[string]*Value{"absolute Banzhaf": p.AbsoluteBanzhaf, "Banzhaf": p.Banzhaf, "Shapley-Shubik": p.ShapleyShubik,
			"Deegan-Packel": p.DeeganPackel, "Public Good": p.PublicGood, "Johnston": p.Johnston}
		for name, v := range got {
			if v == nil || v.Exact == nil || v.Exact.Cmp(want[name]) != 0 {
				t.Fatalf("Compute (%s): game %+v need %v: player %d %s %v, want %v", res.Method, g.Players, g.Need, i, name, v, want[name])
			}
		}
	}
}
