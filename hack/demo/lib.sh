# Shared by up.sh and down.sh: where the demo keeps its state, and how it
# starts and stops processes by PID (only what it started, nothing else).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
k8s_bin="$root/bin/k8s/$("$root/hack/k8s-version.sh")"
demo_dir="$root/bin/demo"
pid_dir="$demo_dir/pids"
log_dir="$demo_dir/logs"
export KUBECONFIG="${DEMO_KUBECONFIG:-$demo_dir/kubeconfig}"
kubectl="$k8s_bin/kubectl"

# Loopback ports away from the defaults, so a real cluster on the same
# machine keeps 6443/2379.
etcd_client_port=23790
etcd_peer_port=23800
apiserver_port=16443
webhook_port=19443

source "$(dirname "${BASH_SOURCE[0]}")/../lib/processes.sh"
