package council

import (
	"slices"
	"strconv"
	"strings"
)

// Decide checks a command against the rules and the state and returns the event it produces: every
// command that the rules accept produces exactly one event, which carries all that the rules computed.
// Decide changes nothing: a refused command returns an *Error and leaves the state exactly as it was.
func (s *State) Decide(c Command) (Event, error) {
	day := c.Day()
	if day == 0 {
		day = s.Today
	}
	if day == 0 {
		return nil, Errorf(EINVALID, "the first step needs a date")
	}
	if day < s.Today {
		return nil, Errorf(EDateBackwards, "dated %s, before the step before it (%s): dates never go backwards", day, s.Today)
	}
	if s.EraOn(day) == nil {
		return nil, Errorf(EINVALID, "the body %s did not exist on %s", s.cfg.Body.ID, day)
	}
	sit, err := s.SittingOn(day)
	if err != nil {
		return nil, err
	}
	d := decision{s: s, day: day, sit: sit}
	var e Event
	switch c := c.(type) {
	case *Request:
		e, err = d.request(c)
	case *Sign:
		e, err = d.sign(c)
	case *Unsign:
		e, err = d.unsign(c)
	case *Decline:
		e, err = d.decline(c)
	case *Submit:
		e, err = d.submit(c)
	case *Abandon:
		e, err = d.abandon(c)
	case *Schedule:
		e, err = d.schedule(c)
	case *Postpone:
		e, err = d.postpone(c)
	case *Cancel:
		e, err = d.cancel(c)
	case *Open:
		e, err = d.open(c)
	case *Object:
		e, err = d.object(c)
	case *AdoptAgenda:
		e, err = d.adoptAgenda(c)
	case *Draft:
		e, err = d.draft(c)
	case *Cosponsor:
		e, err = d.cosponsor(c)
	case *Amend:
		e, err = d.amend(c)
	case *Withdraw:
		e, err = d.withdraw(c)
	case *Vote:
		e, err = d.vote(c)
	case *Statement:
		e, err = d.statement(c)
	case *PRST:
		e, err = d.prst(c)
	case *Close:
		e, err = d.close(c)
	case *OpenVote:
		e, err = d.openVote(c)
	case *Ballot:
		e, err = d.ballot(c)
	case *CloseVote:
		e, err = d.closeVote(c)
	case *AskToSpeak:
		e, err = d.askToSpeak(c)
	default:
		return nil, Errorf(EINVALID, "unknown command %T", c)
	}
	if err != nil {
		return nil, err
	}
	return e, nil
}

// decision is one command being decided on a day, with the sitting of that day.
type decision struct {
	s   *State
	day Date
	sit *Sitting
}

func (d *decision) at() Dated { return Dated{Date: d.day} }

// member checks that a code names a member sitting on the day.
func (d *decision) member(field, code string) error {
	if code == "" {
		return Errorf(EINVALID, "%s: no member named", field)
	}
	if d.sit.Index(code) >= 0 {
		return nil
	}
	if k := d.s.cfg.Known; k != nil && !k(code) {
		return Errorf(EUnknownMember, "%s: %s is not a known member code", field, code)
	}
	return Errorf(ENotSitting, "%s: %s does not sit on the %s on %s", field, code, d.s.cfg.Body.ID, d.day)
}

// members checks a non-empty list of sitting members without repeats.
func (d *decision) members(field string, codes []string, repeat string) error {
	if len(codes) == 0 {
		return Errorf(EINVALID, "%s: no member named", field)
	}
	for i, c := range codes {
		if err := d.member(field, c); err != nil {
			return err
		}
		if slices.Contains(codes[:i], c) {
			return Errorf(repeat, "%s: %s is named twice", field, c)
		}
	}
	return nil
}

// presiding checks that a step naming who presides names the President of the day, and returns who
// acted: the member named, or else the President of the day.
func (d *decision) presiding(p Presiding) (string, error) {
	if p.By == "" {
		return d.sit.President, nil
	}
	if err := d.member("by", p.By); err != nil {
		return "", err
	}
	if d.sit.President != "" && p.By != d.sit.President {
		return "", Errorf(ENotPresident, "%s is not the President on %s; %s is", p.By, d.day, d.sit.President)
	}
	return p.By, nil
}

func required(field, value string) error {
	if strings.TrimSpace(value) == "" {
		return Errorf(EINVALID, "%s is missing", field)
	}
	return nil
}

func (d *decision) freshID(field, id string) error {
	if err := required(field, id); err != nil {
		return err
	}
	if d.s.used(id) {
		return Errorf(EDuplicateID, "%s: the id %s is already used", field, id)
	}
	return nil
}

// used reports whether an id names a request, meeting, draft, amendment or vote.
func (s *State) used(id string) bool {
	_, ok := s.ids[id]
	return ok
}

func (d *decision) openRequest(id string) (*RequestState, error) {
	r := d.s.Request(id)
	if r == nil {
		return nil, Errorf(EUnknownRequest, "there is no request %s", id)
	}
	if r.Status != StatusDrafted && r.Status != StatusSubmitted {
		return nil, Errorf(ERequestClosed, "request %s is %s", id, r.Status)
	}
	return r, nil
}

func (d *decision) request(c *Request) (Event, error) {
	if err := d.freshID("id", c.ID); err != nil {
		return nil, err
	}
	if err := d.member("by", c.By); err != nil {
		return nil, err
	}
	if err := required("subject", c.Subject); err != nil {
		return nil, err
	}
	if c.MeetingOn != 0 && c.MeetingOn < d.day {
		return nil, Errorf(EINVALID, "meeting_on %s is before the request's day %s", c.MeetingOn, d.day)
	}
	return &RequestDrafted{Dated: d.at(), ID: c.ID, By: c.By, Subject: c.Subject, MeetingOn: c.MeetingOn, Symbol: c.Symbol}, nil
}

func (d *decision) sign(c *Sign) (Event, error) {
	r, err := d.openRequest(c.Request)
	if err != nil {
		return nil, err
	}
	if err := d.members("by", c.By, EAlreadySigned); err != nil {
		return nil, err
	}
	for _, m := range c.By {
		if r.signed(m) {
			return nil, Errorf(EAlreadySigned, "%s has already signed request %s", m, r.ID)
		}
	}
	return &RequestSigned{Dated: d.at(), Request: r.ID, By: slices.Clone(c.By)}, nil
}

func (d *decision) unsign(c *Unsign) (Event, error) {
	r, err := d.openRequest(c.Request)
	if err != nil {
		return nil, err
	}
	if err := d.member("by", c.By); err != nil {
		return nil, err
	}
	switch {
	case r.Status != StatusDrafted:
		return nil, Errorf(ERequestClosed, "request %s is already %s; signatures can be taken back only before", r.ID, r.Status)
	case c.By == r.By:
		return nil, Errorf(EAuthor, "%s wrote request %s and cannot take back its signature; abandon it instead", c.By, r.ID)
	case !r.signed(c.By):
		return nil, Errorf(ENotSigned, "%s has not signed request %s", c.By, r.ID)
	}
	return &SignatureWithdrawn{Dated: d.at(), Request: r.ID, By: c.By}, nil
}

func (d *decision) decline(c *Decline) (Event, error) {
	r, err := d.openRequest(c.Request)
	if err != nil {
		return nil, err
	}
	if err := d.member("by", c.By); err != nil {
		return nil, err
	}
	switch {
	case r.signed(c.By):
		return nil, Errorf(EAlreadySigned, "%s has signed request %s; it must take its signature back before declining", c.By, r.ID)
	case slices.Contains(r.Declined, c.By):
		return nil, Errorf(EAlreadyDeclined, "%s has already declined request %s", c.By, r.ID)
	}
	return &RequestDeclined{Dated: d.at(), Request: r.ID, By: c.By}, nil
}

func (d *decision) submit(c *Submit) (Event, error) {
	r, err := d.openRequest(c.Request)
	if err != nil {
		return nil, err
	}
	if r.Status != StatusDrafted {
		return nil, Errorf(ERequestClosed, "request %s is already %s", r.ID, r.Status)
	}
	// A letter keeps the symbol the scenario gave it; none is invented for it.
	return &RequestSubmitted{Dated: d.at(), Request: r.ID, Symbol: r.Symbol}, nil
}

func (d *decision) abandon(c *Abandon) (Event, error) {
	r, err := d.openRequest(c.Request)
	if err != nil {
		return nil, err
	}
	if err := required("reason", c.Reason); err != nil {
		return nil, err
	}
	return &RequestAbandoned{Dated: d.at(), Request: r.ID, Reason: c.Reason}, nil
}

func (d *decision) schedule(c *Schedule) (Event, error) {
	by, err := d.presiding(c.Presiding)
	if err != nil {
		return nil, err
	}
	if err := d.freshID("meeting", c.Meeting); err != nil {
		return nil, err
	}
	if c.On == 0 {
		return nil, Errorf(EINVALID, "on is missing: a meeting needs its date")
	}
	if c.On < d.day {
		return nil, Errorf(EINVALID, "meeting %s on %s is scheduled for a day already past (%s)", c.Meeting, c.On, d.day)
	}
	if len(c.Agenda) == 0 {
		return nil, Errorf(EINVALID, "agenda is missing: a meeting needs at least one item")
	}
	for i, item := range c.Agenda {
		if err := required("agenda item "+strconv.Itoa(i+1), item); err != nil {
			return nil, err
		}
	}
	if c.Request != "" {
		r := d.s.Request(c.Request)
		switch {
		case r == nil:
			return nil, Errorf(EUnknownRequest, "there is no request %s", c.Request)
		case r.Status == StatusDrafted:
			return nil, Errorf(ENotSubmitted, "request %s has not been submitted to the President", r.ID)
		case r.Status == StatusScheduled && d.s.Meeting(r.Meeting).Status == StatusCancelled:
			// its meeting was cancelled: the President must still call one (Rule 2)
		case r.Status != StatusSubmitted:
			return nil, Errorf(ERequestClosed, "request %s is %s", r.ID, r.Status)
		}
	}
	return &MeetingScheduled{Dated: d.at(), Meeting: c.Meeting, On: c.On, Agenda: slices.Clone(c.Agenda), Request: c.Request, Format: c.Format, By: by}, nil
}

// pendingMeeting returns a meeting that is scheduled or postponed, not yet held or cancelled.
func (d *decision) pendingMeeting(id string) (*MeetingState, error) {
	m := d.s.Meeting(id)
	if m == nil {
		return nil, Errorf(EUnknownMeeting, "there is no meeting %s", id)
	}
	if m.Status != StatusScheduled && m.Status != StatusPostponed {
		return nil, Errorf(EMeetingStatus, "meeting %s is %s", id, m.Status)
	}
	return m, nil
}

func (d *decision) postpone(c *Postpone) (Event, error) {
	by, err := d.presiding(c.Presiding)
	if err != nil {
		return nil, err
	}
	m, err := d.pendingMeeting(c.Meeting)
	if err != nil {
		return nil, err
	}
	if err := required("reason", c.Reason); err != nil {
		return nil, err
	}
	if c.To != 0 && c.To < d.day {
		return nil, Errorf(EINVALID, "to %s is a day already past (%s)", c.To, d.day)
	}
	if c.RequestedBy != "" {
		if err := d.member("requested_by", c.RequestedBy); err != nil {
			return nil, err
		}
	}
	return &MeetingPostponed{Dated: d.at(), Meeting: m.ID, To: c.To, Reason: c.Reason, By: by, RequestedBy: c.RequestedBy}, nil
}

func (d *decision) cancel(c *Cancel) (Event, error) {
	by, err := d.presiding(c.Presiding)
	if err != nil {
		return nil, err
	}
	m, err := d.pendingMeeting(c.Meeting)
	if err != nil {
		return nil, err
	}
	if err := required("reason", c.Reason); err != nil {
		return nil, err
	}
	if c.RequestedBy != "" {
		if err := d.member("requested_by", c.RequestedBy); err != nil {
			return nil, err
		}
	}
	return &MeetingCancelled{Dated: d.at(), Meeting: m.ID, Reason: c.Reason, By: by, RequestedBy: c.RequestedBy}, nil
}

func (d *decision) open(c *Open) (Event, error) {
	_, err := d.presiding(c.Presiding)
	if err != nil {
		return nil, err
	}
	m, err := d.pendingMeeting(c.Meeting)
	if err != nil {
		return nil, err
	}
	if m.On == 0 {
		return nil, Errorf(EMeetingStatus, "meeting %s was postponed without date; postpone it to a date first", m.ID)
	}
	if m.On != d.day {
		return nil, Errorf(EWrongDay, "meeting %s is set for %s, not %s (give the open step at: %s)", m.ID, m.On, d.day, m.On)
	}
	sym := d.s.cfg.Prefix + "/PV." + strconv.Itoa(d.s.nextMeeting)
	return &MeetingOpened{Dated: d.at(), Meeting: m.ID, Symbol: sym, President: d.sit.President}, nil
}

// openMeeting returns a meeting in progress.
func (d *decision) openMeeting(id string) (*MeetingState, error) {
	m := d.s.Meeting(id)
	if m == nil {
		return nil, Errorf(EUnknownMeeting, "there is no meeting %s", id)
	}
	if m.Status != StatusOpen {
		return nil, Errorf(EMeetingStatus, "meeting %s is %s, not open", id, m.Status)
	}
	return m, nil
}

func (d *decision) object(c *Object) (Event, error) {
	m, err := d.openMeeting(c.Meeting)
	if err != nil {
		return nil, err
	}
	if m.AgendaAdopted {
		return nil, Errorf(EAgendaAdopted, "the agenda of meeting %s is already adopted", m.ID)
	}
	if err := d.members("by", c.By, EAlreadyObjected); err != nil {
		return nil, err
	}
	for _, x := range c.By {
		if slices.Contains(m.Objections, x) {
			return nil, Errorf(EAlreadyObjected, "%s has already objected to the agenda of meeting %s", x, m.ID)
		}
	}
	return &AgendaObjected{Dated: d.at(), Meeting: m.ID, By: slices.Clone(c.By)}, nil
}

func (d *decision) adoptAgenda(c *AdoptAgenda) (Event, error) {
	_, err := d.presiding(c.Presiding)
	if err != nil {
		return nil, err
	}
	m, err := d.openMeeting(c.Meeting)
	if err != nil {
		return nil, err
	}
	if m.AgendaAdopted {
		return nil, Errorf(EAgendaAdopted, "the agenda of meeting %s is already adopted", m.ID)
	}
	if len(m.Objections) > 0 {
		return nil, Errorf(EObjection, "%s objected to the agenda of meeting %s: it can only be adopted by a procedural vote", strings.Join(m.Objections, ", "), m.ID)
	}
	return &AgendaAdopted{Dated: d.at(), Meeting: m.ID}, nil
}

func (d *decision) draft(c *Draft) (Event, error) {
	if err := d.freshID("id", c.ID); err != nil {
		return nil, err
	}
	if err := d.members("by", c.By, EAlreadySponsor); err != nil {
		return nil, err
	}
	if err := required("title", c.Title); err != nil {
		return nil, err
	}
	if c.Meeting != "" && d.s.Meeting(c.Meeting) == nil {
		return nil, Errorf(EUnknownMeeting, "there is no meeting %s", c.Meeting)
	}
	sym := c.Symbol
	if sym == "" {
		sym = d.s.documentSymbol(d.day.Year())
	}
	return &DraftCirculated{Dated: d.at(), ID: c.ID, Sponsors: slices.Clone(c.By), Title: c.Title, Meeting: c.Meeting, Symbol: sym}, nil
}

// pendingDraft returns a draft or amendment not yet voted on or withdrawn.
func (d *decision) pendingDraft(id string) (*DraftState, error) {
	x := d.s.DraftByID(id)
	if x == nil {
		return nil, Errorf(EUnknownDraft, "there is no draft or amendment %s", id)
	}
	if x.Status != StatusPending {
		return nil, Errorf(EDraftClosed, "%s is already %s", id, x.Status)
	}
	return x, nil
}

func (d *decision) cosponsor(c *Cosponsor) (Event, error) {
	x, err := d.pendingDraft(c.Draft)
	if err != nil {
		return nil, err
	}
	if err := d.members("by", c.By, EAlreadySponsor); err != nil {
		return nil, err
	}
	for _, m := range c.By {
		if slices.Contains(x.Sponsors, m) {
			return nil, Errorf(EAlreadySponsor, "%s already sponsors %s", m, x.ID)
		}
	}
	return &DraftCosponsored{Dated: d.at(), Draft: x.ID, By: slices.Clone(c.By)}, nil
}

func (d *decision) amend(c *Amend) (Event, error) {
	if err := d.freshID("id", c.ID); err != nil {
		return nil, err
	}
	x, err := d.pendingDraft(c.Draft)
	if err != nil {
		return nil, err
	}
	if x.Draft != "" {
		return nil, Errorf(EUnknownDraft, "%s is an amendment; amend the draft %s instead", x.ID, x.Draft)
	}
	if v := d.s.openVoteOn(x.ID); v != nil {
		return nil, Errorf(EVoteOpen, "vote %s on %s is open: no amendment is proposed once the voting has begun", v.ID, x.ID)
	}
	if err := d.members("by", c.By, EAlreadySponsor); err != nil {
		return nil, err
	}
	sym := c.Symbol
	if sym == "" {
		sym = d.s.documentSymbol(d.day.Year())
	}
	return &AmendmentProposed{Dated: d.at(), ID: c.ID, Draft: x.ID, Sponsors: slices.Clone(c.By), Title: c.Title, Symbol: sym}, nil
}

func (d *decision) withdraw(c *Withdraw) (Event, error) {
	x, err := d.pendingDraft(c.Draft)
	if err != nil {
		return nil, err
	}
	if v := d.s.openVoteOn(x.ID); v != nil {
		return nil, Errorf(EVoteOpen, "vote %s on %s is open: a draft is withdrawn only before the voting begins (Rule 35)", v.ID, x.ID)
	}
	return &DraftWithdrawn{Dated: d.at(), Draft: x.ID}, nil
}

func (d *decision) statement(c *Statement) (Event, error) {
	m, err := d.openMeeting(c.Meeting)
	if err != nil {
		return nil, err
	}
	if err := d.member("by", c.By); err != nil {
		return nil, err
	}
	return &StatementMade{Dated: d.at(), Meeting: m.ID, By: c.By, Text: c.Text}, nil
}

func (d *decision) close(c *Close) (Event, error) {
	_, err := d.presiding(c.Presiding)
	if err != nil {
		return nil, err
	}
	m, err := d.openMeeting(c.Meeting)
	if err != nil {
		return nil, err
	}
	if v := m.OpenVote; v != nil {
		return nil, Errorf(EVoteOpen, "vote %s is open in meeting %s: close the vote before the meeting", v.ID, m.ID)
	}
	return &MeetingClosed{Dated: d.at(), Meeting: m.ID}, nil
}

// askToSpeak puts a member at the end of an open meeting's speakers list.
func (d *decision) askToSpeak(c *AskToSpeak) (Event, error) {
	m, err := d.openMeeting(c.Meeting)
	if err != nil {
		return nil, err
	}
	if err := d.member("by", c.By); err != nil {
		return nil, err
	}
	if i := slices.Index(m.Speakers, c.By); i >= 0 {
		return nil, Errorf(EAlreadyInscribed, "%s is already on the speakers list of meeting %s (speaker %d)", c.By, m.ID, i+1)
	}
	return &SpeakerInscribed{Dated: d.at(), Meeting: m.ID, By: c.By}, nil
}

// documentSymbol is the next S/YEAR/N symbol of the year that no document has taken.
func (s *State) documentSymbol(year int) string {
	for n := s.documents[year] + 1; ; n++ {
		sym := s.cfg.Prefix + "/" + strconv.Itoa(year) + "/" + strconv.Itoa(n)
		if !s.symbols[sym] {
			return sym
		}
	}
}
