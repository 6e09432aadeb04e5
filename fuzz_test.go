package council_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/opencouncil/council"
)

// The fuzzer tells stories of December 2019 and on: ids from a small pool, so that steps meet the
// requests, meetings and drafts of the steps before; members from the Council of 2019 and two that do
// not sit (JPN, not a member that year; XXX, no member at all).
var (
	fuzzIDs     = []string{"r1", "r2", "m1", "m2", "d1", "d2", "a1", "v1"}
	fuzzMembers = []string{"BEL", "CHN", "CIV", "DOM", "GNQ", "FRA", "DEU", "IDN", "KWT", "PER", "POL", "RUS", "ZAF", "GBR", "USA", "JPN", "XXX"}
	fuzzOn      = []string{"agenda", "d1", "d2", "a1", "r1", ""}
	fuzzMatters = []string{"", "", "procedural", "substantive", "statement", "budgetary"}
	fuzzRest    = []string{"", "yes", "no", "abstain", "absent", "maybe"}
	fuzzVoteIDs = []string{"v1", "v2", "d1", ""}
	fuzzBallots = []string{"yes", "no", "abstain", "", "absent"}
)

// opSize is the bytes one command takes: its kind, how far the day moves, and eight arguments.
const opSize = 10

// fuzzOp is one command's bytes.
type fuzzOp [opSize]byte

func (o fuzzOp) id(i int) string     { return fuzzIDs[int(o[i])%len(fuzzIDs)] }
func (o fuzzOp) member(i int) string { return fuzzMembers[int(o[i])%len(fuzzMembers)] }

// members is a list of members chosen by the bits of two bytes; none when no bit is set.
func (o fuzzOp) members(i int) []string {
	mask := int(o[i]) | int(o[i+1])<<8
	var out []string
	for k := 0; k < 16; k++ {
		if mask&(1<<k) != 0 {
			out = append(out, fuzzMembers[k])
		}
	}
	return out
}

func (o fuzzOp) text(i int) string {
	if o[i]%4 == 0 {
		return ""
	}
	return "text"
}

// fuzzCommands derives commands from bytes: opSize bytes each, the day never going backwards.
func fuzzCommands(data []byte) []council.Command {
	day := date("2019-11-28")
	var cmds []council.Command
	for len(data) >= opSize && len(cmds) < 64 {
		var o fuzzOp
		copy(o[:], data)
		data = data[opSize:]
		var at council.At
		if o[1]&0x80 == 0 || len(cmds) == 0 {
			if o[1]&0x40 != 0 {
				day += council.Date(o[1] & 0x3f) // a jump of up to two months
			} else {
				day += council.Date(o[1] % 4)
			}
			at.At = day
		}
		later := func(i int) council.Date {
			if o[i]&0x80 != 0 {
				return 0
			}
			return day + council.Date(o[i]%8)
		}
		pr := council.Presiding{}
		if o[9]&0x40 != 0 {
			pr.By = fuzzMembers[int(o[9]&0x3f)%len(fuzzMembers)]
		}
		var c council.Command
		switch o[0] % 24 {
		case 0:
			c = &council.Request{At: at, ID: o.id(2), By: o.member(3), Subject: "subject " + o.text(4), MeetingOn: later(5)}
		case 1:
			by := o.members(3)
			if len(by) == 0 {
				by = []string{o.member(5)}
			}
			c = &council.Sign{At: at, Request: o.id(2), By: by}
		case 2:
			c = &council.Unsign{At: at, Request: o.id(2), By: o.member(3)}
		case 3:
			c = &council.Decline{At: at, Request: o.id(2), By: o.member(3)}
		case 4:
			c = &council.Submit{At: at, Request: o.id(2)}
		case 5:
			c = &council.Abandon{At: at, Request: o.id(2), Reason: o.text(3)}
		case 6:
			var agenda []string
			if o[4]%8 != 0 {
				agenda = []string{"item"}
			}
			req := ""
			if o[5]&1 != 0 {
				req = o.id(6)
			}
			c = &council.Schedule{At: at, Presiding: pr, Meeting: o.id(2), On: later(3), Agenda: agenda, Request: req, Format: o.text(7)}
		case 7:
			c = &council.Postpone{At: at, Presiding: pr, Meeting: o.id(2), To: later(3), Reason: o.text(4)}
		case 8:
			c = &council.Cancel{At: at, Presiding: pr, Meeting: o.id(2), Reason: o.text(3)}
		case 9:
			c = &council.Open{At: at, Presiding: pr, Meeting: o.id(2)}
		case 10:
			c = &council.Object{At: at, Meeting: o.id(2), By: o.members(3)}
		case 11:
			c = &council.AdoptAgenda{At: at, Presiding: pr, Meeting: o.id(2)}
		case 12:
			meeting := ""
			if o[5]&1 != 0 {
				meeting = o.id(6)
			}
			c = &council.Draft{At: at, ID: o.id(2), By: o.members(3), Title: o.text(7), Meeting: meeting}
		case 13:
			c = &council.Cosponsor{At: at, Draft: o.id(2), By: o.members(3)}
		case 14:
			c = &council.Amend{At: at, ID: o.id(2), Draft: o.id(5), By: o.members(3), Title: o.text(6)}
		case 15:
			c = &council.Withdraw{At: at, Draft: o.id(2)}
		case 16:
			c = fuzzVote(at, o)
		case 17:
			c = &council.Statement{At: at, Meeting: o.id(2), By: o.member(3), Text: o.text(4)}
		case 18:
			var objections []string
			if o[5]&1 != 0 {
				objections = o.members(3)
			}
			c = &council.PRST{At: at, Presiding: pr, Meeting: o.id(2), Text: o.text(6), Objections: objections}
		case 19:
			c = &council.Close{At: at, Presiding: pr, Meeting: o.id(2)}
		case 20:
			v := fuzzVote(at, o)
			c = &council.OpenVote{At: at, Presiding: pr, ID: v.ID, Meeting: v.Meeting, On: v.On, Matter: v.Matter, Parties: v.Parties}
		case 21:
			c = &council.Ballot{At: at, Vote: fuzzVoteIDs[int(o[2])%len(fuzzVoteIDs)], By: o.member(3), Ballot: fuzzBallots[int(o[4])%len(fuzzBallots)]}
		case 22:
			c = &council.CloseVote{At: at, Presiding: pr, Vote: fuzzVoteIDs[int(o[2])%len(fuzzVoteIDs)]}
		case 23:
			c = &council.AskToSpeak{At: at, Meeting: o.id(2), By: o.member(3)}
		}
		cmds = append(cmds, c)
	}
	return cmds
}

// fuzzVote gives each of the first 15 members two bits of ballot: unlisted, yes, no or abstain.
func fuzzVote(at council.At, o fuzzOp) *council.Vote {
	v := &council.Vote{At: at, Meeting: o.id(2), On: fuzzOn[int(o[3])%len(fuzzOn)],
		Matter: fuzzMatters[int(o[3]>>4)%len(fuzzMatters)], Rest: fuzzRest[int(o[4])%len(fuzzRest)]}
	if o[4]&0x80 != 0 {
		v.ID = o.id(5)
	}
	if o[4]&0x40 != 0 {
		v.Parties = []string{fuzzMembers[int(o[5])%15]}
	}
	bits := uint32(o[6]) | uint32(o[7])<<8 | uint32(o[8])<<16 | uint32(o[9]&0x3f)<<24
	for k := 0; k < 15; k++ {
		m := fuzzMembers[k]
		switch (bits >> (2 * k)) & 3 {
		case 1:
			v.Yes = append(v.Yes, m)
		case 2:
			v.No = append(v.No, m)
		case 3:
			v.Abstain = append(v.Abstain, m)
		}
	}
	return v
}

// op builds one command's bytes for a seed.
func op(kind, day byte, args ...byte) []byte {
	o := make([]byte, opSize)
	o[0], o[1] = kind, day
	copy(o[2:], args)
	return o
}

func cat(ops ...[]byte) []byte {
	var b []byte
	for _, o := range ops {
		b = append(b, o...)
	}
	return b
}

// Indexes into fuzzIDs and fuzzMembers for the seeds.
const (
	idR1, idR2, idM1, idM2, idD1, idD2, idA1, idV1 = 0, 1, 2, 3, 4, 5, 6, 7
	mFRA, mUSA, mRUS, mCHN, mGBR, mDEU             = 5, 14, 11, 1, 13, 6
)

// fuzzSeeds are stories that reach deep into the rules: a request signed, submitted and scheduled, a
// meeting opened with an objection and an agenda vote, a draft amended and voted on, a statement.
func fuzzSeeds() [][]byte {
	story := cat(
		op(0, 0, idR1, mFRA, 1, 5),                 // request r1 by FRA, meeting in 5 days
		op(1, 0, idR1, 0xdf, 0x7f),                 // sign r1 by the 14 others
		op(1, 1, 0, 0, 0, mGBR),                    // sign r1 again by GBR: refused
		op(3, 0, idR1, mUSA),                       // decline by USA: refused, it signed
		op(4, 0, idR1),                             // submit
		op(6, 1, idM1, 3, 1, 1, idR1, 1),           // schedule m1 in 3 days on r1
		op(9, 0x80, idM1),                          // open on the wrong day: refused
		op(9, 3, idM1),                             // open
		op(10, 0, idM1, 0x02, 0x08),                // object by CHN, RUS
		op(11, 0, idM1),                            // adopt the agenda: refused
		op(16, 0, idM1, 0, 1),                      // vote on the agenda, rest yes
		op(12, 0, idD1, 0x00, 0x60, 1, idM1, 1),    // draft d1 by GBR, USA
		op(14, 0, idA1, 0x20, 0x00, idD1, 1),       // amend d1 by FRA
		op(16, 0, idM1, 1, 1),                      // vote on d1 before a1: refused
		op(16, 0, idM1, 3, 1),                      // vote on a1, rest yes
		op(16, 0, idM1, 1, 0x85, idD2, 0, 0, 0x80), // vote "d2" on d1, RUS no, rest yes: vetoed
		op(15, 0, idD1),                            // withdraw after the vote: refused
		op(18, 0, idM1, 0x00, 0x08, 1, 1),          // prst with RUS objecting
		op(18, 0, idM1, 0, 0, 0, 1),                // prst issued
		op(17, 0, idM1, mUSA, 1),                   // statement
		op(19, 0, idM1),                            // close
		op(19, 0, idM1),                            // close again: refused
	)
	postponed := cat(
		op(6, 0, idM2, 2, 1),          // schedule m2 in 2 days
		op(7, 0, idM2, 0x80, 1),       // postpone without date
		op(9, 2, idM2),                // open: refused
		op(7, 0, idM2, 3, 1),          // postpone to 3 days on
		op(9, 3, idM2),                // open
		op(8, 0, idM2, 1),             // cancel an open meeting: refused
		op(2, 0, idR2, mDEU),          // unsign an unknown request: refused
		op(0, 0, idR2, mDEU, 1, 0x80), // request r2 by DEU
		op(2, 0, idR2, mDEU),          // the author unsigns: refused
		op(5, 0, idR2, 1),             // abandon
		op(4, 0, idR2),                // submit: refused
	)
	newYear := cat(
		op(0, 0, idR1, mFRA, 1, 0x80),
		op(6, 0, idM1, 7, 1, 0, 0, 0, 0, 0x40|mRUS), // schedule by RUS, not the President: refused
		op(6, 3, idM1, 3, 1),                        // schedule m1 for three days on
		op(9, 3, idM1),                              // open
		op(11, 0, idM1),                             // adopt the agenda
		op(12, 0, idD2, 0x40, 0x00, 1, idM1, 1),     // draft d2 by DEU
		op(16, 0x40|30, idM1, 2, 1),                 // vote on d2 in January 2020
		op(12, 0, idD1, 0x04, 0x00, 1, idM1, 1),     // draft d1 by CIV, who left: refused
	)
	live := cat(
		op(6, 0, idM1, 0, 1),                    // schedule m1 for today
		op(9, 0, idM1),                          // open
		op(11, 0, idM1),                         // adopt the agenda
		op(12, 0, idD1, 0x00, 0x60, 1, idM1, 1), // draft d1 by GBR, USA
		op(23, 0, idM1, mUSA),                   // USA asks to speak
		op(23, 0, idM1, mUSA),                   // again: refused
		op(20, 0, idM1, 1),                      // open vote v1 on d1
		op(16, 0, idM1, 1, 1),                   // vote on d1 while v1 is open: refused
		op(19, 0, idM1),                         // close the meeting while v1 is open: refused
		op(15, 0, idD1),                         // withdraw d1 while it is voted on: refused
		op(21, 0, 0, mRUS, 1),                   // RUS votes no
		op(21, 0, 0, mRUS, 0),                   // RUS again: refused
		op(21, 0, 0, mUSA, 4),                   // USA votes "absent": refused
		op(21, 0, 0, 15, 0),                     // JPN, not a member in 2019: refused
		op(21, 0, 1, mUSA, 0),                   // a ballot in v2, not open: refused
		op(21, 0, 0, mUSA, 0),                   // USA votes yes
		op(22, 0, 0),                            // close v1: one in favour, not adopted
		op(22, 0, 0),                            // close v1 again: refused
		op(17, 0, idM1, mUSA, 1),                // USA speaks, leaving the list
		op(19, 0, idM1),                         // close
	)
	return [][]byte{nil, story, postponed, newYear, live, cat(story, postponed), {0xff, 0xff, 0xff}}
}

// TestFuzzSeeds checks that the seeds tell the stories their comments say, so the fuzzer starts from
// deep water: each step's outcome, an event type or a refusal's code.
func TestFuzzSeeds(t *testing.T) {
	seeds := fuzzSeeds()
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"story", seeds[1], []string{"request-drafted", "request-signed", council.EAlreadySigned, council.EAlreadySigned,
			"request-submitted", "meeting-scheduled", council.EWrongDay, "meeting-opened", "agenda-objected", council.EObjection,
			"vote-taken", "draft-circulated", "amendment-proposed", council.EAmendmentsFirst, "vote-taken", "vote-taken",
			council.EDraftClosed, "presidential-statement", "presidential-statement", "statement-made", "meeting-closed", council.EMeetingStatus}},
		{"postponed", seeds[2], []string{"meeting-scheduled", "meeting-postponed", council.EMeetingStatus, "meeting-postponed",
			"meeting-opened", council.EMeetingStatus, council.EUnknownRequest, "request-drafted", council.EAuthor, "request-abandoned",
			council.ERequestClosed}},
		{"new year", seeds[3], []string{"request-drafted", council.ENotPresident, "meeting-scheduled", "meeting-opened",
			"agenda-adopted", "draft-circulated", "vote-taken", council.ENotSitting}},
		{"live", seeds[4], []string{"meeting-scheduled", "meeting-opened", "agenda-adopted", "draft-circulated",
			"speaker-inscribed", council.EAlreadyInscribed, "vote-opened", council.EVoteOpen, council.EVoteOpen, council.EVoteOpen,
			"ballot-cast", council.EAlreadyVoted, council.EINVALID, council.ENotSitting, council.ENoOpenVote, "ballot-cast",
			"vote-taken", council.ENoOpenVote, "statement-made", "meeting-closed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustState(t)
			var got []string
			for _, c := range fuzzCommands(tt.data) {
				evs, err := decideAll(s, c)
				if err != nil {
					got = append(got, council.ErrorCode(err))
					continue
				}
				for _, e := range evs {
					s.Apply(e)
					got = append(got, e.EventType())
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("outcomes\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func FuzzDecide(f *testing.F) {
	for _, seed := range fuzzSeeds() {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := MustState(t)
		for i, c := range fuzzCommands(data) {
			before := snapshot(t, s)
			today := s.Today
			evs, err := decideAll(s, c)
			if err != nil {
				if code := council.ErrorCode(err); code == council.EINTERNAL {
					t.Fatalf("step %d (%s): internal error %v", i+1, c.Kind(), err)
				}
				if evs != nil {
					t.Fatalf("step %d (%s): refused (%v) but returned events", i+1, c.Kind(), err)
				}
				if after := snapshot(t, s); after != before || s.Today != today {
					cj, _ := json.Marshal(c)
					t.Fatalf("step %d (%s %s): refused (%v) but the state changed:\nbefore %s\nafter  %s", i+1, c.Kind(), cj, err, before, after)
				}
				continue
			}
			if len(evs) == 0 {
				t.Fatalf("step %d (%s): accepted with no event", i+1, c.Kind())
			}
			if after := snapshot(t, s); after != before {
				t.Fatalf("step %d (%s): Decide changed the state before Apply", i+1, c.Kind())
			}
			for _, e := range evs {
				if e.EventDate() < today {
					t.Fatalf("step %d (%s): event dated %s before today %s", i+1, c.Kind(), e.EventDate(), today)
				}
				if v, ok := e.(*council.VoteTaken); ok {
					n := len(v.Yes) + len(v.No) + len(v.Abstain) + len(v.Absent) + len(v.NotParticipating)
					if n != 15 || v.Counts.Yes != len(v.Yes) || v.Counts.No != len(v.No) {
						t.Fatalf("step %d: vote %+v does not count its 15 ballots", i+1, v)
					}
					if len(v.VetoedBy) > 0 && v.Adopted {
						t.Fatalf("step %d: vote adopted and vetoed: %+v", i+1, v)
					}
				}
				s.Apply(e)
			}
			snapshot(t, s)
		}
	})
}
