#!/usr/bin/env bash
# hack/bench/scale-up.sh FRONTEND_NODES ADMIN_NODES: a fresh control plane
# for one phase of the scale benchmark (test/bench/scale): etcd,
# kube-apiserver (auditing the operator's requests only), the
# kube-controller-manager and kube-scheduler as `make test` builds them
# (bin/k8s/<version>), kwok with domestic front-end and admin pools and one
# overseas node (as hack/demo/nodes.yaml labels them), the CRDs, the
# operator's ServiceAccount and RBAC with its kubeconfig, the signers'
# cluster-wide roles, the admission policies and the platform's policy
# (SCALE_POLICY, the sample by default). The operator is not started here
# (hack/bench/scale-manager.sh). Anything a previous run left is stopped
# first, by PID.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
frontend_nodes=${1:?frontend nodes} admin_nodes=${2:?admin nodes}
policy_file=${SCALE_POLICY:-$root/config/samples/sitegroup_v1alpha1_sitegrouppolicy.yaml}

"$root/hack/bench/scale-down.sh" >/dev/null
rm -rf "$bench_dir/etcd" "$pki" "$log_dir"
mkdir -p "$pki" "$log_dir"

# Certificates and credentials, as hack/demo/up.sh makes them.
source "$root/hack/lib/loopback-pki.sh"
loopback_pki "$pki" bench "$apiserver_port" "$KUBECONFIG"

# The audit log counts the operator's requests (issue 17): its user only,
# at Metadata level (no bodies), one event per request once it completes.
cat >"$pki/audit-policy.yaml" <<POLICY
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    users: ["$operator_user"]
  - level: None
POLICY

start etcd "$k8s_bin/etcd" --name bench --data-dir "$bench_dir/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_client_port" --advertise-client-urls "http://127.0.0.1:$etcd_client_port" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster "bench=http://127.0.0.1:$etcd_peer_port" --listen-metrics-urls= --log-level warn \
  --quota-backend-bytes 4294967296
wait_for "etcd" 30 curl -sf "http://127.0.0.1:$etcd_client_port/health"

# The demo's flags, plus the audit log (no rotation within a run) and the
# kubelet reached by its InternalIP only (127.0.0.1, never a DNS lookup of
# a node's name).
start kube-apiserver "$k8s_bin/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$etcd_client_port" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$apiserver_port" \
  --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" --token-auth-file "$pki/tokens.csv" \
  --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$pki/sa.pub" \
  --service-account-signing-key-file "$pki/sa.key" --service-cluster-ip-range 10.96.0.0/16 \
  --authorization-mode RBAC --allow-privileged=false --endpoint-reconciler-type none \
  --kubelet-preferred-address-types InternalIP \
  --audit-policy-file "$pki/audit-policy.yaml" --audit-log-path "$log_dir/audit.log" --audit-log-format json \
  --audit-log-maxsize 8192 --audit-log-maxbackup 4
wait_for "kube-apiserver /readyz" 90 "$kubectl" get --raw /readyz

start kube-controller-manager "$k8s_bin/kube-controller-manager" --kubeconfig "$KUBECONFIG" \
  --leader-elect=false --secure-port 0 --service-account-private-key-file "$pki/sa.key" --use-service-account-credentials \
  --root-ca-file "$pki/ca.crt" --controllers '*,-nodeipam'
start kube-scheduler "$k8s_bin/kube-scheduler" --kubeconfig "$KUBECONFIG" --leader-elect=false --secure-port 0

# kwok's own stages (node ready + heartbeat, pods running, Job pods
# completing), as the demo takes them from its module.
kwok_src=$(cd "$root" && GOFLAGS= go mod download -json sigs.k8s.io/kwok@v0.8.0 | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
for f in node/fast/node-initialize node/heartbeat/node-heartbeat pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
  cat "$kwok_src/kustomize/stage/$f.yaml"; echo "---"
done >"$bench_dir/kwok-stages.yaml"
start kwok "$root/bin/kwok-v0.8.0" --config "$bench_dir/kwok-stages.yaml" --kubeconfig "$KUBECONFIG" --manage-all-nodes=false \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake --cidr 10.244.0.0/16 \
  --node-ip 127.0.0.1 --node-port "$kubelet_port" --server-address "127.0.0.1:$kubelet_port"

# The pools of hack/demo/nodes.yaml, sized for the run: front ends and
# admins on different domestic hosts (S6, S7), alternating between the two
# domestic regions, and one overseas front-end node nothing may land on (S6).
node() { # name region pool
  cat <<NODE
apiVersion: v1
kind: Node
metadata:
  name: $1
  annotations: {kwok.x-k8s.io/node: fake}
  labels: {kubernetes.io/hostname: $1, topology.kubernetes.io/region: $2, sitegroup.io/pool: $3, type: kwok}
spec: {}
status:
  allocatable: {cpu: "64", memory: 256Gi, pods: "250"}
  capacity: {cpu: "64", memory: 256Gi, pods: "250"}
---
NODE
}
regions=(cn-north-1 cn-east-2)
{
  for i in $(seq 1 "$frontend_nodes"); do node "node-frontend-$i" "${regions[$((i % 2))]}" frontend; done
  for i in $(seq 1 "$admin_nodes"); do node "node-admin-$i" "${regions[$((i % 2))]}" admin; done
  node node-overseas-1 ap-southeast-1 frontend
} >"$bench_dir/nodes.yaml"
"$kubectl" apply -f "$bench_dir/nodes.yaml" >/dev/null
nodes=$((frontend_nodes + admin_nodes + 1))
wait_for "$nodes Ready nodes" 120 bash -c "[ \$('$kubectl' get nodes --no-headers 2>/dev/null | grep -c ' Ready ') -eq $nodes ]"

"$kubectl" apply --server-side -f "$root/config/crd/bases" -f "$root/config/crd/external" >/dev/null
"$kubectl" wait --for condition=Established --timeout 60s crd --all >/dev/null

source "$root/hack/lib/operator-identity.sh"
operator_kubeconfig "$kubectl" "$bench_dir/operator.kubeconfig"

# The signers above the unit (hack/demo/personas.sh's city and province
# offices); each site's unit head is bound in its own namespace by the benchmark.
"$kubectl" create clusterrolebinding sitegroup-city-office:zhang.wei@tj --clusterrole sitegroup-city-office --user zhang.wei@tj >/dev/null
"$kubectl" create clusterrolebinding sitegroup-province-office:li.na@gov --clusterrole sitegroup-province-office --user li.na@gov >/dev/null

"$kubectl" apply -k "$root/config/admission" >/dev/null
"$kubectl" apply -f "$policy_file" >/dev/null
echo "control plane up: $nodes nodes ($frontend_nodes front end, $admin_nodes admin, 1 overseas)"
