// Package testenv starts envtest's real kube-apiserver and etcd (built from
// source into bin/ by `make control-plane-envtest`) with the project's CRDs
// and the third-party CRDs the operator writes.
package testenv

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"sitegroup.io/operator/internal/scheme"
)

// KubernetesVersion is the version of the control plane built into
// bin/k8s/<version>, as hack/k8s-version.sh reads it from the go.mod files
// (the one source of the number).
func KubernetesVersion() (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	out, err := exec.Command(filepath.Join(root, "hack", "k8s-version.sh")).Output()
	if err != nil {
		return "", fmt.Errorf("hack/k8s-version.sh: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// BinDir is bin/k8s/<version>, where the control plane's binaries are built.
func BinDir() (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	version, err := KubernetesVersion()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "bin", "k8s", version), nil
}

// RepoRoot finds the module root by walking up to go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// Scheme knows every kind the operator reads or writes.
func Scheme() *runtime.Scheme { return scheme.New() }

// New returns an environment with every CRD installed and, when
// withWebhooks, the operator's webhook configurations pointed at a local
// webhook server the suite must run. KUBEBUILDER_ASSETS wins; otherwise the
// binaries in bin/k8s/<version> are used.
func New(withWebhooks bool) (*envtest.Environment, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	assets := os.Getenv("KUBEBUILDER_ASSETS")
	if assets == "" {
		if assets, err = BinDir(); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(filepath.Join(assets, "kube-apiserver")); err != nil {
		return nil, fmt.Errorf("no kube-apiserver in %s: run `make control-plane-envtest` first: %w", assets, err)
	}
	env := &envtest.Environment{
		BinaryAssetsDirectory: assets,
		CRDDirectoryPaths: []string{
			filepath.Join(root, "config", "crd", "bases"),
			filepath.Join(root, "config", "crd", "external"),
		},
		ErrorIfCRDPathMissing: true,
		Scheme:                Scheme(),
	}
	if withWebhooks {
		env.WebhookInstallOptions = envtest.WebhookInstallOptions{Paths: []string{filepath.Join(root, "config", "webhook")}}
	}
	return env, nil
}

// As returns a client acting as a user (a persona: a department, a signer,
// the platform, the auditor) in the given groups besides
// system:authenticated: the API server authorizes with the roles bound to
// them, and the webhooks see that user.
func As(cfg *rest.Config, user string, groups ...string) (client.Client, error) {
	return client.New(Impersonating(cfg, user, groups...), client.Options{Scheme: Scheme()})
}

// Impersonating returns a copy of cfg acting as user in groups.
func Impersonating(cfg *rest.Config, user string, groups ...string) *rest.Config {
	c := rest.CopyConfig(cfg)
	c.Impersonate = rest.ImpersonationConfig{UserName: user, Groups: append(groups, "system:authenticated")}
	return c
}

// OperatorUser is the operator's user as the shipped install makes it (its
// ServiceAccount, config/rbac): the suites run the manager as that user,
// with that role, so its RBAC and the site-namespace admission policies
// (which exempt only it) are what a cluster has.
const OperatorUser = "system:serviceaccount:sitegroup-system:sitegroup-manager"

// OperatorGroups are the groups the API server gives that ServiceAccount.
var OperatorGroups = []string{"system:serviceaccounts", "system:serviceaccounts:sitegroup-system"}
