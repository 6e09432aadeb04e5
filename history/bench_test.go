package history

import (
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"testing"

	"github.com/opencouncil/council/roster"
	"github.com/opencouncil/council/sqlite"
)

// The figures of docs/history.md: go test ./history/ -run '^$' -bench . -benchmem

// BenchmarkParse parses the whole record from the embedded tables and builds its indexes.
func BenchmarkParse(b *testing.B) {
	f, err := EmbeddedFiles()
	if err != nil {
		b.Fatal(err)
	}
	r := roster.Default()
	for b.Loop() {
		if _, err := Parse(f, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImport imports the whole record into a new SQLite store and verifies its chain: what
// `council history import` does after parsing.
func BenchmarkImport(b *testing.B) {
	h := mustDefault(b)
	ctx := context.Background()
	dir := b.TempDir()
	n := 0
	for b.Loop() {
		n++
		st, err := sqlite.Open(filepath.Join(dir, "council"+itoa(n)+".db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Import(ctx, st, h); err != nil {
			b.Fatal(err)
		}
		st.Close()
	}
}

// BenchmarkLoad reads the imported record back from the store.
func BenchmarkLoad(b *testing.B) {
	h := mustDefault(b)
	ctx := context.Background()
	st, err := sqlite.Open(filepath.Join(b.TempDir(), "council.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := Import(ctx, st, h); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Load(ctx, st); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQuery runs each query on the full record and writes its answer as JSON, as the API does.
func BenchmarkQuery(b *testing.B) {
	h := mustDefault(b)
	for _, q := range []struct {
		name string
		run  func() (any, error)
	}{
		{"vetoes-by-member", func() (any, error) { return h.VetoCounts("member") }},
		{"vetoes-by-year", func() (any, error) { return h.VetoCounts("year") }},
		{"vetoes-by-topic", func() (any, error) { return h.VetoCounts("topic") }},
		{"resolutions", func() (any, error) { return h.Years(), nil }},
		{"unanimous", func() (any, error) { return h.Unanimity(), nil }},
		{"failed", func() (any, error) { return h.Failed(0), nil }},
		{"meetings-topic", func() (any, error) { return h.MeetingsOn("korea", 0), nil }},
		{"meetings-all", func() (any, error) { return h.MeetingsOn("", 0), nil }},
		{"member", func() (any, error) { return h.Member("USA") }},
		{"check", func() (any, error) { return h.recheck(), nil }},
		{"whatif-no-veto", func() (any, error) { return h.WhatIf(Scenario{NoVeto: true}) }},
		{"whatif-threshold-1946", func() (any, error) { return h.WhatIf(Scenario{Threshold: "1946"}) }},
		{"whatif-abstain-USA", func() (any, error) { return h.WhatIf(Scenario{Abstain: []string{"USA"}}) }},
		{"whatif-all-votes", func() (any, error) { return h.WhatIf(Scenario{NoVeto: true, All: true}) }},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				v, err := q.run()
				if err != nil {
					b.Fatal(err)
				}
				if err := json.NewEncoder(io.Discard).Encode(v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
