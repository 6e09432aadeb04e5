package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

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
	pid := conn.Conn().PgConn().PID()
	err = sendFast(ctx, conn.Conn(), sds, heads, rows)
	if err == nil {
		s.heads.put(heads)
		return outs, true, nil
	}
	s.heads.forget(batch)
	if pgCode(err) == "" && !errors.Is(err, errRolledBack) && !pgconn.SafeToRetry(err) { // COMMIT was sent and may have been carried out
		committed, rerr := s.resolve(ctx, pid, heads)
		switch {
		case rerr != nil:
			return nil, true, fmt.Errorf("write batch: %w: %w (and finding out failed: %w)", errUnknown, err, rerr)
		case committed:
			s.heads.put(heads)
			return outs, true, nil
		}
		return nil, false, nil // not committed: the careful way writes it
	}
	return nil, false, nil // pipeline rolled back a failed transaction, or closed the connection
}

// resolveWait bounds how long resolve waits for the failed connection's session to end.
const resolveWait = 10 * time.Second

// resolve finds out whether a batch was committed whose connection failed after the batch was sent
// (a server restart, an administrator ending the session, a network fault): it waits until the
// session (pid) has ended on the server, so that its transaction is over one way or the other, then
// reads, on another connection, the event each stream the batch moved would end with. A batch is
// one transaction: it committed if every one of those is there with the version and hash the batch
// gave it, and not at all otherwise.
func (s *Store) resolve(ctx context.Context, pid uint32, heads map[string]*head) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, resolveWait)
	defer cancel()
	names, versions := movedHeads(heads)
	for {
		// The pool may hand out another connection the server dropped too: that fails, and is
		// dropped from the pool, and the next try gets a new one.
		committed, over, err := s.lookFor(ctx, pid, names, versions, heads)
		if err == nil && over {
			return committed, nil
		}
		select {
		case <-ctx.Done():
			if err == nil {
				err = fmt.Errorf("session %d still open", pid)
			}
			return false, fmt.Errorf("%w: %w", err, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// lookFor is one try of resolve: over is false while the session is still open.
func (s *Store) lookFor(ctx context.Context, pid uint32, names []string, versions []int64, heads map[string]*head) (committed, over bool, err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return false, false, err
	}
	defer conn.Release()
	var alive bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)`, int64(pid)).Scan(&alive); err != nil || alive {
		return false, false, err
	}
	rows, err := conn.Query(ctx, `SELECT e.stream, e.hash FROM unnest($1::text[], $2::bigint[]) AS h(stream, version)
JOIN events e ON e.stream = h.stream AND e.version = h.version`, names, versions)
	if err != nil {
		return false, false, err
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var name string
		var hash []byte
		if err := rows.Scan(&name, &hash); err != nil {
			return false, false, err
		}
		if h := heads[name]; h != nil && string(hash) == string(h.hash[:]) {
			found++
		}
	}
	if err := rows.Err(); err != nil {
		return false, false, err
	}
	return len(names) > 0 && found == len(names), true, nil
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
type fastStatements struct{ begin, writeHeads, notify, commit *pgconn.StatementDescription }

// prepareFast prepares writeFast's statements on conn, which keeps them: only the first call on a
// connection costs a round trip.
func prepareFast(ctx context.Context, conn *pgx.Conn) (fastStatements, error) {
	var sds fastStatements
	for _, p := range []struct {
		sd        **pgconn.StatementDescription
		name, sql string
	}{
		{&sds.begin, "council_begin", "BEGIN"},
		{&sds.writeHeads, "council_write_heads", writeHeads},
		{&sds.notify, "council_notify", notify},
		{&sds.commit, "council_commit", "COMMIT"},
	} {
		var err error
		if *p.sd, err = conn.Prepare(ctx, p.name, p.sql); err != nil {
			return sds, fmt.Errorf("prepare: %w", err)
		}
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
	return pipeline(ctx, conn.PgConn(), []statement{{sd: sds.begin}, {sd: sds.writeHeads, args: args}, {sd: sds.notify, args: note}, {sd: sds.commit}})
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
