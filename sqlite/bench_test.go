package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/storetest"
)

// BenchmarkAppend measures durable appends per second through the store's group commit: each
// writer appends 1-event appends to a stream of its own.
func BenchmarkAppend(b *testing.B) { benchStore(b, false) }

// BenchmarkAppendKeyed is BenchmarkAppend with an idempotency key on every append, which the store
// looks up and indexes.
func BenchmarkAppendKeyed(b *testing.B) { benchStore(b, true) }

func benchStore(b *testing.B, keyed bool) {
	for _, writers := range storetest.BenchWriters {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s := MustOpen(b)
			storetest.BenchAppends(b, writers, keyed, func(ctx context.Context, a council.Append) error {
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
	for _, writers := range storetest.BenchWriters {
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
			storetest.BenchAppends(b, writers, false, func(ctx context.Context, a council.Append) error {
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

// BenchmarkRead measures reading a stream of 1,000,000 events, in events per second.
func BenchmarkRead(b *testing.B) {
	const events, per = 1_000_000, 1000
	s := MustOpen(b)
	for v := int64(0); v < events; v += per {
		evs := make([]council.EventData, per)
		for i := range evs {
			evs[i] = council.EventData{Type: "vote-taken", Data: storetest.BenchData}
		}
		if _, err := s.Append(context.Background(), council.Append{Stream: "big", Expected: v, Events: evs}); err != nil {
			b.Fatal(err)
		}
	}
	b.Run(fmt.Sprintf("events=%d", events), func(b *testing.B) {
		b.ReportAllocs()
		cpu := storetest.ProcessCPU()
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
		b.ReportMetric(float64(storetest.ProcessCPU()-cpu)/float64(events)/float64(b.N), "cpu-ns/event")
	})
}
