package access

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/postgres"
	"github.com/opencouncil/council/sqlite"
)

// envPostgres names a PostgreSQL server to run the tests on as well; unset, they run on SQLite only.
const envPostgres = "COUNCIL_TEST_POSTGRES"

// backend is one kind of store the tests run on.
type backend struct {
	name string
	// place makes room for a new, empty store and returns a function that opens it; each call opens
	// another store over the same data, as another process would, closed when the test ends.
	place func(t *testing.T) func(t *testing.T) council.EventStore
}

// backends are SQLite, and PostgreSQL when envPostgres is set.
func backends() []backend {
	list := []backend{{"sqlite", placeSQLite}}
	if os.Getenv(envPostgres) != "" {
		list = append(list, backend{"postgres", placePostgres})
	}
	return list
}

// forEach runs fn as a subtest on each backend.
func forEach(t *testing.T, fn func(t *testing.T, open func(t *testing.T) council.EventStore)) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) { fn(t, b.place(t)) })
	}
}

func placeSQLite(t *testing.T) func(t *testing.T) council.EventStore {
	path := filepath.Join(t.TempDir(), "council.db")
	return func(t *testing.T) council.EventStore {
		t.Helper()
		s, err := sqlite.Open(path)
		if err != nil {
			t.Fatalf("open sqlite: %v", err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
}

func placePostgres(t *testing.T) func(t *testing.T) council.EventStore {
	base := os.Getenv(envPostgres)
	var b [8]byte
	_, _ = rand.Read(b[:])
	schema := "access_test_" + hex.EncodeToString(b[:])
	if err := pgExec(t.Context(), base, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if err := pgExec(context.Background(), base, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u := withParam(base, "search_path", schema)
	return func(t *testing.T) council.EventStore {
		t.Helper()
		s, err := postgres.Open(t.Context(), u)
		if err != nil {
			t.Fatalf("open postgres: %v", err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
}

// pgExec runs one statement on a connection of its own.
func pgExec(ctx context.Context, u, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// withParam returns the connection string base with a run-time parameter set.
func withParam(base, key, value string) string {
	if u, err := url.Parse(base); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set(key, value)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return base + " " + key + "=" + value
}

// mustKeeper opens a Keeper over st.
func mustKeeper(t *testing.T, st council.EventStore) *Keeper {
	t.Helper()
	k, err := Open(t.Context(), st)
	if err != nil {
		t.Fatalf("open keeper: %v", err)
	}
	return k
}

// mustIssue issues g and returns the grant and its token.
func mustIssue(t *testing.T, k *Keeper, g Grant) (Grant, string) {
	t.Helper()
	out, token, err := k.Issue(t.Context(), g)
	if err != nil {
		t.Fatalf("issue %+v: %v", g, err)
	}
	return out, token
}
