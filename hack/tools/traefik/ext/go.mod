// Stand-in for Traefik's nested module github.com/traefik/traefik/dynamic/ext,
// which is neither in Traefik's module zip nor served by the module proxy.
// hack/tools/traefik/build.sh copies this folder to pkg/config/dynamic/ext,
// where Traefik's go.mod replace points.
module github.com/traefik/traefik/dynamic/ext

go 1.26
