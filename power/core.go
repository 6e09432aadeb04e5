package power

import (
	"math/big"
	"slices"
)

// core is a game as the exact algorithms see it: weights divided by their greatest common divisor,
// thresholds rounded up to match and tightened to what some coalition of each size can weigh, and
// every weight 0 when no threshold depends on weight (a count of heads).
type core struct {
	n     int
	w     []int64
	veto  []bool
	need  []int64 // by size, 0..n; 0 when every coalition of that size holding the veto players wins
	nVeto int
	wVeto int64 // the veto players' total weight
	quota int64 // the quota, in the divided weights, of a plain weighted game; 0 for other games
}

func newCore(g *Game) *core {
	n := len(g.Players)
	c := &core{n: n, w: make([]int64, n), veto: make([]bool, n), need: slices.Clone(g.Need)}
	var d int64
	for i, p := range g.Players {
		c.w[i] = p.Weight
		c.veto[i] = p.Veto
		d = gcd(d, p.Weight)
	}
	if d > 1 {
		for i := range c.w {
			c.w[i] /= d
		}
		for k, t := range c.need {
			if t != Never && t > 0 {
				c.need[k] = (t + d - 1) / d
			}
		}
	}
	if q, ok := g.weighted(); ok {
		c.quota = (q + max(d, 1) - 1) / max(d, 1)
	}
	var free []int64 // weights of the players that are not veto players, ascending
	for i := range c.w {
		if c.veto[i] {
			c.nVeto++
			c.wVeto += c.w[i]
		} else {
			free = append(free, c.w[i])
		}
	}
	slices.Sort(free)
	// Tighten: a size that cannot hold the veto players, or never weighs enough, never wins; one that
	// always weighs enough needs nothing.
	for k := range c.need {
		t := c.need[k]
		m := k - c.nVeto
		switch {
		case t == Never || m < 0:
			c.need[k] = Never
		case t <= c.wVeto+sum(free[:m]):
			c.need[k] = 0
		case t > c.wVeto+sum(free[len(free)-m:]):
			c.need[k] = Never
		}
	}
	if !slices.ContainsFunc(c.need, func(t int64) bool { return t != 0 && t != Never }) {
		clear(c.w) // weight never matters
		c.wVeto, c.quota = 0, 0
	}
	return c
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func sum(xs []int64) int64 {
	var s int64
	for _, x := range xs {
		s += x
	}
	return s
}

// class is a set of players alike for the game: the same weight, and veto or not. Every index is the
// same for all of them, so the algorithms compute it once per class.
type class struct {
	w       int64
	veto    bool
	players []int
}

// classes groups the players of a core game.
func (c *core) classes() []class {
	var out []class
	idx := map[[2]int64]int{}
	for i := range c.n {
		key := [2]int64{c.w[i], 0}
		if c.veto[i] {
			key[1] = 1
		}
		k, ok := idx[key]
		if !ok {
			k = len(out)
			idx[key] = k
			out = append(out, class{w: c.w[i], veto: c.veto[i]})
		}
		out[k].players = append(out[k].players, i)
	}
	return out
}

// binomials returns C(n, k) for k from 0 to n.
func binomials(n int) []*big.Int {
	out := make([]*big.Int, n+1)
	out[0] = big.NewInt(1)
	for k := 1; k <= n; k++ {
		x := new(big.Int).Mul(out[k-1], big.NewInt(int64(n-k+1)))
		out[k] = x.Quo(x, big.NewInt(int64(k)))
	}
	return out
}

// ssWeights returns k!(n-1-k)! for k from 0 to n-1, and n!: a pivot joining k others has
// Shapley-Shubik weight k!(n-1-k)!/n!.
func ssWeights(n int) ([]*big.Int, *big.Int) {
	fact := make([]*big.Int, n+1)
	fact[0] = big.NewInt(1)
	for k := 1; k <= n; k++ {
		fact[k] = new(big.Int).Mul(fact[k-1], big.NewInt(int64(k)))
	}
	out := make([]*big.Int, n)
	for k := range out {
		out[k] = new(big.Int).Mul(fact[k], fact[n-1-k])
	}
	return out, fact[n]
}
