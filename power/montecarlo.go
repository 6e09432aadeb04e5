package power

import (
	"math"
	"math/rand/v2"
)

// Monte Carlo estimates, for games too large to count exactly within the budget.
//
// Absolute Banzhaf: each sample is a coalition drawn uniformly (every player in with probability
// 1/2); for each player i, the coalition without i is a uniform coalition of the others, so one sample
// tells for every player at once whether it swings. Shapley-Shubik: each sample is a random order of
// the players; the pivot is the player whose arrival first makes the coalition win. Both estimates
// are proportions of independent samples; their intervals are Wilson score intervals.

// estimate is a Monte Carlo estimate of the absolute Banzhaf and Shapley-Shubik indices, per player.
type estimate struct {
	samples int
	z       float64 // the normal quantile of the confidence level
	bz, ss  []int   // swings and pivots counted, per player
}

func (c *core) monteCarlo(samples int, seed uint64, wantBZ, wantSS bool, z float64) *estimate {
	n := c.n
	e := &estimate{samples: samples, z: z, bz: make([]int, n), ss: make([]int, n)}
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	vetoes := 0
	for i := range n {
		if c.veto[i] {
			vetoes++
		}
	}
	win := func(m int, w int64, missing int) bool {
		return missing == 0 && c.need[m] != Never && w >= c.need[m]
	}
	if wantBZ {
		in := make([]bool, n)
		for range samples {
			m, missing := 0, vetoes
			var w int64
			var bitsLeft int
			var word uint64
			for i := range n {
				if bitsLeft == 0 {
					word, bitsLeft = r.Uint64(), 64
				}
				in[i] = word&1 == 1
				word >>= 1
				bitsLeft--
				if in[i] {
					m++
					w += c.w[i]
					if c.veto[i] {
						missing--
					}
				}
			}
			for i := range n {
				// The coalition of the others: without i.
				mo, wo, miss := m, w, missing
				if in[i] {
					mo--
					wo -= c.w[i]
					if c.veto[i] {
						miss++
					}
				}
				missWith := miss
				if c.veto[i] {
					missWith--
				}
				if !win(mo, wo, miss) && win(mo+1, wo+c.w[i], missWith) {
					e.bz[i]++
				}
			}
		}
	}
	if wantSS {
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		for range samples {
			m, missing := 0, vetoes
			var w int64
			for k := range n {
				// Draw the k-th player of a random order (Fisher-Yates, as we go).
				j := k + r.IntN(n-k)
				order[k], order[j] = order[j], order[k]
				i := order[k]
				m++
				w += c.w[i]
				if c.veto[i] {
					missing--
				}
				if win(m, w, missing) {
					e.ss[i]++
					break
				}
			}
		}
	}
	return e
}

// wilson is the Wilson score interval of a proportion of x successes in n trials.
func wilson(x, n int, z float64) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	p := float64(x) / float64(n)
	nf := float64(n)
	d := 1 + z*z/nf
	center := (p + z*z/(2*nf)) / d
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / d
	return max(0, center-half), min(1, center+half)
}

// quantile is the two-sided normal quantile of a confidence level (0.95 gives 1.96).
func quantile(level float64) float64 {
	// Bisection on the normal distribution's tail, from math.Erfc.
	tail := (1 - level) / 2
	lo, hi := 0.0, 10.0
	for range 100 {
		mid := (lo + hi) / 2
		if 0.5*math.Erfc(mid/math.Sqrt2) > tail {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}
