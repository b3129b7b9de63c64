package extract

import (
	"net/url"
	"sync"
	"sync/atomic"
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
	// filled says the cache holds maxResolved links: pages stop noting
	// new ones (a hostile site's 50,000 links a page would otherwise be
	// held until each page ends, for nothing).
	filled atomic.Bool
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
	if c == nil || c.filled.Load() || !cacheable(href) {
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
			c.filled.Store(true)
			return
		}
		if _, dup := m[l.href]; !dup {
			m[l.href] = l.r
			c.size++
		}
	}
}

// localLinks is one worker's copy of the links the shared cache gave it
// (Scan's scanners keep one each): the menu's and footer's links, which
// every page repeats, are then found without the shared cache's lock, on
// which 16 workers otherwise queue (issue 16's speed work).
type localLinks struct {
	cache *ResolveCache
	base  string
	m     map[string]resolved
}

// maxLocalLinks bounds a worker's copy.
const maxLocalLinks = 2048

// get looks a link up; the copy is emptied when the crawl or the page's
// scheme and host are not the ones it was made for.
func (l *localLinks) get(c *ResolveCache, base string, href []byte) (resolved, bool) {
	if c == nil || !cacheable(href) {
		return resolved{}, false
	}
	if l.cache != c || l.base != base {
		l.cache, l.base = c, base
		clear(l.m)
	}
	r, ok := l.m[string(href)]
	return r, ok
}

// put keeps a link the shared cache gave (cacheable ones only: get was
// asked first).
func (l *localLinks) put(href []byte, r resolved) {
	if l == nil || l.cache == nil || len(l.m) >= maxLocalLinks {
		return
	}
	if l.m == nil {
		l.m = map[string]resolved{}
	}
	l.m[string(href)] = r
}
