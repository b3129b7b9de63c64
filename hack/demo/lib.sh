# Shared by up.sh and down.sh: where the demo keeps its state, and how it
# starts and stops processes by PID (only what it started, nothing else).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
k8s_bin="$root/bin/k8s/v1.37.2"
demo_dir="$root/bin/demo"
pid_dir="$demo_dir/pids"
log_dir="$demo_dir/logs"
export KUBECONFIG="$demo_dir/kubeconfig"
kubectl="$k8s_bin/kubectl"

# Loopback ports away from the defaults, so a real cluster on the same
# machine keeps 6443/2379.
etcd_client_port=23790
etcd_peer_port=23800
apiserver_port=16443
webhook_port=19443

# start NAME CMD...: runs CMD in the background, logging to logs/NAME.log.
start() {
  local name=$1; shift
  mkdir -p "$pid_dir" "$log_dir"
  "$@" >"$log_dir/$name.log" 2>&1 &
  echo $! >"$pid_dir/$name.pid"
}

# stop NAME: TERM by PID, KILL after 10 s.
stop() {
  local name=$1 f="$pid_dir/$1.pid" pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { echo "  $name did not stop in 10s: killing"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$f"
  echo "  stopped $name (pid $pid)"
}

# all_alive: fails, showing the log, when a process the demo started has died.
all_alive() {
  local f name
  for f in "$pid_dir"/*.pid; do
    [ -e "$f" ] || continue
    if ! kill -0 "$(cat "$f")" 2>/dev/null; then
      name=$(basename "$f" .pid)
      echo "$name exited; the end of $log_dir/$name.log:" >&2
      tail -5 "$log_dir/$name.log" >&2
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
