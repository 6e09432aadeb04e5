package client

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/opencouncil/council/web"
)

// Waits between an event stream's connections.
const (
	defaultStreamRetry = time.Second      // until the server says otherwise with retry:
	maxStreamWait      = 30 * time.Second // however many connections failed in a row
)

// Stream follows a council's events as they are stored, from the one after version after (0: from the
// first), and calls fn with each, in order. When the connection drops it connects again, after the
// wait the server asked for (its retry: field) and longer after each failure in a row, resuming with
// Last-Event-ID at the last version fn saw: fn sees every event exactly once. It returns ctx's error
// when ctx ends, fn's error as it is when fn returns one, and a *ProblemError when the server refuses
// the stream for good (unknown council, a token that may not read it). The events carry no Hash: read
// them with Events for that.
func (c *Client) Stream(ctx context.Context, name string, after int64, fn func(web.StreamEvent) error) error {
	s := &sseStream{fn: fn, last: after, retry: defaultStreamRetry}
	path := councilPath(name) + "/stream"
	failures := 0
	for {
		connected, err := c.streamOnce(ctx, path, s)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err, ok := asStopped(err); ok {
			return err
		}
		var pe *ProblemError
		if errors.As(err, &pe) && !pe.Temporary() && pe.Status < 500 {
			return err
		}
		if errors.Is(err, errProtocol) {
			return err
		}
		if connected {
			failures = 0
		} else {
			failures++
		}
		wait := s.retry
		if failures > 0 {
			wait = min(backoff(max(s.retry, 100*time.Millisecond), failures-1), maxStreamWait)
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// errProtocol is an event stream the client cannot follow.
var errProtocol = errors.New("client: not a council event stream")

// sseStream is one Stream's progress, kept across its connections.
type sseStream struct {
	fn    func(web.StreamEvent) error
	last  int64         // the version fn saw last
	retry time.Duration // the wait before connecting again

	id, typ, data, long []byte // the event being read, and a long line
}

// streamOnce reads one connection of the stream until it ends. It reports whether the server accepted
// the connection, and why it ended.
func (c *Client) streamOnce(ctx context.Context, path string, s *sseStream) (bool, error) {
	req, err := c.newRequest(ctx, http.MethodGet, path, nil)
	if err != nil {
		return false, err
	}
	req.Header["Accept"] = acceptEvents
	req.Header["Last-Event-Id"] = []string{strconv.FormatInt(s.last, 10)}
	req.Header["Cache-Control"] = noCache
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close() // not drained: a stream does not end by itself
	if resp.StatusCode != http.StatusOK {
		return false, problemOf(resp)
	}
	return true, s.read(bufio.NewReaderSize(resp.Body, 16<<10))
}

// Header values of a stream's request (never modified).
var (
	acceptEvents = []string{"text/event-stream"}
	noCache      = []string{"no-cache"}
)

// read parses the text/event-stream format (id, event, data and retry fields; comments; lines ending
// in LF or CRLF) and hands each event not seen before to fn.
func (s *sseStream) read(r *bufio.Reader) error {
	s.id, s.typ, s.data = s.id[:0], s.typ[:0], s.data[:0]
	for {
		line, err := s.line(r)
		if err != nil {
			if err == io.EOF {
				return io.ErrUnexpectedEOF // the server ended the stream: connect again
			}
			return err
		}
		if len(line) == 0 {
			if err := s.dispatch(); err != nil {
				return err
			}
			continue
		}
		if line[0] == ':' {
			continue // a comment: the server's keep-alive
		}
		field, value := line, []byte(nil)
		if i := bytes.IndexByte(line, ':'); i >= 0 {
			field, value = line[:i], line[i+1:]
			if len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
		}
		switch string(field) {
		case "id":
			if bytes.IndexByte(value, 0) < 0 {
				s.id = append(s.id[:0], value...)
			}
		case "event":
			s.typ = append(s.typ[:0], value...)
		case "data":
			s.data = append(s.data, value...)
			s.data = append(s.data, '\n')
		case "retry":
			if ms, err := strconv.ParseUint(string(value), 10, 32); err == nil {
				s.retry = time.Duration(ms) * time.Millisecond
			}
		}
	}
}

// dispatch hands the event read so far to fn, unless it has no data or fn has seen it.
func (s *sseStream) dispatch() error {
	defer func() { s.typ, s.data = s.typ[:0], s.data[:0] }()
	if len(s.data) == 0 {
		return nil
	}
	version, err := strconv.ParseInt(string(s.id), 10, 64)
	if err != nil {
		return fmt.Errorf("%w: event id %q is not a version", errProtocol, s.id)
	}
	if version <= s.last {
		return nil // sent again after a reconnection
	}
	typ := "message"
	if len(s.typ) > 0 {
		typ = string(s.typ)
	}
	e := web.StreamEvent{Version: version, Type: typ, Event: bytes.Clone(s.data[:len(s.data)-1])}
	if err := s.fn(e); err != nil {
		return errStopped{err}
	}
	s.last = version
	return nil
}

// line reads one line without its end; a line longer than the reader's buffer is gathered in s.long.
// The line is valid until the next call.
func (s *sseStream) line(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		s.long = append(s.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.ReadSlice('\n')
			s.long = append(s.long, line...)
		}
		line = s.long
	}
	if err != nil {
		return nil, err // a line cut by the end of the stream belongs to an event never finished
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}
