package extract

import (
	"net/url"
	"sync"
)

// ResolveCache shares resolved links between the pages of one crawl:
// navigation, header and footer repeat the same links on every page, and
// resolving them (and computing their de-duplication key) is a good part
// of reading a page. Only links that do not depend on the page's path are
// kept (absolute, or rooted "/..."), with their kind and whether they are
// on the site, so the pages sharing a cache must share Options.SameSite
// (one crawl's do). Safe for concurrent use. The URLs it hands out are
// shared: never modify them.
type ResolveCache struct {
	mu     sync.RWMutex
	rooted map[string]map[string]resolved // scheme://host of the page → href → link
	size   int
}

type resolved struct {
	u    *url.URL // nil: not a link a crawler follows
	key  string
	kind LinkKind
	same bool // on the inspected site (Options.SameSite)
	// errorEntry: the href is the 找错 service's (errorEntryHref), read
	// once per link, not on every page that repeats it.
	errorEntry bool
}

// maxResolved bounds the cache; past it, links are resolved every time.
const maxResolved = 20000

// NewResolveCache makes an empty cache.
func NewResolveCache() *ResolveCache {
	return &ResolveCache{rooted: map[string]map[string]resolved{}}
}

// cacheable says where a link leads does not depend on the page's path.
func cacheable(href []byte) bool {
	switch {
	case len(href) > 1 && href[0] == '/':
		return href[1] != '/'
	case len(href) == 1:
		return href[0] == '/'
	}
	return hasPrefixFold(href, "http://") || hasPrefixFold(href, "https://")
}

func hasPrefixFold(b []byte, prefix string) bool {
	if len(b) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// get looks a link up without allocating (a map index by string(bytes)).
func (c *ResolveCache) get(page string, href []byte) (resolved, bool) {
	if c == nil || !cacheable(href) {
		return resolved{}, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	r, ok := c.rooted[page][string(href)]
	return r, ok
}

// newLink is a link a page resolved that the cache did not have.
type newLink struct {
	href string
	r    resolved
}

// miss notes a link to add when the page is read (putAll): the cache's
// write lock is taken once per page, not once per new link, as every
// other worker's lookups wait for it.
func (c *ResolveCache) miss(pending []newLink, href []byte, r resolved) []newLink {
	if c == nil || !cacheable(href) {
		return pending
	}
	return append(pending, newLink{href: string(href), r: r})
}

// putAll adds a page's new links.
func (c *ResolveCache) putAll(page string, links []newLink) {
	if c == nil || len(links) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.rooted[page]
	if !ok {
		m = map[string]resolved{}
		c.rooted[page] = m
	}
	for _, l := range links {
		if c.size >= maxResolved {
			return
		}
		if _, dup := m[l.href]; !dup {
			m[l.href] = l.r
			c.size++
		}
	}
}
