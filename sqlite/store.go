package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/groupcommit"
)

// maxBatch is the most appends one transaction writes.
const maxBatch = 1024

// Store is the event store in one SQLite file.
type Store struct {
	path   string
	write  *sql.DB // one connection: every write goes through commit
	read   *sql.DB // a pool of query-only connections
	commit *groupcommit.Committer
	w      *writer
	r      readStmts

	closeOnce sync.Once
	closeErr  error
}

var _ council.EventStore = (*Store)(nil)

// readStmts are prepared once on the read pool.
type readStmts struct {
	head, streams *sql.Stmt
}

// Open opens the store in the file at path, creating it if need be, and brings its schema up to date.
func Open(path string) (*Store, error) {
	s := &Store{path: path}
	if err := s.open(); err != nil {
		s.closeDBs()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s.commit = groupcommit.New(s.w.writeBatch, maxBatch)
	return s, nil
}

func (s *Store) open() error {
	ctx := context.Background()
	var err error
	s.write = openDB(s.path, true)
	s.write.SetMaxOpenConns(1)
	s.write.SetMaxIdleConns(1)
	s.write.SetConnMaxLifetime(0)
	s.write.SetConnMaxIdleTime(0)
	if err := migrate(ctx, s.write); err != nil {
		return err
	}
	if s.w, err = newWriter(ctx, s.write); err != nil {
		return err
	}
	s.read = openDB(s.path, false)
	n := max(4, runtime.GOMAXPROCS(0))
	s.read.SetMaxOpenConns(n)
	s.read.SetMaxIdleConns(n)
	s.read.SetConnMaxIdleTime(0)
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&s.r.head, `SELECT version, head FROM streams WHERE stream = ?`},
		// every stream with a head or with events, so verify also checks events whose head was removed
		{&s.r.streams, `SELECT stream FROM streams UNION SELECT DISTINCT stream FROM events UNION SELECT DISTINCT stream FROM recent ORDER BY 1`},
	} {
		if *p.stmt, err = s.read.PrepareContext(ctx, p.sql); err != nil {
			return fmt.Errorf("prepare %q: %w", p.sql, err)
		}
	}
	return nil
}

// readSQL reads a stream's events after a version from both tables, merged in version order.
const readSQL = `SELECT version, type, key, data, hash FROM events WHERE stream = ?1 AND version > ?2
	UNION ALL SELECT version, type, key, data, hash FROM recent WHERE stream = ?1 AND version > ?2
	ORDER BY version`

// Path is the file the store lives in.
func (s *Store) Path() string { return s.path }

// Append adds events to the end of a stream once they are durable; see council.EventStore. Concurrent
// appends share one transaction and one sync.
func (s *Store) Append(ctx context.Context, a council.Append) (council.Appended, error) {
	switch {
	case a.Stream == "":
		return council.Appended{}, council.Errorf(council.EINVALID, "append: no stream named")
	case len(a.Events) == 0:
		return council.Appended{}, council.Errorf(council.EINVALID, "append to %s: no events", a.Stream)
	}
	res, err := s.commit.Append(ctx, a)
	if err != nil {
		return council.Appended{}, err
	}
	return res, nil
}

// Read calls fn with each event of the stream after version after, in order, as stored. fn may keep
// the events it is given.
func (s *Store) Read(ctx context.Context, stream string, after int64, fn func(council.StoredEvent) error) error {
	if err := readEvents(ctx, s.read, stream, after, fn); err != nil {
		return fmt.Errorf("read %s: %w", stream, err)
	}
	return nil
}

// Head is the stream's version and the chain hash of its last event, as the streams table records them.
func (s *Store) Head(ctx context.Context, stream string) (int64, [32]byte, error) {
	var v int64
	var h [32]byte
	var raw []byte
	err := s.r.head.QueryRowContext(ctx, stream).Scan(&v, &raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, h, nil
	case err != nil:
		return 0, h, fmt.Errorf("head of %s: %w", stream, err)
	}
	copy(h[:], raw)
	return v, h, nil
}

// Streams lists every stream in the store, in name order (byte by byte).
func (s *Store) Streams(ctx context.Context) ([]string, error) {
	rows, err := s.r.streams.QueryContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("list streams: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("list streams: %w", err)
		}
		out = append(out, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list streams: %w", err)
	}
	return out, nil
}

// Close writes the appends already queued and closes the file. Calling it again does nothing.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.commit.Close()
		s.closeErr = s.closeDBs()
	})
	return s.closeErr
}

func (s *Store) closeDBs() error {
	var errs []error
	for _, st := range []*sql.Stmt{s.r.head, s.r.streams} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	if s.w != nil {
		errs = append(errs, s.w.close())
	}
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	if s.write != nil {
		errs = append(errs, s.write.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close store %s: %w", s.path, err)
	}
	return nil
}

// escapePath writes a file name for a file: URI, whose query and fragment start at ? and #.
func escapePath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}
