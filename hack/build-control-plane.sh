#!/usr/bin/env bash
# Builds the pinned Kubernetes control plane and etcd from the Go module proxy
# into bin/k8s/<version>/ (no prebuilt binaries can be downloaded on the
# project's machines; see README "What make needs"). A version stamp makes a
# warm run a no-op. Usage: hack/build-control-plane.sh [component ...]
# Components: etcd kube-apiserver kubectl kube-controller-manager kube-scheduler
# kubelet kube-proxy (default: all).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
k8s_version=$("$root/hack/k8s-version.sh")
etcd_version=v3.6.6
out="$root/bin/k8s/$k8s_version"
mkdir -p "$out"

components=("$@")
if [ ${#components[@]} -eq 0 ]; then
  components=(etcd kube-apiserver kubectl kube-controller-manager kube-scheduler kubelet kube-proxy)
fi

minor=${k8s_version#v1.}; minor=${minor%%.*}
ldflags="-s -w \
 -X k8s.io/component-base/version.gitVersion=$k8s_version \
 -X k8s.io/component-base/version.gitMajor=1 \
 -X k8s.io/component-base/version.gitMinor=$minor \
 -X k8s.io/client-go/pkg/version.gitVersion=$k8s_version \
 -X k8s.io/client-go/pkg/version.gitMajor=1 \
 -X k8s.io/client-go/pkg/version.gitMinor=$minor"

build() { # name module-dir package stamp
  local name=$1 dir=$2 pkg=$3 stamp=$4
  if [ -x "$out/$name" ] && [ "$(cat "$out/.$name.stamp" 2>/dev/null)" = "$stamp" ]; then
    return 0
  fi
  echo "building $name ($stamp) into ${out#"$root"/}"
  local start=$SECONDS
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" -o "$out/$name.tmp" "$pkg")
  mv "$out/$name.tmp" "$out/$name"
  echo "$stamp" > "$out/.$name.stamp"
  echo "built $name in $((SECONDS - start))s"
}

for c in "${components[@]}"; do
  case "$c" in
    etcd) build etcd "$root/hack/tools/etcd" go.etcd.io/etcd/server/v3 "$etcd_version" ;;
    kube-apiserver|kube-controller-manager|kube-scheduler|kubectl|kubelet|kube-proxy)
      build "$c" "$root/hack/tools/kubernetes" "k8s.io/kubernetes/cmd/$c" "$k8s_version" ;;
    *) echo "unknown component $c" >&2; exit 2 ;;
  esac
done
