package web

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/opencouncil/council/history"
)

// The archive's overview (GET /archive): the record's counts, the check, two what-ifs, and two charts:
// bar charts drawn as inline SVG on the server, one bar per year of the record.
// Each bar is a group with a <title> (a tooltip, and the bar's name for a screen reader), each series
// has a pattern as well as a colour and is named in a legend in text, and a table under the chart
// gives the same figures.

// archChart is a bar chart: its geometry, computed here, and the table of its figures.
type archChart struct {
	ID      string // the figure's id
	Title   string
	Caption string
	W, H    int // the viewBox
	Left    float64
	Right   float64
	Base    float64 // the y of the axis
	Plot    float64 // the plot's height
	Defs    []archPattern
	Grid    []archTick // the value axis: a line and a label at each step
	Axis    []archTick // the years labelled under the bars
	Bars    []archBar
	Legend  []archSeries
	Table   archTable
}

// archPattern is a series' fill: a colour and, but for the first, lines or dots over it.
type archPattern struct {
	ID   string
	Fill string
	Path string // "" for a plain fill
}

// archTick is a labelled place on an axis.
type archTick struct {
	X, Y  float64
	Label string
}

// archBar is one year's bar: a column the width of its slot (so hovering anywhere shows its title) and
// its segments, stacked from the axis.
type archBar struct {
	Year  int
	Title string
	X, W  float64 // the segments'
	SlotX float64
	SlotW float64
	Top   float64 // the plot's top, for the column
	Segs  []archSeg
}

// archSeg is a segment of a bar.
type archSeg struct {
	Y, H   float64
	Fill   string
	Series string
}

// archSeries is a series as the legend names it.
type archSeries struct {
	Code  string
	Name  string
	Fill  string
	Total int
	Link  string
}

// archTable is a table of figures: a header, one row per year, a footer of totals.
type archTable struct {
	Caption string
	Head    []archColumn
	Rows    []archRow
	Foot    archRow
}

// archColumn is a column of a table: its heading, and the member it counts ("" for none).
type archColumn struct {
	Text, Member string
}

// archRow is a row of figures, headed by its year (or "Total").
type archRow struct {
	Head  string
	Cells []string
}

// Chart geometry, in the viewBox's units.
const (
	chartSlot   = 10.0 // a year's width
	chartBar    = 8.0  // a bar's width
	chartLeft   = 40.0
	chartTop    = 14.0
	chartPlot   = 200.0 // the plot's height
	chartBottom = 30.0
)

// memberFills are the permanent members' colours (the Okabe–Ito palette, legible to colour-blind
// readers) and patterns, so that no series is told apart by colour alone.
var memberFills = map[string]archPattern{
	"SUN": {Fill: "#D55E00"},
	"USA": {Fill: "#0072B2", Path: "M0 1.5H6M0 4.5H6"},
	"RUS": {Fill: "#E69F00", Path: "M0 6L6 0M-1 1L1 -1M5 7L7 5"},
	"GBR": {Fill: "#009E73", Path: "M1.5 1.5h.01M4.5 4.5h.01"},
	"CHN": {Fill: "#CC79A7", Path: "M0 0L6 6M6 0L0 6"},
	"FRA": {Fill: "#56B4E9", Path: "M1.5 0V6M4.5 0V6"},
}

// scale finds the value axis of a chart whose largest value is top: the step between lines and the
// value of the highest line.
func scale(top int) (step, high int) {
	for _, s := range []int{1, 2, 5, 10, 20, 25, 50, 100, 200, 500} {
		if top <= 5*s {
			return s, max(s, (top+s-1)/s*s)
		}
	}
	return 1000, (top + 999) / 1000 * 1000
}

// round1 keeps one decimal, so the SVG stays short.
func round1(x float64) float64 { return math.Round(x*10) / 10 }

// newChart lays out a chart of one bar per year with stacked series.
func newChart(id string, years []int, values func(i int) []int, high int) archChart {
	c := archChart{ID: id, Left: chartLeft, Base: chartTop + chartPlot, Plot: chartPlot}
	c.W = int(chartLeft + chartSlot*float64(len(years)) + 10)
	c.H = int(chartTop + chartPlot + chartBottom)
	c.Right = float64(c.W) - 10
	step, top := scale(high)
	unit := chartPlot / float64(top)
	for v := 0; v <= top; v += step {
		c.Grid = append(c.Grid, archTick{X: chartLeft - 4, Y: round1(c.Base - float64(v)*unit), Label: strconv.Itoa(v)})
	}
	for i, y := range years {
		x := chartLeft + chartSlot*float64(i)
		if y%10 == 0 || i == 0 {
			c.Axis = append(c.Axis, archTick{X: round1(x + chartSlot/2), Y: c.Base + 16, Label: strconv.Itoa(y)})
		}
		b := archBar{Year: y, X: round1(x + (chartSlot-chartBar)/2), W: chartBar, SlotX: x, SlotW: chartSlot, Top: chartTop}
		sum := 0
		for _, v := range values(i) {
			if v > 0 {
				h := float64(v) * unit
				b.Segs = append(b.Segs, archSeg{Y: round1(c.Base - float64(sum)*unit - h), H: round1(h)})
			} else {
				b.Segs = append(b.Segs, archSeg{}) // kept in place so series line up; not drawn
			}
			sum += v
		}
		c.Bars = append(c.Bars, b)
	}
	// The first year's label would crowd the next decade's when they are close.
	if len(c.Axis) > 1 && c.Axis[1].X-c.Axis[0].X < 60 {
		c.Axis = c.Axis[1:]
	}
	return c
}

// vetoChart is vetoes per year, stacked by the vetoing member: a draft two members vetoed counts once
// for each, as the veto list counts vetoes cast.
func (a *archive) vetoChart() archChart {
	yearsOf := a.h.Years()
	years := make([]int, len(yearsOf))
	row := map[int]int{}
	for i, y := range yearsOf {
		years[i] = y.Year
		row[y.Year] = i
	}
	byMember, _ := a.h.VetoCounts("member")
	col := map[string]int{}
	for k, m := range byMember {
		col[m.Member] = k
	}
	cast := make([][]int, len(years))
	drafts := make([]int, len(years))
	for i := range cast {
		cast[i] = make([]int, len(byMember))
	}
	for _, v := range a.h.Vetoes {
		y, _ := strconv.Atoi(v.Date[:4])
		i, ok := row[y]
		if !ok {
			continue // after the meetings table's last year: counted in the totals, not charted
		}
		drafts[i]++
		for _, c := range v.Members {
			cast[i][col[c]]++
		}
	}
	high := 0
	for i := range cast {
		high = max(high, sum(cast[i]))
	}
	c := newChart("chart-vetoes", years, func(i int) []int { return cast[i] }, high)
	c.Title = fmt.Sprintf("Vetoes cast per year, %d–%d, by vetoing member.", years[0], years[len(years)-1])
	c.Caption = "Each bar stacks the vetoes of each permanent member that year; a draft vetoed by two members counts once for each. Hover over a bar, or open the table, for the figures."
	c.Table = archTable{Caption: "Drafts vetoed and vetoes cast per year, by member",
		Head: []archColumn{{Text: "Year"}, {Text: "Drafts vetoed"}, {Text: "Vetoes cast"}}}
	for _, m := range byMember {
		p := memberFills[m.Member]
		p.ID = "pat-" + m.Member
		if p.Fill == "" {
			p.Fill = "#777777"
		}
		c.Defs = append(c.Defs, p)
		c.Legend = append(c.Legend, archSeries{Code: m.Member, Name: a.memberName(m.Member, a.last), Fill: "url(#" + p.ID + ")",
			Total: m.Vetoes, Link: "/archive/members/" + m.Member})
		c.Table.Head = append(c.Table.Head, archColumn{Text: a.memberName(m.Member, a.last), Member: m.Member})
	}
	totals := make([]int, len(byMember)+2)
	for i := range c.Bars {
		b := &c.Bars[i]
		var parts []string
		for k := range b.Segs {
			b.Segs[k].Fill, b.Segs[k].Series = c.Legend[k].Fill, c.Legend[k].Code
			if n := cast[i][k]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", c.Legend[k].Name, n))
			}
		}
		n := sum(cast[i])
		switch {
		case n == 0:
			b.Title = fmt.Sprintf("%d: no veto", b.Year)
		default:
			b.Title = fmt.Sprintf("%d: %s on %s — %s", b.Year, plural(n, "veto", "vetoes"), plural(drafts[i], "draft", "drafts"), strings.Join(parts, ", "))
		}
		cells := []string{strconv.Itoa(drafts[i]), strconv.Itoa(n)}
		totals[0] += drafts[i]
		totals[1] += n
		for k, v := range cast[i] {
			cells = append(cells, strconv.Itoa(v))
			totals[k+2] += v
		}
		c.Table.Rows = append(c.Table.Rows, archRow{Head: strconv.Itoa(b.Year), Cells: cells})
	}
	c.Table.Foot = archRow{Head: "Total"}
	for _, t := range totals {
		c.Table.Foot.Cells = append(c.Table.Foot.Cells, strconv.Itoa(t))
	}
	return c
}

// resolutionChart is resolutions adopted per year.
func (a *archive) resolutionChart() archChart {
	ys := a.h.Years()
	years := make([]int, len(ys))
	high := 0
	for i, y := range ys {
		years[i] = y.Year
		high = max(high, y.Resolutions)
	}
	c := newChart("chart-resolutions", years, func(i int) []int { return []int{ys[i].Resolutions} }, high)
	c.Title = fmt.Sprintf("Resolutions adopted per year, %d–%d.", years[0], years[len(years)-1])
	c.Caption = fmt.Sprintf("The meetings table ends on %s, so %d is half a year. Hover over a bar, or open the table, for the figures.",
		archDate(a.h.Stats.Last), years[len(years)-1])
	c.Defs = []archPattern{{ID: "pat-res", Fill: "#0072B2"}}
	c.Table = archTable{Caption: "Meetings and what they decided, per year",
		Head: []archColumn{{Text: "Year"}, {Text: "Meetings"}, {Text: "Resolutions"}, {Text: "Unanimous"},
			{Text: "Without a vote"}, {Text: "Drafts not adopted"}, {Text: "Drafts vetoed"}, {Text: "Presidential statements"}}}
	var totals [7]int
	for i := range c.Bars {
		y := ys[i]
		b := &c.Bars[i]
		b.Segs[0].Fill, b.Segs[0].Series = "url(#pat-res)", "res"
		b.Title = fmt.Sprintf("%d: %s (%d unanimous), %s", y.Year, plural(y.Resolutions, "resolution", "resolutions"), y.Unanimous,
			plural(y.Meetings, "meeting", "meetings"))
		vals := []int{y.Meetings, y.Resolutions, y.Unanimous, y.WithoutVote, y.NotAdopted, y.Vetoed, y.Statements}
		row := archRow{Head: strconv.Itoa(y.Year)}
		for k, v := range vals {
			row.Cells = append(row.Cells, strconv.Itoa(v))
			totals[k] += v
		}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	c.Table.Foot = archRow{Head: "Total"}
	for _, t := range totals {
		c.Table.Foot.Cells = append(c.Table.Foot.Cells, strconv.Itoa(t))
	}
	return c
}

// sum adds counts up.
func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// plural writes a count with its noun: "1 veto", "3 vetoes".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// archOverview is the overview page's content, built once.
type archOverview struct {
	First, Last   string // the first and last meetings' dates, for people
	FirstYear     int
	LastYear      int
	Stats         history.Stats
	Check         *history.Report
	Disagreements []archDisagreement
	NoVeto        archWhatIfSummary
	Threshold     archWhatIfSummary
	ThresholdRefs []archChange
	Vetoes        archChart
	Resolutions   archChart
	VetoesHTML    template.HTML // the charts, rendered once
	ResultsHTML   template.HTML
	Counts        []archCount
	CheckVotes    string // the check's figures, with thousands separated
	CheckAgree    string
	disagrees     map[archRef]bool
}

// archCount is a figure of the record, with where to see what it counts.
type archCount struct {
	Label, Value, Link string
}

// thousands writes a count with its thousands separated: 9,454.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// archDisagreement is a vote the check does not find as recorded, with its page.
type archDisagreement struct {
	history.Disagreement
	Link string
}

// archWhatIfSummary is the record counted under one of archScenarios: how many votes, how many of
// their decisions change, and those.
type archWhatIfSummary struct {
	Rule           string
	Votes, Changed int
	Changes        []history.Change
}

// archChange is a vote whose outcome a what-if changes, with its page.
type archChange struct {
	history.Change
	Link string
}

// buildOverview computes the overview: counts, the check, two what-ifs and the charts.
func (a *archive) buildOverview() (archOverview, error) {
	h := a.h
	ov := archOverview{First: archDate(h.Stats.First), Last: archDate(h.Stats.Last), FirstYear: a.first, LastYear: a.last,
		Stats: h.Stats, Check: h.Check(), disagrees: map[archRef]bool{}}
	for meeting, ds := range a.byMeeting(h.Check().Disagreements) {
		for j, d := range a.alignDisagreements(meeting, ds) {
			r := archRef{a.meetingAt[meeting], j}
			ov.disagrees[r] = true
			ov.Disagreements = append(ov.Disagreements, archDisagreement{Disagreement: d, Link: a.votePath(r)})
		}
	}
	slices.SortFunc(ov.Disagreements, func(x, y archDisagreement) int {
		return strings.Compare(x.Date+x.Meeting+x.Document, y.Date+y.Meeting+y.Document)
	})
	ov.NoVeto, ov.Threshold = a.summaries[1], a.summaries[2]
	for _, c := range ov.Threshold.Changes {
		ch := archChange{Change: c}
		if r := a.refOfChange(c); r.m >= 0 {
			ch.Link = a.votePath(r)
		}
		ov.ThresholdRefs = append(ov.ThresholdRefs, ch)
	}
	st, k := h.Stats, h.Stats.ByKind
	ov.Counts = []archCount{
		{"Meetings", thousands(st.Meetings), "/archive/meetings"},
		{"Resolutions adopted", thousands(k[history.KindResolution]), "/archive/meetings?kind=resolution"},
		{"Drafts vetoed", thousands(k[history.KindDraftVetoed]), "/archive/meetings?kind=draft-vetoed"},
		{"Drafts not adopted without a veto", thousands(k[history.KindDraftNotAdopted]), "/archive/meetings?kind=draft-not-adopted"},
		{"Presidential statements", thousands(k[history.KindPRST]), "/archive/meetings?kind=prst"},
		{"Rows of the veto list", thousands(st.Vetoes), ""},
		{"Votes recomputed by the rules engine", thousands(ov.Check.Votes), "#check"},
		{"Problems found in the tables", thousands(st.Problems), "/v1/history/problems"},
	}
	ov.CheckVotes, ov.CheckAgree = thousands(ov.Check.Votes), thousands(ov.Check.Agree)
	ov.Vetoes = a.vetoChart()
	ov.Resolutions = a.resolutionChart()
	for _, c := range []struct {
		chart *archChart
		dst   *template.HTML
	}{{&ov.Vetoes, &ov.VetoesHTML}, {&ov.Resolutions, &ov.ResultsHTML}} {
		var buf bytes.Buffer
		if err := templates.ExecuteTemplate(&buf, "archive-chart", c.chart); err != nil {
			return ov, err
		}
		*c.dst = template.HTML(buf.String()) // html/template's own output, escaped as it wrote it
	}
	return ov, nil
}

// refOfChange finds the outcome a what-if's change is about: the first of its meeting with its
// document, kind and tally.
func (a *archive) refOfChange(c history.Change) archRef {
	if i, ok := a.meetingAt[c.Meeting]; ok {
		for j := range a.h.Meetings[i].Outcomes {
			o := &a.h.Meetings[i].Outcomes[j]
			if o.Document == c.Document && o.Kind == c.Kind && o.Tally.String() == c.Tally {
				return archRef{i, j}
			}
		}
	}
	return archRef{-1, -1}
}

// archivePageData is what the overview page shows.
type archivePageData struct {
	Page pageBase
	archOverview
	Search archSearchForm
}

// archivePage is the archive's overview.
func (s *Server) archivePage(w http.ResponseWriter, r *http.Request, p principal) error {
	a, err := theArchive()
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "archive.html", archivePageData{Page: s.archBase(r, p, "Archive of the Security Council"),
		archOverview: a.overview, Search: a.searchForm(archQuery{}, nil)})
}
