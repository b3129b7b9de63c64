#!/usr/bin/env bash
# Stops every process `make demo` started, by PID, newest first, and keeps
# the logs. `make demo-down`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
echo "stopping the demo"
for name in manager kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
  stop "$name"
done
# The real-node demo: its relays, then the operator and the node.
rn_pids="$root/bin/realnode/demo-pids"
if [ -d "$rn_pids" ]; then
  pid_dir=$rn_pids
  for f in "$rn_pids"/*.pid; do [ -e "$f" ] && stop "$(basename "$f" .pid)" 2; done
  rm -rf "$rn_pids"
  "$root/hack/e2e/down.sh"
fi
echo "logs kept in ${log_dir#"$root"/}"
