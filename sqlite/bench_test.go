package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/opencouncil/council"
)

// benchData is an event of about 200 bytes, like a council's events.
var benchData = []byte(`{"date":"2024-03-21","meeting":"S/PV.9584","draft":"S/2024/239","member":"GBR",` +
	`"vote":"yes","statement":"The United Kingdom votes in favour of the draft resolution before us today."}`)

var benchWriters = []int{1, 16, 256}

// BenchmarkAppend measures durable appends per second through the store's group commit: each
// writer appends 1-event appends to a stream of its own.
func BenchmarkAppend(b *testing.B) { benchStore(b, false) }

// BenchmarkAppendKeyed is BenchmarkAppend with an idempotency key on every append, which the store
// looks up and indexes.
func BenchmarkAppendKeyed(b *testing.B) { benchStore(b, true) }

func benchStore(b *testing.B, keyed bool) {
	for _, writers := range benchWriters {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s := MustOpen(b)
			benchAppends(b, writers, 8192, keyed, func(ctx context.Context, a council.Append) error {
				_, err := s.Append(ctx, a)
				return err
			})
		})
	}
}

// BenchmarkAppendBaseline measures the same appends with one transaction each and no group commit,
// the plain way: database/sql's pool opens a connection per writer, each runs BEGIN IMMEDIATE, the
// same statements on the same schema with the same PRAGMAs, and COMMIT.
func BenchmarkAppendBaseline(b *testing.B) { benchBaseline(b, 0) }

// BenchmarkAppendBaselineOneConn is the baseline on a single connection: the writers queue for it
// in database/sql instead of for SQLite's lock. It is the fastest one transaction per append gets.
func BenchmarkAppendBaselineOneConn(b *testing.B) { benchBaseline(b, 1) }

func benchBaseline(b *testing.B, conns int) {
	for _, writers := range benchWriters {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			db := openDB(filepath.Join(b.TempDir(), "baseline.db"), true)
			b.Cleanup(func() { _ = db.Close() })
			db.SetMaxOpenConns(conns)
			db.SetMaxIdleConns(max(conns, writers))
			if err := migrate(context.Background(), db); err != nil {
				b.Fatal(err)
			}
			w, err := newWriter(context.Background(), db)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = w.close() })
			benchAppends(b, writers, 1024, false, func(ctx context.Context, a council.Append) error {
				return oneTx(ctx, db, w.one, a)
			})
		})
	}
}

// oneTx makes one append in a transaction of its own.
func oneTx(ctx context.Context, db *sql.DB, one oneRow, a council.Append) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := one.in(ctx, tx).appendOne(ctx, a); err != nil {
		return err
	}
	return tx.Commit()
}

// benchAppends runs writers goroutines, each appending 1-event appends to a stream of its own, and
// reports durable appends per second and the process's CPU time per append. Each iteration makes at
// least total appends, spread over the writers.
func benchAppends(b *testing.B, writers, total int, keyed bool, appendOne func(context.Context, council.Append) error) {
	per := max(1, (total+writers-1)/writers)
	next := make([]int64, writers) // each writer's stream version
	streams := make([]string, writers)
	for w := range streams {
		streams[w] = fmt.Sprintf("bench-%d", w)
	}
	var elapsed time.Duration
	count := 0
	cpu := cpuTime()
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := range writers {
			wg.Go(func() {
				for range per {
					a := council.Append{
						Stream:   streams[w],
						Expected: next[w],
						Events:   []council.EventData{{Type: "vote-taken", Data: benchData}},
					}
					if keyed {
						a.Key = fmt.Sprintf("w%d-%d", w, next[w])
					}
					if err := appendOne(context.Background(), a); err != nil {
						errs <- err
						return
					}
					next[w]++
				}
			})
		}
		wg.Wait()
		elapsed += time.Since(start)
		count += per * writers
		select {
		case err := <-errs:
			b.Fatal(err)
		default:
		}
	}
	b.ReportMetric(float64(count)/elapsed.Seconds(), "appends/s")
	b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Microsecond)/float64(count), "cpu-µs/append")
}

// BenchmarkRead measures reading a stream of 1,000,000 events, in events per second.
func BenchmarkRead(b *testing.B) {
	const events, per = 1_000_000, 1000
	s := MustOpen(b)
	for v := int64(0); v < events; v += per {
		evs := make([]council.EventData, per)
		for i := range evs {
			evs[i] = council.EventData{Type: "vote-taken", Data: benchData}
		}
		if _, err := s.Append(context.Background(), council.Append{Stream: "big", Expected: v, Events: evs}); err != nil {
			b.Fatal(err)
		}
	}
	b.Run(fmt.Sprintf("events=%d", events), func(b *testing.B) {
		b.ReportAllocs()
		cpu := cpuTime()
		for range b.N {
			n := 0
			err := s.Read(context.Background(), "big", 0, func(council.StoredEvent) error {
				n++
				return nil
			})
			if err != nil || n != events {
				b.Fatalf("read %d events: %v", n, err)
			}
		}
		b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		b.ReportMetric(float64(cpuTime()-cpu)/float64(events)/float64(b.N), "cpu-ns/event")
	})
}

// cpuTime is the CPU time the process has used, in user and system mode.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
