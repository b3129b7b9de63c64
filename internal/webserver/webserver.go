// Package webserver is the small static-content server the samples run as a
// site's front end (read-only content) and admin (read-write: PUT writes a
// page). Real sites bring their own images; this one keeps the demo and the
// end-to-end tests self-contained.
package webserver

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// EnvTakedownBoard names the directory of a portal's takedown board
// (the operator mounts it into portal front ends).
const EnvTakedownBoard = "SITEGROUP_TAKEDOWNS_DIR"

// MaxUpload bounds one page written through the admin.
const MaxUpload = 8 << 20

// Handler serves root read-only; with admin, PUT and DELETE change files.
func Handler(root string, admin bool) http.Handler {
	files := http.FileServer(http.Dir(root))
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	if dir := os.Getenv(EnvTakedownBoard); dir != "" {
		// A portal serves its sub-sites' current takedowns (T5, Nanjing's rule).
		mux.Handle("/_sitegroup/", http.StripPrefix("/_sitegroup/", http.FileServer(http.Dir(dir))))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet || r.Method == http.MethodHead:
			if admin && r.URL.Path == "/" {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, _ = io.WriteString(w, "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>后台管理系统</title><h1>后台管理系统</h1><p>PUT a path to publish a page.</p></html>\n")
				return
			}
			files.ServeHTTP(w, r)
		case admin && r.Method == http.MethodPut:
			put(w, r, root)
		default:
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
	return mux
}

// put writes the request body to a file under root.
func put(w http.ResponseWriter, r *http.Request, root string) {
	rel := path.Clean("/" + r.URL.Path)
	if rel == "/" || strings.HasSuffix(r.URL.Path, "/") {
		http.Error(w, "PUT needs a file path", http.StatusBadRequest)
		return
	}
	dst := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	body := http.MaxBytesReader(w, r.Body, MaxUpload)
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".upload-*")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, body); err != nil {
		tmp.Close()
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	if err := tmp.Close(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
	_, _ = fmt.Fprintf(w, "published %s\n", rel)
}
