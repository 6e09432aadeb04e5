package history

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// index is what the queries answer from, built once when the record is parsed.
type index struct {
	byMember, byYear, byTopic []VetoCount
	years                     []YearCount
	unanimity                 Unanimity
	failed                    []Draft
	topics                    []string // each meeting's topic, folded for search
	votes                     []vote
	notChecked                int
}

// VetoCount is the number of drafts vetoed by a member, in a year or on a topic (the one that is set).
type VetoCount struct {
	Member string `json:"member,omitempty"` // a member's code: SUN, RUS, USA, GBR, FRA, CHN
	Name   string `json:"name,omitempty"`   // the member's name
	Year   int    `json:"year,omitempty"`
	Topic  string `json:"topic,omitempty"` // the veto list's crisis topic
	Vetoes int    `json:"vetoes"`
}

// YearCount is a year of the record: meetings and what they decided.
type YearCount struct {
	Year        int `json:"year"`
	Meetings    int `json:"meetings"`
	Resolutions int `json:"resolutions"`
	Unanimous   int `json:"unanimous"`
	WithoutVote int `json:"without_vote"`
	NotAdopted  int `json:"drafts_not_adopted"`
	Vetoed      int `json:"drafts_vetoed"`
	Statements  int `json:"presidential_statements"`
}

// Unanimity is the share of resolutions adopted unanimously: with no negative vote and no abstention
// (the Library's "adopted unanimously", or a tally such as 15-0-0), of the resolutions put to the vote.
type Unanimity struct {
	Resolutions int     `json:"resolutions"`  // every resolution in the table
	Voted       int     `json:"voted"`        // put to the vote: with a tally or "adopted unanimously"
	WithoutVote int     `json:"without_vote"` // adopted without a vote or by consensus
	Unknown     int     `json:"unknown"`      // neither a tally nor words
	Unanimous   int     `json:"unanimous"`
	Share       float64 `json:"share"` // unanimous / voted
	ByYear      []Share `json:"by_year"`
}

// Share is one year's unanimity.
type Share struct {
	Year      int     `json:"year"`
	Voted     int     `json:"voted"`
	Unanimous int     `json:"unanimous"`
	Share     float64 `json:"share"`
}

// Draft is a draft resolution put to the vote and not adopted.
type Draft struct {
	Meeting  string `json:"meeting"`
	Date     string `json:"date"`
	Document string `json:"document"`
	Detail   string `json:"detail,omitempty"`
	Tally    string `json:"tally"` // "" when the table gives none
	Topic    string `json:"topic"`
}

// unanimous reports whether a resolution was adopted with no negative vote and no abstention.
func unanimous(o *Outcome) bool {
	return o.Unanimous || (o.Tally.Known && o.Tally.Yes > 0 && o.Tally.No == 0 && o.Tally.Abstain == 0)
}

// build computes the stats and the indexes the queries answer from.
func (h *History) build() {
	s := Stats{ByKind: map[string]int{}, ByReason: map[string]int{}, Vetoes: len(h.Vetoes),
		Rows: h.Sources[0].Rows, Meetings: len(h.Meetings), Problems: len(h.Problems)}
	for _, p := range h.Problems {
		s.ByReason[p.Reason]++
	}
	if n := len(h.Meetings); n > 0 {
		s.First, s.Last = h.Meetings[0].Date, h.Meetings[n-1].Date
	}
	years := map[int]*YearCount{}
	u := &h.idx.unanimity
	uy := map[int]*Share{}
	h.idx.topics = make([]string, len(h.Meetings))
	for i := range h.Meetings {
		m := &h.Meetings[i]
		h.idx.topics[i] = strings.ToLower(m.Topic)
		y := m.Year()
		yc := years[y]
		if yc == nil {
			yc = &YearCount{Year: y}
			years[y] = yc
			uy[y] = &Share{Year: y}
		}
		yc.Meetings++
		for j := range m.Outcomes {
			o := &m.Outcomes[j]
			s.Outcomes++
			s.ByKind[o.Kind]++
			if o.Tally.Known {
				s.Tallies++
			}
			switch o.Kind {
			case KindResolution:
				yc.Resolutions++
				u.Resolutions++
				switch {
				case o.WithoutVote:
					yc.WithoutVote++
					u.WithoutVote++
				case o.Tally.Known || o.Unanimous:
					u.Voted++
					uy[y].Voted++
					if unanimous(o) {
						yc.Unanimous++
						u.Unanimous++
						uy[y].Unanimous++
					}
				default:
					u.Unknown++
				}
			case KindDraftNotAdopted:
				yc.NotAdopted++
				h.idx.failed = append(h.idx.failed, Draft{Meeting: m.Key, Date: m.Date, Document: o.Document,
					Detail: o.Detail, Tally: o.Tally.String(), Topic: m.Topic})
			case KindDraftVetoed:
				yc.Vetoed++
			case KindPRST:
				yc.Statements++
			}
		}
	}
	h.Stats = s
	for _, y := range slices.Sorted(maps.Keys(years)) {
		h.idx.years = append(h.idx.years, *years[y])
		sh := uy[y]
		sh.Share = ratio(sh.Unanimous, sh.Voted)
		u.ByYear = append(u.ByYear, *sh)
	}
	u.Share = ratio(u.Unanimous, u.Voted)
	h.buildVetoes()
	h.prepareVotes()
}

// ratio is a share rounded to four decimals, 0 of nothing.
func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	f, _ := strconv.ParseFloat(strconv.FormatFloat(float64(a)/float64(b), 'f', 4, 64), 64)
	return f
}

// buildVetoes counts the veto list by member, year and topic.
func (h *History) buildVetoes() {
	member, year, topic := map[string]int{}, map[int]int{}, map[string]int{}
	lastYear := map[string]int{}
	for _, v := range h.Vetoes {
		y, _ := strconv.Atoi(v.Date[:4])
		for _, c := range v.Members {
			member[c]++
			lastYear[c] = max(lastYear[c], y)
		}
		year[y]++
		topic[v.Topic]++
	}
	for c, n := range member {
		h.idx.byMember = append(h.idx.byMember, VetoCount{Member: c, Name: h.roster.Name(c, lastYear[c]), Vetoes: n})
	}
	slices.SortFunc(h.idx.byMember, func(a, b VetoCount) int {
		return cmp.Or(b.Vetoes-a.Vetoes, strings.Compare(a.Member, b.Member))
	})
	for y, n := range year {
		h.idx.byYear = append(h.idx.byYear, VetoCount{Year: y, Vetoes: n})
	}
	slices.SortFunc(h.idx.byYear, func(a, b VetoCount) int { return a.Year - b.Year })
	for t, n := range topic {
		h.idx.byTopic = append(h.idx.byTopic, VetoCount{Topic: t, Vetoes: n})
	}
	slices.SortFunc(h.idx.byTopic, func(a, b VetoCount) int {
		return cmp.Or(b.Vetoes-a.Vetoes, strings.Compare(a.Topic, b.Topic))
	})
}

// ErrBadQuery is a query the record cannot answer as asked: an unknown grouping, a member that never
// sat, a year outside the record.
var ErrBadQuery = errors.New("bad query")

// VetoCounts counts the vetoed drafts of the Library's veto list by "member" (a draft two members vetoed
// counts for each), "year" or "topic" (the list's crisis topic).
func (h *History) VetoCounts(by string) ([]VetoCount, error) {
	switch by {
	case "member", "":
		return h.idx.byMember, nil
	case "year":
		return h.idx.byYear, nil
	case "topic":
		return h.idx.byTopic, nil
	}
	return nil, fmt.Errorf("%w: vetoes by %q: want member, year or topic", ErrBadQuery, by)
}

// Years counts each year's meetings, resolutions, drafts and presidential statements.
func (h *History) Years() []YearCount { return h.idx.years }

// Unanimity is the share of resolutions adopted unanimously, overall and by year.
func (h *History) Unanimity() *Unanimity { return &h.idx.unanimity }

// Failed lists the drafts put to the vote and not adopted without a veto, in a year (0: all years).
func (h *History) Failed(year int) []Draft {
	if year == 0 {
		return h.idx.failed
	}
	out := []Draft{}
	for _, d := range h.idx.failed {
		if d.Date[:4] == strconv.Itoa(year) {
			out = append(out, d)
		}
	}
	return out
}

// MeetingsOn lists the meetings whose topic contains the words (case-insensitive; "" for any), in a
// year (0: all years), in date order.
func (h *History) MeetingsOn(topic string, year int) []Meeting {
	topic = strings.ToLower(strings.TrimSpace(topic))
	lo, hi := 0, len(h.Meetings)
	if year != 0 {
		y := strconv.Itoa(year)
		lo, _ = slices.BinarySearchFunc(h.Meetings, y, func(m Meeting, y string) int { return strings.Compare(m.Date[:4], y) })
		hi, _ = slices.BinarySearchFunc(h.Meetings, strconv.Itoa(year+1), func(m Meeting, y string) int { return strings.Compare(m.Date[:4], y) })
	}
	out := []Meeting{}
	for i := lo; i < hi; i++ {
		if topic == "" || strings.Contains(h.idx.topics[i], topic) {
			out = append(out, h.Meetings[i])
		}
	}
	return out
}

// MeetingByKey finds a meeting by its key or record symbol; nil when there is none.
func (h *History) MeetingByKey(key string) *Meeting {
	for i := range h.Meetings {
		if h.Meetings[i].Key == key {
			return &h.Meetings[i]
		}
	}
	for i := range h.Meetings {
		if h.Meetings[i].Symbol == key {
			return &h.Meetings[i]
		}
	}
	return nil
}

// Summary is the record at a glance: where it comes from and what the parse found.
type Summary struct {
	Stream  string   `json:"stream"` // the stream Import writes it to
	Sources []Source `json:"sources"`
	Stats   Stats    `json:"stats"`
}

// Summary is the record's sources and counts.
func (h *History) Summary() *Summary {
	return &Summary{Stream: Stream, Sources: h.Sources, Stats: h.Stats}
}

// sortedKeys are a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
