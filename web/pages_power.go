package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/bodies"
	"github.com/opencouncil/council/councils"
	"github.com/opencouncil/council/power"
	"github.com/opencouncil/council/roster"
)

// The pages of voting power (package power, docs/power.md): GET /power asks the question of GET
// /v1/power with a form — a built-in body's decision on a day, a built-in game, or weights and a
// quota — and GET /c/{council}/power asks it of a council's body on its current day. Each answers with
// the rule in words, whether the figures are exact or estimated, and a horizontal bar chart drawn as
// inline SVG on the server: one group per player with a bar per index (Banzhaf and Shapley-Shubik,
// told apart by pattern as well as colour and named in a legend in text), and under it a table of the
// exact fractions and swings. The work is bounded as the API bounds it (powerBudget, powerMemory,
// powerMaxSamples, powerMaxPlayers), and a question that cannot be read answers 400 with the form as
// it was sent and the field at fault marked.

// powerPages lists the pages of voting power.
func (s *Server) powerPages() []route {
	return []route{
		{"GET", "/power", s.page(s.powerPage)},
		{"GET", "/c/{council}/power", s.page(s.councilPowerPage)},
	}
}

// powerForm is the question as the form shows it, with its choices and the field in error.
type powerForm struct {
	Action  string // where the form goes: /power or a council's page
	Council string // the council asked about; "" on /power, where the game is chosen
	Body    string
	Bodies  []string
	Date    string
	Matter  string
	Matters []string // the decisions of the body's rules on the day, for the matter's suggestions
	Game    string
	Games   []string
	Weights string
	Quota   string
	Index   string
	Indices []powerOption
	Error   *powerFieldError
}

// Bad reports whether a field is the one in error, for its aria-invalid.
func (f powerForm) Bad(field string) bool { return f.Error != nil && f.Error.Field == field }

// powerOption is a choice of a select.
type powerOption struct {
	Value, Label string
	Selected     bool
}

// powerFieldError is a field of the form that cannot be read, with the reason.
type powerFieldError struct {
	Field   string
	Message string
}

// powerIndexChoices are the index select's choices: "" asks for both charted indices.
var powerIndexChoices = []powerOption{
	{Value: "", Label: "Banzhaf and Shapley-Shubik"},
	{Value: "banzhaf", Label: "Banzhaf"},
	{Value: "shapley-shubik", Label: "Shapley-Shubik"},
	{Value: "all", Label: "All indices (the table shows the others)"},
}

// powerPageData is what a power page shows: the form and, when the question could be answered, the
// result and its chart.
type powerPageData struct {
	Page   pageBase
	Form   powerForm
	Result *powerResult
}

// powerResult is a game's result as the page says it in words.
type powerResult struct {
	Game        string
	Rule        string
	Exact       bool
	Method      string
	Samples     int
	Confidence  string // "95%"
	TotalSwings string
	Notes       []string
	Chart       powerChart
}

// powerChart is a horizontal bar chart of the players' power: its geometry, computed here, and the
// table of its figures.
type powerChart struct {
	W, H   int // the viewBox
	Left   float64
	Right  float64
	Top    float64
	Base   float64 // the y of the bottom of the plot
	Defs   []archPattern
	Grid   []archTick
	Bars   []powerBar
	Legend []powerSeries
	Table  powerTable
}

// powerSeries is an index as the legend names it.
type powerSeries struct {
	Key, Name, Fill string
}

// powerBar is one player's group: a row the width of the plot (so hovering anywhere shows its
// title), its label, and a bar per index.
type powerBar struct {
	Player string
	Title  string
	Label  string
	LabelY float64
	RowY   float64
	RowH   float64
	Segs   []powerSeg
}

// powerSeg is one index's bar of a player, with its value written after it and, for an estimate,
// its confidence interval drawn as a whisker.
type powerSeg struct {
	Series       string
	Fill         string
	X, Y, W, H   float64
	TextX, TextY float64
	Text         string
	Whisker      bool
	LowX, HighX  float64
	MidY         float64
}

// powerTable is the chart's figures: a column per figure, a row per player.
type powerTable struct {
	Head []string
	Rows []powerRow
}

// powerRow is a player's figures.
type powerRow struct {
	ID, Name, Class string
	Cells           []string
}

// powerOptions are the bounds of GET /v1/power with its defaults: exact within the server's budget,
// else an estimate of powerMaxSamples samples with seed 1.
func powerOptions(index string) (power.Options, error) {
	opt := power.Options{Indices: power.Standard, Budget: powerBudget, Memory: powerMemory, Samples: powerMaxSamples, Seed: 1}
	if index != "" {
		x, err := power.ParseIndex(index)
		if err != nil {
			return opt, invalidField("index", "%v", err)
		}
		opt.Indices = x
	}
	return opt, nil
}

// weightsQuery turns the form's weights, a line per player ("FRA,4", "FRA 4" or "FRA:4"; or a line
// of the API's "4,4,2" or "FRA:4,DEU:4"), into the API's weights parameter, which powerGame reads.
func weightsQuery(text string) string {
	var parts []string
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.EqualFold(line, "id,weight"):
		case strings.Contains(line, ":") || strings.Count(line, ",") > 1:
			parts = append(parts, line)
		case strings.Contains(line, ","):
			id, w, _ := strings.Cut(line, ",")
			parts = append(parts, strings.TrimSpace(id)+":"+strings.TrimSpace(w))
		default:
			if f := strings.Fields(line); len(f) == 2 {
				parts = append(parts, f[0]+":"+f[1])
			} else {
				parts = append(parts, line)
			}
		}
	}
	return strings.Join(parts, ",")
}

// newPowerForm is the form of /power as a query fills it.
func newPowerForm(q url.Values) powerForm {
	f := powerForm{Action: "/power", Body: q.Get("body"), Bodies: bodies.BuiltinIDs(), Date: q.Get("date"),
		Matter: q.Get("matter"), Game: q.Get("game"), Games: power.BuiltinNames(), Weights: q.Get("weights"),
		Quota: q.Get("quota"), Index: q.Get("index")}
	if f.Body == "" {
		f.Body = "unsc"
	}
	f.Indices = indexChoices(f.Index)
	if b, err := bodies.Builtin(f.Body); err == nil {
		day := council.DateOf(2000, 1, 1)
		if d, err := council.ParseDate(f.Date); err == nil {
			day = d
		} else if _, last := roster.Default().Years(); last > 0 {
			day = council.DateOf(last, 12, 31)
		}
		if era := b.EraOn(day.String()); era != nil {
			f.Matters = decisionNames(era.Decisions)
		}
	}
	return f
}

// indexChoices are the index select's choices with one selected.
func indexChoices(index string) []powerOption {
	out := slices.Clone(powerIndexChoices)
	for i := range out {
		out[i].Selected = out[i].Value == index
	}
	return out
}

// decisionNames are the names of an era's decisions, sorted.
func decisionNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// powerPage answers GET /power: the form, and the power in the game it asks about (the Security
// Council today, substantive decisions, when it asks nothing).
func (s *Server) powerPage(w http.ResponseWriter, r *http.Request, p principal) error {
	q := r.URL.Query()
	form := newPowerForm(q)
	data := powerPageData{Page: s.base(r, p, "Voting power", ""), Form: form}
	// Weights, when given, take the place of the body; then a built-in game.
	body, date, matter, game, weights := form.Body, form.Date, form.Matter, "", ""
	field := "body"
	switch {
	case strings.TrimSpace(form.Weights) != "":
		weights, body, date, matter, field = weightsQuery(form.Weights), "", "", "", "weights"
	case form.Game != "":
		game, body, date, matter, field = form.Game, "", "", "", "game"
	}
	g, err := powerGame(body, matter, date, game, weights, form.Quota)
	if err == nil {
		data.Result, err = powerOf(g, form.Index, field)
	}
	if err != nil {
		return s.powerError(w, data, err)
	}
	return s.render(w, http.StatusOK, "power.html", data)
}

// councilPowerPage answers GET /c/{council}/power: the power in a decision of the council's body
// (its draft's decision unless the query names a matter) among the members sitting on its current
// day, for whoever may read the council.
func (s *Server) councilPowerPage(w http.ResponseWriter, r *http.Request, p principal) error {
	name, err := s.readable(r, p)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	form := powerForm{Action: "/c/" + name + "/power", Council: name, Matter: q.Get("matter"), Index: q.Get("index")}
	form.Indices = indexChoices(form.Index)
	var g *power.Game
	gerr := s.svc.View(r.Context(), name, func(v councils.View) error {
		st := v.State
		day := st.Today
		if day == 0 {
			day = v.Def.Date
		}
		form.Date = day.String()
		era := st.EraOn(day)
		sit, err := st.SittingOn(day)
		if era == nil || err != nil {
			return council.Errorf(council.EINVALID, "%s has no rules or members on %s", name, day)
		}
		form.Matters = decisionNames(era.Decisions)
		matter := form.Matter
		if matter == "" {
			matter = st.Body().DefaultMatter("draft")
		}
		seats := slices.Clone(sit.Members)
		for i := range seats {
			if seats[i].Name == "" {
				seats[i].Name = roster.Default().Name(seats[i].Code, day.Year())
			}
		}
		if g, err = power.FromDecision(era, matter, seats); err != nil {
			return invalidField("matter", "%v", err)
		}
		title := v.Def.Title
		if title == "" {
			title = name
		}
		g.Name = fmt.Sprintf("%s, %s decisions (members of %s)", title, matter, day)
		return nil
	})
	data := powerPageData{Page: s.base(r, p, "Voting power", name), Form: form}
	var fe *fieldError
	switch {
	case errors.As(gerr, &fe):
		return s.powerError(w, data, gerr)
	case gerr != nil:
		return gerr
	}
	if data.Result, err = powerOf(g, form.Index, "matter"); err != nil {
		return s.powerError(w, data, err)
	}
	return s.render(w, http.StatusOK, "power.html", data)
}

// powerError answers a question that cannot be read: 400, the form as it was sent with the field at
// fault named and marked. Any other error goes to the error page.
func (s *Server) powerError(w http.ResponseWriter, data powerPageData, err error) error {
	var fe *fieldError
	if !errors.As(err, &fe) {
		return err
	}
	data.Form.Error = &powerFieldError{Field: fe.field, Message: council.ErrorMessage(err)}
	data.Result = nil
	return s.render(w, http.StatusBadRequest, "power.html", data)
}

// powerOf computes a game's power within the API's bounds and lays it out for the page; field is the
// form's field to blame when the game cannot be computed.
func powerOf(g *power.Game, index, field string) (*powerResult, error) {
	opt, err := powerOptions(index)
	if err != nil {
		return nil, err
	}
	if len(g.Players) > powerMaxPlayers {
		return nil, invalidField(field, "at most %d players", powerMaxPlayers)
	}
	res, err := power.Compute(g, opt)
	if err != nil {
		return nil, invalidField(field, "%v", err)
	}
	rep := res.Report()
	out := &powerResult{Game: rep.Game, Rule: rep.Rule, Exact: rep.Exact, Method: rep.Method, TotalSwings: rep.TotalSwings,
		Notes: rep.Notes, Chart: powerChartOf(rep)}
	if e := rep.Estimate; e != nil {
		out.Samples = e.Samples
		out.Confidence = percent(e.Confidence)
	}
	return out, nil
}

// powerIndex is an index the chart or the table shows: its JSON name, its name for people and its
// value in a player's report.
type powerIndex struct {
	key, name string
	value     func(*power.PlayerReport) *float64
	pattern   archPattern
}

// powerIndices are the indices in the order the chart and the table show them; the chart draws the
// first two (Banzhaf in blue, plain; Shapley-Shubik in orange, hatched), the table every one computed.
var powerIndices = []powerIndex{
	{"banzhaf", "Banzhaf", func(p *power.PlayerReport) *float64 { return p.Banzhaf }, archPattern{ID: "pat-banzhaf", Fill: "#0072B2"}},
	{"shapley_shubik", "Shapley-Shubik", func(p *power.PlayerReport) *float64 { return p.ShapleyShubik },
		archPattern{ID: "pat-shapley", Fill: "#E69F00", Path: "M0 6L6 0M-1 1L1 -1M5 7L7 5"}},
	{"absolute_banzhaf", "absolute Banzhaf", func(p *power.PlayerReport) *float64 { return p.AbsoluteBanzhaf }, archPattern{}},
	{"deegan_packel", "Deegan-Packel", func(p *power.PlayerReport) *float64 { return p.DeeganPackel }, archPattern{}},
	{"public_good", "Public Good", func(p *power.PlayerReport) *float64 { return p.PublicGood }, archPattern{}},
	{"johnston", "Johnston", func(p *power.PlayerReport) *float64 { return p.Johnston }, archPattern{}},
}

// Power chart geometry, in the viewBox's units.
const (
	powerWidth  = 640.0
	powerTop    = 22.0 // room for the value axis's labels
	powerBarH   = 10.0
	powerBarGap = 2.0
	powerRowPad = 8.0
	powerRight  = 56.0 // room for the last bar's value
)

// powerChartOf lays out the chart and the table of a report.
func powerChartOf(rep *power.Report) powerChart {
	var charted, tabled []powerIndex
	for _, x := range powerIndices {
		if len(rep.Players) > 0 && x.value(&rep.Players[0]) != nil {
			tabled = append(tabled, x)
			if x.pattern.ID != "" {
				charted = append(charted, x)
			}
		}
	}
	c := powerChart{Top: powerTop}
	longest := 0
	high := 0.0
	for i := range rep.Players {
		longest = max(longest, len(rep.Players[i].ID))
		for _, x := range charted {
			v := *x.value(&rep.Players[i])
			if iv, ok := rep.Players[i].Interval[x.key]; ok {
				v = max(v, iv[1])
			}
			high = max(high, v)
		}
	}
	c.Left = min(max(float64(longest)*7.5+12, 40), 180)
	c.Right = powerWidth - powerRight
	c.W = int(powerWidth)
	rowH := float64(len(charted))*(powerBarH+powerBarGap) - powerBarGap + powerRowPad
	c.Base = powerTop + rowH*float64(len(rep.Players))
	c.H = int(math.Ceil(c.Base + 6))
	step, top := percentScale(high)
	unit := (c.Right - c.Left) / top
	for k := 0; float64(k)*step <= top+1e-9; k++ {
		v := float64(k) * step
		label := strconv.FormatFloat(math.Round(v*1e5)/1e3, 'f', -1, 64) + "%"
		c.Grid = append(c.Grid, archTick{X: round1(c.Left + v*unit), Y: powerTop - 6, Label: label})
	}
	for _, x := range charted {
		c.Defs = append(c.Defs, x.pattern)
		c.Legend = append(c.Legend, powerSeries{Key: x.key, Name: x.name, Fill: "url(#" + x.pattern.ID + ")"})
	}
	for i := range rep.Players {
		pr := &rep.Players[i]
		y := powerTop + rowH*float64(i)
		b := powerBar{Player: pr.ID, Label: pr.ID, RowY: round1(y), RowH: round1(rowH), LabelY: round1(y + rowH/2)}
		who := pr.ID
		if pr.Name != "" && pr.Name != pr.ID {
			who = pr.Name + " (" + pr.ID + ")"
		}
		var parts []string
		for k, x := range charted {
			v := *x.value(pr)
			sy := y + powerRowPad/2 + float64(k)*(powerBarH+powerBarGap)
			w := v * unit
			sg := powerSeg{Series: x.key, Fill: "url(#" + x.pattern.ID + ")", X: c.Left, Y: round1(sy), W: round1(w), H: powerBarH,
				TextX: round1(c.Left + w + 4), TextY: round1(sy + powerBarH/2), Text: percent(v)}
			part := x.name + " " + percent(v)
			if iv, ok := pr.Interval[x.key]; ok {
				sg.Whisker, sg.LowX, sg.HighX, sg.MidY = true, round1(c.Left+iv[0]*unit), round1(c.Left+iv[1]*unit), sg.TextY
				sg.TextX = round1(max(sg.TextX, sg.HighX+4))
				part += fmt.Sprintf(" (%s to %s)", percent(iv[0]), percent(iv[1]))
			} else if f := pr.Exact[x.key]; f != "" {
				part += " = " + f
			}
			parts = append(parts, part)
			b.Segs = append(b.Segs, sg)
		}
		b.Title = who + ": " + strings.Join(parts, "; ")
		c.Bars = append(c.Bars, b)
	}
	c.Table = powerTableOf(rep, tabled)
	return c
}

// powerTableOf is the table of a report's figures: each player's class, weight and swings, and each
// index computed as a percentage with its exact fraction or, for an estimate, its interval.
func powerTableOf(rep *power.Report, indices []powerIndex) powerTable {
	t := powerTable{Head: []string{"Class", "Weight"}}
	swings := rep.TotalSwings != ""
	if swings {
		t.Head = append(t.Head, "Swings")
	}
	for _, x := range indices {
		t.Head = append(t.Head, x.name)
	}
	for i := range rep.Players {
		pr := &rep.Players[i]
		row := powerRow{ID: pr.ID, Name: pr.Name, Class: pr.Class, Cells: []string{pr.Class, strconv.FormatInt(pr.Weight, 10)}}
		if pr.Veto {
			row.Cells[0] += " (veto)"
		}
		if swings {
			row.Cells = append(row.Cells, pr.Swings)
		}
		for _, x := range indices {
			cell := percent(*x.value(pr))
			if f := pr.Exact[x.key]; f != "" {
				cell += " = " + f
			} else if iv, ok := pr.Interval[x.key]; ok {
				cell += fmt.Sprintf(" (%s to %s)", percent(iv[0]), percent(iv[1]))
			}
			row.Cells = append(row.Cells, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// percentScale finds the value axis of a chart whose largest value is high (a share, 0 to 1): the
// step between lines and the value of the last line.
func percentScale(high float64) (step, top float64) {
	for _, s := range []float64{0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2} {
		if high <= 5*s {
			return s, max(s, math.Ceil(high/s-1e-9)*s)
		}
	}
	return 0.25, 1
}

// percent writes a share as a percentage: "19.6%", "0.45%", "0%".
func percent(v float64) string {
	switch p := v * 100; {
	case p == 0:
		return "0%"
	case math.Abs(p) < 1:
		return strconv.FormatFloat(p, 'f', 2, 64) + "%"
	default:
		return strconv.FormatFloat(p, 'f', 1, 64) + "%"
	}
}
