package web

import (
	"encoding/json"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/power"
)

// servePower starts a test server that serves the power routes, whether or not the route table
// lists them yet.
func servePower(t *testing.T) *testServer {
	t.Helper()
	ts := MustServe(t)
	served := map[string]bool{}
	for _, rt := range ts.srv.routeTable() {
		served[rt.method+" "+rt.path] = true
	}
	for _, rt := range ts.srv.powerRoutes() {
		if !served[rt.method+" "+rt.path] {
			ts.srv.mux.Handle(rt.method+" "+rt.path, ts.srv.wrap(rt))
		}
	}
	return ts
}

func TestPowerRoute(t *testing.T) {
	ts := servePower(t)
	for _, tc := range []struct {
		path   string
		status int
		json   []string // each must appear in the answer
		field  string   // for a 400, the parameter named
	}{
		{path: "/v1/power?date=2024-06-01", status: 200, json: []string{`"exact":true`, `"total_swings":"5080"`,
			`"id":"CHN"`, `"swings":"848"`, `"shapley_shubik":"421/2145"`, `"banzhaf":"21/1270"`, `"shapley_shubik":"4/2145"`}},
		{path: "/v1/power?body=unsc&date=1960-06-01&index=all", status: 200, json: []string{`"shapley_shubik":"76/385"`, `"minimal_winning":"15"`,
			`"johnston":"123/665"`}},
		{path: "/v1/power?game=eec-1958&index=banzhaf", status: 200, json: []string{`"id":"LUX","name":"Luxembourg","weight":1,"swings":"0","banzhaf":0,"absolute_banzhaf":0`,
			`"banzhaf":"5/21"`, `"indices":["banzhaf"]`}},
		{path: "/v1/power?weights=FRA:4,DEU:4,ITA:4,BEL:2,NLD:2,LUX:1&quota=12", status: 200, json: []string{`"id":"BEL"`, `"banzhaf":"1/7"`, `"shapley_shubik":"3/20"`}},
		{path: "/v1/power?weights=9,5,3,1,1&quota=majority", status: 200, json: []string{`"quota":10`, `"id":"P1"`}},
		{path: "/v1/power?game=us-electoral-college", status: 200, json: []string{`"id":"CA"`, `"exact":true`}},
		{path: "/v1/power?game=us-electoral-college&method=estimate&samples=1000&seed=3", status: 200, json: []string{`"exact":false`,
			`"estimate":{"samples":1000,"confidence":0.95}`, `"interval":{`}},
		{path: "/v1/power?body=board&matter=special", status: 400, field: "body"},
		{path: "/v1/power?matter=nonsense", status: 400, field: "matter"},
		{path: "/v1/power?date=1900-01-01", status: 400, field: "date"},
		{path: "/v1/power?date=tomorrow", status: 400, field: "date"},
		{path: "/v1/power?game=monopoly", status: 400, field: "game"},
		{path: "/v1/power?weights=1,2,x&quota=2", status: 400, field: "weights"},
		{path: "/v1/power?weights=1,2,3", status: 400, field: "quota"},
		{path: "/v1/power?weights=1,2,3&quota=7", status: 400, field: "quota"},
		{path: "/v1/power?weights=A:1,A:2&quota=2", status: 400, field: "weights"},
		{path: "/v1/power?game=eec-1958&body=unsc", status: 400, field: "body"},
		{path: "/v1/power?index=power", status: 400, field: "index"},
		{path: "/v1/power?method=guess", status: 400, field: "method"},
		{path: "/v1/power?samples=0", status: 400, field: "samples"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := ts.send("GET", tc.path, "", nil)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %.300s", r.status, tc.status, r.body)
			}
			if tc.status != 200 {
				if p := r.problem(); p.Field != tc.field || p.Code != council.EINVALID {
					t.Errorf("problem %+v, want field %q", p, tc.field)
				}
				return
			}
			for _, want := range tc.json {
				if !strings.Contains(string(r.body), want) {
					t.Errorf("the answer lacks %s: %.600s", want, r.body)
				}
			}
			var rep power.Report
			if err := json.Unmarshal(r.body, &rep); err != nil || len(rep.Players) == 0 {
				t.Errorf("not a report: %v", err)
			}
		})
	}
}

// TestPowerDecisive asks who was decisive in a vote and a request of a council, as its readers may.
func TestPowerDecisive(t *testing.T) {
	ts := servePower(t)
	sec := ts.create(CreateCouncil{Name: "dec", Date: council.DateOf(2014, 12, 5)})
	fra := ts.issue("dec", sec, "delegation", "FRA").Token
	ts.mustDo("dec", fra, "request", fields{"id": "r1", "subject": "The situation in the DPRK", "meeting_on": "2014-12-22"})
	ts.mustDo("dec", sec, "schedule", fields{"meeting": "m1", "on": "2014-12-22", "agenda": []string{"The situation in the DPRK"}})
	ts.mustDo("dec", sec, "open", fields{"meeting": "m1", "at": "2014-12-22"})
	ts.mustDo("dec", ts.issue("dec", sec, "delegation", "CHN").Token, "object", fields{"meeting": "m1"})
	nine := []string{"ARG", "AUS", "TCD", "CHL", "FRA", "JOR", "LTU", "LUX", "NGA"}
	ts.mustDo("dec", sec, "vote", fields{"id": "v1", "meeting": "m1", "on": "agenda", "yes": nine, "rest": "no"})

	var d power.Decisive
	ts.must(http.StatusOK, "GET", "/v1/councils/dec/votes/v1/decisive", sec, nil, &d)
	var who []string
	for _, m := range d.Members {
		who = append(who, m.Member)
		if m.Ballot != "yes" || m.Instead != "no" || m.Result != "failed" || !strings.HasPrefix(m.Why, "not adopted: 8 in favour, 9 needed") {
			t.Errorf("%+v", m)
		}
	}
	if d.Kind != "vote" || d.Result != "adopted" || !slices.Equal(who, nine) {
		t.Errorf("%+v", d)
	}
	var rq power.Decisive
	ts.must(http.StatusOK, "GET", "/v1/councils/dec/requests/r1/decisive", sec, nil, &rq)
	if rq.Kind != "request" || rq.ID != "r1" || len(rq.Members) != 0 || !strings.Contains(rq.Summary, "1 of the 9 signatures") {
		t.Errorf("%+v", rq)
	}
	for path, status := range map[string]int{
		"/v1/councils/dec/votes/v9/decisive":    http.StatusNotFound,
		"/v1/councils/dec/requests/r9/decisive": http.StatusNotFound,
		"/v1/councils/nope/votes/v1/decisive":   http.StatusNotFound,
	} {
		if r := ts.send("GET", path, ts.admin, nil); r.status != status {
			t.Errorf("%s: %d, want %d: %s", path, r.status, status, r.body)
		}
	}
	if r := ts.send("GET", "/v1/councils/dec/votes/v1/decisive", "", nil); r.status != http.StatusUnauthorized {
		t.Errorf("a private council's vote, anonymously: %d", r.status)
	}
}

// TestPowerOpenAPI checks that openapi.json documents the power routes, and their answers' schemas
// match the wire types (the route table's own test covers them once it lists these routes).
func TestPowerOpenAPI(t *testing.T) {
	doc := openAPIDoc(t)
	ops := operations(doc)
	for _, rt := range (&Server{}).powerRoutes() {
		if ops[rt.method+" "+rt.path] == nil {
			t.Errorf("openapi.json does not document %s %s", rt.method, rt.path)
		}
	}
	for name, v := range map[string]any{"PowerReport": power.Report{}, "PowerPlayer": power.PlayerReport{},
		"PowerEstimate": power.EstimateInfo{}, "Decisive": power.Decisive{}, "DecisiveMember": power.DecisiveMember{}} {
		schema := obj(at(doc, "components", "schemas", name))
		if schema == nil {
			t.Errorf("components/schemas has no %s", name)
			continue
		}
		checkSchema(t, doc, name, schema, reflect.TypeOf(v), true)
	}
	params := map[string]bool{}
	for _, p := range asSlice(ops["GET /v1/power"]["parameters"]) {
		params[deref(t, doc, p)["name"].(string)] = true
	}
	want := []string{"body", "matter", "date", "game", "weights", "quota", "index", "method", "samples", "seed"}
	if got := slices.Sorted(maps.Keys(params)); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Errorf("GET /v1/power documents the parameters %v, want %v", got, want)
	}
}
