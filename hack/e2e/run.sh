#!/usr/bin/env bash
# make e2e: brings the real node and the operator up, runs the end-to-end
# suite against them, and always takes everything down again. On a machine
# that cannot run containers (hack/realnode/check-host.sh exits 3) it says
# why and skips, so `make test` still runs everything else.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! "$root/hack/realnode/check-host.sh" -q; then
  rc=$?
  if [ "$rc" -eq 3 ]; then
    echo "e2e: skipped: this machine cannot run the real node:"
    "$root/hack/realnode/check-host.sh" || true
    exit 0
  fi
  exit "$rc"
fi
trap '"$root/hack/e2e/down.sh" >/dev/null 2>&1 || true' EXIT
"$root/hack/e2e/up.sh" || exit 1
# The fault suite (label "faults": the manager killed at named points, its
# clock moved ahead) runs after the rest, so that nothing it does to the
# manager's clock reaches another spec.
cd "$root" && go test ./test/e2e/ -count=1 -timeout 30m -v ${GOTEST_FLAGS:-} -args -ginkgo.label-filter='!faults' 2>&1 | grep -vE '^\s*$'
rc=${PIPESTATUS[0]}
if [ "$rc" -eq 0 ]; then
  go test ./test/e2e/ -count=1 -timeout 30m -v ${GOTEST_FLAGS:-} -args -ginkgo.label-filter='faults' 2>&1 | grep -vE '^\s*$'
  rc=${PIPESTATUS[0]}
fi
[ "$rc" -eq 0 ] || "$root/hack/e2e/diagnose.sh"
exit "$rc"
