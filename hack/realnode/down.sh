#!/usr/bin/env bash
# Stops the real node and cleans up after it; idempotent (safe to run when
# nothing is up). Stops only what up.sh started (by PID, plus processes still
# inside the node's own network namespace, which only up.sh created), then
# removes its mounts, cgroups, network namespace (its interfaces and iptables
# rules go with it), bpffs (if up.sh mounted it) and host-path leftovers.
# Keeps the logs, the built binaries and the images.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
started=$SECONDS
echo "stopping the real node"

# 1. The components that create pods and rules.
for n in gateway-http gateway-https cert-manager cert-manager-cainjector provisioner kube-proxy kube-scheduler kube-controller-manager kubelet; do stop "$n"; done

# 2. Pod sandboxes through CRI while containerd and cilium-agent still run
#    (the CNI DEL talks to the agent): veths, IPs and go-cni cache entries go.
if [ -f "$pid_dir/containerd.pid" ] && alive "$(pid_of containerd)" && [ -S "$containerd_sock" ]; then
  t0=$SECONDS
  n=$(timeout 90 "$tools_bin/cri" -sock "$containerd_sock" -timeout 80s rmpods 2>"$log_dir/cri-rmpods.err" | wc -l) \
    || echo "  removing pod sandboxes failed: $(tail -2 "$log_dir/cri-rmpods.err")"
  echo "  removed ${n:-0} pod sandboxes ($((SECONDS - t0))s)"
  for t in $(timeout 10 ctr -a "$containerd_sock" -n k8s.io tasks ls -q 2>/dev/null); do
    timeout 10 ctr -a "$containerd_sock" -n k8s.io tasks kill -s KILL "$t" >/dev/null 2>&1 || true
  done
fi
stop containerd
# Shims outlive containerd: ours are the ones serving our socket.
for p in $(ps -eo pid=,args= | awk -v s="-address $containerd_sock" 'index($0, s) && /containerd-shim/ {print $1}'); do
  kill -KILL "$p" 2>/dev/null && echo "  killed containerd-shim $p"
done

# 3. The agent, then the apiserver (wait for it), THEN etcd.
stop cilium-agent 15
stop api-relay 3
stop kube-apiserver 15
stop etcd

# 4. Anything still running inside our network namespace is ours (pods, shims).
if netns_exists; then
  ino=$(stat -L -c %i "$netns")
  for d in /proc/[0-9]*; do
    [ "$(stat -L -c %i "$d/ns/net" 2>/dev/null)" = "$ino" ] || continue
    p=${d#/proc/}
    echo "  killing leftover process $p in the node's netns: $(tr '\0' ' ' <"$d/cmdline" | cut -c1-80)"
    kill -KILL "$p" 2>/dev/null || true
  done
  sleep 0.3
fi

# 5. Mounts under bin/realnode, deepest first (sandbox shm, rootfs, volumes,
#    pod netns files); the netns file and its private bind mount last.
for _ in 1 2 3; do
  mapfile -t mnts < <(awk -v d="$rn_dir/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r -u)
  [ ${#mnts[@]} -eq 0 ] && break
  for m in "${mnts[@]}"; do
    m=$(printf '%b' "$m")   # mountinfo escapes spaces as \040
    [ "$m" = "$netns" ] || [ "$m" = "$run_dir" ] && continue
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
done
if mountpoint -q "$netns" 2>/dev/null; then umount "$netns" && echo "  removed the network namespace"; fi
rm -f "$netns"
if mountpoint -q "$run_dir" 2>/dev/null; then umount "$run_dir"; fi
left=$(awk -v d="$rn_dir/" 'index($5, d) == 1' /proc/self/mountinfo | wc -l)
[ "$left" -eq 0 ] || echo "  WARNING: $left mounts left under ${rn_dir#"$root"/}" >&2

# 6. The kubelet's cgroup subtree, deepest first (pod cgroups outlive kubelet).
for c in /sys/fs/cgroup/*/; do
  [ -d "$c${cgroup_root#/}" ] || continue
  find "$c${cgroup_root#/}" -depth -type d -exec rmdir {} \; 2>/dev/null
done
[ -d "/sys/fs/cgroup$cgroup_root" ] && find "/sys/fs/cgroup$cgroup_root" -depth -type d -exec rmdir {} \; 2>/dev/null
left=$(ls -d /sys/fs/cgroup/*"$cgroup_root" 2>/dev/null | wc -l)
[ "$left" -eq 0 ] || echo "  WARNING: cgroup $cgroup_root left in $left hierarchies" >&2

# 7. Host paths: Cilium's bpffs pins and runtime dir, our go-cni cache entries,
#    kubelet's hard-coded dirs (only when up.sh created them and no other
#    kubelet runs).
#    Cilium's host paths only when no other cilium-agent runs (check-host.sh
#    keeps a second node from starting, but be safe).
if [ "$(ps -eo comm= | grep -cx cilium-agent)" -eq 0 ]; then
  if [ -f "$rn_dir/mounted-bpffs" ]; then
    mountpoint -q /sys/fs/bpf && umount /sys/fs/bpf && echo "  unmounted /sys/fs/bpf"
    rm -f "$rn_dir/mounted-bpffs"
  fi
  rm -rf /var/run/cilium
else
  echo "  another cilium-agent runs on this machine: /sys/fs/bpf and /var/run/cilium left alone"
fi
rm -f /var/lib/cni/results/sitegroup-realnode-* 2>/dev/null
rmdir /run/containerd/s /run/containerd 2>/dev/null   # only when empty (shim sockets are shared)
rmdir /var/lib/cni/results /var/lib/cni 2>/dev/null
find /var/log/containers -maxdepth 1 -type l -lname "$rn_dir/*" -delete 2>/dev/null
other_kubelet=$(ps -eo comm= | grep -cx kubelet)
if [ "$other_kubelet" -eq 0 ]; then
  [ -f "$rn_dir/created-var-lib-kubelet" ] && rm -rf /var/lib/kubelet
  [ -f "$rn_dir/created-var-log-containers" ] && rmdir /var/log/containers 2>/dev/null
  rm -f "$rn_dir/created-var-lib-kubelet" "$rn_dir/created-var-log-containers"
fi
rm -rf "$pid_dir"

echo "the real node is down ($((SECONDS - started))s); logs kept in ${log_dir#"$root"/}/"
