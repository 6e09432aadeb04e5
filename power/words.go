package power

import (
	"math"
	"math/big"
	"math/bits"
)

// Exact counts are kept as fixed-width unsigned integers of k 64-bit words, stored as k planes: plane t
// holds word t (least significant first) of every number in an array. Arithmetic is modulo 2^(64k),
// which is exact whenever the true result is below 2^(64k): every count the algorithms return is, so
// intermediate values may wrap (alternating sums do) without harm. Splitting the words into planes
// lets the counting tables touch only the words their values can reach so far: after j players no
// count exceeds 2^j, so the first 63 players add single words.

// wordsFor is how many 64-bit words hold a number of that many bits.
func wordsFor(nbits int) int { return max(1, (nbits+63)/64) }

// log2Binomial is log2 of C(n, k), from log-gamma; callers add a margin for its rounding.
func log2Binomial(n, k int) float64 {
	if k < 0 || k > n {
		return 0
	}
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return (a - b - c) / math.Ln2
}

// binomialWords is how many words hold C(n, k) for sure.
func binomialWords(n, k int) int {
	if n < 63 {
		return 1
	}
	return wordsFor(int(log2Binomial(n, k)) + 3)
}

// addPlanes adds the numbers of s to those of d, element by element, from the last to the first. d
// has at least as many planes as s (s is read as zero in the planes it lacks); every plane has the
// same length. Iterating downwards lets d and s be overlapping views of one array with d ahead of s:
// the in-place update c[w] += c[w-ω] of a generating function.
func addPlanes(d, s [][]uint64) {
	switch {
	case len(d) == 1:
		add11(d[0], s[0])
	case len(d) == 2 && len(s) == 1:
		add21(d[0], d[1], s[0])
	case len(d) == 2 && len(s) == 2:
		add22(d[0], d[1], s[0], s[1])
	case len(d) == 3 && len(s) == 2:
		add32(d[0], d[1], d[2], s[0], s[1])
	case len(d) == 3 && len(s) == 3:
		add33(d[0], d[1], d[2], s[0], s[1], s[2])
	case len(d) == 4 && len(s) == 3:
		add43(d[0], d[1], d[2], d[3], s[0], s[1], s[2])
	case len(d) == 4 && len(s) == 4:
		add44(d[0], d[1], d[2], d[3], s[0], s[1], s[2], s[3])
	default:
		addWide(d, s)
	}
}

func add11(d0, s0 []uint64) {
	s0 = s0[:len(d0)]
	for i := len(d0) - 1; i >= 0; i-- {
		d0[i] += s0[i]
	}
}

func add21(d0, d1, s0 []uint64) {
	d1 = d1[:len(d0)]
	s0 = s0[:len(d0)]
	for i := len(d0) - 1; i >= 0; i-- {
		var c uint64
		d0[i], c = bits.Add64(d0[i], s0[i], 0)
		d1[i] += c
	}
}

func add22(d0, d1, s0, s1 []uint64) {
	d1 = d1[:len(d0)]
	s0 = s0[:len(d0)]
	s1 = s1[:len(d0)]
	for i := len(d0) - 1; i >= 0; i-- {
		var c uint64
		d0[i], c = bits.Add64(d0[i], s0[i], 0)
		d1[i], _ = bits.Add64(d1[i], s1[i], c)
	}
}

func add32(d0, d1, d2, s0, s1 []uint64) {
	d1 = d1[:len(d0)]
	d2 = d2[:len(d0)]
	s0 = s0[:len(d0)]
	s1 = s1[:len(d0)]
	for i := len(d0) - 1; i >= 0; i-- {
		var c uint64
		d0[i], c = bits.Add64(d0[i], s0[i], 0)
		d1[i], c = bits.Add64(d1[i], s1[i], c)
		d2[i] += c
	}
}

func add33(d0, d1, d2, s0, s1, s2 []uint64) {
	d1 = d1[:len(d0)]
	d2 = d2[:len(d0)]
	s0 = s0[:len(d0)]
	s1 = s1[:len(d0)]
	s2 = s2[:len(d0)]
	for i := len(d0) - 1; i >= 0; i-- {
		var c uint64
		d0[i], c = bits.Add64(d0[i], s0[i], 0)
		d1[i], c = bits.Add64(d1[i], s1[i], c)
		d2[i], _ = bits.Add64(d2[i], s2[i], c)
	}
}

func add43(d0, d1, d2, d3, s0, s1, s2 []uint64) {
	d1 = d1[:len(d0)]
	d2 = d2[:len(d0)]
	d3 = d3[:len(d0)]
	s0 = s0[:len(d0)]
	s1 = s1[:len(d0)]
	s2 = s2[:len(d0)]
	for i := len(d0) - 1; i >= 0; i-- {
		var c uint64
		d0[i], c = bits.Add64(d0[i], s0[i], 0)
		d1[i], c = bits.Add64(d1[i], s1[i], c)
		d2[i], c = bits.Add64(d2[i], s2[i], c)
		d3[i] += c
	}
}

func add44(d0, d1, d2, d3, s0, s1, s2, s3 []uint64) {
	d1 = d1[:len(d0)]
	d2 = d2[:len(d0)]
	d3 = d3[:len(d0)]
	s0 = s0[:len(d0)]
	s1 = s1[:len(d0)]
	s2 = s2[:len(d0)]
	s3 = s3[:len(d0)]
	for i := len(d0) - 1; i >= 0; i-- {
		var c uint64
		d0[i], c = bits.Add64(d0[i], s0[i], 0)
		d1[i], c = bits.Add64(d1[i], s1[i], c)
		d2[i], c = bits.Add64(d2[i], s2[i], c)
		d3[i], _ = bits.Add64(d3[i], s3[i], c)
	}
}

// addWide is addPlanes for any widths.
func addWide(d, s [][]uint64) {
	n := len(d[0])
	for i := n - 1; i >= 0; i-- {
		var c uint64
		for t := range d {
			var x uint64
			if t < len(s) {
				x = s[t][i]
			}
			d[t][i], c = bits.Add64(d[t][i], x, c)
		}
	}
}

// prefixSums turns the numbers of one array into their running sums, in place.
func prefixSums(p [][]uint64) {
	n := len(p[0])
	if len(p) == 1 {
		p0 := p[0]
		for i := 1; i < n; i++ {
			p0[i] += p0[i-1]
		}
		return
	}
	for i := 1; i < n; i++ {
		var c uint64
		for t := range p {
			p[t][i], c = bits.Add64(p[t][i], p[t][i-1], c)
		}
	}
}

// acc is a number of a fixed width being summed, modulo 2^(64·len).
type acc []uint64

// addAt adds element i of the planes p (zero beyond their width, truncated beyond the accumulator's).
func (a acc) addAt(p [][]uint64, i int) {
	var c uint64
	for t := range a {
		var x uint64
		if t < len(p) {
			x = p[t][i]
		}
		a[t], c = bits.Add64(a[t], x, c)
	}
}

// subAt subtracts element i of the planes p.
func (a acc) subAt(p [][]uint64, i int) {
	var b uint64
	for t := range a {
		var x uint64
		if t < len(p) {
			x = p[t][i]
		}
		a[t], b = bits.Sub64(a[t], x, b)
	}
}

// add adds another number (zero beyond its width).
func (a acc) add(x []uint64) {
	var c uint64
	for t := range a {
		var y uint64
		if t < len(x) {
			y = x[t]
		}
		a[t], c = bits.Add64(a[t], y, c)
	}
}

// sub subtracts another number.
func (a acc) sub(x []uint64) {
	var b uint64
	for t := range a {
		var y uint64
		if t < len(x) {
			y = x[t]
		}
		a[t], b = bits.Sub64(a[t], y, b)
	}
}

// mulAdd adds x·y to the number, modulo 2^(64·len(a)) (schoolbook).
func (a acc) mulAdd(x, y []uint64) {
	for i, xi := range x {
		if xi == 0 || i >= len(a) {
			continue
		}
		var carry uint64
		for j := 0; i+j < len(a); j++ {
			var yj uint64
			if j < len(y) {
				yj = y[j]
			} else if carry == 0 {
				break
			}
			hi, lo := bits.Mul64(xi, yj)
			var c uint64
			lo, c = bits.Add64(lo, carry, 0)
			hi += c
			a[i+j], c = bits.Add64(a[i+j], lo, 0)
			carry = hi + c
		}
	}
}

// zero sets the number to 0.
func (a acc) zero() { clear(a) }

// big returns the number as a big.Int.
func (a acc) big() *big.Int { return wordsToBig(a) }

// wordsToBig reads little-endian 64-bit words as a non-negative integer.
func wordsToBig(w []uint64) *big.Int {
	if bits.UintSize == 64 {
		ws := make([]big.Word, len(w))
		for i, x := range w {
			ws[i] = big.Word(x)
		}
		return new(big.Int).SetBits(ws)
	}
	z := new(big.Int)
	for i := len(w) - 1; i >= 0; i-- {
		z.Lsh(z, 64)
		z.Or(z, new(big.Int).SetUint64(w[i]))
	}
	return z
}

// bigToWords writes a non-negative integer into k words, modulo 2^(64k).
func bigToWords(x *big.Int, k int) []uint64 {
	out := make([]uint64, k)
	var m big.Int
	m.Set(x)
	mask := new(big.Int).SetUint64(math.MaxUint64)
	var t big.Int
	for i := range out {
		t.And(&m, mask)
		out[i] = t.Uint64()
		m.Rsh(&m, 64)
	}
	return out
}

// planes allocates k planes of n words in one block.
func planes(k, n int) [][]uint64 {
	block := make([]uint64, k*n)
	p := make([][]uint64, k)
	for t := range p {
		p[t] = block[t*n : (t+1)*n : (t+1)*n]
	}
	return p
}

// slicePlanes views elements [from, to) of the first k planes.
func slicePlanes(p [][]uint64, k, from, to int, buf [][]uint64) [][]uint64 {
	buf = buf[:0]
	for t := range k {
		buf = append(buf, p[t][from:to])
	}
	return buf
}
