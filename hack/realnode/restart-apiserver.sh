#!/usr/bin/env bash
# Restarts the node's kube-apiserver (the fault suite: the API server
# restarted mid-run). Its clients, the operator included, must reconnect.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
stop kube-apiserver 15
start_apiserver
