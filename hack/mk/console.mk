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
# from Debian when it is missing and this user can (root, or password-less
# sudo); otherwise the suite is skipped with a message.

BROWSER_TEST_FLAGS ?= -count=1 -timeout 10m
CHROMIUM ?= /usr/bin/chromium

.PHONY: browser-test
browser-test: $(BIN)/go.mod control-plane-envtest ## The console in Debian's Chromium against a real API server (test/browser).
	@if ! [ -x "$(CHROMIUM)" ] || ! fc-list 2>/dev/null | grep -qi -e 'wenquanyi' -e 'noto sans cjk'; then \
		if [ "$$(id -u)" = 0 ]; then install="apt-get"; \
		elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then install="sudo -n apt-get"; \
		else install=""; fi; \
		if [ -z "$$install" ]; then \
			echo "browser-test: Chromium or a CJK font is missing and this user cannot install them (not root, no password-less sudo): the browser suite will be skipped"; \
		else \
			echo "browser-test: installing Debian's chromium and fonts-wqy-zenhei"; \
			pkgs="chromium fonts-dejavu-core fonts-wqy-zenhei"; \
			DEBIAN_FRONTEND=noninteractive $$install install -y --no-install-recommends $$pkgs >/dev/null 2>&1 || \
			{ $$install update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive $$install install -y --no-install-recommends $$pkgs >/dev/null 2>&1; } || \
			echo "browser-test: could not install chromium (apt-get failed): the browser suite will be skipped"; \
		fi; \
	fi
	mkdir -p $(BIN)/browser-artifacts
	SITEGROUP_BROWSER_TEST=1 CHROMIUM=$(CHROMIUM) KUBEBUILDER_ASSETS=$(K8S_BIN) go test $(GOTEST_FLAGS) $(BROWSER_TEST_FLAGS) ./test/browser/...
	@echo "browser-test: screenshots in $(BIN)/browser-artifacts/"
