#!/usr/bin/env bash
# Stops every process the scale benchmark started, by PID, newest first;
# keeps the logs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
for name in manager webhooks kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
  stop "$name"
done
