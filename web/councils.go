package web

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
	"github.com/opencouncil/council/councils"
)

// CreateCouncil is the body of POST /v1/councils: a council from a built-in body or a body file, with
// the real roster of its date or an explicit membership.
type CreateCouncil struct {
	Name           string              `json:"name"`
	Title          string              `json:"title,omitempty"`
	Body           string              `json:"body,omitempty"`      // a built-in body's id; "unsc" when empty
	BodyFile       string              `json:"body_file,omitempty"` // the text of a body file (YAML), instead
	Date           council.Date        `json:"date"`                // the council's first day: the roster of that day
	Members        map[string][]string `json:"members,omitempty"`   // class to member codes, instead of the roster
	Weights        map[string]int64    `json:"weights,omitempty"`
	NextMeeting    int                 `json:"next_meeting,omitempty"`
	NextResolution int                 `json:"next_resolution,omitempty"`
	Public         bool                `json:"public,omitempty"` // anyone may read the record
}

// Created is the answer to a council's creation: its secretariat's token, shown once.
type Created struct {
	Council     CouncilInfo `json:"council"`
	Secretariat IssuedToken `json:"secretariat"`
}

// CouncilInfo is a council as GET /v1/councils/{council} shows it.
type CouncilInfo struct {
	Name      string       `json:"name"`
	Title     string       `json:"title,omitempty"`
	Body      string       `json:"body"`
	Public    bool         `json:"public"`
	Version   int64        `json:"version"`
	Today     council.Date `json:"today,omitzero"`
	President string       `json:"president,omitempty"`
	Members   []MemberInfo `json:"members"`
}

// MemberInfo is a member sitting on the council's current day.
type MemberInfo struct {
	Code    string `json:"code"`
	Class   string `json:"class"`
	Weight  int64  `json:"weight,omitempty"`
	TermEnd int    `json:"term_end,omitempty"` // the last year of an elected member's term, when known
}

// IssuedToken is a token as issued: its grant, and the secret, which the server never shows again.
type IssuedToken struct {
	access.Grant
	Token string `json:"token"`
}

var councilName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

func (s *Server) createCouncil(w http.ResponseWriter, r *http.Request, p principal) error {
	if p.anonymous {
		return council.Errorf(EUnauthorized, "creating a council needs the admin token")
	}
	if p.grant.Role != access.Admin {
		return forbid("only the server's admin token creates councils")
	}
	var req CreateCouncil
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	out, err := s.create(r.Context(), req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/councils/"+req.Name)
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// create starts a council and issues its secretariat's token.
func (s *Server) create(ctx context.Context, req CreateCouncil) (Created, error) {
	switch {
	case !councilName.MatchString(req.Name):
		return Created{}, invalidField("name", "name must be 1 to 64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit")
	case req.Date.IsZero():
		return Created{}, invalidField("date", "date is missing: the council's first day, YYYY-MM-DD")
	case req.Body != "" && req.BodyFile != "":
		return Created{}, invalidField("body_file", "give body or body_file, not both")
	}
	if req.Body == "" {
		req.Body = "unsc"
	}
	def := &council.CouncilCreated{Dated: council.Dated{Date: req.Date}, Title: req.Title, Body: req.Body,
		BodyFile: req.BodyFile, Members: req.Members, Weights: req.Weights,
		NextMeeting: req.NextMeeting, NextResolution: req.NextResolution}
	if req.BodyFile != "" {
		def.Body = req.Name + ".yaml"
	}
	if err := s.svc.Create(ctx, req.Name, def); err != nil {
		return Created{}, err
	}
	if req.Public {
		if err := s.cat.setPublic(ctx, req.Name, true); err != nil {
			return Created{}, err
		}
	}
	g, token, err := s.keeper.Issue(ctx, access.Grant{Council: req.Name, Role: access.Secretariat, Label: "secretariat"})
	if err != nil {
		return Created{}, err
	}
	info, err := s.info(ctx, req.Name)
	if err != nil {
		return Created{}, err
	}
	return Created{Council: info, Secretariat: IssuedToken{Grant: g, Token: token}}, nil
}

// EnsureCouncil creates a council when the server has none yet, and returns its secretariat's token.
func (s *Server) EnsureCouncil(ctx context.Context, req CreateCouncil) (bool, string, error) {
	streams, err := s.store.Streams(ctx)
	if err != nil {
		return false, "", err
	}
	for _, name := range streams {
		if !strings.HasPrefix(name, "$") {
			return false, "", nil
		}
	}
	out, err := s.create(ctx, req)
	if err != nil {
		return false, "", err
	}
	return true, out.Secretariat.Token, nil
}

// readable checks that the principal may read the council, and that it exists.
func (s *Server) readable(r *http.Request, p principal) (string, error) {
	name := r.PathValue("council")
	if !p.reads(name, s.cat.isPublic(name)) {
		if p.anonymous {
			return "", council.Errorf(EUnauthorized, "council %s is not public: send a token", name)
		}
		return "", forbid("%s token of %s may not read %s", article(p.grant.Role), orServer(p.grant.Council), name)
	}
	return name, nil
}

func (s *Server) getCouncil(w http.ResponseWriter, r *http.Request, p principal) error {
	name, err := s.readable(r, p)
	if err != nil {
		return err
	}
	info, err := s.info(r.Context(), name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, info)
	return nil
}

// info describes a council as it stands.
func (s *Server) info(ctx context.Context, name string) (CouncilInfo, error) {
	var info CouncilInfo
	err := s.svc.View(ctx, name, func(v councils.View) error {
		info, _ = s.infoOf(name, v)
		return nil
	})
	return info, err
}

// infoOf describes a council from a view of it, with the sitting of its current day (its first day
// before anything happened), or no members for a day without data.
func (s *Server) infoOf(name string, v councils.View) (CouncilInfo, *council.Sitting) {
	info := CouncilInfo{Name: name, Title: v.Def.Title, Body: v.State.Body().ID, Public: s.cat.isPublic(name),
		Version: v.Version, Today: v.State.Today, Members: []MemberInfo{}}
	day := v.State.Today
	if day == 0 {
		day = v.Def.Date
	}
	sit, err := v.State.SittingOn(day)
	if err != nil {
		return info, nil
	}
	info.President = sit.President
	for _, m := range sit.Members {
		info.Members = append(info.Members, MemberInfo{Code: m.Code, Class: m.Class, Weight: m.Weight, TermEnd: v.TermEnd(m.Code, day)})
	}
	return info, sit
}

// PatchCouncil is the body of PATCH /v1/councils/{council}.
type PatchCouncil struct {
	Public *bool `json:"public"`
}

func (s *Server) patchCouncil(w http.ResponseWriter, r *http.Request, p principal) error {
	name := r.PathValue("council")
	if err := s.mustRun(p, name); err != nil {
		return err
	}
	var req PatchCouncil
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if _, err := s.svc.Version(r.Context(), name); err != nil {
		return err
	}
	if req.Public != nil {
		if err := s.cat.setPublic(r.Context(), name, *req.Public); err != nil {
			return err
		}
	}
	info, err := s.info(r.Context(), name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, info)
	return nil
}

// mustRun checks that the principal runs the council: its secretariat or the admin.
func (s *Server) mustRun(p principal, name string) error {
	switch {
	case p.anonymous:
		return council.Errorf(EUnauthorized, "this needs the secretariat's token of %s", name)
	case !p.runs(name):
		return forbid("only the secretariat of %s may do this", name)
	}
	return nil
}

// CouncilList is the answer to GET /v1/councils.
type CouncilList struct {
	Councils []string `json:"councils"`
}

func (s *Server) listCouncils(w http.ResponseWriter, r *http.Request, p principal) error {
	streams, err := s.store.Streams(r.Context())
	if err != nil {
		return err
	}
	out := CouncilList{Councils: []string{}}
	for _, name := range streams {
		if name != "" && name[0] != '$' && p.reads(name, s.cat.isPublic(name)) {
			out.Councils = append(out.Councils, name)
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// Whoami is the answer to GET /v1/whoami: the caller's grant.
type Whoami struct {
	Anonymous bool          `json:"anonymous"`
	Grant     *access.Grant `json:"grant,omitempty"`
}

func (s *Server) whoami(w http.ResponseWriter, r *http.Request, p principal) error {
	out := Whoami{Anonymous: p.anonymous}
	if !p.anonymous {
		out.Grant = &p.grant
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// IssueToken is the body of POST /v1/councils/{council}/tokens.
type IssueToken struct {
	Role   access.Role `json:"role"`
	Member string      `json:"member,omitempty"`
	Label  string      `json:"label,omitempty"`
}

// TokenList is the answer to GET /v1/councils/{council}/tokens: grants, never secrets.
type TokenList struct {
	Tokens []access.Grant `json:"tokens"`
}

func (s *Server) issueToken(w http.ResponseWriter, r *http.Request, p principal) error {
	name := r.PathValue("council")
	if err := s.mustRun(p, name); err != nil {
		return err
	}
	var req IssueToken
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if _, err := s.svc.Version(r.Context(), name); err != nil {
		return err // no such council
	}
	if !slices.Contains([]access.Role{access.Secretariat, access.Delegation, access.Observer}, req.Role) {
		return invalidField("role", "role must be secretariat, delegation or observer, not %q", req.Role)
	}
	if req.Role == access.Delegation {
		if err := s.sits(r, name, req.Member); err != nil {
			return err
		}
	} else if req.Member != "" {
		return invalidField("member", "only a delegation token names a member")
	}
	g, token, err := s.keeper.Issue(r.Context(), access.Grant{Council: name, Role: req.Role, Member: req.Member, Label: req.Label})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, IssuedToken{Grant: g, Token: token})
	return nil
}

// sits checks that a delegation token's member is a member of the council on some day.
func (s *Server) sits(r *http.Request, name, member string) error {
	if member == "" {
		return invalidField("member", "a delegation token needs the member it acts for")
	}
	return s.svc.View(r.Context(), name, func(v councils.View) error {
		if !v.Known(member) {
			return invalidField("member", "%s is not a member of %s", member, name)
		}
		return nil
	})
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, p principal) error {
	name := r.PathValue("council")
	if err := s.mustRun(p, name); err != nil {
		return err
	}
	if _, err := s.svc.Version(r.Context(), name); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, TokenList{Tokens: s.keeper.Grants(name)})
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, p principal) error {
	name := r.PathValue("council")
	if err := s.mustRun(p, name); err != nil {
		return err
	}
	if err := s.keeper.Revoke(r.Context(), name, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
