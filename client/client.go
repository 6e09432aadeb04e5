// Package client is a Go client of the council server (package web): every endpoint of its API as a
// method, the server's problem details as errors that carry the domain's codes, commands retried safely
// under an idempotency key, and the live event stream followed across dropped connections without a
// gap or a duplicate.
//
// A Client is safe for concurrent use, and cheap: clients made by New share one connection pool, so a
// load generator may make one per token, or give many goroutines one client (see NewHTTPClient to size
// the pool).
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/web"
)

// Defaults of a Client.
const (
	// DefaultIdleConnsPerHost is how many idle connections to one server the shared pool of New keeps.
	DefaultIdleConnsPerHost = 256
	// DefaultRetries is how many times Do sends a keyed command again after a transport error, 429 or 503.
	DefaultRetries = 4
)

// Client talks to one council server as one token.
type Client struct {
	// BaseURL is the server's address, such as "http://localhost:8080"; a trailing slash is ignored.
	BaseURL string
	// Token is the bearer token sent with every request; "" sends none (an anonymous caller).
	Token string
	// HTTP sends the requests; nil means the pool New shares. It should have no Timeout, which would
	// cut event streams: give each call a context with a deadline instead.
	HTTP *http.Client
	// Retries bounds how many times Do sends a keyed command again; 0 means DefaultRetries, and a
	// negative number none.
	Retries int
}

// New returns a client of the server at baseURL acting with token, over the shared connection pool.
func New(baseURL, token string) *Client {
	return &Client{BaseURL: baseURL, Token: token, HTTP: sharedHTTP()}
}

// sharedHTTP is the connection pool clients made by New share.
var sharedHTTP = sync.OnceValue(func() *http.Client { return NewHTTPClient(DefaultIdleConnsPerHost) })

// NewHTTPClient returns an HTTP client for Client.HTTP whose pool keeps up to idlePerHost idle
// connections to each server: a load generator sending from N goroutines wants at least N.
func NewHTTPClient(idlePerHost int) *http.Client {
	t, ok := http.DefaultTransport.(*http.Transport)
	if ok {
		t = t.Clone()
	} else {
		t = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true, MaxIdleConns: 100,
			IdleConnTimeout: 90 * time.Second, TLSHandshakeTimeout: 10 * time.Second}
	}
	idlePerHost = max(idlePerHost, 1)
	t.MaxIdleConnsPerHost = idlePerHost
	t.MaxIdleConns = max(t.MaxIdleConns, 4*idlePerHost)
	return &http.Client{Transport: t}
}

// ProblemError is an answer of the server that is not a success: its status, and the RFC 9457 problem
// it sent (or one made from the status when it sent none). errors.As finds the *council.Error under it,
// so council.ErrorCode(err) is the problem's code.
type ProblemError struct {
	Status  int
	Problem web.Problem
}

// Error says what went wrong: the problem's code and detail.
func (e *ProblemError) Error() string {
	switch {
	case e.Problem.Detail == "":
		return fmt.Sprintf("%s: the server answered %d %s", e.Problem.Code, e.Status, http.StatusText(e.Status))
	case e.Problem.Code == "":
		return e.Problem.Detail
	}
	return e.Problem.Code + ": " + e.Problem.Detail
}

// Unwrap returns the problem as the domain's error: its code and its detail as the message.
func (e *ProblemError) Unwrap() error {
	return &council.Error{Code: e.Problem.Code, Message: e.Problem.Detail}
}

// Temporary reports whether the same request may succeed later: the server was busy (429) or
// unavailable (502, 503, 504).
func (e *ProblemError) Temporary() bool {
	switch e.Status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// maxProblem bounds how much of an error answer is read.
const maxProblem = 64 << 10

// problemOf reads an answer that is not a success into a *ProblemError.
func problemOf(resp *http.Response) error {
	pe := &ProblemError{Status: resp.StatusCode}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxProblem))
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err == nil && (mt == "application/problem+json" || mt == "application/json") &&
		json.Unmarshal(body, &pe.Problem) == nil && pe.Problem.Code != "" {
		return pe
	}
	// Not the server's problem: a proxy's page, or a cut answer.
	pe.Problem = web.Problem{Title: http.StatusText(resp.StatusCode), Status: resp.StatusCode,
		Code: codeOfStatus(resp.StatusCode)}
	return pe
}

// codeOfStatus is the code of an error answer that came without a problem.
func codeOfStatus(status int) string {
	switch status {
	case http.StatusBadRequest:
		return council.EINVALID
	case http.StatusUnauthorized:
		return web.EUnauthorized
	case http.StatusForbidden:
		return web.EForbidden
	case http.StatusNotFound:
		return web.ENoRoute
	case http.StatusRequestEntityTooLarge:
		return web.ETooLarge
	case http.StatusUnsupportedMediaType:
		return web.EMediaType
	case http.StatusTooManyRequests:
		return web.ERateLimited
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return web.EUnavailable
	}
	return council.EINTERNAL
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return sharedHTTP()
}

// newRequest makes a request of the API: path begins with "/".
func (c *Client) newRequest(ctx context.Context, method, path string, body []byte) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.BaseURL, "/")+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header["Content-Type"] = jsonType
	}
	req.Header["Accept"] = acceptJSON
	if c.Token != "" {
		req.Header["Authorization"] = []string{"Bearer " + c.Token}
	}
	return req, nil
}

// Header values shared by every request (never modified).
var (
	jsonType   = []string{"application/json"}
	acceptJSON = []string{"application/json, application/problem+json"}
)

// call sends a request with in as its JSON body (nil: none) and decodes a success into out (nil: the
// answer is dropped).
func (c *Client) call(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	req, err := c.newRequest(ctx, method, path, body)
	if err != nil {
		return err
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return err
	}
	return decode(resp, out)
}

// decode reads an answer: a success into out, anything else as a *ProblemError. It closes the body
// having read it to the end, so the connection goes back to the pool.
func decode(resp *http.Response, out any) error {
	defer closeBody(resp.Body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return problemOf(resp)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	buf := buffers.Get().(*bytes.Buffer)
	defer putBuffer(buf)
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return fmt.Errorf("reading the answer to %s %s: %w", resp.Request.Method, resp.Request.URL.Path, err)
	}
	if err := json.Unmarshal(buf.Bytes(), out); err != nil {
		return fmt.Errorf("decoding the answer to %s %s: %w", resp.Request.Method, resp.Request.URL.Path, err)
	}
	return nil
}

// buffers hold answers while they are decoded: json.Unmarshal copies what it keeps.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putBuffer returns a buffer to the pool, unless a large answer made it too big to keep.
func putBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return
	}
	b.Reset()
	buffers.Put(b)
}

// closeBody reads what is left of a small body and closes it, so the connection can be used again.
func closeBody(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, 4<<10)
	_ = body.Close()
}

// retries is how many times Do may send a keyed command again.
func (c *Client) retries() int {
	switch {
	case c.Retries < 0:
		return 0
	case c.Retries == 0:
		return DefaultRetries
	}
	return c.Retries
}

// backoff is how long to wait before the attempt after attempt n (from 0): exponential from base,
// capped, with jitter so that many clients do not come back at once.
func backoff(base time.Duration, n int) time.Duration {
	d := base << min(n, 8)
	d = min(d, 10*time.Second)
	return d/2 + rand.N(d/2+1)
}

// retryAfter is the wait a 429 or 503 asks for in its Retry-After header (in seconds), or def.
func retryAfter(h http.Header, def time.Duration) time.Duration {
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil && s >= 0 {
		return min(time.Duration(s)*time.Second, time.Minute)
	}
	return def
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Do gives a command to a council and returns what the rules made of it. With a key, the server does
// the command once however often it is sent with that key (the key is the caller's: scoped to its
// token), so Do sends it again after a transport error, 429 or 503, with backoff, at most Retries times;
// without one it sends it once, since it cannot know whether a lost answer's command was done.
func (c *Client) Do(ctx context.Context, name string, cmd council.Command, key string) (web.Done, error) {
	var done web.Done
	body, err := json.Marshal(cmd)
	if err != nil {
		return done, err
	}
	path := councilPath(name) + "/commands/" + cmd.Kind()
	attempts := 1
	if key != "" {
		attempts += c.retries()
	}
	for n := 0; ; n++ {
		req, err := c.newRequest(ctx, http.MethodPost, path, body)
		if err != nil {
			return done, err
		}
		if key != "" {
			req.Header["Idempotency-Key"] = []string{key}
		}
		resp, err := c.httpClient().Do(req)
		last := n+1 >= attempts
		var wait time.Duration
		switch {
		case err != nil && (last || ctx.Err() != nil):
			return done, err
		case err != nil:
			wait = backoff(100*time.Millisecond, n)
		case !last && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable):
			wait = retryAfter(resp.Header, backoff(100*time.Millisecond, n))
			closeBody(resp.Body)
		default:
			return done, decode(resp, &done)
		}
		if err := sleep(ctx, wait); err != nil {
			return done, err
		}
	}
}

// errStopped marks the error a Stream callback returned, so Stream returns it as it is.
type errStopped struct{ err error }

func (e errStopped) Error() string { return e.err.Error() }

// asStopped returns the callback's error when err is one.
func asStopped(err error) (error, bool) {
	var s errStopped
	if errors.As(err, &s) {
		return s.err, true
	}
	return nil, false
}
