package console

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"sitegroup.io/operator/internal/authz"
	"sitegroup.io/operator/internal/clock"
	"sitegroup.io/operator/internal/scheme"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// DefaultListen is where `sitegroup console` listens unless told.
const DefaultListen = "127.0.0.1:8090"

// Options configure a console.
type Options struct {
	// Config is the user's: their kubeconfig's context, credentials and
	// impersonation (--as). The console adds nothing to it.
	Config *rest.Config
	// Lang is the --lang flag: the language when the request does not
	// choose one; "" lets Accept-Language decide (zh-CN by default).
	Lang string
	// Namespaces are read one by one when the user may not list across
	// all namespaces (a unit head or a department, bound in their own
	// namespace); usually the kubeconfig context's namespace.
	Namespaces []string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Log receives one line per refused or failed request; discarded when nil.
	Log *slog.Logger
}

// Server is the console: an http.Handler reading and writing through the
// API server as the user.
type Server struct {
	opts   Options
	client client.Client
	csrf   string
	pages  map[string]*template.Template
	mux    *http.ServeMux

	mu   sync.Mutex
	user string
}

// New builds a console for the user of opts.Config.
func New(opts Options) (*Server, error) {
	if opts.Config == nil {
		return nil, errors.New("console: no rest.Config")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Lang != "" && NormalizeLang(opts.Lang) == "" {
		return nil, fmt.Errorf("--lang %q: zh-CN or en", opts.Lang)
	}
	cfg := rest.CopyConfig(opts.Config)
	cfg.UserAgent = "sitegroup-console"
	c, err := client.New(cfg, client.Options{Scheme: scheme.New()})
	if err != nil {
		return nil, fmt.Errorf("console: a client for the API server: %w", err)
	}
	token := make([]byte, 32)
	if _, err := rand.Read(token); err != nil {
		return nil, err
	}
	s := &Server{opts: opts, client: c, csrf: hex.EncodeToString(token)}
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

func parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"when":    formatTime,
		"day":     formatDay,
		"score":   formatScore,
		"join":    strings.Join,
		"query":   url.QueryEscape,
		"pathseg": url.PathEscape,
		"dict":    dict,
		"cond":    conditionClass,
	}
	pages := map[string]*template.Template{}
	for _, name := range []string{"overview", "site", "sign", "reports", "error"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("console: template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

func (s *Server) routes() {
	mux := http.NewServeMux()
	assets, _ := fs.Sub(assetFS, "assets")
	static := http.StripPrefix("/assets/", http.FileServerFS(assets))
	mux.Handle("GET /assets/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		static.ServeHTTP(w, r)
	}))
	mux.HandleFunc("GET /{$}", s.overview)
	mux.HandleFunc("GET /sites/{namespace}/{name}", s.site)
	mux.HandleFunc("GET /sign", s.signList)
	mux.HandleFunc("POST /sign", s.sign)
	mux.HandleFunc("GET /reports", s.reports)
	mux.HandleFunc("GET /reports/{file}", s.reportFile)
	s.mux = mux
}

// ServeHTTP answers only requests addressed to a loopback host (no DNS
// rebinding), with a strict content security policy; the language switch
// (?lang=) is remembered in a cookie.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !LoopbackHost(r.Host) {
		s.opts.Log.Warn("refused a request for a non-loopback host", "host", r.Host)
		http.Error(w, "the console answers on loopback only (Host "+r.Host+" refused)", http.StatusForbidden)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	if l := NormalizeLang(r.URL.Query().Get("lang")); l != "" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	}
	s.mux.ServeHTTP(w, r)
}

// LoopbackHost says whether a Host header names this machine's loopback:
// 127.0.0.0/8, ::1 or localhost, with or without a port.
func LoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckListen refuses a listen address that is not a loopback IP: the
// console acts with the user's credentials and must not be reachable from
// another machine.
func CheckListen(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: host:port, e.g. %s: %w", addr, DefaultListen, err)
	}
	if port == "" {
		return fmt.Errorf("--listen %q: a port is required, e.g. %s", addr, DefaultListen)
	}
	if strings.EqualFold(host, "localhost") {
		return fmt.Errorf("--listen %q: give the loopback address itself (127.0.0.1 or [::1]), not a name", addr)
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--listen %q: the console listens on loopback only (127.0.0.1 or [::1]); it acts with your credentials", addr)
	}
	return nil
}

// Serve listens on addr (loopback only) and serves until ctx ends; ready,
// when set, is called with the address actually bound (port 0 picks one).
func (s *Server) Serve(ctx context.Context, addr string, ready func(net.Addr)) error {
	if err := CheckListen(addr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
		return nil
	}
}

// whoami is the user the API server sees (a SelfSubjectReview), asked once.
func (s *Server) whoami(ctx context.Context) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.user != "" {
		return s.user
	}
	user, err := authz.Whoami(ctx, s.client)
	if err != nil {
		s.opts.Log.Warn("SelfSubjectReview failed", "err", err)
		return "?"
	}
	s.user = user
	return user
}

// validCSRF compares a form's token with the process's, in constant time,
// and refuses a cross-origin POST.
func (s *Server) validCSRF(r *http.Request) bool {
	if origin := r.Header.Get("Origin"); origin != "" && origin != "null" {
		u, err := url.Parse(origin)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	got := r.PostFormValue("csrf")
	return len(got) == len(s.csrf) && subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf)) == 1
}

// Time is shown in the platform's calendar (Asia/Shanghai).
func formatTime(v any) string {
	t, ok := asTime(v)
	if !ok {
		return "—"
	}
	return t.In(clock.Shanghai).Format("2006-01-02 15:04")
}

func formatDay(v any) string {
	t, ok := asTime(v)
	if !ok {
		return "—"
	}
	return t.In(clock.Shanghai).Format(time.DateOnly)
}

func formatScore(p *int32) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprint(*p)
}

// dict builds a map for a nested template: dict "key" value ….
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: an odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// conditionClass colours a condition: good, bad or neutral, knowing which
// conditions are bad news when True (TicketsOverdue, Stalled …).
func conditionClass(typ string, status metav1.ConditionStatus) string {
	bad := map[string]bool{
		"Stalled": true, "Reconciling": false, "RectificationRequired": true, "ConsolidationRecommended": true,
		"TicketsOverdue": true, "DeletionBlocked": true, "DeregistrationOverdue": true,
	}
	negative, known := bad[typ]
	switch {
	case known && !negative:
		return "cond-neutral"
	case status == metav1.ConditionUnknown:
		return "cond-neutral"
	case (status == metav1.ConditionTrue) != negative:
		return "cond-good"
	}
	return "cond-bad"
}
