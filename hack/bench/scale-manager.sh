#!/usr/bin/env bash
# hack/bench/scale-manager.sh hold|run|stop: the operator for the scale
# benchmark, as a process (bin/sitegroup manager) and as its ServiceAccount,
# like the demo runs it.
#   hold  starts it with leader election while the benchmark holds the
#         lease: it serves the admission webhooks (signing needs them, S1)
#         and reconciles nothing, so the sites can be created and signed
#         before the measured manager sees any of them;
#   run [WORKERS]  stops that one and starts the measured manager as the
#         demo does (no leader election), with --site-workers WORKERS (4,
#         its default): it finds every site at once;
#   stop  stops either.
# The webhooks are pointed at 127.0.0.1 (hack/lib/webhook-on-loopback.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

manager() { # name extra-flags...
  local name=$1; shift
  start "$name" "$root/bin/sitegroup" manager --kubeconfig "$bench_dir/operator.kubeconfig" --zap-log-level info \
    --metrics-bind-address "127.0.0.1:$metrics_port" --health-probe-bind-address "127.0.0.1:$probe_port" \
    --webhook-port "$webhook_port" --webhook-cert-dir "$pki/webhook" \
    --availability-probes=false "$@" # simulated nodes run no containers: nothing to probe
  wait_for "the operator's readiness ($name)" 60 curl -sf "http://127.0.0.1:$probe_port/readyz"
  source "$root/hack/lib/webhook-on-loopback.sh"
  webhooks_on_loopback "$webhook_port" "$pki/ca.crt" | "$kubectl" apply -f - >/dev/null
}

case "${1:-}" in
  hold)
    now=$(date -u +%Y-%m-%dT%H:%M:%S.000000Z)
    "$kubectl" apply -f - >/dev/null <<LEASE
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: sitegroup-operator.sitegroup.io, namespace: sitegroup-system}
spec: {holderIdentity: bench-hold, leaseDurationSeconds: 86400, acquireTime: "$now", renewTime: "$now"}
LEASE
    manager webhooks --leader-elect=true --leader-election-namespace sitegroup-system
    ;;
  run)
    stop webhooks
    manager manager --leader-elect=false --site-workers "${2:-4}"
    ;;
  stop)
    stop manager
    stop webhooks
    ;;
  *)
    echo "usage: $0 hold|run|stop" >&2
    exit 2
    ;;
esac
