package power

import (
	"fmt"
	"slices"
)

// The Banzhaf index of a weighted game, by the generating function of coalition weights.
//
// c[v], the number of coalitions weighing v, is the coefficient of x^v in ∏(1 + x^w_i) (Brams and
// Affuso 1976; Bilbao et al. 2000); one in-place pass per player adds c[v-w_i] to c[v]. A player i
// of weight ω swings the coalitions of the others weighing from q-ω to q-1, and the coalitions of the
// others are c_{-i}[v] = c[v] - c_{-i}[v-ω] (Uno 2012; Kurz 2016 for the IMF). Unrolled and summed
// over the window, with P[x] = Σ_{v<x} c[v]:
//
//	swings_i = Σ_j (-1)^j (P[q-jω] - P[q-(j+1)ω]) = P[q] - 2P[q-ω] + 2P[q-2ω] - ...
//
// q/ω lookups per distinct weight instead of a deconvolution of the whole table per player. Swings
// are the same for the quota q and for W-q+1 (a coalition of the others is swung exactly when its
// complement among them is), so the table stops at min(q, W-q+1): for a quota of one half, at half
// the total weight. Players are added lightest first, so early passes are short, and each pass adds
// only the words its counts can reach (2^j after j players).

// genPlan is the cost of the generating function of a weighted game.
type genPlan struct {
	q     int64 // the bound: min(q, W-q+1)
	words int64
	work  int64
}

// planGenerating returns the plan for a core game, or false when it is not a plain weighted game.
func (c *core) planGenerating() (genPlan, bool) {
	q := c.quota
	if q < 1 || c.nVeto > 0 {
		return genPlan{}, false
	}
	total := sum(c.w)
	b := min(q, total-q+1)
	k := int64(wordsFor(c.n))
	nz := int64(0)
	for _, w := range c.w {
		if w > 0 && w < b {
			nz++
		}
	}
	return genPlan{q: b, words: k * b, work: nz*b*k/3 + 1}, true
}

// generating counts the Banzhaf swings of every class of a plain weighted game.
func (c *core) generating(p genPlan) *counts {
	out := &counts{cls: c.classes()}
	k := wordsFor(c.n)
	b := p.q
	var ws []int64
	zero := 0
	for _, w := range c.w {
		switch {
		case w == 0:
			zero++
		case w < b:
			ws = append(ws, w)
		}
	}
	slices.Sort(ws)
	cf := planes(k, int(b))
	cf[0][0] = 1
	top := int64(0)
	var dbuf, sbuf [8][]uint64
	for j, om := range ws {
		nt := min(top+om, b-1)
		kj := min(k, wordsFor(j+1))
		d := slicePlanes(cf, kj, int(om), int(nt+1), dbuf[:0])
		s := slicePlanes(cf, kj, 0, int(nt+1-om), sbuf[:0])
		addPlanes(d, s)
		out.work += int64(kj) * (nt - om + 1)
		top = nt
	}
	prefixSums(cf) // cf[v] is now P[v+1]
	at := func(a acc, x int64, neg bool) {
		if x <= 0 {
			return
		}
		if neg {
			a.subAt(cf, int(x-1))
		} else {
			a.addAt(cf, int(x-1))
		}
	}
	for _, cl := range out.cls {
		a := make(acc, k)
		if cl.w > 0 {
			for j := int64(0); b-j*cl.w > 0; j++ {
				odd := j%2 == 1
				at(a, b-j*cl.w, odd)
				at(a, b-(j+1)*cl.w, !odd)
			}
			// Each player of weight 0 doubles every count.
			for range zero {
				a.add(a)
			}
		}
		out.swings = append(out.swings, a)
	}
	out.method = fmt.Sprintf("generating function of coalition weights up to %s", group(b))
	return out
}
