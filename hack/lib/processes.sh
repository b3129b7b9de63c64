# Process helpers shared by hack/demo and hack/realnode: start processes in
# the background, stop them by PID (only what these scripts started), and
# wait on conditions with a bound that gives up as soon as a started process
# dies. The caller sets $pid_dir and $log_dir.

# start NAME CMD...: runs CMD in the background in its own session (so a
# caller under `timeout` does not take it down), logging to logs/NAME.log.
start() {
  local name=$1; shift
  mkdir -p "$pid_dir" "$log_dir"
  setsid "$@" >"$log_dir/$name.log" 2>&1 </dev/null &
  echo $! >"$pid_dir/$name.pid"
}

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

