#!/usr/bin/env bash
# Takes the education bureau's site down the way a department would: the
# sample TakedownRequest's period is moved to start now (the sample's dates
# are fixed), then each approval level signs as its own user; the operator's
# webhook stamps who signed and when.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
start=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
end=$(date -u -d '+19 days' +%Y-%m-%dT%H:%M:%SZ)
"$kubectl" patch tdr edu-rebuild-2026 -n tjhp-edu --type merge -p "{\"spec\":{\"start\":\"$start\",\"end\":\"$end\"}}" >/dev/null
sign() { # level user group
  local n
  n=$("$kubectl" get tdr edu-rebuild-2026 -n tjhp-edu -o jsonpath='{.spec.approvals}' | grep -o '"level"' | wc -l || true)
  if [ "$n" -eq 0 ]; then
    "$kubectl" --as "$2" --as-group "$3" patch tdr edu-rebuild-2026 -n tjhp-edu --type merge \
      -p "{\"spec\":{\"approvals\":[{\"level\":\"$1\",\"decision\":\"Approved\"}]}}" >/dev/null
  else
    "$kubectl" --as "$2" --as-group "$3" patch tdr edu-rebuild-2026 -n tjhp-edu --type json \
      -p "[{\"op\":\"add\",\"path\":\"/spec/approvals/-\",\"value\":{\"level\":\"$1\",\"decision\":\"Approved\"}}]" >/dev/null
  fi
  echo "  signed at level $1 by $2"
}
sign unit chen.jing@tjhp-edu sitegroup:unit-heads
sign city zhang.wei@tj sitegroup:city-office
sign province li.na@gov sitegroup:province-office
