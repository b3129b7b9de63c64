#!/usr/bin/env bash
# Takes the education bureau's site down the way a department would: the
# sample TakedownRequest's period is moved to start now (the sample's dates
# are fixed; a takedown is frozen only once signed), then each approval
# level signs as its own user (hack/demo/sign.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
start=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
end=$(date -u -d '+19 days' +%Y-%m-%dT%H:%M:%SZ)
"$kubectl" --as webmaster@tjhp-edu patch tdr edu-rebuild-2026 -n tjhp-edu --type merge -p "{\"spec\":{\"start\":\"$start\",\"end\":\"$end\"}}" >/dev/null
"$(dirname "$0")/sign.sh" tdr tjhp-edu edu-rebuild-2026 unit=chen.jing@tjhp-edu city=zhang.wei@tj province=li.na@gov
