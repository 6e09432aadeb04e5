package scenario_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/opencouncil/council/scenario"
)

// fuzzParseSeeds are the example scenarios and the invalid files of testdata.
func fuzzParseSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	var seeds [][]byte
	for _, pattern := range []string{
		filepath.Join("..", "examples", "scenarios", "*.yaml"),
		filepath.Join("testdata", "invalid", "*.yaml"),
	} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			seeds = append(seeds, b)
		}
	}
	if len(seeds) == 0 {
		tb.Fatal("no seeds found")
	}
	return seeds
}

func FuzzParse(f *testing.F) {
	// relative body paths are read from the examples' folder, as the examples expect
	examples, err := filepath.Abs(filepath.Join("..", "examples", "scenarios"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range fuzzParseSeeds(f) {
		f.Add(s)
	}
	f.Add([]byte(`{"title": "t", "body": "unsc", "as_of": "2019-12-02", "steps": [{"request": {"id": "r1", "by": "FRA", "subject": "s"}}]}`))
	f.Add([]byte("title: t\nbody: unsc\nas_of: 2019-12-02\nsteps:\n  - request: &r {id: r1, by: FRA, subject: s}\n  - sign: *r\n"))
	f.Add([]byte("title: t\nbody: unsc\nas_of: 1950-06-27\nmembers: {permanent: [CHN, FRA, SUN, GBR, USA], elected: [CUB, ECU, EGY, IND, NOR, YUG]}\nsteps: [{schedule: {meeting: m1, on: 1950-06-27, agenda: [Korea]}}, {open: {meeting: m1}}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// A body may be a file; the fuzzer must not make the test read devices or the whole disk.
		if bytes.Contains(data, []byte("/dev")) || bytes.Contains(data, []byte("/proc")) || bytes.Contains(data, []byte("/sys")) {
			t.Skip("a body path to a device")
		}
		sc, err := scenario.Parse(data, "fuzz.yaml", scenario.Options{Dir: examples})
		if err != nil {
			var e *scenario.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not a *scenario.Error", err, err)
			}
			if sc != nil {
				t.Fatalf("both a scenario and an error %v", err)
			}
			if e.File != "fuzz.yaml" || e.Message == "" {
				t.Fatalf("error %#v does not name the file and say what is wrong", e)
			}
			return
		}
		if sc == nil {
			t.Fatal("neither a scenario nor an error")
		}
		for i, st := range sc.Steps {
			if st.N != i+1 || st.Command == nil || st.Command.Day() == 0 {
				t.Fatalf("step %d: %+v, want numbered, with a command and a day", i+1, st)
			}
			if i > 0 && st.Command.Day() < sc.Steps[i-1].Command.Day() {
				t.Fatalf("step %d goes back to %s", i+1, st.Command.Day())
			}
		}
		r, err := sc.Run()
		if err != nil {
			return // the configuration cannot be run, such as a body without rules
		}
		if r.Record == nil {
			t.Fatal("a replay without a record")
		}
		if r.Failed != nil && (r.Failed.Code == "" || r.Failed.Code == "internal" || r.Failed.Message == "") {
			t.Fatalf("refused without a code or a message: %+v", r.Failed)
		}
		if _, err := json.Marshal(r.Record); err != nil {
			t.Fatalf("record: %v", err)
		}
	})
}
