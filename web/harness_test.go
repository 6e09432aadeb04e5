package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
	"github.com/opencouncil/council/sqlite/sqlitetest"
)

// testServer is a real server on loopback over a real SQLite file, with its admin token.
type testServer struct {
	t     testing.TB
	srv   *Server
	http  *httptest.Server
	admin string
}

// MustServe starts a server on a fresh SQLite store and closes it when the test ends.
func MustServe(tb testing.TB) *testServer {
	tb.Helper()
	return serveStore(tb, sqlitetest.Open(tb), "")
}

// serveStore runs a server on store, with the admin token given (or a new one), until tb ends.
// Servers sharing a store stand for processes sharing a database.
func serveStore(tb testing.TB, store council.EventStore, adminToken string) *testServer {
	tb.Helper()
	ctx := context.Background()
	srv, err := New(ctx, Config{Store: store, Rate: 1e6, Burst: 1e6})
	if err != nil {
		tb.Fatal(err)
	}
	admin, _, err := srv.Keeper().EnsureAdmin(ctx, adminToken)
	if err != nil {
		tb.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	tb.Cleanup(func() {
		hs.CloseClientConnections()
		srv.Drain()
		hs.Close()
		srv.Close()
	})
	return &testServer{t: tb, srv: srv, http: hs, admin: admin}
}

// reply is an HTTP answer, read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// problem decodes the answer as a problem.
func (r reply) problem() Problem {
	var p Problem
	_ = json.Unmarshal(r.body, &p)
	return p
}

// send makes a request with an optional token and JSON body (a []byte is sent as it is).
func (ts *testServer) send(method, path, token string, body any, header ...string) reply {
	ts.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			ts.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, ts.http.URL+path, rd)
	if err != nil {
		ts.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := ts.http.Client().Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	return reply{status: res.StatusCode, header: res.Header, body: data}
}

// must sends a request and fails the test unless the status is want; it decodes the answer into out.
func (ts *testServer) must(want int, method, path, token string, body, out any) reply {
	ts.t.Helper()
	r := ts.send(method, path, token, body)
	if r.status != want {
		ts.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.body)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			ts.t.Fatalf("%s %s: %v: %s", method, path, err, r.body)
		}
	}
	return r
}

// create makes a council and returns its secretariat token.
func (ts *testServer) create(req CreateCouncil) string {
	ts.t.Helper()
	var out Created
	ts.must(http.StatusCreated, "POST", "/v1/councils", ts.admin, req, &out)
	return out.Secretariat.Token
}

// issue gives a council a token of a role.
func (ts *testServer) issue(name, secretariat string, role access.Role, member string) IssuedToken {
	ts.t.Helper()
	var out IssuedToken
	ts.must(http.StatusCreated, "POST", "/v1/councils/"+name+"/tokens", secretariat, IssueToken{Role: role, Member: member}, &out)
	return out
}

// do gives a command and returns the answer.
func (ts *testServer) do(name, token, kind string, body any) reply {
	ts.t.Helper()
	return ts.send("POST", "/v1/councils/"+name+"/commands/"+kind, token, body)
}

// mustDo gives a command that must be accepted.
func (ts *testServer) mustDo(name, token, kind string, body any) Done {
	ts.t.Helper()
	var d Done
	ts.must(http.StatusOK, "POST", "/v1/councils/"+name+"/commands/"+kind, token, body, &d)
	return d
}

// version is the council's current version.
func (ts *testServer) version(name string) int64 {
	ts.t.Helper()
	var info CouncilInfo
	ts.must(http.StatusOK, "GET", "/v1/councils/"+name, ts.admin, nil, &info)
	return info.Version
}
