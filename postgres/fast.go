package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/groupcommit"
)

// A batch whose streams' heads the store knows is written in one round trip: BEGIN, one statement
// that moves the heads on from where the store last saw them and inserts the events, the
// notification (notify.go), COMMIT. The heads are only a guess, since other processes write the same
// database, so the statement checks every one of them and, if one moved, fails, which makes the
// COMMIT sent with it roll the batch back; the batch is then written the careful way (writeBatch:
// lock the heads, read them, decide, write). The unique indexes still refuse a version or an
// idempotency key stored twice: such a batch, too, rolls back and is written the careful way.

// writeHeads moves the heads of streams cached ($1-$5: stream, version and hash it had, version and
// hash it gets), creates those of new streams ($6-$8) and inserts the events ($9-$15). The heads come
// sorted by name, so a nested-loop plan takes their locks in lockStreams' order; should the server
// still find two batches deadlocked, it fails one, which is written again the careful way. If fewer
// heads moved or were created than $16, council_stale fails the statement.
const writeHeads = `WITH moved AS (
	UPDATE streams AS s SET version = h.version, head = h.head
	FROM unnest($1::text[], $2::bigint[], $3::bytea[], $4::bigint[], $5::bytea[]) AS h(stream, old, oldhead, version, head)
	WHERE s.stream = h.stream AND s.version = h.old AND s.head = h.oldhead
	RETURNING 1
), created AS (
	INSERT INTO streams (stream, version, head)
	SELECT * FROM unnest($6::text[], $7::bigint[], $8::bytea[]) AS n(stream, version, head) ORDER BY stream COLLATE "C"
	ON CONFLICT (stream) DO NOTHING
	RETURNING 1
), inserted AS (
	INSERT INTO events (stream, version, type, key, data, hash, size)
	SELECT s, v, t, nullif(k, ''), d, h, n FROM unnest($9::text[], $10::bigint[], $11::text[], $12::text[], $13::bytea[], $14::bytea[], $15::integer[]) AS u(s, v, t, k, d, h, n)
)
SELECT council_stale(n, $16::bigint) FROM (SELECT (SELECT count(*) FROM moved) + (SELECT count(*) FROM created) AS n) AS c WHERE n <> $16::bigint`

// maxCached bounds how many heads a store remembers.
const maxCached = 1 << 16

// headCache remembers the head each stream had after this store's last commit to it (or last read of
// it under lock). It is a guess that saves a round trip; writeHeads checks it.
type headCache struct {
	mu sync.Mutex
	m  map[string]cachedHead
}

type cachedHead struct {
	version int64
	hash    [32]byte
}

// put remembers the heads of streams that hold events; one cached already at a later version stays.
func (c *headCache) put(heads map[string]*head) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]cachedHead{}
	}
	for name, h := range heads {
		if h.version == 0 {
			continue
		}
		if old, ok := c.m[name]; ok && old.version > h.version {
			continue
		}
		if len(c.m) >= maxCached {
			c.evict()
		}
		c.m[name] = cachedHead{h.version, h.hash}
	}
}

// evict forgets about a quarter of the heads, whichever the map yields first.
func (c *headCache) evict() {
	n := len(c.m) / 4
	for name := range c.m {
		if n <= 0 {
			return
		}
		delete(c.m, name)
		n--
	}
}

// forget drops the batch's streams, whose heads are no longer known.
func (c *headCache) forget(batch []council.Append) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, a := range batch {
		delete(c.m, a.Stream)
	}
}

// fastHeads returns the heads the batch would start from: the cached ones, and version 0 for a stream
// not cached whose first append expects a new stream. It reports false if a stream's head is unknown.
// Each head keeps in from where it started.
func (s *Store) fastHeads(batch []council.Append) (map[string]*head, bool) {
	heads := make(map[string]*head, len(batch))
	s.heads.mu.Lock()
	defer s.heads.mu.Unlock()
	for _, a := range batch {
		if _, ok := heads[a.Stream]; ok {
			continue
		}
		c, ok := s.heads.m[a.Stream]
		switch {
		case ok:
			heads[a.Stream] = &head{version: c.version, hash: c.hash, from: c}
		case a.Expected == 0:
			heads[a.Stream] = &head{}
		default:
			return nil, false
		}
	}
	return heads, true
}

// writeFast writes the batch in one round trip against the cached heads. It reports done=false when it
// wrote nothing and the batch must be written the careful way: a head not cached, an append that would
// be a conflict (the cache may be wrong), a head that moved, an idempotency key stored before (a unique
// violation), or any other failure before the commit. Once done, the outcomes or the error are final.
func (s *Store) writeFast(ctx context.Context, batch []council.Append) (outs []groupcommit.Outcome, done bool, err error) {
	heads, ok := s.fastHeads(batch)
	if !ok {
		return nil, false, nil
	}
	outs, rows := plan(batch, heads, map[streamKey][]council.StoredEvent{})
	for _, o := range outs {
		if o.Err != nil {
			return nil, false, nil
		}
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, false, nil
	}
	defer conn.Release()
	sds, err := prepareFast(ctx, conn.Conn())
	if err != nil {
		return nil, false, nil
	}
	err = sendFast(ctx, conn.Conn(), sds, heads, rows)
	if err == nil {
		s.heads.put(heads)
		return outs, true, nil
	}
	s.heads.forget(batch)
	if pgCode(err) == "" && !errors.Is(err, errRolledBack) && !pgconn.SafeToRetry(err) { // COMMIT was sent and may have been carried out
		return nil, true, fmt.Errorf("write batch: %w: %w", errUnknown, err)
	}
	if !conn.Conn().IsClosed() && conn.Conn().PgConn().TxStatus() != 'I' {
		_, _ = conn.Exec(ctx, "ROLLBACK")
	}
	return nil, false, nil
}

// warm opens n connections and prepares writeFast's statements on them, so that the first batches
// do not wait for a TLS handshake and a Parse.
func (s *Store) warm(ctx context.Context, n int) error {
	conns := make([]*pgxpool.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Release()
		}
	}()
	for range n {
		c, err := s.pool.Acquire(ctx)
		if err != nil {
			return err
		}
		conns = append(conns, c)
		if _, err := prepareFast(ctx, c.Conn()); err != nil {
			return err
		}
	}
	return nil
}

// fastStatements are writeFast's statements as prepared on a connection.
type fastStatements struct{ writeHeads, notify *pgconn.StatementDescription }

// prepareFast prepares writeFast's statements on conn, which keeps them: only the first call on a
// connection costs a round trip.
func prepareFast(ctx context.Context, conn *pgx.Conn) (fastStatements, error) {
	var sds fastStatements
	var err error
	if sds.writeHeads, err = conn.Prepare(ctx, "council_write_heads", writeHeads); err != nil {
		return sds, fmt.Errorf("prepare: %w", err)
	}
	if sds.notify, err = conn.Prepare(ctx, "council_notify", notify); err != nil {
		return sds, fmt.Errorf("prepare: %w", err)
	}
	return sds, nil
}

// sendFast sends BEGIN, writeHeads, the notification and COMMIT in one round trip.
func sendFast(ctx context.Context, conn *pgx.Conn, sds fastStatements, heads map[string]*head, rows *eventRows) error {
	args, note := paramsPool.Get().(*params), paramsPool.Get().(*params)
	defer putParams(args)
	defer putParams(note)
	args.reset()
	names, versions := movedHeads(heads)
	var moved, created []string
	for _, name := range names {
		if heads[name].from.version > 0 {
			moved = append(moved, name)
		} else {
			created = append(created, name)
		}
	}
	args.texts(moved)
	headColumns(args, heads, moved, true)
	headColumns(args, heads, moved, false)
	args.texts(created)
	headColumns(args, heads, created, false)
	args.texts(rows.streams)
	args.int8s(rows.versions)
	args.texts(rows.types)
	args.texts(rows.keys)
	args.bytes(rows.data)
	args.bytes(rows.hashes)
	args.int4s(rows.sizes)
	args.bigint(int64(len(names)))
	note.reset()
	note.texts(payloads(names, versions))
	return pipeline(ctx, conn.PgConn(), []statement{{sql: "BEGIN"}, {sd: sds.writeHeads, args: args}, {sd: sds.notify, args: note}, {sql: "COMMIT"}})
}

// headColumns adds two array parameters: the version and the hash of each head named, as the batch
// found it (before) or leaves it.
func headColumns(args *params, heads map[string]*head, names []string, before bool) {
	args.array(oidInt8, len(names))
	for _, name := range names {
		if h := heads[name]; before {
			args.int8(h.from.version)
		} else {
			args.int8(h.version)
		}
	}
	args.end()
	args.array(oidBytea, len(names))
	for _, name := range names {
		if h := heads[name]; before {
			args.bytea(h.from.hash[:])
		} else {
			args.bytea(h.hash[:])
		}
	}
	args.end()
}

// errRolledBack is a COMMIT the server answered with a rollback.
var errRolledBack = errors.New("the transaction was rolled back")
