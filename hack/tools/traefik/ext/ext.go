// Package ext holds the extension points Traefik embeds in its dynamic
// configuration. Upstream ships them as a separate, unpublished module; the
// open-source build needs them empty.
package ext

// HTTP is embedded in dynamic.HTTPConfiguration.
type HTTP struct{}

// Router is embedded in dynamic.Router.
type Router struct{}
