package scenario

import (
	"fmt"
	"strings"

	"github.com/opencouncil/council"
	"go.yaml.in/yaml/v3"
)

// Error is a file that is not a valid scenario: it names the file, the line and the field.
type Error struct {
	File    string
	Line    int
	Field   string
	Message string
}

// Error writes "file:line: field: message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// fields reads the fields of one mapping node, remembering which were read so unknown ones are errors.
type fields struct {
	p      *parser
	prefix string // "steps[3].sign" for messages
	node   *yaml.Node
	keys   map[string]*yaml.Node
	used   map[string]bool
}

func (p *parser) fieldsOf(prefix string, n *yaml.Node) (*fields, error) {
	if n.Kind != yaml.MappingNode {
		return nil, p.errf(n, prefix, "want a mapping of fields, got %s", kindName(n))
	}
	f := &fields{p: p, prefix: prefix, node: n, keys: map[string]*yaml.Node{}, used: map[string]bool{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if _, dup := f.keys[k.Value]; dup {
			return nil, p.errf(k, prefix+"."+k.Value, "field given twice")
		}
		f.keys[k.Value] = n.Content[i+1]
	}
	return f, nil
}

func (f *fields) name(field string) string {
	if f.prefix == "" {
		return field
	}
	return f.prefix + "." + field
}

func (f *fields) get(field string, required bool) (*yaml.Node, error) {
	f.used[field] = true
	n := f.keys[field]
	if n == nil && required {
		return nil, f.p.errf(f.node, f.name(field), "missing")
	}
	return n, nil
}

// str reads a scalar field as text.
func (f *fields) str(field string, required bool) (string, error) {
	n, err := f.get(field, required)
	if n == nil || err != nil {
		return "", err
	}
	if n.Kind != yaml.ScalarNode {
		return "", f.p.errf(n, f.name(field), "want a single value, got %s", kindName(n))
	}
	if required && strings.TrimSpace(n.Value) == "" {
		return "", f.p.errf(n, f.name(field), "empty")
	}
	return n.Value, nil
}

// date reads a YYYY-MM-DD field.
func (f *fields) date(field string, required bool) (council.Date, error) {
	n, err := f.get(field, required)
	if n == nil || err != nil {
		return 0, err
	}
	if n.Kind != yaml.ScalarNode {
		return 0, f.p.errf(n, f.name(field), "want a date YYYY-MM-DD, got %s", kindName(n))
	}
	d, err := council.ParseDate(n.Value)
	if err != nil {
		return 0, f.p.errf(n, f.name(field), "%v", err)
	}
	return d, nil
}

// int reads a whole number field.
func (f *fields) int(field string) (int, error) {
	n, err := f.get(field, false)
	if n == nil || err != nil {
		return 0, err
	}
	var v int
	if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil || v < 0 {
		return 0, f.p.errf(n, f.name(field), "want a whole number, got %q", n.Value)
	}
	return v, nil
}

// list reads a field holding one value or a list of values.
func (f *fields) list(field string, required bool) ([]string, *yaml.Node, error) {
	n, err := f.get(field, required)
	if n == nil || err != nil {
		return nil, nil, err
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Value == "" {
			return nil, n, f.p.errf(n, f.name(field), "empty")
		}
		return []string{n.Value}, n, nil
	case yaml.SequenceNode:
		out := make([]string, 0, len(n.Content))
		for i, x := range n.Content {
			if x.Kind != yaml.ScalarNode || x.Value == "" {
				return nil, n, f.p.errf(x, fmt.Sprintf("%s[%d]", f.name(field), i), "want a value, got %s", kindName(x))
			}
			out = append(out, x.Value)
		}
		if required && len(out) == 0 {
			return nil, n, f.p.errf(n, f.name(field), "empty list")
		}
		return out, n, nil
	}
	return nil, n, f.p.errf(n, f.name(field), "want a value or a list, got %s", kindName(n))
}

// members reads a field of one or more member codes and checks each is a known code.
func (f *fields) members(field string, required bool) ([]string, error) {
	codes, n, err := f.list(field, required)
	if err != nil || n == nil {
		return codes, err
	}
	for i, c := range codes {
		if err := f.p.checkCode(n, f.name(field), i, c); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// member reads a field of exactly one member code.
func (f *fields) member(field string, required bool) (string, error) {
	c, err := f.str(field, required)
	if err != nil || c == "" {
		return c, err
	}
	return c, f.p.checkCode(f.keys[field], f.name(field), -1, c)
}

// done reports the first field that no one read.
func (f *fields) done() error {
	for i := 0; i+1 < len(f.node.Content); i += 2 {
		k := f.node.Content[i]
		if !f.used[k.Value] {
			return f.p.errf(k, f.name(k.Value), "unknown field")
		}
	}
	return nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		return fmt.Sprintf("the value %q", n.Value)
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}
