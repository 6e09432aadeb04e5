package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
)

// TestHostileInput sends what a hostile or broken client might, and expects a 4xx problem naming
// what was wrong, and no change to the council.
func TestHostileInput(t *testing.T) {
	ts := MustServe(t)
	sec := ts.create(CreateCouncil{Name: "h", Date: council.DateOf(2014, 12, 5)})
	aus := ts.issue("h", sec, access.Delegation, "AUS").Token
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	cases := []struct {
		name   string
		kind   string
		body   []byte
		ctype  string
		status int
		code   string
		field  string
	}{
		{"huge body", "request", []byte(`{"id":"r1","subject":"` + strings.Repeat("x", 1<<20) + `"}`), "", 413, ETooLarge, ""},
		{"deep nesting", "sign", []byte(`{"request":"r1","by":` + deep + `}`), "", 400, council.EINVALID, ""},
		{"unknown field", "request", []byte(`{"id":"r1","subject":"s","colour":"red"}`), "", 400, council.EINVALID, "colour"},
		{"wrong type", "request", []byte(`{"id":7,"subject":"s"}`), "", 400, council.EINVALID, "id"},
		{"wrong list type", "sign", []byte(`{"request":"r1","by":"AUS"}`), "", 400, council.EINVALID, "by"},
		{"bad date", "request", []byte(`{"id":"r1","subject":"s","at":"2014-13-45"}`), "", 400, council.EINVALID, ""},
		{"invalid UTF-8", "request", []byte("{\"id\":\"r1\",\"subject\":\"\xff\xfe\"}"), "", 400, council.EINVALID, ""},
		{"not JSON", "request", []byte(`id=r1`), "", 400, council.EINVALID, ""},
		{"truncated", "request", []byte(`{"id":"r1",`), "", 400, council.EINVALID, ""},
		{"two values", "request", []byte(`{"id":"r1","subject":"s"} {}`), "", 400, council.EINVALID, ""},
		{"empty", "request", nil, "", 400, council.EINVALID, ""},
		{"array", "request", []byte(`[]`), "", 400, council.EINVALID, ""},
		{"null", "request", []byte(`null`), "", 400, council.EINVALID, ""},
		{"wrong media type", "request", []byte(`{"id":"r1","subject":"s"}`), "text/plain", 415, EMediaType, ""},
		{"unknown kind", "coup", []byte(`{}`), "", 404, EUnknownKind, ""},
		{"NUL in id", "request", []byte(`{"id":"r\u0000","subject":"s"}`), "", 400, council.EINVALID, "id"},
		{"control character in a list", "sign", []byte(`{"request":"r1","by":["A\u0007"]}`), "", 400, council.EINVALID, "by"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := ts.version("h")
			req, _ := http.NewRequest("POST", ts.http.URL+"/v1/councils/h/commands/"+c.kind, bytes.NewReader(c.body))
			req.Header.Set("Authorization", "Bearer "+aus)
			req.Header.Set("Content-Type", "application/json")
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			res, err := ts.http.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var p Problem
			if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
				t.Fatalf("the answer is not a problem: %v", err)
			}
			if res.StatusCode != c.status && !(c.status == 422 && res.StatusCode >= 400 && res.StatusCode < 500) {
				t.Fatalf("status %d, want %d: %+v", res.StatusCode, c.status, p)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q", ct)
			}
			if c.code != "" && p.Code != c.code {
				t.Errorf("code %q, want %q: %s", p.Code, c.code, p.Detail)
			}
			if p.Field != c.field {
				t.Errorf("field %q, want %q: %s", p.Field, c.field, p.Detail)
			}
			if p.Status != res.StatusCode || p.Detail == "" || p.Type == "" {
				t.Errorf("incomplete problem: %+v", p)
			}
			if after := ts.version("h"); after != before {
				t.Errorf("the council moved from version %d to %d", before, after)
			}
		})
	}
}

// TestInternalErrorsDoNotLeak checks that a problem made from an internal error says only that.
func TestInternalErrorsDoNotLeak(t *testing.T) {
	p := problemOf(&json.SyntaxError{}, "/x")
	if p.Status != 500 || p.Detail != "internal error" || p.Code != council.EINTERNAL {
		t.Fatalf("%+v", p)
	}
}

// FuzzCommand sends arbitrary bodies to every command kind of a live council: the server must answer
// 200 or a 4xx problem, never fail, and a refused body must change nothing.
func FuzzCommand(f *testing.F) {
	kinds := CommandKinds()
	for i, k := range kinds {
		c, _ := NewCommand(k)
		data, _ := json.Marshal(c)
		f.Add(uint8(i), data)
	}
	f.Add(uint8(0), []byte(`{"id":"r1","by":"AUS","subject":"s","at":"2014-12-05"}`))
	f.Add(uint8(0), []byte(`{"id":"r1","subject":"s","meeting_on":"2014-12-22"}`))
	f.Add(uint8(1), []byte(`{"request":"r1","by":["CHL","FRA"]}`))
	f.Add(uint8(2), []byte(`{"a":{"b":{"c":[1,2,{"d":null}]}}}`))
	ts := MustServe(f)
	sec := ts.create(CreateCouncil{Name: "f", Date: council.DateOf(2014, 12, 5)})
	aus := ts.issue("f", sec, access.Delegation, "AUS").Token
	f.Fuzz(func(t *testing.T, k uint8, body []byte) {
		kind := kinds[int(k)%len(kinds)]
		version := func() int64 {
			v, err := ts.srv.svc.Version(context.Background(), "f")
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		before := version()
		req := httptest.NewRequest("POST", "/v1/councils/f/commands/"+kind, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+aus)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		ts.srv.ServeHTTP(w, req)
		switch {
		case w.Code >= 500:
			t.Fatalf("%s %q: status %d: %s", kind, body, w.Code, w.Body)
		case w.Code != 200 && version() != before:
			t.Fatalf("%s %q: refused with %d, but the council moved", kind, body, w.Code)
		}
	})
}

// TestDecodeEveryField decodes each command from the JSON of a filled-in value and gets it back: the
// API takes every field of every command by its documented name.
func TestDecodeEveryField(t *testing.T) {
	for _, kind := range CommandKinds() {
		c, _ := NewCommand(kind)
		fill(reflect.ValueOf(c).Elem())
		data, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeCommand(kind, data)
		if err != nil {
			t.Fatalf("%s %s: %v", kind, data, err)
		}
		if !reflect.DeepEqual(got, c) {
			t.Errorf("%s: got %+v, want %+v", kind, got, c)
		}
	}
}

// fill gives every field of a struct a non-zero value.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.String:
		v.SetString("x" + v.Type().Name())
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(int64(council.DateOf(2014, 12, 5)))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			v.Set(reflect.ValueOf(slices.Clone([]string{"AUS", "CHL"})).Convert(v.Type()))
		}
	}
}
