package bodies

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is a mistake in a body file, located by line and field.
type Error struct {
	File  string // the file name given to Parse
	Line  int    // 1-based line of the mistake; 0 when it concerns the whole file
	Field string // where in the file, e.g. "eras[1].decisions.substantive.veto"; "" for the whole file
	Err   error  // what is wrong
}

// Error reads "FILE:LINE: FIELD: what is wrong".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns what is wrong without its place.
func (e *Error) Unwrap() error { return e.Err }

// parser reads the nodes of one body file and locates its errors.
type parser struct {
	file string
}

func (p *parser) fail(n *yaml.Node, field string, err error) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &Error{File: p.file, Line: line, Field: field, Err: err}
}

func (p *parser) failf(n *yaml.Node, field, format string, args ...any) error {
	return p.fail(n, field, fmt.Errorf(format, args...))
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns an error of the YAML reader into an Error with the line it names.
func (p *parser) syntaxError(err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: p.file, Line: line, Err: fmt.Errorf("bad YAML: %s", m[2])}
	}
	return &Error{File: p.file, Err: fmt.Errorf("bad YAML: %s", strings.TrimPrefix(msg, "yaml: "))}
}

// object is a YAML mapping whose keys have been checked against the keys allowed there.
type object struct {
	node *yaml.Node
	path string
	keys map[string]*yaml.Node // key nodes, for the line of a key
	vals map[string]*yaml.Node
}

// field is the path of one of the object's keys.
func (o *object) field(key string) string { return join(o.path, key) }

func (o *object) get(key string) *yaml.Node { return o.vals[key] }

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// deref follows an alias to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}

// object reads a mapping whose keys must be among allowed. Unknown and repeated keys are errors.
func (p *parser) object(n *yaml.Node, path string, allowed ...string) (*object, error) {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		return nil, p.failf(n, path, "want a mapping of %s, found %s", strings.Join(allowed, ", "), describe(n))
	}
	o := &object{node: n, path: path, keys: map[string]*yaml.Node{}, vals: map[string]*yaml.Node{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			return nil, p.failf(k, path, "a key must be a plain name, found %s", describe(k))
		}
		key := k.Value
		if !slices.Contains(allowed, key) {
			return nil, p.failf(k, join(path, key), "unknown key %q (known: %s)", key, strings.Join(allowed, ", "))
		}
		if first := o.keys[key]; first != nil {
			return nil, p.failf(k, join(path, key), "given twice (first on line %d)", first.Line)
		}
		o.keys[key], o.vals[key] = k, v
	}
	return o, nil
}

// entries reads a mapping with keys chosen by the file (decision names, member classes), in file order.
func (p *parser) entries(n *yaml.Node, path, what string) ([]*yaml.Node, error) {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		return nil, p.failf(n, path, "want a mapping of %s, found %s", what, describe(n))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := deref(n.Content[i])
		if k.Kind != yaml.ScalarNode {
			return nil, p.failf(k, path, "a key must be a plain name, found %s", describe(k))
		}
		if line, ok := seen[k.Value]; ok {
			return nil, p.failf(k, join(path, k.Value), "given twice (first on line %d)", line)
		}
		seen[k.Value] = k.Line
	}
	return n.Content, nil
}

// list reads a sequence.
func (p *parser) list(n *yaml.Node, path, what string) ([]*yaml.Node, error) {
	n = deref(n)
	if n.Kind != yaml.SequenceNode {
		return nil, p.failf(n, path, "want a list of %s, found %s", what, describe(n))
	}
	items := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		items[i] = deref(c)
	}
	return items, nil
}

// scalar reads a plain value; a YAML null reads as "".
func (p *parser) scalar(n *yaml.Node, path string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", p.failf(n, path, "want a single value, found %s", describe(n))
	}
	if n.ShortTag() == "!!null" {
		return "", nil
	}
	return n.Value, nil
}

// str reads an optional text field: "" when absent.
func (p *parser) str(o *object, key string) (string, error) {
	n := o.get(key)
	if n == nil {
		return "", nil
	}
	return p.scalar(n, o.field(key))
}

// name reads a field that must match a pattern, such as an id or a class name.
func (p *parser) name(n *yaml.Node, path string, re *regexp.Regexp, want string) (string, error) {
	s, err := p.scalar(n, path)
	if err != nil {
		return "", err
	}
	if !re.MatchString(s) {
		return "", p.failf(n, path, "bad name %q (want %s)", s, want)
	}
	return s, nil
}

// integer reads an optional whole number no smaller than least: 0 when absent.
func (p *parser) integer(o *object, key string, least int64) (int64, error) {
	n := o.get(key)
	if n == nil {
		return 0, nil
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		return 0, p.failf(n, o.field(key), "want a whole number, found %s", describe(n))
	}
	v, err := strconv.ParseInt(n.Value, 0, 64)
	if err != nil {
		return 0, p.failf(n, o.field(key), "want a whole number, found %s", describe(n))
	}
	if v < least {
		return 0, p.failf(n, o.field(key), "want a whole number of at least %d, found %d", least, v)
	}
	return v, nil
}

// boolean reads an optional true or false: false when absent. Under YAML 1.2, yes and no are not booleans.
func (p *parser) boolean(o *object, key string) (bool, error) {
	n := o.get(key)
	if n == nil {
		return false, nil
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" {
		if v, err := strconv.ParseBool(n.Value); err == nil {
			return v, nil
		}
	}
	return false, p.failf(n, o.field(key), "want true or false, found %s", describe(n))
}

// missing is the error for a required key that is absent.
func (p *parser) missing(o *object, key string) error {
	return p.fail(o.node, o.field(key), errors.New("missing"))
}
