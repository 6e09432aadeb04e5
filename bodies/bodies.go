package bodies

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/opencouncil/council/rules"
)

//go:embed data/*.yaml
var builtin embed.FS

// BuiltinIDs lists the ids of the bodies that ship in the binary, sorted.
func BuiltinIDs() []string {
	entries, err := fs.ReadDir(builtin, "data")
	if err != nil {
		return nil
	}
	var ids []string
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// Builtin returns a body that ships in the binary ("unsc"), or an error listing the built-in ids.
// Each call returns a new copy, which the caller may change.
func Builtin(id string) (*rules.Body, error) {
	name := "data/" + id + ".yaml"
	data, err := builtin.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("unknown built-in body %q (built-in: %s)", id, strings.Join(BuiltinIDs(), ", "))
	}
	return Parse(data, id+".yaml (built-in)")
}

// Load returns a built-in body by id, or reads a body file by path.
func Load(nameOrPath string) (*rules.Body, error) {
	if b, err := Builtin(nameOrPath); err == nil {
		return b, nil
	}
	data, err := os.ReadFile(nameOrPath)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !looksLikePath(nameOrPath) {
			return nil, fmt.Errorf("unknown body %q: not a built-in body (%s) and no such file",
				nameOrPath, strings.Join(BuiltinIDs(), ", "))
		}
		return nil, fmt.Errorf("read body file: %w", err)
	}
	return Parse(data, nameOrPath)
}

// looksLikePath reports whether a body name is meant as a file path rather than a built-in id.
func looksLikePath(s string) bool {
	return strings.ContainsAny(s, `/\`) || filepath.Ext(s) != ""
}
