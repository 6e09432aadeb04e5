package storetest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/opencouncil/council"
)

// BenchWriters are the numbers of concurrent writers the append benchmarks run with.
var BenchWriters = []int{1, 16, 256}

// BenchData is an event of about 200 bytes, as one command produces.
var BenchData = []byte(`{"date":"2024-03-21","meeting":"S/PV.9584","draft":"S/2024/239","member":"GBR",` +
	`"vote":"yes","statement":"The United Kingdom votes in favour of the draft resolution before us today."}`)

// BenchAppends measures a steady load of durable appends: writers goroutines, each appending
// one-event appends to a stream of its own (with an idempotency key on each if keyed), make b.N
// appends in all, each taking the next from a shared count, so no writer waits for the others
// between iterations. It reports appends/s and the CPU per append (see CPUMeter).
func BenchAppends(b *testing.B, writers int, keyed bool, appendOne func(context.Context, council.Append) error) {
	ctx := context.Background()
	var left atomic.Int64
	left.Store(int64(b.N))
	var wg sync.WaitGroup
	b.ResetTimer()
	cpu := StartCPU()
	for w := range writers {
		wg.Go(func() {
			stream := fmt.Sprintf("bench-%03d", w)
			for version := int64(0); left.Add(-1) >= 0; version++ {
				a := council.Append{Stream: stream, Expected: version, Events: []council.EventData{{Type: "vote-taken", Data: BenchData}}}
				if keyed {
					a.Key = fmt.Sprintf("w%d-%d", w, version)
				}
				if err := appendOne(ctx, a); err != nil {
					b.Errorf("append: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
	cpu.Report(b, b.N, "append")
}

// CPUMeter measures, for a benchmark, the CPU time this process and the whole machine spent per
// operation: the machine's figure takes in a database server on the same host, which is where the
// store's other half of the work is done.
type CPUMeter struct {
	self, machine time.Duration
}

// StartCPU reads both clocks now.
func StartCPU() CPUMeter { return CPUMeter{ProcessCPU(), machineCPU()} }

// Report adds cpu-µs/op (this process) and, where /proc/stat can be read, machine-cpu-µs/op (every
// core's busy time) for n operations of the given name ("append" gives cpu-µs/append).
func (m CPUMeter) Report(b *testing.B, n int, op string) {
	if n <= 0 {
		return
	}
	per := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) / float64(n) }
	b.ReportMetric(per(ProcessCPU()-m.self), "cpu-µs/"+op)
	if m.machine > 0 {
		b.ReportMetric(per(machineCPU()-m.machine), "machine-cpu-µs/"+op)
	}
}

// ProcessCPU is the user and system time this process has used.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// machineCPU is the busy time of all cores from /proc/stat (user, nice, system, irq, softirq, steal
// are busy; idle and iowait are not), or 0 where there is none.
func machineCPU() time.Duration {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return 0
	}
	fields := strings.Fields(sc.Text())
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0
	}
	var ticks int64
	for _, i := range []int{1, 2, 3, 6, 7, 8} {
		n, err := strconv.ParseInt(fields[i], 10, 64)
		if err != nil {
			return 0
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks
}

// clockTicks is USER_HZ, the unit of /proc/stat: 100 on every Linux architecture Go supports.
const clockTicks = 100
