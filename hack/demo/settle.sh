#!/usr/bin/env bash
# Waits (bounded) until the operator has reported on every sample.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
wait_for "the policy's status" 60 bash -c "[ -n \"\$('$kubectl' get sgp default -o jsonpath='{.status.observedGeneration}')\" ]"
