package power

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/opencouncil/council/bodies"
)

var update = flag.Bool("update", false, "rewrite testdata/w200.csv and testdata/w200.txt from the generator")

// w200 is the benchmark game: 200 players with random weights (seed 2026) summing to exactly
// 1,000,000, as in testdata/w200.csv.
func w200() (ids []string, weights []int64) {
	r := rand.New(rand.NewPCG(2026, 200))
	raw := make([]float64, 200)
	var sum float64
	for i := range raw {
		raw[i] = float64(1 + r.IntN(9999))
		sum += raw[i]
	}
	var total int64
	heaviest := 0
	for i, x := range raw {
		w := int64(x*1e6/sum + 0.5)
		weights = append(weights, max(w, 1))
		ids = append(ids, fmt.Sprintf("p%03d", i+1))
		total += weights[i]
		if weights[i] > weights[heaviest] {
			heaviest = i
		}
	}
	weights[heaviest] += 1_000_000 - total
	return ids, weights
}

func w200Game(t testing.TB, quota int64) *Game {
	ids, weights := w200()
	g, err := Weighted("w200", ids, weights, quota)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestW200File keeps testdata/w200.csv (id,weight, for council power --weights) and testdata/w200.txt
// (one weight per line, for EPIC's -w) in step with the generator; -update rewrites them.
func TestW200File(t *testing.T) {
	ids, weights := w200()
	var csv, txt bytes.Buffer
	csv.WriteString("id,weight\n")
	for i := range ids {
		fmt.Fprintf(&csv, "%s,%d\n", ids[i], weights[i])
		fmt.Fprintf(&txt, "%d\n", weights[i])
	}
	for name, want := range map[string][]byte{"testdata/w200.csv": csv.Bytes(), "testdata/w200.txt": txt.Bytes()} {
		if *update {
			if err := os.WriteFile(name, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator: run go test ./power -run W200File -update", name)
		}
	}
	if sum(weights) != 1_000_000 {
		t.Errorf("weights sum to %d, want 1,000,000", sum(weights))
	}
}

func benchCompute(b *testing.B, g *Game, opt Options) {
	b.ReportAllocs()
	opt.Method = Exact
	for b.Loop() {
		r, err := Compute(g, opt)
		if err != nil {
			b.Fatal(err)
		}
		if !r.Exact {
			b.Fatal("not exact")
		}
	}
}

// BenchmarkBanzhaf200: the raw, normalised and absolute Banzhaf indices of the 200-player game at a
// quota of 50% (500,000 of 1,000,000).
func BenchmarkBanzhaf200(b *testing.B) {
	benchCompute(b, w200Game(b, 500_000), Options{Indices: Banzhaf})
}

// BenchmarkShapley200q85: the Shapley-Shubik index of the 200-player game at a quota of 85%
// (850,000 of 1,000,000).
func BenchmarkShapley200q85(b *testing.B) {
	benchCompute(b, w200Game(b, 850_000), Options{Indices: ShapleyShubik})
}

// BenchmarkUNSC: every index of the Security Council's substantive decisions (1966 on).
func BenchmarkUNSC(b *testing.B) {
	body, err := bodies.Builtin("unsc")
	if err != nil {
		b.Fatal(err)
	}
	g, err := BodyGame(body, "substantive", "2024-01-01", nil)
	if err != nil {
		b.Fatal(err)
	}
	benchCompute(b, g, Options{Indices: All})
}

// BenchmarkElectoralCollege: the Banzhaf and Shapley-Shubik indices of the US Electoral College
// (51 players, 270 of 538).
func BenchmarkElectoralCollege(b *testing.B) {
	benchCompute(b, ElectoralCollege(), Options{Indices: Standard})
}
