package controller

import (
	"testing"
	"time"
)

// TestArchiveBackoff: T7 retries double from 5 minutes and stop growing
// at 6 hours, so a broken volume is retried four times a day, not flooded.
func TestArchiveBackoff(t *testing.T) {
	for _, tc := range []struct {
		attempt int32
		want    time.Duration
	}{
		{0, 5 * time.Minute},
		{1, 5 * time.Minute},
		{2, 10 * time.Minute},
		{3, 20 * time.Minute},
		{7, 320 * time.Minute},
		{8, 6 * time.Hour}, // 640 minutes, capped
		{9, 6 * time.Hour},
		{1 << 30, 6 * time.Hour},
	} {
		if got := archiveBackoff(tc.attempt); got != tc.want {
			t.Errorf("archiveBackoff(%d) = %v, want %v", tc.attempt, got, tc.want)
		}
	}
}
