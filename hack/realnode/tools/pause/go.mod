// The real node's pod sandbox (pause) binary. Built by hack/realnode/build.sh.
module sitegroup.io/operator/hack/realnode/tools/pause

go 1.26.0
