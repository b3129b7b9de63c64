// Command sitegroup is the platform's one binary: the operator's manager, the
// inspector that InspectionRun Jobs run, and the helpers the platform's pods run.
// Each subcommand lives in its own file of this package.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	_ "time/tzdata" // Asia/Shanghai in images without a zoneinfo database
)

// command is one subcommand: run gets the arguments after its name.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

// commands lists every subcommand; add a new one here and in its own file.
var commands = map[string]command{
	"manager": {"run the operator's controllers and webhooks", runManager},
	"inspect": {"inspect one site against the national indicators", runInspect},
	"version": {"print version information", runVersion},

	"serve-static":   {"serve a site's content (the samples' front end and admin)", runServeStatic},
	"content-import": {"fill a content volume from a migrated site, once", runContentImport},
	"notice":         {"serve a taken-down site's closure-notice page", runNotice},
	"archive":        {"archive a site's content and verify it (permanent closure)", runArchive},
	"sample-content": {"write a sample department site (the demo's migrated content)", runSampleContent},
	"report":         {"print the yearly site-management report (监管年度报表) as Markdown or CSV", runReport},
}

// usageError marks a bad invocation: main exits 2 instead of 1.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "sitegroup: unknown command %q\n\n", args[0])
		printUsage(stderr)
		return 2
	}
	if err := cmd.run(args[1:], stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "sitegroup %s: %v\n", args[0], err)
		if _, bad := err.(usageError); bad {
			return 2
		}
		return 1
	}
	return 0
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: sitegroup <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-10s %s\n", name, commands[name].summary)
	}
}
