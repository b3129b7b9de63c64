package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// parseConsoleFlags parses a `sitegroup console` command line with the real
// command tree, and checks the flags as the command does before it reads
// anything.
func parseConsoleFlags(args []string) (consoleFlags, error) {
	var flags consoleFlags
	c := &cli{stdout: io.Discard, stderr: io.Discard, now: time.Now, parsed: func(f any) { flags = f.(consoleFlags) }}
	if _, err := c.execute(append([]string{"console"}, args...)); err != nil {
		return flags, err
	}
	return flags, flags.check()
}

func TestConsoleFlags(t *testing.T) {
	cases := []struct {
		args    []string
		want    consoleFlags
		wantErr string
	}{
		{args: nil, want: consoleFlags{listen: "127.0.0.1:8090"}},
		{args: []string{"--kubeconfig", "/k", "--context", "tj", "--listen", "[::1]:9000", "--lang", "en", "--as", "zhang.wei", "--as-group", "tj:office", "--namespace", "tjhp-edu,tjhp-culture"},
			want: consoleFlags{kubeconfig: "/k", context: "tj", listen: "[::1]:9000", lang: "en", as: "zhang.wei", asGroups: []string{"tj:office"}, namespaces: []string{"tjhp-edu", "tjhp-culture"}}},
		{args: []string{"--listen", "0.0.0.0:8090"}, wantErr: "loopback only"},
		{args: []string{"--listen", ":8090"}, wantErr: "loopback only"},
		{args: []string{"--listen", "192.168.1.5:8090"}, wantErr: "loopback only"},
		{args: []string{"--listen", "localhost:8090"}, wantErr: "not a name"},
		{args: []string{"--lang", "fr"}, wantErr: `--lang "fr"`},
		{args: []string{"--as-group", "x"}, wantErr: "--as-group needs --as"},
		{args: []string{"extra"}, wantErr: "unexpected arguments"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			got, err := parseConsoleFlags(c.args)
			if c.wantErr != "" {
				var ue usageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want a usageError containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.kubeconfig != c.want.kubeconfig || got.context != c.want.context || got.listen != c.want.listen || got.lang != c.want.lang ||
				got.as != c.want.as || strings.Join(got.asGroups, ",") != strings.Join(c.want.asGroups, ",") ||
				strings.Join(got.namespaces, ",") != strings.Join(c.want.namespaces, ",") {
				t.Errorf("flags = %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestConsoleKubeconfig: the console reads the kubeconfig as kubectl does:
// the chosen context, its namespace, the user's impersonation, and --as
// over it.
func TestConsoleKubeconfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config")
	const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: tj
  cluster: {server: "https://127.0.0.1:6443"}
users:
- name: office
  user: {token: abc, as: zhang.wei, as-groups: ["tj:office"]}
- name: plain
  user: {token: def}
contexts:
- name: office
  context: {cluster: tj, user: office, namespace: tjhp-edu}
- name: plain
  context: {cluster: tj, user: plain}
current-context: plain
`
	if err := os.WriteFile(path, []byte(kubeconfig), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, ns, err := newConsoleConfig(consoleFlags{kubeconfig: path, context: "office"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != "https://127.0.0.1:6443" || ns != "tjhp-edu" || cfg.Impersonate.UserName != "zhang.wei" || strings.Join(cfg.Impersonate.Groups, ",") != "tj:office" {
		t.Errorf("office context: host %s, namespace %q, impersonating %+v", cfg.Host, ns, cfg.Impersonate)
	}
	cfg, _, err = newConsoleConfig(consoleFlags{kubeconfig: path, as: "audit"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BearerToken != "def" || cfg.Impersonate.UserName != "audit" {
		t.Errorf("--as audit on the current context: token %q, impersonating %+v", cfg.BearerToken, cfg.Impersonate)
	}
}

// TestConsoleRefusesOtherAddresses: the command itself refuses to listen
// anywhere but loopback (exit code 2), before reading any kubeconfig.
func TestConsoleRefusesOtherAddresses(t *testing.T) {
	var stderr bytes.Buffer
	if code := dispatch([]string{"console", "--listen", "0.0.0.0:8090", "--kubeconfig", "/nonexistent"}, io.Discard, &stderr); code != 2 {
		t.Fatalf("exit code %d, want 2: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "loopback only") {
		t.Errorf("stderr = %s", stderr.String())
	}
}
