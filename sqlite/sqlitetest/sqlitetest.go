// Package sqlitetest opens SQLite event stores for the tests of the packages built on one.
package sqlitetest

import (
	"path/filepath"
	"testing"

	"github.com/opencouncil/council/sqlite"
)

// Open opens a new SQLite event store in a temporary folder, closed when tb ends.
func Open(tb testing.TB) *sqlite.Store {
	tb.Helper()
	st, err := sqlite.Open(filepath.Join(tb.TempDir(), "council.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}
