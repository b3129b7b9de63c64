# operator_kubeconfig KC OUT: runs the operator as itself outside the
# cluster (the e2e run, the demo). KC is a command that runs kubectl as the
# cluster's admin. It applies the operator's ServiceAccount and RBAC and
# the personas' roles (config/rbac), then writes OUT: the admin's cluster
# with a token of the ServiceAccount sitegroup-manager in sitegroup-system,
# and no other credentials. The operator then holds exactly its own
# rights, and the site-namespace admission policies (config/admission)
# tell its writes from everyone else's by that user name.
# Needs $root and $kubectl (the kubectl binary, for editing OUT).
operator_kubeconfig() {
  local kc=$1 out=$2 token admin_user
  $kc create namespace sitegroup-system --dry-run=client -o yaml | $kc apply -f - >/dev/null
  $kc apply -k "$root/config/rbac" >/dev/null
  token=$($kc create token sitegroup-manager -n sitegroup-system --duration 720h)
  $kc config view --raw --minify --flatten >"$out"
  chmod 600 "$out"
  admin_user=$("$kubectl" --kubeconfig "$out" config view -o jsonpath='{.users[0].name}')
  "$kubectl" --kubeconfig "$out" config set-credentials sitegroup-manager --token="$token" >/dev/null
  "$kubectl" --kubeconfig "$out" config set-context --current --user=sitegroup-manager >/dev/null
  "$kubectl" --kubeconfig "$out" config unset "users.$admin_user" >/dev/null
}
