package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"sitegroup.io/operator/internal/jobargs"
	"sitegroup.io/operator/internal/webserver"
)

// serveStaticFlags are the flags of `sitegroup serve-static`.
type serveStaticFlags struct {
	root  string
	port  string
	admin bool
}

func (c *cli) serveStaticCommand() *cobra.Command {
	f := serveStaticFlags{root: os.Getenv("CONTENT_DIR"), port: envOr("PORT", "8080")}
	cmd := &cobra.Command{
		Use:   "serve-static --root DIR",
		Short: "serve a site's content (the samples' front end and admin)",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.run(f, func() error { return runServeStatic(f, c.stdout) })
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.root, "root", f.root, "directory to serve")
	jobargs.BindPort(fs, &f.port)
	fs.BoolVar(&f.admin, "admin", false, "admin mode: PUT publishes a page")
	return cmd
}

// runServeStatic serves a site's content: the samples' front end and admin.
func runServeStatic(f serveStaticFlags, stdout io.Writer) error {
	if f.root == "" {
		return usageError{"--root (or CONTENT_DIR) is required"}
	}
	fmt.Fprintf(stdout, "serving %s on :%s (admin=%v)\n", f.root, f.port, f.admin)
	return serveUntilSignal(":"+f.port, webserver.Handler(f.root, f.admin))
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

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
