#!/usr/bin/env bash
# Prints the Kubernetes version the project builds, tests and demos against.
# One source, read from go.mod files as Kubebuilder v4's Makefile reads its
# envtest version: the k8s.io/kubernetes release that
# hack/tools/kubernetes/go.mod pins (the control plane built from source
# into bin/k8s/<version>), which must be the minor of the k8s.io/api the
# operator compiles against in go.mod. The Makefile, every script and
# internal/testenv read it from here; none writes the number itself.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
full=$(awk '($1 == "require" && $2 == "k8s.io/kubernetes") {print $3} ($1 == "k8s.io/kubernetes") {print $2}' \
  "$root/hack/tools/kubernetes/go.mod" | head -n1)
api=$(awk '$1 == "k8s.io/api" {print $2}' "$root/go.mod" | head -n1)
# v1.37.2 and v0.37.0 share the minor 37.
if [ -z "$full" ] || [ -z "$api" ] || [ "$(cut -d. -f2 <<<"$full")" != "$(cut -d. -f2 <<<"$api")" ]; then
  echo "hack/k8s-version.sh: hack/tools/kubernetes/go.mod pins k8s.io/kubernetes '$full', but go.mod has k8s.io/api '$api': bump both to one minor" >&2
  exit 1
fi
echo "$full"
