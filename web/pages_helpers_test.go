package web

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
)

// browse fetches a page as a browser without JavaScript would: no redirects followed, the session
// cookie when one is given, and extra headers in pairs.
func (ts *testServer) browse(method, path, cookie string, form url.Values, header ...string) reply {
	ts.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, ts.http.URL+path, body)
	if err != nil {
		ts.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := *ts.http.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	return reply{status: res.StatusCode, header: res.Header, body: data}
}

// origin is the Origin header of this server's own pages.
func (ts *testServer) origin() []string {
	return []string{"Origin", ts.http.URL}
}

// mustPage fetches a page that must answer want with well-formed HTML, and returns its text.
func (ts *testServer) mustPage(want int, path, cookie string) string {
	ts.t.Helper()
	r := ts.browse("GET", path, cookie, nil)
	if r.status != want {
		ts.t.Fatalf("GET %s: status %d, want %d: %.2000s", path, r.status, want, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		ts.t.Fatalf("GET %s: Content-Type %q, want HTML", path, ct)
	}
	checkHTML(ts.t, path, string(r.body))
	return string(r.body)
}

// voidElements have no end tag.
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// closesP are the start tags that end an open <p> in an HTML parser: a template that puts one inside a
// <p> does not build the tree it reads as.
var closesP = map[string]bool{"address": true, "article": true, "aside": true, "blockquote": true, "div": true,
	"dl": true, "fieldset": true, "footer": true, "form": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "header": true, "hr": true, "main": true, "nav": true, "ol": true, "p": true,
	"pre": true, "section": true, "table": true, "ul": true}

var attrRE = regexp.MustCompile(`([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>` + "`" + `]+)))?`)

// htmlTag is a start or end tag read from a page.
type htmlTag struct {
	name  string
	end   bool
	attrs map[string]string
}

// htmlTags reads the tags of a page, skipping comments, the doctype and the text of scripts and styles.
func htmlTags(t testing.TB, page string) []htmlTag {
	var out []htmlTag
	for i := 0; i < len(page); {
		j := strings.IndexByte(page[i:], '<')
		if j < 0 {
			break
		}
		i += j
		switch {
		case strings.HasPrefix(page[i:], "<!--"):
			k := strings.Index(page[i:], "-->")
			if k < 0 {
				t.Fatalf("an unclosed comment")
			}
			i += k + 3
			continue
		case strings.HasPrefix(page[i:], "<!"):
			i += strings.IndexByte(page[i:], '>') + 1
			continue
		}
		k := i + 1
		for k < len(page) && page[k] != '>' {
			if q := page[k]; q == '"' || q == '\'' {
				k += strings.IndexByte(page[k+1:], q) + 1
			}
			k++
		}
		raw := page[i+1 : k]
		i = k + 1
		tg := htmlTag{attrs: map[string]string{}}
		if tg.end = strings.HasPrefix(raw, "/"); tg.end {
			raw = raw[1:]
		}
		name, rest, _ := strings.Cut(strings.TrimSuffix(raw, "/"), " ")
		tg.name = strings.ToLower(strings.TrimSpace(strings.SplitN(name, "\n", 2)[0]))
		for _, m := range attrRE.FindAllStringSubmatch(rest, -1) {
			tg.attrs[strings.ToLower(m[1])] = m[2] + m[3] + m[4]
		}
		out = append(out, tg)
		if !tg.end && (tg.name == "script" || tg.name == "style") {
			end := strings.Index(page[i:], "</"+tg.name)
			if end < 0 {
				t.Fatalf("an unclosed <%s>", tg.name)
			}
			i += end
		}
	}
	return out
}

// checkHTML checks loosely that a page is well formed and accessible as the pages promise: every
// element closed in order, no block inside a <p>, ids unique, every visible field labelled, one <h1>,
// <main> and lang="en".
func checkHTML(t testing.TB, name, page string) {
	t.Helper()
	var (
		stack  []string
		ids    = map[string]bool{}
		fors   = map[string]bool{}
		fields []htmlTag // fields outside a <label>, which a label must name by id
		h1     int
		main   bool
		lang   bool
	)
	for _, tg := range htmlTags(t, page) {
		if tg.end {
			if voidElements[tg.name] {
				t.Errorf("%s: an end tag </%s> for a void element", name, tg.name)
				continue
			}
			if len(stack) == 0 || stack[len(stack)-1] != tg.name {
				t.Fatalf("%s: </%s> closes %v", name, tg.name, stack)
			}
			stack = stack[:len(stack)-1]
			continue
		}
		if closesP[tg.name] && len(stack) > 0 && stack[len(stack)-1] == "p" {
			t.Errorf("%s: <%s> inside a <p>", name, tg.name)
		}
		if id, ok := tg.attrs["id"]; ok {
			if ids[id] {
				t.Errorf("%s: the id %q is used twice", name, id)
			}
			ids[id] = true
		}
		switch tg.name {
		case "html":
			lang = tg.attrs["lang"] == "en"
		case "h1":
			h1++
		case "main":
			main = true
		case "label":
			if f := tg.attrs["for"]; f != "" {
				fors[f] = true
			}
		case "input", "select", "textarea":
			if tg.attrs["type"] != "hidden" && !slices.Contains(stack, "label") {
				fields = append(fields, tg)
			}
		}
		if !voidElements[tg.name] {
			stack = append(stack, tg.name)
		}
	}
	if len(stack) != 0 {
		t.Errorf("%s: left open: %v", name, stack)
	}
	for _, f := range fields {
		if !fors[f.attrs["id"]] && f.attrs["aria-label"] == "" {
			t.Errorf("%s: the field %q has no label", name, f.attrs["name"])
		}
	}
	if h1 != 1 || !main || !lang {
		t.Errorf("%s: %d <h1>, <main> %v, lang=en %v", name, h1, main, lang)
	}
}

// htmlFind returns the attributes of the first tag matching every attribute given (name=value pairs;
// value "*" matches any), or nil.
func htmlFind(t testing.TB, page, name string, attrs ...string) map[string]string {
	for _, tg := range htmlTags(t, page) {
		if tg.end || tg.name != name {
			continue
		}
		ok := true
		for i := 0; i+1 < len(attrs); i += 2 {
			v, has := tg.attrs[attrs[i]]
			if !has || (attrs[i+1] != "*" && v != attrs[i+1]) {
				ok = false
			}
		}
		if ok {
			return tg.attrs
		}
	}
	return nil
}

// htmlCount counts the tags with an attribute of the value ("*" for any) inside the element of an id.
func htmlCount(t testing.TB, page, id, name, attr, value string) int {
	depth, n := 0, 0
	var inside []string
	for _, tg := range htmlTags(t, page) {
		switch {
		case depth == 0 && !tg.end && tg.attrs["id"] == id:
			depth, inside = 1, []string{tg.name}
			continue
		case depth == 0:
			continue
		case tg.end && !voidElements[tg.name]:
			inside = inside[:len(inside)-1]
			if len(inside) == 0 {
				return n
			}
		case !tg.end:
			if !voidElements[tg.name] {
				inside = append(inside, tg.name)
			}
			if v, ok := tg.attrs[attr]; tg.name == name && ok && (value == "*" || v == value) {
				n++
			}
		}
	}
	return n
}

// dprkMembers are the Security Council's members in December 2014.
var dprkMembers = []string{"ARG", "AUS", "TCD", "CHL", "CHN", "FRA", "JOR", "LTU", "LUX", "NGA", "KOR", "RUS", "RWA", "GBR", "USA"}

// pagesCouncil is a council of December 2014 with a delegation token for each member, an observer's
// and the secretariat's.
type pagesCouncil struct {
	name, sec, observer string
	tok                 map[string]string
}

// newPagesCouncil creates the council and its tokens.
func newPagesCouncil(ts *testServer, name string) pagesCouncil {
	ts.t.Helper()
	c := pagesCouncil{name: name, tok: map[string]string{}}
	c.sec = ts.create(CreateCouncil{Name: name, Title: "Human rights in the DPRK, December 2014", Date: council.DateOf(2014, 12, 5), NextMeeting: 7353})
	for _, m := range dprkMembers {
		c.tok[m] = ts.issue(name, c.sec, access.Delegation, m).Token
	}
	c.observer = ts.issue(name, c.sec, access.Observer, "").Token
	return c
}
