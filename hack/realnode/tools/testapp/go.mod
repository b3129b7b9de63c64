// A tiny static HTTP server/client used by hack/realnode/smoke.sh (and usable
// by e2e specs) as sitegroup.io/testapp:<tag>. Built by hack/realnode/build.sh.
module sitegroup.io/operator/hack/realnode/tools/testapp

go 1.26.0
