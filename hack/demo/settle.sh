#!/usr/bin/env bash
# Waits (bounded) until the operator has reported on every sample: the
# policy in force, the portal launching (S5: simulated nodes run no inspection), the education bureau taken down
# (T5), the health
# commission awaiting approval (S1), the data centre unplaceable (S6).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
state() { "$kubectl" get gw -n "$1" "$2" -o jsonpath='{.status.state}' 2>/dev/null; }
wait_for "the policy's status" 60 bash -c "[ -n \"\$('$kubectl' get sgp default -o jsonpath='{.status.observedGeneration}')\" ]"
for want in "tjhp-portal portal Launching" "tjhp-edu edu TakenDown" "tjhp-health health AwaitingApproval" "tjhp-data data Degraded"; do
  set -- $want
  if ! wait_for "site $1/$2 to be $3" 120 bash -c "[ \"\$('$kubectl' get gw -n $1 $2 -o jsonpath='{.status.state}')\" = $3 ]"; then
    echo "site $1/$2 is $(state "$1" "$2"), not $3" >&2
    "$kubectl" get gw -n "$1" "$2" -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}' >&2
    exit 1
  fi
done
