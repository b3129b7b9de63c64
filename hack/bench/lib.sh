# Shared by hack/bench/scale-*.sh (`make bench-scale`, issue 17): where the
# scale benchmark keeps its control plane's state, its loopback ports and
# the process helpers of hack/lib/processes.sh (start and stop by PID, only
# what these scripts started; bounded waits).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
k8s_bin="$root/bin/k8s/$("$root/hack/k8s-version.sh")"
bench_dir="$root/bin/bench-scale"
pid_dir="$bench_dir/pids"
log_dir="$bench_dir/logs"
pki="$bench_dir/pki"
export KUBECONFIG="$bench_dir/kubeconfig"
kubectl="$k8s_bin/kubectl"

# Loopback ports of their own: the demo has 16443/23790/19443/18080, the
# e2e manager 19444/18090, the real node's relay 26443, so the benchmark
# never meets them.
etcd_client_port=33790
etcd_peer_port=33800
apiserver_port=36443
webhook_port=39443
metrics_port=38080
probe_port=38081
# The simulated nodes' kubelet port, served by kwok itself on loopback
# (it has no logs to give): the API server's pods/log calls (the manager
# reading an inspection's log) end there instead of leaving the machine.
kubelet_port=39250

# The operator's user (config/rbac): the audit policy logs its requests only.
operator_user=system:serviceaccount:sitegroup-system:sitegroup-manager

source "$root/hack/lib/processes.sh"
