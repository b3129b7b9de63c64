package contentimport

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func tarGz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestUntar(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		wantErr string
	}{
		{"a site's pages", map[string]string{"index.html": "首页", "news/1.html": "要闻"}, ""},
		{"an entry escaping the directory", map[string]string{"../evil.html": "x"}, "leaves the content directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := t.TempDir()
			st, err := Untar(bytes.NewReader(tarGz(t, tt.files)), dst)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || st.Files != len(tt.files) {
				t.Fatalf("stats %+v, err %v", st, err)
			}
			for name, body := range tt.files {
				if b, _ := os.ReadFile(filepath.Join(dst, name)); string(b) != body {
					t.Errorf("%s = %q", name, b)
				}
			}
		})
	}
}

func TestFetchArchiveAndCopyDir(t *testing.T) {
	archive := tarGz(t, map[string]string{"index.html": "首页"})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/site.tar.gz" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(archive)
	}))
	defer srv.Close()
	staged := t.TempDir()
	if _, err := FetchArchive(context.Background(), srv.URL+"/site.tar.gz", staged, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := FetchArchive(context.Background(), srv.URL+"/missing.tar.gz", t.TempDir(), 5*time.Second); err == nil {
		t.Error("a 404 must fail the import")
	}
	dst := t.TempDir()
	st, err := CopyDir(staged, dst)
	if err != nil || st.Files != 1 {
		t.Fatalf("copy: %+v %v", st, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dst, "index.html")); string(b) != "首页" {
		t.Errorf("copied index.html = %q", b)
	}
}
