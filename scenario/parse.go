// Package scenario reads the scenario format (docs/scenario.md): a council's story told step by step,
// letters, signatures, meetings and votes. It checks the file, builds the domain commands, and plays
// them through the rules into a record.
package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/councils"
	"github.com/opencouncil/council/roster"
	"github.com/opencouncil/council/rules"
	"go.yaml.in/yaml/v3"
)

// Scenario is a parsed scenario file, ready to run.
type Scenario struct {
	File   string
	Title  string
	BodyID string
	AsOf   council.Date
	// Def is what the council is made of: the first event of its stream when it is kept in a store.
	Def    *council.CouncilCreated
	Config council.Config
	Steps  []Step
}

// Step is one step of a scenario: its number from 1, its line in the file and its command.
type Step struct {
	N       int
	Line    int
	Command council.Command
}

// Options say where to find what a scenario refers to.
type Options struct {
	// Roster is the Security Council's membership; nil means the embedded one.
	Roster *roster.Roster
	// Dir is the folder that relative body paths are read from; "" means the file's own folder.
	Dir string
}

// Load reads and parses a scenario file.
func Load(path string, opt Options) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Message: err.Error()}
	}
	if opt.Dir == "" {
		opt.Dir = filepath.Dir(path)
	}
	return Parse(data, path, opt)
}

type parser struct {
	file  string
	opt   Options
	known func(string) bool
	body  *rules.Body
}

func (p *parser) errf(n *yaml.Node, field, format string, args ...any) *Error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &Error{File: p.file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)}
}

// checkCode reports a member code that names no known member.
func (p *parser) checkCode(n *yaml.Node, field string, i int, code string) error {
	if p.known == nil || p.known(code) {
		return nil
	}
	if i >= 0 && n != nil && n.Kind == yaml.SequenceNode && i < len(n.Content) {
		n = n.Content[i]
		field = fmt.Sprintf("%s[%d]", field, i)
	}
	return p.errf(n, field, "unknown member %q (members are named by ISO 3166 alpha-3 code, e.g. FRA)", code)
}

// Parse reads a scenario from its bytes; file names it in errors. Every error is an *Error.
func Parse(data []byte, file string, opt Options) (*Scenario, error) {
	if opt.Roster == nil {
		opt.Roster = roster.Default()
	}
	p := &parser{file: file, opt: opt}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, p.errf(nil, "", "empty file: a scenario needs body, as_of and steps")
	} else if err != nil {
		return nil, p.yamlError(err)
	}
	if len(doc.Content) == 0 {
		return nil, p.errf(nil, "", "empty file: a scenario needs body, as_of and steps")
	}
	var more yaml.Node
	if err := dec.Decode(&more); err == nil {
		at := &more
		if len(more.Content) > 0 {
			at = more.Content[0]
		}
		return nil, p.errf(at, "", "a scenario is one document: a second YAML document starts here")
	} else if !errors.Is(err, io.EOF) {
		return nil, p.yamlError(err)
	}
	top, err := p.fieldsOf("", doc.Content[0])
	if err != nil {
		return nil, err
	}
	sc := &Scenario{File: file}
	if sc.Title, err = top.str("title", false); err != nil {
		return nil, err
	}
	if sc.BodyID, err = top.str("body", true); err != nil {
		return nil, err
	}
	if sc.AsOf, err = top.date("as_of", true); err != nil {
		return nil, err
	}
	if err := p.setup(sc, top); err != nil {
		return nil, err
	}
	stepsNode, err := top.get("steps", true)
	if err != nil {
		return nil, err
	}
	if err := top.done(); err != nil {
		return nil, err
	}
	if stepsNode.Kind != yaml.SequenceNode {
		return nil, p.errf(stepsNode, "steps", "want a list of steps, got %s", kindName(stepsNode))
	}
	if len(stepsNode.Content) == 0 {
		return nil, p.errf(stepsNode, "steps", "no steps: a scenario needs at least one")
	}
	day := sc.AsOf
	for i, n := range stepsNode.Content {
		st, err := p.step(i+1, n)
		if err != nil {
			return nil, err
		}
		if at := st.Command.Day(); at != 0 {
			if at < day {
				return nil, p.errf(n, fmt.Sprintf("steps[%d].at", i+1), "%s is before the day of the step before it (%s): dates never go backwards", at, day)
			}
			day = at
		} else {
			setDay(st.Command, day)
		}
		sc.Steps = append(sc.Steps, st)
	}
	return sc, nil
}

func (p *parser) yamlError(err error) *Error {
	msg := err.Error()
	line := 0
	// yaml.v3 errors read "yaml: line N: message". For the parser's errors ("did not find expected
	// ...") N is the line before the construct that is left open (its mark counts from 0), so add one.
	if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
		var n int
		if _, e := fmt.Sscanf(rest, "%d:", &n); e == nil {
			line = n
			msg = strings.TrimSpace(rest[strings.Index(rest, ":")+1:])
			if strings.HasPrefix(msg, "did not find expected") {
				line++
			}
		}
	}
	return &Error{File: p.file, Line: line, Message: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// setup reads what the council is made of (body, members, weights, numbering) into its definition,
// and resolves that into the configuration the steps run under.
func (p *parser) setup(sc *Scenario, top *fields) error {
	bodyNode := top.keys["body"]
	def := &council.CouncilCreated{Dated: council.Dated{Date: sc.AsOf}, Title: sc.Title, Body: sc.BodyID}
	if _, err := bodies.Builtin(sc.BodyID); err != nil {
		path := sc.BodyID
		if !filepath.IsAbs(path) {
			path = filepath.Join(p.opt.Dir, path)
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return p.errf(bodyNode, "body", "unknown body %q: not a built-in body (%s) and no file: %v",
				sc.BodyID, strings.Join(bodies.BuiltinIDs(), ", "), err)
		}
		def.BodyFile = string(text)
		def.Body = path
	}
	body, err := councils.Body(def)
	if err != nil {
		return p.errf(bodyNode, "body", "%v", errors.Unwrap(err))
	}
	p.body = body
	p.known = councils.Known(body, p.opt.Roster)
	if err := p.members(top, def); err != nil {
		return err
	}
	if num, err := top.get("numbering", false); err != nil {
		return err
	} else if num != nil {
		f, err := p.fieldsOf("numbering", num)
		if err != nil {
			return err
		}
		if def.NextMeeting, err = f.int("meeting"); err != nil {
			return err
		}
		if def.NextResolution, err = f.int("resolution"); err != nil {
			return err
		}
		if err := f.done(); err != nil {
			return err
		}
	}
	cfg, err := councils.Resolve(def, p.opt.Roster)
	if err != nil {
		field := councils.AsField(err)
		n := top.keys[field]
		if n == nil {
			n = bodyNode
		}
		return p.errf(n, field, "%v", errors.Unwrap(err))
	}
	if def.BodyFile != "" {
		def.Body = body.ID
	}
	sc.Def, sc.Config = def, cfg
	return nil
}

// members reads the optional members mapping (class: [codes]) and weights that replace the roster,
// checking each code where it stands.
func (p *parser) members(top *fields, def *council.CouncilCreated) error {
	n, err := top.get("members", false)
	if err != nil || n == nil {
		top.get("weights", false) // weights without members: Resolve names the field
		if w := top.keys["weights"]; w != nil && err == nil {
			return p.errf(w, "weights", "weights are given with members: list the members too")
		}
		return err
	}
	f, err := p.fieldsOf("members", n)
	if err != nil {
		return err
	}
	def.Members = map[string][]string{}
	var classes []string
	if era := p.body.EraOn(def.Date.String()); era != nil {
		classes = era.Classes
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		class := n.Content[i].Value
		if len(classes) > 0 && !slices.Contains(classes, class) {
			return p.errf(n.Content[i], "members."+class, "unknown member class (the %s has %s)", p.body.ID, strings.Join(classes, ", "))
		}
		codes, err := f.members(class, true)
		if err != nil {
			return err
		}
		for _, c := range codes {
			if seen[c] {
				return p.errf(n.Content[i+1], "members."+class, "%s is listed twice", c)
			}
			seen[c] = true
		}
		def.Members[class] = codes
	}
	if err := f.done(); err != nil {
		return err
	}
	wn, err := top.get("weights", false)
	if err != nil || wn == nil {
		return err
	}
	wf, err := p.fieldsOf("weights", wn)
	if err != nil {
		return err
	}
	def.Weights = map[string]int64{}
	for i := 0; i+1 < len(wn.Content); i += 2 {
		code := wn.Content[i].Value
		w, err := wf.int(code)
		if err != nil {
			return err
		}
		def.Weights[code] = int64(w)
	}
	return wf.done()
}
