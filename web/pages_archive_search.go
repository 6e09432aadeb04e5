package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/opencouncil/council/history"
)

// The archive's search (GET /archive/meetings): meetings by words of their topic, a range of years, a
// document or record symbol and a kind of outcome, in date order, 50 a page. A parameter that cannot
// be read is a 400 page that names it, with the form to correct it.

// archPageSize is the number of meetings a page of results lists.
const archPageSize = 50

// archQuery is a search of the meetings, as read from the query string.
type archQuery struct {
	Topic    string
	From, To int // years; 0 for the record's first or last
	Symbol   string
	Kind     string
	Page     int // from 1
}

// archKinds are the kinds of outcome a search can ask for.
var archKinds = []struct{ Value, Label string }{
	{"", "anything"},
	{"vote", "a vote"},
	{history.KindResolution, "a resolution"},
	{history.KindDraftVetoed, "a vetoed draft"},
	{history.KindDraftNotAdopted, "a draft not adopted, no veto"},
	{history.KindPRST, "a presidential statement"},
	{"disagree", "a vote the check disputes"},
}

// archFieldError is a search parameter that cannot be read.
type archFieldError struct {
	Field   string
	Message string
}

// Error is the reason, which names the field.
func (e *archFieldError) Error() string { return e.Message }

// parseQuery reads a search from the query string.
func (a *archive) parseQuery(v url.Values) (archQuery, *archFieldError) {
	q := archQuery{Topic: strings.TrimSpace(v.Get("topic")), Symbol: strings.TrimSpace(v.Get("symbol")), Kind: v.Get("kind"), Page: 1}
	bad := func(field, format string, args ...any) (archQuery, *archFieldError) {
		return q, &archFieldError{Field: field, Message: fmt.Sprintf(format, args...)}
	}
	if utf8.RuneCountInString(q.Topic) > 200 {
		return bad("topic", "topic must be at most 200 characters, not %d", utf8.RuneCountInString(q.Topic))
	}
	if utf8.RuneCountInString(q.Symbol) > 60 {
		return bad("symbol", "symbol must be at most 60 characters, not %d", utf8.RuneCountInString(q.Symbol))
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"from", &q.From}, {"to", &q.To}} {
		s := strings.TrimSpace(v.Get(f.name))
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return bad(f.name, "%s must be a year, such as 1950, not %q", f.name, s)
		}
		if n < a.first || n > a.last {
			return bad(f.name, "%s must be a year from %d to %d, the years the record covers, not %d", f.name, a.first, a.last, n)
		}
		*f.dst = n
	}
	if q.From != 0 && q.To != 0 && q.To < q.From {
		return bad("to", "to (%d) must not be before from (%d)", q.To, q.From)
	}
	known := false
	for _, k := range archKinds {
		known = known || k.Value == q.Kind
	}
	if !known {
		return bad("kind", "kind must be one of the choices of the form, not %q", q.Kind)
	}
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return bad("page", "page must be a whole number of at least 1, not %q", s)
		}
		q.Page = n
	}
	return q, nil
}

// values is the query string of a search, without its defaults.
func (q archQuery) values() url.Values {
	v := url.Values{}
	if q.Topic != "" {
		v.Set("topic", q.Topic)
	}
	if q.From != 0 {
		v.Set("from", strconv.Itoa(q.From))
	}
	if q.To != 0 {
		v.Set("to", strconv.Itoa(q.To))
	}
	if q.Symbol != "" {
		v.Set("symbol", q.Symbol)
	}
	if q.Kind != "" {
		v.Set("kind", q.Kind)
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	return v
}

// link is the address of a search.
func (q archQuery) link() string {
	if v := q.values().Encode(); v != "" {
		return "/archive/meetings?" + v
	}
	return "/archive/meetings"
}

// archSearchForm is the search form, filled in with a search, and its error.
type archSearchForm struct {
	Topic, From, To, Symbol string
	Kinds                   []archOption
	Min, Max                int
	Error                   *archFieldError
}

// archOption is a choice of a select.
type archOption struct {
	Value, Label string
	Selected     bool
}

// searchForm fills the form in with a search, or with what was sent when it could not be read.
func (a *archive) searchForm(q archQuery, sent url.Values) archSearchForm {
	f := archSearchForm{Topic: q.Topic, Symbol: q.Symbol, Min: a.first, Max: a.last}
	if q.From != 0 {
		f.From = strconv.Itoa(q.From)
	}
	if q.To != 0 {
		f.To = strconv.Itoa(q.To)
	}
	if sent != nil { // give back what was typed, so it can be corrected
		f.Topic, f.From, f.To, f.Symbol = sent.Get("topic"), sent.Get("from"), sent.Get("to"), sent.Get("symbol")
	}
	for _, k := range archKinds {
		f.Kinds = append(f.Kinds, archOption{Value: k.Value, Label: k.Label, Selected: k.Value == q.Kind})
	}
	return f
}

// archMeeting is a meeting as the results list it.
type archMeeting struct {
	Key      string
	Anchor   string
	Date     string
	Short    string
	Long     string
	Symbol   string
	Topic    string
	Closed   bool
	Outcomes []archOutcome
}

// meetingView shows a meeting of the record in a list.
func (a *archive) meetingView(i int) archMeeting {
	m := &a.h.Meetings[i]
	return archMeeting{Key: m.Key, Anchor: anchorOf(m.Key), Date: m.Date, Short: archShortDate(m.Date), Long: archDate(m.Date), Symbol: m.Symbol,
		Topic: m.Topic, Closed: m.Closed, Outcomes: a.outcomes(i)}
}

// archMeetingsPage is a page of results.
type archMeetingsPage struct {
	Page     pageBase
	Search   archSearchForm
	Heading  string
	Total    int
	Votes    int // votes among the meetings found
	First    int // the place of the page's first meeting, from 1
	Last     int
	PageNo   int
	Pages    int
	Prev     string
	Next     string
	Meetings []archMeeting
	API      string // the same question of the API, where it can ask it
}

// matches reports whether a meeting answers the symbol and kind of a search.
func (a *archive) matches(i int, symbol, kind string) bool {
	m := &a.h.Meetings[i]
	if symbol != "" && !strings.Contains(strings.ToUpper(m.Symbol), symbol) && !strings.Contains(strings.ToUpper(m.Key), symbol) {
		found := false
		for _, o := range m.Outcomes {
			found = found || strings.Contains(strings.ToUpper(o.Document), symbol)
		}
		if !found {
			return false
		}
	}
	if kind == "" {
		return true
	}
	for j := range m.Outcomes {
		o := &m.Outcomes[j]
		switch {
		case kind == "vote" && o.Votable(),
			kind == "disagree" && a.overview.disagrees[archRef{i, j}],
			kind == o.Kind:
			return true
		}
	}
	return false
}

// search lists the indexes of the meetings a search finds, in date order.
func (a *archive) search(q archQuery) []int {
	from, to := q.From, q.To
	if from == 0 {
		from = a.first
	}
	if to == 0 {
		to = a.last
	}
	topic, symbol := strings.ToLower(q.Topic), strings.ToUpper(q.Symbol)
	var out []int
	for i := a.yearStart[from]; i < a.yearStart[to+1]; i++ {
		if (topic == "" || strings.Contains(a.topics[i], topic)) && a.matches(i, symbol, q.Kind) {
			out = append(out, i)
		}
	}
	return out
}

// heading says what a search asked for: "Meetings on “korea”, 1950".
func (q archQuery) heading(a *archive) string {
	h := "Meetings"
	if q.Topic != "" {
		h += " on “" + q.Topic + "”"
	}
	if q.Symbol != "" {
		h += " with " + q.Symbol
	}
	from, to := q.From, q.To
	switch {
	case from == 0 && to == 0:
		return h + fmt.Sprintf(", %d–%d", a.first, a.last)
	case from == 0:
		from = a.first
	case to == 0:
		to = a.last
	}
	if from == to {
		return h + ", " + strconv.Itoa(from)
	}
	return h + fmt.Sprintf(", %d–%d", from, to)
}

// archiveMeetings is the search's results.
func (s *Server) archiveMeetings(w http.ResponseWriter, r *http.Request, p principal) error {
	a, err := theArchive()
	if err != nil {
		return err
	}
	q, ferr := a.parseQuery(r.URL.Query())
	if ferr != nil {
		return s.archiveSearchError(w, r, p, a, q, ferr)
	}
	found := a.search(q)
	data := archMeetingsPage{Search: a.searchForm(q, nil), Heading: q.heading(a), Total: len(found), PageNo: q.Page}
	data.Pages = max(1, (len(found)+archPageSize-1)/archPageSize)
	if q.Page > data.Pages {
		return s.archiveSearchError(w, r, p, a, q, &archFieldError{Field: "page",
			Message: fmt.Sprintf("page %d is past the last page of these results, %d", q.Page, data.Pages)})
	}
	lo := (q.Page - 1) * archPageSize
	hi := min(len(found), lo+archPageSize)
	for _, i := range found {
		for _, o := range a.h.Meetings[i].Outcomes {
			if o.Votable() {
				data.Votes++
			}
		}
	}
	for _, i := range found[lo:hi] {
		data.Meetings = append(data.Meetings, a.meetingView(i))
	}
	data.First, data.Last = lo+1, hi
	if q.Page > 1 {
		prev := q
		prev.Page--
		data.Prev = prev.link()
	}
	if q.Page < data.Pages {
		next := q
		next.Page++
		data.Next = next.link()
	}
	if q.Symbol == "" && q.Kind == "" && q.From != 0 && q.From == q.To {
		v := url.Values{"year": {strconv.Itoa(q.From)}}
		if q.Topic != "" {
			v.Set("topic", q.Topic)
		}
		data.API = "/v1/history/meetings?" + v.Encode()
	}
	title := data.Heading
	if q.Page > 1 {
		title += fmt.Sprintf(" (page %d)", q.Page)
	}
	data.Page = s.archBase(r, p, title)
	return s.render(w, http.StatusOK, "archive-meetings.html", data)
}

// archiveSearchError answers a search that cannot be read: 400, the form as it was sent with the
// field marked, and the reason.
func (s *Server) archiveSearchError(w http.ResponseWriter, r *http.Request, p principal, a *archive, q archQuery, ferr *archFieldError) error {
	form := a.searchForm(q, r.URL.Query())
	form.Error = ferr
	data := archMeetingsPage{Page: s.archBase(r, p, "Search the archive"), Search: form, Heading: "Search the archive"}
	return s.render(w, http.StatusBadRequest, "archive-meetings.html", data)
}
