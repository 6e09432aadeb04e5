package power

import (
	"slices"
)

// table counts the coalitions of a set of players by size and weight: cell (r, v) is the number of
// coalitions of r players weighing v, the coefficient of y^r x^v in the generating function
// ∏(1 + y·x^w_i), for weights below a bound x. Each row is kept only where coalitions of its size can
// weigh (from the r lightest players' weight to the r heaviest's), then turned into running sums so
// that P(r, x), the number of coalitions of r players weighing less than x, is one lookup.
//
// The coalitions of every player but i are never tabled: with c the table of all players,
// c_{-i}[r][v] = c[r][v] - c_{-i}[r-1][v-w_i], so any window sum of c_{-i} is an alternating sum of
// lookups P(r-j, x-j·w_i) (the deconvolution of Uno 2012 and Kurz 2016, summed in closed form).
type table struct {
	n    int
	rows []tableRow
	kk   int        // width of the numbers summed from the table: C(n, r) fits
	tot  [][]uint64 // C(n, r), in kk words
	work int64      // word additions done building it
}

type tableRow struct {
	lo, hi int64 // the cells held: weights lo to hi (none when hi < lo)
	max    int64 // the largest weight of r players
	p      [][]uint64
}

// tableShape returns the rows' bounds for these weights (ascending) below x, the cells and words
// they hold, and an estimate of the word additions that building the table takes.
func tableShape(w []int64, x int64) (lo, hi, mx []int64, cells, words, work int64) {
	n := len(w)
	lo, hi, mx = make([]int64, n+1), make([]int64, n+1), make([]int64, n+1)
	for r := 1; r <= n; r++ {
		lo[r] = lo[r-1] + w[r-1]
		mx[r] = mx[r-1] + w[n-r]
	}
	for r := range hi {
		hi[r] = min(mx[r], x-1)
		if hi[r] >= lo[r] {
			k := int64(binomialWords(n, r))
			cells += hi[r] - lo[r] + 1
			words += k * (hi[r] - lo[r] + 1)
		}
	}
	// Player j updates each row up to what j players can weigh, in the words its counts reach: about
	// half the table's words per player, as measured.
	work = words*int64(n)/2 + 1
	return lo, hi, mx, cells, words, work
}

// newTable builds the table of coalitions of players with these weights, weighing less than x.
func newTable(weights []int64, x int64) *table {
	w := slices.Clone(weights)
	slices.Sort(w)
	n := len(w)
	lo, hi, mx, _, _, _ := tableShape(w, x)
	t := &table{n: n, rows: make([]tableRow, n+1), kk: wordsFor(n + 1)}
	// One block holds every row's planes.
	var words, heads int
	width := make([]int, n+1)
	for r := range width {
		if hi[r] >= lo[r] {
			width[r] = binomialWords(n, r)
			words += width[r] * int(hi[r]-lo[r]+1)
			heads += width[r]
		}
	}
	block, head := make([]uint64, words), make([][]uint64, heads)
	for r := range t.rows {
		row := tableRow{lo: lo[r], hi: hi[r], max: mx[r]}
		if k := width[r]; k > 0 {
			row.p, head = head[:k:k], head[k:]
			size := int(hi[r] - lo[r] + 1)
			for i := range k {
				row.p[i], block = block[:size:size], block[size:]
			}
		}
		t.rows[r] = row
	}
	// cur[r] is the heaviest coalition of r players counted so far (below lo[r]: none yet).
	cur := make([]int64, n+1)
	for r := range cur {
		cur[r] = lo[r] - 1
	}
	if t.rows[0].p != nil {
		t.rows[0].p[0][0] = 1
		cur[0] = 0
	}
	var dbuf, sbuf [8][]uint64
	for j := 1; j <= n; j++ {
		om := w[j-1]
		for r := min(j-1, n-1); r >= 0; r-- {
			src, dst := &t.rows[r], &t.rows[r+1]
			if cur[r] < src.lo || dst.p == nil {
				continue
			}
			from, to := src.lo+om, min(cur[r]+om, dst.hi) // the cells of row r+1 to update
			if to < from {
				continue
			}
			// Counts of r+1 of the first j players are at most C(j, r+1): only the words they reach.
			kd := min(len(dst.p), binomialWords(j, r+1))
			ks := min(len(src.p), binomialWords(j-1, r), kd)
			d := slicePlanes(dst.p, kd, int(from-dst.lo), int(to-dst.lo+1), dbuf[:0])
			s := slicePlanes(src.p, ks, int(from-om-src.lo), int(to-om-src.lo+1), sbuf[:0])
			addPlanes(d, s)
			t.work += int64(kd) * (to - from + 1)
			cur[r+1] = max(cur[r+1], to)
		}
	}
	for r := range t.rows {
		if p := t.rows[r].p; p != nil {
			prefixSums(p)
		}
	}
	t.tot = make([][]uint64, n+1)
	for r, b := range binomials(n) {
		t.tot[r] = bigToWords(b, t.kk)
	}
	return t
}

// addP adds to a, or subtracts when neg, the number of coalitions of r players weighing less than x
// (x may be Never: all of them).
func (t *table) addP(a acc, r int, x int64, neg bool) {
	if r < 0 || r > t.n {
		return
	}
	row := &t.rows[r]
	switch {
	case x <= row.lo:
		return
	case x == Never || x > row.max:
		if neg {
			a.sub(t.tot[r])
		} else {
			a.add(t.tot[r])
		}
		return
	}
	i := int(x - 1 - row.lo) // x-1 <= hi: callers ask only below the table's bound
	if neg {
		a.subAt(row.p, i)
	} else {
		a.addAt(row.p, i)
	}
}

// swingsBySize sets out[m], for m from 0 to n-1, to the number of coalitions of m of the table's
// players other than one player of weight om that this player turns from losing into winning, in the
// game where k of these players win with weight need[k] (Never: never). The player must be one of the
// table's players.
func (t *table) swingsBySize(om int64, need []int64, out []acc) {
	if t.kk == 1 {
		t.swingsBySize1(om, need, out)
		return
	}
	for m := 0; m < t.n; m++ {
		a := out[m]
		a.zero()
		if need[m+1] == Never {
			continue // m others and the player never win
		}
		hi, lo := need[m], need[m+1]-om // the others weigh at least lo, and less than hi
		if hi != Never && hi <= lo {
			continue
		}
		for j := 0; j <= m; j++ {
			h, l := hi, lo-int64(j)*om
			if h != Never {
				h -= int64(j) * om
				if h <= 0 {
					break
				}
			}
			odd := j%2 == 1
			t.addP(a, m-j, h, odd)
			t.addP(a, m-j, l, !odd)
		}
	}
}

// winningBySize sets out[k] to the number of coalitions of k of the table's players that win, k
// players winning with weight need[k].
func (t *table) winningBySize(need []int64, out []acc) {
	for k := 0; k <= t.n; k++ {
		a := out[k]
		a.zero()
		if need[k] == Never {
			continue
		}
		a.add(t.tot[k])
		t.addP(a, k, need[k], true)
	}
}

// swingsBySize1 is swingsBySize for counts of one word (fewer than 63 players), in plain arithmetic.
func (t *table) swingsBySize1(om int64, need []int64, out []acc) {
	p := func(r int, x int64) uint64 {
		if r < 0 {
			return 0
		}
		row := &t.rows[r]
		switch {
		case x <= row.lo:
			return 0
		case x == Never || x > row.max:
			return t.tot[r][0]
		}
		return row.p[0][x-1-row.lo]
	}
	for m := 0; m < t.n; m++ {
		out[m][0] = 0
		if need[m+1] == Never {
			continue
		}
		hi, lo := need[m], need[m+1]-om
		if hi != Never && hi <= lo {
			continue
		}
		var a uint64
		for j := 0; j <= m; j++ {
			h, l := hi, lo-int64(j)*om
			if h != Never {
				h -= int64(j) * om
				if h <= 0 {
					break
				}
			}
			if j%2 == 0 {
				a += p(m-j, h) - p(m-j, l)
			} else {
				a -= p(m-j, h) - p(m-j, l)
			}
		}
		out[m][0] = a
	}
}
