package power

import (
	"math/big"
	"math/bits"
)

// maxEnumerate is the most players whose 2^n coalitions are enumerated.
const maxEnumerate = 30

// byEnumeration visits every coalition in Gray-code order, one player in or out at each step, and
// finds in each winning coalition its critical players: every index, exactly, in O(2^n · n). It is
// how the indices built on minimal winning coalitions are found for games too varied for the
// closed form by types, and a second exact method to check the others against.
func (c *core) byEnumeration(cls []class, withMWC bool) (*counts, *mwc) {
	n := c.n
	rep := make([]int, len(cls)) // a player of each class
	for t, cl := range cls {
		rep[t] = cl.players[0]
	}
	swings := make([][]uint64, n) // by size of the coalition joined
	dpBy := make([][]uint64, n)   // minimal winning coalitions by size
	joBy := make([][]uint64, n)   // winning coalitions in which the player is critical, by critical players
	for i := range n {
		swings[i] = make([]uint64, n)
		dpBy[i] = make([]uint64, n+1)
		joBy[i] = make([]uint64, n+1)
	}
	var total uint64 // minimal winning coalitions
	vetoes := 0
	for i := range n {
		if c.veto[i] {
			vetoes++
		}
	}
	win := func(m int, w int64, missing int) bool {
		return missing == 0 && c.need[m] != Never && w >= c.need[m]
	}
	var mask uint64
	m, missing := 0, vetoes
	var w int64
	critBuf := make([]int, 0, n)
	for step := uint64(0); step < 1<<n; step++ {
		if step > 0 {
			i := bits.TrailingZeros64(step) // Gray code: flip player i
			if mask&(1<<i) == 0 {
				mask |= 1 << i
				m++
				w += c.w[i]
				if c.veto[i] {
					missing--
				}
			} else {
				mask &^= 1 << i
				m--
				w -= c.w[i]
				if c.veto[i] {
					missing++
				}
			}
		}
		if !win(m, w, missing) {
			continue
		}
		crit := critBuf[:0]
		for rest := mask; rest != 0; rest &= rest - 1 {
			j := bits.TrailingZeros64(rest)
			miss := missing
			if c.veto[j] {
				miss++
			}
			if !win(m-1, w-c.w[j], miss) {
				crit = append(crit, j)
			}
		}
		for _, j := range crit {
			swings[j][m-1]++
			joBy[j][len(crit)]++
		}
		if withMWC && len(crit) == m {
			total++
			for _, j := range crit {
				dpBy[j][m]++
			}
		}
	}
	k := wordsFor(n)
	out := &counts{cls: cls, method: "enumeration of all coalitions", work: int64(n) << n}
	var mw *mwc
	if withMWC {
		mw = newMWC(len(cls))
		mw.total.SetUint64(total)
	}
	for t := range cls {
		i := rep[t]
		by := make([]acc, n)
		sw := make(acc, k)
		for m, x := range swings[i] {
			by[m] = make(acc, k)
			by[m][0] = x
			sw.add(by[m])
		}
		out.bySize = append(out.bySize, by)
		out.swings = append(out.swings, sw)
		if withMWC {
			for s := 1; s <= n; s++ {
				if x := dpBy[i][s]; x > 0 {
					xb := new(big.Int).SetUint64(x)
					mw.pg[t].Add(mw.pg[t], xb)
					mw.dp[t].Add(mw.dp[t], new(big.Rat).SetFrac(xb, big.NewInt(int64(s))))
				}
				if x := joBy[i][s]; x > 0 {
					mw.jo[t].Add(mw.jo[t], new(big.Rat).SetFrac(new(big.Int).SetUint64(x), big.NewInt(int64(s))))
				}
			}
		}
	}
	return out, mw
}
