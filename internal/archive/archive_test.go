package archive

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteAndVerify(t *testing.T) {
	src := t.TempDir()
	for name, body := range map[string]string{"index.html": "首页", "news/1.html": "要闻", "files/a.pdf": strings.Repeat("x", 10000)} {
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "site.tar.gz")
	res, err := Write(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != 3 || len(res.SHA256) != 64 || res.SizeBytes == 0 {
		t.Fatalf("result %+v", res)
	}
	if got, err := Verify(dst, res.SHA256); err != nil || got != res {
		t.Errorf("T7: a sound archive must verify, read back as written: %+v, %v; written %+v", got, err, res)
	}
	if _, err := Verify(dst, strings.Repeat("0", 64)); err == nil {
		t.Error("T7: a wrong digest must fail verification")
	}
	data, _ := os.ReadFile(dst)
	data[len(data)/2] ^= 0xff
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(dst, res.SHA256); err == nil {
		t.Error("T7: a corrupted archive must fail verification")
	}
}
