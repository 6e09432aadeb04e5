package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
	"github.com/opencouncil/council/web"
)

// councilPath is the API path of a council.
func councilPath(name string) string { return "/v1/councils/" + url.PathEscape(name) }

// Health checks that the server is up and can read its store; a server shutting down answers 503.
func (c *Client) Health(ctx context.Context) error {
	return c.call(ctx, http.MethodGet, "/healthz", nil, nil)
}

// Whoami returns the grant of the client's token, or says the client is anonymous.
func (c *Client) Whoami(ctx context.Context) (web.Whoami, error) {
	var out web.Whoami
	err := c.call(ctx, http.MethodGet, "/v1/whoami", nil, &out)
	return out, err
}

// CreateCouncil starts a council (the admin token only) and returns it with its secretariat's token,
// which the server shows only this once.
func (c *Client) CreateCouncil(ctx context.Context, req web.CreateCouncil) (web.Created, error) {
	var out web.Created
	err := c.call(ctx, http.MethodPost, "/v1/councils", req, &out)
	return out, err
}

// Councils lists the councils the token may read.
func (c *Client) Councils(ctx context.Context) ([]string, error) {
	var out web.CouncilList
	err := c.call(ctx, http.MethodGet, "/v1/councils", nil, &out)
	return out.Councils, err
}

// Council describes a council as it stands: its members and President on its current day.
func (c *Client) Council(ctx context.Context, name string) (web.CouncilInfo, error) {
	var out web.CouncilInfo
	err := c.call(ctx, http.MethodGet, councilPath(name), nil, &out)
	return out, err
}

// SetPublic lets anyone read a council's record, or only its tokens (the secretariat or the admin).
func (c *Client) SetPublic(ctx context.Context, name string, public bool) (web.CouncilInfo, error) {
	var out web.CouncilInfo
	err := c.call(ctx, http.MethodPatch, councilPath(name), web.PatchCouncil{Public: &public}, &out)
	return out, err
}

// Record returns a council's full record: the same JSON as `council replay --json`.
func (c *Client) Record(ctx context.Context, name string) (*council.Record, error) {
	var out council.Record
	if err := c.call(ctx, http.MethodGet, councilPath(name)+"/record", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Programme returns a council's meetings: scheduled, held, postponed or cancelled.
func (c *Client) Programme(ctx context.Context, name string) ([]council.MeetingRecord, error) {
	var out web.Programme
	err := c.call(ctx, http.MethodGet, councilPath(name)+"/programme", nil, &out)
	return out.Meetings, err
}

// Requests returns a council's requests for meetings with their support.
func (c *Client) Requests(ctx context.Context, name string) ([]council.RequestRecord, error) {
	var out web.Requests
	err := c.call(ctx, http.MethodGet, councilPath(name)+"/requests", nil, &out)
	return out.Requests, err
}

// Request returns one request for a meeting; one the council does not have is a not-found problem.
func (c *Client) Request(ctx context.Context, name, id string) (council.RequestRecord, error) {
	var out council.RequestRecord
	err := c.call(ctx, http.MethodGet, councilPath(name)+"/requests/"+url.PathEscape(id), nil, &out)
	return out, err
}

// Votes returns a council's votes with every member's ballot.
func (c *Client) Votes(ctx context.Context, name string) ([]council.VoteRecord, error) {
	var out web.Votes
	err := c.call(ctx, http.MethodGet, councilPath(name)+"/votes", nil, &out)
	return out.Votes, err
}

// Vote returns one vote; one the council does not have is a not-found problem.
func (c *Client) Vote(ctx context.Context, name, id string) (council.VoteRecord, error) {
	var out council.VoteRecord
	err := c.call(ctx, http.MethodGet, councilPath(name)+"/votes/"+url.PathEscape(id), nil, &out)
	return out, err
}

// Events returns a page of a council's stored events after a version (0: from the first), at most
// limit of them (0: as many as the server gives, up to its page size); pass the page's Next as after
// for the next page.
func (c *Client) Events(ctx context.Context, name string, after int64, limit int) (web.EventPage, error) {
	path := councilPath(name) + "/events?after=" + strconv.FormatInt(after, 10)
	if limit > 0 {
		path += "&limit=" + strconv.Itoa(limit)
	}
	var out web.EventPage
	err := c.call(ctx, http.MethodGet, path, nil, &out)
	return out, err
}

// IssueToken issues a token of a council (its secretariat or the admin): a delegation's names its
// member. The secret is in the answer only.
func (c *Client) IssueToken(ctx context.Context, name string, req web.IssueToken) (web.IssuedToken, error) {
	var out web.IssuedToken
	err := c.call(ctx, http.MethodPost, councilPath(name)+"/tokens", req, &out)
	return out, err
}

// Tokens lists a council's grants, revoked ones included, never their secrets.
func (c *Client) Tokens(ctx context.Context, name string) ([]access.Grant, error) {
	var out web.TokenList
	err := c.call(ctx, http.MethodGet, councilPath(name)+"/tokens", nil, &out)
	return out.Tokens, err
}

// Revoke revokes one of a council's tokens by its grant's id.
func (c *Client) Revoke(ctx context.Context, name, id string) error {
	return c.call(ctx, http.MethodDelete, councilPath(name)+"/tokens/"+url.PathEscape(id), nil, nil)
}
