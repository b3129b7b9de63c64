# Shared by the real-node scripts (up.sh, down.sh, smoke.sh, ...): where the
# node keeps its state, how processes are started and stopped by PID (only
# what these scripts started), and how commands enter the node's network
# namespace. Sourced, not run.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/hack/realnode"
k8s_version=$("$root/hack/k8s-version.sh")
k8s_bin="$root/bin/k8s/$k8s_version"
rn_dir="$root/bin/realnode"          # all state, logs and built tools
pid_dir="$rn_dir/pids"
log_dir="$rn_dir/logs"
run_dir="$rn_dir/run"                # bind-mounted on itself (private) to hold the netns file
netns="$run_dir/netns"
pki="$rn_dir/pki"
tools_bin="$rn_dir/bin"              # version-stamped helper binaries (cilium, coredns, imgtool, ...)
images_dir="$rn_dir/images"
kubectl="$k8s_bin/kubectl"
export KUBECONFIG="$rn_dir/kubeconfig"          # works from the host (loopback relay)
ns_kubeconfig="$rn_dir/kubeconfig-netns"        # works inside the netns (127.0.0.1:6443)

node_name=sitegroup-node
node_region=cn-north-1
node_ip=198.51.100.10          # documentation range; lives only inside the netns
node_peer_ip=198.51.100.1      # other end of the in-netns veth pair (default route)
pod_cidr=10.244.0.0/16
svc_cidr=10.96.0.0/16
dns_ip=10.96.0.10
cgroup_root=/sitegroup-realnode   # kubelet cgroupRoot, own subtree in every v1 controller

# Loopback port on the HOST relayed into the netns apiserver (127.0.0.1:6443 there).
host_api_port=${REALNODE_API_PORT:-26443}

containerd_sock="$rn_dir/containerd/containerd.sock"
cilium_version=v1.20.2
coredns_version=v1.15.0
traefik_version=v3.7.13   # hack/tools/traefik/build.sh pins the same
ggcr_version=v0.22.1
pause_tag=3.10-sg1
testapp_tag=v1
sitegroup_image=sitegroup.io/sitegroup:dev

apt_packages=(containerd runc containernetworking-plugins iptables conntrack ipset socat
  iproute2 util-linux openssl curl ca-certificates clang-19 llvm-19 kmod)

log() { echo "==> $*"; }
die() { echo "realnode: $*" >&2; exit 1; }

# ensure_packages: installs the Debian packages the node needs when any is missing
# (apt-get update once, then install --no-install-recommends). Bounded by timeout.
ensure_packages() {
  local missing=() p
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local stamp="$rn_dir/.apt-updated"
  if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +720 2>/dev/null)" ]; then
    DEBIAN_FRONTEND=noninteractive timeout 300 apt-get update -q >"$log_dir/apt-update.log" 2>&1 \
      || { tail -5 "$log_dir/apt-update.log" >&2; die "apt-get update failed (log: $log_dir/apt-update.log)"; }
    mkdir -p "$rn_dir" && touch "$stamp"
  fi
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q --no-install-recommends "${missing[@]}" \
    >"$log_dir/apt-install.log" 2>&1 \
    || { tail -5 "$log_dir/apt-install.log" >&2; die "apt-get install failed (log: $log_dir/apt-install.log)"; }
}

# nsx CMD...: runs CMD in the node's network namespace (NOT `ip netns exec`:
# that remounts /sys and the cgroup mounts vanish).
nsx() { nsenter --net="$netns" -- "$@"; }

# kc ARGS...: kubectl inside the netns with the in-namespace kubeconfig.
kc() { nsenter --net="$netns" -- "$kubectl" --kubeconfig "$ns_kubeconfig" "$@"; }

netns_exists() { [ -f "$netns" ] && mountpoint -q "$netns" 2>/dev/null; }

source "$(dirname "${BASH_SOURCE[0]}")/../lib/processes.sh"

# start_ns NAME CMD...: like start, inside the node's network namespace.
start_ns() { local name=$1; shift; start "$name" nsenter --net="$netns" -- "$@"; }

# stamp_ok FILE STAMP: true when FILE exists and its .stamp matches.
stamp_ok() { [ -x "$1" ] && [ "$(cat "$1.stamp" 2>/dev/null)" = "$2" ]; }

# start_apiserver starts the node's kube-apiserver and waits until it is
# ready: up.sh, and restart-apiserver.sh for the fault suite.
start_apiserver() {
  start_ns kube-apiserver "$k8s_bin/kube-apiserver" \
    --etcd-servers http://127.0.0.1:2379 --bind-address 0.0.0.0 --secure-port 6443 \
    --advertise-address "$node_ip" --service-cluster-ip-range "$svc_cidr" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" --client-ca-file "$pki/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local --service-account-key-file "$pki/sa.pub" \
    --service-account-signing-key-file "$pki/sa.key" --authorization-mode Node,RBAC \
    --enable-admission-plugins NodeRestriction --allow-privileged=true \
    --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP
  wait_for "kube-apiserver /readyz" 90 kc get --raw /readyz
}
