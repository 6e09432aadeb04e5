package councils_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
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

// members2022 are the Security Council's members in February 2022, the date of ukraine-2022.yaml.
var members2022 = []string{"ALB", "BRA", "CHN", "FRA", "GAB", "GHA", "IND", "IRL", "KEN", "MEX", "NOR", "RUS", "ARE", "GBR", "USA"}

// setupSteps is how many steps of ukraine-2022.yaml openMeeting plays: up to an open meeting m8979
// with its agenda adopted, where every member may make statements.
const setupSteps = 4

// openMeeting creates council stream from ukraine-2022.yaml and plays its first steps, leaving meeting
// m8979 open; the council is then at version 1+setupSteps.
func openMeeting(tb testing.TB, svc *councils.Service, stream string) {
	tb.Helper()
	ctx := context.Background()
	sc := MustScenario(tb, "ukraine-2022.yaml")
	if err := svc.Create(ctx, stream, sc.Def); err != nil {
		tb.Fatal(err)
	}
	for _, step := range sc.Steps[:setupSteps] {
		if _, _, err := svc.Do(ctx, stream, "", step.Command); err != nil {
			tb.Fatalf("step %d: %v", step.N, err)
		}
	}
}

// statement is a command the rules accept whenever m8979 is open and by is a member.
func statement(by string, n int) council.Command {
	return &council.Statement{Meeting: "m8979", By: by, Text: fmt.Sprint("statement ", n)}
}

// BenchmarkDoConcurrent measures commands stored per second when many callers send commands to
// councils at once, as delegations of a server do: each sub-benchmark runs councils × 15 goroutines
// (one per member of each council), each doing Do with a statement and a key of its own, one after
// the other, on a real SQLite store. An op is one command, acknowledged once durable.
func BenchmarkDoConcurrent(b *testing.B) {
	for _, n := range []int{1, 17} {
		b.Run(fmt.Sprintf("councils=%d", n), func(b *testing.B) {
			ctx := context.Background()
			st := MustStore(b)
			svc := councils.NewService(st, nil)
			for c := range n {
				openMeeting(b, svc, fmt.Sprint("c", c))
			}
			var next atomic.Int64
			var failed atomic.Value
			b.ResetTimer()
			var wg sync.WaitGroup
			for c := range n {
				stream := fmt.Sprint("c", c)
				for _, m := range members2022 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
							if _, _, err := svc.Do(ctx, stream, fmt.Sprint(m, i), statement(m, int(i))); err != nil {
								failed.Store(err)
								return
							}
						}
					}()
				}
			}
			wg.Wait()
			b.StopTimer()
			if err := failed.Load(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commands/s")
		})
	}
}
