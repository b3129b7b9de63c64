// Package archive writes a site's content into a tarball before a permanent
// closure releases anything (T7 网页归档), and reads it back to verify it.
package archive

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Result describes a written and verified archive.
type Result struct {
	Path      string `json:"path"`
	SHA256    string `json:"sha256"`
	SizeBytes int64  `json:"sizeBytes"`
	Files     int    `json:"files"`
}

// Write archives every regular file under src into dst (.tar.gz), then
// reads dst back and checks its digest: a Result means the archive is sound.
func Write(src, dst string) (Result, error) {
	tmp := dst + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return Result{}, err
	}
	h := sha256.New()
	files, err := writeTarGz(io.MultiWriter(f, h), src)
	if err == nil {
		err = f.Sync() // on the disk before it takes its name (T7: nothing released before a sound archive)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return Result{}, err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return Result{}, err
	}
	if err := syncDir(filepath.Dir(dst)); err != nil {
		return Result{}, err
	}
	res, err := Verify(dst, hex.EncodeToString(h.Sum(nil)))
	if err == nil && res.Files != files {
		err = fmt.Errorf("verifying %s: %d files read back, %d written", dst, res.Files, files)
	}
	return res, err
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Verify re-reads an archive, checks its digest and that it unpacks, and
// describes what it read. The writer calls it, and so does a second pod
// that did not write the archive (T7), with the digest the writer reported.
func Verify(path, wantSHA256 string) (Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return Result{}, err
	}
	defer f.Close()
	h := sha256.New()
	counted := &countingReader{r: io.TeeReader(f, h)}
	gz, err := gzip.NewReader(counted)
	if err != nil {
		return Result{}, fmt.Errorf("verifying %s: %w", path, err)
	}
	tr := tar.NewReader(gz)
	files := 0
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			return Result{}, fmt.Errorf("verifying %s: %w", path, err)
		}
		if hdr.Typeflag == tar.TypeReg {
			files++
		}
		if _, err := io.Copy(io.Discard, tr); err != nil {
			return Result{}, fmt.Errorf("verifying %s: %w", path, err)
		}
	}
	if _, err := io.Copy(io.Discard, counted); err != nil {
		return Result{}, err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != wantSHA256 {
		return Result{}, fmt.Errorf("verifying %s: sha256 %s, want %s", path, got, wantSHA256)
	}
	return Result{Path: path, SHA256: wantSHA256, SizeBytes: counted.n, Files: files}, nil
}

func writeTarGz(w io.Writer, src string) (int, error) {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	files := 0
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil || rel == "." {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() && !info.IsDir() {
			return nil
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(rel)
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if info.IsDir() {
			return nil
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		files++
		_, err = io.Copy(tw, in)
		return err
	})
	if err != nil {
		return files, err
	}
	if err := tw.Close(); err != nil {
		return files, err
	}
	return files, gz.Close()
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
