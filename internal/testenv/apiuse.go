package testenv

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apiserver/pkg/endpoints/request"
	"sigs.k8s.io/yaml"
)

// Permission is one verb on one resource of one API group, as a role grants
// it and as a request uses it. Resource carries its subresource after a
// slash ("pods/log", "govwebsites/status").
type Permission struct {
	Group, Resource, Verb string
}

func (p Permission) String() string {
	g := p.Group
	if g == "" {
		g = "core"
	}
	return g + " " + p.Resource + " " + p.Verb
}

// APIUse records the permission every request a client sends needs, so a
// suite can compare the role the operator is granted with what its code
// calls (issue 17: least privilege). Wrap it around the manager's
// transport; informers' lists and watches count like any other call.
type APIUse struct {
	mu   sync.Mutex
	seen map[Permission]struct{}
}

// apiRequests reads a request as the API server's authorizer does.
var apiRequests = request.RequestInfoFactory{
	APIPrefixes:          sets.NewString("api", "apis"),
	GrouplessAPIPrefixes: sets.NewString("api"),
}

// Wrap returns next, recording each resource request it carries.
func (u *APIUse) Wrap(next http.RoundTripper) http.RoundTripper {
	return roundTripper(func(req *http.Request) (*http.Response, error) {
		if p, ok := PermissionOf(req); ok {
			u.record(p)
			for _, implied := range impliedBy(p, req) {
				u.record(implied)
			}
		}
		return next.RoundTrip(req)
	})
}

func (u *APIUse) record(p Permission) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.seen == nil {
		u.seen = map[Permission]struct{}{}
	}
	u.seen[p] = struct{}{}
}

// impliedBy is what the API server also checks, or a client falls back to,
// for a request that needs p:
//   - a watch of a collection is how client-go's informers list it (a
//     streaming list); where a server refuses that, the reflector lists
//     plainly, so the watch needs list too;
//   - a server-side apply that creates its object is authorized as create
//     as well (apiserver's patch handler), which no URL shows.
func impliedBy(p Permission, req *http.Request) []Permission {
	switch {
	case p.Verb == "watch":
		return []Permission{{Group: p.Group, Resource: p.Resource, Verb: "list"}}
	case p.Verb == "patch" && strings.HasPrefix(req.Header.Get("Content-Type"), "application/apply-patch"):
		return []Permission{{Group: p.Group, Resource: p.Resource, Verb: "create"}}
	}
	return nil
}

// Used is every permission recorded so far.
func (u *APIUse) Used() map[Permission]struct{} {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := make(map[Permission]struct{}, len(u.seen))
	for p := range u.seen {
		out[p] = struct{}{}
	}
	return out
}

// PermissionOf is the permission the API server checks for req; false for
// a non-resource request (discovery, /version).
func PermissionOf(req *http.Request) (Permission, bool) {
	info, err := apiRequests.NewRequestInfo(req)
	if err != nil || !info.IsResourceRequest {
		return Permission{}, false
	}
	res := info.Resource
	if info.Subresource != "" {
		res += "/" + info.Subresource
	}
	return Permission{Group: info.APIGroup, Resource: res, Verb: info.Verb}, true
}

// Granted expands the rules of the ClusterRole in the repository file rel
// into single permissions.
func Granted(rel string) ([]Permission, error) {
	data, err := ReadRepoFile(rel)
	if err != nil {
		return nil, err
	}
	var role rbacv1.ClusterRole
	if err := yaml.Unmarshal(data, &role); err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	var out []Permission
	for _, rule := range role.Rules {
		for _, g := range rule.APIGroups {
			for _, r := range rule.Resources {
				for _, v := range rule.Verbs {
					out = append(out, Permission{Group: g, Resource: r, Verb: v})
				}
			}
		}
	}
	return out, nil
}

// Unused lists, sorted, the granted permissions nothing used, leaving out
// those excused (each with the reason the suite cannot exercise it).
func Unused(granted []Permission, used map[Permission]struct{}, excused map[Permission]string) []string {
	var out []string
	for _, p := range granted {
		if _, ok := used[p]; ok {
			continue
		}
		if _, ok := excused[p]; ok {
			continue
		}
		out = append(out, p.String())
	}
	sort.Strings(out)
	return out
}

// Uncovered lists, sorted, the excuses for permissions that were in fact
// used or are not granted at all: a stale excuse hides nothing and must go.
func Uncovered(granted []Permission, used map[Permission]struct{}, excused map[Permission]string) []string {
	grantedSet := map[Permission]struct{}{}
	for _, p := range granted {
		grantedSet[p] = struct{}{}
	}
	var out []string
	for p := range excused {
		_, isUsed := used[p]
		_, isGranted := grantedSet[p]
		if isUsed || !isGranted {
			out = append(out, strings.TrimSpace(p.String()))
		}
	}
	sort.Strings(out)
	return out
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
