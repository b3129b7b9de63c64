# Shared by the real-node scripts (up.sh, down.sh, smoke.sh, ...): where the
# node keeps its state, how processes are started and stopped by PID (only
# what these scripts started), and how commands enter the node's network
# namespace. Sourced, not run.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/hack/realnode"
k8s_version=v1.37.2
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

# start NAME CMD...: runs CMD in the background in its own session (so a
# caller under `timeout` does not take it down), logging to logs/NAME.log.
start() {
  local name=$1; shift
  mkdir -p "$pid_dir" "$log_dir"
  setsid "$@" >"$log_dir/$name.log" 2>&1 </dev/null &
  echo $! >"$pid_dir/$name.pid"
}

# start_ns NAME CMD...: like start, inside the node's network namespace.
start_ns() { local name=$1; shift; start "$name" nsenter --net="$netns" -- "$@"; }

pid_of() { cat "$pid_dir/$1.pid" 2>/dev/null; }

# alive PID: running, not a zombie waiting for PID 1 to reap it.
alive() {
  local st
  kill -0 "$1" 2>/dev/null || return 1
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ "$st" != Z ]
}

# stop NAME [GRACE_SECONDS]: TERM by PID, KILL after the grace period (default 10 s).
stop() {
  local name=$1 grace=${2:-10} f="$pid_dir/$1.pid" pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  local t0=$SECONDS
  if [ -n "$pid" ] && alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((grace * 10))); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then
      echo "  $name did not stop in ${grace}s: killing"
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
    fi
    echo "  stopped $name (pid $pid, $((SECONDS - t0))s)"
  fi
  rm -f "$f"
}

# all_alive: fails, showing the log, when a process these scripts started has died.
all_alive() {
  local f name
  for f in "$pid_dir"/*.pid; do
    [ -e "$f" ] || continue
    if ! alive "$(cat "$f")"; then
      name=$(basename "$f" .pid)
      echo "$name exited; the end of $log_dir/$name.log:" >&2
      tail -8 "$log_dir/$name.log" >&2
      return 1
    fi
  done
}

# wait_for DESCRIPTION SECONDS CMD...: retries CMD every 0.5 s, bounded;
# gives up at once when a started process dies.
wait_for() {
  local what=$1 secs=$2; shift 2
  local tries=$((secs * 2))
  for _ in $(seq 1 "$tries"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    all_alive || return 1
    sleep 0.5
  done
  echo "timed out after ${secs}s waiting for $what (logs: $log_dir)" >&2
  return 1
}

# stamp_ok FILE STAMP: true when FILE exists and its .stamp matches.
stamp_ok() { [ -x "$1" ] && [ "$(cat "$1.stamp" 2>/dev/null)" = "$2" ]; }
