package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The browser tests drive Debian's chromium through chromedp: one headless browser, and a browser
// context of its own (cookies, cache, storage) for each person in the chamber.

// stepTimeout bounds one step in a browser: a navigation, a form posted, a wait for the page.
const stepTimeout = 10 * time.Second

// chromiumPath finds Debian's chromium. Without it the browser tests skip, unless
// COUNCIL_REQUIRE_BROWSER=1 (CI), which makes them fail.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if st, err := os.Stat("/usr/bin/chromium"); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("COUNCIL_REQUIRE_BROWSER") == "1" {
		t.Fatal("COUNCIL_REQUIRE_BROWSER=1 but there is no chromium (/usr/bin/chromium or on PATH): apt-get install -y chromium")
	}
	t.Skip("no chromium (/usr/bin/chromium or on PATH): apt-get install -y chromium, or set COUNCIL_REQUIRE_BROWSER=1 to fail instead")
	return ""
}

// browserOutputDir is where the browser tests write screenshots and figures: $COUNCIL_TEST_OUTPUT, or
// testoutput/browser at the repository's root (ignored by git).
func browserOutputDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("COUNCIL_TEST_OUTPUT")
	if dir == "" {
		dir = filepath.Join("..", "testoutput", "browser") // tests run in web/
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("the test output folder: %v", err)
	}
	return dir
}

// browser is one chromium process.
type browser struct {
	t    *testing.T
	root context.Context // the browser's first tab: the browser lives as long as it
}

// startBrowser starts headless chromium (no sandbox: CI runs as root; no background networking,
// default apps, extensions, sync or first-run screens), logging its output to log. Every context made
// from it stops by the deadline, however a step hangs.
func startBrowser(t *testing.T, exe, log string, deadline time.Duration) *browser {
	t.Helper()
	logFile, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(logFile),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	root, cancelRoot := chromedp.NewContext(allocCtx)
	stop := func() {
		cancelRoot()
		cancelAlloc()
		cancel()
		logFile.Close()
	}
	// The first run starts the browser: no timeout of its own, or the timeout would stop the browser.
	if err := chromedp.Do(root); err != nil {
		stop()
		t.Fatalf("starting chromium (%s): %v (its output: %s)", exe, err, log)
	}
	t.Cleanup(stop)
	return &browser{t: t, root: root}
}

// tab is one person's browser: a browser context of its own (its own cookie jar) with one tab.
type tab struct {
	t   *testing.T
	who string
	ctx context.Context
}

// open makes a new browser context with one tab, for who.
func (b *browser) open(who string) *tab {
	b.t.Helper()
	tb, err := b.openErr(who)
	if err != nil {
		b.t.Fatalf("%s's browser: %v", who, err)
	}
	return tb
}

// openErr is open for a goroutine of the test's: it answers an error rather than failing the test.
func (b *browser) openErr(who string) (*tab, error) {
	ctx, cancel := chromedp.NewContext(b.root, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx); err != nil { // creates the context and its tab; the browser's deadline bounds it
		cancel()
		return nil, fmt.Errorf("opening a browser context: %w", err)
	}
	b.t.Cleanup(cancel) // before the browser stops: cleanups run last-in first-out
	return &tab{t: b.t, who: who, ctx: ctx}, nil
}

// signedIn opens browsers for several people at once, each signed in with its token and left on a
// blank page; wantPath is where the sign-in must land. At most four sign in at a time.
func (b *browser) signedIn(base, wantPath string, tokens map[string]string) map[string]*tab {
	b.t.Helper()
	var (
		mu   sync.Mutex
		tabs = map[string]*tab{}
		errs []string
		wg   sync.WaitGroup
		sem  = make(chan struct{}, 4)
	)
	for who, token := range tokens {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			tb, err := b.openErr(who)
			if err == nil {
				err = tb.signInErr(base, token, wantPath)
			}
			if err == nil {
				err = tb.parkErr()
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Sprintf("%s's browser: %v", who, err))
				return
			}
			tabs[who] = tb
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		slices.Sort(errs)
		b.t.Fatalf("signing in:\n%s", strings.Join(errs, "\n"))
	}
	return tabs
}

// fail stops the test on a step that went wrong, saying whose browser, which step, and what its page
// shows.
func (tb *tab) fail(step string, err error) {
	tb.t.Helper()
	tb.trace("FAILED " + step)
	tb.t.Fatalf("%s's browser: %s: %v%s", tb.who, step, err, tb.diagnose())
}

// traceSteps logs every step with its time when COUNCIL_BROWSER_TRACE=1.
var traceSteps = os.Getenv("COUNCIL_BROWSER_TRACE") == "1"

// trace logs a step of the tab's, with the time of day.
func (tb *tab) trace(step string) {
	if traceSteps {
		tb.t.Logf("%s %s: %s", time.Now().Format("15:04:05.000"), tb.who, step)
	}
}

// diagnose says where the tab is and what its page says, for a failure message.
func (tb *tab) diagnose() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const e = document.querySelector('#form-error');
		const body = document.body ? document.body.innerText.replace(/\s+/g, ' ').slice(0, 600) : '';
		return location.href + (e && e.textContent.trim() ? '\n  #form-error: ' + e.textContent.trim() : '') + '\n  page text: ' + body;
	})()`))
	if err != nil {
		return ""
	}
	return "\n  at " + s
}

// evalIn evaluates a JavaScript expression in the tab's page and decodes its value.
func evalIn[T any](tb *tab, step, js string, opts ...chromedp.EvaluateOption) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		tb.fail(step, err)
	}
	return v
}

// waitFor waits until a JavaScript predicate holds in the tab's page, for at most limit; on a
// timeout the failure shows what the expression state says.
func (tb *tab) waitFor(step, predicate, state string, limit time.Duration) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, limit+2*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](predicate,
		chromedp.WithPollingInterval(5*time.Millisecond), chromedp.WithPollingTimeout(limit)))
	if err != nil {
		if errors.Is(err, chromedp.ErrPollingTimeout) {
			err = fmt.Errorf("not within %v", limit)
		}
		if state != "" {
			sctx, scancel := context.WithTimeout(tb.ctx, 2*time.Second)
			s, serr := chromedp.Run(sctx, chromedp.Evaluate[string](state))
			scancel()
			if serr == nil {
				err = fmt.Errorf("%w; the page shows: %s", err, s)
			}
		}
		tb.fail(step, err)
	}
}

// navigate loads a page and checks it answered 2xx.
func (tb *tab) navigate(step, url string) *network.Response {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	tb.trace("navigate: " + step)
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		tb.fail(step, err)
	}
	if resp == nil || resp.Status >= 300 {
		status := int64(0)
		if resp != nil {
			status = resp.Status
		}
		tb.fail(step, fmt.Errorf("GET %s: status %d (response %+v)", url, status, resp))
	}
	return resp
}

// park leaves the tab on a blank page while its person has nothing to do, so that it does not
// follow the council's events meanwhile (the machine running the test has few cores; the people
// in a real chamber each have their own).
func (tb *tab) park() {
	tb.t.Helper()
	if err := tb.parkErr(); err != nil {
		tb.fail("leave the page", err)
	}
}

func (tb *tab) parkErr() error {
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	return chromedp.Do(ctx, chromedp.Navigate("about:blank"))
}

// loadAfter runs an action that posts a form (a click) and waits for the page that answers; the answer
// must be 2xx (after redirects) with no error in #form-error.
func (tb *tab) loadAfter(step string, action chromedp.Action[chromedp.Void]) *network.Response {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	tb.trace("post: " + step)
	resp, err := chromedp.RunResponse(ctx, action)
	if err != nil {
		tb.fail(step, err)
	}
	if resp == nil || resp.Status >= 300 {
		status := int64(0)
		if resp != nil {
			status = resp.Status
		}
		tb.fail(step, fmt.Errorf("the answer has status %d", status))
	}
	if msg := evalIn[string](tb, step+": read #form-error", `((document.querySelector('#form-error') || {}).textContent || '').trim()`); msg != "" {
		tb.fail(step, fmt.Errorf("the page shows an error in #form-error: %q", msg))
	}
	return resp
}

// signIn signs the tab in through the index page's form with a token; the server must answer with
// the page wantPath (a redirect after the post), unless wantPath is "".
func (tb *tab) signIn(base, token, wantPath string) {
	tb.t.Helper()
	if err := tb.signInErr(base, token, wantPath); err != nil {
		tb.fail("sign in", err)
	}
}

// signInErr is signIn for a goroutine of the test's: it answers an error rather than failing the test.
func (tb *tab) signInErr(base, token, wantPath string) error {
	tb.trace("sign in")
	ctx, cancel := context.WithTimeout(tb.ctx, 2*stepTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(base+"/"))
	if err != nil || resp.Status != http.StatusOK {
		return fmt.Errorf("open the index page: %v (response %+v)", err, resp)
	}
	err = chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS(`form#signin[method="post"][action="/signin"] input#token[name="token"][type="password"]`)),
		chromedp.SetValue(chromedp.CSS(`form#signin input#token`), token))
	if err != nil {
		return fmt.Errorf("type the token into form#signin input#token: %w", err)
	}
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form#signin :is(button:not([type]), button[type="submit"], input[type="submit"])`)))
	if err != nil || resp.Status >= 300 {
		return fmt.Errorf("post the sign-in form: %v (response %+v)", err, resp)
	}
	if got := strings.TrimPrefix(resp.URL, base); wantPath != "" && got != wantPath {
		return fmt.Errorf("signed in, landed on %s, want %s", got, wantPath)
	}
	return nil
}

// fillFormJS finds the form posting to /act/KIND whose hidden fields agree with the values given,
// sets its visible fields, and marks it data-browser-test for the click; it answers {error} when the
// page has no such form or a field refuses its value. Optional fields are set only when the form has
// them.
const fillFormJS = `(kind, fields, optional) => {
	const all = Object.assign({}, optional, fields);
	const forms = [...document.querySelectorAll('form')].filter(f => (f.getAttribute('action') || '').endsWith('/act/' + kind));
	const describe = () => forms.map(f => f.getAttribute('action') + ' [' + [...f.elements].filter(e => e.name).map(e => e.name + (e.type === 'hidden' ? '=' + e.value : '')).join(', ') + ']').join('; ');
	if (!forms.length) {
		return {error: 'no form[action$="/act/' + kind + '"] on ' + location.pathname + ' (its forms post to: ' + [...document.forms].map(f => f.getAttribute('action')).join(', ') + ')'};
	}
	const agrees = f => Object.entries(all).every(([k, v]) => {
		const el = f.elements.namedItem(k);
		return !el || !(el instanceof HTMLInputElement) || el.type !== 'hidden' || el.value === v;
	});
	const form = forms.find(agrees);
	if (!form) {
		return {error: 'no ' + kind + ' form has the hidden fields ' + JSON.stringify(all) + ': ' + describe()};
	}
	const missing = [];
	for (const [k, v] of Object.entries(all)) {
		let el = form.elements.namedItem(k);
		if (!el) {
			if (k in fields) missing.push(k);
			continue;
		}
		if (el instanceof RadioNodeList) {
			const radio = [...el].find(x => x.type === 'radio' && x.value === v);
			if (radio) { radio.checked = true; continue; }
			el = el[0];
		}
		if (el.type === 'hidden') continue;
		if (el.tagName === 'SELECT' && ![...el.options].some(o => o.value === v)) {
			return {error: 'the ' + kind + ' form\'s ' + k + ' has no option ' + v + ' (options: ' + [...el.options].map(o => o.value).join(', ') + ')'};
		}
		el.value = v;
		el.dispatchEvent(new Event('input', {bubbles: true}));
		el.dispatchEvent(new Event('change', {bubbles: true}));
		if (el.value !== v) {
			return {error: 'the ' + kind + ' form\'s ' + k + ' does not take ' + JSON.stringify(v) + ' (it holds ' + JSON.stringify(el.value) + ')'};
		}
	}
	if (missing.length) {
		return {error: 'the ' + kind + ' form has no field ' + missing.join(', ') + ': ' + describe()};
	}
	if (!form.querySelector('button:not([type]), button[type="submit"], input[type="submit"]')) {
		return {error: 'the ' + kind + ' form has no submit button'};
	}
	document.querySelectorAll('form[data-browser-test]').forEach(f => f.removeAttribute('data-browser-test'));
	form.setAttribute('data-browser-test', '');
	return {error: ''};
}`

// hasForm reports whether the tab's page has a form posting to /act/KIND.
func (tb *tab) hasForm(kind string) bool {
	tb.t.Helper()
	return evalIn[bool](tb, "look for the "+kind+" form", fmt.Sprintf(`!!document.querySelector('form[action$="/act/%s"]')`, kind))
}

// act fills the console's form posting to /act/KIND and clicks its submit button, as a person does,
// in one step in the page (the pages swap their live parts as events come, so a form found in one
// step may be gone by the next); it returns the time just before the click.
func (tb *tab) act(kind string, fields, optional map[string]string) time.Time {
	tb.t.Helper()
	if optional == nil {
		optional = map[string]string{}
	}
	args, err := json.Marshal([]any{kind, fields, optional})
	if err != nil {
		tb.t.Fatal(err)
	}
	js := `(() => {
		const res = (` + fillFormJS + `)(...` + string(args) + `);
		if (!res.error) document.querySelector('form[data-browser-test]').querySelector('button:not([type]), button[type="submit"], input[type="submit"]').click();
		return res;
	})()`
	return tb.clickJS(fmt.Sprintf("%s %v", kind, fields), js)
}

// clickJS runs a script that clicks a submit button in the page, or answers {error}, and waits for
// the page that answers the form; it returns the time just before the script ran.
func (tb *tab) clickJS(step, js string) time.Time {
	tb.t.Helper()
	var at time.Time
	tb.loadAfter(step, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		at = time.Now()
		res, err := chromedp.Evaluate[struct{ Error string }](js)(ctx, t)
		if err != nil {
			return err
		}
		if res.Error != "" {
			return errors.New(res.Error)
		}
		return nil
	}))
	return at
}

// screenshot writes a full-page PNG of the tab's page to path.
func (tb *tab) screenshot(path string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.fail("screenshot "+filepath.Base(path), err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// pageLoad is what one page load cost: bytes over the wire and Navigation Timing's milestones.
type pageLoad struct {
	URL    string `json:"url"`
	Status int64  `json:"status"`
	// TransferredCDP sums the encoded lengths (headers and bodies) of the requests that finished
	// loading: the document, its CSS and JavaScript (an event stream never finishes, so is not in).
	TransferredCDP int64 `json:"transferred_bytes_cdp"`
	// TransferredPerf sums Resource Timing's transferSize over the document and its resources.
	TransferredPerf int64            `json:"transferred_bytes_performance_api"`
	Requests        []loadedResource `json:"requests"`
	// The milestones, in milliseconds from the navigation's start.
	ResponseEndMS          float64 `json:"response_end_ms"`
	DOMContentLoadedMS     float64 `json:"dom_content_loaded_ms"`
	LoadEventEndMS         float64 `json:"load_event_end_ms"`
	FirstContentfulPaintMS float64 `json:"first_contentful_paint_ms,omitempty"`
	// NavigateWallMS is how long chromedp's navigation took, seen from Go.
	NavigateWallMS float64 `json:"navigate_wall_ms"`
}

type loadedResource struct {
	URL   string `json:"url"`
	Bytes int64  `json:"bytes"`
}

// transferred is the larger of the two byte counts.
func (p pageLoad) transferred() int64 { return max(p.TransferredCDP, p.TransferredPerf) }

// measureLoad loads a page with the cache off and measures it: the bytes of every request that
// finished (from the DevTools network events and from the Performance API) and the Navigation
// Timing milestones.
func (tb *tab) measureLoad(step, url string) pageLoad {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		tb.fail(step+": turn the cache off", err)
	}
	sub, unsubscribe := context.WithCancel(tb.ctx)
	sent := chromedp.Events(sub, network.RequestWillBeSent)
	finished := chromedp.Events(sub, network.LoadingFinished)
	var (
		mu    sync.Mutex
		urls  = map[network.RequestID]string{}
		sizes = map[network.RequestID]float64{}
		order []network.RequestID
		wg    sync.WaitGroup
	)
	wg.Go(func() {
		for ev, err := range sent {
			if err != nil {
				return
			}
			mu.Lock()
			urls[ev.RequestID] = ev.Request.URL
			mu.Unlock()
		}
	})
	wg.Go(func() {
		for ev, err := range finished {
			if err != nil {
				return
			}
			mu.Lock()
			if _, seen := sizes[ev.RequestID]; !seen {
				order = append(order, ev.RequestID)
			}
			sizes[ev.RequestID] = ev.EncodedDataLength
			mu.Unlock()
		}
	})
	start := time.Now()
	resp := tb.navigate(step, url)
	wall := time.Since(start)
	tb.waitFor(step+": the load event ends", `(performance.getEntriesByType('navigation')[0] || {}).loadEventEnd > 0`, "", stepTimeout)
	// First contentful paint comes with the first frame; give it a moment, and do without it if the
	// browser does not report it.
	ctxFCP, cancelFCP := context.WithTimeout(tb.ctx, 2*time.Second)
	_, _ = chromedp.Run(ctxFCP, chromedp.Poll[chromedp.Void](`performance.getEntriesByName('first-contentful-paint').length > 0`,
		chromedp.WithPollingInterval(10*time.Millisecond), chromedp.WithPollingTimeout(time.Second)))
	cancelFCP()
	perf := evalIn[struct {
		Load, DCL, ResponseEnd, FCP, Transfer float64
		Resources                             []struct {
			Name     string
			Transfer float64
		}
	}](tb, step+": read Navigation Timing", `(() => {
		const n = performance.getEntriesByType('navigation')[0];
		const fcp = performance.getEntriesByName('first-contentful-paint')[0];
		return {
			Load: n.loadEventEnd - n.startTime, DCL: n.domContentLoadedEventEnd - n.startTime,
			ResponseEnd: n.responseEnd - n.startTime, FCP: fcp ? fcp.startTime : 0, Transfer: n.transferSize,
			Resources: performance.getEntriesByType('resource').map(r => ({Name: r.name, Transfer: r.transferSize})),
		};
	})()`)
	time.Sleep(100 * time.Millisecond) // the last network events may trail the load event
	unsubscribe()
	wg.Wait()
	_, _ = chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: false})

	p := pageLoad{URL: url, Status: resp.Status, ResponseEndMS: perf.ResponseEnd, DOMContentLoadedMS: perf.DCL,
		LoadEventEndMS: perf.Load, FirstContentfulPaintMS: perf.FCP, NavigateWallMS: float64(wall.Microseconds()) / 1000,
		TransferredPerf: int64(perf.Transfer)}
	for _, r := range perf.Resources {
		p.TransferredPerf += int64(r.Transfer)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, id := range order {
		p.TransferredCDP += int64(sizes[id])
		p.Requests = append(p.Requests, loadedResource{URL: urls[id], Bytes: int64(sizes[id])})
	}
	return p
}

// percentile is the nearest-rank percentile of values (sorted in place).
func percentile(values []float64, q float64) float64 {
	if len(values) == 0 {
		return 0
	}
	slices.Sort(values)
	i := int(math.Ceil(q*float64(len(values)))) - 1
	return values[min(max(i, 0), len(values)-1)]
}
