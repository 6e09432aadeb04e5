package council

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"sync"
	"unsafe"
)

// A fast decoder for stored events. Loading a council reads every event of its stream, and
// encoding/json's reflection costs most of that time, so events are decoded by plans worked out once
// per type: each JSON key goes straight to its field's offset. It reads exactly the JSON that
// EncodeEvent writes (and any JSON of the same shape); anything else makes it give up, and DecodeEvent
// falls back to encoding/json, which then accepts or reports it. A differential fuzz test holds the
// two to the same results.

type fieldKind uint8

const (
	kString fieldKind = iota
	kStrings
	kDate
	kInt
	kInt64
	kBool
	kStruct
	kMapStrings
	kMapInt64
)

type fieldPlan struct {
	name   string
	offset uintptr
	kind   fieldKind
	sub    *structPlan
}

type structPlan struct {
	fields []fieldPlan
}

var (
	plans    sync.Map // reflect.Type -> *structPlan
	dateType = reflect.TypeFor[Date]()
	errSlow  = errors.New("not for the fast decoder")
)

// planFor works out how to decode a struct type, or returns nil if it has a field the fast decoder
// does not handle.
func planFor(t reflect.Type) *structPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan)
	}
	p := &structPlan{}
	if !p.add(t, 0) {
		p = nil
	}
	plans.Store(t, p)
	return p
}

func (p *structPlan) add(t reflect.Type, base uintptr) bool {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			if !p.add(f.Type, base+f.Offset) {
				return false
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag := f.Tag.Get("json"); tag != "" {
			if tag == "-" {
				continue
			}
			if n, _, _ := cut(tag, ','); n != "" {
				name = n
			}
		}
		fp := fieldPlan{name: name, offset: base + f.Offset}
		switch {
		case f.Type == dateType:
			fp.kind = kDate
		case f.Type.Kind() == reflect.String:
			fp.kind = kString
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.String:
			fp.kind = kStrings
		case f.Type.Kind() == reflect.Int:
			fp.kind = kInt
		case f.Type.Kind() == reflect.Int64:
			fp.kind = kInt64
		case f.Type.Kind() == reflect.Bool:
			fp.kind = kBool
		case f.Type.Kind() == reflect.Struct:
			fp.kind, fp.sub = kStruct, planFor(f.Type)
			if fp.sub == nil {
				return false
			}
		case f.Type.Kind() == reflect.Map && f.Type.Key().Kind() == reflect.String &&
			f.Type.Elem().Kind() == reflect.Slice && f.Type.Elem().Elem().Kind() == reflect.String:
			fp.kind = kMapStrings
		case f.Type.Kind() == reflect.Map && f.Type.Key().Kind() == reflect.String && f.Type.Elem().Kind() == reflect.Int64:
			fp.kind = kMapInt64
		default:
			return false
		}
		p.fields = append(p.fields, fp)
	}
	return true
}

func cut(s string, sep byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// decodeFast fills the struct v points to from data, or fails with errSlow.
func decodeFast(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return errSlow
	}
	plan := planFor(rv.Elem().Type())
	if plan == nil {
		return errSlow
	}
	d := fastDecoder{b: data}
	if err := d.object(rv.UnsafePointer(), plan); err != nil {
		return err
	}
	d.ws()
	if d.i != len(d.b) {
		return errSlow
	}
	return nil
}

type fastDecoder struct {
	b []byte
	i int
}

func (d *fastDecoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *fastDecoder) next() byte {
	d.ws()
	if d.i >= len(d.b) {
		return 0
	}
	return d.b[d.i]
}

func (d *fastDecoder) expect(c byte) bool {
	if d.next() != c {
		return false
	}
	d.i++
	return true
}

// null consumes a JSON null if one is next.
func (d *fastDecoder) null() bool {
	d.ws()
	if len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "null" {
		d.i += 4
		return true
	}
	return false
}

// rawString returns the bytes of a string without escapes, or fails.
func (d *fastDecoder) rawString() ([]byte, error) {
	if !d.expect('"') {
		return nil, errSlow
	}
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			s := d.b[start:d.i]
			d.i++
			return s, nil
		case c == '\\' || c < 0x20 || c >= 0x80:
			return nil, errSlow // escapes and non-ASCII text (which JSON checks for valid UTF-8): the slow path
		}
		d.i++
	}
	return nil, errSlow
}

func (d *fastDecoder) str() (string, error) {
	b, err := d.rawString()
	return string(b), err
}

func (d *fastDecoder) int() (int64, error) {
	d.ws()
	start := d.i
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		d.i++
	}
	n, err := strconv.ParseInt(string(d.b[start:d.i]), 10, 64)
	if err != nil || d.i-start > 1 && d.b[start] == '0' {
		return 0, errSlow
	}
	return n, nil
}

func (d *fastDecoder) strings() ([]string, error) {
	if d.null() {
		return nil, nil
	}
	if !d.expect('[') {
		return nil, errSlow
	}
	out := []string{}
	if d.expect(']') {
		return out, nil
	}
	for {
		s, err := d.str()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		if d.expect(']') {
			return out, nil
		}
		if !d.expect(',') {
			return nil, errSlow
		}
	}
}

// object reads a JSON object into the struct at p by its plan; unknown keys are an error, as they never
// occur in what EncodeEvent writes.
func (d *fastDecoder) object(p unsafe.Pointer, plan *structPlan) error {
	if !d.expect('{') {
		return errSlow
	}
	if d.expect('}') {
		return nil
	}
	for {
		key, err := d.rawString()
		if err != nil || !d.expect(':') {
			return errSlow
		}
		var f *fieldPlan
		for i := range plan.fields {
			if plan.fields[i].name == string(key) {
				f = &plan.fields[i]
				break
			}
		}
		if f == nil {
			return errSlow
		}
		if err := d.value(unsafe.Add(p, f.offset), f); err != nil {
			return err
		}
		if d.expect('}') {
			return nil
		}
		if !d.expect(',') {
			return errSlow
		}
	}
}

func (d *fastDecoder) value(p unsafe.Pointer, f *fieldPlan) error {
	if f.kind != kStrings && f.kind != kMapStrings && f.kind != kMapInt64 && d.null() {
		return nil // null leaves a field as it is, as encoding/json does
	}
	switch f.kind {
	case kString:
		s, err := d.str()
		*(*string)(p) = s
		return err
	case kStrings:
		xs, err := d.strings()
		*(*[]string)(p) = xs
		return err
	case kDate:
		b, err := d.rawString()
		if err != nil {
			return err
		}
		var day Date
		if len(b) > 0 {
			if day, err = ParseDate(string(b)); err != nil {
				return errSlow
			}
		}
		*(*Date)(p) = day
	case kInt, kInt64:
		n, err := d.int()
		if err != nil {
			return err
		}
		if f.kind == kInt {
			*(*int)(p) = int(n)
		} else {
			*(*int64)(p) = n
		}
	case kBool:
		switch {
		case len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "true":
			*(*bool)(p) = true
			d.i += 4
		case len(d.b)-d.i >= 5 && string(d.b[d.i:d.i+5]) == "false":
			*(*bool)(p) = false
			d.i += 5
		default:
			return errSlow
		}
	case kStruct:
		return d.object(p, f.sub)
	case kMapStrings, kMapInt64:
		return d.mapValue(p, f.kind)
	}
	return nil
}

func (d *fastDecoder) mapValue(p unsafe.Pointer, kind fieldKind) error {
	if d.null() { // null empties a map, as encoding/json does
		if kind == kMapStrings {
			*(*map[string][]string)(p) = nil
		} else {
			*(*map[string]int64)(p) = nil
		}
		return nil
	}
	if !d.expect('{') {
		return errSlow
	}
	ms, mi := map[string][]string{}, map[string]int64{}
	for !d.expect('}') {
		if len(ms)+len(mi) > 0 && !d.expect(',') {
			return errSlow
		}
		k, err := d.str()
		if err != nil || !d.expect(':') {
			return errSlow
		}
		if kind == kMapStrings {
			if ms[k], err = d.strings(); err != nil {
				return err
			}
		} else if mi[k], err = d.int(); err != nil {
			return err
		}
	}
	if kind == kMapStrings {
		*(*map[string][]string)(p) = ms
	} else {
		*(*map[string]int64)(p) = mi
	}
	return nil
}

// unmarshalEvent decodes JSON into an empty event: the fast way when it can, else encoding/json on a
// fresh start.
func unmarshalEvent(data []byte, e Event) error {
	if decodeFast(data, e) == nil {
		return nil
	}
	reflect.ValueOf(e).Elem().SetZero()
	return json.Unmarshal(data, e)
}
