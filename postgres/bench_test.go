package postgres

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/storetest"
)

// BenchmarkAppend measures durable appends through the group committer.
func BenchmarkAppend(b *testing.B) {
	for _, writers := range storetest.BenchWriters {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s := MustOpen(b)
			storetest.BenchAppends(b, writers, false, func(ctx context.Context, a council.Append) error {
				_, err := s.Append(ctx, a)
				return err
			})
		})
	}
}

// BenchmarkAppendBaseline measures the same load with one transaction per append, no group commit:
// each writer runs the batch writer on a batch of one, over the store's connection pool.
func BenchmarkAppendBaseline(b *testing.B) {
	for _, writers := range storetest.BenchWriters {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s := MustOpen(b)
			storetest.BenchAppends(b, writers, false, func(ctx context.Context, a council.Append) error {
				outs, err := s.write(ctx, []council.Append{a})
				if err != nil {
					return err
				}
				return outs[0].Err
			})
		})
	}
}

// readEvents is the size of the stream BenchmarkRead reads.
const readEvents = 1_000_000

var readStore struct {
	once sync.Once
	url  string
	err  error
}

// BenchmarkRead reads a stream of a million events, in order, as loading a council does.
func BenchmarkRead(b *testing.B) {
	readStore.once.Do(func() { readStore.url, readStore.err = buildReadStream(b) })
	if readStore.err != nil {
		b.Fatal(readStore.err)
	}
	s := mustOpenURL(b, readStore.url)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		var n, size int
		err := s.Read(ctx, "big", 0, func(e council.StoredEvent) error {
			n++
			size += len(e.Data)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if n != readEvents {
			b.Fatalf("read %d events, want %d", n, readEvents)
		}
	}
	b.ReportMetric(float64(b.N*readEvents)/b.Elapsed().Seconds(), "events/s")
}

// buildReadStream writes the million-event stream with COPY into a schema that lives until the test
// binary ends (see TestMain).
func buildReadStream(b *testing.B) (string, error) {
	u := sharedSchema(b)
	s, err := Open(context.Background(), u)
	if err != nil {
		return "", err
	}
	defer s.Close()
	var prev [32]byte
	evs := make([]council.StoredEvent, 0, readEvents)
	for v := int64(0); v < readEvents; v += 1000 {
		batch := make([]council.EventData, 1000)
		for i := range batch {
			batch[i] = council.EventData{Type: "vote-taken", Data: storetest.BenchData}
		}
		sealed := council.Seal("big", v, prev, "", batch)
		prev = sealed[len(sealed)-1].Hash
		evs = append(evs, sealed...)
	}
	ctx := context.Background()
	_, err = s.pool.CopyFrom(ctx, pgx.Identifier{"events"}, []string{"stream", "version", "type", "data", "hash", "size"},
		pgx.CopyFromSlice(len(evs), func(i int) ([]any, error) {
			e := evs[i]
			size := 0
			if (e.Version-1)%1000 == 0 {
				size = 1000
			}
			return []any{e.Stream, e.Version, e.Type, e.Data, e.Hash[:], size}, nil
		}))
	if err != nil {
		return "", fmt.Errorf("copy events: %w", err)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO streams (stream, version, head) VALUES ('big', $1, $2)`, int64(readEvents), prev[:])
	if err != nil {
		return "", err
	}
	_, err = s.pool.Exec(ctx, `VACUUM ANALYZE events`)
	return u, err
}
