#!/usr/bin/env bash
# Proves the real node works (run after up.sh; from the host, through the
# loopback relay). In namespace realnode-smoke, each step bounded:
#   1 a Deployment (2 replicas of sitegroup.io/testapp) serving HTTP is Ready
#   2 a client pod GETs it through its Service by DNS name (CoreDNS + kube-proxy)
#   3 the host GETs it on 127.0.0.1 (port-forward.sh and port-forward.sh --relay)
#   4 default-deny ingress NetworkPolicy: the client times out (Cilium drops)
#   5 an allow policy (from role=client, TCP 8080) reopens it for the client
#     only; another pod still times out
#   6 default-deny egress on the other pod: its requests time out; the client's still work
#   7 PVCs (ReadWriteMany and ReadWriteOnce, default StorageClass) bind, and a
#     pod running as 65532 writes and reads both
#   8 a pod requiring an overseas region stays Pending (node affinity)
# Usage: hack/realnode/smoke.sh [--keep]   (--keep leaves the namespace)
set -uo pipefail
source "$(dirname "$0")/lib.sh"
keep=${1:-}
ns=realnode-smoke
k() { timeout 60 "$kubectl" -n "$ns" "$@"; }
started=$SECONDS
results=()
failed=0
pass() { results+=("PASS  $1 ($(($SECONDS - step_start))s)"); echo "  PASS $1"; }
fail() { results+=("FAIL  $1"); echo "  FAIL $1" >&2; failed=1; }
step() { step_start=$SECONDS; echo "--> $1"; }
summary() {
  echo
  echo "smoke summary ($((SECONDS - started))s, node $node_name, $(date -u +%FT%TZ)):"
  printf '  %s\n' "${results[@]}"
  if [ "$keep" != --keep ]; then timeout 90 "$kubectl" delete ns "$ns" --wait=false >/dev/null 2>&1; fi
  [ $failed -eq 0 ] && echo "smoke: ALL PASS" || echo "smoke: FAILED (logs: $log_dir)"
}
trap 'kill $pf_pid $relay_pid 2>/dev/null; summary' EXIT
pf_pid= relay_pid=

timeout 10 "$kubectl" get --raw /readyz >/dev/null 2>&1 || { echo "the real node is not up: run hack/realnode/up.sh" >&2; failed=1; exit 1; }

# get POD URL: one GET from inside POD, 2 s client timeout (drops are silent).
get() { k exec "$1" -- /testapp get "$2" 1 2s 2>&1; }
# until_ok SECONDS CMD...: retries CMD (1 s apart) until it succeeds, bounded.
until_ok() { local s=$1; shift; for _ in $(seq 1 "$s"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done; return 1; }
# times_out POD URL: the GET fails with a client timeout (not a refusal).
times_out() { local out; out=$(get "$1" "$2"); [ $? -ne 0 ] && grep -q -E 'Timeout|deadline exceeded' <<<"$out"; }
url="http://web.$ns.svc.cluster.local/"

step "namespace, web Deployment + Service, client and other pods"
timeout 120 "$kubectl" delete ns "$ns" --ignore-not-found --wait=true >/dev/null 2>&1
k create ns "$ns" >/dev/null 2>&1 || timeout 60 "$kubectl" create ns "$ns" >/dev/null
k apply -f - >/dev/null <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 65532}
      containers:
      - name: web
        image: sitegroup.io/testapp:$testapp_tag
        imagePullPolicy: Never
        args: [serve, ":8080"]
        ports: [{containerPort: 8080}]
        readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {role: client}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: c, image: "sitegroup.io/testapp:$testapp_tag", imagePullPolicy: Never, args: [sleep]}
---
apiVersion: v1
kind: Pod
metadata: {name: other, labels: {role: other}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: c, image: "sitegroup.io/testapp:$testapp_tag", imagePullPolicy: Never, args: [sleep]}
EOF
if k wait --for condition=Available --timeout 60s deploy/web >/dev/null && \
   k wait --for condition=Ready --timeout 60s pod/client pod/other >/dev/null; then
  pass "1 Deployment web (2 replicas) serving HTTP is Available; client and other pods Ready"
else
  fail "1 Deployment web / client pods not Ready in 60s"; k get pods -o wide; exit 1
fi

step "client -> Service by DNS name"
if until_ok 20 get client "$url"; then
  pass "2 client GET $url -> $(get client "$url" | head -1)"
else
  fail "2 client GET $url: $(get client "$url")"
fi

step "host -> Service on 127.0.0.1"
port=$((20000 + RANDOM % 10000))
"$here/port-forward.sh" "$ns" svc/web "$port:80" >"$log_dir/smoke-port-forward.log" 2>&1 &
pf_pid=$!
if until_ok 15 curl -sf --max-time 2 "http://127.0.0.1:$port/"; then
  pass "3a host curl 127.0.0.1:$port (kubectl port-forward) -> $(curl -s --max-time 2 "http://127.0.0.1:$port/")"
else
  fail "3a host curl via kubectl port-forward ($(tail -2 "$log_dir/smoke-port-forward.log"))"
fi
kill $pf_pid 2>/dev/null; wait $pf_pid 2>/dev/null; pf_pid=
"$here/port-forward.sh" --relay "$ns" svc/web "$((port + 1)):80" >"$log_dir/smoke-relay.log" 2>&1 &
relay_pid=$!
if until_ok 15 curl -sf --max-time 2 "http://127.0.0.1:$((port + 1))/"; then
  pass "3b host curl 127.0.0.1:$((port + 1)) (relay to the ClusterIP) -> $(curl -s --max-time 2 "http://127.0.0.1:$((port + 1))/")"
else
  fail "3b host curl via the relay ($(tail -2 "$log_dir/smoke-relay.log"))"
fi
kill $relay_pid 2>/dev/null; wait $relay_pid 2>/dev/null; relay_pid=

step "default-deny ingress"
k apply -f - >/dev/null <<EOF
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny}
spec:
  podSelector: {}
  policyTypes: [Ingress]
EOF
if until_ok 15 times_out client "$url"; then
  pass "4 default-deny: client GET times out (2s): $(get client "$url" | grep -o -E "Client.Timeout[^)]*|deadline exceeded" | head -1)"
else
  fail "4 default-deny: client still gets $(get client "$url")"
fi

step "allow from role=client on TCP 8080"
k apply -f - >/dev/null <<EOF
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-client}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {role: client}}}]
    ports: [{protocol: TCP, port: 8080}]
EOF
if until_ok 15 get client "$url"; then
  if times_out other "$url"; then
    pass "5 allow policy: client -> $(get client "$url" | head -1); other still times out"
  else
    fail "5 allow policy: other is not blocked: $(get other "$url")"
  fi
else
  fail "5 allow policy: client still blocked: $(get client "$url")"
fi

step "default-deny egress on role=other"
k delete networkpolicy default-deny allow-client >/dev/null
if ! until_ok 15 get other "$url"; then fail "6 policies deleted but other still blocked"; fi
k apply -f - >/dev/null <<EOF
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: other-no-egress}
spec:
  podSelector: {matchLabels: {role: other}}
  policyTypes: [Egress]
EOF
if until_ok 15 times_out other "$url" && get client "$url" >/dev/null; then
  pass "6 egress deny: other times out, client -> $(get client "$url" | head -1)"
else
  fail "6 egress deny: other $(get other "$url" | tail -1); client $(get client "$url" | tail -1)"
fi

step "PVCs (ReadWriteMany, ReadWriteOnce) on the default StorageClass"
k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: rwx}
spec:
  accessModes: [ReadWriteMany]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: rwo}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 100Mi}}
---
apiVersion: v1
kind: Pod
metadata: {name: writer}
spec:
  terminationGracePeriodSeconds: 1
  securityContext: {runAsNonRoot: true, runAsUser: 65532, fsGroup: 65532}
  containers:
  - name: c
    image: sitegroup.io/testapp:$testapp_tag
    imagePullPolicy: Never
    args: [sleep]
    volumeMounts: [{name: rwx, mountPath: /rwx}, {name: rwo, mountPath: /rwo}]
  volumes:
  - {name: rwx, persistentVolumeClaim: {claimName: rwx}}
  - {name: rwo, persistentVolumeClaim: {claimName: rwo}}
EOF
if k wait --for jsonpath='{.status.phase}'=Bound --timeout 30s pvc/rwx pvc/rwo >/dev/null && \
   k wait --for condition=Ready --timeout 60s pod/writer >/dev/null; then
  ok=1 class=$(k get pvc rwx -o jsonpath='{.spec.storageClassName}')
  for v in rwx rwo; do
    k exec writer -- /testapp write "/$v/proof" "written to $v as 65532" >/dev/null 2>&1 || ok=0
    [ "$(k exec writer -- /testapp cat "/$v/proof" 2>/dev/null)" = "written to $v as 65532" ] || ok=0
  done
  if [ $ok = 1 ]; then
    pass "7 PVCs rwx (RWX) and rwo (RWO) Bound (class $class); a pod as 65532 wrote and read both"
  else
    fail "7 PVCs Bound but the pod could not write/read them"
  fi
else
  fail "7 PVCs not Bound or writer not Ready: $(k get pvc --no-headers 2>&1 | tr '\n' ';')"
fi

step "a pod requiring an overseas region"
k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata: {name: overseas}
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions: [{key: topology.kubernetes.io/region, operator: In, values: [us-west-1]}]
  containers:
  - {name: c, image: "sitegroup.io/testapp:$testapp_tag", imagePullPolicy: Never, args: [sleep]}
EOF
if k wait --for jsonpath='{.status.conditions[?(@.type=="PodScheduled")].reason}'=Unschedulable --timeout 30s pod/overseas >/dev/null; then
  sleep 3
  phase=$(k get pod overseas -o jsonpath='{.status.phase}')
  msg=$(k get pod overseas -o jsonpath='{.status.conditions[?(@.type=="PodScheduled")].message}')
  [ "$phase" = Pending ] && pass "8 overseas pod $phase: $msg" || fail "8 overseas pod is $phase"
else
  fail "8 overseas pod not reported Unschedulable in 30s"
fi
