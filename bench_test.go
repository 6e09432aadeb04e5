package council_test

import (
	"bytes"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/scenario"
)

// generated parses a generated 100,000-step scenario once per test binary.
func generated(b *testing.B, steps int) *scenario.Scenario {
	b.Helper()
	var buf bytes.Buffer
	if err := scenario.Generate(&buf, steps, 1); err != nil {
		b.Fatal(err)
	}
	sc, err := scenario.Parse(buf.Bytes(), "generated.yaml", scenario.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return sc
}

// BenchmarkDecideApply measures decide+apply on one core over a generated 100,000-step scenario; the
// commands/s metric is the figure the README reports.
func BenchmarkDecideApply(b *testing.B) {
	sc := generated(b, 100_000)
	cmds := make([]council.Command, len(sc.Steps))
	for i, st := range sc.Steps {
		cmds[i] = st.Command
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s, err := council.NewState(sc.Config)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range cmds {
			evs, err := s.Decide(c)
			if err != nil {
				b.Fatal(err)
			}
			for _, e := range evs {
				s.Apply(e)
			}
		}
	}
	b.ReportMetric(float64(len(cmds))*float64(b.N)/b.Elapsed().Seconds(), "commands/s")
}
