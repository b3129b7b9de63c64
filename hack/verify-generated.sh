#!/usr/bin/env bash
# Fails when `make manifests generate` would change a generated file: the
# generated files must always be committed up to date. It compares checksums
# before and after generating, so it works on a dirty tree too.
set -euo pipefail
cd "$(dirname "$0")/.."
generated() {
  find config/crd/bases config/crd/external config/rbac config/webhook config/manager api charts/sitegroup-operator/crds charts/sitegroup-operator/files -type f \( -name '*.yaml' -o -name 'zz_generated*.go' \) 2>/dev/null | sort | xargs -r sha256sum
}
before=$(generated)
make --no-print-directory manifests generate >/dev/null
after=$(generated)
if [ "$before" != "$after" ]; then
  echo "generated files are out of date; run 'make manifests generate' and commit:"
  diff <(echo "$before") <(echo "$after") || true
  exit 1
fi
echo "generated files are up to date"
