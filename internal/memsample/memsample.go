// Package memsample measures a process's peak memory for the tests and
// benchmarks that bound it (the inspector's Job runs under 256 MiB).
package memsample

import (
	"runtime/metrics"
	"time"
)

// Peak samples, every millisecond until stop closes, the memory the Go
// runtime holds from the OS (mapped minus released), and sends the most
// it saw. Run it in a goroutine.
func Peak(stop <-chan struct{}, peak chan<- uint64) {
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	var most uint64
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		metrics.Read(samples)
		most = max(most, samples[0].Value.Uint64()-samples[1].Value.Uint64())
		select {
		case <-stop:
			peak <- most
			return
		case <-tick.C:
		}
	}
}
