package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/postgres"
	"github.com/opencouncil/council/sqlite"
)

// storeFlags selects the event store a command opens: an SQLite file, or a PostgreSQL database.
type storeFlags struct {
	path string
	url  string
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.path, "store", "", "the SQLite file that keeps the record (created if missing)")
	fs.StringVar(&f.url, "postgres", "", "a PostgreSQL URL to keep the record in instead (postgres://...)")
}

func (f *storeFlags) given() bool { return f.path != "" || f.url != "" }

// describe names the store for people, without a URL's password.
func (f *storeFlags) describe() string {
	if f.url == "" {
		return "SQLite " + f.path
	}
	if u, err := url.Parse(f.url); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		return "PostgreSQL " + u.String()
	}
	return "PostgreSQL"
}

// open opens the store the flags name.
func (f *storeFlags) open(ctx context.Context) (council.EventStore, error) {
	switch {
	case f.path != "" && f.url != "":
		return nil, invalid("give --store or --postgres, not both")
	case f.url != "":
		s, err := postgres.Open(ctx, f.url)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		return s, nil
	case f.path != "":
		s, err := sqlite.Open(f.path)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", f.path, err)
		}
		return s, nil
	}
	return nil, invalid("name the store: --store PATH (SQLite) or --postgres URL")
}

// runVerify checks every stream's hash chain and names the first event that was changed, removed,
// reordered or inserted.
func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	quiet(fs, stderr, "verify --store PATH | --postgres URL [--council NAME] [--json]")
	var sf storeFlags
	sf.register(fs)
	only := fs.String("council", "", "verify this council's stream only")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return invalid("verify takes no arguments")
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	streams, err := st.Streams(ctx)
	if err != nil {
		return err
	}
	if *only != "" {
		if !slices.Contains(streams, *only) {
			return invalid("there is no council named %s in the store", *only)
		}
		streams = []string{*only}
	}
	type result struct {
		Stream string              `json:"stream"`
		Events int64               `json:"events"`
		Head   string              `json:"head,omitempty"`
		Break  *council.ChainBreak `json:"break,omitempty"`
	}
	var results []result
	bad := 0
	for _, s := range streams {
		brk, n, err := council.VerifyStream(ctx, st, s)
		if err != nil {
			return fmt.Errorf("verify %s: %w", s, err)
		}
		r := result{Stream: s, Events: n, Break: brk}
		if brk == nil {
			_, h, err := st.Head(ctx, s)
			if err != nil {
				return err
			}
			r.Head = council.HashString(h)
		} else {
			bad++
		}
		results = append(results, r)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"intact": bad == 0, "streams": results}); err != nil {
			return err
		}
	} else {
		for _, r := range results {
			if r.Break != nil {
				fmt.Fprintf(stdout, "TAMPERED %s: event %d: %s\n", r.Stream, r.Break.Version, r.Break.Reason)
			} else {
				fmt.Fprintf(stdout, "intact   %s: %d events, head %s\n", r.Stream, r.Events, r.Head)
			}
		}
	}
	if bad > 0 {
		first := results[0]
		for _, r := range results {
			if r.Break != nil {
				first = r
				break
			}
		}
		return &exitError{exitRefused, fmt.Errorf("%d of %d streams do not verify; the first bad event is %s event %d: %s",
			bad, len(results), first.Stream, first.Break.Version, first.Break.Reason)}
	}
	return nil
}

// trailer is the last line of an export: the stream's head, so a file cut short is refused.
type trailer struct {
	Head struct {
		Stream  string `json:"stream"`
		Version int64  `json:"version"`
		Hash    string `json:"hash"`
	} `json:"head"`
}

// exported is one line of an export: a stored event with its hash.
type exported struct {
	Stream  string          `json:"stream"`
	Version int64           `json:"version"`
	Type    string          `json:"type"`
	Key     string          `json:"key,omitempty"`
	Data    json.RawMessage `json:"data"`
	Hash    string          `json:"hash"`
}

// runExport writes a council's stream as JSON Lines, one stored event a line.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	quiet(fs, stderr, "export --store PATH | --postgres URL --council NAME [--out FILE]")
	var sf storeFlags
	sf.register(fs)
	name := fs.String("council", "", "the council to export")
	out := fs.String("out", "", "write to this file instead of standard output")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *name == "" {
		return invalid("export needs --council NAME and no arguments")
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if n, _, err := st.Head(ctx, *name); err != nil {
		return err
	} else if n == 0 {
		return invalid("there is no council named %s in the store", *name)
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return invalid("%v", err)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	var tr trailer
	err = st.Read(ctx, *name, 0, func(e council.StoredEvent) error {
		tr.Head.Stream, tr.Head.Version, tr.Head.Hash = e.Stream, e.Version, council.HashString(e.Hash)
		return enc.Encode(exported{Stream: e.Stream, Version: e.Version, Type: e.Type, Key: e.Key,
			Data: json.RawMessage(e.Data), Hash: council.HashString(e.Hash)})
	})
	if err != nil {
		return err
	}
	if err := enc.Encode(tr); err != nil {
		return err
	}
	return bw.Flush()
}

// runImport reads an export, checks its hash chain and its events, and only then writes it to the store.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	quiet(fs, stderr, "import --store PATH | --postgres URL FILE")
	var sf storeFlags
	sf.register(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return invalid("import needs one file (JSON Lines, as council export writes)")
	}
	events, err := readExport(pos[0])
	if err != nil {
		return &exitError{exitRefused, err}
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	stream := events[0].Stream
	if n, _, err := st.Head(ctx, stream); err != nil {
		return err
	} else if n != 0 {
		return &exitError{exitRefused, fmt.Errorf("the store already holds a council named %s (%d events); nothing imported", stream, n)}
	}
	// One append, all or nothing, each event keeping its key, so the hashes come out the same.
	all := make([]council.EventData, len(events))
	for i, e := range events {
		all[i] = council.EventData{Type: e.Type, Data: e.Data, Key: e.Key}
	}
	if _, err := st.Append(ctx, council.Append{Stream: stream, Expected: 0, Events: all}); err != nil {
		return fmt.Errorf("import %s: %w; nothing imported", stream, err)
	}
	_, head, err := st.Head(ctx, stream)
	if err != nil {
		return err
	}
	if head != events[len(events)-1].Hash {
		return fmt.Errorf("import of %s: the stored head %s differs from the file's %s", stream, council.HashString(head), council.HashString(events[len(events)-1].Hash))
	}
	fmt.Fprintf(stdout, "imported %s: %d events, head %s\n", stream, len(events), council.HashString(head))
	return nil
}

// readExport reads and checks an export file: one stream, versions from 1 without gaps, every hash
// over the one before, every event readable, the first the council's definition.
func readExport(path string) ([]council.StoredEvent, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, invalid("%v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var out []council.StoredEvent
	var prev [32]byte
	name := filepath.Base(path)
	var tail *trailer
	keys := map[string]int64{}
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" {
			continue
		}
		if tail != nil {
			return nil, fmt.Errorf("%s:%d: a line after the head line; nothing imported", name, line)
		}
		if strings.HasPrefix(strings.TrimSpace(text), `{"head"`) {
			var tr trailer
			dec := json.NewDecoder(strings.NewReader(text))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&tr); err != nil {
				return nil, fmt.Errorf("%s:%d: not a head line: %v; nothing imported", name, line, err)
			}
			tail = &tr
			continue
		}
		var x exported
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&x); err != nil {
			return nil, fmt.Errorf("%s:%d: not an exported event: %v; nothing imported", name, line, err)
		}
		want := int64(len(out) + 1)
		switch {
		case len(out) > 0 && x.Stream != out[0].Stream:
			return nil, fmt.Errorf("%s:%d: stream %q, but the file began with %q; nothing imported", name, line, x.Stream, out[0].Stream)
		case x.Version != want:
			return nil, fmt.Errorf("%s:%d: event %d where event %d belongs (removed, reordered or inserted); nothing imported", name, line, x.Version, want)
		case x.Key != "" && keys[x.Key] != 0:
			return nil, fmt.Errorf("%s:%d: event %d repeats the key of event %d; nothing imported", name, line, x.Version, keys[x.Key])
		}
		if x.Key != "" {
			keys[x.Key] = x.Version
		}
		data := []byte(x.Data)
		if _, err := council.DecodeEvent(x.Type, data); err != nil {
			return nil, fmt.Errorf("%s:%d: event %d: %v; nothing imported", name, line, x.Version, err)
		}
		if x.Version == 1 && x.Type != (council.CouncilCreated{}).EventType() {
			return nil, fmt.Errorf("%s:%d: the first event is %s, not the council's definition; nothing imported", name, line, x.Type)
		}
		h := council.ChainHash(prev, x.Stream, x.Version, x.Type, x.Key, data)
		if council.HashString(h) != x.Hash {
			return nil, fmt.Errorf("%s:%d: event %d (%s) does not match its hash: changed, swapped or forged; nothing imported", name, line, x.Version, x.Type)
		}
		prev = h
		out = append(out, council.StoredEvent{Stream: x.Stream, Version: x.Version, Type: x.Type, Key: x.Key, Data: data, Hash: h})
	}
	switch {
	case tail == nil:
		return nil, fmt.Errorf("%s: no head line at the end: the file is cut short; nothing imported", name)
	case len(out) == 0:
	case tail.Head.Stream != out[0].Stream || tail.Head.Version != int64(len(out)) || tail.Head.Hash != council.HashString(prev):
		return nil, fmt.Errorf("%s: the head line says %s has %d events ending in %s, but the file has %d ending in %s; nothing imported",
			name, tail.Head.Stream, tail.Head.Version, tail.Head.Hash, len(out), council.HashString(prev))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, errors.New(name + ": no events; nothing imported")
	}
	return out, nil
}
