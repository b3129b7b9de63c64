// Command sitegroup is the platform's one binary: the operator's manager, the
// inspector that InspectionRun Jobs run, and the helpers the platform's pods run.
// Each subcommand lives in its own file of this package.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"
	_ "time/tzdata" // Asia/Shanghai in images without a zoneinfo database

	"github.com/spf13/cobra"
)

// cli is what the command tree runs with: where it writes, its clock and,
// in tests, a stop right after parsing.
type cli struct {
	stdout, stderr io.Writer
	now            func() time.Time
	// parsed, when set, receives a subcommand's parsed flags in place of
	// running it: tests parse a Job's command line with the real tree.
	parsed func(flags any)
}

// usageError marks a bad invocation: main exits 2 instead of 1.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

// dispatch runs one command line and returns its exit code: 0 done, 1 the
// command failed, 2 the command line is wrong.
func dispatch(args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout: stdout, stderr: stderr, now: time.Now}
	return c.dispatch(args)
}

func (c *cli) dispatch(args []string) int {
	cmd, err := c.execute(args)
	if err == nil {
		return 0
	}
	fmt.Fprintf(c.stderr, "%s: %v\n", cmd.CommandPath(), err)
	// A command that cannot run only fails at choosing a subcommand.
	if errors.As(err, new(usageError)) || !cmd.Runnable() {
		fmt.Fprintf(c.stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		return 2
	}
	return 1
}

// execute runs one command line and returns the command it chose.
func (c *cli) execute(args []string) (*cobra.Command, error) {
	root := c.rootCommand()
	if len(args) == 0 {
		return root, usageError{"a command is required"}
	}
	root.SetArgs(args)
	return root.ExecuteC()
}

// rootCommand is the command tree; add a subcommand here and in its own file.
func (c *cli) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "sitegroup",
		Short: "the site group platform's operator and the tools its pods run",
		// dispatch reports errors itself, with the exit code they mean.
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(c.stdout)
	root.SetErr(c.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	root.AddCommand(
		c.managerCommand(),
		c.inspectCommand(),
		c.versionCommand(),
		c.serveStaticCommand(),
		c.contentImportCommand(),
		c.noticeCommand(),
		c.archiveCommand(),
		c.archiveVerifyCommand(),
		c.sampleContentCommand(),
		c.reportCommand(),
		c.consoleCommand(),
	)
	return root
}

// run runs a subcommand on its parsed flags, unless a test only wants the
// flags.
func (c *cli) run(flags any, run func() error) error {
	if c.parsed != nil {
		c.parsed(flags)
		return nil
	}
	return run()
}
