package testenv

import (
	"net/http"
	"testing"
)

func TestPermissionOf(t *testing.T) {
	cases := []struct {
		method, url string
		want        Permission
		resource    bool
	}{
		{"GET", "/api/v1/namespaces/a/pods", Permission{"", "pods", "list"}, true},
		{"GET", "/api/v1/pods?watch=true", Permission{"", "pods", "watch"}, true},
		{"GET", "/api/v1/namespaces/a/pods/p/log", Permission{"", "pods/log", "get"}, true},
		{"PATCH", "/apis/sitegroup.io/v1alpha1/namespaces/a/govwebsites/w/status", Permission{"sitegroup.io", "govwebsites/status", "patch"}, true},
		{"PUT", "/apis/batch/v1/namespaces/a/jobs/j", Permission{"batch", "jobs", "update"}, true},
		{"DELETE", "/api/v1/namespaces/a/persistentvolumeclaims/c", Permission{"", "persistentvolumeclaims", "delete"}, true},
		{"DELETE", "/api/v1/namespaces/a/configmaps", Permission{"", "configmaps", "deletecollection"}, true},
		{"POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", Permission{"authorization.k8s.io", "subjectaccessreviews", "create"}, true},
		{"GET", "/apis", Permission{}, false},
		{"GET", "/version", Permission{}, false},
	}
	for _, c := range cases {
		req, err := http.NewRequest(c.method, "https://127.0.0.1:6443"+c.url, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := PermissionOf(req)
		if ok != c.resource || got != c.want {
			t.Errorf("%s %s: got %v, %v; want %v, %v", c.method, c.url, got, ok, c.want, c.resource)
		}
	}
}

func TestUnusedAndUncovered(t *testing.T) {
	granted := []Permission{{"", "pods", "get"}, {"", "pods", "delete"}, {"", "pods/log", "get"}}
	used := map[Permission]struct{}{{"", "pods", "get"}: {}}
	excused := map[Permission]string{{"", "pods/log", "get"}: "no kubelet", {"", "secrets", "get"}: "stale"}
	if got := Unused(granted, used, excused); len(got) != 1 || got[0] != "core pods delete" {
		t.Errorf("Unused = %v", got)
	}
	if got := Uncovered(granted, used, excused); len(got) != 1 || got[0] != "core secrets get" {
		t.Errorf("Uncovered = %v", got)
	}
}

func TestGrantedReadsTheManagersRole(t *testing.T) {
	granted, err := Granted("config/rbac/role.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := Permission{Group: "sitegroup.io", Resource: "govwebsites/status", Verb: "patch"}
	for _, p := range granted {
		if p == want {
			return
		}
	}
	t.Errorf("%d permissions from config/rbac/role.yaml, none is %v", len(granted), want)
}
