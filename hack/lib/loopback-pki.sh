# loopback_pki PKI NAME PORT KUBECONFIG: the certificates and credentials of
# a control plane on loopback (the simulated demo, the scale benchmark): a
# CA, the API server's serving certificate, the webhook's (127.0.0.1, also
# as PKI/webhook/tls.{crt,key} for the manager), the ServiceAccount signing
# key, a token file with one system:masters user NAME-admin, and a
# kubeconfig (mode 600) for that user at https://127.0.0.1:PORT.
loopback_pki() {
  local pki=$1 name=$2 port=$3 kubeconfig=$4 token
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=sitegroup-$name-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout "$pki/apiserver.key" -out "$pki/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,IP:127.0.0.1,IP:10.96.0.1\n' >"$pki/apiserver.ext"
  openssl x509 -req -in "$pki/apiserver.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 30 -extfile "$pki/apiserver.ext" -out "$pki/apiserver.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$pki/webhook.key" -out "$pki/webhook.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$pki/webhook.ext"
  openssl x509 -req -in "$pki/webhook.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 30 -extfile "$pki/webhook.ext" -out "$pki/webhook.crt" 2>/dev/null
  mkdir -p "$pki/webhook" && cp "$pki/webhook.crt" "$pki/webhook/tls.crt" && cp "$pki/webhook.key" "$pki/webhook/tls.key"
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  token=$(openssl rand -hex 16)
  echo "$token,$name-admin,$name-admin,system:masters" >"$pki/tokens.csv"
  cat >"$kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: sitegroup-$name
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority: $pki/ca.crt
users:
- name: $name-admin
  user:
    token: $token
contexts:
- name: sitegroup-$name
  context: {cluster: sitegroup-$name, user: $name-admin}
current-context: sitegroup-$name
KUBECONFIG
  chmod 600 "$kubeconfig"
}
