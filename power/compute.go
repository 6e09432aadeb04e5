package power

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// Index is a set of power indices.
type Index uint8

// The indices. Banzhaf brings the raw swings, the normalised and the absolute (Penrose) index.
const (
	Banzhaf Index = 1 << iota
	ShapleyShubik
	DeeganPackel
	PublicGood
	Johnston

	// Standard is the default: Banzhaf and Shapley-Shubik.
	Standard = Banzhaf | ShapleyShubik
	// All is every index; those built on minimal winning coalitions only where the game is small.
	All        = Banzhaf | ShapleyShubik | DeeganPackel | PublicGood | Johnston
	mwcIndices = DeeganPackel | PublicGood | Johnston
)

// ParseIndex reads an index set as the command line names it: banzhaf, shapley-shubik, deegan-packel,
// public-good, johnston, all, or several of them separated by commas.
func ParseIndex(s string) (Index, error) {
	var x Index
	for part := range strings.SplitSeq(s, ",") {
		switch strings.ToLower(strings.TrimSpace(part)) {
		case "banzhaf", "bz":
			x |= Banzhaf
		case "shapley-shubik", "shapley", "ss":
			x |= ShapleyShubik
		case "deegan-packel", "dp":
			x |= DeeganPackel
		case "public-good", "holler", "pg":
			x |= PublicGood
		case "johnston", "j":
			x |= Johnston
		case "all":
			x |= All
		default:
			return 0, fmt.Errorf("unknown index %q (want banzhaf, shapley-shubik, deegan-packel, public-good, johnston or all)", part)
		}
	}
	return x, nil
}

// Method says how Compute may work.
type Method uint8

// The methods.
const (
	Auto     Method = iota // exact within the budget, else a Monte Carlo estimate
	Exact                  // exact, or an error when it would exceed the budget
	Estimate               // a Monte Carlo estimate
)

// Defaults of Options.
const (
	DefaultBudget  = 2e10    // word additions: about 20 s on one core (a word addition takes about 1 ns)
	DefaultMemory  = 4 << 30 // bytes
	DefaultSamples = 1_000_000
)

// Options say what Compute computes and how far it may go.
type Options struct {
	Indices Index  // 0 means Standard
	Method  Method // Auto: exact within the budget, else estimated
	// Budget is the most work, in 64-bit word additions, done exactly before an estimate is made
	// instead; 0 means DefaultBudget. Memory bounds the tables, in bytes; 0 means DefaultMemory.
	Budget, Memory int64
	// Samples and Seed drive the Monte Carlo estimate; Confidence is the level of its intervals
	// (0 means 0.95).
	Samples    int
	Seed       uint64
	Confidence float64
}

// ErrBudget is the error of an exact computation that would exceed its budget.
var ErrBudget = errors.New("exact computation exceeds the budget")

// Value is one index of one player: an exact rational, or an estimate with its confidence interval.
type Value struct {
	Exact     *big.Rat // nil for an estimate
	Float     float64
	Low, High float64 // the interval of an estimate; both Float when exact
}

// PlayerPower is a player's indices; nil for those not computed.
type PlayerPower struct {
	Player
	Swings *big.Int // the raw Banzhaf index: coalitions of the others this player turns into winning ones
	Banzhaf, AbsoluteBanzhaf, ShapleyShubik,
	DeeganPackel, PublicGood, Johnston *Value
}

// Result is the power of each player of a game.
type Result struct {
	Game    *Game
	Indices Index  // those computed
	Exact   bool   // false when estimated by Monte Carlo
	Method  string // the algorithms used, in words
	Work    int64  // word additions done (or estimated) by the exact algorithms
	Took    time.Duration
	Players []PlayerPower
	// TotalSwings is the sum of the players' swings (exact results).
	TotalSwings *big.Int
	// MinimalWinning is the number of minimal winning coalitions, when counted.
	MinimalWinning *big.Int
	// Samples and Confidence describe an estimate.
	Samples    int
	Confidence float64
	// Notes says what was not computed, and why.
	Notes []string
}

// typesLimit bounds the count vectors × classes of the closed form by player types.
const typesLimit = 1 << 18

// Compute finds the players' power in a game: exactly when the work fits the budget, else, unless
// the options ask for exact results, by a Monte Carlo estimate that the result says is one.
func Compute(g *Game, opt Options) (*Result, error) {
	start := time.Now()
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if opt.Indices == 0 {
		opt.Indices = Standard
	}
	if opt.Budget <= 0 {
		opt.Budget = DefaultBudget
	}
	if opt.Memory <= 0 {
		opt.Memory = DefaultMemory
	}
	if opt.Samples <= 0 {
		opt.Samples = DefaultSamples
	}
	if opt.Confidence <= 0 || opt.Confidence >= 1 {
		opt.Confidence = 0.95
	}
	c := newCore(g)
	cls := c.classes()
	res := &Result{Game: g, Exact: true}
	wantBZ, wantSS, wantMWC := opt.Indices&Banzhaf != 0, opt.Indices&ShapleyShubik != 0, opt.Indices&mwcIndices != 0
	var (
		cnt *counts
		mw  *mwc
	)
	types := c.vectors(cls) * int64(len(cls))
	switch {
	case opt.Method == Estimate:
	case types <= typesLimit:
		cnt, mw = c.byTypes(cls, wantMWC)
	case wantBZ || wantSS:
		var work, memory int64
		var run func() *counts
		s := c.plan()
		gp, weighted := c.planGenerating()
		if !wantSS && weighted {
			work, memory, run = gp.work, gp.words*8, func() *counts { return c.generating(gp) }
		} else {
			work, memory, run = s.work, s.words*8, func() *counts { return c.byTable(s) }
		}
		switch {
		case work <= opt.Budget && memory <= opt.Memory:
			cnt = run()
		case opt.Method == Exact:
			return nil, fmt.Errorf("%w: about %.3g word additions and %s of tables, over the budget of %.3g and %s",
				ErrBudget, float64(work), bytesText(memory), float64(opt.Budget), bytesText(opt.Memory))
		default:
			res.Work = work
			res.Notes = append(res.Notes, fmt.Sprintf("exact counting would take about %.3g word additions and %s of tables, over the budget of %.3g and %s: estimated instead",
				float64(work), bytesText(memory), float64(opt.Budget), bytesText(opt.Memory)))
		}
	}
	estimated := opt.Method == Estimate || (cnt == nil && (wantBZ || wantSS))
	if wantMWC && mw == nil {
		switch {
		case estimated:
			res.Notes = append(res.Notes, "Deegan-Packel, Public Good and Johnston indices are not estimated: only computed exactly")
			opt.Indices &^= mwcIndices
		case c.n <= maxEnumerate && int64(c.n)<<c.n <= opt.Budget:
			var e *counts
			e, mw = c.byEnumeration(cls, true)
			if cnt == nil && !(wantBZ || wantSS) {
				cnt = e
			}
		default:
			res.Notes = append(res.Notes, fmt.Sprintf("Deegan-Packel, Public Good and Johnston indices not computed: %d players with %d kinds are too many to enumerate minimal winning coalitions (at most %d players)",
				c.n, len(cls), min(maxEnumerate, maxEnumerable(opt.Budget))))
			opt.Indices &^= mwcIndices
		}
	}
	res.Players = make([]PlayerPower, c.n)
	for i, p := range g.Players {
		res.Players[i].Player = p
	}
	if cnt != nil {
		res.Method, res.Work = cnt.method, cnt.work
		res.fill(c, cnt, opt.Indices&(Banzhaf|ShapleyShubik))
	} else if wantBZ || wantSS {
		est := c.monteCarlo(opt.Samples, opt.Seed, wantBZ, wantSS, quantile(opt.Confidence))
		res.Exact, res.Samples, res.Confidence = false, opt.Samples, opt.Confidence
		res.Method = fmt.Sprintf("Monte Carlo estimate from %d samples (seed %d), %g%% intervals", opt.Samples, opt.Seed, opt.Confidence*100)
		res.fillEstimate(est, wantBZ, wantSS)
	}
	if mw != nil {
		res.fillMWC(cls, mw, opt.Indices&mwcIndices)
		if cnt != nil && !strings.Contains(res.Method, "enumeration") && c.vectors(cls)*int64(len(cls)) > typesLimit {
			res.Method += "; minimal winning coalitions by enumeration"
		}
	}
	res.Indices = opt.Indices
	if !res.Exact {
		res.Indices &^= mwcIndices
	}
	res.Took = time.Since(start)
	return res, nil
}

// maxEnumerable is the most players whose coalitions the budget lets enumerate.
func maxEnumerable(budget int64) int {
	n := 1
	for n < 62 && int64(n+1)<<(n+1) <= budget {
		n++
	}
	return n
}

func bytesText(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	default:
		return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
	}
}

// exactValue makes a Value of an exact rational.
func exactValue(r *big.Rat) *Value {
	f, _ := r.Float64()
	return &Value{Exact: r, Float: f, Low: f, High: f}
}

// fill sets the Banzhaf and Shapley-Shubik indices from exact counts.
func (r *Result) fill(c *core, cnt *counts, which Index) {
	n := c.n
	total := new(big.Int)
	sw := make([]*big.Int, len(cnt.cls))
	for t, cl := range cnt.cls {
		sw[t] = cnt.swings[t].big()
		total.Add(total, new(big.Int).Mul(sw[t], big.NewInt(int64(len(cl.players)))))
	}
	// Shapley-Shubik numerators, Σ_m swings(m)·m!(n-1-m)!, are at most n!: summed in that many
	// words, then made one big.Int per class.
	var ssw [][]uint64
	var nfact *big.Int
	if which&ShapleyShubik != 0 {
		var f []*big.Int
		f, nfact = ssWeights(n)
		width := wordsFor(nfact.BitLen() + 1)
		ssw = make([][]uint64, n)
		for m := range f {
			ssw[m] = bigToWords(f[m], width)
		}
	}
	half := new(big.Int).Lsh(big.NewInt(1), uint(n-1))
	if which&Banzhaf != 0 {
		r.TotalSwings = total
	}
	for t, cl := range cnt.cls {
		var bz, abz, ss *Value
		if which&Banzhaf != 0 {
			abz = exactValue(new(big.Rat).SetFrac(sw[t], half))
			if total.Sign() > 0 {
				bz = exactValue(new(big.Rat).SetFrac(sw[t], total))
			} else {
				bz = exactValue(new(big.Rat))
			}
		}
		if which&ShapleyShubik != 0 {
			num := make(acc, len(ssw[0]))
			for m, a := range cnt.bySize[t] {
				num.mulAdd(a, ssw[m])
			}
			ss = exactValue(new(big.Rat).SetFrac(num.big(), nfact))
		}
		for _, i := range cl.players {
			p := &r.Players[i]
			if which&Banzhaf != 0 {
				p.Swings, p.Banzhaf, p.AbsoluteBanzhaf = sw[t], bz, abz
			}
			p.ShapleyShubik = ss
		}
	}
}

func isZero(a acc) bool {
	for _, x := range a {
		if x != 0 {
			return false
		}
	}
	return true
}

// fillMWC sets the indices built on minimal winning coalitions and critical players.
func (r *Result) fillMWC(cls []class, mw *mwc, which Index) {
	pgTotal, joTotal := new(big.Int), new(big.Rat)
	for t, cl := range cls {
		k := big.NewInt(int64(len(cl.players)))
		pgTotal.Add(pgTotal, new(big.Int).Mul(mw.pg[t], k))
		joTotal.Add(joTotal, new(big.Rat).Mul(mw.jo[t], new(big.Rat).SetInt(k)))
	}
	r.MinimalWinning = mw.total
	for t, cl := range cls {
		var dp, pg, jo *Value
		if which&DeeganPackel != 0 {
			dp = ratio(mw.dp[t], new(big.Rat).SetInt(mw.total))
		}
		if which&PublicGood != 0 {
			pg = ratio(new(big.Rat).SetInt(mw.pg[t]), new(big.Rat).SetInt(pgTotal))
		}
		if which&Johnston != 0 {
			jo = ratio(mw.jo[t], joTotal)
		}
		for _, i := range cl.players {
			p := &r.Players[i]
			p.DeeganPackel, p.PublicGood, p.Johnston = dp, pg, jo
		}
	}
}

// ratio is a/b as a Value, 0 when b is 0.
func ratio(a, b *big.Rat) *Value {
	if b.Sign() == 0 {
		return exactValue(new(big.Rat))
	}
	return exactValue(new(big.Rat).Quo(a, b))
}

// fillEstimate sets the indices from a Monte Carlo estimate.
func (r *Result) fillEstimate(e *estimate, wantBZ, wantSS bool) {
	var sum float64
	for _, x := range e.bz {
		sum += float64(x) / float64(e.samples)
	}
	for i := range r.Players {
		p := &r.Players[i]
		if wantBZ {
			f := float64(e.bz[i]) / float64(e.samples)
			lo, hi := wilson(e.bz[i], e.samples, e.z)
			p.AbsoluteBanzhaf = &Value{Float: f, Low: lo, High: hi}
			if sum > 0 {
				// The normalised index divides by the estimated total: its interval is the absolute
				// index's, scaled (an approximation).
				p.Banzhaf = &Value{Float: f / sum, Low: lo / sum, High: min(1, hi/sum)}
			} else {
				p.Banzhaf = &Value{}
			}
		}
		if wantSS {
			f := float64(e.ss[i]) / float64(e.samples)
			lo, hi := wilson(e.ss[i], e.samples, e.z)
			p.ShapleyShubik = &Value{Float: f, Low: lo, High: hi}
		}
	}
}
