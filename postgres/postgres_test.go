package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/postgres/pgtest"
	"github.com/opencouncil/council/storetest"
)

// EnvTestPostgres names the server the tests use; each test works in a schema of its own.
const EnvTestPostgres = pgtest.Env

func serverURL() string { return pgtest.ServerURL() }

// requirePostgres skips the test when no server is reachable, unless CI=true or
// COUNCIL_REQUIRE_POSTGRES=1 demand that the PostgreSQL tests run.
func requirePostgres(tb testing.TB, err error) {
	tb.Helper()
	pgtest.Require(tb, err)
}

// withSearchPath returns base with the connection's search_path set to schema.
func withSearchPath(base, schema string) string { return withParam(base, "search_path", schema) }

// withParam returns the connection string base with a run-time parameter set.
func withParam(base, key, value string) string { return pgtest.WithParam(base, key, value) }

// mustSchema creates an empty schema, dropped when tb ends, and returns a URL that works in it.
func mustSchema(tb testing.TB) string {
	tb.Helper()
	return pgtest.Schema(tb)
}

// adminConnect connects to the test server, giving up soon when none answers.
func adminConnect(ctx context.Context) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return pgx.Connect(ctx, serverURL())
}

// adminExec runs one statement on a connection of its own.
func adminExec(ctx context.Context, sql string) error { return pgtest.Exec(ctx, sql) }

// urls remembers where each test store lives, for Reopen.
var urls sync.Map // *Store → string

// mustOpenURL opens the store at u, closed when tb ends.
func mustOpenURL(tb testing.TB, u string) *Store {
	tb.Helper()
	s, err := Open(context.Background(), u)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	urls.Store(s, u)
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// MustOpen opens a store in a fresh schema, closed and dropped when tb ends.
func MustOpen(tb testing.TB) *Store {
	tb.Helper()
	return mustOpenURL(tb, mustSchema(tb))
}

func harness() storetest.Harness {
	return storetest.Harness{
		Open: func(tb testing.TB) council.EventStore { return MustOpen(tb) },
		Reopen: func(tb testing.TB, s council.EventStore) council.EventStore {
			u, ok := urls.Load(s)
			if !ok {
				tb.Fatal("reopen: a store the harness did not open")
			}
			if err := s.Close(); err != nil {
				tb.Fatalf("close: %v", err)
			}
			return mustOpenURL(tb, u.(string))
		},
		Tamper: tamperer{},
	}
}

func crashHarness(target string) storetest.CrashHarness {
	return storetest.CrashHarness{
		Target: target,
		Open:   func(tb testing.TB, target string) council.EventStore { return mustOpenURL(tb, target) },
	}
}

// TestContract runs the contract every event store keeps.
func TestContract(t *testing.T) { storetest.Run(t, harness()) }

// TestCrash kills a child appending under load, 20 times, and checks the store after each.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	storetest.RunCrash(t, crashHarness(mustSchema(t)), 20)
}

// TestCrashChild is the child process of TestCrash.
func TestCrashChild(t *testing.T) {
	if os.Getenv(storetest.EnvCrashChild) == "" {
		t.Skip("run by TestCrash")
	}
	storetest.CrashChild(crashHarness(""))
}

// tamperer changes rows behind the store's back, as someone with access to the database could.
type tamperer struct{}

func tamperExec(tb testing.TB, s council.EventStore, sql string, args ...any) {
	tb.Helper()
	tag, err := s.(*Store).pool.Exec(context.Background(), sql, args...)
	if err != nil {
		tb.Fatalf("tamper: %v", err)
	}
	if tag.RowsAffected() == 0 {
		tb.Fatalf("tamper: no row changed by %s", sql)
	}
}

func (tamperer) FlipByte(tb testing.TB, s council.EventStore, stream string, version int64) {
	tamperExec(tb, s, `UPDATE events SET data = set_byte(data, length(data)/2, get_byte(data, length(data)/2) # 1)
WHERE stream = $1 AND version = $2 AND length(data) > 0`, stream, version)
}

func (tamperer) Delete(tb testing.TB, s council.EventStore, stream string, version int64) {
	tamperExec(tb, s, `DELETE FROM events WHERE stream = $1 AND version = $2`, stream, version)
}

func (tamperer) DeleteHead(tb testing.TB, s council.EventStore, stream string) {
	tamperExec(tb, s, `DELETE FROM streams WHERE stream = $1`, stream)
}

// Swap exchanges two rows' contents; the key moves through NULL so the unique index never sees it twice.
func (tamperer) Swap(tb testing.TB, s council.EventStore, stream string, v1, v2 int64) {
	err := pgx.BeginFunc(context.Background(), s.(*Store).pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(context.Background(), `CREATE TEMP TABLE swap ON COMMIT DROP AS
SELECT version, type, key, data, hash FROM events WHERE stream = $1 AND version IN ($2, $3)`, stream, v1, v2); err != nil {
			return err
		}
		if _, err := tx.Exec(context.Background(), `UPDATE events SET key = NULL WHERE stream = $1 AND version IN ($2, $3)`, stream, v1, v2); err != nil {
			return err
		}
		_, err := tx.Exec(context.Background(), `UPDATE events e SET type = w.type, key = w.key, data = w.data, hash = w.hash
FROM swap w WHERE e.stream = $1 AND e.version IN ($2, $3) AND w.version = $2 + $3 - e.version`, stream, v1, v2)
		return err
	})
	if err != nil {
		tb.Fatalf("tamper: swap: %v", err)
	}
}

func (tamperer) InsertForged(tb testing.TB, s council.EventStore, stream string, version int64) {
	forged := council.ChainHash([32]byte{1}, stream, version, "forged", "", []byte(`{}`))
	tamperExec(tb, s, `INSERT INTO events (stream, version, type, key, data, hash) VALUES ($1, $2, 'forged', NULL, '{}', $3)`, stream, version, forged[:])
}

// shared lists schemas that outlive one test (the benchmarks' million-event stream); TestMain drops them.
var shared struct {
	mu    sync.Mutex
	names []string
}

// sharedSchema creates a schema that lives until the test binary ends and returns a URL that works in it.
func sharedSchema(tb testing.TB) string {
	tb.Helper()
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := "council_test_" + hex.EncodeToString(b[:])
	if err := adminExec(context.Background(), "CREATE SCHEMA "+name); err != nil {
		requirePostgres(tb, err)
	}
	shared.mu.Lock()
	shared.names = append(shared.names, name)
	shared.mu.Unlock()
	return withSearchPath(serverURL(), name)
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, name := range shared.names {
		if err := adminExec(context.Background(), "DROP SCHEMA "+name+" CASCADE"); err != nil {
			fmt.Fprintf(os.Stderr, "drop schema %s: %v\n", name, err)
			code = 1
		}
	}
	os.Exit(code)
}

// adminQueryRow reads one row on a connection of its own.
func adminQueryRow(sql string, dest ...any) error {
	conn, err := adminConnect(context.Background())
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.QueryRow(context.Background(), sql).Scan(dest...)
}
