#!/usr/bin/env bash
# Stops every process `make demo` started, by PID, newest first, and keeps
# the logs. `make demo-down`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
echo "stopping the demo"
for name in manager kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
  stop "$name"
done
echo "logs kept in ${log_dir#"$root"/}"
