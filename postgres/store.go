// Package postgres keeps the event store in PostgreSQL, for several servers sharing one database.
// Appends are batched by package groupcommit into one transaction per batch, committed with
// synchronous_commit on, and serialised per stream by the stream's head row, which a batch moves
// only from the version it decided against (locked and read first, or as this process last saw it),
// so processes writing the same database never lose or duplicate an event. Each commit is announced
// to the processes sharing the database (Store.Watch). It passes the contract in storetest.
package postgres

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/groupcommit"
)

var _ council.EventStore = (*Store)(nil)

// maxBatch bounds how many appends share one transaction.
const maxBatch = 1024

// Store is an event store in a PostgreSQL database (the schema first on the connection's search_path).
type Store struct {
	pool  *pgxpool.Pool
	gc    []*groupcommit.Committer // appends to a stream always go to the same one
	heads headCache                // where this store last saw each stream's head (fast.go)
}

// committers is how many batches a store writes at once, each on a connection of its own: while one
// waits for its commit to be flushed, the next is being written.
const committers = 2

// Open connects to the database at url (a postgres:// URL or a key=value string), brings its schema
// up to date, checks that commits are durable and opens the committers' connections.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	// An append is acknowledged only once its commit is flushed: refuse a URL that turns that off,
	// and set it on every connection so a role or database default cannot.
	switch v := cfg.ConnConfig.RuntimeParams["synchronous_commit"]; v {
	case "", "on", "remote_apply", "remote_write", "local":
		if v == "" {
			cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "on"
		}
	default:
		return nil, council.Errorf(council.EINVALID, "open store: synchronous_commit=%s would acknowledge appends before they are durable", v)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := checkDurable(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	s := &Store{pool: pool}
	if err := s.warm(ctx, committers); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	for range committers {
		// a batch costs a round trip and a commit whatever its size: gather the writers coming back (docs/storage.md)
		s.gc = append(s.gc, groupcommit.New(s.write, maxBatch, groupcommit.Linger(100*time.Microsecond, 2*time.Millisecond)))
	}
	return s, nil
}

// checkDurable reads back the session's synchronous_commit: "off" would lose acknowledged appends.
func checkDurable(ctx context.Context, pool *pgxpool.Pool) error {
	var v string
	if err := pool.QueryRow(ctx, "SHOW synchronous_commit").Scan(&v); err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	if v == "off" {
		return council.Errorf(council.EINVALID, "open store: synchronous_commit is off: appends would not be durable")
	}
	return nil
}

// Close waits for appends under way, then closes the connections.
func (s *Store) Close() error {
	for _, gc := range s.gc {
		gc.Close()
	}
	s.pool.Close()
	return nil
}

// Append adds events to a stream once they are committed; see council.EventStore.
func (s *Store) Append(ctx context.Context, a council.Append) (council.Appended, error) {
	if err := validate(a); err != nil {
		return council.Appended{}, err
	}
	h := fnv.New32a()
	h.Write([]byte(a.Stream))
	return s.gc[h.Sum32()%uint32(len(s.gc))].Append(ctx, a)
}

// validate refuses what PostgreSQL could not store, before it can fail a whole batch.
func validate(a council.Append) error {
	switch {
	case a.Stream == "":
		return council.Errorf(council.EINVALID, "append: no stream named")
	case len(a.Events) == 0:
		return council.Errorf(council.EINVALID, "append to %s: no events", a.Stream)
	case !storable(a.Stream) || !storable(a.Key):
		return council.Errorf(council.EINVALID, "append to %q: the stream and key must be UTF-8 without NUL", a.Stream)
	}
	for _, e := range a.Events {
		if !storable(e.Type) {
			return council.Errorf(council.EINVALID, "append to %s: event type %q must be UTF-8 without NUL", a.Stream, e.Type)
		}
	}
	return nil
}

// storable reports whether PostgreSQL text can hold s.
func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// Read calls fn with each event of the stream after version after, in version order, streaming the
// rows of one query.
func (s *Store) Read(ctx context.Context, stream string, after int64, fn func(council.StoredEvent) error) error {
	rows, err := s.pool.Query(ctx, `SELECT version, type, key, data, hash FROM events WHERE stream = $1 AND version > $2 ORDER BY version`, stream, after)
	if err != nil {
		return fmt.Errorf("read %s: %w", stream, err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := decodeEvent(stream, rows)
		if err != nil {
			return fmt.Errorf("read %s: %w", stream, err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", stream, err)
	}
	return nil
}

// decodeEvent copies one row of (version, type, key, data, hash) out of the wire buffer. Text and
// bytea arrive as their bytes in either format; only the version needs decoding.
func decodeEvent(stream string, rows pgx.Rows) (council.StoredEvent, error) {
	v := rows.RawValues()
	e := council.StoredEvent{Stream: stream, Type: string(v[1]), Key: string(v[2]), Data: append([]byte{}, v[3]...)}
	if rows.FieldDescriptions()[0].Format == pgx.BinaryFormatCode && len(v[0]) == 8 {
		e.Version = int64(binary.BigEndian.Uint64(v[0]))
	} else if err := rows.Scan(&e.Version, nil, nil, nil, nil); err != nil {
		return e, err
	}
	copy(e.Hash[:], v[4])
	return e, nil
}

// Head returns the stream's version and last hash as its head row records them.
func (s *Store) Head(ctx context.Context, stream string) (int64, [32]byte, error) {
	var (
		version int64
		head    []byte
		hash    [32]byte
	)
	err := s.pool.QueryRow(ctx, `SELECT version, head FROM streams WHERE stream = $1`, stream).Scan(&version, &head)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, hash, nil
	}
	if err != nil {
		return 0, hash, fmt.Errorf("head of %s: %w", stream, err)
	}
	copy(hash[:], head)
	return version, hash, nil
}

// listStreams names every stream with a head or with events, so a stream whose head row was removed
// still gets verified. The events' streams are found by skipping through the primary key.
const listStreams = `WITH RECURSIVE e(stream) AS (
	SELECT min(stream) FROM events
	UNION ALL
	SELECT (SELECT min(stream) FROM events WHERE stream > e.stream) FROM e WHERE e.stream IS NOT NULL
)
SELECT stream FROM e WHERE stream IS NOT NULL
UNION
SELECT stream FROM streams WHERE version > 0
ORDER BY 1`

// Streams lists the streams that hold events, in byte order of their names.
func (s *Store) Streams(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, listStreams)
	if err != nil {
		return nil, fmt.Errorf("list streams: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("list streams: %w", err)
	}
	return out, nil
}

// pgCode is the SQLSTATE of a server error, or "" for any other error.
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}
