#!/usr/bin/env bash
# Writes each migrating site's old pages into a volume, as the old CMS held
# them: `sitegroup sample-content`, dated from today, run as a pod on the
# node. The sites' import Jobs copy from these volumes, so they are written
# (and waited for) before the sites exist.
set -euo pipefail
source "$(dirname "$0")/../../realnode/lib.sh"
write() { # namespace claim organizer site-code icp public-security
  kc apply -f - >/dev/null <<YAML
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: $2, namespace: $1}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 100Mi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: $2-writer, namespace: $1}
spec:
  restartPolicy: Never
  securityContext: {runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: write
    image: $sitegroup_image
    imagePullPolicy: Never
    args: [sample-content, --out, /legacy, --organizer, "$3", --site-code, "$4", --icp, "$5", --public-security, "$6"]
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
    volumeMounts: [{name: legacy, mountPath: /legacy}]
  volumes: [{name: legacy, persistentVolumeClaim: {claimName: $2}}]
YAML
}
write tjhp-portal portal-legacy-content 天津市和平区人民政府 1201010001 津ICP备05004439号 津公网安备12010102000101号
write tjhp-edu edu-legacy-content 天津市和平区教育局 1201010002 津ICP备05004439号-2 津公网安备12010102000102号
write tjhp-culture culture-legacy-content 天津市和平区文化和旅游局 1201010005 津ICP备05004439号-5 津公网安备12010102000105号
for ns_claim in tjhp-portal/portal tjhp-edu/edu tjhp-culture/culture; do
  ns=${ns_claim%/*} pod=${ns_claim#*/}-legacy-content-writer
  wait_for "the old pages of $ns" 120 bash -c "[ \"\$($kubectl --kubeconfig $KUBECONFIG -n $ns get pod $pod -o jsonpath='{.status.phase}')\" = Succeeded ]"
done
