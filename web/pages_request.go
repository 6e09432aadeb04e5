package web

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/councils"
)

// requestData is what a request's page shows: the letter, its support against the threshold, who
// signed, declined or has not answered, and whose signature alone would make the difference.
type requestData struct {
	Page       pageBase
	Name       string
	Req        council.RequestRecord
	By         memberRef
	Drafted    string
	MeetingOn  string
	StatusText string
	Segments   []segment
	Signed     []memberRef
	Declined   []memberRef
	Undecided  []memberRef
	Decisive   []decisiveRef
	Lead       string // the sentence before the decisive members, or the whole of it
	Done       string
	Me         string
	CanSign    bool
	CanDecline bool
	CanUnsign  bool
	CanSubmit  bool
}

// segment is one seat in the support bar: filled when it stands for a signature; the seat that
// reaches the threshold is marked.
type segment struct {
	Filled    bool
	Threshold bool
}

// decisiveRef is a member whose signature alone would close the gap, and whether it had declined.
type decisiveRef struct {
	memberRef
	Declined bool
}

// requestStatus says a request's status in words.
func requestStatus(q council.RequestRecord) string {
	switch q.Status {
	case council.StatusDrafted:
		return "Open for signature"
	case council.StatusSubmitted:
		return "Submitted to the President"
	case council.StatusScheduled:
		return "Meeting scheduled"
	case council.StatusAbandoned:
		return "Abandoned"
	}
	return q.Status
}

// supportBar draws the support as one segment per seat, at least as many as are needed.
func supportBar(q council.RequestRecord) []segment {
	total := q.Support + len(q.Undecided)
	for _, m := range q.Declined {
		if !slices.Contains(q.Undecided, m) && !slices.Contains(q.Signatories, m) {
			total++
		}
	}
	total = max(total, q.Needed, q.Support)
	out := make([]segment, total)
	for i := range out {
		out[i] = segment{Filled: i < q.Support, Threshold: i+1 == q.Needed}
	}
	return out
}

// decisiveLead says whose signature alone would make the difference: when one signature is missing,
// any member that has not signed; otherwise why no single signature would.
func decisiveLead(q council.RequestRecord) string {
	plural := func(n int) string {
		if n == 1 {
			return "signature"
		}
		return "signatures"
	}
	var lead string
	switch {
	case q.Needed == 0:
		lead = "The number of signatures needed is not known for this day."
	case q.Missing == 0:
		lead = fmt.Sprintf("The letter has the support it needs (%d of %d): no single signature makes the difference now.", q.Support, q.Needed)
	case q.Missing == 1 && len(q.Decisive) > 0:
		lead = "One more signature is needed: the signature of any one of these members alone would make the difference:"
	case q.Missing == 1:
		lead = "One more signature is needed, and no member that could give it is left."
	default:
		lead = fmt.Sprintf("%d more %s are needed: no single signature alone would make the difference.", q.Missing, plural(q.Missing))
	}
	switch q.Status {
	case council.StatusSubmitted, council.StatusScheduled:
		return "The letter has been submitted: signatures no longer change it. " + lead
	case council.StatusAbandoned:
		return "The request was abandoned. " + lead
	}
	return lead
}

// requestPage serves GET /c/{council}/requests/{id}.
func (s *Server) requestPage(w http.ResponseWriter, r *http.Request, p principal) error {
	sn, err := s.readableSnapshot(r, p)
	if err != nil {
		return err
	}
	name := sn.Name
	id := r.PathValue("id")
	i := slices.IndexFunc(sn.Rec.Requests, func(q council.RequestRecord) bool { return q.ID == id })
	if i < 0 {
		return council.Errorf(councils.ENotFound, "%s has no request %q", name, id)
	}
	q := sn.Rec.Requests[i]
	title := q.Subject
	if title == "" {
		title = "Request " + q.ID
	}
	data := requestData{Page: s.base(r, p, title, name), Name: name, Req: q, By: sn.ref(q.By), Drafted: longDate(q.Drafted),
		MeetingOn: longDate(q.MeetingOn), StatusText: requestStatus(q), Segments: supportBar(q),
		Signed: sn.refs(q.Signatories), Declined: sn.refs(q.Declined), Undecided: sn.refs(q.Undecided),
		Lead: decisiveLead(q), Done: doneText(r.URL.Query().Get("done"))}
	data.Page.Live, data.Page.Version = true, sn.Info.Version
	for _, m := range q.Decisive {
		data.Decisive = append(data.Decisive, decisiveRef{memberRef: sn.ref(m), Declined: slices.Contains(q.Declined, m)})
	}
	me := p.member(name)
	open := q.Status == council.StatusDrafted
	signed := slices.Contains(q.Signatories, me)
	if me != "" && open {
		data.Me = me
		data.CanSign = !signed
		data.CanDecline = !signed && !slices.Contains(q.Declined, me)
		data.CanUnsign = signed && me != q.By
	}
	data.CanSubmit = open && q.Missing == 0 && q.Needed > 0 && (signed || p.runs(name))
	return s.render(w, http.StatusOK, "request.html", data)
}
