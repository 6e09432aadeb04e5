package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/opencouncil/council"
)

// act serves POST /c/{council}/act/{kind}: a console's form, run as the API's command of that kind.
// The form's fields are the command's JSON fields (lists comma-separated or repeated, the agenda one
// item a line, dates YYYY-MM-DD). A form from another site is refused before anything is read. On
// success the browser goes back to the form's "back" path (or the console) with ?done=<event type>;
// a refusal shows the console again with the engine's message.
func (s *Server) act(w http.ResponseWriter, r *http.Request, p principal) error {
	name, kind := r.PathValue("council"), r.PathValue("kind")
	if err := checkOrigin(r); err != nil {
		return err
	}
	if s.closing.Load() {
		return council.Errorf(EUnavailable, "the server is shutting down: try again in a moment")
	}
	if p.anonymous {
		return council.Errorf(EUnauthorized, "sign in with your token to act on %s", name)
	}
	if _, err := s.readable(r, p); err != nil {
		return err
	}
	if _, ok := commandKinds[kind]; !ok {
		return council.Errorf(EUnknownKind, "there is no command %q", kind)
	}
	fail := func(err error) error { return s.consoleError(w, r, p, name, err) }
	if !p.runs(name) && p.member(name) == "" {
		s.metrics.commands.WithLabelValues(kind, "forbidden").Inc()
		return fail(forbid("%s token may not give commands", article(p.grant.Role)))
	}
	if err := readForm(w, r, maxBody); err != nil {
		return fail(err)
	}
	body, err := formJSON(kind, r.PostForm)
	if err != nil {
		return fail(err)
	}
	cmd, err := decodeCommand(kind, body)
	if err != nil {
		return fail(err)
	}
	out, err := s.execute(r.Context(), p, name, kind, "", cmd)
	if err != nil {
		return fail(err)
	}
	http.Redirect(w, r, backTo(r.PostForm.Get("back"), "/c/"+name+"/console", out.Event.EventType()), http.StatusSeeOther)
	return nil
}

// backTo is where a form sends the browser after it succeeded: its "back" path when that is a path
// on this site, else the fallback, with ?done= naming what happened.
func backTo(back, fallback, done string) string {
	path, ok := samePath(back)
	if !ok {
		path = fallback
	}
	u, err := url.Parse(path)
	if err != nil || u.Scheme != "" || u.Host != "" {
		u = &url.URL{Path: fallback}
	}
	q := u.Query()
	q.Set("done", done)
	u.RawQuery = q.Encode()
	return u.String()
}

// consoleError shows the console again with an error in plain words; an error the console cannot
// show (the council cannot be read) becomes an error page.
func (s *Server) consoleError(w http.ResponseWriter, r *http.Request, p principal, name string, err error) error {
	if council.ErrorCode(err) == council.EINTERNAL {
		return err
	}
	data, cerr := s.consoleOf(r, p, name)
	if cerr != nil {
		return err
	}
	data.ErrorLead, data.Error = plainError(err)
	return s.render(w, statusOf(council.ErrorCode(err)), "console.html", data)
}

// dateType is the type of a day in a command.
var dateType = reflect.TypeFor[council.Date]()

// formJSON builds a command's JSON from a form: each of the command's fields from the form field of
// the same name; empty fields are left out, so the command's defaults apply.
func formJSON(kind string, form url.Values) ([]byte, error) {
	mk, ok := commandKinds[kind]
	if !ok {
		return nil, council.Errorf(EUnknownKind, "there is no command %q", kind)
	}
	obj := map[string]any{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct {
				walk(f.Type)
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "" || name == "-" {
				continue
			}
			vals := form[name]
			switch {
			case f.Type == dateType || f.Type.Kind() == reflect.String:
				if v := firstValue(vals); v != "" {
					obj[name] = v
				}
			case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.String:
				if items := splitList(name, vals); len(items) > 0 {
					obj[name] = items
				}
			}
		}
	}
	walk(reflect.TypeOf(mk()).Elem())
	return json.Marshal(obj)
}

// firstValue is a form field's first value that is not blank, trimmed, with line breaks made \n.
func firstValue(vals []string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n")); v != "" {
			return v
		}
	}
	return ""
}

// splitList reads a list field: the agenda one item a line, other lists (member codes) separated by
// commas, semicolons, spaces or lines; a field may also be repeated.
func splitList(name string, vals []string) []string {
	var out []string
	for _, v := range vals {
		var parts []string
		if name == "agenda" {
			parts = strings.Split(strings.ReplaceAll(v, "\r\n", "\n"), "\n")
		} else {
			parts = strings.FieldsFunc(v, func(r rune) bool {
				return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
			})
		}
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// doneTexts say in words what a form did, by the event it produced.
var doneTexts = map[string]string{
	"request-drafted":        "The letter was drafted.",
	"request-signed":         "The letter was signed.",
	"signature-withdrawn":    "The signature was taken back.",
	"request-declined":       "You declined to sign.",
	"request-submitted":      "The letter was submitted to the President.",
	"request-abandoned":      "The request was abandoned.",
	"meeting-scheduled":      "The meeting was scheduled.",
	"meeting-postponed":      "The meeting was postponed.",
	"meeting-cancelled":      "The meeting was cancelled.",
	"meeting-opened":         "The meeting is open.",
	"agenda-objected":        "The objection to the agenda is recorded.",
	"agenda-adopted":         "The agenda was adopted.",
	"draft-circulated":       "The draft was circulated.",
	"draft-cosponsored":      "You joined the draft's sponsors.",
	"amendment-proposed":     "The amendment was proposed.",
	"draft-withdrawn":        "The draft was withdrawn.",
	"vote-taken":             "The vote was taken.",
	"statement-made":         "The statement is in the record.",
	"presidential-statement": "The presidential statement was put to the members.",
	"meeting-closed":         "The meeting is closed.",
	"vote-opened":            "The vote is open.",
	"ballot-cast":            "Your ballot was cast.",
	"speaker-inscribed":      "You are on the speakers list.",
	"token-issued":           "The token was issued.",
	"token-revoked":          "The token was revoked.",
}

// doneText says what a form did, from its ?done=; "" for nothing known.
func doneText(done string) string {
	return doneTexts[done]
}
