#!/usr/bin/env bash
# The platform's north-south path on the real node (issue 20): cert-manager's
# controller (hack/tools/cert-manager, run as the other node components run,
# inside the node's network namespace) with a self-signed ClusterIssuer that
# signs the platform's CA and the CA ClusterIssuer sitegroup-ca; Traefik
# (hack/tools/traefik) as the Gateway API data plane, a pod in
# sitegroup-gateway behind GatewayClass traefik and Gateway
# sitegroup-gateway/sitegroup (HTTP and HTTPS listeners); and loopback relays
# to it: http://127.0.0.1:$GATEWAY_HTTP_PORT and https://127.0.0.1:$GATEWAY_HTTPS_PORT.
# The CA certificate is written to bin/realnode/gateway-ca.crt for curl.
# Needs the node up (hack/realnode/up.sh). Idempotent.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
netns_exists || die "the real node is not up: run hack/realnode/up.sh"
http_port=${GATEWAY_HTTP_PORT:-18480}
https_port=${GATEWAY_HTTPS_PORT:-18443}

log "cert-manager's controller and Traefik (built once into bin/)"
cm_dir=$("$root/hack/tools/cert-manager/build.sh" | tail -1)
"$here/load-images.sh" traefik
gw_api=$(cd "$root" && go list -m -f '{{.Dir}}' sigs.k8s.io/gateway-api)

log "CRDs: cert-manager's, and Gateway API's standard channel (the operator's version)"
kc apply --server-side --force-conflicts -f "$cm_dir/crds" >/dev/null
# Traefik watches GRPCRoutes, TLSRoutes and BackendTLSPolicies too: without
# their CRDs its cache never syncs.
for f in "$gw_api"/config/crd/standard/gateway.networking.k8s.io_*.yaml; do
  case $f in *vap_safeupgrades*) continue ;; esac
  kc apply --server-side --force-conflicts -f "$f" >/dev/null
done
kc wait --for condition=Established --timeout 60s crd --all >/dev/null

kc create namespace cert-manager --dry-run=client -o yaml | kc apply -f - >/dev/null
if ! alive "$(pid_of cert-manager)"; then
  start_ns cert-manager "$cm_dir/controller" --kubeconfig "$ns_kubeconfig" --cluster-resource-namespace cert-manager \
    --leader-elect=false --metrics-listen-address 127.0.0.1:9402 --internal-healthz-listen-address 127.0.0.1:9403
fi
wait_for "cert-manager's controller" 60 nsenter --net="$netns" -- curl -sf -o /dev/null http://127.0.0.1:9403/livez
# Its CA injector fills the caBundle of webhook configurations annotated
# cert-manager.io/inject-ca-from (the chart's cert-manager path).
if ! alive "$(pid_of cert-manager-cainjector)"; then
  start_ns cert-manager-cainjector "$cm_dir/cainjector" --kubeconfig "$ns_kubeconfig" --leader-elect=false \
    --health-probe-bind-address 127.0.0.1:9404
fi

log "the platform's CA, Traefik and the Gateway"
kc apply --server-side --force-conflicts -f "$root/bin/traefik-$traefik_version/kubernetes-gateway-rbac.yml" >/dev/null
sed "s|@TRAEFIK_VERSION@|$traefik_version|g" "$here/config/gateway.yaml" | kc apply --server-side --force-conflicts -f - >/dev/null
kc -n cert-manager wait --for condition=Ready --timeout 60s certificate/sitegroup-ca >/dev/null
kc wait --for condition=Ready --timeout 60s clusterissuer/sitegroup-ca >/dev/null
kc -n cert-manager get secret sitegroup-ca -o jsonpath='{.data.ca\.crt}' | base64 -d >"$rn_dir/gateway-ca.crt"
kc -n sitegroup-gateway wait --for condition=Available --timeout 120s deploy/traefik >/dev/null
kc -n sitegroup-gateway wait --for condition=Programmed --timeout 120s gateway/sitegroup >/dev/null

log "loopback relays to the Gateway: http://127.0.0.1:$http_port https://127.0.0.1:$https_port"
relay() { # name local-port service-port
  alive "$(pid_of "$1")" || start "$1" "$here/port-forward.sh" --relay sitegroup-gateway svc/traefik "$2:$3"
}
relay gateway-http "$http_port" 80
relay gateway-https "$https_port" 443
wait_for "the Gateway on 127.0.0.1:$https_port" 30 curl -s -o /dev/null --max-time 3 -k "https://127.0.0.1:$https_port/"
echo "  GatewayClass traefik, Gateway sitegroup-gateway/sitegroup Programmed; CA: ${rn_dir#"$root"/}/gateway-ca.crt"
