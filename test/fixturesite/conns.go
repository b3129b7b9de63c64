package fixturesite

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"
)

// ConnCounted is a loopback server that counts its open connections,
// for tests that check a client closes the connections it opened.
type ConnCounted struct {
	*httptest.Server
	open atomic.Int64
}

// StartConnCounted serves h on loopback; the caller closes it.
func StartConnCounted(h http.Handler) *ConnCounted {
	s := &ConnCounted{Server: httptest.NewUnstartedServer(h)}
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		switch state {
		case http.StateNew:
			s.open.Add(1)
		case http.StateClosed, http.StateHijacked:
			s.open.Add(-1)
		}
	}
	s.Start()
	return s
}

// Open is the number of connections open now.
func (s *ConnCounted) Open() int64 { return s.open.Load() }

// WaitClosed waits, at most d, until no connection is open (the server
// notices a client's close on its own goroutines) and returns how many
// still are.
func (s *ConnCounted) WaitClosed(d time.Duration) int64 {
	deadline := time.Now().Add(d)
	for s.open.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	return s.open.Load()
}
