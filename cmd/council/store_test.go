package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReplayIntoStore keeps a replay in an SQLite file, runs it again (nothing is added twice), verifies
// the chain, exports it, imports the export into another store, and refuses a doctored export.
func TestReplayIntoStore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "council.db")
	example := "../../examples/scenarios/dprk-2014.yaml"

	code, out, errOut := run(t, "replay", "--json", example, "--store", db)
	if code != 0 {
		t.Fatalf("replay --store: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `"result": "adopted"`) {
		t.Errorf("replay --store printed no record:\n%s", out)
	}
	if code, _, errOut = run(t, "replay", example, "--store", db); code != 0 {
		t.Fatalf("the same replay again: exit %d: %s", code, errOut)
	}
	code, out, errOut = run(t, "verify", "--store", db, "--json")
	if code != 0 {
		t.Fatalf("verify: exit %d: %s %s", code, out, errOut)
	}
	var v struct {
		Intact  bool `json:"intact"`
		Streams []struct {
			Stream string `json:"stream"`
			Events int64  `json:"events"`
		} `json:"streams"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if !v.Intact || len(v.Streams) != 1 || v.Streams[0].Stream != "dprk-2014" || v.Streams[0].Events != 10 {
		t.Fatalf("verify: %+v, want dprk-2014 intact with 10 events (its definition and 9 steps)", v)
	}

	export := filepath.Join(dir, "dprk-2014.jsonl")
	if code, _, errOut = run(t, "export", "--store", db, "--council", "dprk-2014", "--out", export); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	other := filepath.Join(dir, "other.db")
	code, out, errOut = run(t, "import", "--store", other, export)
	if code != 0 || !strings.Contains(out, "imported dprk-2014: 10 events") {
		t.Fatalf("import: exit %d: %s %s", code, out, errOut)
	}
	if code, _, errOut = run(t, "verify", "--store", other); code != 0 {
		t.Fatalf("verify the import: exit %d: %s", code, errOut)
	}
	if code, _, errOut = run(t, "import", "--store", other, export); code != 1 || !strings.Contains(errOut, "already holds") {
		t.Errorf("importing twice: exit %d: %s", code, errOut)
	}

	lines, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	doctored := filepath.Join(dir, "doctored.jsonl")
	if err := os.WriteFile(doctored, []byte(strings.Replace(string(lines), `"CHN","RUS"`, `"CHN"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	third := filepath.Join(dir, "third.db")
	code, _, errOut = run(t, "import", "--store", third, doctored)
	if code != 1 || !strings.Contains(errOut, "does not match its hash") {
		t.Errorf("a doctored export: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(third); err == nil {
		t.Errorf("a refused import created the store")
	}
}

func TestStoreFlags(t *testing.T) {
	tests := []struct {
		args []string
		code int
		says string
	}{
		{[]string{"verify"}, 2, "name the store"},
		{[]string{"verify", "--store", "a.db", "--postgres", "postgres://x"}, 2, "not both"},
		{[]string{"export", "--store", filepath.Join(t.TempDir(), "x.db")}, 2, "--council"},
		{[]string{"export", "--store", filepath.Join(t.TempDir(), "x.db"), "--council", "nope"}, 2, "no council named nope"},
		{[]string{"import", "--store", "x.db"}, 2, "one file"},
	}
	for _, tt := range tests {
		code, _, errOut := run(t, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.says) {
			t.Errorf("%v: exit %d %q, want %d saying %q", tt.args, code, errOut, tt.code, tt.says)
		}
	}
}

// TestVerifyNamesTheFirstBadEvent changes a stored event behind the store's back.
func TestVerifyNamesTheFirstBadEvent(t *testing.T) {
	db := filepath.Join(t.TempDir(), "council.db")
	if code, _, errOut := run(t, "replay", "../../examples/scenarios/dprk-2019.yaml", "--store", db); code != 0 {
		t.Fatal(errOut)
	}
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// the store keeps its newest events in recent until it moves them to events
	for _, table := range []string{"recent", "events"} {
		if _, err := raw.Exec(`UPDATE ` + table + ` SET data = replace(data, 'USA', 'GBR') WHERE version = 4`); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := run(t, "verify", "--store", db)
	if code != 1 || !strings.Contains(out, "TAMPERED dprk-2019: event 4") || !strings.Contains(errOut, "dprk-2019 event 4") {
		t.Fatalf("verify after a change: exit %d\n%s\n%s", code, out, errOut)
	}
}
