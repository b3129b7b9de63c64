package inspector

import (
	"runtime/debug"
	"testing"
)

// TuneRuntime gives an inspection the Job's collector pace and memory
// limit, leaves what GOGC and GOMEMLIMIT set alone, and puts back what was
// there before.
func TestTuneRuntime(t *testing.T) {
	for _, tc := range []struct {
		name, gogc, gomemlimit string
		wantGC                 int
		wantLimit              int64
	}{
		{"the Job's settings", "", "", GCPercent, MemoryLimit},
		{"GOGC set", "150", "", 77, MemoryLimit},
		{"GOMEMLIMIT set", "", "1GiB", GCPercent, 1 << 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOGC", tc.gogc)
			t.Setenv("GOMEMLIMIT", tc.gomemlimit)
			prevGC, prevLimit := debug.SetGCPercent(77), debug.SetMemoryLimit(1<<40)
			defer debug.SetGCPercent(prevGC)
			defer debug.SetMemoryLimit(prevLimit)

			restore := TuneRuntime()
			gc, limit := debug.SetGCPercent(-1), debug.SetMemoryLimit(-1)
			debug.SetGCPercent(gc)
			if gc != tc.wantGC || limit != tc.wantLimit {
				t.Errorf("during the inspection: GC percent %d, limit %d; want %d, %d", gc, limit, tc.wantGC, tc.wantLimit)
			}
			restore()
			if gc := debug.SetGCPercent(77); gc != 77 {
				t.Errorf("restore left the GC percent at %d, want 77", gc)
			}
			if limit := debug.SetMemoryLimit(-1); limit != 1<<40 {
				t.Errorf("restore left the memory limit at %d, want %d", limit, int64(1<<40))
			}
		})
	}
}
