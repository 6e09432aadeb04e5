package web

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/feed"
)

// stream serves a council's events as server-sent events: each event once, in order, with its
// version as the id, so a client that reconnects with Last-Event-ID misses nothing and sees nothing
// twice. A subscriber that falls too far behind is disconnected, and resumes the same way.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, p principal) error {
	name, err := s.readable(r, p)
	if err != nil {
		return err
	}
	after, err := lastEventID(r)
	if err != nil {
		return err
	}
	// Load the council (or catch it up), which publishes its events to the hub.
	if _, err := s.svc.Version(r.Context(), name); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	sub, err := s.hub.Subscribe(ctx, name, after, s.backfill(name))
	if err != nil {
		return err
	}
	defer sub.Close()

	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 16<<10)
	// Tell the client how long to wait before reconnecting, then flush so it knows it is connected.
	bw.WriteString("retry: 1000\n\n")
	var deadline time.Time
	if err := flush(bw, rc, &deadline); err != nil {
		return nil
	}
	beat := time.NewTicker(s.beat)
	defer beat.Stop()
	events := sub.Events()
	for {
		select {
		case e, ok := <-events:
			if !ok {
				if errors.Is(sub.Err(), feed.ErrSlow) {
					s.log.Info("dropped a slow event-stream subscriber", "council", name)
				}
				return nil
			}
			writeEvent(bw, e)
			// Write whatever else is already waiting before flushing, so a burst costs one write.
			for more := true; more; {
				select {
				case e, ok := <-events:
					if !ok {
						more = false
						break
					}
					writeEvent(bw, e)
				default:
					more = false
				}
			}
		case <-beat.C:
			bw.WriteString(": keep-alive\n\n")
		case <-s.closed():
			return nil
		case <-ctx.Done():
			return nil
		}
		if err := flush(bw, rc, &deadline); err != nil {
			return nil // the client went away
		}
	}
}

// flush writes what is buffered and pushes it to the client, within a deadline so a stalled client
// cannot hold the handler. The deadline is moved on only when half of it is spent: setting it costs
// as much as a small write.
func flush(bw *bufio.Writer, rc *http.ResponseController, deadline *time.Time) error {
	if now := time.Now(); deadline.Sub(now) < 5*time.Second {
		*deadline = now.Add(10 * time.Second)
		_ = rc.SetWriteDeadline(*deadline)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return rc.Flush()
}

// writeEvent writes one event in the text/event-stream format: the event's JSON is one line.
func writeEvent(bw *bufio.Writer, e council.StoredEvent) {
	bw.WriteString("id: ")
	bw.WriteString(strconv.FormatInt(e.Version, 10))
	bw.WriteString("\nevent: ")
	bw.WriteString(e.Type)
	bw.WriteString("\ndata: ")
	bw.Write(e.Data)
	bw.WriteString("\n\n")
}

// lastEventID is the version a reconnecting client saw last: the Last-Event-ID header, or the after
// query parameter for clients that cannot set headers.
func lastEventID(r *http.Request) (int64, error) {
	v := strings.TrimSpace(r.Header.Get("Last-Event-ID"))
	if v == "" {
		return intParam(r, "after", 0)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, council.Errorf(EBadEventID, "Last-Event-ID must be an event's version, not %q", v)
	}
	return n, nil
}

// backfill reads a council's stored events for a subscriber resuming before the hub's memory.
func (s *Server) backfill(name string) feed.Backfill {
	return func(ctx context.Context, after, upTo int64, fn func(council.StoredEvent) error) error {
		err := s.store.Read(ctx, name, after, func(e council.StoredEvent) error {
			if e.Version > upTo {
				return errBackfilled
			}
			return fn(e)
		})
		if errors.Is(err, errBackfilled) {
			return nil
		}
		return err
	}
}

var errBackfilled = errors.New("backfilled")
