#!/usr/bin/env bash
# Can this machine run the real node? Fast (a few seconds), never installs
# anything, never hangs (every probe is bounded by `timeout`).
# Exit 0: yes. Exit 3: cannot run here (the reason is printed; callers fall
# back to simulated nodes). Usage: hack/realnode/check-host.sh [-q]
set -uo pipefail
quiet=${1:-}
fail() { echo "real node: cannot run here: $*" >&2; exit 3; }
ok() { [ "$quiet" = -q ] || echo "  ok: $*"; }

[ "$(uname -s)" = Linux ] || fail "not Linux"
[ "$(id -u)" = 0 ] || fail "not root (containers, network namespaces and cgroups need root)"
[ "$(uname -m)" = x86_64 ] || fail "not amd64 (images are built for linux/amd64)"
ok "root on Linux/amd64"

# Kernel >= 5.10 for Cilium v1.20.
kv=$(uname -r); major=${kv%%.*}; rest=${kv#*.}; minor=${rest%%[^0-9]*}
if [ "$major" -lt 5 ] || { [ "$major" -eq 5 ] && [ "$minor" -lt 10 ]; }; then
  fail "kernel $kv is older than 5.10 (Cilium needs 5.10+)"
fi
ok "kernel $kv"

# cgroups: v1 controllers (cpu, memory, pids) or a cgroup2 hierarchy.
if [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
  grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null || fail "cgroup v2 without the memory controller"
  ok "cgroup v2"
else
  for c in cpu memory pids cpuset; do
    [ -d "/sys/fs/cgroup/$c" ] && [ -f "/sys/fs/cgroup/$c/cgroup.procs" ] || fail "no cgroup v1 '$c' controller at /sys/fs/cgroup/$c (no cgroups?)"
  done
  ok "cgroup v1 (cpu, memory, pids, cpuset)"
  [ -d /sys/fs/cgroup/unified ] || [ -d /sys/fs/cgroup/systemd ] || fail "no name=systemd or unified cgroup hierarchy"
fi

# Filesystems the node mounts.
for fs in overlay bpf; do
  grep -qw "$fs" /proc/filesystems || fail "the kernel has no '$fs' filesystem"
done
ok "overlay and bpf filesystems"

# A network namespace with a veth pair inside (the node's own netns).
command -v unshare >/dev/null && command -v nsenter >/dev/null || fail "unshare/nsenter missing (util-linux)"
timeout 10 unshare --net true 2>/dev/null || fail "cannot create a network namespace (unshare --net failed)"
if command -v ip >/dev/null; then
  timeout 10 unshare --net sh -c 'ip link add rnchk0 type veth peer name rnchk1 && ip link set lo up' 2>/dev/null \
    || fail "cannot create a veth pair inside a network namespace"
  ok "network namespace with veth"
else
  ok "network namespace (ip not installed yet: veth not probed)"
fi

# bpf() is usable (Cilium): mount a bpffs privately in a throwaway mount namespace.
timeout 10 unshare --mount sh -c 'd=$(mktemp -d) && mount -t bpf bpf "$d" && umount "$d"; rc=$?; rmdir "$d"; exit $rc' 2>/dev/null \
  || fail "cannot mount a bpf filesystem (no CAP_SYS_ADMIN/CAP_BPF?)"
ok "bpffs mountable"

# Memory and disk.
avail_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
[ "${avail_kb:-0}" -ge $((2 * 1024 * 1024)) ] || fail "less than 2 GiB of memory available ($((avail_kb / 1024)) MiB)"
root=$(cd "$(dirname "$0")/../.." && pwd)
free_kb=$(df -Pk "$root" | awk 'NR==2 {print $4}')
[ "${free_kb:-0}" -ge $((6 * 1024 * 1024)) ] || fail "less than 6 GiB free on $root"
ok "memory $((avail_kb / 1024)) MiB available, $((free_kb / 1024 / 1024)) GiB free disk"

# One real node per machine: Cilium's host paths (/var/run/cilium, /sys/fs/bpf)
# cannot be shared. Another checkout's node (a cilium-agent not started from
# this one) makes this one impossible until it is stopped.
own=$(cat "$root/bin/realnode/pids/cilium-agent.pid" 2>/dev/null)
for p in $(ps -eo pid=,comm= | awk '$2 == "cilium-agent" {print $1}'); do
  [ "$p" = "$own" ] && continue
  fail "another real node runs on this machine (cilium-agent pid $p, $(readlink "/proc/$p/exe" 2>/dev/null)); stop it with its own down.sh first"
done

# Packages: present, or installable with apt-get.
command -v go >/dev/null || fail "no Go toolchain (the node's binaries are built from the module proxy)"
if ! command -v containerd >/dev/null || ! command -v runc >/dev/null || ! command -v clang-19 >/dev/null; then
  command -v apt-get >/dev/null || fail "containerd/runc/clang-19 missing and no apt-get to install them"
  ok "packages will be installed with apt-get"
else
  ok "containerd, runc, clang-19 installed"
fi
exit 0
