#!/usr/bin/env bash
# Copies the CRDs of the APIs the operator writes but does not own (Gateway
# API's HTTPRoute, cert-manager's Certificate) from the exact module versions
# in go.mod into config/crd/external, so envtest, the demo and the chart use
# the schemas the Go types were compiled against.
set -euo pipefail
cd "$(dirname "$0")/.."
out=config/crd/external
gw=$(go list -m -f '{{.Dir}}' sigs.k8s.io/gateway-api)
cm=$(go list -m -f '{{.Dir}}' github.com/cert-manager/cert-manager)
mkdir -p "$out"
rm -f "$out"/*.yaml
for k in gatewayclasses gateways httproutes referencegrants; do
  install -m 0644 "$gw/config/crd/standard/gateway.networking.k8s.io_$k.yaml" "$out/"
done
for k in certificates certificaterequests issuers clusterissuers; do
  install -m 0644 "$cm/deploy/crds/cert-manager.io_$k.yaml" "$out/"
done
