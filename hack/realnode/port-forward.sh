#!/usr/bin/env bash
# Makes a Service of the real node reachable on the host's 127.0.0.1.
# Runs in the foreground until killed (start it with & and stop it by PID).
#
#   hack/realnode/port-forward.sh NAMESPACE svc/NAME LOCAL_PORT:PORT
#       `kubectl port-forward` (through the apiserver and the kubelet to one
#       of the Service's pods, as on any cluster).
#   hack/realnode/port-forward.sh --relay NAMESPACE svc/NAME LOCAL_PORT:PORT
#       a socat relay from 127.0.0.1:LOCAL_PORT to the Service's ClusterIP
#       inside the node's netns (through kube-proxy, all endpoints; the
#       traffic comes from the node itself, which NetworkPolicy allows, as for
#       kubelet probes).
# Either way the host talks only to loopback.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
relay=
[ "${1:-}" = --relay ] && { relay=1; shift; }
[ $# -eq 3 ] || { sed -n '2,13p' "$0" >&2; exit 2; }
ns=$1 svc=${2#svc/} ports=$3
local_port=${ports%%:*} port=${ports#*:}
if [ -z "$relay" ]; then
  exec "$kubectl" --kubeconfig "$KUBECONFIG" -n "$ns" port-forward --address 127.0.0.1 "svc/$svc" "$local_port:$port"
fi
netns_exists || die "the real node is not up: run hack/realnode/up.sh"
ip=$(timeout 10 "$kubectl" --kubeconfig "$KUBECONFIG" -n "$ns" get svc "$svc" -o jsonpath='{.spec.clusterIP}') \
  || die "no Service $ns/$svc"
echo "relaying 127.0.0.1:$local_port -> $ns/$svc ($ip:$port) in the node's netns"
exec socat "TCP-LISTEN:$local_port,bind=127.0.0.1,reuseaddr,fork" \
  "EXEC:$here/nsconnect.sh $ip $port"
