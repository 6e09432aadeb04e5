package bodies_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/rules"
)

const examples = "../examples/bodies"

// mustLoad loads a body by id or path, failing the test on error.
func mustLoad(tb testing.TB, nameOrPath string) *rules.Body {
	tb.Helper()
	b, err := bodies.Load(nameOrPath)
	if err != nil {
		tb.Fatalf("load %s: %v", nameOrPath, err)
	}
	return b
}

func TestBuiltinsParse(t *testing.T) {
	ids := bodies.BuiltinIDs()
	if !slices.Contains(ids, "unsc") {
		t.Fatalf("BuiltinIDs() = %v, want unsc among them", ids)
	}
	for _, id := range ids {
		b, err := bodies.Builtin(id)
		if err != nil {
			t.Fatalf("Builtin(%q): %v", id, err)
		}
		if b.ID != id {
			t.Errorf("Builtin(%q).ID = %q", id, b.ID)
		}
		if err := b.Validate(); err != nil {
			t.Errorf("Builtin(%q).Validate(): %v", id, err)
		}
	}
}

func TestBuiltinReturnsACopy(t *testing.T) {
	a, b := mustLoad(t, "unsc"), mustLoad(t, "unsc")
	a.Eras[0].Decisions["procedural"].Criteria[0].Votes = 1
	a.Defaults["agenda"] = "x"
	if b.Eras[0].Decisions["procedural"].Criteria[0].Votes != 7 || b.Defaults["agenda"] != "procedural" {
		t.Fatal("changing one built-in body changed another")
	}
}

func TestBuiltinUnknown(t *testing.T) {
	_, err := bodies.Builtin("nato")
	if err == nil || !strings.Contains(err.Error(), `"nato"`) || !strings.Contains(err.Error(), "unsc") {
		t.Fatalf("Builtin(nato) error = %v, want it to name nato and list unsc", err)
	}
}

func TestLoad(t *testing.T) {
	if b := mustLoad(t, "unsc"); b.Roster != "unsc" || b.Presidency != "rotation" {
		t.Errorf("Load(unsc) = roster %q, presidency %q", b.Roster, b.Presidency)
	}
	if _, err := bodies.Load("nato"); err == nil || !strings.Contains(err.Error(), "unsc") {
		t.Errorf("Load(nato) error = %v, want the built-in ids listed", err)
	}
	if _, err := bodies.Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "read body file") {
		t.Errorf("Load(missing file) error = %v", err)
	}
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte("id: x\ndecisions: {a: {votes: 0}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := bodies.Load(path); err == nil || !strings.HasPrefix(err.Error(), path+":2: decisions.a.votes:") {
		t.Errorf("Load(bad file) error = %v, want it to start with the path, line and field", err)
	}
}

func TestExamplesParse(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(examples, "*.yaml"))
	if err != nil || len(files) < 3 {
		t.Fatalf("example body files: %v (%v)", files, err)
	}
	for _, f := range files {
		b := mustLoad(t, f)
		if want := strings.TrimSuffix(filepath.Base(f), ".yaml"); b.ID != want {
			t.Errorf("%s: id %q, want %q", f, b.ID, want)
		}
		if err := b.Validate(); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		if len(b.Members) == 0 && b.Roster == "" {
			t.Errorf("%s: no members and no roster", f)
		}
		for on, m := range b.Defaults {
			if b.Eras[0].Decision(m) == nil {
				t.Errorf("%s: default for %s is %q, not a decision", f, on, m)
			}
		}
	}
}

func TestGeneralAssembly(t *testing.T) {
	b := mustLoad(t, filepath.Join(examples, "general-assembly.yaml"))
	code := regexp.MustCompile(`^[A-Z]{3}$`)
	seen := map[string]bool{}
	for _, s := range b.Members {
		if !code.MatchString(s.Code) || seen[s.Code] {
			t.Errorf("member %q: not a new 3-letter code", s.Code)
		}
		seen[s.Code] = true
		if s.Class != "member" || s.Weight != 1 || s.Name == "" {
			t.Errorf("member %s: class %q, weight %d, name %q", s.Code, s.Class, s.Weight, s.Name)
		}
	}
	if len(seen) != 193 {
		t.Errorf("%d members, want the 193 UN member states", len(seen))
	}
	for _, c := range []string{"CHN", "FRA", "RUS", "GBR", "USA", "SSD", "PRK", "CIV", "TUR"} {
		if !seen[c] {
			t.Errorf("%s missing", c)
		}
	}
	e := b.Eras[0]
	if q := e.Quorum; q == nil || q.Share != (rules.Share{Num: 1, Den: 2, Strict: true}) || q.Members != 0 {
		t.Errorf("quorum = %+v, want a majority of the members", e.Quorum)
	}
	want := map[string]rules.Criterion{
		"important": {Share: rules.Share{Num: 2, Den: 3}, Base: rules.OfVoting},
		"other":     {Share: rules.Share{Num: 1, Den: 2, Strict: true}, Base: rules.OfVoting},
	}
	for name, c := range want {
		d := e.Decision(name)
		if d == nil || len(d.Criteria) != 1 || d.Criteria[0] != c || d.Veto != "" {
			t.Errorf("decision %s = %+v, want %+v", name, d, c)
		}
	}
	for _, on := range []string{"draft", "amendment", "agenda"} {
		if b.DefaultMatter(on) != "other" {
			t.Errorf("default for %s = %q, want other", on, b.DefaultMatter(on))
		}
	}
}

func TestBoard(t *testing.T) {
	b := mustLoad(t, filepath.Join(examples, "board.yaml"))
	if len(b.Members) != 9 {
		t.Fatalf("%d directors, want 9", len(b.Members))
	}
	for _, s := range b.Members {
		if s.Class != "director" || s.Weight != 1 {
			t.Errorf("%s: class %q weight %d", s.Code, s.Class, s.Weight)
		}
	}
	e := b.Eras[0]
	if e.Seats != 9 || e.Quorum == nil || e.Decision("ordinary") == nil || e.Decision("special") == nil {
		t.Fatalf("era = %+v", e)
	}
	if got := e.NeededOf("ordinary", 9); got != 5 {
		t.Errorf("NeededOf(ordinary, 9) = %d, want 5", got)
	}
	if got := e.NeededOf("special", 9); got != 6 {
		t.Errorf("NeededOf(special, 9) = %d, want 6", got)
	}
	for _, on := range []string{"draft", "amendment", "agenda", "statement"} {
		if b.DefaultMatter(on) != "ordinary" {
			t.Errorf("default for %s = %q, want ordinary", on, b.DefaultMatter(on))
		}
	}
}

func TestEUCouncil(t *testing.T) {
	b := mustLoad(t, filepath.Join(examples, "eu-council.yaml"))
	if len(b.Members) != 27 {
		t.Fatalf("%d members, want 27", len(b.Members))
	}
	var total int64
	for _, s := range b.Members {
		total += s.Weight
	}
	// 449,206,579 people on 1 January 2024, in thousands, each state rounded.
	if total < 449_150 || total > 449_250 {
		t.Errorf("total weight %d, want about 449,207 (thousands)", total)
	}
	d := b.Eras[0].Decision("qualified")
	if d == nil || len(d.Criteria) != 2 || d.BlockingMinority != 4 || !d.Criteria[1].Weighted {
		t.Fatalf("qualified = %+v", d)
	}
}

func TestEraOn(t *testing.T) {
	b := mustLoad(t, "unsc")
	for _, tc := range []struct {
		day          string
		seats, votes int
	}{
		{"1946-01-17", 11, 7},
		{"1950-06-27", 11, 7},
		{"1965-08-31", 11, 7},
		{"1965-12-31", 11, 7},
		{"1966-01-01", 15, 9},
		{"2019-12-10", 15, 9},
	} {
		e := b.EraOn(tc.day)
		if e == nil {
			t.Fatalf("EraOn(%s) = nil", tc.day)
		}
		if e.Seats != tc.seats {
			t.Errorf("EraOn(%s).Seats = %d, want %d", tc.day, e.Seats, tc.seats)
		}
		for _, m := range []string{"procedural", "substantive"} {
			if got := e.Decision(m).Criteria[0].Votes; got != tc.votes {
				t.Errorf("EraOn(%s) %s votes = %d, want %d", tc.day, m, got, tc.votes)
			}
		}
		if e.Decision("substantive").Veto != "permanent" || e.Decision("procedural").Veto != "" {
			t.Errorf("EraOn(%s): veto wrong", tc.day)
		}
		if !e.Decision("statement").Consensus {
			t.Errorf("EraOn(%s): statement not by consensus", tc.day)
		}
	}
	if e := b.EraOn("1945-12-31"); e != nil {
		t.Errorf("EraOn(1945-12-31) = %+v, want nil: the Council did not exist yet", e)
	}
}
