package council_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/scenario"
)

// storedEvents plays every example scenario and a generated one, and returns their events encoded.
func storedEvents(tb testing.TB) []council.EventData {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join("examples", "scenarios", "*.yaml"))
	var scs []*scenario.Scenario
	for _, f := range files {
		sc, err := scenario.Load(f, scenario.Options{})
		if err != nil {
			tb.Fatal(err)
		}
		scs = append(scs, sc)
	}
	var buf bytes.Buffer
	if err := scenario.Generate(&buf, 2000, 3); err != nil {
		tb.Fatal(err)
	}
	sc, err := scenario.Parse(buf.Bytes(), "generated.yaml", scenario.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	scs = append(scs, sc)
	var out []council.EventData
	for _, sc := range scs {
		d, err := council.EncodeEvent(sc.Def)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, d)
		r, err := sc.Run()
		if err != nil {
			tb.Fatal(err)
		}
		for _, e := range r.Events {
			d, err := council.EncodeEvent(e)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, d)
		}
	}
	return out
}

// slowDecode is the reference: encoding/json into an empty event of the type.
func slowDecode(typ string, data []byte) (council.Event, error) {
	e, err := council.DecodeEvent(typ, []byte("{}"))
	if err != nil {
		return nil, err
	}
	return e, json.Unmarshal(data, e)
}

// TestDecodeEventRoundTrip checks that every event decodes to what was encoded, and the same as
// encoding/json decodes it.
func TestDecodeEventRoundTrip(t *testing.T) {
	evs := storedEvents(t)
	types := map[string]bool{}
	for _, d := range evs {
		types[d.Type] = true
		got, err := council.DecodeEvent(d.Type, d.Data)
		if err != nil {
			t.Fatalf("%s %s: %v", d.Type, d.Data, err)
		}
		want, err := slowDecode(d.Type, d.Data)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: fast %#v\nslow %#v", d.Type, got, want)
		}
		again, _ := council.EncodeEvent(got)
		if !bytes.Equal(again.Data, d.Data) {
			t.Fatalf("%s: re-encoded\n%s\nwas\n%s", d.Type, again.Data, d.Data)
		}
	}
	if len(types) < 21 {
		t.Errorf("only %d event types exercised: %v", len(types), types)
	}
	for _, typ := range []string{"vote-opened", "ballot-cast", "speaker-inscribed"} {
		if !types[typ] {
			t.Errorf("no %s event exercised (examples/scenarios/live-vote.yaml has them)", typ)
		}
	}
}

// FuzzDecodeEvent holds the fast decoder to encoding/json: on any input they agree on whether it is an
// event of the type, and on the event.
func FuzzDecodeEvent(f *testing.F) {
	for _, d := range storedEvents(f) {
		f.Add(d.Type, d.Data)
	}
	f.Add("vote-taken", []byte(`{"id":"v1","counts":{"yes":1},"yes":null,"vetoed_by":[]}`))
	f.Add("council-created", []byte(`{"date":"2019-12-02","body":"unsc","members":{"permanent":["FRA"]},"members":null}`))
	f.Add("vote-opened", []byte(`{"date":"2014-12-22","id":"v1","meeting":"m1","on":"d1","matter":"substantive","parties":["GBR","ARG"]}`))
	f.Add("vote-opened", []byte(`{"date":"2014-12-22","id":"v1","meeting":"m1","on":"agenda","matter":"procedural","parties":null}`))
	f.Add("vote-opened", []byte(`{"id":"v1","parties":[],"parties":["x"],"matter":"\u0070rocedural"}`))
	f.Add("ballot-cast", []byte(`{"date":"2014-12-22","vote":"v1","by":"RUS","ballot":"no"}`))
	f.Add("ballot-cast", []byte(`{"date":"2014-12-22","vote":"v1","by":"RUS","ballot":"no","extra":1}`))
	f.Add("ballot-cast", []byte(`{"date":"2014-13-22","vote":"v1","by":"RUS","ballot":"no"}`))
	f.Add("speaker-inscribed", []byte(`{"date":"2014-12-22","meeting":"m1","by":"USA"}`))
	f.Add("speaker-inscribed", []byte(`{"date":"2014-12-22","meeting":"m1","by":null}`))
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		got, err := council.DecodeEvent(typ, data)
		want, werr := slowDecode(typ, data)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%s %q: fast err %v, slow err %v", typ, data, err, werr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%s %q:\nfast %#v\nslow %#v", typ, data, got, want)
		}
	})
}
