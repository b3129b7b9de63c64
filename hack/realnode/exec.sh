#!/usr/bin/env bash
# Runs a command inside the real node's network namespace, where pod and
# Service IPs are reachable and the apiserver is https://127.0.0.1:6443
# (KUBECONFIG is set for that). Examples:
#   hack/realnode/exec.sh curl -s --max-time 3 http://10.96.12.34/
#   hack/realnode/exec.sh bin/k8s/$(hack/k8s-version.sh)/kubectl get pods -A
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ $# -gt 0 ] || { echo "usage: hack/realnode/exec.sh CMD [ARGS...]" >&2; exit 2; }
netns_exists || die "the real node is not up (no network namespace at $netns): run hack/realnode/up.sh"
export KUBECONFIG="$ns_kubeconfig"
exec nsenter --net="$netns" -- "$@"
