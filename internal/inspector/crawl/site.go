// Package crawl fetches one site: bounded concurrency, a per-host rate
// limit, page/depth/link/time budgets, a 15 s page timeout, bounded
// retries with backoff, URL normalisation and de-duplication, same-site
// pages crawled and every other link checked (HEAD, then GET). Bodies are
// streamed to a visitor, never kept. It knows nothing of government
// sites: the visitor says what a page links to.
package crawl

import (
	"net"
	"net/url"
	"path"
	"strings"
)

// Site is the site being crawled: the address it is fetched at and the
// domain it is judged as.
type Site struct {
	start *url.URL // --url, normalised
	// host is where the site is fetched (the --url's host[:port]); alias
	// is the public domain (--host-header) that links also use.
	host, alias string
}

// NewSite starts from the inspected URL; hostHeader (may be empty) is the
// site's public domain, sent as the Host of every request to the URL's
// host, and links to it count as the site's own.
func NewSite(start *url.URL, hostHeader string) *Site {
	s := &Site{host: hostKey(start.Scheme, start.Host), alias: strings.ToLower(strings.TrimSuffix(hostHeader, "."))}
	u := *start
	u.Host = s.host
	s.start = s.normalise(&u)
	return s
}

// Start is the normalised homepage URL.
func (s *Site) Start() *url.URL { return s.start }

// HostHeader is the public domain the site is judged as ("" if none).
func (s *Site) HostHeader() string { return s.alias }

// hostKey lower-cases a host and drops the scheme's default port.
func hostKey(scheme, host string) string {
	host = strings.ToLower(host)
	if h, port, err := net.SplitHostPort(host); err == nil &&
		(scheme == "http" && port == "80" || scheme == "https" && port == "443") {
		return h
	}
	return host
}

// SameSite says u is one of the site's pages: on the URL's host, or on
// the public domain (any scheme, default port).
func (s *Site) SameSite(u *url.URL) bool {
	h := hostKey(u.Scheme, u.Host)
	return h == s.host || s.isAlias(u)
}

func (s *Site) isAlias(u *url.URL) bool {
	return s.alias != "" && hostKey(u.Scheme, u.Host) == s.alias && s.alias != s.host
}

// Canonical is the key a URL is de-duplicated by and the address it is
// fetched at: the site's pages are moved to the URL's scheme and host
// (links to http(s)://<host-header>/… are fetched through --url), the
// host lower-cased, default ports, fragments and dot segments dropped,
// an empty path made "/".
func (s *Site) Canonical(u *url.URL) *url.URL {
	c := *u
	c.Host = hostKey(c.Scheme, c.Host)
	if s.SameSite(&c) {
		c.Scheme, c.Host = s.start.Scheme, s.host
	}
	return s.normalise(&c)
}

// Key is the string a URL is de-duplicated by: its canonical form.
func (s *Site) Key(u *url.URL) string { return s.Canonical(u).String() }

func (s *Site) normalise(u *url.URL) *url.URL {
	c := *u
	c.Fragment, c.RawFragment = "", ""
	c.User = nil
	if c.Path == "" {
		c.Path, c.RawPath = "/", ""
	}
	if strings.Contains(c.Path, "/.") {
		cleaned := path.Clean(c.Path)
		if strings.HasSuffix(c.Path, "/") && cleaned != "/" {
			cleaned += "/"
		}
		c.Path, c.RawPath = cleaned, ""
	}
	c.ForceQuery = false
	return &c
}

// Public is how a report names a URL: the site's pages under the public
// domain when there is one, so a person reads www.x.gov.cn, not the
// in-cluster Service the crawl went through.
func (s *Site) Public(u *url.URL) string {
	if s.alias == "" || hostKey(u.Scheme, u.Host) != s.host {
		return u.String()
	}
	c := *u
	c.Host = s.alias
	return c.String()
}
