package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opencouncil/council"
	"github.com/opencouncil/council/access"
)

// TestPowerPages fetches the pages of voting power as plain HTTP, without JavaScript: the Security
// Council by default, with a bar per member and the exact Shapley-Shubik index of a permanent member
// in the table; the EEC of 1958 from weights, where Luxembourg has no power; a council's page for its
// reader and not for an anonymous visitor of a private council; and a bad quota, refused naming the
// field.
func TestPowerPages(t *testing.T) {
	ts := MustServe(t)

	page := ts.mustPage(http.StatusOK, "/power", "")
	if htmlFind(t, page, "form", "id", "power-form", "method", "get", "action", "/power") == nil {
		t.Errorf("no GET form #power-form to /power")
	}
	if n := htmlCount(t, page, "power-chart", "g", "data-player", "*"); n != 15 {
		t.Errorf("the chart has %d bars, want 15", n)
	}
	if n := htmlCount(t, page, "power-chart", "rect", "data-series", "shapley_shubik"); n != 15 {
		t.Errorf("the chart has %d Shapley-Shubik bars, want 15", n)
	}
	if n := htmlCount(t, page, "power-chart-legend", "li", "data-series", "*"); n != 2 {
		t.Errorf("the legend names %d indices, want 2", n)
	}
	table := element(t, page, "table", "power-table")
	if !strings.Contains(table, "421/2145") {
		t.Errorf("the table has no 421/2145: %.3000s", table)
	}
	if !strings.Contains(page, `data-exact="true"`) || !strings.Contains(page, "including all 5 permanent members") {
		t.Errorf("the page does not say the figures are exact, or the rule in words")
	}

	q := url.Values{"weights": {"FRA,4\nDEU,4\nITA,4\nBEL,2\nNLD,2\nLUX,1"}, "quota": {"12"}}
	page = ts.mustPage(http.StatusOK, "/power?"+q.Encode(), "")
	if n := htmlCount(t, page, "power-chart", "g", "data-player", "*"); n != 6 {
		t.Errorf("the EEC chart has %d bars, want 6", n)
	}
	i := strings.Index(page, `<g class="bar" data-player="LUX"`)
	if i < 0 || !strings.Contains(page[i:i+strings.Index(page[i:], "</g>")], `>0%</text>`) {
		t.Errorf("LUX's bar does not read 0%%")
	}
	table = element(t, page, "table", "power-table")
	if !strings.Contains(table, "5/21") {
		t.Errorf("the EEC table has no 5/21: %.3000s", table)
	}

	for _, bad := range []struct{ query, field string }{
		{"weights=FRA%2C4%0ALUX%2C1&quota=lots", "quota"},
		{"weights=FRA%2C4%0ALUX%2C1", "quota"},
		{"date=1900-01-01", "date"},
		{"matter=nonsense", "matter"},
		{"index=sideways", "index"},
		{"weights=FRA%2Cx&quota=1", "weights"},
	} {
		page := ts.mustPage(http.StatusBadRequest, "/power?"+bad.query, "")
		if !strings.Contains(page, "("+bad.field+"):") {
			t.Errorf("%s: the 400 page does not name %s: %.2000s", bad.query, bad.field, element(t, page, "form", "power-form"))
		}
		marked := false
		for _, tag := range []string{"input", "select", "textarea"} {
			marked = marked || htmlFind(t, page, tag, "name", bad.field, "aria-invalid", "true") != nil
		}
		if !marked {
			t.Errorf("%s: the field %s is not marked aria-invalid", bad.query, bad.field)
		}
		if strings.Contains(page, `id="power-chart"`) {
			t.Errorf("%s: a chart for a bad question", bad.query)
		}
	}

	// A private council: its reader sees its power, an anonymous visitor is refused.
	sec := ts.create(CreateCouncil{Name: "pw", Title: "Power, December 2014", Date: council.DateOf(2014, 12, 5)})
	obs := ts.issue("pw", sec, access.Observer, "").Token
	page = ts.mustPage(http.StatusOK, "/c/pw/power", obs)
	if n := htmlCount(t, page, "power-chart", "g", "data-player", "*"); n != 15 {
		t.Errorf("the council's chart has %d bars, want 15", n)
	}
	if htmlFind(t, page, "form", "id", "power-form", "action", "/c/pw/power") == nil {
		t.Errorf("the council's form does not come back to its page")
	}
	if !strings.Contains(element(t, page, "table", "power-table"), "421/2145") {
		t.Errorf("the council's table has no 421/2145")
	}
	page = ts.mustPage(http.StatusOK, "/c/pw/power?matter=procedural&index=banzhaf", obs)
	if n := htmlCount(t, page, "power-chart", "rect", "data-series", "shapley_shubik"); n != 0 {
		t.Errorf("Shapley-Shubik charted when only Banzhaf was asked for")
	}
	ts.mustPage(http.StatusUnauthorized, "/c/pw/power", "")
	ts.mustPage(http.StatusBadRequest, "/c/pw/power?matter=nonsense", obs)
}
