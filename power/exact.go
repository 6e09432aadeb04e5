package power

import (
	"fmt"
	"slices"
)

// counts is what an exact algorithm finds for each class of players: how many coalitions of the others
// each of its players turns from losing into winning, in all and by the coalition's size.
type counts struct {
	cls    []class
	swings []acc   // per class
	bySize [][]acc // per class and size m = 0..n-1; nil when only swings were counted
	method string
	work   int64 // word additions done
}

// sides is the choice the table method makes: count the game's coalitions, or its dual's (a coalition
// wins in the dual when its complement does not win in the game). Swings are the same in both, a
// coalition of m others becoming one of n-1-m, so the side whose thresholds are lower, and table
// smaller, is counted: for a quota of 85% the dual's 15%.
type sides struct {
	free    []int64 // weights of the players other than veto players
	need    []int64 // thresholds of the game of those players once the veto players joined
	dual    []int64 // thresholds of its dual
	useDual bool
	x       int64    // the table's bound
	xs      [2]int64 // the bounds of the game's and the dual's tables
	words   int64    // words it holds
	work    int64    // estimated word additions to build it
	sorted  []int64  // free, ascending
}

// plan works out the table method's side and cost without building anything.
func (c *core) plan() *sides {
	s := &sides{}
	for i := range c.n {
		if !c.veto[i] {
			s.free = append(s.free, c.w[i])
		}
	}
	nf := len(s.free)
	total := sum(s.free)
	s.need = make([]int64, nf+1)
	s.dual = make([]int64, nf+1)
	for k := range s.need {
		t := c.need[k+c.nVeto]
		switch {
		case t == Never:
			s.need[k] = Never
		default:
			s.need[k] = max(t-c.wVeto, 0)
		}
	}
	for k := range s.dual {
		switch t := s.need[nf-k]; {
		case t == Never:
			s.dual[k] = 0
		case t == 0:
			s.dual[k] = Never
		default:
			s.dual[k] = total - t + 1
		}
	}
	s.sorted = slices.Clone(s.free)
	slices.Sort(s.sorted)
	bound := func(need []int64) int64 {
		var x int64
		for _, t := range need {
			if t != Never {
				x = max(x, t)
			}
		}
		return x
	}
	xd, xs := bound(s.need), bound(s.dual)
	_, _, _, _, wd, cd := tableShape(s.sorted, xd)
	_, _, _, _, ws, cs := tableShape(s.sorted, xs)
	s.xs = [2]int64{xd, xs}
	s.x, s.words, s.work = xd, wd, cd
	if ws < wd {
		s.useDual, s.x, s.words, s.work = true, xs, ws, cs
	}
	return s
}

// byTable counts swings by size for every class of a game with the table of its players other than
// the veto players.
func (c *core) byTable(s *sides) *counts {
	t := newTable(s.free, s.x)
	nf := len(s.free)
	out := &counts{cls: c.classes(), work: t.work}
	side := "the game's"
	need := s.need
	if s.useDual {
		side, need = "its dual's", s.dual
	}
	out.method = fmt.Sprintf("counting table of %s coalitions by size and weight (%d cells)", side, t.cells())
	k := wordsFor(c.n)
	tmp := make([]acc, max(nf, 1)+1)
	for i := range tmp {
		tmp[i] = make(acc, t.kk)
	}
	for _, cl := range out.cls {
		by := make([]acc, c.n)
		block := make([]uint64, c.n*k)
		for m := range by {
			by[m] = block[m*k : (m+1)*k : (m+1)*k]
		}
		switch {
		case cl.veto:
			// A veto player turns exactly the coalitions that win once it joins: the other veto
			// players and k free players that the game lets win.
			for kf := 0; kf <= nf; kf++ {
				a := tmp[0]
				a.zero()
				if s.useDual {
					t.addP(a, nf-kf, need[nf-kf], false)
				} else if s.need[kf] != Never {
					a.add(t.tot[kf])
					t.addP(a, kf, s.need[kf], true)
				}
				by[c.nVeto-1+kf].add(a)
			}
		default:
			t.swingsBySize(cl.w, need, tmp[:nf])
			for m := range nf {
				src := tmp[m]
				if s.useDual {
					src = tmp[nf-1-m]
				}
				by[m+c.nVeto].add(src)
			}
		}
		sw := make(acc, k)
		for _, a := range by {
			sw.add(a)
		}
		out.bySize = append(out.bySize, by)
		out.swings = append(out.swings, sw)
	}
	return out
}

// cells is how many cells the table holds.
func (t *table) cells() int64 {
	var n int64
	for _, r := range t.rows {
		if r.hi >= r.lo {
			n += r.hi - r.lo + 1
		}
	}
	return n
}
