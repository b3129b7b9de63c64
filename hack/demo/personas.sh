#!/usr/bin/env bash
# Binds the demo's people to the personas' roles (config/rbac/personas.yaml)
# the way a platform engineer would (README "Who may do what"): each
# department's web team and unit head in their own namespace only; the city
# and province offices, the platform engineer and the auditor cluster-wide.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bind_ns() { # namespace role user
  "$kubectl" create namespace "$1" --dry-run=client -o yaml | "$kubectl" apply -f - >/dev/null
  "$kubectl" create rolebinding "$2:$3" -n "$1" --clusterrole "$2" --user "$3" --dry-run=client -o yaml | "$kubectl" apply -f - >/dev/null
}
bind_cluster() { # role user
  "$kubectl" create clusterrolebinding "$1:$2" --clusterrole "$1" --user "$2" --dry-run=client -o yaml | "$kubectl" apply -f - >/dev/null
}
for dept in "tjhp-portal wang.li@tjhp" "tjhp-edu chen.jing@tjhp-edu" "tjhp-health zhao.min@tjhp-health" \
            "tjhp-data sun.hao@tjhp-data" "tjhp-culture zhou.min@tjhp-culture"; do
  set -- $dept
  bind_ns "$1" sitegroup-department "webmaster@$1"
  bind_ns "$1" sitegroup-unit-head "$2"
done
bind_cluster sitegroup-city-office zhang.wei@tj
bind_cluster sitegroup-province-office li.na@gov
bind_cluster sitegroup-platform-admin ops@tj
bind_cluster sitegroup-auditor audit@tj
echo "  bound: webmaster@<ns> (department) and the unit heads in their namespaces; zhang.wei@tj (city), li.na@gov (province), ops@tj (platform), audit@tj (auditor)"
