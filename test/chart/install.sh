#!/usr/bin/env bash
# make chart-install-test: installs the chart with `helm install` into the
# real node (hack/realnode) and proves it works:
#   - the manager pod becomes Ready in a Pod Security "restricted" namespace,
#     with the webhook's certificate from cert-manager (CHART_TEST_CERTS=
#     cert-manager, the chart's default: cert-manager's controller and CA
#     injector run on the node, hack/realnode/gateway.sh) or from its own
#     rotator (CHART_TEST_CERTS=rotator), and the CA injected into both
#     webhook configurations;
#   - its webhook answers through the Service: a good GovWebsite is admitted,
#     a bad one (a domain another site owns, S3) is refused, and the manager's
#     own webhook metrics count both requests;
#   - its metrics are HTTPS for a token bound to sitegroup-metrics-reader
#     only (no token 401, another token 403);
#   - the operator works: the site's content volume is created and bound;
#   - one pod's loss blocks nothing (cert-manager install, issue 17): the
#     chart's two replicas and PodDisruptionBudget, the leader's pod force-
#     deleted, a valid change admitted by the other replica at once, the
#     lease moved and the change reconciled; with no manager pod at all a
#     write is refused (the webhooks fail closed);
#   - the API server accepts every object of the default (cert-manager) and
#     the custom render (server-side dry run, with the CRDs they need);
#   - `helm uninstall` removes the operator but leaves the CRDs, the site and
#     its content volume in place.
# On a machine that cannot run the real node (check-host.sh exits 3) it says
# why and skips. A node this script brought up is taken down again; one that
# was already up is left up, without this test's objects.
# Needs: HELM (path), K8S_VERSION, PROMETHEUS_OPERATOR_VERSION. Set CHART_TEST_KEEP=1 to leave everything installed.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${HELM:?}" "${K8S_VERSION:?}" "${PROMETHEUS_OPERATOR_VERSION:?}"
export GOTOOLCHAIN=local
if ! "$root/hack/realnode/check-host.sh" -q; then
  rc=$?
  if [ "$rc" -eq 3 ]; then
    echo "chart-install-test: skipped: this machine cannot run the real node:"
    "$root/hack/realnode/check-host.sh" || true
    exit 0
  fi
  exit "$rc"
fi
set -e
source "$root/hack/realnode/lib.sh"
here="$root/test/chart"
ns=sitegroup-system
release=sitegroup-operator
k() { "$kubectl" --kubeconfig "$KUBECONFIG" "$@"; }
helm() { "$HELM" --kubeconfig "$KUBECONFIG" "$@"; }
t0=$SECONDS
elapsed() { echo "$((SECONDS - t0))s"; }
fail() {
  echo "chart-install-test: FAIL: $*" >&2
  echo "--- pods in $ns" >&2; k -n "$ns" get pods -o wide >&2 2>&1 || true
  echo "--- manager log" >&2; k -n "$ns" logs deploy/sitegroup-manager --tail 40 >&2 2>&1 || true
  echo "--- events" >&2; k -n "$ns" get events --sort-by .lastTimestamp 2>&1 | tail -15 >&2 || true
  exit 1
}

# The node: reuse one that is up, else bring one up (and down at the end).
node_was_up=false
if timeout 10 "$kubectl" get --raw /readyz >/dev/null 2>&1; then
  node_was_up=true
  log "the real node is already up: using it"
  if k get sitegrouppolicy default >/dev/null 2>&1 &&
    [ "$(k get sitegrouppolicy default -o jsonpath='{.metadata.labels.app\.kubernetes\.io/managed-by}')" != Helm ]; then
    die "the real node is in use (a SiteGroupPolicy default not from Helm exists, e.g. from make e2e or make demo); run this on a node of its own"
  fi
fi
cleanup() {
  local rc=$?
  if [ -n "${CHART_TEST_KEEP:-}" ]; then
    echo "CHART_TEST_KEEP set: leaving the install and the node up (KUBECONFIG=$KUBECONFIG)"
    return
  fi
  if $node_was_up; then
    helm uninstall "$release" -n "$ns" --wait >/dev/null 2>&1 || true
    for site in chart-test-portal/portal chart-test-copycat/copycat; do
      k -n "${site%/*}" patch govwebsite "${site#*/}" --type merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1 || true
    done
    k delete clusterrolebinding chart-test-scraper --ignore-not-found >/dev/null 2>&1 || true
    k delete namespace chart-test-portal chart-test-copycat "$ns" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  else
    "$root/hack/realnode/down.sh" >/dev/null 2>&1 || true
  fi
  exit "$rc"
}
trap cleanup EXIT
if ! $node_was_up; then
  log "bringing the real node up"
  "$root/hack/realnode/up.sh"
fi
certs=${CHART_TEST_CERTS:-cert-manager}
case $certs in
  cert-manager)
    log "cert-manager on the node ($(elapsed))"
    "$root/hack/realnode/gateway.sh"
    cert_values=(--set certManager.enabled=true) ;;
  rotator) cert_values=() ;;
  *) die "CHART_TEST_CERTS is cert-manager or rotator, not $certs" ;;
esac
log "the operator image from this tree ($(elapsed))"
"$root/hack/realnode/load-images.sh" sitegroup

log "the API server accepts every object of the other renders (server-side dry run, $(elapsed))"
# The cert-manager (default) and the custom renders cannot run here (no
# cert-manager, no Prometheus Operator), but their CRDs can be installed, so
# the API server checks every object: schemas, CEL rules, references.
promop_dir=$(cd /tmp && GOFLAGS=-mod=mod go mod download -json \
  "github.com/prometheus-operator/prometheus-operator@${PROMETHEUS_OPERATOR_VERSION:?}" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
k apply --server-side -f "$root/charts/sitegroup-operator/crds" -f "$root/config/crd/external" \
  -f "$promop_dir/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml" >/dev/null
k wait --for condition=Established --timeout 60s crd --all >/dev/null
mkdir -p "$root/bin/chart-test/renders"
for n in default custom; do
  other=platform-ops
  k create namespace "$other" --dry-run=client -o yaml | k apply -f - >/dev/null
  values=(); [ "$n" = default ] || values=(-f "$here/values/$n.yaml")
  f="$root/bin/chart-test/renders/server-dry-run-$n.yaml"
  "$HELM" template "$release" "$root/charts/sitegroup-operator" -n "$other" --kube-version "${K8S_VERSION#v}" "${values[@]}" >"$f"
  k apply --server-side --dry-run=server -f "$f" >/dev/null || fail "the API server refused objects of the $n render"
  echo "  $n: $(grep -c '^kind:' "$f") objects accepted"
done
k delete namespace platform-ops --wait=false >/dev/null

log "helm install into $ns (Pod Security restricted), the webhook's certificate from $certs ($(elapsed))"
k create namespace "$ns" --dry-run=client -o yaml | k apply -f - >/dev/null
k label namespace "$ns" --overwrite pod-security.kubernetes.io/enforce=restricted >/dev/null
helm install "$release" "$root/charts/sitegroup-operator" -n "$ns" -f "$here/values/realnode.yaml" "${cert_values[@]}" \
  --wait --timeout 5m || fail "helm install"
k -n "$ns" wait pod -l app.kubernetes.io/name=sitegroup-operator,app.kubernetes.io/component=manager \
  --for condition=Ready --timeout 300s >/dev/null || fail "the manager pod is not Ready"
pod=$(k -n "$ns" get pod -l app.kubernetes.io/component=manager -o jsonpath='{.items[0].metadata.name}')
echo "  $pod Ready ($(elapsed))"

log "the webhook's certificate ($certs) and CA injection"
if [ "$certs" = cert-manager ]; then
  k -n "$ns" wait --for condition=Ready --timeout 60s certificate/sitegroup-serving-cert >/dev/null \
    || fail "cert-manager did not issue the webhook's Certificate"
fi
k -n "$ns" get secret sitegroup-webhook-server-cert -o jsonpath='{.data.tls\.crt}' | grep -q . \
  || fail "the Secret sitegroup-webhook-server-cert has no tls.crt"
ca=$(k -n "$ns" get secret sitegroup-webhook-server-cert -o jsonpath='{.data.ca\.crt}')
for cfg in validatingwebhookconfiguration/sitegroup-validating-webhook-configuration \
  mutatingwebhookconfiguration/sitegroup-mutating-webhook-configuration; do
  bundle=$(k get "$cfg" -o jsonpath='{.webhooks[0].clientConfig.caBundle}')
  [ -n "$bundle" ] || fail "$cfg has no caBundle"
  [ "$certs" = rotator ] || [ "$bundle" = "$ca" ] || fail "$cfg's caBundle is not the CA of cert-manager's certificate"
done
echo "  Secret filled, caBundle in both webhook configurations"

# The metrics endpoint is HTTPS behind the API server's authentication and
# authorization (issue 17): a scraper's ServiceAccount bound to
# sitegroup-metrics-reader reads it; no token is 401, a token without the
# binding 403. Scraped from inside the node's network namespace (pod IPs).
k -n "$ns" create serviceaccount chart-test-scraper --dry-run=client -o yaml | k apply -f - >/dev/null
k -n "$ns" create serviceaccount chart-test-stranger --dry-run=client -o yaml | k apply -f - >/dev/null
k create clusterrolebinding chart-test-scraper --clusterrole sitegroup-metrics-reader \
  --serviceaccount "$ns:chart-test-scraper" --dry-run=client -o yaml | k apply -f - >/dev/null
scraper_token=$(k -n "$ns" create token chart-test-scraper --duration 1h)
stranger_token=$(k -n "$ns" create token chart-test-stranger --duration 1h)
# scrape IP [TOKEN]: the HTTP status, then the body, of GET /metrics.
scrape() {
  local auth=()
  [ -n "${2:-}" ] && auth=(-H "Authorization: Bearer $2")
  "$root/hack/realnode/exec.sh" curl -sk --max-time 5 "${auth[@]}" -w '\n%{http_code}' "https://$1:8443/metrics"
}
# webhook_requests CODE: the managers' count of GovWebsite validations answered
# with CODE, summed over every replica (the Service picks one per request).
webhook_requests() {
  local total=0 ip out n
  for ip in $(k -n "$ns" get pod -l app.kubernetes.io/component=manager -o jsonpath='{.items[*].status.podIP}'); do
    out=$(scrape "$ip" "$scraper_token")
    [ "$(tail -1 <<<"$out")" = 200 ] || fail "the scraper's token read $ip:8443/metrics with status $(tail -1 <<<"$out")"
    n=$(awk -v code="$1" '/^controller_runtime_webhook_requests_total\{/ && /validate-sitegroup-io-v1alpha1-govwebsite/ && $0 ~ "code=\"" code "\"" {n += $NF} END {print n + 0}' <<<"$out")
    total=$((total + n))
  done
  echo "$total"
}
log "metrics: HTTPS, authenticated and authorized ($(elapsed))"
ip=$(k -n "$ns" get pod "$pod" -o jsonpath='{.status.podIP}')
code=$(scrape "$ip" | tail -1)
[ "$code" = 401 ] || fail "metrics without a token answered $code, want 401"
code=$(scrape "$ip" "$stranger_token" | tail -1)
[ "$code" = 403 ] || fail "metrics with a token not bound to sitegroup-metrics-reader answered $code, want 403"
# Go's TLS server answers plain HTTP with a 400 and no metrics.
code=$("$root/hack/realnode/exec.sh" curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://$ip:8443/metrics" 2>/dev/null || true)
[ "$code" != 200 ] || fail "metrics answered plain HTTP"
echo "  no token 401, unbound token 403, plain HTTP $code, sitegroup-metrics-reader 200"
before=$(webhook_requests 200)

log "the webhook admits a good GovWebsite ($(elapsed))"
admitted=false
for _ in $(seq 1 30); do  # the Service's endpoints may lag the pod's readiness by a moment
  if out=$(k apply -f "$here/testdata/install/site.yaml" 2>&1); then admitted=true; break; fi
  sleep 2
done
$admitted || fail "the good GovWebsite was not admitted: $out"

log "the webhook refuses a bad GovWebsite (S3: a domain of another site)"
k create namespace chart-test-copycat --dry-run=client -o yaml | k apply -f - >/dev/null
if out=$(k apply -f "$here/testdata/install/bad-site.yaml" 2>&1); then
  fail "the bad GovWebsite was admitted"
fi
# Only the webhook says this (the CRD's schema cannot see other sites).
grep -q 'S3: domain www.tjhp.gov.cn already belongs to site chart-test-portal/portal' <<<"$out" || fail "refused for another reason: $out"
echo "  $(grep -o 'The GovWebsite.*' <<<"$out" | cut -c1-150)..."
after=$(webhook_requests 200)
[ "$after" -ge $((before + 2)) ] || fail "the manager's webhook metrics counted $((after - before)) GovWebsite validations, want 2"
echo "  the manager counted $((after - before)) GovWebsite validations (controller_runtime_webhook_requests_total)"

log "the operator creates the site's content volume"
wait_for "PVC chart-test-portal/portal-content to be Bound" 180 \
  bash -c "[ \"\$($kubectl --kubeconfig $KUBECONFIG -n chart-test-portal get pvc portal-content -o jsonpath='{.status.phase}' 2>/dev/null)\" = Bound ]" \
  || fail "no bound content volume"
pv=$(k -n chart-test-portal get pvc portal-content -o jsonpath='{.spec.volumeName}')
echo "  portal-content Bound to $pv ($(elapsed))"

log "the chart's RBAC is enough: no refusals in the manager's log"
if k -n "$ns" logs "$pod" | grep -i 'forbidden: User "system:serviceaccount:'"$ns"':sitegroup-manager"' | head -5; then
  fail "the API server refused the manager (RBAC)"
fi
echo "  none"

# Issue 17: the webhooks fail closed, so the chart's defaults — two replicas,
# a PodDisruptionBudget, leader election — must let one pod's loss block no
# write and stop no reconcile; and with no webhook pod at all, writes are
# refused, never admitted unchecked. Once, in the cert-manager install (the
# chart's default certificates); the rotator install checks the rest again.
if [ "$certs" = cert-manager ]; then
  log "the leader's pod lost: the other replica answers the webhook and takes the lease ($(elapsed))"
  [ "$(k -n "$ns" get deployment sitegroup-manager -o jsonpath='{.spec.replicas}')" = 2 ] || fail "the chart's default is not two replicas"
  [ "$(k -n "$ns" get pdb sitegroup-manager -o jsonpath='{.spec.minAvailable}')" = 1 ] || fail "no PodDisruptionBudget keeping one manager"
  lease=sitegroup-operator.sitegroup.io
  holder=$(k -n "$ns" get lease "$lease" -o jsonpath='{.spec.holderIdentity}')
  leader=${holder%%_*}
  [ -n "$leader" ] && k -n "$ns" get pod "$leader" >/dev/null || fail "no manager pod holds the lease $lease (holder '$holder')"
  k -n "$ns" delete pod "$leader" --grace-period=0 --force >/dev/null 2>&1
  lost=$SECONDS
  # A write through the webhook at once: the Service's endpoints drop the
  # lost pod within a moment, so a few quick tries, bounded.
  admitted=false
  for _ in $(seq 1 10); do
    if out=$(k -n chart-test-portal patch govwebsite portal --type merge -p '{"spec":{"frontend":{"replicas":2}}}' 2>&1); then admitted=true; break; fi
    sleep 1
  done
  $admitted || fail "a valid change was refused with one manager pod lost: $out"
  echo "  a valid change admitted $((SECONDS - lost))s after the leader's pod was lost"
  wait_for "another pod to hold the lease" 90 \
    bash -c "h=\$($kubectl --kubeconfig $KUBECONFIG -n $ns get lease $lease -o jsonpath='{.spec.holderIdentity}'); [ -n \"\$h\" ] && [ \"\${h%%_*}\" != $leader ]" \
    || fail "no other replica took the lease $lease"
  echo "  lease $lease moved to $(k -n "$ns" get lease "$lease" -o jsonpath='{.spec.holderIdentity}' | cut -d_ -f1) $((SECONDS - lost))s after the loss"
  gen=$(k -n chart-test-portal get govwebsite portal -o jsonpath='{.metadata.generation}')
  wait_for "the new leader to reconcile the change (observedGeneration $gen)" 120 \
    bash -c "[ \"\$($kubectl --kubeconfig $KUBECONFIG -n chart-test-portal get govwebsite portal -o jsonpath='{.status.observedGeneration}')\" = $gen ]" \
    || fail "the site's change was not reconciled after the leader's loss"
  echo "  the change reconciled by the new leader (observedGeneration $gen) $((SECONDS - lost))s after the loss"

  log "no webhook pod at all: writes fail closed ($(elapsed))"
  k -n "$ns" scale deployment sitegroup-manager --replicas 0 >/dev/null
  k -n "$ns" wait pod -l app.kubernetes.io/component=manager --for delete --timeout 120s >/dev/null 2>&1 \
    || fail "the manager pods did not go"
  if out=$(k -n chart-test-portal patch govwebsite portal --type merge -p '{"spec":{"frontend":{"replicas":1}}}' 2>&1); then
    fail "a change was admitted with no webhook to check it"
  fi
  grep -q 'failed calling webhook' <<<"$out" || fail "refused for another reason: $out"
  echo "  refused: $(grep -o 'failed calling webhook[^:]*' <<<"$out" | head -1)"
  k -n "$ns" scale deployment sitegroup-manager --replicas 2 >/dev/null
  k -n "$ns" rollout status deployment sitegroup-manager --timeout 300s >/dev/null || fail "the managers did not come back"
fi

log "helm uninstall leaves the CRDs, the site and its content volume"
helm uninstall "$release" -n "$ns" --wait --timeout 2m || fail "helm uninstall"
k -n "$ns" get deployment sitegroup-manager >/dev/null 2>&1 && fail "the manager Deployment survived uninstall"
k get validatingwebhookconfiguration sitegroup-validating-webhook-configuration >/dev/null 2>&1 \
  && fail "the webhook configuration survived uninstall"
for crd in govwebsites takedownrequests inspectionruns sitegrouppolicies; do
  k get crd "$crd.sitegroup.io" >/dev/null || fail "CRD $crd.sitegroup.io removed by uninstall"
done
k -n chart-test-portal get govwebsite portal >/dev/null || fail "the GovWebsite was removed by uninstall"
[ "$(k -n chart-test-portal get pvc portal-content -o jsonpath='{.status.phase}')" = Bound ] \
  || fail "the content volume portal-content is gone or unbound after uninstall"
k get pv "$pv" >/dev/null || fail "the PersistentVolume $pv is gone after uninstall"
echo "  CRDs, GovWebsite chart-test-portal/portal and PVC portal-content ($pv) still there"

echo "chart-install-test: ok in $(elapsed)"
