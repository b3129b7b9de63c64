package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"sitegroup.io/operator/internal/console"
)

// consoleFlags are the flags of `sitegroup console`.
type consoleFlags struct {
	kubeconfig string
	context    string
	listen     string
	lang       string
	as         string
	asGroups   []string
	namespaces []string
}

func (c *cli) consoleCommand() *cobra.Command {
	f := consoleFlags{listen: console.DefaultListen}
	cmd := &cobra.Command{
		Use:   "console",
		Short: "a web console on 127.0.0.1, acting through the API server as you (your kubeconfig, your RBAC)",
		Long: `console serves the platform's web console (网站集约化平台控制台) on a loopback address:
the sites you may read, their records and charts, the applications waiting at a level you may
sign (one button signs as you, through the API server, like kubectl patch), and the yearly and
monthly reports. It uses your kubeconfig and identity (--context, --as) and nothing else; it
never listens on another address than loopback.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.run(f, func() error {
				if err := f.check(); err != nil {
					return err
				}
				ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
				defer stop()
				return runConsole(ctx, f, c.stdout, c.stderr)
			})
		},
	}
	fs := cmd.Flags()
	bindKubeconfig(fs, &f.kubeconfig)
	fs.StringVar(&f.context, "context", "", "kubeconfig context to use; the current context when empty")
	fs.StringVar(&f.listen, "listen", f.listen, "loopback address to listen on (127.0.0.1:PORT or [::1]:PORT); other addresses are refused")
	fs.StringVar(&f.lang, "lang", "", "language of the pages when the browser does not choose: zh-CN or en (default: Accept-Language, then zh-CN)")
	fs.StringVar(&f.as, "as", "", "user to impersonate, as kubectl --as (your kubeconfig's own impersonation applies otherwise)")
	fs.StringSliceVar(&f.asGroups, "as-group", nil, "group to impersonate, as kubectl --as-group; repeat for several")
	fs.StringSliceVar(&f.namespaces, "namespace", nil, "namespaces to read one by one when you may not list across namespaces (default: the context's namespace)")
	_ = cmd.RegisterFlagCompletionFunc("lang", cobra.FixedCompletions([]string{console.LangZH, console.LangEN}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// check refuses what the console must not do before anything is read.
func (f consoleFlags) check() error {
	if err := console.CheckListen(f.listen); err != nil {
		return usageError{err.Error()}
	}
	if f.lang != "" && console.NormalizeLang(f.lang) == "" {
		return usageError{fmt.Sprintf("--lang %q: zh-CN or en", f.lang)}
	}
	if len(f.asGroups) > 0 && f.as == "" {
		return usageError{"--as-group needs --as (as kubectl)"}
	}
	return nil
}

// clientConfig is the kubeconfig as kubectl reads it: --kubeconfig or
// $KUBECONFIG or ~/.kube/config, --context, and --as/--as-group over the
// kubeconfig's own impersonation settings.
func (f consoleFlags) clientConfig() clientcmd.ClientConfig {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = f.kubeconfig
	overrides := &clientcmd.ConfigOverrides{CurrentContext: f.context}
	if f.as != "" {
		overrides.AuthInfo.Impersonate = f.as
		overrides.AuthInfo.ImpersonateGroups = f.asGroups
	}
	return clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides)
}

// newConsoleConfig reads the user's rest.Config and the context's
// namespace; tests replace it.
var newConsoleConfig = func(f consoleFlags) (*rest.Config, string, error) {
	cc := f.clientConfig()
	cfg, err := cc.ClientConfig()
	if err != nil {
		return nil, "", fmt.Errorf("reading your kubeconfig: %w", err)
	}
	ns, _, err := cc.Namespace()
	if err != nil {
		return nil, "", fmt.Errorf("reading your kubeconfig's namespace: %w", err)
	}
	return cfg, ns, nil
}

func runConsole(ctx context.Context, f consoleFlags, stdout, stderr io.Writer) error {
	cfg, ns, err := newConsoleConfig(f)
	if err != nil {
		return err
	}
	namespaces := f.namespaces
	if len(namespaces) == 0 && ns != "" {
		namespaces = []string{ns}
	}
	srv, err := console.New(console.Options{Config: cfg, Lang: f.lang, Namespaces: namespaces,
		Log: slog.New(slog.NewTextHandler(stderr, nil))})
	if err != nil {
		return err
	}
	return srv.Serve(ctx, f.listen, func(addr net.Addr) {
		who := cfg.Impersonate.UserName
		if who != "" {
			who = " as " + who
		}
		fmt.Fprintf(stdout, "sitegroup console%s on %s: open http://%s/ (Ctrl-C stops it)\n", who, cfg.Host, strings.TrimSpace(addr.String()))
	})
}
