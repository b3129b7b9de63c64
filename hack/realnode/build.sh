#!/usr/bin/env bash
# Builds everything the real node runs that is not a Debian package, one
# thing at a time (the CPU is shared), each cached by a version stamp so a
# warm run does nothing:
#   kubelet, kube-proxy (+ the control plane)   hack/build-control-plane.sh
#   cilium-agent, cilium-cni, cilium-dbg         tools/cilium  (Cilium v1.20.2)
#   coredns                                     tools/coredns (CoreDNS v1.15.0)
#   imgtool, pause, testapp, cri, provisioner   tools/<name>
# into bin/realnode/bin/. Usage: hack/realnode/build.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p "$tools_bin" "$log_dir"

"$root/hack/build-control-plane.sh" etcd kube-apiserver kubectl kube-controller-manager kube-scheduler kubelet kube-proxy

# src_hash DIR: a hash of a small module's sources, its stamp.
src_hash() { (cd "$1" && cat go.mod go.sum *.go 2>/dev/null | sha256sum | cut -c1-16); }

# gobuild NAME MODULE_DIR PACKAGE STAMP [LDFLAGS]
gobuild() {
  local name=$1 dir=$2 pkg=$3 stamp=$4 ldflags=${5:-}
  stamp_ok "$tools_bin/$name" "$stamp" && return 0
  echo "building $name ($stamp)"
  local start=$SECONDS
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w $ldflags" \
    -o "$tools_bin/$name.tmp" "$pkg") >"$log_dir/build-$name.log" 2>&1 \
    || { tail -20 "$log_dir/build-$name.log" >&2; die "building $name failed (log: $log_dir/build-$name.log)"; }
  mv "$tools_bin/$name.tmp" "$tools_bin/$name"
  echo "$stamp" >"$tools_bin/$name.stamp"
  echo "built $name in $((SECONDS - start))s"
}

t="$here/tools"
for small in pause testapp imgtool cri provisioner; do
  gobuild "$small" "$t/$small" . "$(src_hash "$t/$small")"
done

cilium_stamp="$cilium_version-$(src_hash "$t/cilium")"
cilium_ld="-X github.com/cilium/cilium/pkg/version.ciliumVersion=${cilium_version#v}"
gobuild cilium-agent "$t/cilium" github.com/cilium/cilium/daemon "$cilium_stamp" "$cilium_ld"
gobuild cilium-cni "$t/cilium" github.com/cilium/cilium/plugins/cilium-cni "$cilium_stamp" "$cilium_ld"
gobuild cilium-dbg "$t/cilium" github.com/cilium/cilium/cilium-dbg "$cilium_stamp" "$cilium_ld"

coredns_stamp="$coredns_version-$(src_hash "$t/coredns")"
gobuild coredns "$t/coredns" . "$coredns_stamp"

# Cilium's BPF sources (compiled at runtime by clang-19) and CRDs, copied
# out of the module cache once per version.
cilium_lib="$rn_dir/cilium-lib"
if [ "$(cat "$cilium_lib/.stamp" 2>/dev/null)" != "$cilium_version" ]; then
  src=$(cd "$t/cilium" && GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' github.com/cilium/cilium)
  rm -rf "$cilium_lib" && mkdir -p "$cilium_lib/crds"
  cp -r "$src/bpf" "$cilium_lib/bpf"
  cp "$src"/pkg/k8s/apis/cilium.io/client/crds/v2/*.yaml "$src"/pkg/k8s/apis/cilium.io/client/crds/v2alpha1/*.yaml "$cilium_lib/crds/"
  chmod -R u+w "$cilium_lib"
  echo "$cilium_version" >"$cilium_lib/.stamp"
  echo "copied Cilium $cilium_version BPF sources and CRDs"
fi
