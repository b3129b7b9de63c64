#!/usr/bin/env bash
# The sample sites' opening approvals (S1), each signed by its signer as
# themselves after the platform engineer applied the site: the portal, the
# education bureau, the data centre and (on the real node) the culture
# bureau up the whole chain; the health commission by its unit head only,
# so it waits for the city office (AwaitingApproval).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
here=$(dirname "$0")
city=city=zhang.wei@tj province=province=li.na@gov
"$here/sign.sh" gw tjhp-portal portal unit=wang.li@tjhp "$city" "$province"
"$here/sign.sh" gw tjhp-edu edu unit=chen.jing@tjhp-edu "$city" "$province"
"$here/sign.sh" gw tjhp-data data unit=sun.hao@tjhp-data "$city" "$province"
"$here/sign.sh" gw tjhp-health health unit=zhao.min@tjhp-health
if "$kubectl" get gw culture -n tjhp-culture >/dev/null 2>&1; then
  "$here/sign.sh" gw tjhp-culture culture unit=zhou.min@tjhp-culture "$city" "$province"
fi
