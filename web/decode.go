package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/opencouncil/council"
)

// Limits on what a request may send.
const (
	maxBody  = 64 << 10 // bytes of a request body
	maxDepth = 16       // nesting of objects and arrays in a request body
)

// commandKinds makes an empty command of each kind, by the names scenario steps use.
var commandKinds = map[string]func() council.Command{
	"request":      func() council.Command { return &council.Request{} },
	"sign":         func() council.Command { return &council.Sign{} },
	"unsign":       func() council.Command { return &council.Unsign{} },
	"decline":      func() council.Command { return &council.Decline{} },
	"submit":       func() council.Command { return &council.Submit{} },
	"abandon":      func() council.Command { return &council.Abandon{} },
	"schedule":     func() council.Command { return &council.Schedule{} },
	"postpone":     func() council.Command { return &council.Postpone{} },
	"cancel":       func() council.Command { return &council.Cancel{} },
	"open":         func() council.Command { return &council.Open{} },
	"object":       func() council.Command { return &council.Object{} },
	"adopt_agenda": func() council.Command { return &council.AdoptAgenda{} },
	"draft":        func() council.Command { return &council.Draft{} },
	"cosponsor":    func() council.Command { return &council.Cosponsor{} },
	"amend":        func() council.Command { return &council.Amend{} },
	"withdraw":     func() council.Command { return &council.Withdraw{} },
	"vote":         func() council.Command { return &council.Vote{} },
	"statement":    func() council.Command { return &council.Statement{} },
	"prst":         func() council.Command { return &council.PRST{} },
	"close":        func() council.Command { return &council.Close{} },
	"open_vote":    func() council.Command { return &council.OpenVote{} },
	"ballot":       func() council.Command { return &council.Ballot{} },
	"close_vote":   func() council.Command { return &council.CloseVote{} },
	"ask_to_speak": func() council.Command { return &council.AskToSpeak{} },
}

// readBody reads a JSON request body within the size limit and checks it is UTF-8 and not nested too
// deep, before anything decodes it.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, council.Errorf(EMediaType, "send the body as application/json, not %q", ct)
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, council.Errorf(ETooLarge, "the body is over %d bytes", maxBody)
	case err != nil:
		return nil, council.Errorf(council.EINVALID, "reading the body: %v", err)
	case !utf8.Valid(body):
		return nil, council.Errorf(council.EINVALID, "the body is not valid UTF-8")
	}
	if err := checkDepth(body); err != nil {
		return nil, err
	}
	return body, nil
}

// checkDepth refuses JSON nested deeper than maxDepth, counting brackets outside strings.
func checkDepth(body []byte) error {
	depth, inString, escaped := 0, false, false
	for _, b := range body {
		switch {
		case escaped:
			escaped = false
		case inString && b == '\\':
			escaped = true
		case b == '"':
			inString = !inString
		case inString:
		case b == '{' || b == '[':
			if depth++; depth > maxDepth {
				return council.Errorf(council.EINVALID, "the body is nested more than %d levels deep", maxDepth)
			}
		case b == '}' || b == ']':
			depth--
		}
	}
	return nil
}

// decodeBody reads a request's JSON body within the limits and decodes it strictly into v.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	return decodeStrict(body, v)
}

// decodeStrict decodes one JSON value into v, refusing unknown fields, wrong types and trailing data,
// and names the field at fault.
func decodeStrict(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return council.Errorf(council.EINVALID, "the body is empty: send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return council.Errorf(council.EINVALID, "the body holds more than one JSON value")
	}
	if _, err := dec.Token(); err != io.EOF {
		return council.Errorf(council.EINVALID, "the body holds more than one JSON value")
	}
	return nil
}

// jsonError says what was wrong with a JSON body, naming the field when there is one.
func jsonError(err error) error {
	var (
		typeErr   *json.UnmarshalTypeError
		syntaxErr *json.SyntaxError
	)
	switch {
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return council.Errorf(council.EINVALID, "the body must be a JSON object, not %s", typeErr.Value)
		}
		return invalidField(typeErr.Field, "%s must be %s, not %s", typeErr.Field, jsonType(typeErr.Type.String()), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return council.Errorf(council.EINVALID, "the body is not valid JSON at byte %d: %v", syntaxErr.Offset, syntaxErr)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return council.Errorf(council.EINVALID, "the body ends in the middle of its JSON")
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return invalidField(name, "unknown field %q", name)
	}
	// Date and other text values report their own errors.
	return council.Errorf(council.EINVALID, "%s", strings.TrimPrefix(msg, "json: "))
}

// jsonType names a Go type the way a JSON client thinks of it.
func jsonType(goType string) string {
	switch {
	case goType == "string", goType == "council.Date":
		return "a string"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case strings.HasPrefix(goType, "map["), strings.HasPrefix(goType, "struct"):
		return "an object"
	case goType == "bool":
		return "true or false"
	}
	return "a number"
}

// NewCommand returns an empty command of a kind (the scenario step names), for clients that build
// commands from their own input.
func NewCommand(kind string) (council.Command, bool) {
	mk, ok := commandKinds[kind]
	if !ok {
		return nil, false
	}
	return mk(), true
}

// CommandKinds lists the kinds of command the API takes, sorted.
func CommandKinds() []string {
	return slices.Sorted(maps.Keys(commandKinds))
}

// decodeCommand makes a command of the kind from a JSON body.
func decodeCommand(kind string, body []byte) (council.Command, error) {
	mk, ok := commandKinds[kind]
	if !ok {
		return nil, council.Errorf(EUnknownKind, "there is no command %q", kind)
	}
	c := mk()
	if err := decodeStrict(body, c); err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	if err := checkText(reflect.ValueOf(c).Elem()); err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	return c, nil
}

// checkText refuses control characters (other than tab and line breaks) in a command's text fields:
// ids, codes and statements are text people read, and NUL cannot be stored in every database.
func checkText(v reflect.Value) error {
	t := v.Type()
	for i := range t.NumField() {
		f, fv := t.Field(i), v.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Anonymous && fv.Kind() == reflect.Struct {
			if err := checkText(fv); err != nil {
				return err
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch fv.Kind() {
		case reflect.String:
			if hasControl(fv.String()) {
				return invalidField(name, "%s holds a control character", name)
			}
		case reflect.Slice:
			if fv.Type().Elem().Kind() != reflect.String {
				continue
			}
			for j := range fv.Len() {
				if hasControl(fv.Index(j).String()) {
					return invalidField(name, "%s[%d] holds a control character", name, j)
				}
			}
		}
	}
	return nil
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f
	})
}
