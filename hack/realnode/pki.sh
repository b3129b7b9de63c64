#!/usr/bin/env bash
# Writes the real node's PKI (openssl only) and kubeconfigs into
# bin/realnode/pki, unless they exist for the same node name and IP.
# Called by up.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

stamp="$node_name $node_ip v2"
if [ "$(cat "$pki/.stamp" 2>/dev/null)" = "$stamp" ] && [ -f "$pki/admin.kubeconfig" ]; then
  exit 0
fi
rm -rf "$pki" && mkdir -p "$pki"
cd "$pki"
q() { "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; }

q openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=sitegroup-realnode-ca" -keyout ca.key -out ca.crt
q openssl genrsa -out sa.key 2048
q openssl rsa -in sa.key -pubout -out sa.pub

# cert NAME SUBJECT EXTENSIONS
cert() {
  local name=$1 subj=$2 ext=$3
  q openssl req -newkey rsa:2048 -nodes -subj "$subj" -keyout "$name.key" -out "$name.csr"
  printf '%s\n' "$ext" >"$name.ext"
  q openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 -extfile "$name.ext" -out "$name.crt"
  rm -f "$name.csr" "$name.ext"
}
client='extendedKeyUsage=clientAuth
keyUsage=critical,digitalSignature,keyEncipherment'
cert apiserver "/CN=kube-apiserver" "extendedKeyUsage=serverAuth
keyUsage=critical,digitalSignature,keyEncipherment
subjectAltName=DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:10.96.0.1,IP:$node_ip"
cert kubelet-serving "/CN=$node_name" "extendedKeyUsage=serverAuth
keyUsage=critical,digitalSignature,keyEncipherment
subjectAltName=DNS:$node_name,DNS:localhost,IP:127.0.0.1,IP:$node_ip"
cert admin "/O=system:masters/CN=realnode-admin" "$client"
cert kube-controller-manager "/CN=system:kube-controller-manager" "$client"
cert kube-scheduler "/CN=system:kube-scheduler" "$client"
cert kubelet "/O=system:nodes/CN=system:node:$node_name" "$client"
cert kube-proxy "/CN=system:kube-proxy" "$client"
cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$client"

# kubeconfig FILE SERVER USER
kubeconfig() {
  cat >"$1" <<KC
apiVersion: v1
kind: Config
clusters:
- name: sitegroup-realnode
  cluster:
    server: $2
    certificate-authority: $pki/ca.crt
users:
- name: $3
  user:
    client-certificate: $pki/$3.crt
    client-key: $pki/$3.key
contexts:
- name: sitegroup-realnode
  context: {cluster: sitegroup-realnode, user: $3}
current-context: sitegroup-realnode
KC
}
for u in admin kube-controller-manager kube-scheduler kubelet kube-proxy; do
  kubeconfig "$u.kubeconfig" https://127.0.0.1:6443 "$u"
done
chmod 600 ./*.key
echo "$stamp" >.stamp
echo "  wrote certificates and kubeconfigs in ${pki#"$root"/}"
