package browser_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"sitegroup.io/operator/internal/testenv"
)

// buildSitegroup builds cmd/sitegroup into the spec's temporary folder.
func buildSitegroup() string {
	GinkgoHelper()
	root, err := testenv.RepoRoot()
	Expect(err).NotTo(HaveOccurred())
	bin := filepath.Join(GinkgoT().TempDir(), "sitegroup")
	build, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(build, "go", "build", "-o", bin, "./cmd/sitegroup")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	Expect(err).NotTo(HaveOccurred(), "go build ./cmd/sitegroup: %s", out)
	return bin
}

// adminKubeconfig writes a kubeconfig of an administrator (system:masters,
// who may impersonate), as a platform engineer's own file would be.
func adminKubeconfig() string {
	GinkgoHelper()
	user, err := env.AddUser(envtest.User{Name: "platform-admin", Groups: []string{"system:masters"}}, nil)
	Expect(err).NotTo(HaveOccurred())
	data, err := user.KubeConfig()
	Expect(err).NotTo(HaveOccurred())
	path := filepath.Join(GinkgoT().TempDir(), "kubeconfig")
	Expect(os.WriteFile(path, data, 0o600)).To(Succeed())
	return path
}

// exitCode runs sitegroup and returns its exit code.
func exitCode(bin string, args ...string) int {
	GinkgoHelper()
	run, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err := exec.CommandContext(run, bin, args...).Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	Expect(err).NotTo(HaveOccurred())
	return 0
}

// get fetches a page of a console.
func get(url string) (int, string) {
	GinkgoHelper()
	resp, err := http.Get(url)
	Expect(err).NotTo(HaveOccurred())
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	Expect(err).NotTo(HaveOccurred())
	return resp.StatusCode, string(body)
}
