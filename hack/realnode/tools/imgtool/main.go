// Command imgtool writes a single-layer image, as a docker-save tarball that
// `ctr images import` takes, from local files only:
//
//	imgtool -ref sitegroup.io/testapp:v1 -out testapp.tar \
//	  -add /path/to/testapp:/testapp -entrypoint /testapp -cmd serve,:8080 -user 65532
//
// The layer holds the added files (mode 0755), /tmp (1777), /etc/passwd and
// /etc/group with root and nonroot (65532), and any -dir. Timestamps are
// fixed, so the same inputs give the same image digest.
package main

import (
	"archive/tar"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var adds, dirs, envs list
	ref := flag.String("ref", "", "image reference, e.g. sitegroup.io/testapp:v1 (required)")
	out := flag.String("out", "", "output tarball (required)")
	entrypoint := flag.String("entrypoint", "", "entrypoint, comma-separated")
	cmd := flag.String("cmd", "", "cmd, comma-separated")
	user := flag.String("user", "", "user (e.g. 65532)")
	workdir := flag.String("workdir", "/", "working directory")
	flag.Var(&adds, "add", "SRC:DST file to add (repeatable)")
	flag.Var(&dirs, "dir", "empty directory to create (repeatable)")
	flag.Var(&envs, "env", "K=V environment variable (repeatable)")
	flag.Parse()
	if *ref == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*ref, *out, *entrypoint, *cmd, *user, *workdir, adds, dirs, envs); err != nil {
		fmt.Fprintln(os.Stderr, "imgtool:", err)
		os.Exit(1)
	}
}

var epoch = time.Unix(0, 0).UTC()

func run(ref, out, entrypoint, cmd, user, workdir string, adds, dirs, envs []string) error {
	tag, err := name.NewTag(ref)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dir := func(p string, mode int64) error {
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: strings.TrimPrefix(p, "/") + "/", Mode: mode, ModTime: epoch, Format: tar.FormatPAX})
	}
	file := func(p string, mode int64, data []byte) error {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: strings.TrimPrefix(p, "/"), Mode: mode, Size: int64(len(data)), ModTime: epoch, Format: tar.FormatPAX}); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	made := map[string]bool{}
	mkdirs := func(p string) error { // parents of p
		parts := strings.Split(strings.Trim(p, "/"), "/")
		for i := 1; i < len(parts); i++ {
			d := strings.Join(parts[:i], "/")
			if !made[d] {
				made[d] = true
				if err := dir(d, 0o755); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := dir("etc", 0o755); err != nil {
		return err
	}
	made["etc"] = true
	if err := dir("tmp", 0o1777); err != nil {
		return err
	}
	made["tmp"] = true
	if err := file("/etc/passwd", 0o644, []byte("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n")); err != nil {
		return err
	}
	if err := file("/etc/group", 0o644, []byte("root:x:0:\nnonroot:x:65532:\n")); err != nil {
		return err
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		if err := mkdirs(d + "/x"); err != nil {
			return err
		}
	}
	for _, a := range adds {
		src, dst, ok := strings.Cut(a, ":")
		if !ok || !strings.HasPrefix(dst, "/") {
			return fmt.Errorf("-add %q: want SRC:/DST", a)
		}
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		if err := mkdirs(dst); err != nil {
			return err
		}
		if err := file(dst, 0o755, data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	layerBytes := buf.Bytes()
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerBytes)), nil
	})
	if err != nil {
		return err
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		return err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return err
	}
	cf = cf.DeepCopy()
	cf.Architecture, cf.OS = "amd64", "linux"
	cf.Created = v1.Time{Time: epoch}
	cf.Config.Env = append([]string{"PATH=/"}, envs...)
	cf.Config.Entrypoint = split(entrypoint)
	cf.Config.Cmd = split(cmd)
	cf.Config.User = user
	cf.Config.WorkingDir = workdir
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return err
	}
	tmp := out + ".tmp"
	if err := tarball.WriteToFile(tmp, tag, img); err != nil {
		return err
	}
	d, _ := img.Digest()
	fmt.Printf("%s %s\n", ref, d)
	return os.Rename(tmp, out)
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
