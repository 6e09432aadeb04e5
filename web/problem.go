package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/councils"
)

// Error codes of the HTTP layer, beside the domain's (council.E*) and the service's (councils.E*).
const (
	EUnauthorized = "unauthorized"   // no token, or one the server does not know or has revoked
	EForbidden    = "forbidden"      // the token's role may not do this
	ETooLarge     = "too-large"      // the request body is over the limit
	EMediaType    = "media-type"     // the body is not application/json
	ERateLimited  = "rate-limited"   // the token sent more requests than its rate allows
	EUnknownKind  = "unknown-kind"   // a command kind the engine does not have
	ENoRoute      = "no-route"       // nothing is served at that path
	EMethod       = "method"         // the path does not take that method
	EUnavailable  = "unavailable"    // the server is shutting down
	EBadEventID   = "bad-last-event" // Last-Event-ID is not a version
)

// statusOf maps an error code to its HTTP status: one table for the whole API. A rule refusal (any
// domain code not listed) is 422: the request was understood, and the rules said no.
func statusOf(code string) int {
	switch code {
	case council.EINVALID, EBadEventID:
		return http.StatusBadRequest
	case EUnauthorized:
		return http.StatusUnauthorized
	case EForbidden:
		return http.StatusForbidden
	case councils.ENotFound, ENoRoute:
		return http.StatusNotFound
	case EMethod:
		return http.StatusMethodNotAllowed
	case councils.EExists, council.EConflict:
		return http.StatusConflict
	case ETooLarge:
		return http.StatusRequestEntityTooLarge
	case EMediaType:
		return http.StatusUnsupportedMediaType
	case ERateLimited:
		return http.StatusTooManyRequests
	case EUnavailable:
		return http.StatusServiceUnavailable
	case council.EINTERNAL:
		return http.StatusInternalServerError
	case EUnknownKind:
		return http.StatusNotFound
	}
	return http.StatusUnprocessableEntity
}

// Problem is an RFC 9457 problem detail, with the stable code of what went wrong and, for a field that
// failed validation, its name.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Code     string `json:"code"`
	Field    string `json:"field,omitempty"`
	Instance string `json:"instance,omitempty"`
}

// fieldError is an invalid request naming the field at fault.
type fieldError struct {
	field string
	err   *council.Error
}

func (e *fieldError) Error() string { return e.err.Error() }
func (e *fieldError) Unwrap() error { return e.err }

// invalidField returns an invalid-request error naming the field.
func invalidField(field, format string, args ...any) error {
	return &fieldError{field: field, err: council.Errorf(council.EINVALID, format, args...)}
}

// problemOf turns any error into the problem a client sees. Internal errors say only that.
func problemOf(err error, instance string) Problem {
	code := council.ErrorCode(err)
	status := statusOf(code)
	p := Problem{
		Type:     "https://github.com/opencouncil/council/blob/main/docs/api.md#" + code,
		Title:    http.StatusText(status),
		Status:   status,
		Detail:   council.ErrorMessage(err),
		Code:     code,
		Instance: instance,
	}
	var fe *fieldError
	if errors.As(err, &fe) {
		p.Field = fe.field
	}
	return p
}

// writeProblem writes err as application/problem+json, and logs internal errors, whose text never
// reaches the client.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	p := problemOf(err, r.URL.Path)
	if p.Status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if p.Status == http.StatusTooManyRequests || p.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="council"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// writeJSON writes v as JSON with a status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
