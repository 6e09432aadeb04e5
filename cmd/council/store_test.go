package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencouncil/council"
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

	// Cut short by its last event (the head line kept, or dropped too), or given a repeated key: refused.
	all := strings.Split(strings.TrimSpace(string(lines)), "\n")
	cuts := map[string]struct {
		text string
		says string
	}{
		"last event gone":   {strings.Join(append(all[:len(all)-2:len(all)-2], all[len(all)-1]), "\n"), "the head line says"},
		"head line gone":    {strings.Join(all[:len(all)-1], "\n"), "cut short"},
		"key used twice":    {strings.Replace(string(lines), `"key":"replay:step-1"`, `"key":"replay:step-1","x":1`, 1), "not an exported event"},
		"a line after head": {string(lines) + all[1] + "\n", "after the head line"},
	}
	for name, c := range cuts {
		p := filepath.Join(dir, "cut.jsonl")
		if err := os.WriteFile(p, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := run(t, "import", "--store", filepath.Join(dir, "cut.db"), p)
		if code != 1 || !strings.Contains(errOut, c.says) {
			t.Errorf("%s: exit %d: %s (want 1 saying %q)", name, code, errOut, c.says)
		}
	}
	if code, _, errOut := run(t, "verify", "--store", db, "--council", "nope"); code != 2 || !strings.Contains(errOut, "no council named nope") {
		t.Errorf("verify of an unknown council: exit %d: %s", code, errOut)
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

// rehashed gives every event after the first the key that change sets, and recomputes the chain and
// the head line, as someone who can write the file could: a valid chain with a repeated key.
func rehashed(t *testing.T, lines []string, change func(*exported)) string {
	t.Helper()
	var prev [32]byte
	var out []string
	var tr trailer
	for i, l := range lines[:len(lines)-1] {
		var e exported
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			change(&e)
		}
		prev = council.ChainHash(prev, e.Stream, e.Version, e.Type, e.Key, e.Data)
		e.Hash = council.HashString(prev)
		b, _ := json.Marshal(e)
		out = append(out, string(b))
		tr.Head.Stream, tr.Head.Version, tr.Head.Hash = e.Stream, e.Version, e.Hash
	}
	b, _ := json.Marshal(tr)
	return strings.Join(append(out, string(b)), "\n") + "\n"
}
