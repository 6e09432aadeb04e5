package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/councils"
)

// maxListed bounds the councils the index and the admin's page list, each of which is read for its
// title.
const maxListed = 200

// councilLink is a council as the index lists it.
type councilLink struct {
	Name   string
	Title  string
	Public bool
}

// indexData is what the index shows: the councils the visitor may read, and the sign-in form.
type indexData struct {
	Page     pageBase
	Councils []councilLink
	More     bool
	Notice   string
	Error    string
	Console  string // where the signed-in principal acts
}

// councilLinks lists the councils a principal may read, with their titles.
func (s *Server) councilLinks(r *http.Request, p principal) ([]councilLink, bool, error) {
	streams, err := s.store.Streams(r.Context())
	if err != nil {
		return nil, false, err
	}
	var out []councilLink
	for _, name := range streams {
		if name == "" || name[0] == '$' || !p.reads(name, s.cat.isPublic(name)) {
			continue
		}
		if len(out) == maxListed {
			return out, true, nil
		}
		l := councilLink{Name: name, Public: s.cat.isPublic(name)}
		_ = s.svc.View(r.Context(), name, func(v councils.View) error {
			l.Title = v.Def.Title
			return nil
		})
		out = append(out, l)
	}
	return out, false, nil
}

// consoleOf is where a principal acts: its council's console, or the admin's page.
func consoleOf(p principal) string {
	switch {
	case p.anonymous || p.grant.Role == "":
		return ""
	case p.grant.Role == access.Admin:
		return "/admin"
	}
	return "/c/" + p.grant.Council + "/console"
}

// indexPage serves GET /: the councils this visitor may read, and the sign-in form.
func (s *Server) indexPage(w http.ResponseWriter, r *http.Request, p principal) error {
	return s.renderIndex(w, r, p, http.StatusOK, "")
}

func (s *Server) renderIndex(w http.ResponseWriter, r *http.Request, p principal, status int, problem string) error {
	list, more, err := s.councilLinks(r, p)
	if err != nil {
		return err
	}
	data := indexData{Page: s.base(r, p, "Councils", ""), Councils: list, More: more, Error: problem, Console: consoleOf(p)}
	switch r.URL.Query().Get("signin") {
	case "required":
		data.Notice = "Sign in with your token to use the console."
	case "out":
		data.Notice = "You are signed out."
	}
	return s.render(w, status, "index.html", data)
}

// readForm reads a posted form within a size limit.
func readForm(w http.ResponseWriter, r *http.Request, limit int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		return council.Errorf(council.EINVALID, "the form could not be read: it may be too long (at most %d bytes)", limit)
	}
	return nil
}

// checkOrigin refuses a form posted from another site.
func checkOrigin(r *http.Request) error {
	if !sameOrigin(r) {
		return forbid("this form may be sent only from this site's own pages")
	}
	return nil
}

// signIn serves POST /signin: it takes the token from the form, keeps it in the session cookie and
// sends the browser to its console; a token the server does not know shows the form again.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, p principal) error {
	if err := checkOrigin(r); err != nil {
		return err
	}
	if err := readForm(w, r, 4<<10); err != nil {
		return err
	}
	token := strings.TrimSpace(r.PostForm.Get("token"))
	if token == "" {
		return s.renderIndex(w, r, p, http.StatusBadRequest, "Type or paste your token: it is the secret the secretariat gave you.")
	}
	g, ok := s.keeper.Authenticate(token)
	if !ok {
		if !s.limiter.Allow(addrKey(r)) {
			return council.Errorf(ERateLimited, "too many sign-in attempts: wait a moment and try again")
		}
		if err := s.keeper.Refresh(r.Context()); err != nil {
			return err
		}
		g, ok = s.keeper.Authenticate(token)
	}
	if !ok {
		return s.renderIndex(w, r, p, http.StatusUnauthorized, "That token is unknown or has been revoked. Check it and try again.")
	}
	setSession(w, r, token)
	http.Redirect(w, r, consoleOf(principal{grant: g}), http.StatusSeeOther)
	return nil
}

// signOut serves POST /signout: it forgets the session cookie.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request, _ principal) error {
	if err := checkOrigin(r); err != nil {
		return err
	}
	clearSession(w)
	http.Redirect(w, r, "/?signin=out", http.StatusSeeOther)
	return nil
}

// adminData is what the admin's page shows: every council, and the form that creates one.
type adminData struct {
	Page     pageBase
	Councils []councilLink
	More     bool
	Bodies   []string
	Error    string
	Created  *Created
	Form     CreateCouncil
}

// needSignIn sends a visitor that is not signed in to the index, which asks it to sign in.
func needSignIn(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/?signin=required", http.StatusSeeOther)
	return nil
}

// adminPage serves GET /admin: the admin's page.
func (s *Server) adminPage(w http.ResponseWriter, r *http.Request, p principal) error {
	if p.anonymous {
		return needSignIn(w, r)
	}
	if p.grant.Role != access.Admin {
		return forbid("only the server's admin token opens this page")
	}
	return s.renderAdmin(w, r, p, http.StatusOK, adminData{})
}

func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, p principal, status int, data adminData) error {
	list, more, err := s.councilLinks(r, p)
	if err != nil {
		return err
	}
	data.Page = s.base(r, p, "Admin", "")
	data.Councils, data.More, data.Bodies = list, more, bodies.BuiltinIDs()
	return s.render(w, status, "admin.html", data)
}

// adminCreate serves POST /admin/councils: it creates a council from the form and shows its
// secretariat's token, once.
func (s *Server) adminCreate(w http.ResponseWriter, r *http.Request, p principal) error {
	if err := checkOrigin(r); err != nil {
		return err
	}
	if p.anonymous {
		return needSignIn(w, r)
	}
	if p.grant.Role != access.Admin {
		return forbid("only the server's admin token creates councils")
	}
	if err := readForm(w, r, maxBody); err != nil {
		return err
	}
	f := r.PostForm
	req := CreateCouncil{Name: strings.TrimSpace(f.Get("name")), Title: strings.TrimSpace(f.Get("title")),
		Body: strings.TrimSpace(f.Get("body")), BodyFile: strings.TrimSpace(strings.ReplaceAll(f.Get("body_file"), "\r\n", "\n")),
		Public: f.Get("public") != ""}
	if req.BodyFile != "" {
		req.Body = ""
	}
	fail := func(err error) error {
		if council.ErrorCode(err) == council.EINTERNAL {
			return err
		}
		lead, msg := plainError(err)
		return s.renderAdmin(w, r, p, statusOf(council.ErrorCode(err)), adminData{Error: lead + " " + msg, Form: req})
	}
	if d := strings.TrimSpace(f.Get("date")); d != "" {
		day, err := council.ParseDate(d)
		if err != nil {
			return fail(invalidField("date", "the date must be written YYYY-MM-DD, not %q", d))
		}
		req.Date = day
	}
	if n := strings.TrimSpace(f.Get("next_meeting")); n != "" {
		v, err := strconv.Atoi(n)
		if err != nil || v < 1 {
			return fail(invalidField("next_meeting", "the next meeting's number must be a whole number of at least 1"))
		}
		req.NextMeeting = v
	}
	out, err := s.create(r.Context(), req)
	if err != nil {
		return fail(err)
	}
	w.Header().Set("Cache-Control", "no-store") // the secretariat's token is on the page
	return s.renderAdmin(w, r, p, http.StatusCreated, adminData{Created: &out})
}
