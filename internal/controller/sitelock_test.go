package controller

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Two runs of one site are never reconciled at once, whatever the
// workers (issue 17); runs of different sites are.
func TestSiteLocksSerializeOneSite(t *testing.T) {
	var locks siteLocks
	const workers, rounds = 8, 50
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				unlock := locks.lock("site-1/s1")
				n := inside.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(10 * time.Microsecond) // hold it while others try
				inside.Add(-1)
				unlock()
			}
		}()
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Fatalf("%d workers held one site's lock at once", most.Load())
	}
	if locks.size() != 0 {
		t.Fatalf("%d entries left after every lock was released", locks.size())
	}
}

func TestSiteLocksLetOtherSitesGo(t *testing.T) {
	var locks siteLocks
	unlock := locks.lock("site-1/s1")
	waitFor(t, lockAndRelease(&locks, "site-2/s2"), "a run of another site waited for site-1's lock")
	blocked := lockAndRelease(&locks, "site-1/s1")
	select {
	case <-blocked:
		t.Fatal("a second run of site-1 got its lock while the first held it")
	case <-time.After(50 * time.Millisecond):
	}
	unlock()
	waitFor(t, blocked, "the second run of site-1 never got the lock once the first released it")
}

// lockAndRelease takes key's lock and lets it go in a goroutine of its
// own; the channel closes once it has.
func lockAndRelease(locks *siteLocks, key string) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		locks.lock(key)()
		close(done)
	}()
	return done
}

func waitFor(t *testing.T, done <-chan struct{}, failure string) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal(failure)
	}
}
