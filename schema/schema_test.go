package schema_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/opencouncil/council/schema"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  []int
		err   string
	}{
		{"in order", []string{"m/0002_b.sql", "m/0001_a.sql"}, []int{1, 2}, ""},
		{"a gap", []string{"m/0001_a.sql", "m/0003_c.sql"}, nil, "expected version 2"},
		{"no version", []string{"m/init.sql"}, nil, "must start with its version"},
		{"version 0", []string{"m/0000_x.sql"}, nil, "must start with its version"},
		{"none", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tt.files {
				fsys[f] = &fstest.MapFile{Data: []byte("-- " + f)}
			}
			ms, err := schema.Load(fsys, "m")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || len(ms) != len(tt.want) {
				t.Fatalf("%v, %v", ms, err)
			}
			for i, m := range ms {
				if m.Version != tt.want[i] || m.SQL != "-- m/"+m.Name {
					t.Errorf("migration %d: %+v", i, m)
				}
			}
		})
	}
}
