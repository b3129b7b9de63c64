package inspector

import (
	"os"
	"runtime/debug"
)

// The Go runtime's settings for an inspection process (`sitegroup
// inspect`, the InspectionRun Job), and for tests and benchmarks that run
// an inspection inside a process of their own, so that they measure what
// the Job does.
const (
	// MemoryLimit is the soft limit: the Job's container is limited to
	// 256 MiB, and the collector works harder near this rather than let a
	// hostile site's pages take the Job past its limit (issue 16; the crawl
	// itself peaks around 100 MiB on 2 MiB pages of links, 15–25 MiB on
	// real sites).
	MemoryLimit = 192 << 20
	// GCPercent lets the heap grow to five times what is live before a
	// collection: a crawl's live heap is small (5–15 MiB) and it allocates
	// fast, so at Go's default of 100 the collector ran every few MiB and
	// took a quarter of the CPU on realistic pages (issue 16: 0.26 → 0.20
	// CPU-seconds per 1,000 pages, peak 15 → 25 MiB). MemoryLimit still
	// bounds the heap on hostile sites.
	GCPercent = 400
)

// TuneRuntime applies GCPercent and MemoryLimit, each unless GOGC or
// GOMEMLIMIT says otherwise, and returns what puts the previous settings
// back.
func TuneRuntime() (restore func()) {
	gc, limit := false, false
	var prevGC int
	var prevLimit int64
	if os.Getenv("GOGC") == "" {
		gc, prevGC = true, debug.SetGCPercent(GCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		limit, prevLimit = true, debug.SetMemoryLimit(MemoryLimit)
	}
	return func() {
		if gc {
			debug.SetGCPercent(prevGC)
		}
		if limit {
			debug.SetMemoryLimit(prevLimit)
		}
	}
}
