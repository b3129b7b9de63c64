#!/usr/bin/env bash
# Builds cert-manager's controller and CA injector (this folder's main.go and
# cainjector/main.go over the github.com/cert-manager/cert-manager release its
# go.mod pins) from the Go module proxy into bin/cert-manager-<version>/
# controller and .../cainjector, and copies that release's CRDs into
# bin/cert-manager-<version>/crds/. Upstream's program modules are not served,
# hence the project's own mains (see main.go, cainjector/main.go).
# A stamp (the version and a hash of go.mod, go.sum and both mains) makes a
# warm run a no-op. Prints the output directory on the last line.
# Usage: hack/tools/cert-manager/build.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
module=github.com/cert-manager/cert-manager
version=$(awk -v m="$module" '($1 == "require" && $2 == m) {print $3} ($1 == m) {print $2}' "$here/go.mod" | head -n1)
if [ -z "$version" ]; then
  echo "build.sh: $here/go.mod does not require $module" >&2
  exit 1
fi
out="$root/bin/cert-manager-$version"
stamp="$version $(cat "$here/go.mod" "$here/go.sum" "$here/main.go" "$here/cainjector/main.go" | sha256sum | cut -c1-16)"

if [ -x "$out/controller" ] && [ -x "$out/cainjector" ] && compgen -G "$out/crds/*.yaml" >/dev/null &&
  [ "$(cat "$out/.controller.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$out"
  exit 0
fi

echo "building cert-manager controller and cainjector $version into ${out#"$root"/}" >&2
start=$SECONDS
mkdir -p "$out"
cd "$here"
export GOFLAGS=-mod=mod CGO_ENABLED=0
src=$(go mod download -json "$module@$version" | awk -F'"' '$2 == "Dir" {print $4}')
ldflags="-s -w -X $module/pkg/util.AppVersion=$version"
nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$out/controller.tmp" .
nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$out/cainjector.tmp" ./cainjector
mv "$out/controller.tmp" "$out/controller"
mv "$out/cainjector.tmp" "$out/cainjector"

rm -rf "$out/crds.tmp"
mkdir -p "$out/crds.tmp"
cp "$src"/deploy/crds/*.yaml "$out/crds.tmp/"
chmod 0644 "$out"/crds.tmp/*.yaml # the module cache is read-only
rm -rf "$out/crds"
mv "$out/crds.tmp" "$out/crds"

echo "$stamp" >"$out/.controller.stamp"
echo "built cert-manager controller and cainjector $version in $((SECONDS - start))s" >&2
echo "$out"
