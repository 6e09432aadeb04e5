package roster

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// row is one data record of a CSV table, with the file and line it came
// from so that errors can point at it.
type row struct {
	file   string
	line   int
	fields map[string]string
}

// readTable reads a CSV table whose first record is the header want.
// Lines starting with '#' are comments. Every record must have as many
// fields as the header; fields are trimmed of surrounding spaces.
func readTable(file string, r io.Reader, want []string) ([]row, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: missing header %q", file, strings.Join(want, ","))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	line, _ := cr.FieldPos(0)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	if !sameHeader(header, want) {
		return nil, fmt.Errorf("%s: line %d: header is %q, want %q",
			file, line, strings.Join(header, ","), strings.Join(want, ","))
	}
	var rows []row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(want) {
			return nil, fmt.Errorf("%s: line %d: %d fields, want %d (%s)",
				file, line, len(rec), len(want), strings.Join(want, ","))
		}
		rw := row{file: file, line: line, fields: make(map[string]string, len(want))}
		for i, name := range want {
			rw.fields[name] = strings.TrimSpace(rec[i])
		}
		rows = append(rows, rw)
	}
}

func sameHeader(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if strings.TrimSpace(got[i]) != want[i] {
			return false
		}
	}
	return true
}

// errorf reports a problem with one field of the row, naming file, line and field.
func (rw row) errorf(field, format string, args ...any) error {
	prefix := []any{rw.file, rw.line, field}
	return fmt.Errorf("%s: line %d: %s: "+format, append(prefix, args...)...)
}

// code returns the field as a country code: three upper-case ASCII letters.
func (rw row) code(field string) (string, error) {
	s := rw.fields[field]
	if !validCode(s) {
		return "", rw.errorf(field, "%q is not a three-letter upper-case code", s)
	}
	return s, nil
}

// year returns the field as a year between minYear and maxYear.
func (rw row) year(field string) (int, error) {
	s := rw.fields[field]
	y, err := strconv.Atoi(s)
	if err != nil || y < minYear || y > maxYear {
		return 0, rw.errorf(field, "%q is not a year between %d and %d", s, minYear, maxYear)
	}
	return y, nil
}

// text returns the field, which must not be empty.
func (rw row) text(field string) (string, error) {
	s := rw.fields[field]
	if s == "" {
		return "", rw.errorf(field, "empty")
	}
	return s, nil
}

// Years a table may name: the Charter came into force in 1945.
const (
	minYear = 1945
	maxYear = 9999
)

func validCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// month returns the field as a month number, 1 to 12.
func (rw row) month(field string) (time.Month, error) {
	s := rw.fields[field]
	m, err := strconv.Atoi(s)
	if err != nil || m < 1 || m > 12 {
		return 0, rw.errorf(field, "%q is not a month number 1-12", s)
	}
	return time.Month(m), nil
}
