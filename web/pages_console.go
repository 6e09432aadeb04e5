package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
)

// consoleData is what a console shows its principal: a delegation its letters, drafts, the open
// meeting and its ballot; the President and the secretariat the programme, the meeting in session,
// votes and the speakers list; the secretariat its tokens.
type consoleData struct {
	Page       pageBase
	Name       string
	Title      string
	Today      string
	TodayISO   string
	ErrorLead  string
	Error      string
	Done       string
	Role       string
	Me         memberRef
	Delegation bool
	Chair      bool // the President of the day's delegation, or the secretariat
	Runs       bool // the secretariat or the admin
	President  memberRef
	Members    []memberRef
	Requests   []consoleRequest
	Submitted  []requestLine
	Drafts     []consoleDraft
	Open       []consoleMeeting
	Programme  []consoleMeeting
	Tokens     []access.Grant
	NewToken   *IssuedToken
}

// consoleRequest is an open letter and where the delegation stands on it.
type consoleRequest struct {
	requestLine
	Signed    bool
	Declined  bool
	CanSubmit bool // a signatory may send it to the President: it has the support it needs
}

// consoleDraft is a pending draft and whether the delegation sponsors it.
type consoleDraft struct {
	draftLine
	Sponsor bool
}

// consoleMeeting is a meeting the console acts on.
type consoleMeeting struct {
	meetingView
	AgendaAdopted bool
	Objections    []memberRef
	Objected      bool
	Speakers      []memberRef
	OnList        bool
	OpenVote      *openVoteView
	MyBallot      string
	Party         bool
	CanBallot     bool
	BallotIDs     bool // the first ballot form on the page carries the ids ballot-yes, -no, -abstain
	Targets       []option
}

// option is a choice in a select.
type option struct {
	Value string
	Text  string
}

// consolePage serves GET /c/{council}/console.
func (s *Server) consolePage(w http.ResponseWriter, r *http.Request, p principal) error {
	if p.anonymous {
		return needSignIn(w, r)
	}
	if _, err := s.readable(r, p); err != nil {
		return err
	}
	data, err := s.consoleOf(r, p, r.PathValue("council"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "console.html", data)
}

// consoleOf builds a principal's console of a council.
func (s *Server) consoleOf(r *http.Request, p principal, name string) (consoleData, error) {
	if !p.reads(name, s.cat.isPublic(name)) {
		return consoleData{}, forbid("%s token of %s may not read %s", article(p.grant.Role), orServer(p.grant.Council), name)
	}
	sn, err := s.snapshotOf(r.Context(), name)
	if err != nil {
		return consoleData{}, err
	}
	title := sn.title()
	me := p.member(name)
	d := consoleData{Page: s.base(r, p, "Console", name), Name: name, Title: title, Today: longDate(sn.Day), TodayISO: sn.Day.String(),
		Done: doneText(r.URL.Query().Get("done")), Role: string(p.grant.Role), Delegation: me != "", Runs: p.runs(name),
		Members: sn.members()}
	d.Page.Live, d.Page.Reload, d.Page.Version = true, true, sn.Info.Version
	if me != "" {
		d.Me = sn.ref(me)
	}
	if sn.Info.President != "" {
		d.President = sn.ref(sn.Info.President)
	}
	d.Chair = d.Runs || (me != "" && me == sn.Info.President)
	lines := sn.requestLines()
	for i, rec := range sn.Rec.Requests {
		q := lines[i]
		switch q.Status {
		case council.StatusDrafted:
			signed := slices.Contains(rec.Signatories, me)
			d.Requests = append(d.Requests, consoleRequest{requestLine: q, Signed: signed,
				Declined: slices.Contains(rec.Declined, me), CanSubmit: signed && rec.Needed > 0 && rec.Missing == 0})
		case council.StatusSubmitted:
			d.Submitted = append(d.Submitted, q)
		}
	}
	for _, x := range sn.draftLines() {
		if x.Status != council.StatusPending {
			continue
		}
		cd := consoleDraft{draftLine: x}
		cd.Sponsor = slices.ContainsFunc(x.Sponsors, func(m memberRef) bool { return m.Code == me })
		d.Drafts = append(d.Drafts, cd)
	}
	ids := true
	for _, m := range sn.Rec.Meetings {
		cm := consoleMeeting{meetingView: sn.meetingOf(m), AgendaAdopted: m.AgendaAdopted, Objections: sn.refs(m.Objections),
			Objected: slices.Contains(m.Objections, me), Speakers: sn.refs(m.Speakers), OnList: slices.Contains(m.Speakers, me),
			OpenVote: sn.openVoteOf(m.OpenVote)}
		switch m.Status {
		case council.StatusOpen:
			if v := m.OpenVote; v != nil && me != "" {
				cm.Party = slices.Contains(v.Parties, me)
				for _, b := range v.Ballots {
					if b.Member == me {
						cm.MyBallot = ballotText(b.Ballot)
					}
				}
				cm.CanBallot = !cm.Party && cm.MyBallot == ""
				cm.BallotIDs = cm.CanBallot && ids
				ids = ids && !cm.CanBallot
			}
			if !m.AgendaAdopted {
				cm.Targets = append(cm.Targets, option{"agenda", "The provisional agenda"})
			}
			for _, x := range sn.Rec.Drafts {
				if x.Status == council.StatusPending && (x.Meeting == "" || x.Meeting == m.ID) {
					cm.Targets = append(cm.Targets, option{x.ID, strings.TrimSpace(x.ID + ": " + sn.onText(x.ID))})
				}
			}
			d.Open = append(d.Open, cm)
		case council.StatusScheduled, council.StatusPostponed:
			d.Programme = append(d.Programme, cm)
		}
	}
	if d.Runs {
		d.Tokens = s.keeper.Grants(name)
	}
	return d, nil
}

// issuePage serves POST /c/{council}/tokens: the secretariat issues a token, shown once.
func (s *Server) issuePage(w http.ResponseWriter, r *http.Request, p principal) error {
	name := r.PathValue("council")
	if err := checkOrigin(r); err != nil {
		return err
	}
	if err := s.mustRun(p, name); err != nil {
		return err
	}
	fail := func(err error) error { return s.consoleError(w, r, p, name, err) }
	if err := readForm(w, r, 4<<10); err != nil {
		return fail(err)
	}
	req := IssueToken{Role: access.Role(strings.TrimSpace(r.PostForm.Get("role"))), Member: strings.TrimSpace(r.PostForm.Get("member")),
		Label: strings.TrimSpace(r.PostForm.Get("label"))}
	if _, err := s.svc.Version(r.Context(), name); err != nil {
		return err
	}
	if !slices.Contains([]access.Role{access.Secretariat, access.Delegation, access.Observer}, req.Role) {
		return fail(invalidField("role", "choose the token's role: secretariat, delegation or observer"))
	}
	if req.Role == access.Delegation {
		if err := s.sits(r, name, req.Member); err != nil {
			return fail(err)
		}
	} else {
		req.Member = "" // the member select is only for delegations
	}
	g, token, err := s.keeper.Issue(r.Context(), access.Grant{Council: name, Role: req.Role, Member: req.Member, Label: req.Label})
	if err != nil {
		return fail(err)
	}
	data, err := s.consoleOf(r, p, name)
	if err != nil {
		return err
	}
	data.NewToken = &IssuedToken{Grant: g, Token: token}
	data.Done = doneText("token-issued")
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, http.StatusCreated, "console.html", data)
}

// revokePage serves POST /c/{council}/tokens/{id}/revoke: the secretariat ends a token.
func (s *Server) revokePage(w http.ResponseWriter, r *http.Request, p principal) error {
	name := r.PathValue("council")
	if err := checkOrigin(r); err != nil {
		return err
	}
	if err := s.mustRun(p, name); err != nil {
		return err
	}
	if err := s.keeper.Revoke(r.Context(), name, r.PathValue("id")); err != nil {
		return s.consoleError(w, r, p, name, err)
	}
	http.Redirect(w, r, backTo("", "/c/"+name+"/console", "token-revoked"), http.StatusSeeOther)
	return nil
}
