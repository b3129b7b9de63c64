package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitegroup.io/operator/internal/archive"
)

// TestArchiveThenVerify runs the two commands of a permanent closure as
// their two Jobs do (T7): archive writes and reports the digest; a second
// process reads the archive back with that digest, and a wrong digest or a
// damaged archive fails it with a non-zero exit.
func TestArchiveThenVerify(t *testing.T) {
	content, out := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(content, "index.html"), []byte("<h1>和平区教育局</h1>"), 0o644); err != nil {
		t.Fatal(err)
	}
	tarball, writeReport, readReport := filepath.Join(out, "edu.tar.gz"), filepath.Join(out, "write.json"), filepath.Join(out, "read.json")
	if code, _, stderr := runCommandLine("archive", "--from", content, "--to", tarball, "--report", writeReport); code != 0 {
		t.Fatalf("archive: exit %d: %s", code, stderr)
	}
	written := readResult(t, writeReport)

	if code, _, stderr := runCommandLine("archive-verify", "--archive", tarball, "--sha256", written.SHA256, "--report", readReport); code != 0 {
		t.Fatalf("archive-verify of a sound archive: exit %d: %s", code, stderr)
	}
	if read := readResult(t, readReport); read != written {
		t.Errorf("read back %+v, written %+v", read, written)
	}

	wrong := strings.Repeat("0", 64)
	if code, _, stderr := runCommandLine("archive-verify", "--archive", tarball, "--sha256", wrong, "--report", readReport); code == 0 || !strings.Contains(stderr, "sha256") {
		t.Errorf("archive-verify with a digest the archive does not have: exit %d, stderr %q; want a failure naming the digest", code, stderr)
	}
	if code, _, _ := runCommandLine("archive-verify", "--archive", tarball, "--sha256", "abc"); code != 2 {
		t.Errorf("a digest that is not 64 hex digits is a usage error (exit 2), got %d", code)
	}
}

func readResult(t *testing.T, path string) archive.Result {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var res archive.Result
	if err := json.Unmarshal(data, &res); err != nil || len(res.SHA256) != 64 {
		t.Fatalf("report %s: %q (%v)", path, data, err)
	}
	return res
}
