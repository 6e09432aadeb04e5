package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Every batch that moves streams tells the processes sharing the database, with NOTIFY on one channel
// inside its transaction: PostgreSQL delivers the notification only if the batch commits, after it
// has, and in commit order. Its payload is one line per stream moved, "version stream" with the new
// version; a stream name holding a newline or starting with a quote is written as a Go quoted string.
// A line "*" means any stream may have moved (a name too long for a payload).

// channel is the notification channel of the stores sharing a database.
const channel = "council_events"

// notify sends the batch's payloads, before its COMMIT and in the same round trip.
const notify = `SELECT pg_notify('` + channel + `', p) FROM unnest($1::text[]) AS p`

// maxPayload is the longest payload PostgreSQL takes (shorter than 8000 bytes by default).
const maxPayload = 7999

// movedHeads returns the streams the batch moves and their new versions, in name order.
func movedHeads(heads map[string]*head) ([]string, []int64) {
	names := make([]string, 0, len(heads))
	for name, h := range heads {
		if h.moved {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	versions := make([]int64, len(names))
	for i, name := range names {
		versions[i] = heads[name].version
	}
	return names, versions
}

// payloads returns the notification payloads that announce the new versions of streams, each at
// most maxPayload bytes.
func payloads(streams []string, versions []int64) []string {
	var out []string
	var b strings.Builder
	for i, name := range streams {
		if strings.Contains(name, "\n") || strings.HasPrefix(name, `"`) {
			name = strconv.Quote(name)
		}
		line := strconv.FormatInt(versions[i], 10) + " " + name + "\n"
		if len(line) > maxPayload {
			line = "*\n"
		}
		if b.Len()+len(line) > maxPayload {
			out = append(out, b.String())
			b.Reset()
		}
		b.WriteString(line)
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

// queueNotify adds to b the notification of the heads the batch moved, if it moved any.
func queueNotify(b *pgx.Batch, heads map[string]*head) {
	if names, versions := movedHeads(heads); len(names) > 0 {
		b.Queue(notify, payloads(names, versions))
	}
}

// dispatch calls fn for each line of a payload.
func dispatch(payload string, fn func(stream string, version int64)) {
	for line := range strings.Lines(payload) {
		line = strings.TrimSuffix(line, "\n")
		v, name, ok := strings.Cut(line, " ")
		version, err := strconv.ParseInt(v, 10, 64)
		if ok && strings.HasPrefix(name, `"`) {
			name, err = strconv.Unquote(name)
		}
		if !ok || err != nil || version < 1 {
			fn("", 0) // "*", or a line this binary cannot read: anything may have changed
			continue
		}
		fn(name, version)
	}
}

// Timings of Watch.
const (
	minBackoff = 50 * time.Millisecond // the first delay before reconnecting
	maxBackoff = 5 * time.Second       // the longest delay before reconnecting
	heartbeat  = 30 * time.Second      // how long Watch waits for a notification before it pings its connection
	pingWait   = 5 * time.Second       // how long a ping may take before the connection counts as lost
)

// Watch calls fn with the stream and its new version after each commit that appended to a stream,
// from any process sharing the database (this one included), in commit order, until ctx ends; it then
// returns ctx's error. It listens on a connection of its own, whose application_name is the store's
// (or "council") followed by " watch".
//
// fn(stream, version) says that a commit moved the stream to version. fn("", 0) says that anything
// may have changed: the caller should read again whatever it keeps from the store. Watch calls it as
// soon as it listens (appends committed before that were not announced to it) and again each time it
// listens again after losing its connection (PostgreSQL keeps no notifications for a listener that is
// gone). It notices a lost connection from its error, or from a ping unanswered after 30 s without
// notifications, and reconnects after a delay growing from 50 ms to 5 s, for as long as ctx lasts.
// Only a failure of the first connection is returned. fn runs on Watch's goroutine, one call at a
// time; while it runs, notifications wait in the server's queue.
func (s *Store) Watch(ctx context.Context, fn func(stream string, version int64)) error {
	conn, err := s.listen(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("watch: %w", err)
	}
	delay := minBackoff
	for {
		since := time.Now()
		fn("", 0)
		_ = receive(ctx, conn, fn) // the connection is lost, or ctx ended
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		_ = conn.Close(closeCtx)
		cancel()
		if time.Since(since) > maxBackoff { // it had been working: try again soon
			delay = minBackoff
		}
		for {
			t := time.NewTimer(delay)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
			delay = min(2*delay, maxBackoff)
			if conn, err = s.listen(ctx); err == nil {
				break
			}
		}
	}
}

// listen opens the connection Watch listens on.
func (s *Store) listen(ctx context.Context) (*pgx.Conn, error) {
	cfg := s.pool.Config().ConnConfig.Copy()
	name := cfg.RuntimeParams["application_name"]
	if name == "" {
		name = "council"
	}
	cfg.RuntimeParams["application_name"] = name + " watch"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		_ = conn.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("listen: %w", err)
	}
	return conn, nil
}

// receive calls fn for every notification on conn until the connection fails or ctx ends.
func receive(ctx context.Context, conn *pgx.Conn, fn func(stream string, version int64)) error {
	for {
		wait, cancel := context.WithTimeout(ctx, heartbeat)
		n, err := conn.WaitForNotification(wait)
		quiet := wait.Err() != nil && ctx.Err() == nil
		cancel()
		if n != nil && n.Channel == channel {
			dispatch(n.Payload, fn)
		}
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return ctx.Err()
		case quiet: // no notification for a while: make sure the connection still answers
			ping, cancel := context.WithTimeout(ctx, pingWait)
			err = conn.Ping(ping)
			cancel()
			if err != nil {
				return fmt.Errorf("ping: %w", err)
			}
		default:
			return fmt.Errorf("wait for notification: %w", err)
		}
	}
}
