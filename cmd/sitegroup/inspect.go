package main

import (
	"errors"
	"io"
)

// runInspect is filled in by the inspector issue (internal/inspector).
func runInspect(_ []string, _, _ io.Writer) error {
	return errors.New("not implemented yet")
}
