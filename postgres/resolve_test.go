package postgres

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/storetest"
)

// cutProxy relays connections to a PostgreSQL server and, when armed, cuts the next connection that
// carries something in the armed direction, both ways, dropping what it carried.
type cutProxy struct {
	ln       net.Listener
	target   string
	cutAsk   atomic.Bool // drop the next chunk a client sends
	cutReply atomic.Bool // drop the next chunk the server sends
	cuts     atomic.Int32
	wg       sync.WaitGroup
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target}
	p.wg.Go(p.serve)
	t.Cleanup(func() { _ = ln.Close(); p.wg.Wait() })
	return p
}

func (p *cutProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = c.Close()
			continue
		}
		p.wg.Go(func() { p.relay(c, s, &p.cutAsk) })
		p.wg.Go(func() { p.relay(s, c, &p.cutReply) })
	}
}

// relay copies from one side to the other until either closes, or cuts both when armed.
func (p *cutProxy) relay(from, to net.Conn, armed *atomic.Bool) {
	defer from.Close()
	defer to.Close()
	buf := make([]byte, 64<<10)
	for {
		n, err := from.Read(buf)
		if n > 0 {
			if armed.CompareAndSwap(true, false) {
				p.cuts.Add(1)
				return
			}
			if _, werr := to.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// TestCommitOutcomeFound: when the connection breaks after a batch was sent, the store finds out
// whether it was committed instead of reporting an unknown outcome. The answer to a committed batch
// is lost: the append is acknowledged, once. The batch itself is lost: it is written again, once.
func TestCommitOutcomeFound(t *testing.T) {
	u, err := url.Parse(mustSchema(t))
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Skip("needs a postgres:// URL to put a proxy in")
	}
	p := newCutProxy(t, u.Host)
	u.Host = p.ln.Addr().String()
	q := u.Query()
	q.Set("sslmode", "disable") // the proxy cuts by direction, not by content, but keep it plain
	u.RawQuery = q.Encode()
	s := mustOpenURL(t, u.String())
	ctx := context.Background()
	storetest.MustAppend(t, s, council.Append{Stream: "s", Key: "k1", Events: []council.EventData{ev("a", `{}`)}})
	for i, c := range []struct {
		name  string
		armed *atomic.Bool
	}{
		{"answer lost", &p.cutReply},
		{"batch lost", &p.cutAsk},
	} {
		c.armed.Store(true)
		key := fmt.Sprintf("k%d", i+2)
		res, err := s.Append(ctx, council.Append{Stream: "s", Expected: int64(i + 1), Key: key, Events: []council.EventData{ev("b", `{}`)}})
		if err != nil || res.Duplicate || len(res.Events) != 1 || res.Events[0].Version != int64(i+2) {
			t.Fatalf("%s: append: %+v, %v", c.name, res, err)
		}
		if got := p.cuts.Load(); got != int32(i+1) {
			t.Fatalf("%s: %d cuts, want %d", c.name, got, i+1)
		}
	}
	storetest.MustAppend(t, s, council.Append{Stream: "s", Expected: 3, Key: "k4", Events: []council.EventData{ev("c", `{}`)}})
	if got := storetest.MustVerify(t, s, "s"); got != 4 {
		t.Fatalf("%d events, want 4", got)
	}
}
