package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/storetest"
)

// MustOpen opens a store in a new file of the test's temporary directory, closed by t.Cleanup.
func MustOpen(tb testing.TB) *Store {
	tb.Helper()
	return MustOpenPath(tb, filepath.Join(tb.TempDir(), "council.db"))
}

// MustOpenPath opens the store at path, closed by t.Cleanup.
func MustOpenPath(tb testing.TB, path string) *Store {
	tb.Helper()
	s, err := Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

func TestContract(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		Open: func(t testing.TB) council.EventStore { return MustOpen(t) },
		Reopen: func(t testing.TB, s council.EventStore) council.EventStore {
			path := s.(*Store).Path()
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			return MustOpenPath(t, path)
		},
		Tamper: tamperer{},
	})
}

// TestContractMoving passes the contract while the writer moves events from recent to events after
// every few, so that streams are read, checked for keys and tampered with across both tables.
func TestContractMoving(t *testing.T) {
	open := func(t testing.TB, path string) council.EventStore {
		s := MustOpenPath(t, path)
		s.w.compactAt = 3
		return s
	}
	storetest.Run(t, storetest.Harness{
		Open: func(t testing.TB) council.EventStore { return open(t, filepath.Join(t.TempDir(), "council.db")) },
		Reopen: func(t testing.TB, s council.EventStore) council.EventStore {
			path := s.(*Store).Path()
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			return open(t, path)
		},
		Tamper: tamperer{},
	})
}

func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test kills 20 child processes")
	}
	storetest.RunCrash(t, crashHarness(filepath.Join(t.TempDir(), "crash.db")), 20)
}

// TestCrashChild is the child process of TestCrash; it does nothing unless TestCrash started it.
func TestCrashChild(t *testing.T) {
	if os.Getenv(storetest.EnvCrashChild) == "" {
		t.Skip("run by TestCrash")
	}
	storetest.CrashChild(crashHarness(""))
}

func crashHarness(path string) storetest.CrashHarness {
	return storetest.CrashHarness{
		Target: path,
		Open: func(t testing.TB, target string) council.EventStore {
			s := MustOpenPath(t, target)
			s.w.compactAt = 100 // move to events often, so that kills land in moves too
			return s
		},
	}
}

// tamperer changes rows through a connection of its own, behind the store's back.
type tamperer struct{}

// db opens a second, raw connection to the store's file.
func (tamperer) db(t testing.TB, s council.EventStore) *sql.DB {
	t.Helper()
	db, err := sql.Open(driverName, "file:"+escapePath(s.(*Store).Path())+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// exec runs a statement that must change exactly one row.
func exec(t testing.TB, db *sql.DB, query string, args ...any) {
	t.Helper()
	res, err := db.Exec(query, args...)
	if err != nil {
		t.Fatalf("tamper: %v", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("tamper: %d rows changed (%v) by %s", n, err, query)
	}
}

// table names the table that holds an event: recent or events.
func table(t testing.TB, db *sql.DB, stream string, version int64) string {
	t.Helper()
	var name string
	err := db.QueryRow(`SELECT 'events' FROM events WHERE stream = ?1 AND version = ?2
		UNION ALL SELECT 'recent' FROM recent WHERE stream = ?1 AND version = ?2`, stream, version).Scan(&name)
	if err != nil {
		t.Fatalf("tamper: find %s/%d: %v", stream, version, err)
	}
	return name
}

func (tp tamperer) FlipByte(t testing.TB, s council.EventStore, stream string, version int64) {
	db := tp.db(t, s)
	tab := table(t, db, stream, version)
	var data []byte
	if err := db.QueryRow(`SELECT data FROM `+tab+` WHERE stream = ? AND version = ?`, stream, version).Scan(&data); err != nil || len(data) == 0 {
		t.Fatalf("tamper: no data to change at %s/%d: %v", stream, version, err)
	}
	data[len(data)/2] ^= 0x20
	exec(t, db, `UPDATE `+tab+` SET data = ? WHERE stream = ? AND version = ?`, data, stream, version)
}

func (tp tamperer) Delete(t testing.TB, s council.EventStore, stream string, version int64) {
	db := tp.db(t, s)
	exec(t, db, `DELETE FROM `+table(t, db, stream, version)+` WHERE stream = ? AND version = ?`, stream, version)
}

func (tp tamperer) DeleteHead(t testing.TB, s council.EventStore, stream string) {
	exec(t, tp.db(t, s), `DELETE FROM streams WHERE stream = ?`, stream)
}

func (tp tamperer) Swap(t testing.TB, s council.EventStore, stream string, v1, v2 int64) {
	db := tp.db(t, s)
	type row struct {
		table      string
		typ        string
		key        sql.NullString
		data, hash []byte
		size       int64
	}
	var rows [2]row
	for i, v := range []int64{v1, v2} {
		r := &rows[i]
		r.table = table(t, db, stream, v)
		if err := db.QueryRow(`SELECT type, key, data, hash, size FROM `+r.table+` WHERE stream = ? AND version = ?`, stream, v).Scan(&r.typ, &r.key, &r.data, &r.hash, &r.size); err != nil {
			t.Fatalf("tamper: read %s/%d: %v", stream, v, err)
		}
	}
	// The key is unique in its stream: clear both before writing them back exchanged.
	for i, v := range []int64{v1, v2} {
		exec(t, db, `UPDATE `+rows[i].table+` SET key = NULL WHERE stream = ? AND version = ?`, stream, v)
	}
	for i, v := range []int64{v1, v2} {
		r := rows[1-i]
		exec(t, db, `UPDATE `+rows[i].table+` SET type = ?, key = ?, data = ?, hash = ?, size = ? WHERE stream = ? AND version = ?`, r.typ, r.key, r.data, r.hash, r.size, stream, v)
	}
}

// InsertForged adds the row to events, where the oldest events are kept.
func (tp tamperer) InsertForged(t testing.TB, s council.EventStore, stream string, version int64) {
	exec(t, tp.db(t, s), `INSERT INTO events (stream, version, type, key, data, hash, size)
		VALUES (?, ?, 'forged', NULL, CAST('{"forged":true}' AS BLOB), randomblob(32), 1)`, stream, version)
}

// TestForgedRowRefusesAppend: a row forged into recent where the next append goes makes that append
// a conflict, never a raw constraint error, and the appends batched with it are written.
func TestForgedRowRefusesAppend(t *testing.T) {
	s := MustOpen(t)
	storetest.MustAppend(t, s, council.Append{Stream: "s", Events: []council.EventData{{Type: "e", Data: []byte(`{}`)}}})
	exec(t, tamperer{}.db(t, s), `INSERT INTO recent (stream, version, type, data, hash) VALUES ('s', 2, 'forged', x'00', randomblob(32))`)
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range errs {
		wg.Go(func() {
			a := council.Append{Stream: fmt.Sprintf("other-%d", i), Events: []council.EventData{{Type: "e", Data: []byte(`{}`)}}}
			if i == 0 {
				a = council.Append{Stream: "s", Expected: 1, Key: "k", Events: a.Events}
			}
			_, errs[i] = s.Append(context.Background(), a)
		})
	}
	wg.Wait()
	if council.ErrorCode(errs[0]) != council.EConflict {
		t.Fatalf("append onto a forged row: %v, want a conflict", errs[0])
	}
	for i, err := range errs[1:] {
		if err != nil {
			t.Fatalf("append %d beside it: %v", i+1, err)
		}
	}
	if v, _ := storetest.MustHead(t, s, "s"); v != 1 {
		t.Fatalf("head %d, want 1", v)
	}
}

// TestMoveRefused: a row forged into events where a recent event is stops the moves to events, and
// appends go on; verify names the place.
func TestMoveRefused(t *testing.T) {
	s := MustOpen(t)
	s.w.compactAt = 1000
	ev := []council.EventData{{Type: "e", Data: []byte(`{"n":1}`)}}
	for v := range int64(3) {
		storetest.MustAppend(t, s, council.Append{Stream: "s", Expected: v, Events: ev})
	}
	exec(t, tamperer{}.db(t, s), `INSERT INTO events (stream, version, type, data, hash) VALUES ('s', 2, 'forged', x'00', randomblob(32))`)
	s.w.compactAt = 2 // the next batch tries to move
	for v := int64(3); v < 6; v++ {
		storetest.MustAppend(t, s, council.Append{Stream: "s", Expected: v, Events: ev})
	}
	if !s.w.failed {
		t.Fatal("the move did not run into the forged row")
	}
	brk, _, err := council.VerifyStream(context.Background(), s, "s")
	if err != nil || brk == nil || brk.Version != 2 {
		t.Fatalf("verify: %+v, %v; want a break at 2", brk, err)
	}
}

// TestMigrations: opening again applies nothing new, and a schema newer than the binary is refused.
func TestMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "council.db")
	s := MustOpenPath(t, path)
	storetest.MustAppend(t, s, council.Append{Stream: "s", Events: []council.EventData{{Type: "e", Data: []byte(`{}`)}}})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = MustOpenPath(t, path)
	var n, max int
	if err := s.read.QueryRow(`SELECT count(*), max(version) FROM schema_migrations`).Scan(&n, &max); err != nil {
		t.Fatal(err)
	}
	all, err := migrations()
	if err != nil || n != len(all) || max != len(all) {
		t.Fatalf("schema_migrations has %d rows up to %d, want %d (%v)", n, max, len(all), err)
	}
	if v := storetest.MustVerify(t, s, "s"); v != 1 {
		t.Fatalf("stream has %d events after reopening, want 1", v)
	}
	exec(t, tamperer{}.db(t, s), `INSERT INTO schema_migrations (version, name) VALUES (?, 'from the future')`, len(all)+1)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("open a newer schema: %v, want an error", err)
	}
}
