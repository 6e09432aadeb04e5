package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/groupcommit"
)

// The statements of a batch. Stream names travel as arrays, so a batch of any size is a handful of
// statements sent together in one round trip.
const (
	// createStreams gives streams about to get their first events a head row at version 0, in name
	// order, so that lockStreams has a row to lock; a stream that has one is left alone.
	createStreams = `INSERT INTO streams (stream, version, head)
SELECT s, 0, $2 FROM unnest($1::text[]) AS s ORDER BY s COLLATE "C"
ON CONFLICT (stream) DO NOTHING`

	// lockStreams locks the batch's head rows in name order (every process takes them in the same
	// order, so batches cannot deadlock) and reads them as the last committer left them.
	lockStreams = `SELECT stream, version, head FROM streams WHERE stream = ANY($1::text[]) ORDER BY stream FOR UPDATE`

	// findKeys reads the events stored by earlier appends with the batch's idempotency keys.
	findKeys = `SELECT d.stream, f.key, d.version, d.type, d.data, d.hash
FROM unnest($1::text[], $2::text[]) AS k(stream, key)
JOIN events f ON f.stream = k.stream AND f.key = k.key
JOIN events d ON d.stream = f.stream AND d.version >= f.version AND d.version < f.version + greatest(f.size, 1)
ORDER BY d.stream, f.key, d.version`

	insertEvents = `INSERT INTO events (stream, version, type, key, data, hash, size)
SELECT s, v, t, nullif(k, ''), d, h, n FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bytea[], $6::bytea[], $7::integer[]) AS u(s, v, t, k, d, h, n)`

	updateHeads = `UPDATE streams AS s SET version = u.version, head = u.head
FROM unnest($1::text[], $2::bigint[], $3::bytea[]) AS u(stream, version, head)
WHERE s.stream = u.stream`

	// dropEmpty removes head rows createStreams made for streams that got no events after all.
	dropEmpty = `DELETE FROM streams WHERE stream = ANY($1::text[]) AND version = 0`
)

// head is a stream's head row as a batch holds it locked.
type head struct {
	version int64
	hash    [32]byte
	created bool       // createStreams may have made the row
	moved   bool       // the batch appends to the stream
	from    cachedHead // where the cache had the head, for writeFast
}

type streamKey struct{ stream, key string }

// maxAttempts bounds how often a batch that certainly failed before its commit is tried again.
const maxAttempts = 5

// errUnknown marks an error after which a batch may or may not have been committed.
var errUnknown = errors.New("the batch's outcome is unknown: retry with the same idempotency key")

// write is the groupcommit.WriteFunc: the whole batch in one transaction. A batch on streams whose
// heads the store knows goes in one round trip (writeFast); otherwise, or if a head had moved, it is
// written in two (writeBatch): conflicts and duplicates are decided in Go against the locked head
// rows, so the batch needs no savepoint; should the database refuse a statement anyway (a unique
// violation from a writer that bypassed the head rows, a value it cannot store), the batch is written
// again one append at a time, each behind a savepoint, so only the append at fault fails. A batch
// that failed before its commit is retried; an error during the commit leaves its outcome unknown and
// is returned to every append in it.
func (s *Store) write(ctx context.Context, batch []council.Append) ([]groupcommit.Outcome, error) {
	if outs, done, err := s.writeFast(ctx, batch); done {
		return outs, err
	}
	s.heads.forget(batch) // writeBatch reads them again
	each := false
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		var outs []groupcommit.Outcome
		if each {
			outs, err = s.writeEach(ctx, batch)
		} else {
			outs, err = s.writeBatch(ctx, batch)
		}
		switch {
		case err == nil:
			return outs, nil
		case errors.Is(err, errUnknown):
			return nil, err
		case !retryable(err):
			if each {
				return nil, err
			}
			each = true
		default:
			time.Sleep(time.Duration(attempt) * 10 * time.Millisecond)
		}
	}
	return nil, err
}

// retryable reports whether a failed, rolled back batch may simply be tried again: the server chose
// it as a deadlock or serialization victim, or the connection failed before the commit was sent.
func retryable(err error) bool {
	switch pgCode(err) {
	case "":
		return true
	case "40P01", "40001", "55P03", "57014", "57P01":
		return true
	}
	return false
}

// writeBatch writes the batch in one transaction with two round trips: BEGIN and the locks, then
// the rows and COMMIT.
func (s *Store) writeBatch(ctx context.Context, batch []council.Append) ([]groupcommit.Outcome, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("acquire connection: %w", err)
	}
	defer conn.Release() // the pool drops a connection left inside a transaction
	heads, dups, err := lockBatch(ctx, conn, batch, "BEGIN")
	if err == nil {
		outs, rows := plan(batch, heads, dups)
		if err = writeRows(ctx, conn, rows, heads, "COMMIT"); err == nil {
			s.heads.put(heads)
			return outs, nil
		}
	}
	if conn.Conn().PgConn().TxStatus() != 'I' {
		_, _ = conn.Exec(ctx, "ROLLBACK")
	}
	return nil, err
}

// batcher sends statements in one round trip: a connection or a transaction.
type batcher interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// lockBatch locks the head rows of every stream in the batch and reads the events stored under the
// batch's idempotency keys, in one round trip; begin, if not empty, is sent first.
func lockBatch(ctx context.Context, tx batcher, batch []council.Append, begin string) (map[string]*head, map[streamKey][]council.StoredEvent, error) {
	var names, created, keyStreams, keys []string
	asked := map[streamKey]bool{}
	for _, a := range batch {
		names = append(names, a.Stream)
		if a.Expected == 0 {
			created = append(created, a.Stream)
		}
		if sk := (streamKey{a.Stream, a.Key}); a.Key != "" && !asked[sk] {
			asked[sk] = true
			keyStreams, keys = append(keyStreams, a.Stream), append(keys, a.Key)
		}
	}
	names, created = sortedSet(names), sortedSet(created)

	b := &pgx.Batch{}
	if begin != "" {
		b.Queue(begin)
	}
	if len(created) > 0 {
		b.Queue(createStreams, created, make([]byte, 32))
	}
	b.Queue(lockStreams, names)
	if len(keys) > 0 {
		b.Queue(findKeys, keyStreams, keys)
	}
	br := tx.SendBatch(ctx, b)
	defer br.Close()
	if begin != "" {
		if _, err := br.Exec(); err != nil {
			return nil, nil, fmt.Errorf("begin: %w", err)
		}
	}
	if len(created) > 0 {
		if _, err := br.Exec(); err != nil {
			return nil, nil, fmt.Errorf("create streams: %w", err)
		}
	}
	heads, err := readHeads(br)
	if err != nil {
		return nil, nil, err
	}
	for _, name := range created {
		if h := heads[name]; h != nil {
			h.created = true
		}
	}
	dups := map[streamKey][]council.StoredEvent{}
	if len(keys) > 0 {
		if err := readKeys(br, dups); err != nil {
			return nil, nil, err
		}
	}
	return heads, dups, br.Close()
}

func readHeads(br pgx.BatchResults) (map[string]*head, error) {
	rows, err := br.Query()
	if err != nil {
		return nil, fmt.Errorf("lock streams: %w", err)
	}
	defer rows.Close()
	heads := map[string]*head{}
	for rows.Next() {
		var (
			name string
			h    head
			hash []byte
		)
		if err := rows.Scan(&name, &h.version, &hash); err != nil {
			return nil, fmt.Errorf("lock streams: %w", err)
		}
		copy(h.hash[:], hash)
		heads[name] = &h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lock streams: %w", err)
	}
	return heads, nil
}

// readKeys adds the events stored under each key found to dups.
func readKeys(br pgx.BatchResults, dups map[streamKey][]council.StoredEvent) error {
	rows, err := br.Query()
	if err != nil {
		return fmt.Errorf("find keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			sk   streamKey
			e    council.StoredEvent
			hash []byte
		)
		if err := rows.Scan(&sk.stream, &sk.key, &e.Version, &e.Type, &e.Data, &hash); err != nil {
			return fmt.Errorf("find keys: %w", err)
		}
		copy(e.Hash[:], hash)
		e.Stream = sk.stream
		if len(dups[sk]) == 0 {
			e.Key = sk.key
		}
		dups[sk] = append(dups[sk], e)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find keys: %w", err)
	}
	return nil
}

// eventRows are events to insert, as columns.
type eventRows struct {
	streams  []string
	versions []int64
	types    []string
	keys     []string
	data     [][]byte
	hashes   [][]byte
	sizes    []int32
}

// newEventRows returns columns with room for every event of the batch.
func newEventRows(batch []council.Append) *eventRows {
	n := 0
	for _, a := range batch {
		n += len(a.Events)
	}
	return &eventRows{
		streams: make([]string, 0, n), versions: make([]int64, 0, n), types: make([]string, 0, n), keys: make([]string, 0, n),
		data: make([][]byte, 0, n), hashes: make([][]byte, 0, n), sizes: make([]int32, 0, n),
	}
}

func (r *eventRows) add(evs []council.StoredEvent) {
	for i, e := range evs {
		size := int32(0)
		if i == 0 {
			size = int32(len(evs))
		}
		data := e.Data
		if data == nil {
			data = []byte{}
		}
		r.streams = append(r.streams, e.Stream)
		r.versions = append(r.versions, e.Version)
		r.types = append(r.types, e.Type)
		r.keys = append(r.keys, e.Key)
		r.data = append(r.data, data)
		r.hashes = append(r.hashes, e.Hash[:])
		r.sizes = append(r.sizes, size)
	}
}

// plan decides every append of the batch in order against the locked heads: a key used before is a
// duplicate, a head that moved on is a conflict, anything else is sealed onto its stream. It returns
// the outcomes and the events to insert, and leaves the new heads in heads.
func plan(batch []council.Append, heads map[string]*head, dups map[streamKey][]council.StoredEvent) ([]groupcommit.Outcome, *eventRows) {
	outs := make([]groupcommit.Outcome, len(batch))
	rows := newEventRows(batch)
	for i, a := range batch {
		sk := streamKey{a.Stream, a.Key}
		if evs, ok := dups[sk]; ok && a.Key != "" {
			outs[i].Appended = council.Appended{Events: slices.Clone(evs), Duplicate: true}
			continue
		}
		h := heads[a.Stream]
		switch {
		case h == nil && a.Expected == 0: // only if its head row vanished since createStreams
			outs[i].Err = council.Errorf(council.EConflict, "append to %s: the stream changed while it was being locked", a.Stream)
			continue
		case h == nil:
			outs[i].Err = council.Errorf(council.EConflict, "append to %s: the stream is at version 0, not %d", a.Stream, a.Expected)
			continue
		case h.version != a.Expected:
			outs[i].Err = council.Errorf(council.EConflict, "append to %s: the stream is at version %d, not %d", a.Stream, h.version, a.Expected)
			continue
		}
		evs := council.Seal(a.Stream, h.version, h.hash, a.Key, a.Events)
		rows.add(evs)
		last := evs[len(evs)-1]
		h.version, h.hash, h.moved = last.Version, last.Hash, true
		if a.Key != "" {
			dups[sk] = evs
		}
		outs[i].Appended = council.Appended{Events: evs}
	}
	return outs, rows
}

// writeRows inserts the events and moves the heads, in one round trip that ends with commit if that
// is not empty. Once COMMIT is sent, a failure the server did not report leaves the outcome unknown.
func writeRows(ctx context.Context, tx batcher, rows *eventRows, heads map[string]*head, commit string) error {
	var names, empty []string
	var versions []int64
	var hashes [][]byte
	for name, h := range heads {
		switch {
		case h.moved:
			names, versions, hashes = append(names, name), append(versions, h.version), append(hashes, h.hash[:])
		case h.created && h.version == 0:
			empty = append(empty, name)
		}
	}
	b := &pgx.Batch{}
	if len(rows.streams) > 0 {
		b.Queue(insertEvents, rows.streams, rows.versions, rows.types, rows.keys, rows.data, rows.hashes, rows.sizes)
		b.Queue(updateHeads, names, versions, hashes)
	}
	if len(empty) > 0 {
		b.Queue(dropEmpty, empty)
	}
	if commit != "" {
		queueNotify(b, heads)
		b.Queue(commit)
	}
	if b.Len() == 0 {
		return nil
	}
	br := tx.SendBatch(ctx, b)
	defer br.Close()
	for i := range b.Len() {
		tag, err := br.Exec()
		switch {
		case commit != "" && err != nil && pgCode(err) == "": // the server may have committed
			return fmt.Errorf("write batch: %w: %w", errUnknown, err)
		case err != nil:
			return fmt.Errorf("write batch: %w", err)
		case commit != "" && i == b.Len()-1 && tag.String() != "COMMIT":
			return fmt.Errorf("commit: the transaction was rolled back (%s)", tag)
		}
	}
	if err := br.Close(); err != nil && commit != "" {
		return fmt.Errorf("write batch: %w: %w", errUnknown, err)
	} else if err != nil {
		return fmt.Errorf("write batch: %w", err)
	}
	return nil
}

// sortedSet sorts names and drops repeats.
func sortedSet(names []string) []string {
	slices.Sort(names)
	return slices.Compact(names)
}
