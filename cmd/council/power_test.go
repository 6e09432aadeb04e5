package main

import (
	"encoding/json"
	"testing"

	"github.com/opencouncil/council/power"
)

func TestPowerCommand(t *testing.T) {
	eec := writeFile(t, "eec.csv", "id,weight\nFRA,4\nDEU,4\nITA,4\nBEL,2\nNLD,2\nLUX,1\n")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string // each must appear
		stderr []string
	}{
		{name: "security council", args: []string{"power", "--date", "2024-06-01"}, code: 0,
			stdout: []string{"at least 9 of 15 members, including all 5 permanent members (veto)", "closed form by player types",
				"swings 848, Banzhaf 106/635, absolute 53/2^10, Shapley-Shubik 421/2145", "swings 84, Banzhaf 21/1270", "Shapley-Shubik 4/2145"}},
		{name: "security council of 11", args: []string{"power", "unsc", "--date", "1960-06-01", "--index", "all"}, code: 0,
			stdout: []string{"at least 7 of 11 members", "Shapley-Shubik 76/385", "Johnston 123/665", "minimal winning coalitions: 15"}},
		{name: "weights file", args: []string{"power", "--weights", eec, "--quota", "12", "--index", "banzhaf"}, code: 0,
			stdout: []string{"a total weight of at least 12 of 17", "LUX: swings 0, Banzhaf 0", "FRA, DEU, ITA: swings 10, Banzhaf 5/21"}},
		{name: "quota as a share", args: []string{"power", "--weights", eec, "--quota", "70%"}, code: 0,
			stdout: []string{"at least 12 of 17"}},
		{name: "built-in game", args: []string{"power", "--game", "us-electoral-college", "--index", "shapley-shubik"}, code: 0,
			stdout: []string{"270 of 538", "CA"}},
		{name: "estimate", args: []string{"power", "--game", "eec-1958", "--estimate", "--samples", "5000"}, code: 0,
			stdout: []string{"ESTIMATE: Monte Carlo estimate from 5000 samples"}},
		{name: "body file", args: []string{"power", "../../examples/bodies/board.yaml", "--matter", "special"}, code: 0,
			stdout: []string{"at least 6 of 9 members"}},
		{name: "decisive", args: []string{"power", "--scenario", "../../examples/scenarios/ukraine-2022.yaml"}, code: 0,
			stdout: []string{"vote v155 (2022-02-25, substantive): failed; decisive: RUS", "RUS voted no; had it voted yes, adopted: 12 in favour",
				"vote v160 (2022-02-27, procedural): adopted; no member decisive"}},
		{name: "decisive request", args: []string{"power", "--scenario", "../../examples/scenarios/dprk-2019.yaml", "--request", "dprk-hr"}, code: 0,
			stdout: []string{"the signature of any one of CHN, CIV, GNQ, IDN, RUS, ZAF, USA would close the gap", "USA declined"}},
		{name: "unknown vote", args: []string{"power", "--scenario", "../../examples/scenarios/ukraine-2022.yaml", "--vote", "v1"}, code: 2,
			stderr: []string{"no vote v1"}},
		{name: "over budget", args: []string{"power", "--game", "us-electoral-college", "--exact", "--budget", "10"}, code: 3,
			stderr: []string{"exact computation exceeds the budget", "raise --budget"}},
		{name: "bad index", args: []string{"power", "--index", "power"}, code: 2, stderr: []string{`unknown index "power"`}},
		{name: "quota without weights", args: []string{"power", "--quota", "12"}, code: 2, stderr: []string{"--weights and --quota go together"}},
		{name: "two games", args: []string{"power", "unsc", "--game", "eec-1958"}, code: 2, stderr: []string{"give one of"}},
		{name: "unknown body", args: []string{"power", "nowhere"}, code: 2, stderr: []string{"unknown body"}},
		{name: "unknown matter", args: []string{"power", "--matter", "nonsense", "--date", "2024-06-01"}, code: 2, stderr: []string{`no decision "nonsense"`}},
		{name: "bad weights", args: []string{"power", "--weights", writeFile(t, "bad.csv", "A,1\nB,x\n"), "--quota", "1"}, code: 2,
			stderr: []string{"bad.csv:2: weight \"x\" is not a whole number"}},
		{name: "exact and estimate", args: []string{"power", "--exact", "--estimate"}, code: 2, stderr: []string{"exclude each other"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tc.args...)
			wantRun(t, code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
		})
	}
}

// TestPowerJSON checks the JSON contract: players with id, weight, exact swings as decimal strings
// and the indices as numbers.
func TestPowerJSON(t *testing.T) {
	code, stdout, stderr := run(t, "power", "--json", "--date", "2024-06-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var raw struct {
		Players []map[string]any `json:"players"`
	}
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatal(err)
	}
	p := raw.Players[0]
	for _, key := range []string{"id", "weight", "swings", "banzhaf", "absolute_banzhaf", "shapley_shubik"} {
		if _, ok := p[key]; !ok {
			t.Errorf("player lacks %q: %v", key, p)
		}
	}
	if _, ok := p["swings"].(string); !ok {
		t.Errorf("swings must be a decimal string: %v", p["swings"])
	}
	if _, ok := p["banzhaf"].(float64); !ok {
		t.Errorf("banzhaf must be a number: %v", p["banzhaf"])
	}
	var rep power.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	for _, pl := range rep.Players {
		want := "4/2145"
		if pl.Class == "permanent" {
			want = "421/2145"
		}
		if pl.Exact["shapley_shubik"] != want {
			t.Errorf("%s: Shapley-Shubik %s, want %s", pl.ID, pl.Exact["shapley_shubik"], want)
		}
	}
	// Swings beyond 64 bits stay exact.
	code, stdout, stderr = run(t, "power", "--json", "--weights", "../../power/testdata/w200.csv", "--quota", "50%", "--index", "banzhaf")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Exact || len(rep.TotalSwings) < 40 || rep.Quota != 500000 || len(rep.Players) != 200 {
		t.Errorf("w200: exact %v, total swings %s, quota %d, %d players", rep.Exact, rep.TotalSwings, rep.Quota, len(rep.Players))
	}
}
