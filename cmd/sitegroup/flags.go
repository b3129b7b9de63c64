package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Flags and argument rules more than one subcommand shares. The flags the
// operator's Jobs pass are in internal/jobargs.

// noArgs rejects positional arguments: every subcommand takes flags only.
func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("unexpected arguments %q", args)}
	}
	return nil
}

// bindKubeconfig defines --kubeconfig (manager, report).
func bindKubeconfig(fs *pflag.FlagSet, path *string) {
	fs.StringVar(path, "kubeconfig", "", "path to a kubeconfig; in-cluster or $KUBECONFIG when empty")
}

// bindNow defines --now, a time that stands for the clock (inspect, report,
// sample-content); *now stays zero when the flag is absent.
func bindNow(fs *pflag.FlagSet, now *time.Time, usage string) {
	fs.Var((*rfc3339)(now), "now", usage)
}

// rfc3339 is a time flag written as RFC 3339.
type rfc3339 time.Time

func (t *rfc3339) Type() string { return "RFC3339" }

func (t *rfc3339) String() string {
	if time.Time(*t).IsZero() {
		return ""
	}
	return time.Time(*t).Format(time.RFC3339)
}

func (t *rfc3339) Set(v string) error {
	parsed, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return errors.New("not an RFC 3339 time (2026-11-20T09:00:00+08:00)")
	}
	*t = rfc3339(parsed)
	return nil
}
