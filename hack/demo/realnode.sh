#!/usr/bin/env bash
# `make demo` on the real node: the operator, the sample sites with real
# migrated content, real inspection Jobs, a takedown showing its notice
# page; then a status table and commands to paste: curl lines through the
# platform's Gateway (Traefik on the node, TLS from cert-manager, relayed to
# 127.0.0.1), the admin refused from outside its allowed sources, and how to
# point kubectl at the cluster.
set -euo pipefail
source "$(dirname "$0")/../realnode/lib.sh"
started=$SECONDS
k() { "$kubectl" --kubeconfig "$KUBECONFIG" "$@"; }
# Marks the node as the demo's: make demo-down takes it down.
mkdir -p "$rn_dir/demo-pids"

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

log "the sites through the platform's Gateway (Traefik, cert-manager's certificates; hack/realnode/gateway.sh)"
ca=${rn_dir#"$root"/}/gateway-ca.crt
# through NAME HOST WANT: the Gateway answers https://HOST with status WANT,
# verified against the platform's CA, as the curl lines below do.
through() {
  wait_for "https://$2 through the Gateway ($3)" 120 bash -c \
    "[ \"\$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert '$rn_dir/gateway-ca.crt' --resolve '$2:18443:127.0.0.1' 'https://$2:18443/')\" = $3 ]"
}
through portal www.tjhp.gov.cn 200
through culture whlyj.tjhp.gov.cn 200
through edu jyj.tjhp.gov.cn 503

echo
k get nodes -L topology.kubernetes.io/region
echo
k get gw -A -o wide
echo
k get insp -A
echo
k get gw -A -o custom-columns='SITE:.metadata.name,STATE:.status.state,VERDICT:.status.lastInspection.verdict,SCORE:.status.lastInspection.score,WHY:.status.conditions[?(@.type=="Ready")].message'
echo
k get gateway,httproute,certificate -A
echo
kube=${kubectl#"$root"/}
cat <<MSG
The demo is up on the real node ($((SECONDS - started))s). Paste these on this machine:

  # the portal, a department site, and the taken-down site's notice page (503, Retry-After),
  # through the platform's Gateway (Traefik) over HTTPS with each site's cert-manager certificate
  curl -s --cacert $ca --resolve www.tjhp.gov.cn:18443:127.0.0.1 https://www.tjhp.gov.cn:18443/ | head -5
  curl -s --cacert $ca --resolve whlyj.tjhp.gov.cn:18443:127.0.0.1 https://whlyj.tjhp.gov.cn:18443/ | head -5
  curl -si --cacert $ca --resolve jyj.tjhp.gov.cn:18443:127.0.0.1 https://jyj.tjhp.gov.cn:18443/ | head -12
  # the certificate each site is served with, and plain HTTP through the same Gateway
  curl -sv --cacert $ca --resolve www.tjhp.gov.cn:18443:127.0.0.1 https://www.tjhp.gov.cn:18443/ -o /dev/null 2>&1 | grep -E 'subject|issuer'
  curl -s -H 'Host: www.tjhp.gov.cn' http://127.0.0.1:18480/ | head -5
  # a site not yet approved is not routed (S1): 404
  curl -s -o /dev/null -w '%{http_code}\n' -H 'Host: wjw.tjhp.gov.cn' http://127.0.0.1:18480/

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
