// Builds OCI images (docker-save tarballs) from static binaries without a
// Docker engine or registry, with go-containerregistry. Used by
// hack/realnode/build-images.sh.
module sitegroup.io/operator/hack/realnode/tools/imgtool

go 1.26.0

require github.com/google/go-containerregistry v0.22.1

require (
	github.com/klauspost/compress v1.19.2 // indirect
	github.com/opencontainers/go-digest v1.0.0 // indirect
	github.com/opencontainers/image-spec v1.1.1 // indirect
)
