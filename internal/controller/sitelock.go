package controller

import "sync"

// siteLocks serialize the work on one site across a controller's
// workers: the InspectionRun controller runs several workers (issue 17:
// 2,000 sites' prelaunch runs took 40 minutes through one), but decides
// "no two runs of a site at once" by reading the site's other runs, so two
// runs of one site must never be reconciled at the same time.
type siteLocks struct {
	mu   sync.Mutex
	held map[string]*siteLock
}

type siteLock struct {
	sync.Mutex
	users int // workers holding or waiting for it; the entry goes at zero
}

// lock blocks until no other worker holds key's lock and returns its
// unlock. Entries live only while used: memory stays bounded by the
// workers, not by the sites.
func (s *siteLocks) lock(key string) (unlock func()) {
	s.mu.Lock()
	if s.held == nil {
		s.held = map[string]*siteLock{}
	}
	l := s.held[key]
	if l == nil {
		l = &siteLock{}
		s.held[key] = l
	}
	l.users++
	s.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		s.mu.Lock()
		if l.users--; l.users == 0 {
			delete(s.held, key)
		}
		s.mu.Unlock()
	}
}

// size is how many keys have an entry (for tests).
func (s *siteLocks) size() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.held)
}
