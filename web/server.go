// Package web serves councils over HTTP: every engine command as JSON, queries of the state and the
// record, live updates as server-sent events, and who may do what by bearer token (package access).
// Errors are RFC 9457 problem details with the domain's stable codes.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
	"github.com/opencouncil/council/councils"
	"github.com/opencouncil/council/feed"
	"github.com/opencouncil/council/roster"
)

// Config is what a Server is built from.
type Config struct {
	Store  council.EventStore
	Roster *roster.Roster // nil: the embedded one
	Log    *slog.Logger   // nil: discard
	// Rate and Burst bound each token's requests (and each address's, without a token); 0 means
	// 2,000 a second with bursts of 4,000.
	Rate  float64
	Burst int
	// Heartbeat is how often an idle event stream gets a comment line; 0 means 15 s.
	Heartbeat time.Duration
}

// Server is the council server's HTTP handler and what it runs on.
type Server struct {
	store   council.EventStore
	svc     *councils.Service
	keeper  *access.Keeper
	hub     *feed.Hub
	cat     *catalog
	log     *slog.Logger
	metrics *metrics
	limiter *access.Limiter
	beat    time.Duration

	mux      *http.ServeMux
	closing  atomic.Bool
	inflight sync.WaitGroup
	stop     context.CancelFunc
	watching chan struct{}
	done     chan struct{} // closed when the server drains: event streams end
	drain    sync.Once
}

// New builds a server over a store: it reads the grants and the catalog, and, when the store can tell
// it about other processes' appends (PostgreSQL), starts following them.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Rate == 0 {
		cfg.Rate, cfg.Burst = 2000, 4000
	}
	if cfg.Heartbeat == 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	keeper, err := access.Open(ctx, cfg.Store)
	if err != nil {
		return nil, err
	}
	cat, err := openCatalog(ctx, cfg.Store)
	if err != nil {
		return nil, err
	}
	s := &Server{
		store:   cfg.Store,
		svc:     councils.NewService(cfg.Store, cfg.Roster),
		keeper:  keeper,
		hub:     feed.NewHub(),
		cat:     cat,
		log:     cfg.Log,
		limiter: access.NewLimiter(cfg.Rate, cfg.Burst),
		beat:    cfg.Heartbeat,
	}
	s.metrics = newMetrics(func() float64 { return float64(s.hub.Subscribers()) })
	s.svc.OnEvents(func(stream string, evs []council.StoredEvent) { s.hub.Publish(stream, evs) })
	s.routes()
	wctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	s.stop = stop
	s.watching = make(chan struct{})
	s.done = make(chan struct{})
	go s.follow(wctx)
	return s, nil
}

// Keeper returns the server's grants, so the command line can issue the first admin token.
func (s *Server) Keeper() *access.Keeper { return s.keeper }

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Close stops following the store and waits for requests in flight; the caller closes the store.
func (s *Server) Close() {
	s.Drain()
	s.stop()
	<-s.watching
	s.inflight.Wait()
}

// Drain makes the server refuse new commands while those under way finish; http.Server.Shutdown then
// waits for their responses.
func (s *Server) Drain() {
	s.drain.Do(func() {
		s.closing.Store(true)
		close(s.done)
	})
}

// closed is closed once the server drains.
func (s *Server) closed() <-chan struct{} { return s.done }

// watcher is a store that tells when any process appended (package postgres).
type watcher interface {
	Watch(ctx context.Context, fn func(stream string, version int64)) error
}

// follow keeps this process's councils, grants and catalog up to date with what other processes
// append to a shared store, until ctx ends. Notices are coalesced: each changed stream is refreshed
// once however many notices arrived while the last refresh ran.
func (s *Server) follow(ctx context.Context) {
	defer close(s.watching)
	w, ok := s.store.(watcher)
	if !ok {
		return
	}
	var (
		mu      sync.Mutex
		pending = map[string]bool{}
		wake    = make(chan struct{}, 1)
	)
	go func() {
		err := w.Watch(ctx, func(stream string, _ int64) {
			mu.Lock()
			pending[stream] = true
			mu.Unlock()
			select {
			case wake <- struct{}{}:
			default:
			}
		})
		if err != nil && ctx.Err() == nil {
			s.log.Error("following the store stopped", "err", err)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
		}
		mu.Lock()
		streams := pending
		pending = map[string]bool{}
		mu.Unlock()
		for stream := range streams {
			if err := s.refresh(ctx, stream); err != nil && ctx.Err() == nil {
				s.log.Warn("refresh after a notice", "stream", stream, "err", err)
			}
		}
	}
}

// refresh reads what another process appended to a stream; "" means anything may have changed.
func (s *Server) refresh(ctx context.Context, stream string) error {
	switch {
	case stream == "":
		return errors.Join(s.keeper.Refresh(ctx), s.cat.refresh(ctx), s.svc.RefreshAll(ctx))
	case stream == accessStream:
		return s.keeper.Refresh(ctx)
	case stream == catalogStream:
		return s.cat.refresh(ctx)
	case strings.HasPrefix(stream, "$"):
		return nil
	}
	return s.svc.Refresh(ctx, stream)
}

// accessStream is where package access keeps the grants.
const accessStream = access.Stream

// route is one endpoint: the OpenAPI document lists exactly these (a test checks).
type route struct {
	method, path string
	handle       func(w http.ResponseWriter, r *http.Request, p principal) error
}

func (s *Server) routeTable() []route {
	return append([]route{
		{"GET", "/healthz", s.healthz},
		{"GET", "/metrics", s.serveMetrics},
		{"GET", "/openapi.json", s.openAPI},
		{"GET", "/v1/whoami", s.whoami},
		{"GET", "/v1/councils", s.listCouncils},
		{"POST", "/v1/councils", s.createCouncil},
		{"GET", "/v1/councils/{council}", s.getCouncil},
		{"PATCH", "/v1/councils/{council}", s.patchCouncil},
		{"POST", "/v1/councils/{council}/commands/{kind}", s.command},
		{"GET", "/v1/councils/{council}/record", s.record},
		{"GET", "/v1/councils/{council}/programme", s.programme},
		{"GET", "/v1/councils/{council}/requests", s.requests},
		{"GET", "/v1/councils/{council}/requests/{id}", s.request},
		{"GET", "/v1/councils/{council}/votes", s.votes},
		{"GET", "/v1/councils/{council}/votes/{id}", s.vote},
		{"GET", "/v1/councils/{council}/events", s.events},
		{"GET", "/v1/councils/{council}/stream", s.stream},
		{"GET", "/v1/councils/{council}/tokens", s.listTokens},
		{"POST", "/v1/councils/{council}/tokens", s.issueToken},
		{"DELETE", "/v1/councils/{council}/tokens/{id}", s.revokeToken},
	}, append(s.historyRoutes(), s.powerRoutes()...)...)
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	for _, rt := range s.routeTable() {
		s.mux.Handle(rt.method+" "+rt.path, s.wrap(rt))
	}
	s.registerPages()
	s.mux.Handle("/", s.wrap(route{method: "ANY", path: "unmatched", handle: s.unmatched}))
}

// unmatched answers a request no route takes: 405 naming the methods the path takes, or 404.
func (s *Server) unmatched(w http.ResponseWriter, r *http.Request, _ principal) error {
	var allow []string
	for _, m := range []string{"GET", "POST", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/" && pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		return council.Errorf(EMethod, "%s does not take %s, only %s", r.URL.Path, r.Method, strings.Join(allow, ", "))
	}
	return council.Errorf(ENoRoute, "nothing is served at %s %s", r.Method, r.URL.Path)
}

// statusWriter remembers the status a handler wrote, for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushes, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wrap gives a handler its principal, rate limit, error writing, recovery, logs and metrics.
func (s *Server) wrap(rt route) http.Handler { return s.wrapAs(rt, false) }

// wrapPage is wrap for an HTML page: a refusal before its handler runs (a bad Authorization header,
// the rate limit) is shown as a page too, not as a problem document. A session cookie whose token was
// revoked is not refused: the browser is signed out.
func (s *Server) wrapPage(rt route) http.Handler { return s.wrapAs(rt, true) }

func (s *Server) wrapAs(rt route, asPage bool) http.Handler {
	name := rt.method + " " + rt.path
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w := &statusWriter{ResponseWriter: rw}
		s.inflight.Add(1)
		defer s.inflight.Done()
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panicked", "route", name, "panic", v)
				if w.status == 0 {
					s.writeProblem(w, r, errors.New("panic"))
				}
			}
			status := w.status
			if status == 0 {
				status = http.StatusOK
			}
			took := time.Since(start)
			s.metrics.observe(name, status, took)
			if status >= 500 || s.log.Enabled(r.Context(), slog.LevelDebug) {
				s.log.Log(r.Context(), levelOf(status), "request", "method", r.Method, "path", r.URL.Path,
					"route", name, "status", status, "took", took)
			}
		}()
		p, err := s.authenticate(r)
		if err == nil {
			err = s.limit(r, p)
		}
		if err == nil {
			err = rt.handle(w, r, p)
		} else if asPage && s.errorPage(w, r, p, err) == nil {
			return
		}
		if err != nil && w.status == 0 {
			s.writeProblem(w, r, err)
		}
	})
}

func levelOf(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelDebug
}

// authenticate finds the grant of the request's bearer token. No token is the anonymous caller; a
// token the server does not know, or has revoked, is refused.
func (s *Server) authenticate(r *http.Request) (principal, error) {
	h, fromCookie := r.Header.Get("Authorization"), false
	if h == "" {
		// A browser signed in to the pages carries its token in a cookie: taken for reading, and for
		// changes only from this server's own pages.
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" || (r.Method != "GET" && r.Method != "HEAD" && !sameOrigin(r)) {
			return anonymousPrincipal, nil
		}
		h, fromCookie = "Bearer "+c.Value, true
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return principal{}, council.Errorf(EUnauthorized, "the Authorization header must be \"Bearer TOKEN\"")
	}
	token = strings.TrimSpace(token)
	g, ok := s.keeper.Authenticate(token)
	if !ok {
		// It may have been issued by another process a moment ago; but a flood of bad tokens must not
		// become a flood of store reads, so misses count against the caller's address first.
		if !s.limiter.Allow(addrKey(r)) {
			return principal{}, council.Errorf(ERateLimited, "too many requests: slow down and retry")
		}
		if err := s.keeper.Refresh(r.Context()); err != nil {
			return principal{}, err
		}
		if g, ok = s.keeper.Authenticate(token); !ok {
			if fromCookie {
				return anonymousPrincipal, nil // a browser signed in with a token since revoked: signed out
			}
			return principal{}, council.Errorf(EUnauthorized, "the token is unknown or revoked")
		}
	}
	return principal{grant: g}, nil
}

// limit applies the rate limit of the request's token, or of its address without one.
func (s *Server) limit(r *http.Request, p principal) error {
	key := "token:" + p.grant.ID
	if p.anonymous {
		key = addrKey(r)
	}
	if !s.limiter.Allow(key) {
		return council.Errorf(ERateLimited, "too many requests: slow down and retry")
	}
	return nil
}

// addrKey is the rate-limit key of a request's address.
func addrKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "addr:" + host
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, _ principal) error {
	if s.closing.Load() {
		return council.Errorf(EUnavailable, "the server is shutting down")
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, _, err := s.store.Head(ctx, catalogStream); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request, _ principal) error {
	s.metrics.handler.ServeHTTP(w, r)
	return nil
}
