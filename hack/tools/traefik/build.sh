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
#   3. lego (ACME) pulls DNS-provider SDKs the proxy refuses -> a copy of lego
#      without those providers, and empty stub modules for the SDK paths.
# A stamp (version + hash of this folder) makes a warm run a no-op.
# Usage: hack/tools/traefik/build.sh   (prints the binary's path last)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
version=v3.7.13
module=github.com/traefik/traefik/v3
src="$root/bin/traefik-src-$version"
out="$root/bin/traefik-$version"

# DNS providers of lego whose SDKs the module proxy refuses, and those SDKs.
lego_drop=(edgedns huaweicloud oraclecloud sakuracloud ucloud yandexcloud)
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

# 3. lego without the refused DNS providers, and stubs for their SDK modules.
lego_dir=$(moddir "github.com/go-acme/lego/v5@$lego_version")
mkdir -p _replace/lego
cp -R "$lego_dir/." _replace/lego/
chmod -R u+w _replace/lego
drop_re=$(IFS='|'; echo "${lego_drop[*]}")
for p in "${lego_drop[@]}"; do
  rm -rf "_replace/lego/providers/dns/$p"
done
# The providers' factory: drop their imports and their `case ...: return x.NewDNSProvider()`.
awk -v re="^($drop_re)$" '
  /^[[:space:]]*"github.com\/go-acme\/lego\/v5\/providers\/dns\/[a-z0-9]+"$/ {
    n = $0; sub(/.*\/providers\/dns\//, "", n); sub(/".*/, "", n)
    if (n ~ re) next
  }
  /^[[:space:]]*case .*:$/ { held = $0; next }
  held != "" {
    line = held; held = ""
    if ($0 ~ /^[[:space:]]*return [a-z0-9]+\.NewDNSProvider\(\)$/) {
      n = $0; sub(/^[[:space:]]*return /, "", n); sub(/\..*/, "", n)
      if (n ~ re) next
    }
    print line
  }
  { print }
' _replace/lego/providers/dns/zz_gen_dns_providers.go > zz.tmp
mv zz.tmp _replace/lego/providers/dns/zz_gen_dns_providers.go
if grep -Eq "providers/dns/($drop_re)\"|[^a-z]($drop_re)\.NewDNSProvider" _replace/lego/providers/dns/zz_gen_dns_providers.go; then
  echo "failed to drop providers from lego's factory" >&2; exit 1
fi
go mod edit -replace "github.com/go-acme/lego/v5=./_replace/lego"
for m in "${refused_modules[@]}"; do
  d="_replace/stubs/$m"
  mkdir -p "$d"
  printf 'module %s\n\ngo 1.21\n' "$m" > "$d/go.mod"
  go mod edit -replace "$m=./$d"
done

# 4. Build.
heavy go mod download
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
