// A tiny CRI client for the real node's teardown (crictl is not on the module
// proxy): lists, stops and removes pod sandboxes through containerd's CRI, so
// the CNI DEL runs for each. Built by hack/realnode/build.sh.
module sitegroup.io/operator/hack/realnode/tools/cri

go 1.26.0

require (
	google.golang.org/grpc v1.82.1
	k8s.io/cri-api v0.37.2
)

require (
	golang.org/x/net v0.57.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.40.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260526163538-3dc84a4a5aaa // indirect
	google.golang.org/protobuf v1.36.12-0.20260120151049-f2248ac996af // indirect
)
