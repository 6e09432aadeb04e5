package councils_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/councils"
	"github.com/opencouncil/council/scenario"
)

// loadEvents is how many events BenchmarkLoad loads: COUNCIL_LOAD_EVENTS, or a million.
func loadEvents() int {
	if n, err := strconv.Atoi(os.Getenv("COUNCIL_LOAD_EVENTS")); err == nil && n > 1 {
		return n
	}
	return 1_000_000
}

// BenchmarkLoad measures loading a council of loadEvents() events from an SQLite store into state: a
// fresh service reads the stream, decodes every event and applies it. The events are those of a
// generated scenario (meetings as the Council holds them), written in durable chunks of 1,000.
func BenchmarkLoad(b *testing.B) {
	ctx := context.Background()
	var buf bytes.Buffer
	events := loadEvents()
	if err := scenario.Generate(&buf, events-1, 1); err != nil {
		b.Fatal(err)
	}
	sc, err := scenario.Parse(buf.Bytes(), "generated.yaml", scenario.Options{})
	if err != nil {
		b.Fatal(err)
	}
	st := MustStore(b)
	svc := councils.NewService(st, nil)
	if err := svc.Create(ctx, "c", sc.Def); err != nil {
		b.Fatal(err)
	}
	for from := 0; from < len(sc.Steps); from += 1000 {
		cmds := make([]council.Command, 0, 1000)
		for _, s := range sc.Steps[from:min(from+1000, len(sc.Steps))] {
			cmds = append(cmds, s.Command)
		}
		if _, err := svc.DoBatch(ctx, "c", fmt.Sprint(from), cmds); err != nil {
			b.Fatal(err)
		}
	}
	n, _, err := st.Head(ctx, "c")
	if err != nil || n != int64(events) {
		b.Fatalf("%d events stored, want %d (%v)", n, events, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if v, err := councils.NewService(st, nil).Version(ctx, "c"); err != nil || v != n {
			b.Fatal(v, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
