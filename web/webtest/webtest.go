// Package webtest runs a council server on loopback, over a fresh SQLite store, for the tests of the
// packages that talk to one (the Go client, the command line's remote subcommands).
package webtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/opencouncil/council/sqlite/sqlitetest"
	"github.com/opencouncil/council/web"
)

// Server is a council server on loopback and its admin token.
type Server struct {
	*httptest.Server
	Web   *web.Server
	Admin string
}

// Start starts a server, stopped when tb ends; wrap, when given, stands in front of it (to fail some
// requests, say).
func Start(tb testing.TB, wrap func(http.Handler) http.Handler) *Server {
	tb.Helper()
	ctx := context.Background()
	srv, err := web.New(ctx, web.Config{Store: sqlitetest.Open(tb)})
	if err != nil {
		tb.Fatal(err)
	}
	admin, _, err := srv.Keeper().EnsureAdmin(ctx, "")
	if err != nil {
		tb.Fatal(err)
	}
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(srv)
	}
	ts := httptest.NewServer(h)
	tb.Cleanup(func() {
		srv.Drain() // event streams end
		ts.Close()
		srv.Close()
	})
	return &Server{Server: ts, Web: srv, Admin: admin}
}
