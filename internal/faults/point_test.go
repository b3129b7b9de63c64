//go:build faultinject

package faults

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// TestPointKillsOnlyAtItsName runs this test binary again as a child that
// reaches two points: armed at the second, it dies of SIGKILL there, after
// saying so; armed at neither, it exits normally.
func TestPointKillsOnlyAtItsName(t *testing.T) {
	if os.Getenv("FAULTS_CHILD") == "1" {
		Point(ContentImportStarted)
		Point(ArchiveWritten)
		os.Exit(0)
	}
	run := func(armed string) (*exec.ExitError, string) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPointKillsOnlyAtItsName$")
		cmd.Env = append(os.Environ(), "FAULTS_CHILD=1", "SITEGROUP_CRASH_AT="+armed)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatal(err)
		}
		return exit, string(out)
	}
	exit, out := run(ArchiveWritten)
	if exit == nil || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("armed at %s: %v, want death by SIGKILL; output %q", ArchiveWritten, exit, out)
	}
	if out != "fault point "+ArchiveWritten+": SIGKILL\n" {
		t.Errorf("output %q: the point says its name before the kill, and only the armed one", out)
	}
	if exit, out := run("prelaunch-job-created"); exit != nil {
		t.Errorf("armed at a point the child never reaches: %v (%q), want a normal exit", exit, out)
	}
}

// TestClockOffset reads the suite's offset, and none when unset or bad.
func TestClockOffset(t *testing.T) {
	for v, want := range map[string]int64{"744h": 744 * 3600e9, "": 0, "soon": 0} {
		t.Setenv("SITEGROUP_CLOCK_OFFSET", v)
		if got := ClockOffset(); got != want {
			t.Errorf("SITEGROUP_CLOCK_OFFSET=%q: %d, want %d", v, got, want)
		}
	}
}
