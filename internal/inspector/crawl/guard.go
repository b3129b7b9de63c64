package crawl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// ErrRefused is the error of a request the address guard refused: the
// link leads to an address an inspection never reaches (issue 16, SSRF).
// Such a link is not the site's dead link; the crawl counts it apart.
var ErrRefused = errors.New("refused: not a public address")

// alwaysDenied are the ranges no link of a public site may make the
// inspector reach, whatever the configuration: loopback, "this network",
// link-local (169.254.0.0/16 holds the cloud metadata services:
// 169.254.169.254, Tencent's 169.254.0.23), Alibaba Cloud's metadata
// address, multicast and their IPv6 forms.
var alwaysDenied = []netip.Prefix{
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("100.100.100.200/32"),
	netip.MustParsePrefix("224.0.0.0/4"),
	netip.MustParsePrefix("255.255.255.255/32"),
	netip.MustParsePrefix("::1/128"),
	netip.MustParsePrefix("::/128"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("ff00::/8"),
}

// guard checks every address the fetcher connects to, after the name
// was resolved (a name that resolves to 127.0.0.1 is refused as the
// address itself is): the dialer's Control sees the address the socket
// is about to connect to, so neither DNS rebinding nor a redirect gets
// past it. The site's own address (the --url's host:port, as dialed) is
// always allowed: in a cluster it is the site's Service, inside the
// Service range; in tests it is a loopback server.
type guard struct {
	allow map[string]bool // host:port, as the transport dials them
	deny  []netip.Prefix
	open  *net.Dialer // for the allowed addresses
	safe  *net.Dialer // for every other: Control refuses the denied
}

func newGuard(site *Site, allow []string, deny []netip.Prefix) *guard {
	g := &guard{allow: map[string]bool{dialAddr(site.start.Scheme, site.start.Host): true},
		deny: append(append([]netip.Prefix{}, alwaysDenied...), deny...)}
	for _, a := range allow {
		g.allow[strings.ToLower(a)] = true
	}
	g.open = &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	g.safe = &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: g.control}
	return g
}

// dialAddr is host:port as the transport dials it (the scheme's port
// when the URL names none).
func dialAddr(scheme, host string) string {
	host = strings.ToLower(host)
	if _, _, err := net.SplitHostPort(host); err == nil {
		return host
	}
	port := "80"
	if scheme == "https" {
		port = "443"
	}
	return net.JoinHostPort(strings.Trim(host, "[]"), port)
}

func (g *guard) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if g.allow[strings.ToLower(addr)] {
		return g.open.DialContext(ctx, network, addr)
	}
	return g.safe.DialContext(ctx, network, addr)
}

// control runs once the address is resolved, before the connection.
func (g *guard) control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrRefused, address)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrRefused, address)
	}
	if g.denied(ip) {
		return fmt.Errorf("%w: %s", ErrRefused, ip)
	}
	return nil
}

// denied says an address is one the inspection never reaches.
func (g *guard) denied(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	for _, p := range g.deny {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// ParseCIDRs reads ranges ("10.96.0.0/12") or single addresses
// ("10.96.0.1", the API server) for FetchConfig.Deny.
func ParseCIDRs(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%q is neither a CIDR range nor an IP address", s)
		}
		out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
	}
	return out, nil
}
