#!/usr/bin/env bash
# Builds Traefik (the Gateway API data plane used on the real node) from the
# Go module proxy into bin/traefik-<version>/, next to the Gateway API CRDs it
# implements (crds/) and its Gateway RBAC (kubernetes-gateway-rbac.yml).
# No prebuilt binaries can be downloaded on the project's machines, and the
# proxy refuses a few of Traefik's dependencies, so the module is copied into
# a writable tree (bin/traefik-src-<version>/) and patched:
#   1. the unpublished nested module github.com/traefik/traefik/dynamic/ext
#      -> ext/ of this folder;
#   2. the refused fork github.com/containous/go-http-auth
#      -> github.com/abbot/go-http-auth v0.4.0 plus httpauth/additions.go;
#   3. lego (ACME) pulls about 210 DNS providers' SDKs, some refused by the
#      proxy -> a copy of lego whose provider factory has none (cert-manager
#      issues the Gateway's certificates), and empty stub modules for the
#      refused SDK paths.
# A stamp (version + hash of this folder) makes a warm run a no-op.
# Usage: hack/tools/traefik/build.sh   (prints the binary's path last)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
version=v3.7.13
module=github.com/traefik/traefik/v3
src="$root/bin/traefik-src-$version"
out="$root/bin/traefik-$version"

# SDK modules of lego's DNS providers that the module proxy refuses.
refused_modules=(
  github.com/akamai/AkamaiOPEN-edgegrid-golang/v13
  github.com/huaweicloud/huaweicloud-sdk-go-v3
  github.com/nrdcg/oci-go-sdk/common/v1065
  github.com/nrdcg/oci-go-sdk/dns/v1065
  github.com/sacloud/sacloud-sdk-go
  github.com/ucloud/ucloud-sdk-go
  github.com/yandex-cloud/go-sdk/services/dns
)

stamp="$version $(cd "$here" && find . -type f ! -name '*~' | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)"
if [ -x "$out/traefik" ] && [ -f "$out/kubernetes-gateway-rbac.yml" ] &&
  [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$out/traefik"
  exit 0
fi

heavy() { nice -n 10 "$@"; }

# Module directory (in the module cache) of path@version, downloading it.
moddir() {
  (cd / && GOWORK=off go mod download -json "$1" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
}

echo "building traefik $version into ${out#"$root"/} (tree ${src#"$root"/})"
start=$SECONDS
traefik_dir=$(moddir "$module@$version")
[ -n "$traefik_dir" ] || { echo "cannot download $module@$version" >&2; exit 1; }

rm -rf "$src"
mkdir -p "$src"
cp -R "$traefik_dir/." "$src/"
chmod -R u+w "$src"
cd "$src"

# Versions Traefik itself pins.
req() { awk -v p="$1" '$1 == p && $2 ~ /^v/ { print $2; exit }' go.mod; }
lego_version=$(req 'github.com/go-acme/lego/v5')
gwapi_version=$(req 'sigs.k8s.io/gateway-api')
[ -n "$lego_version" ] && [ -n "$gwapi_version" ] || { echo "cannot read lego/gateway-api versions from go.mod" >&2; exit 1; }

# 1. dynamic/ext: go.mod already replaces it with ./pkg/config/dynamic/ext.
mkdir -p pkg/config/dynamic/ext
cp "$here"/ext/* pkg/config/dynamic/ext/

# 2. go-http-auth: upstream v0.4.0 (it has no go.mod) plus the fork's additions.
auth_dir=$(moddir github.com/abbot/go-http-auth@v0.4.0)
mkdir -p _replace/go-http-auth
cp "$auth_dir"/*.go _replace/go-http-auth/
rm -f _replace/go-http-auth/*_test.go
cp "$here/httpauth/additions.go" _replace/go-http-auth/
chmod -R u+w _replace/go-http-auth
printf 'module github.com/abbot/go-http-auth\n\ngo 1.21\n' > _replace/go-http-auth/go.mod
go mod edit -replace github.com/abbot/go-http-auth=./_replace/go-http-auth

# 3. lego without its DNS providers (about 210, each with a provider's SDK:
#    most of a cold build's time, and several refused by the proxy): the
#    platform's Gateway takes its certificates from cert-manager, never from
#    Traefik's ACME, so the providers' factory answers that none is built in.
#    The refused SDK modules stay in Traefik's module graph: empty stubs.
lego_dir=$(moddir "github.com/go-acme/lego/v5@$lego_version")
mkdir -p _replace/lego
cp -R "$lego_dir/." _replace/lego/
chmod -R u+w _replace/lego
cat > _replace/lego/providers/dns/zz_gen_dns_providers.go <<'GO'
// Package dns: lego's DNS provider factory, without providers
// (sitegroup-operator's hack/tools/traefik/build.sh).
package dns

import (
	"fmt"

	"github.com/go-acme/lego/v5/challenge"
)

// NewDNSChallengeProviderByName knows no provider in this build.
func NewDNSChallengeProviderByName(name string) (challenge.Provider, error) {
	return nil, fmt.Errorf("unrecognized DNS provider: %s (this Traefik is built without ACME DNS providers)", name)
}
GO
rm -f _replace/lego/providers/dns/dns_providers_test.go
go mod edit -replace "github.com/go-acme/lego/v5=./_replace/lego"
for m in "${refused_modules[@]}"; do
  d="_replace/stubs/$m"
  mkdir -p "$d"
  printf 'module %s\n\ngo 1.21\n' "$m" > "$d/go.mod"
  go mod edit -replace "$m=./$d"
done

# 4. Build (it downloads only the modules it compiles).
mkdir -p "$out"
heavy env CGO_ENABLED=0 go build -trimpath -ldflags "-s -w \
  -X github.com/traefik/traefik/v3/pkg/version.Version=$version" \
  -o "$out/traefik.tmp" ./cmd/traefik
mv "$out/traefik.tmp" "$out/traefik"

# Gateway API CRDs (standard channel) of the version Traefik implements, and its RBAC.
gw_dir=$(moddir "sigs.k8s.io/gateway-api@$gwapi_version")
rm -rf "$out/crds"
mkdir -p "$out/crds"
install -m 0644 "$gw_dir"/config/crd/standard/*.yaml "$out/crds/"
install -m 0644 docs/content/reference/dynamic-configuration/kubernetes-gateway-rbac.yml "$out/"

echo "$stamp" > "$out/.stamp"
echo "built traefik $version in $((SECONDS - start))s"
echo "$out/traefik"
