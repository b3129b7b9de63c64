#!/usr/bin/env bash
# hack/prefetch.sh: started in the background by `make test` (target
# prefetch), it downloads the modules that the long builds further on will
# compile — the control plane, etcd, the real node's Cilium, CoreDNS and
# small tools, cert-manager's controller — while `go vet` and the unit tests
# compile, so that on a cold machine their downloads overlap with compiling
# instead of adding to it (issue 20: a cold `make test` spent about a third
# of kube-apiserver's 508 s downloading). It only downloads: `go list -deps`
# fetches the modules holding the packages those builds import, and
# compiles nothing. A build that needs a module still being fetched waits
# on the module cache's lock, so make test never waits for this script nor
# fetches a module twice. Warm, everything is in the cache: a few seconds.
# Bounded: PREFETCH_TIMEOUT (30m). Log: bin/prefetch.log.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
limit=${PREFETCH_TIMEOUT:-30m}

# deps DIR ARGS...: the packages (and their modules) a build in DIR needs.
deps() {
  local dir=$1; shift
  local start=$SECONDS
  if (cd "$root/$dir" && GOFLAGS=-mod=mod timeout "$limit" go list -e -deps -f '' "$@" >/dev/null); then
    echo "prefetch: $dir in $((SECONDS - start))s"
  else
    echo "prefetch: $dir stopped after $((SECONDS - start))s (the build will fetch the rest)"
  fi
}

echo "prefetch: started $(date -u +%T)"
deps hack/tools/kubernetes -tags tools .
deps hack/tools/etcd -tags tools .
deps hack/realnode/tools/cilium -tags tools .
for tool in coredns provisioner cri imgtool; do
  deps "hack/realnode/tools/$tool" .
done
deps hack/tools/cert-manager . ./cainjector
echo "prefetch: done $(date -u +%T)"
