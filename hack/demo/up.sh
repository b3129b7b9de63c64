#!/usr/bin/env bash
# make demo: on a machine that can run containers, the real node
# (hack/demo/realnode.sh: real pods, real inspections, curl lines to paste).
# Elsewhere, or with DEMO_NODES=simulated: a local control plane (etcd,
# kube-apiserver, kube-controller-manager, kube-scheduler built from
# source), kwok with three simulated nodes (two domestic, one overseas), the
# CRDs, the operator and the samples; ends with a status table. Running it
# again starts afresh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
started=$SECONDS

"$root/hack/demo/down.sh" >/dev/null
if [ "${DEMO_NODES:-real}" = real ]; then
  if "$root/hack/realnode/check-host.sh" -q; then
    echo "==> this machine can run containers: the demo runs on a real node"
    exec "$root/hack/demo/realnode.sh"
  fi
  echo "==> this machine cannot run the real node; the demo uses simulated nodes (kwok):"
  "$root/hack/realnode/check-host.sh" 2>&1 | sed "s/^/    /" || true
  echo "    Simulated nodes run no containers: sites are provisioned, placed and taken down, but"
  echo "    nothing serves, so no inspection runs and no site passes its prelaunch check (S5)."
fi
rm -rf "$demo_dir/etcd" "$demo_dir/pki"
mkdir -p "$demo_dir/pki" "$log_dir"

echo "==> certificates and credentials"
pki="$demo_dir/pki"
source "$root/hack/lib/loopback-pki.sh"
loopback_pki "$pki" demo "$apiserver_port" "$KUBECONFIG"

echo "==> etcd"
start etcd "$k8s_bin/etcd" --name demo --data-dir "$demo_dir/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_client_port" --advertise-client-urls "http://127.0.0.1:$etcd_client_port" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster "demo=http://127.0.0.1:$etcd_peer_port" --listen-metrics-urls= --log-level warn
wait_for "etcd" 30 curl -sf "http://127.0.0.1:$etcd_client_port/health"

echo "==> kube-apiserver"
start kube-apiserver "$k8s_bin/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$etcd_client_port" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$apiserver_port" \
  --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" --token-auth-file "$pki/tokens.csv" \
  --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$pki/sa.pub" \
  --service-account-signing-key-file "$pki/sa.key" --service-cluster-ip-range 10.96.0.0/16 \
  --authorization-mode RBAC --allow-privileged=false --endpoint-reconciler-type none
wait_for "kube-apiserver /readyz" 90 "$kubectl" get --raw /readyz

echo "==> kube-controller-manager, kube-scheduler"
start kube-controller-manager "$k8s_bin/kube-controller-manager" --kubeconfig "$KUBECONFIG" \
  --leader-elect=false --secure-port 0 --service-account-private-key-file "$pki/sa.key" --use-service-account-credentials \
  --root-ca-file "$pki/ca.crt" --controllers '*,-nodeipam'
start kube-scheduler "$k8s_bin/kube-scheduler" --kubeconfig "$KUBECONFIG" --leader-elect=false --secure-port 0

echo "==> kwok and three simulated nodes"
# Built here, on the simulated path only: the real node needs no kwok.
kwok_version=${KWOK_VERSION:-v0.8.0}
kwok_bin="$root/bin/kwok-$kwok_version"
[ -x "$kwok_bin" ] || "$root/hack/go-install.sh" "$kwok_bin" "sigs.k8s.io/kwok/cmd/kwok@$kwok_version"
# kwok's own stages (node ready + heartbeat, pods running) from its module.
kwok_src=$(cd "$root" && GOFLAGS= go mod download -json "sigs.k8s.io/kwok@$kwok_version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
for f in node/fast/node-initialize node/heartbeat/node-heartbeat pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
  cat "$kwok_src/kustomize/stage/$f.yaml"; echo "---"
done >"$demo_dir/kwok-stages.yaml"
start kwok "$kwok_bin" --config "$demo_dir/kwok-stages.yaml" --kubeconfig "$KUBECONFIG" --manage-all-nodes=false \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake --cidr 10.244.0.0/16 --node-ip 10.0.0.1
"$kubectl" apply -f "$root/hack/demo/nodes.yaml" >/dev/null
wait_for "three Ready nodes" 60 bash -c "[ \$('$kubectl' get nodes --no-headers 2>/dev/null | grep -c ' Ready ') -eq 3 ]"

echo "==> CRDs (the operator's, Gateway API's, cert-manager's)"
"$kubectl" apply --server-side -f "$root/config/crd/bases" -f "$root/config/crd/external" >/dev/null
"$kubectl" wait --for condition=Established --timeout 60s crd --all >/dev/null

echo "==> the operator's own identity and RBAC, the personas' roles (config/rbac)"
source "$root/hack/lib/operator-identity.sh"
operator_kubeconfig "$kubectl" "$demo_dir/operator.kubeconfig"

echo "==> the operator (as its ServiceAccount)"
start manager "$root/bin/sitegroup" manager --kubeconfig "$demo_dir/operator.kubeconfig" --zap-log-level info \
  --metrics-bind-address 127.0.0.1:18080 --health-probe-bind-address 127.0.0.1:18081 \
  --webhook-port "$webhook_port" --webhook-cert-dir "$pki/webhook" --leader-elect=false \
  --availability-probes=false  # simulated nodes run no containers: nothing to probe
wait_for "the operator's readiness" 60 curl -sf http://127.0.0.1:18081/readyz
source "$root/hack/lib/webhook-on-loopback.sh"
webhooks_on_loopback "$webhook_port" "$pki/ca.crt" | "$kubectl" apply -f - >/dev/null

echo "==> admission policies (config/admission: S6, and S1/S7 in site namespaces)"
"$kubectl" apply -k "$root/config/admission" >/dev/null

echo "==> the samples (config/samples) and the demo's volumes and extra site"
"$root/hack/demo/personas.sh"
# The policy first: kustomize sorts GovWebsites before it, and the webhook
# bounds a site's admin networks by the policy in force (S7).
"$kubectl" apply -f "$root/config/samples/sitegroup_v1alpha1_sitegrouppolicy.yaml" >/dev/null
"$kubectl" apply -k "$root/config/samples" >/dev/null
"$kubectl" apply -f "$root/hack/demo/extras.yaml" >/dev/null

echo "==> the sample sites' opening approvals, each signer as themselves (S1)"
"$root/hack/demo/sign-samples.sh"

echo "==> the sample takedown, moved to start now, signed at every level (T1)"
"$root/hack/demo/takedown.sh"
"$root/hack/demo/settle.sh"

echo
"$kubectl" get nodes -L topology.kubernetes.io/region,sitegroup.io/pool
echo
"$kubectl" get sgp
echo
"$kubectl" get gw -A
echo
"$kubectl" get gw -A -o custom-columns='SITE:.metadata.name,STATE:.status.state,WHY:.status.conditions[?(@.type=="Ready")].message'
echo
"$kubectl" get deploy,svc,networkpolicy,httproute,pvc -n tjhp-edu
echo
"$kubectl" get pods -A -l sitegroup.io/site -o wide
echo
"$kubectl" get tdr,insp -A
echo
echo "The taken-down site's public Service now selects the notice pods (T5):"
"$kubectl" get svc edu-web -n tjhp-edu -o jsonpath='  edu-web selector: {.spec.selector}{"\n"}'
"$kubectl" get deploy -n tjhp-edu -o custom-columns='  DEPLOYMENT:.metadata.name,REPLICAS:.spec.replicas,AVAILABLE:.status.availableReplicas'
echo
cat <<MSG
The demo is up ($((SECONDS - started))s). Use it with:
  export KUBECONFIG=${KUBECONFIG}
  ${kubectl#"$root"/} get gw -A -o wide
  ${kubectl#"$root"/} get nodes -L topology.kubernetes.io/region
The console (as the city office, zhang.wei@tj), then open http://127.0.0.1:8090/ :
  bin/sitegroup console --kubeconfig ${KUBECONFIG#"$root"/} --as zhang.wei@tj
Logs: ${log_dir#"$root"/}/   Stop it: make demo-down
MSG
