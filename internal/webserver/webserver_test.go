package webserver

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "index.html"), []byte("首页"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		admin      bool
		method     string
		path, body string
		wantCode   int
		wantBody   string
	}{
		{"front end serves the homepage", false, http.MethodGet, "/", "", 200, "首页"},
		{"front end refuses writes (content read-only)", false, http.MethodPut, "/x.html", "x", 405, ""},
		{"admin home page", true, http.MethodGet, "/", "", 200, "后台管理系统"},
		{"admin publishes a page", true, http.MethodPut, "/news/1.html", "要闻", 201, "published /news/1.html"},
		{"a path with .. is redirected, never written", true, http.MethodPut, "/../../escaped", "x", 307, ""},
		{"admin refuses a directory PUT", true, http.MethodPut, "/news/", "x", 400, ""},
		{"missing page", false, http.MethodGet, "/nope.html", "", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "http://site"+tt.path, strings.NewReader(tt.body))
			req.URL.Path = tt.path
			rec := httptest.NewRecorder()
			Handler(root, tt.admin).ServeHTTP(rec, req)
			if rec.Code != tt.wantCode {
				t.Fatalf("code %d, want %d (%s)", rec.Code, tt.wantCode, rec.Body)
			}
			if !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Errorf("body %q lacks %q", rec.Body, tt.wantBody)
			}
		})
	}
	if b, err := os.ReadFile(filepath.Join(root, "news", "1.html")); err != nil || string(b) != "要闻" {
		t.Errorf("published page: %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(root, "..", "..", "escaped")); err == nil {
		t.Error("a PUT escaped the content root")
	}
}
