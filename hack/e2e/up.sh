#!/usr/bin/env bash
# Brings up what the end-to-end suite runs against: the real node
# (hack/realnode) with its Gateway and cert-manager (hack/realnode/gateway.sh),
# the operator's freshly built image, the CRDs, the
# operator's ServiceAccount and RBAC, the admission policies (S6, S7), the platform's namespaces and policy, and the operator
# itself, run inside the node's network namespace so that the API server
# there calls its webhooks on loopback.
set -euo pipefail
source "$(dirname "$0")/../realnode/lib.sh"
e2e_dir="$root/bin/e2e"
webhook_port=19444
mkdir -p "$e2e_dir/pki/webhook"

"$root/hack/realnode/up.sh"
"$root/hack/realnode/gateway.sh"
"$root/hack/realnode/load-images.sh" sitegroup
(cd "$root" && go build -o bin/sitegroup ./cmd/sitegroup && go build -tags faultinject -o bin/sitegroup-faults ./cmd/sitegroup)

log "CRDs, admission policy, platform"
kc apply --server-side -f "$root/config/crd/bases" -f "$root/config/crd/external" >/dev/null
kc wait --for condition=Established --timeout 60s crd --all >/dev/null

log "the operator's own identity and RBAC, the personas' roles (config/rbac)"
source "$root/hack/lib/operator-identity.sh"
operator_kubeconfig kc "$e2e_dir/operator.kubeconfig"

log "the operator (in the node's network namespace)"
pki_e2e="$e2e_dir/pki"
if [ ! -f "$pki_e2e/webhook/tls.crt" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=sitegroup-e2e-ca" -keyout "$pki_e2e/ca.key" -out "$pki_e2e/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$pki_e2e/webhook/tls.key" -out "$pki_e2e/webhook.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\n' >"$pki_e2e/webhook.ext"
  openssl x509 -req -in "$pki_e2e/webhook.csr" -CA "$pki_e2e/ca.crt" -CAkey "$pki_e2e/ca.key" -CAcreateserial \
    -days 30 -extfile "$pki_e2e/webhook.ext" -out "$pki_e2e/webhook/tls.crt" 2>/dev/null
fi
"$root/hack/e2e/restart-manager.sh"
source "$root/hack/lib/webhook-on-loopback.sh"
webhooks_on_loopback "$webhook_port" "$pki_e2e/ca.crt" | kc apply -f - >/dev/null
kc apply -k "$root/config/admission" >/dev/null
kc apply -f "$root/test/e2e/testdata/platform.yaml" >/dev/null
log "ready for the e2e suite (operator log: bin/realnode/logs/sitegroup-manager.log)"
