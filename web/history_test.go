package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/history"
)

// TestHistoryRoutes asks each query of the record anonymously, as JSON and as CSV, and the questions
// it cannot answer.
func TestHistoryRoutes(t *testing.T) {
	ts := MustServe(t)
	for _, tc := range []struct {
		path   string
		status int
		json   []string // each must appear in the answer
		csv    string   // the CSV header's start
		field  string   // for a 400, the parameter named
	}{
		{path: "/v1/history", status: 200, json: []string{`"stream":"$unsc-history"`, `"rows":9455`}, csv: "count,of,n"},
		{path: "/v1/history/problems", status: 200, json: []string{`"reason":"duplicate-row"`}, csv: "file,row,field"},
		{path: "/v1/history/check", status: 200, json: []string{`"votes":`, `"agree":`, `"disagreements":[`, `"S/2022/431"`}, csv: "meeting,date,document"},
		{path: "/v1/history/vetoes?by=member", status: 200, json: []string{`{"member":"SUN","name":"USSR (Union of Soviet Socialist Republics)","vetoes":90}`, `"member":"USA"`}, csv: "member,name,vetoes"},
		{path: "/v1/history/vetoes?by=year", status: 200, json: []string{`{"year":1946,"vetoes":9}`}, csv: "year,vetoes"},
		{path: "/v1/history/vetoes?by=topic", status: 200, json: []string{`"topic":"Syria"`}, csv: "topic,vetoes"},
		{path: "/v1/history/vetoes?by=region", status: 400, field: "by"},
		{path: "/v1/history/resolutions", status: 200, json: []string{`"year":1950`}, csv: "year,meetings,resolutions"},
		{path: "/v1/history/unanimous", status: 200, json: []string{`"share":`, `"by_year":[`}, csv: "year,voted,unanimous,share"},
		{path: "/v1/history/failed?year=1950", status: 200, json: []string{`"document":"S/1500","tally":"1-6-3"`}, csv: "meeting,date,document,tally"},
		{path: "/v1/history/failed?year=last", status: 400, field: "year"},
		{path: "/v1/history/meetings?topic=korea&year=1950", status: 200, json: []string{`"key":"S/PV.473"`, `"document":"S/RES/82 (1950)"`}, csv: "meeting,date,symbol,topic"},
		{path: "/v1/history/members/JPN", status: 200, json: []string{`"code":"JPN"`, `"from":1958`}, csv: "member,from,to"},
		{path: "/v1/history/members/XYZ", status: 404},
		{path: "/v1/history/whatif?rule=no-veto", status: 200, json: []string{`"rule":"without the veto"`, `"document":"S/2022/155"`}, csv: "meeting,date,document,kind,tally,recorded,before,after"},
		{path: "/v1/history/whatif?threshold=1946&year=2014", status: 200, json: []string{`"document":"S/2014/916"`}},
		{path: "/v1/history/whatif?abstain=USA&year=2018", status: 200, json: []string{`"document":"S/2018/516"`, `"after":"adopted"`}},
		{path: "/v1/history/whatif?rule=no-veto&document=S/2022/155&all=true", status: 200, json: []string{`"votes":1`, `"changed":1`}},
		{path: "/v1/history/whatif", status: 400, field: "rule"},
		{path: "/v1/history/whatif?rule=unanimity", status: 400, field: "rule"},
		{path: "/v1/history/whatif?threshold=most", status: 400, field: "threshold"},
		{path: "/v1/history/whatif?rule=no-veto&all=yes", status: 400, field: "all"},
		{path: "/v1/history?format=xml", status: 400, field: "format"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := ts.send("GET", tc.path, "", nil)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %.300s", r.status, tc.status, r.body)
			}
			if tc.status != 200 {
				if p := r.problem(); p.Field != tc.field || p.Code == "" {
					t.Errorf("problem %+v, want field %q", p, tc.field)
				}
				return
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %s", ct)
			}
			for _, s := range tc.json {
				if !strings.Contains(string(r.body), s) {
					t.Errorf("the answer lacks %s: %.500s", s, r.body)
				}
			}
			if tc.csv == "" {
				return
			}
			sep := "?"
			if strings.Contains(tc.path, "?") {
				sep = "&"
			}
			c := ts.send("GET", tc.path+sep+"format=csv", "", nil)
			if c.status != 200 || !strings.HasPrefix(c.header.Get("Content-Type"), "text/csv") {
				t.Fatalf("csv: status %d, %s", c.status, c.header.Get("Content-Type"))
			}
			recs, err := csv.NewReader(strings.NewReader(string(c.body))).ReadAll()
			if err != nil || !strings.HasPrefix(strings.Join(recs[0], ","), tc.csv) {
				t.Errorf("csv header %v (%v), want %s...", recs[0], err, tc.csv)
			}
		})
	}
	// The same JSON as the command line.
	var got []history.VetoCount
	ts.must(http.StatusOK, "GET", "/v1/history/vetoes?by=member", "", nil, &got)
	h, err := history.Default()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := h.VetoCounts("member")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the API's vetoes by member differ from the record's")
	}
}

// TestHistoryNotACouncil imports the record into the server's store: the stream is not listed as a
// council, and a first council is still created on a store that holds only the record.
func TestHistoryNotACouncil(t *testing.T) {
	ts := MustServe(t)
	h, err := history.Default()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := history.Import(context.Background(), ts.srv.store, h); err != nil {
		t.Fatal(err)
	}
	var list CouncilList
	ts.must(http.StatusOK, "GET", "/v1/councils", ts.admin, nil, &list)
	if slices.Contains(list.Councils, history.Stream) {
		t.Errorf("GET /v1/councils lists %s: %v", history.Stream, list.Councils)
	}
	created, _, err := ts.srv.EnsureCouncil(context.Background(), CreateCouncil{Name: "unsc", Date: council.DateOf(2019, 12, 2)})
	if err != nil || !created {
		t.Errorf("a store holding only the record gets no first council: %v %v", created, err)
	}
}

// TestOpenAPIHistorySchemas keeps the history schemas of openapi.json in step with the types written.
func TestOpenAPIHistorySchemas(t *testing.T) {
	doc := openAPIDoc(t)
	for _, tc := range []struct {
		schema string
		value  any
	}{
		{"HistorySummary", history.Summary{}},
		{"HistorySource", history.Source{}},
		{"HistoryStats", history.Stats{}},
		{"HistoryProblem", history.Problem{}},
		{"HistoryReport", history.Report{}},
		{"HistoryDisagreement", history.Disagreement{}},
		{"HistoryVetoCount", history.VetoCount{}},
		{"HistoryYear", history.YearCount{}},
		{"HistoryUnanimity", history.Unanimity{}},
		{"HistoryShare", history.Share{}},
		{"HistoryDraft", history.Draft{}},
		{"HistoryMeeting", history.Meeting{}},
		{"HistoryOutcome", history.Outcome{}},
		{"HistoryTally", history.Tally{}},
		{"HistoryBallots", history.Ballots{}},
		{"HistoryMember", history.MemberRecord{}},
		{"HistoryTerm", history.Term{}},
		{"HistoryBallot", history.KnownBallot{}},
		{"HistoryVeto", history.Veto{}},
		{"HistoryWhatIf", history.WhatIf{}},
		{"HistoryChange", history.Change{}},
	} {
		t.Run(tc.schema, func(t *testing.T) {
			schema := obj(at(doc, "components", "schemas", tc.schema))
			if schema == nil {
				t.Fatalf("components/schemas has no %s", tc.schema)
			}
			checkSchema(t, doc, tc.schema, schema, reflect.TypeOf(tc.value), true)
		})
	}
	// Every history route answers with one of these schemas, as JSON and as CSV.
	for name, op := range operations(doc) {
		if !strings.Contains(name, "/v1/history") {
			continue
		}
		content := obj(at(op, "responses", "200", "content"))
		if content["application/json"] == nil || content["text/csv"] == nil {
			t.Errorf("%s: the 200 answer is not JSON and CSV", name)
		}
		b, _ := json.Marshal(content["application/json"])
		if !strings.Contains(string(b), "#/components/schemas/History") {
			t.Errorf("%s: the answer's schema is not a History schema: %s", name, b)
		}
	}
}
