package jobargs

import "github.com/spf13/pflag"

// Notice is the command line of `sitegroup notice`, which serves a
// taken-down site's notice page, or a domain change's on the old domains
// (internal/builders.NoticeDeployment).
type Notice struct {
	// Config is the notice's JSON (the notice ConfigMap's key, mounted).
	Config string
	// Port is the port served, the front end's.
	Port string
}

// Args renders the command line, "notice" first, with both flags.
func (n Notice) Args() []string {
	args := argList{"notice"}
	args.add(flagConfig, n.Config)
	args.add(flagPort, n.Port)
	return args
}

// Bind defines the command's flags on fs, bound to n's fields.
func (n *Notice) Bind(fs *pflag.FlagSet) {
	fs.StringVar(&n.Config, flagConfig, n.Config, "the notice's JSON")
	BindPort(fs, &n.Port)
}
