package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are what /metrics exposes, on a registry of the server's own (several servers in one test
// process must not share counters).
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	commands *prometheus.CounterVec
	appends  prometheus.Counter
	handler  http.Handler
}

func newMetrics(subscribers func() float64) *metrics {
	r := prometheus.NewRegistry()
	m := &metrics{
		registry: r,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "council_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "council_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "council_commands_total", Help: "Commands by kind and outcome (accepted, replayed, refused, forbidden, error).",
		}, []string{"kind", "outcome"}),
		appends: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "council_appends_total", Help: "Events appended durably to council streams by this server.",
		}),
	}
	r.MustRegister(m.requests, m.latency, m.commands, m.appends,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "council_sse_subscribers", Help: "Live event-stream subscribers connected to this server.",
		}, subscribers),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(r, promhttp.HandlerOpts{Registry: r})
	return m
}

// observe counts a finished request.
func (m *metrics) observe(route string, status int, took time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(took.Seconds())
}
