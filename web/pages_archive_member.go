package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/councils"
	"github.com/opencouncil/council/history"
)

// The members' pages: GET /archive/members lists every state that sat on the Council (from package
// roster, which runs past the meetings table), GET /archive/members/{code} gives one member's record
// as history's Member tells it — its terms with what the Council did in them and the months it
// presided, the drafts it vetoed, and the other ballots the record names.

// archMemberRow is a state in the list of members.
type archMemberRow struct {
	Code      string
	Name      string
	Permanent bool
	First     int
	Last      int
	Years     int
	Vetoes    int
}

// archMembersPage is the list of members.
type archMembersPage struct {
	Page       pageBase
	Permanent  archMemberTable
	Elected    archMemberTable
	RosterEnds int
	RecordEnds string
}

// archMemberTable is a table of members, with its caption.
type archMemberTable struct {
	Caption string
	Rows    []archMemberRow
}

// archiveMembers lists every state that sat.
func (s *Server) archiveMembers(w http.ResponseWriter, r *http.Request, p principal) error {
	a, err := theArchive()
	if err != nil {
		return err
	}
	data := archMembersPage{Page: s.archBase(r, p, "Members of the Security Council"), RecordEnds: archDate(a.h.Stats.Last),
		Permanent: archMemberTable{Caption: "The five permanent members, the USSR until 1991 and the Russian Federation since, by name"},
		Elected:   archMemberTable{Caption: "By name; a state's years need not be one run"}}
	_, data.RosterEnds = a.h.Roster().Years()
	for _, m := range a.members {
		if m.Permanent {
			data.Permanent.Rows = append(data.Permanent.Rows, m)
		} else {
			data.Elected.Rows = append(data.Elected.Rows, m)
		}
	}
	return s.render(w, http.StatusOK, "archive-members.html", data)
}

// archMemberPage is a member's record.
type archMemberPage struct {
	Page       pageBase
	Code       string
	Name       string
	Permanent  bool
	Years      int
	Terms      []archTerm
	Vetoes     []archVeto
	Ballots    []archKnownBallot
	RecordEnds string
	API        string
}

// archTerm is an unbroken run of years on the Council.
type archTerm struct {
	history.Term
	Span         string // "1946–2026", or one year
	Presidencies []string
	Partial      string // where the term runs past the meetings table: "the record ends in 2022"
}

// archVeto is a draft the member vetoed.
type archVeto struct {
	Date   string
	Short  string
	Draft  string
	Link   string
	Agenda string
	Topic  string
	With   []memberRef // the other vetoing members
}

// archKnownBallot is one of the member's ballots the record names, other than a veto.
type archKnownBallot struct {
	Date     string
	Short    string
	Document string
	Kind     string
	Ballot   string // site.css's class: yes, no, abstain, not_participating
	Text     string
	Link     string
}

// memberPage builds a member's page from its record.
func (a *archive) memberPage(rec *history.MemberRecord) archMemberPage {
	p := archMemberPage{Code: rec.Code, Name: rec.Name, Permanent: rec.Permanent, Years: rec.Years,
		RecordEnds: archDate(rec.RecordEnds), API: "/v1/history/members/" + rec.Code}
	for _, t := range rec.Terms {
		at := archTerm{Term: t, Span: fmt.Sprintf("%d–%d", t.From, t.To)}
		if t.To > a.last {
			at.Partial = fmt.Sprintf("the meetings table ends in %d", a.last)
		}
		if t.From == t.To {
			at.Span = fmt.Sprint(t.From)
		}
		for _, ym := range t.Presidencies {
			if d, err := time.Parse("2006-01", ym); err == nil {
				at.Presidencies = append(at.Presidencies, d.Format("January 2006"))
			}
		}
		p.Terms = append(p.Terms, at)
	}
	rowOf := map[int]int{}
	for k, v := range a.h.Vetoes {
		rowOf[v.Row] = k
	}
	for _, v := range rec.Vetoes {
		y, _ := strconv.Atoi(v.Date[:4])
		av := archVeto{Date: v.Date, Short: archShortDate(v.Date), Draft: v.Draft, Agenda: v.Agenda, Topic: v.Topic}
		for _, c := range v.Members {
			if c != rec.Code {
				av.With = append(av.With, memberRef{Code: c, Name: a.memberName(c, y)})
			}
		}
		if k, ok := rowOf[v.Row]; ok && a.vetoAt[k].m >= 0 {
			av.Link = a.votePath(a.vetoAt[k])
		}
		p.Vetoes = append(p.Vetoes, av)
	}
	words := map[string]string{"yes": "In favour", "no": "Against", "abstain": "Abstained", "not participating": "Did not participate"}
	for _, b := range rec.Ballots {
		if b.Kind == history.KindDraftVetoed && b.Ballot == "no" {
			continue // listed with the vetoes
		}
		kb := archKnownBallot{Date: b.Date, Short: archShortDate(b.Date), Document: b.Document, Kind: kindNames[b.Kind],
			Ballot: strings.ReplaceAll(b.Ballot, " ", "_"), Text: words[b.Ballot]}
		if r := a.refOf(b.Meeting, b.Document, b.Kind); r.m >= 0 {
			kb.Link = a.votePath(r)
		}
		p.Ballots = append(p.Ballots, kb)
	}
	return p
}

// archiveMember is a member's record.
func (s *Server) archiveMember(w http.ResponseWriter, r *http.Request, p principal) error {
	a, err := theArchive()
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	rec, err := a.h.Member(code)
	if errors.Is(err, history.ErrBadQuery) {
		return council.Errorf(councils.ENotFound, "%s never sat on the Security Council: give a member's ISO 3166 alpha-3 code, such as USA, or SUN for the USSR (see /archive/members)", code)
	}
	if err != nil {
		return err
	}
	data := a.memberPage(rec)
	data.Page = s.archBase(r, p, rec.Name+" on the Security Council")
	return s.render(w, http.StatusOK, "archive-member.html", data)
}
