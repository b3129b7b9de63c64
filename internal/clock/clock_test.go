package clock

import (
	"testing"
	"time"
)

// TestOffset: the fault suite's clock runs ahead of the wall clock by
// exactly its offset (T7's notice ends without waiting 30 days).
func TestOffset(t *testing.T) {
	ahead := 31 * 24 * time.Hour
	before := time.Now()
	got := Offset{By: ahead}.Now()
	after := time.Now()
	if got.Before(before.Add(ahead)) || got.After(after.Add(ahead)) {
		t.Errorf("Offset{31 days}.Now() = %v, want between %v and %v", got, before.Add(ahead), after.Add(ahead))
	}
}
