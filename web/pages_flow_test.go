package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opencouncil/council"
)

// signIn posts a token to the sign-in form and returns the session cookie and where it led.
func (ts *testServer) signIn(token string) (cookie, location string) {
	ts.t.Helper()
	r := ts.browse("POST", "/signin", "", url.Values{"token": {token}}, ts.origin()...)
	if r.status != http.StatusSeeOther {
		ts.t.Fatalf("sign in: status %d: %s", r.status, r.body)
	}
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == sessionCookie {
			if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
				ts.t.Errorf("the session cookie is not HttpOnly and SameSite=Strict: %+v", c)
			}
			return c.Value, r.header.Get("Location")
		}
	}
	ts.t.Fatalf("sign in: no session cookie: %v", r.header)
	return "", ""
}

// TestPagesSignInAndAct signs delegations in by their tokens and acts through the forms as a
// browser without JavaScript does: sign a letter, be refused in plain words, be refused a form from
// another site, vote, and sign out.
func TestPagesSignInAndAct(t *testing.T) {
	ts := MustServe(t)
	c := newPagesCouncil(ts, "acts")
	ts.mustDo(c.name, c.tok["AUS"], "request", fields{"id": "r1", "subject": "A meeting, please"})

	// A wrong token shows the form again with the reason.
	r := ts.browse("POST", "/signin", "", url.Values{"token": {"cnl_not-a-real-token-at-all"}}, ts.origin()...)
	if r.status != http.StatusUnauthorized || !strings.Contains(string(r.body), `<p role="alert" class="error">`) || !strings.Contains(string(r.body), `id="signin"`) {
		t.Fatalf("a wrong token: %d %s", r.status, r.body)
	}
	checkHTML(t, "sign-in refused", string(r.body))

	usa, where := ts.signIn(c.tok["USA"])
	if where != "/c/acts/console" {
		t.Errorf("a delegation signed in lands on %s", where)
	}
	if _, where := ts.signIn(ts.admin); where != "/admin" {
		t.Errorf("the admin signed in lands on %s", where)
	}
	page := ts.mustPage(http.StatusOK, "/c/acts/console", usa)
	for _, want := range []string{`id="whoami"`, "delegation", `action="/signout"`, `action="/c/acts/act/sign"`, `action="/c/acts/act/request"`, `aria-live="polite" id="live"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the USA's console has no %q", want)
		}
	}
	if page := ts.mustPage(http.StatusOK, "/c/acts/console", ts.admin); strings.Contains(page, `action="/signin"`) || !strings.Contains(page, "Sign out") {
		t.Errorf("the header does not show who is signed in")
	}

	// A form posted from another site is refused, and nothing is stored.
	before := ts.version(c.name)
	sign := url.Values{"request": {"r1"}, "back": {"/c/acts/requests/r1"}}
	for _, h := range [][]string{{"Origin", "http://evil.example"}, {"Sec-Fetch-Site", "cross-site"}} {
		r = ts.browse("POST", "/c/acts/act/sign", usa, sign, h...)
		if r.status != http.StatusForbidden || !strings.Contains(string(r.body), "Not allowed:") {
			t.Errorf("a cross-site form (%s): %d %s", h[1], r.status, r.body)
		}
	}
	if r := ts.browse("POST", "/signin", "", url.Values{"token": {c.tok["USA"]}}, "Origin", "http://evil.example"); r.status != http.StatusForbidden {
		t.Errorf("a sign-in posted from another site: %d", r.status)
	}
	if v := ts.version(c.name); v != before {
		t.Fatalf("a refused form changed the council: version %d, then %d", before, v)
	}

	// From the server's own page, it signs and goes back to the request.
	r = ts.browse("POST", "/c/acts/act/sign", usa, sign, ts.origin()...)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/c/acts/requests/r1?done=request-signed" {
		t.Fatalf("sign: %d %s %s", r.status, r.header.Get("Location"), r.body)
	}
	var q council.RequestRecord
	ts.must(http.StatusOK, "GET", "/v1/councils/acts/requests/r1", c.sec, nil, &q)
	if q.Support != 2 || q.Signatories[1] != "USA" {
		t.Fatalf("after signing: %+v", q)
	}
	if page := ts.mustPage(http.StatusOK, "/c/acts/requests/r1?done=request-signed", usa); !strings.Contains(page, "The letter was signed.") || !strings.Contains(page, `id="unsign"`) {
		t.Errorf("the request page after signing does not say so")
	}

	// Signing twice: the rules refuse it, and the console says why with 422.
	r = ts.browse("POST", "/c/acts/act/sign", usa, sign, ts.origin()...)
	body := string(r.body)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(body, `<p role="alert" class="error" id="form-error"><strong>The rules refuse this:</strong>`) || !strings.Contains(body, "already") {
		t.Errorf("signing twice: %d %s", r.status, body)
	}
	checkHTML(t, "a refused form", body)
	// Acting as another member is not allowed (403), a malformed form is 400.
	r = ts.browse("POST", "/c/acts/act/decline", usa, url.Values{"request": {"r1"}, "by": {"RUS"}}, ts.origin()...)
	if r.status != http.StatusForbidden || !strings.Contains(string(r.body), "Not allowed:") {
		t.Errorf("declining for Russia: %d %s", r.status, r.body)
	}
	r = ts.browse("POST", "/c/acts/act/request", usa, url.Values{"id": {"r2"}, "subject": {"x"}, "meeting_on": {"22/12/2014"}}, ts.origin()...)
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "The form is not right:") {
		t.Errorf("a bad date: %d %s", r.status, r.body)
	}
	// An observer's token gives no commands; an unknown kind is 404.
	obs, _ := ts.signIn(c.observer)
	if r := ts.browse("POST", "/c/acts/act/sign", obs, sign, ts.origin()...); r.status != http.StatusForbidden {
		t.Errorf("an observer signs: %d", r.status)
	}
	if r := ts.browse("POST", "/c/acts/act/nope", usa, sign, ts.origin()...); r.status != http.StatusNotFound {
		t.Errorf("an unknown kind: %d", r.status)
	}
	if r := ts.browse("POST", "/c/acts/act/sign", "", sign, ts.origin()...); r.status != http.StatusUnauthorized {
		t.Errorf("a form without signing in: %d", r.status)
	}

	// A live vote: the President opens it, each delegation's console offers the three buttons.
	ts.mustDo(c.name, c.sec, "schedule", fields{"meeting": "m1", "on": "2014-12-05", "agenda": []string{"Item"}})
	tcd, _ := ts.signIn(c.tok["TCD"])
	if page := ts.mustPage(http.StatusOK, "/c/acts/console", tcd); !strings.Contains(page, `action="/c/acts/act/schedule"`) || !strings.Contains(page, `id="open-m1"`) {
		t.Errorf("the President's console has no schedule or open form")
	}
	for _, step := range []struct {
		kind, cookie string
		form         url.Values
	}{
		{"open", tcd, url.Values{"meeting": {"m1"}, "at": {"2014-12-05"}}},
		{"adopt_agenda", tcd, url.Values{"meeting": {"m1"}}},
		{"draft", usa, url.Values{"id": {"d1"}, "title": {"A draft"}, "meeting": {"m1"}}},
		{"ask_to_speak", usa, url.Values{"meeting": {"m1"}}},
		{"open_vote", tcd, url.Values{"meeting": {"m1"}, "on": {"d1"}, "id": {"v1"}}},
	} {
		if r := ts.browse("POST", "/c/acts/act/"+step.kind, step.cookie, step.form, ts.origin()...); r.status != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", step.kind, r.status, r.body)
		}
	}
	page = ts.mustPage(http.StatusOK, "/c/acts/console", usa)
	for _, b := range []string{"yes", "no", "abstain"} {
		if !strings.Contains(page, `<button type="submit" name="ballot" value="`+b+`" id="ballot-`+b+`">`) {
			t.Errorf("the USA's console has no %s button", b)
		}
	}
	if htmlFind(t, page, "form", "class", "ballot", "method", "post", "action", "/c/acts/act/ballot") == nil || htmlFind(t, page, "input", "type", "hidden", "name", "vote", "value", "v1") == nil {
		t.Errorf("the ballot form is not as promised")
	}
	if htmlCount(t, page, "speakers-m1", "li", "data-member", "USA") != 1 {
		t.Errorf("the speakers list does not show the USA")
	}
	r = ts.browse("POST", "/c/acts/act/ballot", usa, url.Values{"vote": {"v1"}, "ballot": {"yes"}, "back": {"/c/acts/console"}}, ts.origin()...)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/c/acts/console?done=ballot-cast" {
		t.Fatalf("ballot: %d %s", r.status, r.body)
	}
	page = ts.mustPage(http.StatusOK, "/c/acts/console?done=ballot-cast", usa)
	if strings.Contains(page, `id="ballot-yes"`) || !strings.Contains(page, "Your ballot: In favour.") || !strings.Contains(page, "Your ballot was cast.") {
		t.Errorf("after voting, the console still offers the ballot or does not say it was cast")
	}
	if page := ts.mustPage(http.StatusOK, "/c/acts/console", tcd); !strings.Contains(page, `id="close-vote-v1"`) {
		t.Errorf("the President's console cannot close the vote")
	}

	// Signing out forgets the cookie.
	r = ts.browse("POST", "/signout", usa, url.Values{}, ts.origin()...)
	if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Set-Cookie"), sessionCookie+"=;") {
		t.Errorf("sign out: %d %v", r.status, r.header)
	}
}

// TestPagesSecretariat issues and revokes tokens from the console, and creates a council from the
// admin's page; each secret is shown once.
func TestPagesSecretariat(t *testing.T) {
	ts := MustServe(t)
	c := newPagesCouncil(ts, "sec")
	sec, where := ts.signIn(c.sec)
	if where != "/c/sec/console" {
		t.Errorf("the secretariat lands on %s", where)
	}
	page := ts.mustPage(http.StatusOK, "/c/sec/console", sec)
	for _, want := range []string{`id="issue"`, `action="/c/sec/act/schedule"`, `id="tokens"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the secretariat's console has no %s", want)
		}
	}
	r := ts.browse("POST", "/c/sec/tokens", sec, url.Values{"role": {"delegation"}, "member": {"USA"}, "label": {"second USA"}}, ts.origin()...)
	if r.status != http.StatusCreated {
		t.Fatalf("issue: %d %s", r.status, r.body)
	}
	body := string(r.body)
	checkHTML(t, "issued", body)
	i := strings.Index(body, `<output id="new-token">`)
	if i < 0 {
		t.Fatalf("no #new-token: %s", body)
	}
	token := body[i+len(`<output id="new-token">`):]
	token = token[:strings.Index(token, "<")]
	g, ok := ts.srv.keeper.Authenticate(token)
	if !ok || g.Member != "USA" || g.Label != "second USA" {
		t.Fatalf("the token shown does not work: %q %+v", token, g)
	}
	if page := ts.mustPage(http.StatusOK, "/c/sec/console", sec); strings.Contains(page, token) || !strings.Contains(page, g.ID) {
		t.Errorf("the console shows the secret again, or does not list the token")
	}
	if r := ts.browse("POST", "/c/sec/tokens", sec, url.Values{"role": {"delegation"}, "member": {"XYZ"}}, ts.origin()...); r.status != http.StatusBadRequest || !strings.Contains(string(r.body), `id="form-error"`) {
		t.Errorf("a token for no member: %d %s", r.status, r.body)
	}
	if r := ts.browse("POST", "/c/sec/tokens", sec, url.Values{"role": {"observer"}}, "Origin", "http://evil.example"); r.status != http.StatusForbidden {
		t.Errorf("a cross-site token: %d", r.status)
	}
	r = ts.browse("POST", "/c/sec/tokens/"+g.ID+"/revoke", sec, url.Values{}, ts.origin()...)
	if r.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if _, ok := ts.srv.keeper.Authenticate(token); ok {
		t.Errorf("the revoked token still works")
	}
	usa, _ := ts.signIn(c.tok["USA"])
	if r := ts.browse("POST", "/c/sec/tokens", usa, url.Values{"role": {"observer"}}, ts.origin()...); r.status != http.StatusForbidden {
		t.Errorf("a delegation issues a token: %d", r.status)
	}

	// The admin creates a council.
	admin, _ := ts.signIn(ts.admin)
	page = ts.mustPage(http.StatusOK, "/admin", admin)
	if !strings.Contains(page, `<option value="unsc"`) || !strings.Contains(page, `name="body_file"`) || !strings.Contains(page, `name="public"`) {
		t.Errorf("the admin's page has no creation form")
	}
	r = ts.browse("POST", "/admin/councils", admin, url.Values{"name": {"new"}, "title": {"A new council"}, "date": {"2022-02-25"}, "body": {"unsc"}, "public": {"1"}}, ts.origin()...)
	if r.status != http.StatusCreated || !strings.Contains(string(r.body), `<output id="new-token">`) {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	checkHTML(t, "created", string(r.body))
	if page := ts.mustPage(http.StatusOK, "/c/new", ""); !strings.Contains(page, "A new council") {
		t.Errorf("the public council's home is not open to all")
	}
	if page := ts.mustPage(http.StatusOK, "/", ""); !strings.Contains(page, `href="/c/new"`) || strings.Contains(page, `href="/c/sec"`) {
		t.Errorf("the index lists private councils to the anonymous, or not the public one")
	}
	r = ts.browse("POST", "/admin/councils", admin, url.Values{"name": {"new"}, "date": {"2022-02-25"}}, ts.origin()...)
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), `id="form-error"`) {
		t.Errorf("a council created twice: %d %s", r.status, r.body)
	}
	if r := ts.browse("GET", "/admin", sec, nil); r.status != http.StatusForbidden {
		t.Errorf("the secretariat opens the admin's page: %d", r.status)
	}
}
