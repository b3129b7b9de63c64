#!/usr/bin/env bash
# Brings up a real single-node Kubernetes cluster (hack/k8s-version.sh) on this machine,
# inside its own network namespace with no link out (nothing leaves the box):
# containerd + runc (Debian), etcd and the k8s components (built from the
# module proxy), Cilium enforcing NetworkPolicy, CoreDNS, a default
# StorageClass (hostPath provisioner), images imported into containerd.
#
#   hack/realnode/up.sh [--fresh]
#
# Idempotent: when the node is already up and healthy it says so and exits
# (--fresh restarts it from a wiped state). Exit 3 when this machine cannot
# run containers (see check-host.sh). Stop it with hack/realnode/down.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
started=$SECONDS
fresh=${1:-}

"$here/check-host.sh" -q || exit $?
mkdir -p "$log_dir" "$pid_dir"

# up_healthy: every process alive, apiserver ready through the host relay, node Ready.
up_healthy() {
  local n
  for n in containerd etcd kube-apiserver api-relay kube-controller-manager kube-scheduler kubelet kube-proxy cilium-agent provisioner; do
    [ -f "$pid_dir/$n.pid" ] && alive "$(pid_of "$n")" || return 1
  done
  timeout 10 "$kubectl" get --raw /readyz >/dev/null 2>&1 || return 1
  timeout 10 "$kubectl" get node "$node_name" --no-headers 2>/dev/null | grep -q ' Ready '
}
if [ "$fresh" != --fresh ] && up_healthy; then
  echo "the real node is already up (KUBECONFIG=$KUBECONFIG); use --fresh to restart it"
  exit 0
fi

ensure_packages
"$here/build.sh"

log "cleaning up any previous node"
"$here/down.sh" >"$log_dir/down-before-up.log" 2>&1 || { cat "$log_dir/down-before-up.log" >&2; die "down.sh failed"; }
# Fresh state; logs of the previous run are kept under logs/previous.
rm -rf "$rn_dir/etcd" "$rn_dir/kubelet" "$rn_dir/containerd" "$rn_dir/cni" "$rn_dir/pod-logs" \
  "$rn_dir/volumes" "$rn_dir/volume-plugins" "$rn_dir/cilium-state" "$log_dir/previous"
mkdir -p "$log_dir/previous"
find "$log_dir" -maxdepth 1 -type f -name '*.log' ! -name 'apt-*' ! -name 'build*' ! -name 'tidy-*' \
  ! -name down-before-up.log -exec mv {} "$log_dir/previous/" \;
mkdir -p "$pid_dir" "$run_dir" "$rn_dir/volumes" "$rn_dir/pod-logs"

log "certificates and kubeconfigs"
"$here/pki.sh"
# The host's admin kubeconfig goes through the loopback relay (api-relay).
sed "s|https://127.0.0.1:6443|https://127.0.0.1:$host_api_port|" "$pki/admin.kubeconfig" >"$KUBECONFIG"
cp "$pki/admin.kubeconfig" "$ns_kubeconfig"

log "network namespace (no link out; node IP $node_ip)"
if ! mountpoint -q "$run_dir"; then mount --bind "$run_dir" "$run_dir"; fi
mount --make-private "$run_dir"
touch "$netns"
unshare --net="$netns" true
nsx ip link set lo up
nsx ip link add rn0 type veth peer name rn1
nsx ip addr add "$node_ip/24" dev rn0
nsx ip link set rn0 up
nsx ip link set rn1 up
nsx ip route add default via "$node_peer_ip" dev rn0
nsx sysctl -qw net.ipv4.ip_forward=1
nsx sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
printf '# real node: no upstream nameserver (nothing leaves the box)\nnameserver %s\n' "$dns_ip" >"$rn_dir/resolv.conf"

log "cgroup root $cgroup_root and bpffs"
if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
  mkdir -p "/sys/fs/cgroup$cgroup_root"; cilium_cgroup=/sys/fs/cgroup
else
  for c in /sys/fs/cgroup/*/; do
    [ "$(stat -fc %T "$c")" = cgroupfs ] || continue
    case "$c" in */unified/) continue ;; esac
    mkdir -p "$c${cgroup_root#/}"
  done
  cilium_cgroup=/sys/fs/cgroup/unified
fi
if ! mountpoint -q /sys/fs/bpf; then
  mkdir -p /sys/fs/bpf && mount -t bpf bpf /sys/fs/bpf && touch "$rn_dir/mounted-bpffs"
fi

log "containerd"
cni_bin="$rn_dir/cni/bin"; cni_conf="$rn_dir/cni/net.d"
mkdir -p "$cni_bin" "$cni_conf" "$rn_dir/containerd"
ln -sf /usr/lib/cni/loopback "$cni_bin/loopback"
cp "$tools_bin/cilium-cni" "$cni_bin/cilium-cni"
sed -e "s|@LOG_DIR@|$log_dir|g" "$here/config/cilium.conflist" >"$cni_conf/05-cilium.conflist"
sed -e "s|@DIR@|$rn_dir/containerd|g" -e "s|@SANDBOX_IMAGE@|sitegroup.io/pause:$pause_tag|g" \
  -e "s|@CNI_BIN@|$cni_bin|g" -e "s|@CNI_CONF@|$cni_conf|g" "$here/config/containerd.toml" >"$rn_dir/containerd/config.toml"
start_ns containerd containerd --config "$rn_dir/containerd/config.toml"
wait_for "containerd's CRI" 30 "$tools_bin/cri" -sock "$containerd_sock" -timeout 5s version
"$here/load-images.sh" pause testapp coredns
"$here/load-images.sh" sitegroup || echo "  (continuing without $sitegroup_image; run hack/realnode/load-images.sh sitegroup later)"

log "etcd and kube-apiserver"
start_ns etcd "$k8s_bin/etcd" --name rn --data-dir "$rn_dir/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster rn=http://127.0.0.1:2380 --listen-metrics-urls= --log-level warn
wait_for "etcd" 30 nsx curl -sf --max-time 2 http://127.0.0.1:2379/health
start_apiserver
# Loopback relay on the host: 127.0.0.1:$host_api_port -> the netns' 127.0.0.1:6443.
start api-relay socat "TCP-LISTEN:$host_api_port,bind=127.0.0.1,reuseaddr,fork" \
  "EXEC:$here/nsconnect.sh 127.0.0.1 6443"
wait_for "the host relay to the apiserver (127.0.0.1:$host_api_port)" 20 "$kubectl" get --raw /readyz

log "Cilium CRDs"
kc create -f "$rn_dir/cilium-lib/crds" >"$log_dir/cilium-crds.log" 2>&1 || { cat "$log_dir/cilium-crds.log" >&2; die "creating Cilium CRDs failed"; }
kc wait --for condition=Established --timeout 60s -f "$rn_dir/cilium-lib/crds" >/dev/null

log "controller-manager, scheduler, kubelet, kube-proxy, cilium-agent, provisioner"
start_ns kube-controller-manager "$k8s_bin/kube-controller-manager" --kubeconfig "$pki/kube-controller-manager.kubeconfig" \
  --authentication-kubeconfig "$pki/kube-controller-manager.kubeconfig" --authorization-kubeconfig "$pki/kube-controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials \
  --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
  --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
  --allocate-node-cidrs --cluster-cidr "$pod_cidr" --node-cidr-mask-size 24 --service-cluster-ip-range "$svc_cidr" \
  --configure-cloud-routes=false --kube-api-qps 200 --kube-api-burst 400
start_ns kube-scheduler "$k8s_bin/kube-scheduler" --kubeconfig "$pki/kube-scheduler.kubeconfig" \
  --authentication-kubeconfig "$pki/kube-scheduler.kubeconfig" --authorization-kubeconfig "$pki/kube-scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false
sed -e "s|@DIR@|$rn_dir|g" -e "s|@PKI@|$pki|g" -e "s|@CGROUP_ROOT@|$cgroup_root|g" -e "s|@NODE_IP@|$node_ip|g" \
  -e "s|@CONTAINERD_SOCK@|$containerd_sock|g" -e "s|@DNS_IP@|$dns_ip|g" "$here/config/kubelet.yaml" >"$rn_dir/kubelet.yaml"
[ -d /var/lib/kubelet ] || touch "$rn_dir/created-var-lib-kubelet"
[ -d /var/log/containers ] || touch "$rn_dir/created-var-log-containers"
start_ns kubelet "$k8s_bin/kubelet" --config "$rn_dir/kubelet.yaml" --kubeconfig "$pki/kubelet.kubeconfig" \
  --root-dir "$rn_dir/kubelet" --cert-dir "$rn_dir/kubelet/pki" --hostname-override "$node_name" \
  --node-ip "$node_ip" --node-labels "topology.kubernetes.io/region=$node_region" --v 1
sed -e "s|@POD_CIDR@|$pod_cidr|g" -e "s|@NODE_NAME@|$node_name|g" -e "s|@PKI@|$pki|g" \
  "$here/config/kube-proxy.yaml" >"$rn_dir/kube-proxy.yaml"
start_ns kube-proxy "$k8s_bin/kube-proxy" --config "$rn_dir/kube-proxy.yaml"
# Cilium's loader execs plain `clang`/`llc`: Debian names them clang-19/llc-19.
mkdir -p "$rn_dir/clang-bin"
ln -sf /usr/bin/clang-19 "$rn_dir/clang-bin/clang"; ln -sf /usr/bin/llc-19 "$rn_dir/clang-bin/llc"
start_ns cilium-agent env K8S_NODE_NAME="$node_name" PATH="$rn_dir/clang-bin:$PATH" "$tools_bin/cilium-agent" \
  --k8s-kubeconfig-path "$ns_kubeconfig" --lib-dir "$rn_dir/cilium-lib" \
  --routing-mode native --ipv4-native-routing-cidr "$pod_cidr" --auto-direct-node-routes=false \
  --ipam kubernetes --enable-ipv4=true --enable-ipv6=false --kube-proxy-replacement=false --bpf-lb-sock=false \
  --enable-l7-proxy=false --enable-hubble=false --enable-health-checking=false --enable-endpoint-health-checking=false \
  --enable-ipv4-masquerade=false --enable-bpf-masquerade=false --cni-exclusive=false \
  --identity-allocation-mode crd --cgroup-root "$cilium_cgroup" --disable-envoy-version-check=true --cluster-name default
start_ns provisioner "$tools_bin/provisioner" -kubeconfig "$ns_kubeconfig" -dir "$rn_dir/volumes"
wait_for "node $node_name Ready" 90 bash -c "'$kubectl' get node $node_name --no-headers | grep -q ' Ready '"
wait_for "cilium-agent's API" 120 "$tools_bin/cilium-dbg" status --brief

log "CoreDNS and the default StorageClass"
sed -e "s|@DNS_IP@|$dns_ip|g" -e "s|@COREDNS_VERSION@|$coredns_version|g" "$here/config/addons.yaml" | kc apply -f - >/dev/null
wait_for "CoreDNS Ready" 90 kc -n kube-system wait --for condition=Available --timeout 2s deploy/coredns

echo
"$kubectl" get nodes -o wide -L topology.kubernetes.io/region
cat <<MSG

The real node is up ($((SECONDS - started))s). From the host:
  export KUBECONFIG=$KUBECONFIG      # 127.0.0.1:$host_api_port, relayed into the node's netns
  ${kubectl#"$root"/} get pods -A                     # or: hack/realnode/kubectl get pods -A
  hack/realnode/exec.sh curl -s http://<pod-or-service-IP>/   # runs inside the node's netns
  hack/realnode/port-forward.sh NAMESPACE svc/NAME LOCAL_PORT:PORT  # a Service on 127.0.0.1
Logs: ${log_dir#"$root"/}/   Stop it: hack/realnode/down.sh
MSG
