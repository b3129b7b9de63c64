#!/usr/bin/env bash
# go-install.sh OUT PKG@VERSION [LDFLAGS]: installs a Go command into a
# versioned path under bin/, so a version bump in the Makefile rebuilds it
# and a warm run does nothing. LDFLAGS (-X ...) stamp what the command's
# own release build would (helm's Kubernetes version).
set -euo pipefail
out=$1 pkg=$2 ldflags=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "installing $pkg"
GOBIN=$tmp GOFLAGS= go install -ldflags "$ldflags" "$pkg"
mkdir -p "$(dirname "$out")"
mv "$tmp"/* "$out"
