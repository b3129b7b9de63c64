#!/usr/bin/env bash
# make demo-test: brings `make demo` up on the real node, drives the console
# in Chromium against it (test/demo: the sample sites' states, a chart, a
# signature, the auditor's view), and always takes the demo down again. On a
# machine that cannot run the real node (check-host.sh exits 3) it says why
# and skips: the simulated demo serves nothing for the console to chart.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! "$root/hack/realnode/check-host.sh" -q; then
  rc=$?
  if [ "$rc" -eq 3 ]; then
    echo "demo-test: skipped: this machine cannot run the real node:"
    "$root/hack/realnode/check-host.sh" || true
    exit 0
  fi
  exit "$rc"
fi
trap '"$root/hack/demo/down.sh" >/dev/null 2>&1 || true' EXIT
"$root/hack/demo/up.sh" || exit 1
cd "$root" && SITEGROUP_DEMO_KUBECONFIG="$root/bin/realnode/kubeconfig" \
  go test ./test/demo/ -count=1 -timeout 15m -v ${GOTEST_FLAGS:-} 2>&1 | grep -vE '^\s*$'
exit "${PIPESTATUS[0]}"
