package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/groupcommit"
)

// compactAt is how many rows recent holds before the writer moves them to events. Fewer make the
// moves more frequent; more make recent's index larger, and each batch changes more of its pages.
// Of 2048, 4096, 8192 and 16384, 2048 did best with 256 writers.
const compactAt = 2048

// maxCached is the most stream heads the writer keeps in memory.
const maxCached = 100_000

// writer is the store's one writer: the write connection, its statements, and what it knows of the
// recent table. Only the group commit's goroutine uses it.
type writer struct {
	db        *sql.DB
	one       oneRow
	heads     multi           // heads of streams
	keys      multi           // appends that keys made before
	insert    multi           // events into recent
	upsert    multi           // heads moved
	version   *sql.Stmt       // PRAGMA data_version: it moves when another connection commits
	seen      int64           // the data_version the cached heads go with
	cache     map[string]head // heads of streams, as this writer left them
	recent    int             // rows in recent, as far as this writer knows
	compactAt int             // rows in recent that start a move to events
	failed    bool            // the last move to events failed: the file was changed behind the store's back
}

// oneRow are the statements of the slow path, which writes one append at a time.
type oneRow struct {
	keyed, events, head, insert, upsert *sql.Stmt
}

const (
	keyedSQL = `SELECT version, size FROM events WHERE stream = ?1 AND key = ?2
		UNION ALL SELECT version, size FROM recent WHERE stream = ?1 AND key = ?2`
	rangeSQL = `SELECT version, type, key, data, hash FROM events WHERE stream = ?1 AND version >= ?2 AND version < ?3
		UNION ALL SELECT version, type, key, data, hash FROM recent WHERE stream = ?1 AND version >= ?2 AND version < ?3
		ORDER BY version`
	headSQL   = `SELECT version, head FROM streams WHERE stream = ?`
	insertSQL = `INSERT INTO recent (stream, version, type, key, data, hash, size) VALUES `
	upsertSQL = `INSERT INTO streams (stream, version, head) VALUES `
	onHeadSQL = ` ON CONFLICT (stream) DO UPDATE SET version = excluded.version, head = excluded.head`
	compact   = `INSERT INTO events (stream, version, type, key, data, hash, size)
		SELECT stream, version, type, key, data, hash, size FROM recent ORDER BY stream, version;
		DELETE FROM recent`
)

func newWriter(ctx context.Context, db *sql.DB) (w *writer, err error) {
	w = &writer{db: db, compactAt: compactAt, cache: map[string]head{}}
	defer func() {
		if err != nil {
			_ = w.close()
		}
	}()
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&w.version, `PRAGMA data_version`},
		{&w.one.keyed, keyedSQL},
		{&w.one.events, rangeSQL},
		{&w.one.head, headSQL},
		{&w.one.insert, insertSQL + tuples(1, 7)},
		{&w.one.upsert, upsertSQL + tuples(1, 3) + onHeadSQL},
	} {
		if *p.stmt, err = db.PrepareContext(ctx, p.sql); err != nil {
			return w, fmt.Errorf("prepare %q: %w", p.sql, err)
		}
	}
	for _, p := range []struct {
		m     *multi
		build func(n int) string
	}{
		{&w.heads, func(n int) string {
			return `SELECT stream, version, head FROM streams WHERE stream IN ` + tuples(1, n)
		}},
		{&w.keys, func(n int) string {
			return `SELECT v.column1, v.column2, e.version, e.size FROM (VALUES ` + tuples(n, 2) + `) AS v
				JOIN (SELECT stream, key, version, size FROM events UNION ALL SELECT stream, key, version, size FROM recent) AS e
				ON e.stream = v.column1 AND e.key = v.column2`
		}},
		{&w.insert, func(n int) string { return insertSQL + tuples(n, 7) }},
		{&w.upsert, func(n int) string { return upsertSQL + tuples(n, 3) + onHeadSQL }},
	} {
		if *p.m, err = prepareMulti(ctx, db, p.build); err != nil {
			return w, err
		}
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM recent`).Scan(&w.recent); err != nil {
		return w, fmt.Errorf("count recent events: %w", err)
	}
	return w, nil
}

func (w *writer) close() error {
	var errs []error
	for _, st := range []*sql.Stmt{w.version, w.one.keyed, w.one.events, w.one.head, w.one.insert, w.one.upsert} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	for _, m := range []multi{w.heads, w.keys, w.insert, w.upsert} {
		errs = append(errs, m.close())
	}
	return errors.Join(errs...)
}

// in binds the one-row statements to a transaction on the write connection, where they are prepared.
func (o oneRow) in(ctx context.Context, tx *sql.Tx) oneRow {
	return oneRow{
		keyed:  tx.StmtContext(ctx, o.keyed),
		events: tx.StmtContext(ctx, o.events),
		head:   tx.StmtContext(ctx, o.head),
		insert: tx.StmtContext(ctx, o.insert),
		upsert: tx.StmtContext(ctx, o.upsert),
	}
}

// writeBatch is the group commit's WriteFunc: it writes a batch in one BEGIN IMMEDIATE transaction,
// which COMMIT makes durable (WAL, synchronous=FULL). A conflicting append leaves no trace: every
// append is decided before anything is written. Only a file changed behind the store's back holds a
// row where an append goes; then the batch is written again one append at a time, and the appends
// that collide are refused with a conflict.
func (w *writer) writeBatch(ctx context.Context, batch []council.Append) ([]groupcommit.Outcome, error) {
	outs := make([]groupcommit.Outcome, len(batch))
	var added int
	moved := false
	err := w.inTx(ctx, func(tx *sql.Tx) (err error) {
		added, err = w.writeAll(ctx, tx, batch, outs)
		if err == nil && w.recent+added >= w.compactAt && !w.failed {
			moved, err = w.compact(ctx, tx)
		}
		return err
	})
	switch {
	case err == nil && moved:
		w.recent = 0
		return outs, nil
	case err == nil:
		w.recent += added
		return outs, nil
	}
	clear(w.cache) // it holds heads of appends that were not written
	if !isConstraint(err) {
		return nil, err
	}
	clear(outs)
	skip := make([]bool, len(batch))
	for {
		var refused int
		err := w.inTx(ctx, func(tx *sql.Tx) (err error) {
			refused, added, err = w.one.in(ctx, tx).writeEach(ctx, batch, skip, outs)
			return err
		})
		switch {
		case err == nil:
			w.recent += added
			return outs, nil
		case !isConstraint(err):
			return nil, err
		}
		a := batch[refused]
		skip[refused] = true
		outs[refused] = groupcommit.Outcome{Err: council.Errorf(council.EConflict, "stream %s already holds an event past version %d", a.Stream, a.Expected)}
	}
}

// compact moves every event of recent to events, in a savepoint of the batch's transaction, and
// reports whether it did. A move that runs into a row already in events (only a changed file holds
// one) is undone, and not tried again while the store is open: appends go on into recent.
func (w *writer) compact(ctx context.Context, tx *sql.Tx) (bool, error) {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT compact`); err != nil {
		return false, err
	}
	_, err := tx.ExecContext(ctx, compact)
	switch {
	case isConstraint(err):
		w.failed = true
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO compact`); err != nil {
			return false, err
		}
	case err != nil:
		return false, fmt.Errorf("move recent events: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `RELEASE compact`); err != nil {
		return false, err
	}
	return !w.failed, nil
}

// inTx runs fn in a write transaction and commits it.
func (w *writer) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin append: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit appends: %w", err)
	}
	return nil
}

type streamKey struct{ stream, key string }

type head struct {
	version int64
	hash    [32]byte
}

// writeAll writes a batch with a few multi-row statements: it reads the heads of the batch's streams
// (unless cached) and the keys it reuses, decides every append in memory, in order, then inserts all
// new events and moves the heads. It returns how many events it inserted. The cached heads are those
// of the batch once written: the caller clears them if the transaction fails.
func (w *writer) writeAll(ctx context.Context, tx *sql.Tx, batch []council.Append, outs []groupcommit.Outcome) (int, error) {
	// The heads of the batch's streams: cached while no other connection wrote, else read.
	var dv int64
	if err := tx.StmtContext(ctx, w.version).QueryRowContext(ctx).Scan(&dv); err != nil {
		return 0, fmt.Errorf("read data_version: %w", err)
	}
	if dv != w.seen || len(w.cache) > maxCached {
		clear(w.cache)
		w.seen = dv
	}
	heads := w.cache
	args := make([]any, 0, 7*len(batch))
	for _, a := range batch {
		if _, ok := heads[a.Stream]; !ok {
			heads[a.Stream] = head{}
			args = append(args, a.Stream)
		}
	}
	err := w.heads.query(ctx, tx, 1, args, func(r *sql.Rows) error {
		var name string
		var h head
		var raw sql.RawBytes
		if err := r.Scan(&name, &h.version, &raw); err != nil {
			return err
		}
		copy(h.hash[:], raw)
		heads[name] = h
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("read heads: %w", err)
	}
	stored := map[streamKey][2]int64{} // the first version and size of an append a key made before
	args = args[:0]
	for _, a := range batch {
		if a.Key != "" {
			args = append(args, a.Stream, a.Key)
		}
	}
	err = w.keys.query(ctx, tx, 2, args, func(r *sql.Rows) error {
		var k streamKey
		var at [2]int64
		if err := r.Scan(&k.stream, &k.key, &at[0], &at[1]); err != nil {
			return err
		}
		stored[k] = at
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("read keys: %w", err)
	}

	fresh := map[streamKey][]council.StoredEvent{} // keys used earlier in this batch
	moving := map[string]bool{}                    // streams whose head moves
	var moved []string                             // the same, in order
	rows := args[:0]
	for i, a := range batch {
		k := streamKey{a.Stream, a.Key}
		if a.Key != "" {
			if evs, ok := fresh[k]; ok {
				outs[i] = groupcommit.Outcome{Appended: council.Appended{Events: slices.Clone(evs), Duplicate: true}}
				continue
			}
			if at, ok := stored[k]; ok {
				evs, err := readRange(ctx, tx.StmtContext(ctx, w.one.events), a.Stream, at[0], at[0]+max(at[1], 1))
				if err != nil {
					return 0, fmt.Errorf("read the append of key %s: %w", a.Key, err)
				}
				outs[i] = groupcommit.Outcome{Appended: council.Appended{Events: evs, Duplicate: true}}
				continue
			}
		}
		h := heads[a.Stream]
		if h.version != a.Expected {
			outs[i] = groupcommit.Outcome{Err: conflict(a, h.version)}
			continue
		}
		sealed := council.Seal(a.Stream, h.version, h.hash, a.Key, a.Events)
		for j := range sealed {
			rows = appendRow(rows, sealed, j)
		}
		if !moving[a.Stream] {
			moving[a.Stream] = true
			moved = append(moved, a.Stream)
		}
		last := sealed[len(sealed)-1]
		heads[a.Stream] = head{last.Version, last.Hash}
		if a.Key != "" {
			fresh[k] = sealed
		}
		outs[i] = groupcommit.Outcome{Appended: council.Appended{Events: sealed}}
	}
	added := len(rows) / 7
	if err := w.insert.exec(ctx, tx, 7, rows); err != nil {
		return 0, fmt.Errorf("insert events: %w", err)
	}
	rows = rows[:0]
	for _, name := range moved {
		h := heads[name]
		rows = append(rows, name, h.version, h.hash[:])
	}
	if err := w.upsert.exec(ctx, tx, 3, rows); err != nil {
		return 0, fmt.Errorf("move heads: %w", err)
	}
	return added, nil
}

// appendRow adds the insert arguments of event j of sealed: the key on the first event alone, with
// the size of the append.
func appendRow(rows []any, sealed []council.StoredEvent, j int) []any {
	e := &sealed[j]
	var key any
	if e.Key != "" {
		key = e.Key // on an append's first event, or on any event of an import that keeps its keys
	}
	size := 0
	if j == 0 {
		size = len(sealed)
	}
	data := e.Data
	if data == nil {
		data = []byte{}
	}
	return append(rows, e.Stream, e.Version, e.Type, key, data, e.Hash[:], size)
}

func conflict(a council.Append, version int64) error {
	return council.Errorf(council.EConflict, "stream %s is at version %d, not %d", a.Stream, version, a.Expected)
}

// writeEach writes the appends not skipped one at a time, filling in their outcomes, and returns how
// many events it inserted. On a violated constraint it returns the index of the append that ran into
// it; nothing is written then.
func (o oneRow) writeEach(ctx context.Context, batch []council.Append, skip []bool, outs []groupcommit.Outcome) (refused, added int, err error) {
	for i, a := range batch {
		if skip[i] {
			continue
		}
		res, err := o.appendOne(ctx, a)
		var ce *council.Error
		switch {
		case isConstraint(err):
			return i, 0, err
		case errors.As(err, &ce):
			outs[i] = groupcommit.Outcome{Err: err}
		case err != nil:
			return i, 0, fmt.Errorf("append to %s: %w", a.Stream, err)
		default:
			outs[i] = groupcommit.Outcome{Appended: res}
			if !res.Duplicate {
				added += len(res.Events)
			}
		}
	}
	return 0, added, nil
}

// appendOne writes one append with the one-row statements bound to a transaction: a duplicate key
// returns what the key stored, a wrong expected version a conflict, and otherwise the events are
// sealed and written.
func (o oneRow) appendOne(ctx context.Context, a council.Append) (council.Appended, error) {
	if a.Key != "" {
		var first, size int64
		err := o.keyed.QueryRowContext(ctx, a.Stream, a.Key).Scan(&first, &size)
		switch {
		case err == nil:
			evs, err := readRange(ctx, o.events, a.Stream, first, first+max(size, 1))
			return council.Appended{Events: evs, Duplicate: true}, err
		case !errors.Is(err, sql.ErrNoRows):
			return council.Appended{}, err
		}
	}
	var h head
	var raw []byte
	err := o.head.QueryRowContext(ctx, a.Stream).Scan(&h.version, &raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return council.Appended{}, err
	default:
		copy(h.hash[:], raw)
	}
	if h.version != a.Expected {
		return council.Appended{}, conflict(a, h.version)
	}
	sealed := council.Seal(a.Stream, h.version, h.hash, a.Key, a.Events)
	var row []any
	for j := range sealed {
		if _, err := o.insert.ExecContext(ctx, appendRow(row[:0], sealed, j)...); err != nil {
			return council.Appended{}, err
		}
	}
	last := sealed[len(sealed)-1]
	if _, err := o.upsert.ExecContext(ctx, a.Stream, last.Version, last.Hash[:]); err != nil {
		return council.Appended{}, err
	}
	return council.Appended{Events: sealed}, nil
}

// readRange reads the events from version from up to, not including, version to, with events
// (rangeSQL bound to the transaction).
func readRange(ctx context.Context, events *sql.Stmt, stream string, from, to int64) ([]council.StoredEvent, error) {
	var out []council.StoredEvent
	err := queryEach(events.QueryContext(ctx, stream, from, to))(func(r *sql.Rows) error {
		e := council.StoredEvent{Stream: stream}
		var key sql.NullString
		var hash []byte
		if err := r.Scan(&e.Version, &e.Type, &key, &e.Data, &hash); err != nil {
			return err
		}
		e.Key = key.String
		copy(e.Hash[:], hash)
		out = append(out, e)
		return nil
	})
	return out, err
}
