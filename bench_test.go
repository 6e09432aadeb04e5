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
	cfg := sc.Config
	cfg.Expect = len(cmds) // as scenario.Run does
	b.ReportAllocs()
	for b.Loop() {
		s, err := council.NewState(cfg)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range cmds {
			e, err := s.Decide(c)
			if err != nil {
				b.Fatal(err)
			}
			s.Apply(e)
		}
	}
	b.ReportMetric(float64(len(cmds))*float64(b.N)/b.Elapsed().Seconds(), "commands/s")
}

// BenchmarkDecideVote measures deciding one substantive vote of the 15 members (counting, explaining,
// finding the decisive members), the costliest command; the state is not changed.
func BenchmarkDecideVote(b *testing.B) {
	sc, err := scenario.Parse([]byte(`body: unsc
as_of: 2022-02-25
steps:
  - schedule: {meeting: m1, on: 2022-02-25, agenda: [Ukraine]}
  - draft: {id: d1, by: [USA, ALB], meeting: m1, title: "A draft"}
  - open: {meeting: m1}
  - adopt_agenda: {meeting: m1}
  - vote: {meeting: m1, on: d1, yes: rest, no: [RUS], abstain: [CHN, IND, ARE]}
`), "vote.yaml", scenario.Options{})
	if err != nil {
		b.Fatal(err)
	}
	s, err := council.NewState(sc.Config)
	if err != nil {
		b.Fatal(err)
	}
	for _, st := range sc.Steps[:4] {
		e, err := s.Decide(st.Command)
		if err != nil {
			b.Fatal(err)
		}
		s.Apply(e)
	}
	vote := sc.Steps[4].Command
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Decide(vote); err != nil {
			b.Fatal(err)
		}
	}
}
