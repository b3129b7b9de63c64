package fixturesite

import (
	"bufio"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Hostile and broken sites (issue 16): each handler is one case the
// inspector must judge without panicking or running out of memory.

// NotHTMLHome answers the homepage 200 with a body that is not HTML
// (contentType, e.g. application/json or image/png).
func NotHTMLHome(contentType, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write([]byte(body))
	})
}

// DeepHome is the default site whose homepage wraps its whole body in
// depth open <div>s that are never closed (x/net/html refuses a tree
// deeper than 512 elements).
func DeepHome(spec Spec, depth int) http.Handler {
	s := &Server{Spec: spec}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			s.serve(w, r)
			return
		}
		home := s.home()
		i := strings.Index(home, "<body>") + len("<body>")
		s.write(w, r, http.StatusOK, home[:i]+strings.Repeat("<div>", depth)+home[i:])
	})
}

// LinkHeavy is a site of pages pages of about size bytes each, every one
// a flat list of links (most to pages the budget never reaches, as a
// link-heavy hostile site has them): the memory case of issue 16. Page
// k links to pages k+1.. first, then to /x/k/n.html filler until the
// size is reached. Pages are written as they are sent, never kept.
func LinkHeavy(pages, size int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k := 0
		if r.URL.Path != "/" {
			if _, err := fmt.Sscanf(r.URL.Path, "/p/%d.html", &k); err != nil || k < 1 || k >= pages {
				http.NotFound(w, r)
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.Method == http.MethodHead {
			return
		}
		bw := bufio.NewWriterSize(w, 32<<10)
		defer bw.Flush()
		n, _ := bw.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>链接页` + strconv.Itoa(k) + "</title></head><body><ul>\n")
		written := n
		for j := k + 1; j < pages; j++ {
			n, _ = fmt.Fprintf(bw, `<li><a href="/p/%d.html">第%d页</a></li>`+"\n", j, j)
			written += n
		}
		for j := 0; written < size; j++ {
			n, _ = fmt.Fprintf(bw, `<li><a href="/x/%d/%d.html">链接%d</a></li>`+"\n", k, j, j)
			written += n
		}
		_, _ = bw.WriteString("</ul></body></html>\n")
	})
}
