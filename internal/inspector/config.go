package inspector

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"sort"
	"strings"
	"time"

	"sitegroup.io/operator/internal/inspector/scoring"
)

// Check families (`--checks`, InspectionRun spec.checks).
const (
	FamilyAvailability  = "availability"   // V1
	FamilyHomepage      = "homepage"       // V2
	FamilyColumns       = "columns"        // V3 and column deductions
	FamilyInteraction   = "interaction"    // V4 and reply deductions
	FamilySecurity      = "security"       // V5 and HTTPS
	FamilyDeadLinks     = "deadlinks"      // dead links, homepage counted apart
	FamilyIdentity      = "identity"       // S4 footer, 找错 entry, search box
	FamilyAdminExposure = "admin-exposure" // S7 admin login reachable
)

// Families lists every check family.
var Families = []string{FamilyAvailability, FamilyHomepage, FamilyColumns, FamilyInteraction,
	FamilySecurity, FamilyDeadLinks, FamilyIdentity, FamilyAdminExposure}

// Defaults of the command line.
const (
	DefaultConcurrency = 4
	DefaultRate        = 5 // requests per second per host: polite to a small government server
	DefaultMaxPages    = 500
	DefaultMaxDepth    = 5
	DefaultTimeout     = 10 * time.Minute
	DefaultProbes      = 3
	// PageTimeout is V1's: a page that has not opened after 15 s failed.
	PageTimeout = 15 * time.Second
	// Transient failures are retried twice, 250 ms then 500 ms later.
	DefaultRetries = 2
	DefaultBackoff = 250 * time.Millisecond
)

// External says whether links to other sites are checked.
type External string

const (
	// ExternalAuto checks them unless the site is reached through
	// --host-header: that is an in-cluster Job whose network policy lets
	// it reach the site only, where every external link would look dead.
	ExternalAuto  External = "auto"
	ExternalCheck External = "check"
	ExternalSkip  External = "skip"
)

// Config is one inspection.
type Config struct {
	URL        *url.URL
	HostHeader string
	// Portal: the site is a portal, which carries a 国务院信息 column (000 §二(三)).
	Portal bool
	// Now fixes "today" (reproducible results); the wall clock when zero.
	Now         time.Time
	Profile     *scoring.Profile // the embedded 2019 profile when nil
	Checks      []string         // families to run; all when empty
	ColumnHints map[string]string
	Concurrency int
	Rate        float64
	MaxPages    int
	MaxDepth    int
	MaxLinks    int // 10 × MaxPages (at least 1,000) when 0
	Timeout     time.Duration
	PageTimeout time.Duration
	Retries     int
	Backoff     time.Duration
	Probes      int
	External    External
	UserAgent   string
	// Transport replaces the HTTP transport (tests); it has no address guard.
	Transport http.RoundTripper
	// DenyCIDRs are ranges no request may reach (issue 16, SSRF): the
	// cluster's Service and Pod ranges and the API server, besides
	// loopback, link-local and the cloud metadata addresses, which are
	// always refused. The site's own address (URL's host:port) is always
	// allowed.
	DenyCIDRs []netip.Prefix
	// AllowAddrs are host:port addresses allowed besides the site's own
	// (tests: a second loopback server standing for another site).
	AllowAddrs []string
}

// withDefaults fills what the caller left zero.
func (c Config) withDefaults() Config {
	if c.Profile == nil {
		c.Profile = scoring.Default()
	}
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.MaxPages <= 0 {
		c.MaxPages = DefaultMaxPages
	}
	if c.MaxLinks <= 0 {
		c.MaxLinks = max(10*c.MaxPages, 1000)
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.PageTimeout <= 0 {
		c.PageTimeout = PageTimeout
	}
	if c.External == "" {
		c.External = ExternalAuto
	}
	if c.UserAgent == "" {
		c.UserAgent = "sitegroup-inspector/1 (+https://sitegroup.io)"
	}
	return c
}

func (c Config) runs(family string) bool {
	if len(c.Checks) == 0 {
		return true
	}
	for _, f := range c.Checks {
		if f == family {
			return true
		}
	}
	return false
}

func (c Config) checkExternal() bool {
	switch c.External {
	case ExternalCheck:
		return true
	case ExternalSkip:
		return false
	}
	return c.HostHeader == ""
}

// ParseChecks reads `--checks a,b`.
func ParseChecks(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !known(f) {
			return nil, fmt.Errorf("unknown check family %q (known: %s)", f, strings.Join(Families, ", "))
		}
		out = append(out, f)
	}
	sort.Strings(out)
	return out, nil
}

func known(f string) bool {
	for _, k := range Families {
		if k == f {
			return true
		}
	}
	return false
}

// ParseColumnHint reads `--column-hint 名称=news`.
func ParseColumnHint(s string, p *scoring.Profile) (name, kind string, err error) {
	name, kind, ok := strings.Cut(s, "=")
	name, kind = strings.TrimSpace(name), strings.TrimSpace(kind)
	if !ok || name == "" || kind == "" {
		return "", "", fmt.Errorf("column hint %q is not name=kind", s)
	}
	if !p.HasKind(kind) {
		return "", "", fmt.Errorf("column hint %q: unknown kind %q (known: %s)", s, kind, strings.Join(p.Kinds(), ", "))
	}
	return name, kind, nil
}
