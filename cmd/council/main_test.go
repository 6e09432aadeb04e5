package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs the command line as the binary would and returns its exit code and output.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// wantRun checks a run's exit code and that its stdout and stderr hold the texts.
func wantRun(t *testing.T, code int, out, errOut string, wantCode int, stdout, stderr []string) {
	t.Helper()
	if code != wantCode {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, wantCode, out, errOut)
	}
	for _, s := range stdout {
		if !strings.Contains(out, s) {
			t.Errorf("stdout lacks %q:\n%s", s, out)
		}
	}
	for _, s := range stderr {
		if !strings.Contains(errOut, s) {
			t.Errorf("stderr lacks %q:\n%s", s, errOut)
		}
	}
}

// writeFile writes a scenario into a temporary folder and returns its path.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const refused = `title: a second signature
body: unsc
as_of: 2019-12-02
steps:
  - request: {id: dprk-hr, by: FRA, subject: "The situation in the DPRK", meeting_on: 2019-12-10}
  - sign: {request: dprk-hr, by: [GBR, DEU, BEL]}
  - sign: {request: dprk-hr, by: DOM}
  - sign: {request: dprk-hr, by: BEL}
  - sign: {request: dprk-hr, by: KWT}
`

func TestReplayExitCodes(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string // each must appear
		stderr   []string
		jsonBody bool
	}{
		{name: "example, for people", args: []string{"replay", "../../examples/scenarios/dprk-2019.yaml"}, code: 0,
			stdout: []string{"USA declines to sign request dprk-hr", "support 8 of 9 needed", "would close the gap"}},
		{name: "example, json", args: []string{"replay", "--json", "../../examples/scenarios/dprk-2014.yaml"}, code: 0, jsonBody: true,
			stdout: []string{`"reason": "adopted: 11 in favour, 9 needed; procedural, so negative votes of permanent members are not vetoes"`}},
		{name: "flag after the file", args: []string{"replay", "../../examples/scenarios/dprk-2014.yaml", "--json"}, code: 0, jsonBody: true},
		{name: "refused step", args: []string{"replay", writeFile(t, "refused.yaml", refused)}, code: 1,
			stdout: []string{"Stopped: step 4 (sign): BEL has already signed request dprk-hr"},
			stderr: []string{"step 4 (sign): BEL has already signed request dprk-hr"}},
		{name: "refused step, json", args: []string{"replay", "--json", writeFile(t, "refused.yaml", refused)}, code: 1, jsonBody: true,
			stdout: []string{`"step": 4`, `"code": "already-signed"`, `"message": "BEL has already signed request dprk-hr"`}},
		{name: "invalid file names line and field", args: []string{"replay", writeFile(t, "bad.yaml", strings.Replace(refused, "by: DOM", "by: XYZ", 1))}, code: 2,
			stderr: []string{"bad.yaml:7: steps[3].sign.by", `unknown member "XYZ"`}},
		{name: "missing file", args: []string{"replay", "no-such-file.yaml"}, code: 2, stderr: []string{"no-such-file.yaml"}},
		{name: "no file", args: []string{"replay"}, code: 2, stderr: []string{"want one scenario file"}},
		{name: "unknown flag", args: []string{"replay", "--xml", "x.yaml"}, code: 2},
		{name: "unknown command", args: []string{"replya"}, code: 2, stderr: []string{`unknown command "replya"`}},
		{name: "roster", args: []string{"roster", "2014-12-22"}, code: 0, stdout: []string{"President Chad (TCD)", "TCD  elected"}},
		{name: "roster 1950", args: []string{"roster", "1950-08-01", "--json"}, code: 0, jsonBody: true, stdout: []string{`"president": "SUN"`}},
		{name: "roster bad date", args: []string{"roster", "2014-13-01"}, code: 2, stderr: []string{"bad date"}},
		{name: "roster out of range", args: []string{"roster", "2031-01-01"}, code: 2, stderr: []string{"no members recorded for 2031"}},
		{name: "bodies", args: []string{"bodies"}, code: 0, stdout: []string{"unsc"}},
		{name: "generate", args: []string{"generate", "--steps", "40"}, code: 0, stdout: []string{"body: unsc", "close: {meeting: m1}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			wantRun(t, code, out, errOut, tt.code, tt.stdout, tt.stderr)
			if tt.jsonBody {
				var v map[string]any
				if err := json.Unmarshal([]byte(out), &v); err != nil {
					t.Errorf("stdout is not one JSON object: %v\n%s", err, out)
				}
			}
		})
	}
}

// TestReplayRefusedKeepsRecordBefore checks that a refused step leaves the record as it was before it.
func TestReplayRefusedKeepsRecordBefore(t *testing.T) {
	_, out, _ := run(t, "replay", "--json", writeFile(t, "refused.yaml", refused))
	var rec struct {
		Requests []struct {
			Signatories []string `json:"signatories"`
			Support     int      `json:"support"`
		} `json:"requests"`
	}
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.Requests) != 1 || rec.Requests[0].Support != 5 {
		t.Fatalf("record after the refused step: %+v, want one request with support 5 (FRA GBR DEU BEL DOM)", rec)
	}
}

// TestGeneratedScenarioReplays checks that the generator writes a scenario the rules accept throughout.
func TestGeneratedScenarioReplays(t *testing.T) {
	code, out, errOut := run(t, "generate", "--steps", "5000", "--seed", "7")
	if code != 0 {
		t.Fatal(errOut)
	}
	p := writeFile(t, "gen.yaml", out)
	code, _, errOut = run(t, "replay", "--json", p)
	if code != 0 {
		t.Fatalf("generated scenario refused: %s", errOut)
	}
}
