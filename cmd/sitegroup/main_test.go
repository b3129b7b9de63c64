package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

func runCommandLine(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = dispatch(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// commandPaths lists every visible command of the tree below the root,
// as the words that run it: "inspect", "completion bash", ...
func commandPaths() [][]string {
	var paths [][]string
	var walk func(cmd *cobra.Command, path []string)
	walk = func(cmd *cobra.Command, path []string) {
		for _, sub := range cmd.Commands() {
			if sub.Hidden {
				continue
			}
			p := append(append([]string(nil), path...), sub.Name())
			paths = append(paths, p)
			walk(sub, p)
		}
	}
	root := (&cli{now: time.Now}).rootCommand()
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	walk(root, nil)
	return paths
}

// TestHelp: --help and -h, on the root and on every command, print the
// help on stdout and exit 0, with nothing on stderr.
func TestHelp(t *testing.T) {
	paths := append(commandPaths(), nil)
	if len(paths) < 10 {
		t.Fatalf("the tree has only %v", paths)
	}
	for _, path := range paths {
		for _, help := range []string{"--help", "-h"} {
			args := append(append([]string(nil), path...), help)
			code, stdout, stderr := runCommandLine(args...)
			if code != 0 || stderr != "" || !strings.Contains(stdout, "Usage:") {
				t.Errorf("sitegroup %s: exit %d, stderr %q, stdout %q; want exit 0 and the help on stdout only", strings.Join(args, " "), code, stderr, stdout)
			}
		}
	}
	// Every subcommand this binary had before it used cobra is still there.
	code, stdout, _ := runCommandLine("help")
	for _, name := range []string{"manager", "inspect", "version", "serve-static", "content-import", "notice", "archive", "archive-verify", "sample-content", "report", "completion"} {
		if code != 0 || !strings.Contains(stdout, "\n  "+name+" ") {
			t.Errorf("sitegroup help (exit %d) does not list %s:\n%s", code, name, stdout)
		}
	}
}

// TestBadCommandLines: an unknown flag, an unexpected argument or an
// unknown command is a usage error: exit 2, nothing on stdout, what was
// wrong on stderr.
func TestBadCommandLines(t *testing.T) {
	type bad struct {
		args []string
		msg  string
	}
	cases := []bad{
		{nil, "a command is required"},
		{[]string{"inspekt"}, `unknown command "inspekt"`},
		{[]string{"--no-such-flag"}, "unknown flag: --no-such-flag"},
		{[]string{"inspect", "-url", "http://x/"}, "unknown shorthand flag: 'u' in -url"},
	}
	for _, path := range commandPaths() {
		cases = append(cases,
			bad{append(path, "--no-such-flag"), "unknown flag: --no-such-flag"})
		if path[0] != "help" && path[0] != "completion" {
			cases = append(cases, bad{append(path, "extra"), `unexpected arguments ["extra"]`})
		}
	}
	for _, tc := range cases {
		code, stdout, stderr := runCommandLine(tc.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.msg) {
			t.Errorf("sitegroup %s: exit %d, stdout %q, stderr %q; want exit 2 saying %q", strings.Join(tc.args, " "), code, stdout, stderr, tc.msg)
		}
	}
}

// TestRunFailureExitsOne: a command that parses but fails exits 1.
func TestRunFailureExitsOne(t *testing.T) {
	code, _, stderr := runCommandLine("notice", "--config", "/nonexistent/notice.json")
	if code != 1 || !strings.Contains(stderr, "sitegroup notice: reading the notice") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestManagerFlags: the manager's own flags and controller-runtime's
// logging flags (a Go flag set) parse together, in the forms the chart
// and the demo scripts write.
func TestManagerFlags(t *testing.T) {
	got := parseCommandLine(t, []string{"manager", "--leader-elect=false", "--metrics-bind-address", "127.0.0.1:18080",
		"--webhook-port=9443", "--zap-log-level", "debug", "--zap-devel", "--cert-rotation", "--availability-probes=false",
		"--kubeconfig", "/tmp/kc"}).(managerOptions)
	if got.leaderElect || got.metricsAddr != "127.0.0.1:18080" || got.webhookPort != 9443 || !got.zap.Development ||
		got.zap.Level == nil || !got.certs.enabled || got.probes || got.kubeconfig != "/tmp/kc" || !got.enableWebhooks {
		t.Errorf("parsed %+v", got)
	}
}

// TestMetricsSecureByDefault: without flags the metrics endpoint is HTTPS
// with the API server's authentication and authorization filter (issue 17);
// only --metrics-secure=false, for a local process, drops both.
func TestMetricsSecureByDefault(t *testing.T) {
	def := metricsOptions(parseCommandLine(t, []string{"manager"}).(managerOptions))
	if def.BindAddress != ":8443" || !def.SecureServing || def.FilterProvider == nil {
		t.Errorf("default metrics options %+v: want :8443, HTTPS, filtered", def)
	}
	plain := metricsOptions(parseCommandLine(t, []string{"manager", "--metrics-secure=false"}).(managerOptions))
	if plain.SecureServing || plain.FilterProvider != nil {
		t.Errorf("--metrics-secure=false gave %+v", plain)
	}
}
