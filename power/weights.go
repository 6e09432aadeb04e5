package power

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/opencouncil/council/rules"
)

// ReadWeights reads a weighted game's players from CSV: one player a line as "id,weight", an optional
// header line ("id,weight"), blank lines and lines starting with # ignored. A line holding only a
// weight (EPIC's format) names its player P1, P2, ... by its place. Errors name the file and line.
func ReadWeights(r io.Reader, file string) (ids []string, weights []int64, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	seen := map[string]int{}
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, ",")
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		var id, ws string
		switch len(fields) {
		case 1:
			id, ws = "P"+strconv.Itoa(len(ids)+1), fields[0]
		case 2:
			id, ws = fields[0], fields[1]
		default:
			return nil, nil, fmt.Errorf("%s:%d: want id,weight, got %d fields", file, line, len(fields))
		}
		w, perr := strconv.ParseInt(ws, 10, 64)
		if perr != nil {
			if len(ids) == 0 && len(fields) == 2 && !isNumber(ws) {
				continue // a header
			}
			return nil, nil, fmt.Errorf("%s:%d: weight %q is not a whole number", file, line, ws)
		}
		switch {
		case w < 0:
			return nil, nil, fmt.Errorf("%s:%d: weight %d is negative", file, line, w)
		case id == "":
			return nil, nil, fmt.Errorf("%s:%d: no id", file, line)
		case seen[id] > 0:
			return nil, nil, fmt.Errorf("%s:%d: %s is listed twice (first on line %d)", file, line, id, seen[id])
		}
		seen[id] = line
		ids = append(ids, id)
		weights = append(weights, w)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(ids) == 0 {
		return nil, nil, fmt.Errorf("%s: no players", file)
	}
	return ids, weights, nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// ParseQuota reads a quota against a total weight: a whole number ("500000"), or a share of the total
// as package rules reads shares ("50%", "2/3", "0.85", "majority", "more than 1/2"), meaning the least
// weight that reaches it.
func ParseQuota(s string, total int64) (int64, error) {
	s = strings.TrimSpace(s)
	if q, err := strconv.ParseInt(s, 10, 64); err == nil {
		return q, nil
	}
	sh, err := rules.ParseShare(s)
	if err != nil {
		return 0, fmt.Errorf("bad quota %q: want a whole number of weight, or a share such as 50%%, 2/3, 0.85 or majority", s)
	}
	return max(sh.Min(total), 1), nil
}
