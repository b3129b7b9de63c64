#!/usr/bin/env bash
# go-install.sh OUT PKG@VERSION: installs a Go command into a versioned path
# under bin/, so a version bump in the Makefile rebuilds it and a warm run
# does nothing.
set -euo pipefail
out=$1 pkg=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "installing $pkg"
GOBIN=$tmp GOFLAGS= go install "$pkg"
mkdir -p "$(dirname "$out")"
mv "$tmp"/* "$out"
