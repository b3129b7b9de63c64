// Package browserkit drives Debian's Chromium headless through chromedp
// for the suites that test the console in a real browser: test/browser
// (against envtest) and test/demo (against the demo's cluster). Each
// helper fails the running Ginkgo spec on error; every browser step is
// bounded.
package browserkit

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
)

// Tab is the browser tab a suite drives; screenshots go to its Artifacts
// directory.
type Tab struct {
	ctx       context.Context
	Artifacts string
}

// Do runs browser steps.
func (b Tab) Do(steps ...chromedp.Action[chromedp.Void]) {
	ginkgo.GinkgoHelper()
	gomega.Expect(chromedp.Do(b.ctx, steps...)).To(gomega.Succeed())
}

// Open navigates to url and waits until the element sel is visible.
func (b Tab) Open(url, sel string) {
	ginkgo.GinkgoHelper()
	b.Do(chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(sel)))
}

// Text is the visible text of the element sel.
func (b Tab) Text(sel string) string {
	ginkgo.GinkgoHelper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), sel)
	return strings.TrimSpace(s)
}

// Attr is the attribute name of the element sel.
func (b Tab) Attr(sel, name string) string {
	ginkgo.GinkgoHelper()
	a, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), sel)
	return a.Value
}

// Count is how many elements match a CSS selector now.
func (b Tab) Count(sel string) int {
	ginkgo.GinkgoHelper()
	q, _ := json.Marshal(sel)
	return Eval[int](b, "document.querySelectorAll("+string(q)+").length")
}

// Eval is the value of a JavaScript expression in the tab.
func Eval[T any](b Tab, expr string) T {
	ginkgo.GinkgoHelper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), expr)
	return v
}

// Viewport saves what the window shows (the top of the page) as
// <Artifacts>/<name>.png.
func (b Tab) Viewport(name string) {
	ginkgo.GinkgoHelper()
	b.Do(chromedp.Evaluate[chromedp.Void]("window.scrollTo(0, 0)"))
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	gomega.Expect(err).NotTo(gomega.HaveOccurred())
	path := filepath.Join(b.Artifacts, name+".png")
	gomega.Expect(os.WriteFile(path, png, 0o644)).To(gomega.Succeed())
	ginkgo.AddReportEntry("screenshot "+name, path)
}

// Screenshot saves the whole page as <Artifacts>/<name>.png.
func (b Tab) Screenshot(name string) {
	ginkgo.GinkgoHelper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	gomega.Expect(err).NotTo(gomega.HaveOccurred())
	path := filepath.Join(b.Artifacts, name+".png")
	gomega.Expect(os.WriteFile(path, png, 0o644)).To(gomega.Succeed())
	ginkgo.AddReportEntry("screenshot "+name, path)
}

// CanvasPixels is what CanvasProbe reads off a chart's canvas.
type CanvasPixels struct {
	Instance            bool
	Width, Height       int
	Painted, Red, Green int
	DataURL             int
}

// CanvasProbe reads a chart's canvas: its ECharts instance, its size, how
// many pixels are painted, how many are the verdict colours, and the
// length of its toDataURL.
const CanvasProbe = `(() => {
  const el = document.getElementById(%q);
  const c = el && el.querySelector('canvas');
  if (!c) { return {Instance: false}; }
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let painted = 0, red = 0, green = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i+3] === 0) continue;
    painted++;
    const r = d[i], g = d[i+1], b = d[i+2];
    if (Math.abs(r-0xb4) < 24 && Math.abs(g-0x23) < 24 && Math.abs(b-0x18) < 24) red++;
    if (Math.abs(r-0x1a) < 24 && Math.abs(g-0x7f) < 24 && Math.abs(b-0x37) < 24) green++;
  }
  return {Instance: !!(window.echarts && echarts.getInstanceByDom(el)), Width: c.width, Height: c.height,
    Painted: painted, Red: red, Green: green, DataURL: c.toDataURL('image/png').length};
})()`

// ChromiumPath is Debian's Chromium, or $CHROMIUM.
func ChromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// NewBrowser starts Debian's Chromium headless, with the flags this
// machine needs (no sandbox as root, no GPU, no QUIC, nothing that calls
// home) and an empty profile, for the rest of the suite.
func NewBrowser(ctx context.Context, artifacts string) Tab {
	ginkgo.GinkgoHelper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		// a Chinese user's browser: the console follows Accept-Language
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh;q=0.9,en;q=0.5"),
		chromedp.UserDataDir(ginkgo.GinkgoT().TempDir()),
		chromedp.WindowSize(1400, 1000),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc, chromedp.WithLogf(func(format string, args ...any) {
		fmt.Fprintf(ginkgo.GinkgoWriter, "chromedp: "+format+"\n", args...)
	}))
	ginkgo.DeferCleanup(func() { cancelBrowser(); cancelAlloc() })
	// every browser step of the suite is bounded: a page that never shows fails the spec
	bounded, cancelTimeout := context.WithTimeout(browser, 5*time.Minute)
	ginkgo.DeferCleanup(cancelTimeout)
	gomega.Expect(chromedp.Do(bounded)).To(gomega.Succeed(), "starting %s", ChromiumPath())
	return Tab{ctx: bounded, Artifacts: artifacts}
}

// StartConsole runs `sitegroup console` (the binary bin) as a user runs it and returns
// the address it prints; the process is stopped (SIGTERM) when the spec ends
// and must exit 0.
func StartConsole(bin string, args ...string) string {
	const timeout = 30 * time.Second
	ginkgo.GinkgoHelper()
	cmd := exec.Command(bin, append([]string{"console"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	gomega.Expect(err).NotTo(gomega.HaveOccurred())
	cmd.Stderr = ginkgo.GinkgoWriter
	gomega.Expect(cmd.Start()).To(gomega.Succeed())
	exited := make(chan error, 1)
	addr := make(chan string, 1)
	go func() {
		defer ginkgo.GinkgoRecover()
		sc := bufio.NewScanner(stdout)
		open := regexp.MustCompile(`open (http://127\.0\.0\.1:\d+/)`)
		for sc.Scan() {
			if m := open.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		exited <- cmd.Wait()
	}()
	ginkgo.DeferCleanup(func() {
		gomega.Expect(cmd.Process.Signal(syscall.SIGTERM)).To(gomega.Succeed())
		gomega.Eventually(exited, timeout).Should(gomega.Receive(gomega.BeNil()), "sitegroup console stops cleanly on SIGTERM")
	})
	var url string
	gomega.Eventually(addr, timeout).Should(gomega.Receive(&url), "sitegroup console prints its address")
	return url
}
