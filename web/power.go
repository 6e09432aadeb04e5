package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/councils"
	"github.com/opencouncil/council/power"
	"github.com/opencouncil/council/roster"
)

// The server's bounds on a power question: a request gets about a second of exact work before it is
// estimated, and a bounded estimate.
const (
	powerBudget     = 1e9     // word additions
	powerMemory     = 1 << 28 // bytes of tables
	powerMaxSamples = 200_000
	powerMaxPlayers = 1000
)

// powerRoutes lists the routes of voting power (package power, docs/power.md): the indices of a
// built-in body's decision rule, of a built-in game or of weights given in the query, open to
// anyone; and who was decisive in a council's vote or request, and why, for whoever may read the
// council.
func (s *Server) powerRoutes() []route {
	return []route{
		{"GET", "/v1/power", s.power},
		{"GET", "/v1/councils/{council}/votes/{id}/decisive", s.voteDecisive},
		{"GET", "/v1/councils/{council}/requests/{id}/decisive", s.requestDecisive},
	}
}

// power answers GET /v1/power: each player's power in the game the query names.
func (s *Server) power(w http.ResponseWriter, r *http.Request, _ principal) error {
	q := r.URL.Query()
	g, err := powerGame(q.Get("body"), q.Get("matter"), q.Get("date"), q.Get("game"), q.Get("weights"), q.Get("quota"))
	if err != nil {
		return err
	}
	opt := power.Options{Indices: power.Standard, Budget: powerBudget, Memory: powerMemory, Samples: powerMaxSamples}
	if v := q.Get("index"); v != "" {
		if opt.Indices, err = power.ParseIndex(v); err != nil {
			return invalidField("index", "%v", err)
		}
	}
	switch m := q.Get("method"); m {
	case "", "auto":
	case "exact":
		opt.Method = power.Exact
	case "estimate":
		opt.Method = power.Estimate
	default:
		return invalidField("method", "method must be auto, exact or estimate, not %q", m)
	}
	samples, err := intParam(r, "samples", powerMaxSamples)
	if err != nil {
		return err
	}
	if samples < 1 || samples > powerMaxSamples {
		return invalidField("samples", "samples must be from 1 to %d", powerMaxSamples)
	}
	seed, err := intParam(r, "seed", 1)
	if err != nil {
		return err
	}
	opt.Samples, opt.Seed = int(samples), uint64(seed)
	res, err := power.Compute(g, opt)
	switch {
	case errors.Is(err, power.ErrBudget):
		return invalidField("method", "%v on this server: ask with method=auto for an estimate, or use `council power`", err)
	case err != nil:
		return invalidField("weights", "%v", err)
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeJSON(w, http.StatusOK, res.Report())
	return nil
}

// powerGame is the game a power question names: a built-in game, weights given in the query, or a
// built-in body's decision on a day (the Security Council by default).
func powerGame(body, matter, date, game, weights, quota string) (*power.Game, error) {
	given := 0
	for _, v := range []string{body, game, weights} {
		if v != "" {
			given++
		}
	}
	switch {
	case given > 1:
		return nil, invalidField("body", "give one of body, game or weights")
	case (weights == "") != (quota == ""):
		return nil, invalidField("quota", "weights and quota go together")
	case game != "":
		g, ok := power.Builtin(game)
		if !ok {
			return nil, invalidField("game", "unknown game %q (built-in: %s)", game, strings.Join(power.BuiltinNames(), ", "))
		}
		return g, nil
	case weights != "":
		return weightsGame(weights, quota)
	}
	if body == "" {
		body = "unsc"
	}
	b, err := bodies.Builtin(body)
	if err != nil {
		return nil, invalidField("body", "%v", err)
	}
	day := council.DateOf(time.Now().Date())
	if date != "" {
		if day, err = council.ParseDate(date); err != nil {
			return nil, invalidField("date", "%v", err)
		}
	} else if _, last := roster.Default().Years(); b.Roster == "unsc" && day.Year() > last {
		day = council.DateOf(last, time.December, 31) // the roster does not reach today yet
	}
	g, err := power.BodyGame(b, matter, day.String(), nil)
	if err != nil {
		field := "date"
		if b.EraOn(day.String()) != nil {
			field = "matter"
		}
		return nil, invalidField(field, "%v", err)
	}
	return g, nil
}

// weightsGame reads weights given in the query, "4,4,4,2,2,1" or "FRA:4,DEU:4,...", and a quota.
func weightsGame(weights, quota string) (*power.Game, error) {
	parts := strings.Split(weights, ",")
	if len(parts) > powerMaxPlayers {
		return nil, invalidField("weights", "at most %d players (use `council power --weights FILE` for more)", powerMaxPlayers)
	}
	ids := make([]string, len(parts))
	ws := make([]int64, len(parts))
	var total int64
	for i, p := range parts {
		id, v, named := strings.Cut(strings.TrimSpace(p), ":")
		if !named {
			id, v = "P"+strconv.Itoa(i+1), id
		}
		x, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || x < 0 || x > 1e12 {
			return nil, invalidField("weights", "weight %q is not a whole number from 0 to 10^12", v)
		}
		ids[i], ws[i] = strings.TrimSpace(id), x
		total += x
	}
	q, err := power.ParseQuota(quota, total)
	if err != nil {
		return nil, invalidField("quota", "%v", err)
	}
	g, err := power.Weighted(fmt.Sprintf("a weighted game of %d players", len(ids)), ids, ws, q)
	if err != nil {
		field := "weights"
		if strings.HasPrefix(err.Error(), "quota") {
			field = "quota"
		}
		return nil, invalidField(field, "%v", err)
	}
	return g, nil
}

// voteDecisive answers who was decisive in a vote of a council, and why.
func (s *Server) voteDecisive(w http.ResponseWriter, r *http.Request, p principal) error {
	return s.decisive(w, r, p, "vote", power.VoteDecisive)
}

// requestDecisive answers whose signature alone would decide a request for a meeting.
func (s *Server) requestDecisive(w http.ResponseWriter, r *http.Request, p principal) error {
	return s.decisive(w, r, p, "request", power.RequestDecisive)
}

func (s *Server) decisive(w http.ResponseWriter, r *http.Request, p principal, kind string,
	explain func(*council.State, string) (*power.Decisive, error)) error {
	name, err := s.readable(r, p)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	var (
		d       *power.Decisive
		version int64
		found   bool
	)
	err = s.svc.View(r.Context(), name, func(v councils.View) error {
		version = v.Version
		if kind == "vote" {
			found = v.State.VoteByID(id) != nil
		} else {
			found = v.State.Request(id) != nil
		}
		if !found {
			return nil
		}
		var err error
		d, err = explain(v.State, id)
		return err
	})
	switch {
	case err != nil:
		return err
	case !found:
		return council.Errorf(councils.ENotFound, "%s has no %s %s", name, kind, id)
	}
	writeVersioned(w, version, d)
	return nil
}
