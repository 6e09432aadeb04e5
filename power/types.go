package power

import (
	"fmt"
	"math/big"
)

// mwc is what the indices built on minimal winning coalitions and critical players need, per class.
type mwc struct {
	total *big.Int   // minimal winning coalitions
	pg    []*big.Int // minimal winning coalitions holding a given player of the class
	dp    []*big.Rat // Σ 1/|S| over the minimal winning coalitions S holding it
	jo    []*big.Rat // Σ 1/(critical players of S) over the winning coalitions S in which it is critical
}

func newMWC(classes int) *mwc {
	m := &mwc{total: new(big.Int), pg: make([]*big.Int, classes), dp: make([]*big.Rat, classes), jo: make([]*big.Rat, classes)}
	for t := range classes {
		m.pg[t], m.dp[t], m.jo[t] = new(big.Int), new(big.Rat), new(big.Rat)
	}
	return m
}

// vectors is the number of count vectors of the closed form (capped).
func (c *core) vectors(cls []class) int64 {
	v := int64(1)
	for _, cl := range cls {
		v *= int64(len(cl.players) + 1)
		if v > 1<<40 {
			return 1 << 40
		}
	}
	return v
}

// byTypes is the closed form by player types: a coalition is known, for the game, by how many players
// of each class it holds, so summing over these count vectors, each standing for ∏ C(n_t, μ_t)
// coalitions, gives every index exactly. Instant for a body of few classes (the Security Council: 6 × 11
// vectors), whatever its size (the General Assembly: 194).
func (c *core) byTypes(cls []class, withMWC bool) (*counts, *mwc) {
	T := len(cls)
	n := make([]int, T)
	binom := make([][]*big.Int, T)
	for t, cl := range cls {
		n[t] = len(cl.players)
		binom[t] = binomials(n[t])
	}
	k := wordsFor(c.n)
	out := &counts{cls: cls, swings: make([]acc, T), bySize: make([][]acc, T)}
	bySize := make([][]*big.Int, T)
	for t := range T {
		bySize[t] = make([]*big.Int, c.n)
		for m := range bySize[t] {
			bySize[t][m] = new(big.Int)
		}
	}
	var mw *mwc
	var dpBy [][]*big.Int // per class and size: minimal winning coalitions of that size holding a player
	var joBy [][]*big.Int // per class and number of critical players
	if withMWC {
		mw = newMWC(T)
		dpBy, joBy = make([][]*big.Int, T), make([][]*big.Int, T)
		for t := range T {
			dpBy[t], joBy[t] = make([]*big.Int, c.n+1), make([]*big.Int, c.n+1)
			for m := range c.n + 1 {
				dpBy[t][m], joBy[t][m] = new(big.Int), new(big.Int)
			}
		}
	}
	mu := make([]int, T)
	wins := func(dt, d int) bool { // with d players more (or fewer) of class dt
		m, missing := 0, 0
		var w int64
		for t, cl := range cls {
			x := mu[t]
			if t == dt {
				x += d
			}
			m += x
			w += int64(x) * cl.w
			if cl.veto && x < n[t] {
				missing++
			}
		}
		return missing == 0 && c.need[m] != Never && w >= c.need[m]
	}
	mult, part := new(big.Int), new(big.Int)
	crit := make([]bool, T)
	for {
		m := 0
		mult.SetInt64(1)
		for t := range T {
			m += mu[t]
			mult.Mul(mult, binom[t][mu[t]])
		}
		won := wins(-1, 0)
		for t := range T {
			// Coalitions with these counts that leave out a given player of class t: the player swings
			// them when joining wins.
			if mu[t] < n[t] && !won && wins(t, 1) {
				part.Mul(mult, big.NewInt(int64(n[t]-mu[t])))
				part.Quo(part, big.NewInt(int64(n[t])))
				bySize[t][m].Add(bySize[t][m], part)
			}
		}
		if withMWC && won {
			nc, minimal := 0, true
			for t := range T {
				crit[t] = mu[t] > 0 && !wins(t, -1)
				if crit[t] {
					nc += mu[t]
				} else if mu[t] > 0 {
					minimal = false
				}
			}
			if minimal {
				mw.total.Add(mw.total, mult)
			}
			for t := range T {
				if !crit[t] {
					continue
				}
				part.Mul(mult, big.NewInt(int64(mu[t])))
				part.Quo(part, big.NewInt(int64(n[t]))) // those holding a given player of class t
				joBy[t][nc].Add(joBy[t][nc], part)
				if minimal {
					dpBy[t][m].Add(dpBy[t][m], part)
				}
			}
		}
		// Next count vector.
		t := 0
		for t < T && mu[t] == n[t] {
			mu[t] = 0
			t++
		}
		if t == T {
			break
		}
		mu[t]++
	}
	for t := range T {
		out.bySize[t] = make([]acc, c.n)
		out.swings[t] = make(acc, k)
		for m, x := range bySize[t] {
			out.bySize[t][m] = bigToWords(x, k)
			out.swings[t].add(out.bySize[t][m])
		}
	}
	if withMWC {
		for t := range T {
			for m := 1; m <= c.n; m++ {
				if dpBy[t][m].Sign() != 0 {
					mw.pg[t].Add(mw.pg[t], dpBy[t][m])
					mw.dp[t].Add(mw.dp[t], new(big.Rat).SetFrac(dpBy[t][m], big.NewInt(int64(m))))
				}
				if joBy[t][m].Sign() != 0 {
					mw.jo[t].Add(mw.jo[t], new(big.Rat).SetFrac(joBy[t][m], big.NewInt(int64(m))))
				}
			}
		}
	}
	kinds := "types"
	if T == 1 {
		kinds = "type"
	}
	out.method = fmt.Sprintf("closed form by player types (%d %s, %d count vectors)", T, kinds, c.vectors(cls))
	out.work = c.vectors(cls) * int64(T)
	return out, mw
}
