package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/councils"
	"github.com/opencouncil/council/roster"
)

// councilPages lists the council's pages: the index and sign-in, each council's home, requests,
// record and console, the forms' actions, and the admin's page. Every handler is wrapped by page, so
// an error becomes an HTML page in plain words rather than a problem document.
func (s *Server) councilPages() []route {
	return []route{
		{"GET", "/{$}", s.page(s.indexPage)},
		{"POST", "/signin", s.page(s.signIn)},
		{"POST", "/signout", s.page(s.signOut)},
		{"GET", "/admin", s.page(s.adminPage)},
		{"POST", "/admin/councils", s.page(s.adminCreate)},
		{"GET", "/c/{council}", s.page(s.homePage)},
		{"GET", "/c/{council}/requests/{id}", s.page(s.requestPage)},
		{"GET", "/c/{council}/record", s.page(s.recordPage)},
		{"GET", "/c/{council}/record.json", s.page(s.recordJSON)},
		{"GET", "/c/{council}/record.csv", s.page(s.recordCSV)},
		{"GET", "/c/{council}/console", s.page(s.consolePage)},
		{"POST", "/c/{council}/act/{kind}", s.page(s.act)},
		{"POST", "/c/{council}/tokens", s.page(s.issuePage)},
		{"POST", "/c/{council}/tokens/{id}/revoke", s.page(s.revokePage)},
	}
}

// page turns a page handler's error into an HTML page with the problem's plain words and status.
func (s *Server) page(h func(http.ResponseWriter, *http.Request, principal) error) func(http.ResponseWriter, *http.Request, principal) error {
	return func(w http.ResponseWriter, r *http.Request, p principal) error {
		if err := h(w, r, p); err != nil {
			return s.errorPage(w, r, p, err)
		}
		return nil
	}
}

// errorData is what the error page shows.
type errorData struct {
	Page    pageBase
	Status  int
	Lead    string
	Message string
	SignIn  bool
}

// errorPage renders an error as a page: a plain lead and the error's message, never an internal
// error's details (those go to the log).
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, p principal, err error) error {
	status := statusOf(council.ErrorCode(err))
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "page failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	lead, msg := plainError(err)
	data := errorData{Page: s.base(r, p, http.StatusText(status), r.PathValue("council")), Status: status,
		Lead: lead, Message: msg, SignIn: status == http.StatusUnauthorized}
	return s.render(w, status, "error.html", data)
}

// plainError is an error in plain words: a short lead saying what kind of no it is, and the
// engine's message.
func plainError(err error) (lead, msg string) {
	code := council.ErrorCode(err)
	msg = council.ErrorMessage(err)
	switch code {
	case council.EINTERNAL:
		return "Something went wrong on the server.", "Nothing was changed by it. Try again in a moment."
	case EUnauthorized:
		return "Sign in first:", msg
	case EForbidden:
		return "Not allowed:", msg
	case council.EINVALID, EMediaType, ETooLarge:
		return "The form is not right:", msg
	case councils.ENotFound, ENoRoute, EUnknownKind: // access.ENotFound is the same code
		return "Not found:", msg
	case councils.EExists:
		return "Already there:", msg
	case council.EConflict:
		return "Someone acted at the same moment:", msg + " Try again."
	case ERateLimited, EUnavailable:
		return "Not now:", msg
	case EMethod:
		return "Not here:", msg
	}
	return "The rules refuse this:", msg
}

// pageBase is what the frame of every page shows: its title, the council it belongs to, and who is
// signed in.
type pageBase struct {
	Title   string // the page's own title, before the site's name
	Council string // the council the page is about, for the navigation; "" for none
	Path    string // the page's path, so forms can come back to it
	Who     whoView
	Print   bool  // the page links the print style sheet
	Live    bool  // the page loads site.js, which follows the council's events
	Reload  bool  // site.js reloads the page when what can be done changes (a meeting or vote opens...)
	Version int64 // the council's version the page shows, where site.js starts following
}

// whoView is who is signed in, as the header shows it.
type whoView struct {
	Signed  bool
	Role    string
	Member  string
	Council string
	Label   string
}

// base is the frame of a page for a principal.
func (s *Server) base(r *http.Request, p principal, title, name string) pageBase {
	b := pageBase{Title: title, Council: name, Path: r.URL.Path}
	if !p.anonymous && p.grant.Role != "" {
		b.Who = whoView{Signed: true, Role: string(p.grant.Role), Member: p.grant.Member, Council: p.grant.Council, Label: p.grant.Label}
	}
	return b
}

// memberRef is a member as pages name it: its code and its name.
type memberRef struct {
	Code string
	Name string
}

// snapshot is a council as one page shows it, read under one lock: who sits and presides on its
// current day, the record, and the members' names.
type snapshot struct {
	Name    string
	Info    CouncilInfo
	Day     council.Date // the council's current day: its last step's, or its first day
	First   council.Date // the council's first day
	Rec     *council.Record
	names   map[string]string
	order   map[string]int // a sitting member's place in the presidency order
	rosterY int
}

// readableSnapshot reads the council a page's path names, if the principal may read it.
func (s *Server) readableSnapshot(r *http.Request, p principal) (*snapshot, error) {
	name, err := s.readable(r, p)
	if err != nil {
		return nil, err
	}
	return s.snapshotOf(r.Context(), name)
}

// title is the council's title, or its name when it has none.
func (sn *snapshot) title() string {
	if sn.Info.Title == "" {
		return sn.Name
	}
	return sn.Info.Title
}

// snapshotOf reads a council for a page.
func (s *Server) snapshotOf(ctx context.Context, name string) (*snapshot, error) {
	sn := &snapshot{Name: name, names: map[string]string{}, order: map[string]int{}}
	err := s.svc.View(ctx, name, func(v councils.View) error {
		info, sit := s.infoOf(name, v)
		sn.Info = info
		sn.First = v.Def.Date
		sn.Day = v.State.Today
		if sn.Day == 0 {
			sn.Day = v.Def.Date
		}
		sn.rosterY = sn.Day.Year()
		sn.Rec = v.State.Record(v.Def.Title)
		for _, m := range v.State.Body().Members {
			if m.Name != "" {
				sn.names[m.Code] = m.Name
			}
		}
		if sit == nil {
			return nil // a day without data: no members to show
		}
		for i, m := range sit.Members {
			if m.Name != "" {
				sn.names[m.Code] = m.Name
			}
			sn.order[m.Code] = i
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sn, nil
}

// name is a member's name: the body's or the roster's, or its code when neither has one.
func (sn *snapshot) name(code string) string {
	if n := sn.names[code]; n != "" {
		return n
	}
	if n := roster.Default().Name(code, sn.rosterY); n != "" {
		return n
	}
	return code
}

// ref names a member.
func (sn *snapshot) ref(code string) memberRef { return memberRef{Code: code, Name: sn.name(code)} }

// refs names members, in the order given.
func (sn *snapshot) refs(codes []string) []memberRef {
	out := make([]memberRef, 0, len(codes))
	for _, c := range codes {
		out = append(out, sn.ref(c))
	}
	return out
}

// sorted names members in the presidency order of the council's day, others after them.
func (sn *snapshot) sorted(codes []string) []memberRef {
	c := slices.Clone(codes)
	slices.SortStableFunc(c, func(a, b string) int { return sn.place(a) - sn.place(b) })
	return sn.refs(c)
}

func (sn *snapshot) place(code string) int {
	if i, ok := sn.order[code]; ok {
		return i
	}
	return len(sn.order)
}

// members are the members sitting on the council's day, in presidency order.
func (sn *snapshot) members() []memberRef {
	out := make([]memberRef, 0, len(sn.Info.Members))
	for _, m := range sn.Info.Members {
		out = append(out, sn.ref(m.Code))
	}
	return out
}

// draft finds a draft or amendment by id.
func (sn *snapshot) draft(id string) *council.DraftRecord {
	for i := range sn.Rec.Drafts {
		if sn.Rec.Drafts[i].ID == id {
			return &sn.Rec.Drafts[i]
		}
	}
	return nil
}

// longDate writes a day for people: "Monday 22 December 2014"; "" for no date.
func longDate(d council.Date) string {
	if d == 0 {
		return ""
	}
	y, m, dd := d.Civil()
	return time.Date(y, m, dd, 12, 0, 0, 0, time.UTC).Format("Monday 2 January 2006")
}

// shortDate writes a day briefly: "Mon 22 Dec 2014"; "" for no date.
func shortDate(d council.Date) string {
	if d == 0 {
		return ""
	}
	y, m, dd := d.Civil()
	return time.Date(y, m, dd, 12, 0, 0, 0, time.UTC).Format("Mon 2 Jan 2006")
}

// datePtr is a day that may be missing.
func datePtr(d *council.Date) council.Date {
	if d == nil {
		return 0
	}
	return *d
}

// samePath reports whether a form's "back" field is a path on this site, and returns it cleaned.
func samePath(back string) (string, bool) {
	if back == "" || back[0] != '/' || strings.HasPrefix(back, "//") || strings.ContainsAny(back, "\\\r\n") {
		return "", false
	}
	return back, true
}
