package storetest

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// CPUMeter measures, for a benchmark, the CPU time this process and the whole machine spent per
// operation: the machine's figure takes in a database server on the same host, which is where the
// store's other half of the work is done.
type CPUMeter struct {
	self, machine time.Duration
}

// StartCPU reads both clocks now.
func StartCPU() CPUMeter { return CPUMeter{processCPU(), machineCPU()} }

// Report adds cpu-µs/op (this process) and, where /proc/stat can be read, machine-cpu-µs/op (every
// core's busy time) for n operations of the given name ("append" gives cpu-µs/append).
func (m CPUMeter) Report(b *testing.B, n int, op string) {
	if n <= 0 {
		return
	}
	per := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) / float64(n) }
	b.ReportMetric(per(processCPU()-m.self), "cpu-µs/"+op)
	if m.machine > 0 {
		b.ReportMetric(per(machineCPU()-m.machine), "machine-cpu-µs/"+op)
	}
}

// processCPU is the user and system time this process has used.
func processCPU() time.Duration {
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
