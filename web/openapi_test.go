package web

import (
	"bytes"
	"encoding"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
)

// The OpenAPI document (openapi.json, embedded as openAPIDocument) is written by hand; these tests keep
// it in step with the code: its routes with routeTable, its command schemas with the command structs,
// its response schemas with the wire types, its events with the event structs, and its problem codes
// with statusOf, the error codes of every package and docs/api.md.
//
// Validating the document against the OpenAPI 3.1 meta-schema would need a JSON Schema validator, which
// the module does not depend on; TestOpenAPIWellFormed checks what such a validation would catch that
// matters here instead: every $ref resolves, path parameters match the templates, operations have
// responses and security, and every error is a problem detail.

type jsonObject = map[string]any

// openAPIDoc parses the embedded document.
func openAPIDoc(t *testing.T) jsonObject {
	t.Helper()
	var doc jsonObject
	dec := json.NewDecoder(bytes.NewReader(openAPIDocument))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if dec.More() {
		t.Fatal("openapi.json holds more than one JSON value")
	}
	return doc
}

// at walks the document along keys; nil when a key is missing.
func at(v any, keys ...string) any {
	for _, k := range keys {
		o, ok := v.(jsonObject)
		if !ok {
			return nil
		}
		v = o[k]
	}
	return v
}

func obj(v any) jsonObject {
	o, _ := v.(jsonObject)
	return o
}

// deref follows local $refs ("#/a/b") to what they name.
func deref(t *testing.T, doc jsonObject, v any) jsonObject {
	t.Helper()
	for range 20 {
		o := obj(v)
		r, ok := o["$ref"].(string)
		if !ok {
			return o
		}
		v = resolveRef(doc, r)
		if v == nil {
			t.Fatalf("$ref %s resolves to nothing", r)
		}
	}
	t.Fatal("$ref chain too long")
	return nil
}

// resolveRef returns what a local $ref names, or nil.
func resolveRef(doc jsonObject, ref string) any {
	path, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil
	}
	keys := strings.Split(path, "/")
	for i, k := range keys {
		keys[i] = strings.NewReplacer("~1", "/", "~0", "~").Replace(k)
	}
	return at(doc, keys...)
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// operations returns the document's operations by "METHOD /path".
func operations(doc jsonObject) map[string]jsonObject {
	ops := map[string]jsonObject{}
	for path, item := range obj(doc["paths"]) {
		for _, m := range httpMethods {
			if op := obj(obj(item)[m]); op != nil {
				ops[strings.ToUpper(m)+" "+path] = op
			}
		}
	}
	return ops
}

func TestOpenAPIDocument(t *testing.T) {
	doc := openAPIDoc(t)
	if v, _ := doc["openapi"].(string); !regexp.MustCompile(`^3\.1\.\d+$`).MatchString(v) {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	if at(doc, "info", "title") == nil || at(doc, "info", "version") == nil {
		t.Error("info needs a title and a version")
	}
	documented := operations(doc)
	served := map[string]bool{}
	for _, rt := range (&Server{}).routeTable() {
		name := rt.method + " " + rt.path
		if served[name] {
			t.Errorf("the route table lists %s twice", name)
		}
		served[name] = true
		if documented[name] == nil {
			t.Errorf("openapi.json does not document %s", name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(documented)) {
		if !served[name] {
			t.Errorf("openapi.json documents %s, which the route table does not serve", name)
		}
	}
}

// jsonField is a field as encoding/json writes it.
type jsonField struct {
	name string
	typ  reflect.Type
	omit bool // omitempty or omitzero: not always present
}

// jsonFields lists the JSON fields of a struct type, with those of embedded structs.
func jsonFields(t reflect.Type) []jsonField {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []jsonField
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				out = append(out, jsonFields(ft)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		omit := false
		for o := range strings.SplitSeq(opts, ",") {
			omit = omit || o == "omitempty" || o == "omitzero"
		}
		out = append(out, jsonField{name: name, typ: ft, omit: omit})
	}
	return out
}

var (
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	rawMessage    = reflect.TypeFor[json.RawMessage]()
)

// jsonKind is the JSON type a Go type is written as, "" when it may be anything.
func jsonKind(t reflect.Type) string {
	switch {
	case t == rawMessage:
		return ""
	case t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler):
		return "string"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return jsonKind(t.Elem())
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return ""
}

// schemaKinds lists the JSON types a schema allows, following $refs and alternatives; nil when it does
// not say.
func schemaKinds(t *testing.T, doc jsonObject, s any) []string {
	t.Helper()
	o := deref(t, doc, s)
	switch ty := o["type"].(type) {
	case string:
		return []string{ty}
	case []any:
		var out []string
		for _, x := range ty {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	for _, key := range []string{"oneOf", "anyOf"} {
		alts, ok := o[key].([]any)
		if !ok {
			continue
		}
		var out []string
		for _, a := range alts {
			k := schemaKinds(t, doc, a)
			if k == nil {
				return nil
			}
			out = append(out, k...)
		}
		return out
	}
	return nil
}

func kindAllows(kinds []string, k string) bool {
	return slices.Contains(kinds, k) || (k == "number" && slices.Contains(kinds, "integer"))
}

// checkSchema checks that a schema's properties are exactly the JSON fields of a Go type, of the JSON
// types the fields are written as; and, for what the server writes, that the fields always written are
// required and that those written as null may be null.
func checkSchema(t *testing.T, doc jsonObject, name string, schema jsonObject, typ reflect.Type, output bool) {
	t.Helper()
	props := obj(schema["properties"])
	if props == nil {
		t.Errorf("schema %s has no properties", name)
		return
	}
	fields := jsonFields(typ)
	want := map[string]bool{}
	var required []string
	for _, f := range fields {
		want[f.name] = true
		if !f.omit {
			required = append(required, f.name)
		}
		p, ok := props[f.name]
		if !ok {
			t.Errorf("schema %s lacks property %q (field of %s)", name, f.name, typ)
			continue
		}
		kinds := schemaKinds(t, doc, p)
		k := jsonKind(f.typ)
		if kinds != nil && k != "" && !kindAllows(kinds, k) {
			t.Errorf("schema %s: property %q is %v, but %s writes %s", name, f.name, kinds, typ, k)
		}
		if output && f.typ.Kind() == reflect.Pointer && !f.omit && kinds != nil && !slices.Contains(kinds, "null") {
			t.Errorf("schema %s: property %q may be null, and its schema does not allow it", name, f.name)
		}
		if k == "array" && f.typ.Kind() == reflect.Slice {
			if items := obj(deref(t, doc, p))["items"]; items != nil {
				ik, ek := schemaKinds(t, doc, items), jsonKind(f.typ.Elem())
				if ik != nil && ek != "" && !kindAllows(ik, ek) {
					t.Errorf("schema %s: items of %q are %v, but %s writes %s", name, f.name, ik, typ, ek)
				}
			}
		}
	}
	for _, p := range slices.Sorted(maps.Keys(props)) {
		if !want[p] {
			t.Errorf("schema %s has property %q, which %s does not have", name, p, typ)
		}
	}
	if output {
		var got []string
		for _, r := range asSlice(schema["required"]) {
			got = append(got, r.(string))
		}
		slices.Sort(got)
		slices.Sort(required)
		if !slices.Equal(got, required) {
			t.Errorf("schema %s: required is %v; the fields %s always writes are %v", name, got, typ, required)
		}
	}
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func TestOpenAPICommandSchemas(t *testing.T) {
	doc := openAPIDoc(t)
	op := operations(doc)["POST /v1/councils/{council}/commands/{kind}"]
	if op == nil {
		t.Fatal("the command route is not documented")
	}
	body := deref(t, doc, op["requestBody"])
	mapping := obj(body["x-command-schemas"])
	kinds := CommandKinds()
	if got := slices.Sorted(maps.Keys(mapping)); !slices.Equal(got, kinds) {
		t.Errorf("x-command-schemas maps %v; the command kinds are %v", got, kinds)
	}
	var kindEnum []string
	for _, p := range asSlice(op["parameters"]) {
		if p := deref(t, doc, p); p["name"] == "kind" {
			for _, k := range asSlice(at(p, "schema", "enum")) {
				kindEnum = append(kindEnum, k.(string))
			}
		}
	}
	if slices.Sort(kindEnum); !slices.Equal(kindEnum, kinds) {
		t.Errorf("the kind parameter's enum is %v; the command kinds are %v", kindEnum, kinds)
	}
	var alternatives []string
	for _, a := range asSlice(at(body, "content", "application/json", "schema", "anyOf")) {
		alternatives = append(alternatives, obj(a)["$ref"].(string))
	}
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			ref, _ := mapping[kind].(string)
			schema := obj(resolveRef(doc, ref))
			if schema == nil {
				t.Fatalf("no schema for command %s (x-command-schemas: %q)", kind, ref)
			}
			if !slices.Contains(alternatives, ref) {
				t.Errorf("the request body's anyOf lacks %s", ref)
			}
			if schema["additionalProperties"] != false {
				t.Error("the schema must refuse additional properties, as the server does")
			}
			cmd := commandKinds[kind]()
			checkSchema(t, doc, ref, schema, reflect.TypeOf(cmd), false)
			examples := asSlice(schema["examples"])
			if len(examples) == 0 {
				t.Error("the schema has no example")
			}
			for i, ex := range examples {
				b, err := json.Marshal(ex)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := decodeCommand(kind, b); err != nil {
					t.Errorf("example %d (%s) does not decode: %v", i, b, err)
				}
			}
			if ex := at(body, "content", "application/json", "examples", kind, "value"); ex == nil {
				t.Error("the request body has no example of this kind")
			}
		})
	}
}

func TestOpenAPIWireSchemas(t *testing.T) {
	doc := openAPIDoc(t)
	for _, tc := range []struct {
		schema string
		value  any
		output bool // written by the server: its required fields are checked too
	}{
		{"CreateCouncil", CreateCouncil{}, false},
		{"PatchCouncil", PatchCouncil{}, false},
		{"IssueToken", IssueToken{}, false},
		{"Created", Created{}, true},
		{"CouncilInfo", CouncilInfo{}, true},
		{"MemberInfo", MemberInfo{}, true},
		{"CouncilList", CouncilList{}, true},
		{"IssuedToken", IssuedToken{}, true},
		{"Grant", access.Grant{}, true},
		{"TokenList", TokenList{}, true},
		{"Whoami", Whoami{}, true},
		{"Done", Done{}, true},
		{"StreamEvent", StreamEvent{}, true},
		{"EventPage", EventPage{}, true},
		{"Programme", Programme{}, true},
		{"Requests", Requests{}, true},
		{"Votes", Votes{}, true},
		{"Problem", Problem{}, true},
		{"Record", council.Record{}, true},
		{"StepError", council.StepError{}, true},
		{"RequestRecord", council.RequestRecord{}, true},
		{"MeetingRecord", council.MeetingRecord{}, true},
		{"MeetingChange", council.MeetingChange{}, true},
		{"SpeechRecord", council.SpeechRecord{}, true},
		{"OpenVoteRecord", council.OpenVoteRecord{}, true},
		{"CastBallot", council.CastBallot{}, true},
		{"VoteRecord", council.VoteRecord{}, true},
		{"Counts", council.Counts{}, true},
		{"DraftRecord", council.DraftRecord{}, true},
		{"StatementRecord", council.StatementRecord{}, true},
	} {
		t.Run(tc.schema, func(t *testing.T) {
			schema := obj(at(doc, "components", "schemas", tc.schema))
			if schema == nil {
				t.Fatalf("components/schemas has no %s", tc.schema)
			}
			if !tc.output && schema["additionalProperties"] != false {
				t.Error("a request body's schema must refuse additional properties, as the server does")
			}
			checkSchema(t, doc, tc.schema, schema, reflect.TypeOf(tc.value), tc.output)
		})
	}
	// Roles: the schema's enum is access's.
	var roles []string
	for _, r := range asSlice(at(doc, "components", "schemas", "Role", "enum")) {
		roles = append(roles, r.(string))
	}
	for _, r := range []access.Role{access.Admin, access.Secretariat, access.Delegation, access.Observer} {
		if !slices.Contains(roles, string(r)) {
			t.Errorf("the Role schema lacks %q", r)
		}
	}
}

// goSource parses the non-test Go files of a directory.
func goSource(t *testing.T, dir string) []*ast.File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	fset := token.NewFileSet()
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

// storedEventTypes reads the keys of council's eventTypes: every type a stream may hold.
func storedEventTypes(t *testing.T) []string {
	t.Helper()
	var types []string
	for _, f := range goSource(t, "..") {
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "eventTypes" || len(vs.Values) != 1 {
				return true
			}
			lit, ok := vs.Values[0].(*ast.CompositeLit)
			if !ok {
				return true
			}
			for _, el := range lit.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					if s, ok := kv.Key.(*ast.BasicLit); ok && s.Kind == token.STRING {
						v, _ := strconv.Unquote(s.Value)
						types = append(types, v)
					}
				}
			}
			return false
		})
	}
	if len(types) == 0 {
		t.Fatal("found no eventTypes map in package council")
	}
	slices.Sort(types)
	return types
}

func TestOpenAPIEventSchemas(t *testing.T) {
	doc := openAPIDoc(t)
	types := storedEventTypes(t)
	var enum []string
	for _, e := range asSlice(at(doc, "components", "schemas", "EventType", "enum")) {
		enum = append(enum, e.(string))
	}
	if slices.Sort(enum); !slices.Equal(enum, types) {
		t.Errorf("the EventType enum is %v; the stored event types are %v", enum, types)
	}
	variants := map[string]any{}
	for _, v := range asSlice(at(doc, "components", "schemas", "EventOfType", "oneOf")) {
		typ, _ := at(v, "properties", "type", "const").(string)
		variants[typ] = at(v, "properties", "event")
	}
	for _, typ := range types {
		t.Run(typ, func(t *testing.T) {
			ref := variants[typ]
			if ref == nil {
				t.Fatalf("EventOfType has no variant for %s", typ)
			}
			e, err := council.DecodeEvent(typ, []byte("{}"))
			if err != nil {
				t.Fatal(err)
			}
			checkSchema(t, doc, typ, deref(t, doc, ref), reflect.TypeOf(e), true)
		})
	}
}

// errorCodes reads the package's error codes from the Go source: the codes statusOf's cases name, and
// every string constant named E... in this package and the project's packages it imports.
func errorCodes(t *testing.T) (cases, all []string) {
	t.Helper()
	const module = "github.com/opencouncil/council"
	web := goSource(t, ".")
	dirs := map[string]string{"": "."} // package name ("" for this one) to directory
	for _, f := range web {
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if rest, ok := strings.CutPrefix(p, module); ok {
				dirs[filepath.Base(p)] = filepath.Join("..", rest)
				if rest == "" {
					dirs["council"] = ".."
				}
			}
		}
	}
	consts := map[string]string{} // "pkg.Name" (or "Name" here) to value
	for pkg, dir := range dirs {
		for _, f := range goSource(t, dir) {
			for _, d := range f.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.CONST {
					continue
				}
				for _, s := range gd.Specs {
					vs := s.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i >= len(vs.Values) {
							continue
						}
						lit, ok := vs.Values[i].(*ast.BasicLit)
						if !ok || lit.Kind != token.STRING {
							continue
						}
						v, _ := strconv.Unquote(lit.Value)
						key := n.Name
						if pkg != "" {
							key = pkg + "." + n.Name
						}
						consts[key] = v
						if len(n.Name) > 1 && n.Name[0] == 'E' && unicode.IsUpper(rune(n.Name[1])) && !slices.Contains(all, v) {
							all = append(all, v)
						}
					}
				}
			}
		}
	}
	for _, f := range web {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Name.Name != "statusOf" {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				cc, ok := n.(*ast.CaseClause)
				if !ok {
					return true
				}
				for _, e := range cc.List {
					var key string
					switch e := e.(type) {
					case *ast.Ident:
						key = e.Name
					case *ast.SelectorExpr:
						if x, ok := e.X.(*ast.Ident); ok {
							key = x.Name + "." + e.Sel.Name
						}
					case *ast.BasicLit:
						key, _ = strconv.Unquote(e.Value)
						consts[key] = key
					}
					v, ok := consts[key]
					if !ok {
						t.Errorf("statusOf: cannot read the code of case %s", key)
						continue
					}
					cases = append(cases, v)
				}
				return true
			})
		}
	}
	if len(cases) == 0 {
		t.Fatal("found no cases in statusOf")
	}
	return cases, all
}

// headingSlugs returns the anchors GitHub gives a Markdown file's headings.
func headingSlugs(md string) map[string]int {
	slugs := map[string]int{}
	fenced := false
	for line := range strings.SplitSeq(md, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
			continue
		}
		if fenced || !strings.HasPrefix(line, "#") {
			continue
		}
		text := strings.TrimSpace(strings.TrimLeft(line, "#"))
		var b strings.Builder
		for _, r := range strings.ToLower(text) {
			switch {
			case unicode.IsLetter(r), unicode.IsDigit(r), r == '-', r == '_':
				b.WriteRune(r)
			case r == ' ':
				b.WriteRune('-')
			}
		}
		slugs[b.String()]++
	}
	return slugs
}

func TestOpenAPIProblemCodes(t *testing.T) {
	doc := openAPIDoc(t)
	problem := obj(at(doc, "components", "schemas", "Problem"))
	table := obj(problem["x-codes"])
	description, _ := problem["description"].(string)
	md, err := os.ReadFile("../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	slugs := headingSlugs(string(md))
	cases, all := errorCodes(t)
	codes := slices.Sorted(slices.Values(slices.Concat(cases, all)))
	codes = slices.Compact(codes)
	for _, code := range codes {
		entry := obj(table[code])
		if entry == nil {
			t.Errorf("the Problem schema's x-codes lacks %q", code)
			continue
		}
		if n, _ := entry["status"].(json.Number).Int64(); int(n) != statusOf(code) {
			t.Errorf("x-codes says %q is %d; statusOf says %d", code, n, statusOf(code))
		}
		if !strings.Contains(description, "`"+code+"`") {
			t.Errorf("the Problem schema's description does not list %q", code)
		}
		if slugs[code] != 1 {
			t.Errorf("docs/api.md has %d headings with the anchor #%s (Problem.type links to it); want 1", slugs[code], code)
		}
	}
	for _, code := range slices.Sorted(maps.Keys(table)) {
		if !slices.Contains(codes, code) {
			t.Errorf("x-codes documents %q, which no package defines", code)
		}
	}
	// Problem.type links to the code's section.
	if p := problemOf(council.Errorf(council.ENotSitting, "x"), "/"); !strings.HasSuffix(p.Type, "docs/api.md#"+council.ENotSitting) {
		t.Errorf("Problem.type is %s, want a link to docs/api.md#%s", p.Type, council.ENotSitting)
	}
}

func TestOpenAPIWellFormed(t *testing.T) {
	doc := openAPIDoc(t)
	// Every $ref resolves.
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case jsonObject:
			if r, ok := v["$ref"].(string); ok && resolveRef(doc, r) == nil {
				t.Errorf("%s: $ref %s resolves to nothing", path, r)
			}
			for k, x := range v {
				walk(path+"/"+k, x)
			}
		case []any:
			for i, x := range v {
				walk(path+"/"+strconv.Itoa(i), x)
			}
		}
	}
	walk("#", doc)

	schemes := obj(at(doc, "components", "securitySchemes"))
	if at(schemes, "bearerAuth", "scheme") != "bearer" {
		t.Error("components/securitySchemes/bearerAuth must be an http bearer scheme")
	}
	template := regexp.MustCompile(`\{([^}]+)\}`)
	ids := map[string]string{}
	roles := []string{"admin", "secretariat", "delegation", "observer", "anonymous"}
	ops := operations(doc)
	for _, name := range slices.Sorted(maps.Keys(ops)) {
		op := ops[name]
		path := strings.SplitN(name, " ", 2)[1]
		id, _ := op["operationId"].(string)
		if id == "" {
			t.Errorf("%s has no operationId", name)
		} else if other, dup := ids[id]; dup {
			t.Errorf("%s and %s share the operationId %s", name, other, id)
		}
		ids[id] = name
		// Path parameters are exactly the template's, and required.
		var want, got []string
		for _, m := range template.FindAllStringSubmatch(path, -1) {
			want = append(want, m[1])
		}
		params := map[string]bool{}
		for _, p := range asSlice(op["parameters"]) {
			p := deref(t, doc, p)
			params[p["in"].(string)+":"+p["name"].(string)] = true
			if p["in"] == "path" {
				got = append(got, p["name"].(string))
				if p["required"] != true {
					t.Errorf("%s: path parameter %s must be required", name, p["name"])
				}
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(want, got) {
			t.Errorf("%s: path parameters %v, want %v", name, got, want)
		}
		// Security: per operation, naming known schemes; roles named.
		sec, ok := op["security"].([]any)
		if !ok || len(sec) == 0 {
			t.Errorf("%s has no security", name)
		}
		for _, req := range sec {
			for scheme := range obj(req) {
				if schemes[scheme] == nil {
					t.Errorf("%s: security names the unknown scheme %s", name, scheme)
				}
			}
		}
		desc, _ := op["description"].(string)
		if !strings.Contains(desc, "Who may call") {
			t.Errorf("%s: the description does not say who may call it", name)
		}
		opRoles := asSlice(op["x-roles"])
		if len(opRoles) == 0 {
			t.Errorf("%s has no x-roles", name)
		}
		for _, r := range opRoles {
			if !slices.Contains(roles, r.(string)) {
				t.Errorf("%s: x-roles names %v", name, r)
			}
		}
		// Responses: a success, and every error a problem detail.
		responses := obj(op["responses"])
		success := false
		for code, r := range responses {
			status, err := strconv.Atoi(code)
			if err != nil {
				t.Errorf("%s: response %q is not a status", name, code)
				continue
			}
			r := deref(t, doc, r)
			if r["description"] == nil {
				t.Errorf("%s: response %d has no description", name, status)
			}
			if status < 400 {
				success = true
				continue
			}
			content := obj(r["content"])
			if len(content) != 1 || at(content, "application/problem+json", "schema", "$ref") != "#/components/schemas/Problem" {
				t.Errorf("%s: response %d must be application/problem+json with the Problem schema", name, status)
			}
		}
		if !success {
			t.Errorf("%s has no success response", name)
		}
		for _, s := range []int{401, 429} { // every request is authenticated and rate-limited
			if responses[strconv.Itoa(s)] == nil {
				t.Errorf("%s does not document %d", name, s)
			}
		}
		for _, p := range map[string][]string{
			"POST /v1/councils/{council}/commands/{kind}": {"header:Idempotency-Key"},
			"GET /v1/councils/{council}/events":           {"query:after", "query:limit"},
			"GET /v1/councils/{council}/stream":           {"header:Last-Event-ID", "query:after"},
		}[name] {
			if !params[p] {
				t.Errorf("%s does not document the parameter %s", name, p)
			}
		}
	}
	if at(ops["GET /v1/councils/{council}/stream"], "responses", "200", "content", "text/event-stream") == nil {
		t.Error("the stream's response is not text/event-stream")
	}
}
