# The web console's browser suite (issue 20), included by the Makefile:
#   make browser-test
# starts a real kube-apiserver and etcd (envtest, with the CRDs, webhooks,
# the manager as its ServiceAccount and the personas bound), runs
# `sitegroup console` in-process on loopback as the city office and as the
# auditor, and drives Debian's Chromium headless through chromedp: the
# overview, a site's ECharts charts, a signature and a refusal, the
# auditor's view without sign buttons, the reports. Screenshots are saved
# in bin/browser-artifacts/.
#
# Chromium (and a CJK font, so Chinese pages render as text) is installed
# from Debian when it is missing and this user can (hack/install-chromium.sh);
# otherwise the suites are skipped with a message.

BROWSER_TEST_FLAGS ?= -count=1 -timeout 10m
CHROMIUM ?= /usr/bin/chromium

.PHONY: browser-test
browser-test: $(BIN)/go.mod control-plane-envtest ## The console in Debian's Chromium against a real API server (test/browser).
	hack/install-chromium.sh $(CHROMIUM)
	mkdir -p $(BIN)/browser-artifacts
	SITEGROUP_BROWSER_TEST=1 CHROMIUM=$(CHROMIUM) KUBEBUILDER_ASSETS=$(K8S_BIN) go test $(GOTEST_FLAGS) $(BROWSER_TEST_FLAGS) ./test/browser/...
	@echo "browser-test: screenshots in $(BIN)/browser-artifacts/"

# The same console against the cluster `make demo` brings up on the real
# node: the sample sites, the people personas.sh binds, `sitegroup console
# --as` as the demo's closing lines say (test/demo).
.PHONY: demo-test
demo-test: build control-plane ## make demo on the real node, then the console in Chromium against it (test/demo); the demo is taken down after.
	hack/install-chromium.sh $(CHROMIUM)
	mkdir -p $(BIN)/browser-artifacts
	CHROMIUM=$(CHROMIUM) hack/demo/test.sh
	@echo "demo-test: screenshots in $(BIN)/browser-artifacts/demo-*.png"
