// Fence, not a module to build: keeps the patch sources in this folder (they
// compile only once build.sh copies them into Traefik's dependencies) out of
// the operator's `./...` (go vet, golangci-lint, go test).
module sitegroup.io/operator/hack/tools/traefik

go 1.26
