//go:build !faultinject

package faults

// Point does nothing in a binary built without the faultinject tag.
func Point(string) {}

// ClockOffset is zero without the faultinject tag.
func ClockOffset() int64 { return 0 }
