#!/usr/bin/env bash
# `make demo` on the real node: the operator, the sample sites with real
# migrated content, real inspection Jobs, a takedown showing its notice
# page; then a status table and commands to paste: curl lines to 127.0.0.1
# relays into the node's network namespace, the admin refused from outside
# its allowed sources, and how to point kubectl at the cluster.
set -euo pipefail
source "$(dirname "$0")/../realnode/lib.sh"
started=$SECONDS
demo_pids="$rn_dir/demo-pids"
k() { "$kubectl" --kubeconfig "$KUBECONFIG" "$@"; }

"$root/hack/e2e/up.sh"

log "the sample namespaces and the sites' old pages (sitegroup sample-content)"
k apply -f "$root/config/samples/namespaces.yaml" >/dev/null
k create namespace tjhp-culture --dry-run=client -o yaml | k apply -f - >/dev/null
"$root/hack/demo/realnode/content.sh"

log "the people: departments, unit heads, city and province offices, platform, auditor (hack/demo/personas.sh)"
DEMO_KUBECONFIG="$KUBECONFIG" "$root/hack/demo/personas.sh"

log "the samples (config/samples through hack/demo/realnode)"
k apply -k "$root/hack/demo/realnode" >/dev/null

log "the sample sites' opening approvals, each signer as themselves (S1)"
DEMO_KUBECONFIG="$KUBECONFIG" "$root/hack/demo/sign-samples.sh"

log "the sample takedown of the education bureau's site, signed at every level (T1)"
DEMO_KUBECONFIG="$KUBECONFIG" "$root/hack/demo/takedown.sh"

log "waiting for the prelaunch inspections (S5) and the takedown (T5)"
for want in "tjhp-portal portal Serving" "tjhp-culture culture Serving" "tjhp-edu edu TakenDown" \
            "tjhp-health health AwaitingApproval" "tjhp-data data Degraded"; do
  set -- $want
  wait_for "site $1/$2 to be $3" 300 bash -c "[ \"\$($kubectl --kubeconfig $KUBECONFIG get gw -n $1 $2 -o jsonpath='{.status.state}')\" = $3 ]" || {
    k get gw -n "$1" "$2" -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}' >&2
    exit 1
  }
done

log "loopback relays into the node's network namespace (the way a gateway reaches each site)"
mkdir -p "$demo_pids"
relay() { # name namespace service port
  setsid "$root/hack/realnode/port-forward.sh" --relay "$2" "svc/$3" "$4:80" >"$log_dir/relay-$1.log" 2>&1 </dev/null &
  echo $! >"$demo_pids/relay-$1.pid"
  wait_for "the relay to $2/$3" 30 curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$4/"
}
relay portal tjhp-portal portal-web 18481
relay culture tjhp-culture culture-web 18482
relay edu tjhp-edu edu-web 18483

echo
k get nodes -L topology.kubernetes.io/region
echo
k get gw -A -o wide
echo
k get insp -A
echo
k get gw -A -o custom-columns='SITE:.metadata.name,STATE:.status.state,VERDICT:.status.lastInspection.verdict,SCORE:.status.lastInspection.score,WHY:.status.conditions[?(@.type=="Ready")].message'
echo
kube=${kubectl#"$root"/}
cat <<MSG
The demo is up on the real node ($((SECONDS - started))s). Paste these on this machine:

  # the portal, a department site, and the taken-down site's notice page (503, Retry-After)
  curl -s -H 'Host: www.tjhp.gov.cn' http://127.0.0.1:18481/ | head -5
  curl -s -H 'Host: whlyj.tjhp.gov.cn' http://127.0.0.1:18482/ | head -5
  curl -si -H 'Host: jyj.tjhp.gov.cn' http://127.0.0.1:18483/ | head -12

  # the admin answers its allowed source, and is dropped from anywhere else (S7, enforced by Cilium)
  hack/realnode/kubectl -n sitegroup-admin-access run ok-probe --rm -i --restart=Never --image sitegroup.io/testapp:$testapp_tag --image-pull-policy=Never -- get http://culture-admin.tjhp-culture.svc.cluster.local/ 1 3s
  hack/realnode/kubectl -n sitegroup-gateway run refused-probe --rm -i --restart=Never --image sitegroup.io/testapp:$testapp_tag --image-pull-policy=Never -- get http://culture-admin.tjhp-culture.svc.cluster.local/ 1 3s

  # the cluster itself
  export KUBECONFIG=${KUBECONFIG#"$root"/}
  $kube get gw,tdr,insp -A
  $kube get insp -n tjhp-culture -o yaml | less

  # the console for the city office, signers and auditors (as zhang.wei@tj, the city office; audit@tj for the auditor), then open
  # http://127.0.0.1:8090/
  bin/sitegroup console --kubeconfig ${KUBECONFIG#"$root"/} --as zhang.wei@tj

Logs: ${log_dir#"$root"/}/   Stop it: make demo-down
MSG
