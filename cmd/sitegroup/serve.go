package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"sitegroup.io/operator/internal/contentimport"
	"sitegroup.io/operator/internal/webserver"
)

// runServeStatic serves a site's content: the samples' front end and admin.
func runServeStatic(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve-static", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", os.Getenv("CONTENT_DIR"), "directory to serve")
	port := fs.String("port", envOr("PORT", "8080"), "port to listen on")
	admin := fs.Bool("admin", false, "admin mode: PUT publishes a page")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *root == "" {
		return usageError{"--root (or CONTENT_DIR) is required"}
	}
	fmt.Fprintf(stdout, "serving %s on :%s (admin=%v)\n", *root, *port, *admin)
	return serveUntilSignal(":"+*port, webserver.Handler(*root, *admin))
}

// serveUntilSignal serves until SIGTERM or SIGINT, then drains for 5 s.
func serveUntilSignal(addr string, h http.Handler) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// runContentImport fills a content volume once from a migrated site.
func runContentImport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("content-import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	to := fs.String("to", "", "content directory to fill")
	fromDir := fs.String("from-dir", "", "copy the files of this directory")
	archiveURL := fs.String("archive-url", "", "fetch and unpack this .tar.gz")
	timeout := fs.Duration("timeout", 30*time.Minute, "time limit of a fetch")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *to == "" || (*fromDir == "") == (*archiveURL == "") {
		return usageError{"--to and exactly one of --from-dir or --archive-url are required"}
	}
	var st contentimport.Stats
	var err error
	if *fromDir != "" {
		st, err = contentimport.CopyDir(*fromDir, *to)
	} else {
		st, err = contentimport.FetchArchive(context.Background(), *archiveURL, *to, *timeout)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "imported %d files, %d bytes into %s\n", st.Files, st.Bytes, *to)
	return err
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
