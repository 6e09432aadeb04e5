package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/councils"
)

// Done is the answer to a command the rules accepted: the event it produced, stored durably at version.
type Done struct {
	Version int64           `json:"version"`
	Type    string          `json:"type"`
	Event   json.RawMessage `json:"event"`
}

// maxKey bounds an Idempotency-Key.
const maxKey = 200

func (s *Server) command(w http.ResponseWriter, r *http.Request, p principal) error {
	name, kind := r.PathValue("council"), r.PathValue("kind")
	if s.closing.Load() {
		return council.Errorf(EUnavailable, "the server is shutting down: retry on another server or later")
	}
	if p.anonymous {
		return council.Errorf(EUnauthorized, "%s needs a token", kind)
	}
	if _, ok := commandKinds[kind]; !ok {
		return council.Errorf(EUnknownKind, "there is no command %q: the commands are the scenario steps (docs/scenario.md)", kind)
	}
	key := r.Header.Get("Idempotency-Key")
	if len(key) > maxKey || !utf8.ValidString(key) || strings.ContainsRune(key, 0) {
		return council.Errorf(council.EINVALID, "the Idempotency-Key must be UTF-8 of at most %d bytes", maxKey)
	}
	if !p.runs(name) && p.member(name) == "" {
		s.metrics.commands.WithLabelValues(kind, "forbidden").Inc()
		if !p.reads(name, false) {
			return forbid("%s token of %s may not act on %s", article(p.grant.Role), orServer(p.grant.Council), name)
		}
		return forbid("%s token may not give commands", article(p.grant.Role))
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	cmd, err := decodeCommand(kind, body)
	if err != nil {
		return err
	}
	if key != "" {
		// The key is the caller's: two delegations using the same key must not collide.
		key = callerKey(p) + key
	}
	out, err := s.execute(r.Context(), p, name, kind, key, cmd)
	if err != nil {
		return err
	}
	data, err := council.EncodeEvent(out.Event)
	if err != nil {
		return err
	}
	if out.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, http.StatusOK, Done{Version: out.Version, Type: data.Type, Event: data.Data})
	return nil
}

// execute decides a command for a principal: dated, authorised against the state it is decided on,
// and counted in the metrics. The API and the pages' forms both give commands through it.
func (s *Server) execute(ctx context.Context, p principal, name, kind, key string, cmd council.Command) (councils.Outcome, error) {
	undated := cmd.Day() == 0
	out, err := s.svc.DoChecked(ctx, name, key, cmd, func(v councils.View) error {
		if undated { // dated again each time the command is decided: a state found stale is read again
			fillDay(cmd, v)
		}
		return authorize(p, name, v.State, cmd)
	})
	if err != nil {
		outcome := "refused"
		switch council.ErrorCode(err) {
		case EForbidden, EUnauthorized:
			outcome = "forbidden"
		case council.EINTERNAL:
			outcome = "error"
		}
		s.metrics.commands.WithLabelValues(kind, outcome).Inc()
		return out, err
	}
	if out.Replayed { // a retry answered with what its key stored: nothing new was decided or appended
		s.metrics.commands.WithLabelValues(kind, "replayed").Inc()
		return out, nil
	}
	s.metrics.commands.WithLabelValues(kind, "accepted").Inc()
	s.metrics.appends.Inc()
	return out, nil
}

// callerKey scopes an idempotency key to the token that sent it.
func callerKey(p principal) string { return p.grant.ID + ":" }

// fillDay dates a command given without a date: the day of the council's last step, or its first day.
func fillDay(c council.Command, v councils.View) {
	day := v.State.Today
	if day == 0 {
		day = v.Def.Date
	}
	c.(interface{ SetDay(council.Date) }).SetDay(day)
}
