# webhooks_on_loopback PORT CA_FILE: prints config/webhook/manifests.yaml
# (generated from the webhooks' markers) as the demo and the e2e run need
# it: the manager runs as a process on the host, so the API server calls
# it at https://127.0.0.1:PORT<path> instead of through a Service, trusting
# CA_FILE. Every webhook the operator serves is there, none hand-copied.
webhooks_on_loopback() {
  local port=$1 ca
  ca=$(base64 -w0 <"$2")
  awk -v port="$port" -v ca="$ca" '
    /^metadata:$/ { in_metadata = 1; print; next }
    in_metadata && /^  name: / { print "  name: sitegroup-loopback-" substr($0, 9); in_metadata = 0; next }
    /^    service:$/ { in_service = 1; next }
    in_service && /^      path: / { print "    url: https://127.0.0.1:" port substr($0, 13); print "    caBundle: " ca; in_service = 0; next }
    in_service { next }
    { print }
  ' "$root/config/webhook/manifests.yaml"
}
