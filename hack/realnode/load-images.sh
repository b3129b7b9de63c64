#!/usr/bin/env bash
# Builds the real node's images from local static binaries (no registry, no
# Docker engine; go-containerregistry via tools/imgtool) and imports them into
# containerd's k8s.io namespace when the node's containerd runs, so pods
# never pull (use imagePullPolicy IfNotPresent or Never).
#
#   hack/realnode/load-images.sh [pause|testapp|coredns|sitegroup|traefik ...]   (default: all but traefik)
#
# Images: sitegroup.io/pause:<tag> (sandbox), sitegroup.io/testapp:<tag>,
# sitegroup.io/coredns:<version>, sitegroup.io/sitegroup:dev (built from
# ./cmd/sitegroup now: run this again after changing the operator; running
# pods keep their old image until they are recreated).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p "$images_dir" "$log_dir"

names=("$@")
[ ${#names[@]} -gt 0 ] || names=(pause testapp coredns sitegroup)
for b in imgtool pause testapp coredns; do
  [ -x "$tools_bin/$b" ] || die "$tools_bin/$b missing: run hack/realnode/build.sh first"
done

# image NAME REF BINARY IMGTOOL_ARGS...: writes images/NAME.tar unless the
# binary and arguments are unchanged since the last build.
image() {
  local name=$1 ref=$2 bin=$3; shift 3
  local stamp
  stamp=$( (sha256sum <"$bin"; echo "$ref $*"; cat "$tools_bin/imgtool.stamp") | sha256sum | cut -c1-16)
  if [ -f "$images_dir/$name.tar" ] && [ "$(cat "$images_dir/$name.stamp" 2>/dev/null)" = "$stamp" ]; then
    return 0
  fi
  "$tools_bin/imgtool" -ref "$ref" -out "$images_dir/$name.tar" "$@" >/dev/null
  echo "$stamp" >"$images_dir/$name.stamp"
  echo "  built image $ref"
}

imported=()
for n in "${names[@]}"; do
  case $n in
    pause) image pause "sitegroup.io/pause:$pause_tag" "$tools_bin/pause" \
             -add "$tools_bin/pause:/pause" -entrypoint /pause -user 65535 ;;
    testapp) image testapp "sitegroup.io/testapp:$testapp_tag" "$tools_bin/testapp" \
             -add "$tools_bin/testapp:/testapp" -entrypoint /testapp -cmd serve,:8080 -user 65532 ;;
    coredns) image coredns "sitegroup.io/coredns:$coredns_version" "$tools_bin/coredns" \
             -add "$tools_bin/coredns:/coredns" -entrypoint /coredns ;;
    sitegroup)
      tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
      if ! (cd "$root" && CGO_ENABLED=0 go build -ldflags "-s -w" -o "$tmp/sitegroup" ./cmd/sitegroup) \
          >"$log_dir/build-sitegroup.log" 2>&1; then
        tail -10 "$log_dir/build-sitegroup.log" >&2
        echo "realnode: go build ./cmd/sitegroup failed (log: $log_dir/build-sitegroup.log): $sitegroup_image not (re)built" >&2
        exit 1
      fi
      image sitegroup "$sitegroup_image" "$tmp/sitegroup" \
        -add "$tmp/sitegroup:/sitegroup" -entrypoint /sitegroup -user 65532 ;;
    traefik) # the platform's Gateway (hack/realnode/gateway.sh); built by hack/tools/traefik/build.sh
      traefik_bin=$("$root/hack/tools/traefik/build.sh" | tail -1)
      image traefik "sitegroup.io/traefik:$traefik_version" "$traefik_bin" \
        -add "$traefik_bin:/traefik" -entrypoint /traefik -user 65532 ;;
    *) die "unknown image $n (pause, testapp, coredns, sitegroup, traefik)" ;;
  esac
  imported+=("$n")
done

# Import into the running node's containerd (one tarball per `ctr` call).
if [ -S "$containerd_sock" ] && timeout 10 ctr -a "$containerd_sock" version >/dev/null 2>&1; then
  for n in "${imported[@]}"; do
    timeout 60 ctr -a "$containerd_sock" -n k8s.io images import "$images_dir/$n.tar" >"$log_dir/import-$n.log" 2>&1 \
      || { cat "$log_dir/import-$n.log" >&2; die "importing $n failed"; }
  done
  echo "  imported into containerd (k8s.io): ${imported[*]}"
else
  echo "  containerd of the real node is not running: images built in ${images_dir#"$root"/}, not imported"
fi
