package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The pages of the chamber: server-rendered HTML from embedded templates, with embedded CSS and
// JavaScript (no CDN, no build step). Every page shows its content without JavaScript; the live parts
// follow the council's event stream when JavaScript runs.

//go:embed templates static
var pageFS embed.FS

// templates are every page's template, by file name; pageFuncs are the helpers they may call.
var templates = template.Must(template.New("").Funcs(pageFuncs).ParseFS(pageFS, "templates/*.html"))

// sessionCookie carries a browser's token after it signs in.
const sessionCookie = "council_token"

// render writes a page from its template, with a status.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) error {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'")
	h.Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// staticFiles serves the embedded CSS and JavaScript; their names carry no version, so caches
// revalidate.
func staticFiles() http.Handler {
	sub, err := fs.Sub(pageFS, "static")
	if err != nil {
		panic(err)
	}
	fsrv := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.StripPrefix("/static/", fsrv).ServeHTTP(w, r)
	})
}

// pageTable lists the pages: the council's own (pages_routes.go), the chamber's (chamber.go) and the
// archive of the Council's record (pages_archive.go).
func (s *Server) pageTable() []route {
	return slices.Concat(s.councilPages(), s.chamberPages(), s.archivePages(), s.powerPages())
}

// registerPages adds the pages and the static files to the mux.
func (s *Server) registerPages() {
	s.mux.Handle("GET /static/", staticFiles())
	for _, rt := range s.pageTable() {
		s.mux.Handle(rt.method+" "+rt.path, s.wrapPage(rt))
	}
}

// sameOrigin reports whether a browser request comes from this server's own pages, so that a form
// posted with the session cookie cannot be forged by another site.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin" || site == "none"
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		return strings.TrimPrefix(strings.TrimPrefix(origin, "http://"), "https://") == r.Host
	}
	return true // not a browser that says where it comes from: the cookie is SameSite=Strict anyway
}

// setSession signs a browser in with a token; clearSession signs it out.
func setSession(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: int((30 * 24 * time.Hour).Seconds())})
}

func clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

// pageFuncs are the template helpers.
var pageFuncs = template.FuncMap{
	"join": strings.Join,
}
