package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/history"
	"github.com/opencouncil/council/sqlite"
)

// TestHistoryImport imports the record twice into the default store (one copy), verifies it, and
// answers a query from the store.
func TestHistoryImport(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, out, errOut := run(t, "history", "import")
	if code != 0 || !strings.Contains(out, "imported: $unsc-history into SQLite council.db") || !strings.Contains(out, "chain verified") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "council.db")); err != nil {
		t.Fatalf("no default store: %v", err)
	}
	code, out, errOut = run(t, "history", "import", "--json", "--store", "council.db")
	if code != 0 {
		t.Fatalf("import again: exit %d: %s", code, errOut)
	}
	var res struct {
		Appended bool    `json:"appended"`
		Events   int64   `json:"events"`
		Seconds  float64 `json:"seconds"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	h, err := history.Default()
	if err != nil {
		t.Fatal(err)
	}
	want := int64(1 + len(h.Meetings) + len(h.Vetoes))
	if res.Appended || res.Events != want {
		t.Errorf("import again: %+v, want nothing appended and %d events", res, want)
	}
	if code, out, _ = run(t, "verify", "--store", "council.db"); code != 0 || !strings.Contains(out, "intact   $unsc-history") {
		t.Errorf("verify: exit %d: %s", code, out)
	}
	code, out, errOut = run(t, "history", "check", "--json", "--store", "council.db")
	if code != 0 {
		t.Fatalf("check from the store: exit %d: %s", code, errOut)
	}
	var rep struct {
		Votes         int               `json:"votes"`
		Agree         int               `json:"agree"`
		Disagreements []json.RawMessage `json:"disagreements"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Votes < 2700 || rep.Agree+len(rep.Disagreements) != rep.Votes {
		t.Errorf("check: %d votes, %d agree, %d disagreements", rep.Votes, rep.Agree, len(rep.Disagreements))
	}
}

// TestHistoryImportRefuses leaves a store whose history stream holds something else untouched (exit 1).
func TestHistoryImportRefuses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "other.db")
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Append(context.Background(), council.Append{Stream: history.Stream, Events: []council.EventData{{Type: "x", Data: []byte("{}")}}})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "history", "import", "--store", db); code != 1 || !strings.Contains(errOut, "not an imported record") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	empty := filepath.Join(t.TempDir(), "empty.db")
	if code, _, errOut := run(t, "history", "vetoes", "--store", empty); code != 1 || !strings.Contains(errOut, "council history import") {
		t.Errorf("a query of a store without the record: exit %d: %s", code, errOut)
	}
}

func TestHistoryQueries(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{name: "vetoes by member, json", args: []string{"vetoes", "--by", "member", "--json"},
			stdout: []string{`"member": "USA"`, `"vetoes": 82`, `"member": "SUN"`, `"vetoes": 90`}},
		{name: "vetoes by year, csv", args: []string{"vetoes", "--by", "year", "--csv"}, stdout: []string{"year,vetoes\n1946,9\n"}},
		{name: "vetoes by topic", args: []string{"vetoes", "--by", "topic"}, stdout: []string{"Israel-Palestine", "41"}},
		{name: "vetoes by region", args: []string{"vetoes", "--by", "region"}, code: 2, stderr: []string{"want member, year or topic"}},
		{name: "resolutions per year", args: []string{"resolutions", "--csv"}, stdout: []string{"year,meetings,resolutions", "\n1950,72,9,"}},
		{name: "unanimous", args: []string{"unanimous"}, stdout: []string{"were adopted unanimously"}},
		{name: "failed without a veto", args: []string{"failed", "--year", "1950", "--json"}, stdout: []string{`"document": "S/1500"`, `"tally": "1-6-3"`}},
		{name: "meetings on a topic", args: []string{"meetings", "--topic", "republic of korea", "--year", "1950"}, stdout: []string{"S/PV.473", "S/RES/82 (1950) | 9-0-1"}},
		{name: "a member's record", args: []string{"member", "JPN"}, stdout: []string{"Japan (JPN), elected member", "1958-1959"}},
		{name: "a member's record, csv", args: []string{"member", "USA", "--csv"}, stdout: []string{"member,from,to", "USA,1946,"}},
		{name: "a state that never sat", args: []string{"member", "XYZ"}, code: 2, stderr: []string{"never sat"}},
		{name: "member needs a code", args: []string{"member"}, code: 2},
		{name: "check", args: []string{"check"}, stdout: []string{"votes recomputed", "veto-without-negative", "S/2022/431"}},
		{name: "check, csv", args: []string{"check", "--csv"}, stdout: []string{"meeting,date,document,kind,tally,recorded,computed,reason,detail"}},
		{name: "what if no veto", args: []string{"whatif", "--rule", "no-veto", "--json"},
			stdout: []string{`"rule": "without the veto"`, `"document": "S/2022/155"`, `"after": "adopted"`}},
		{name: "what if the 1946 threshold", args: []string{"whatif", "--threshold", "1946", "--csv"}, stdout: []string{"S/2014/916", "not adopted,adopted,true"}},
		{name: "what if the USA abstains", args: []string{"whatif", "--abstain", "USA", "--year", "2018"}, stdout: []string{"S/2018/516", "vetoed by USA -> adopted"}},
		{name: "what if, one vote", args: []string{"whatif", "--rule", "no-veto", "--document", "S/RES/82 (1950)", "--all"}, stdout: []string{"1 votes counted, 0 change", "adopted -> adopted"}},
		{name: "what if, a body file", args: []string{"whatif", "--body", "../../examples/bodies/unsc-no-veto.yaml", "--year", "2022"}, stdout: []string{"the rules of unsc-no-veto", "S/2022/155"}},
		{name: "what if without a rule", args: []string{"whatif"}, code: 2, stderr: []string{"needs a rule"}},
		{name: "what if an unknown rule", args: []string{"whatif", "--rule", "unanimity"}, code: 2},
		{name: "what if a bad threshold", args: []string{"whatif", "--threshold", "most"}, code: 2},
		{name: "problems", args: []string{"problems", "--csv"}, stdout: []string{"file,row,field,value,reason,detail,kept", "duplicate-row"}},
		{name: "summary", args: []string{"summary", "--json"}, stdout: []string{`"stream": "$unsc-history"`, `"rows": 9455`}},
		{name: "json and csv", args: []string{"vetoes", "--json", "--csv"}, code: 2},
		{name: "no subcommand", args: nil, code: 2},
		{name: "unknown subcommand", args: []string{"vetos"}, code: 2, stderr: []string{`unknown history subcommand "vetos"`}},
		{name: "stray argument", args: []string{"vetoes", "USA"}, code: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, append([]string{"history"}, tc.args...)...)
			wantRun(t, code, out, errOut, tc.code, tc.stdout, tc.stderr)
		})
	}
}
