// Package pgtest gives tests of any package a PostgreSQL schema of their own on the test server
// (COUNCIL_TEST_POSTGRES, default the local server's database test). The tests skip when no server is
// reachable, unless CI=true or COUNCIL_REQUIRE_POSTGRES=1 demand that they run.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env names the server the tests use.
const Env = "COUNCIL_TEST_POSTGRES"

const defaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// ServerURL is the test server's URL.
func ServerURL() string {
	if u := os.Getenv(Env); u != "" {
		return u
	}
	return defaultURL
}

// Require skips the test because the server is unreachable, or fails it when PostgreSQL is required.
func Require(tb testing.TB, err error) {
	tb.Helper()
	if os.Getenv("CI") == "true" || os.Getenv("COUNCIL_REQUIRE_POSTGRES") == "1" {
		tb.Fatalf("PostgreSQL is required (CI=true or COUNCIL_REQUIRE_POSTGRES=1) but %s is unreachable: %v", Env, err)
	}
	tb.Skipf("no PostgreSQL reachable (set %s): %v", Env, err)
}

// WithParam returns the connection string base with a run-time parameter set.
func WithParam(base, key, value string) string {
	if u, err := url.Parse(base); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set(key, value)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return base + " " + key + "=" + value
}

// Schema creates an empty schema, dropped when tb ends, and returns a URL whose connections work in it.
func Schema(tb testing.TB) string {
	tb.Helper()
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := "council_test_" + hex.EncodeToString(b[:])
	if err := Exec(tb.Context(), "CREATE SCHEMA "+name); err != nil {
		Require(tb, err)
	}
	tb.Cleanup(func() {
		if err := Exec(context.Background(), "DROP SCHEMA "+name+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", name, err)
		}
	})
	return WithParam(ServerURL(), "search_path", name)
}

// Exec runs one statement on a connection of its own to the test server.
func Exec(ctx context.Context, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}
