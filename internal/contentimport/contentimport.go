// Package contentimport fills a new site's content volume from its old
// site: a copy of another volume's files, or a .tar.gz fetched over HTTP.
// Paths are confined to the destination and sizes are bounded.
package contentimport

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Limits of one import.
const (
	MaxFileBytes  = 256 << 20
	MaxTotalBytes = 8 << 30
	MaxFiles      = 500000
)

// Stats says what an import wrote.
type Stats struct {
	Files int
	Bytes int64
}

// CopyDir copies every regular file and directory of src under dst.
func CopyDir(src, dst string) (Stats, error) {
	var st Stats
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type().IsRegular():
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			return writeFile(&st, target, f)
		default:
			return nil // links and devices are not content
		}
	})
	return st, err
}

// FetchArchive downloads a .tar.gz and unpacks it under dst.
func FetchArchive(ctx context.Context, url, dst string, timeout time.Duration) (Stats, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Stats{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Stats{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Stats{}, fmt.Errorf("fetching %s: %s", url, resp.Status)
	}
	return Untar(io.LimitReader(resp.Body, MaxTotalBytes), dst)
}

// Untar unpacks a gzip-compressed tar under dst, refusing paths that leave it.
func Untar(r io.Reader, dst string) (Stats, error) {
	var st Stats
	gz, err := gzip.NewReader(r)
	if err != nil {
		return st, fmt.Errorf("not a .tar.gz: %w", err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return st, nil
		}
		if err != nil {
			return st, err
		}
		name := filepath.Clean(filepath.FromSlash(h.Name))
		if filepath.IsAbs(name) || name == ".." || strings.HasPrefix(name, ".."+string(filepath.Separator)) {
			return st, fmt.Errorf("archive entry %q leaves the content directory", h.Name)
		}
		target := filepath.Join(dst, name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return st, err
			}
		case tar.TypeReg:
			if err := writeFile(&st, target, tr); err != nil {
				return st, err
			}
		}
	}
}

func writeFile(st *Stats, target string, r io.Reader) error {
	if st.Files >= MaxFiles {
		return fmt.Errorf("more than %d files", MaxFiles)
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	f, err := os.Create(target)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, io.LimitReader(r, MaxFileBytes+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if n > MaxFileBytes {
		return fmt.Errorf("%s is larger than %d bytes", target, MaxFileBytes)
	}
	st.Files++
	st.Bytes += n
	if st.Bytes > MaxTotalBytes {
		return fmt.Errorf("content larger than %d bytes", int64(MaxTotalBytes))
	}
	return nil
}
