package scenario_test

import (
	"bytes"
	"testing"

	"github.com/opencouncil/council/scenario"
)

// BenchmarkParseReplay measures parsing and replaying a generated 100,000-step scenario file, the whole
// of `council replay` but for printing.
func BenchmarkParseReplay(b *testing.B) {
	var buf bytes.Buffer
	if err := scenario.Generate(&buf, 100_000, 1); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		sc, err := scenario.Parse(data, "generated.yaml", scenario.Options{})
		if err != nil {
			b.Fatal(err)
		}
		r, err := sc.Run()
		if err != nil || r.Failed != nil {
			b.Fatal(err, r.Failed)
		}
	}
}
