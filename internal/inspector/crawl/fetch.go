package crawl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// FetchConfig tunes how requests are made.
type FetchConfig struct {
	// Rate is requests per second per host; 0 is unlimited.
	Rate float64
	// PageTimeout bounds one request, body included (V1: 15 s).
	PageTimeout time.Duration
	// Retries of a transient failure (connection errors, 429, 502–504).
	Retries int
	// Backoff before the first retry, doubled for each next one.
	Backoff time.Duration
	// Connections kept open per host: at least the crawl's concurrency.
	Connections int
	UserAgent   string
	// Transport under the host mapping; http.DefaultTransport's settings,
	// with the address guard, when nil.
	Transport http.RoundTripper
	// Allow are host:port addresses the guard lets through besides the
	// site's own (tests: a second loopback server standing for another site).
	Allow []string
	// Deny are ranges the guard refuses besides loopback, link-local and
	// the cloud metadata addresses: the cluster's Service and Pod ranges
	// and the API server (issue 16, SSRF).
	Deny []netip.Prefix
}

// Fetcher makes the crawl's requests.
type Fetcher struct {
	site *Site
	cfg  FetchConfig
	// client fetches the site's pages: it follows redirects within the
	// site only (a redirect elsewhere is a link to check, not a page of
	// the site); checker checks links and follows any redirect, the
	// address guard refusing what no inspection reaches.
	client   *http.Client
	checker  *http.Client
	mu       sync.Mutex
	limiters map[string]*rate.Limiter
	requests atomic.Int64
	header   http.Header // every request's; read-only
}

// NewFetcher builds a client whose requests to the site carry its public
// Host header, whichever of its addresses a link (or a redirect) used.
func NewFetcher(site *Site, cfg FetchConfig) *Fetcher {
	next := cfg.Transport
	if next == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = max(cfg.Connections, 2)
		t.MaxIdleConns = 4 * t.MaxIdleConnsPerHost
		t.Proxy = nil // a proxy would connect where the guard cannot see
		t.DialContext = newGuard(site, cfg.Allow, cfg.Deny).dialContext
		next = t
	}
	header := http.Header{}
	if cfg.UserAgent != "" {
		header.Set("User-Agent", cfg.UserAgent)
	}
	rt := hostMapper{site: site, next: next}
	return &Fetcher{site: site, cfg: cfg, limiters: map[string]*rate.Limiter{}, header: header,
		client:  &http.Client{Transport: rt, CheckRedirect: sameSiteRedirects(site)},
		checker: &http.Client{Transport: rt}}
}

// maxRedirects is what net/http follows by default.
const maxRedirects = 10

// sameSiteRedirects stops a page's redirects at the site's edge: the
// redirect's response is handed back, and the crawl checks where it
// points to as a link (issue 16: redirects are followed only within the
// site's own domains for crawling).
func sameSiteRedirects(site *Site) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		if !site.SameSite(req.URL) {
			return http.ErrUseLastResponse
		}
		return nil
	}
}

// Close closes the fetcher's idle connections: a run's connections end
// with it, rather than wait on the server for their idle timeout (with a
// goroutine each on both ends, that every garbage collection scans).
func (f *Fetcher) Close() { f.client.CloseIdleConnections() }

// Requests is the number of requests sent so far.
func (f *Fetcher) Requests() int { return int(f.requests.Load()) }

// hostMapper sends the site's requests to the --url's address with the
// public domain as Host (--host-header).
type hostMapper struct {
	site *Site
	next http.RoundTripper
}

// CloseIdleConnections passes the client's call on to the transport.
func (m hostMapper) CloseIdleConnections() {
	if c, ok := m.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func (m hostMapper) RoundTrip(r *http.Request) (*http.Response, error) {
	if m.site.alias == "" || !m.site.SameSite(r.URL) {
		return m.next.RoundTrip(r)
	}
	r2 := r.Clone(r.Context())
	r2.URL.Scheme, r2.URL.Host = m.site.start.Scheme, m.site.host
	r2.Host = m.site.alias
	return m.next.RoundTrip(r2)
}

// Response is an open response; Close releases its body and its timeout.
type Response struct {
	*http.Response
	cancel context.CancelFunc
	drain  io.LimitedReader // Close's, here so that closing allocates nothing
}

// Close drains a little of the body (so the connection is reused) and
// releases it.
func (r *Response) Close() {
	if r == nil || r.Response == nil {
		return
	}
	r.drain = io.LimitedReader{R: r.Body, N: 64 << 10}
	_, _ = io.Copy(io.Discard, &r.drain)
	_ = r.Body.Close()
	r.cancel()
}

// Get fetches a page, retrying transient failures. The caller reads the
// body and closes the response. A status error is a response, not an error.
func (f *Fetcher) Get(ctx context.Context, u *url.URL) (*Response, error) {
	return f.do(ctx, f.client, http.MethodGet, u)
}

// Check says whether a link opens: HEAD first (no body), then GET for
// servers that refuse or mishandle HEAD. Status 0 means no response.
func (f *Fetcher) Check(ctx context.Context, u *url.URL) (int, error) {
	resp, err := f.do(ctx, f.checker, http.MethodHead, u)
	if err == nil && resp.StatusCode < 400 {
		resp.Close()
		return resp.StatusCode, nil
	}
	resp.Close()
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	if errors.Is(err, ErrRefused) {
		return 0, err
	}
	resp, err = f.do(ctx, f.checker, http.MethodGet, u)
	if err != nil {
		return 0, err
	}
	defer resp.Close()
	return resp.StatusCode, nil
}

func (f *Fetcher) do(ctx context.Context, client *http.Client, method string, u *url.URL) (*Response, error) {
	var lastErr error
	for attempt := 0; ; attempt++ {
		resp, err := f.once(ctx, client, method, u)
		retry := attempt < f.cfg.Retries && ctx.Err() == nil && transient(resp, err)
		if !retry {
			return resp, err
		}
		wait := f.cfg.Backoff << attempt
		if resp != nil {
			wait = max(wait, retryAfter(resp.Header.Get("Retry-After")))
			resp.Close()
		}
		lastErr = err
		if !sleep(ctx, wait) {
			if lastErr == nil {
				lastErr = ctx.Err()
			}
			return nil, lastErr
		}
	}
}

func (f *Fetcher) once(ctx context.Context, client *http.Client, method string, u *url.URL) (*Response, error) {
	if f.cfg.Rate > 0 { // unlimited: no shared limiter for every worker to lock
		if err := f.limiter(u).Wait(ctx); err != nil {
			return nil, err
		}
	}
	rctx, cancel := context.WithTimeout(ctx, f.cfg.PageTimeout)
	// The URL is the crawl's own (neither the client nor the transport
	// modifies a request's URL), not printed and parsed again; the header
	// is shared by every request, as it is the same for all.
	req, err := http.NewRequestWithContext(rctx, method, "", nil)
	if err != nil {
		cancel()
		return nil, err
	}
	req.URL, req.Header = u, f.header
	f.requests.Add(1)
	resp, err := client.Do(req)
	if err != nil {
		cancel()
		return nil, err
	}
	return &Response{Response: resp, cancel: cancel}, nil
}

// limiter is the host's rate limiter; the site's two names share one.
func (f *Fetcher) limiter(u *url.URL) *rate.Limiter {
	host := hostKey(u.Scheme, u.Host)
	if f.site.SameSite(u) {
		host = f.site.host
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	l, ok := f.limiters[host]
	if !ok {
		l = rate.NewLimiter(rate.Limit(f.cfg.Rate), 1)
		f.limiters[host] = l
	}
	return l
}

// transient failures are worth another try: the connection failed (not
// our own deadline), or the server said it is busy.
func transient(resp *Response, err error) bool {
	if err != nil {
		return !errors.Is(err, context.Canceled) && !errors.Is(err, ErrRefused)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// maxRetryAfter bounds how long a server may ask us to wait.
const maxRetryAfter = 10 * time.Second

func retryAfter(v string) time.Duration {
	secs, err := strconv.Atoi(v)
	if err != nil || secs <= 0 {
		return 0
	}
	return min(time.Duration(secs)*time.Second, maxRetryAfter)
}

// sleep waits d unless ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
