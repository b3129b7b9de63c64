# The inspector's benchmark (issues 7 and 16), included by the Makefile:
#   make bench
# crawls generated sites on loopback and compares, in the same run, the
# crawler with Debian's linkchecker (200 pages, concurrency 10), with the
# raw fetch floor (5,000 pages, 16 workers fetching a list, nothing parsed)
# and, on a 2,000-page site of realistic page weight served by a process of
# its own, with Debian's wget2 (wget2 --spider -r --max-threads=16) and the
# raw fetch floor at 16. Figures are reported as benchmark metrics: urls/s,
# linkchecker-urls/s, x-vs-linkchecker, raw-urls/s, x-of-raw, peak-MiB;
# pages/s, wget2-pages/s, x-vs-wget2, cpu-s/1k-pages, wget2-cpu-s/1k-pages.
#
# linkchecker and wget2 are installed from Debian when missing and this
# user can (root, or password-less sudo); otherwise their comparison is
# skipped with a message and the rest still runs.

BENCH_FLAGS ?= -benchtime 1x -timeout 30m

.PHONY: bench
bench: ## Benchmark the inspector's crawler against linkchecker, wget2 and the raw fetch floor (test/bench).
	@for tool in linkchecker wget2; do \
		if ! command -v $$tool >/dev/null 2>&1; then \
			if [ "$$(id -u)" = 0 ]; then install="apt-get"; \
			elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then install="sudo -n apt-get"; \
			else install=""; fi; \
			if [ -z "$$install" ]; then \
				echo "bench: $$tool is not installed and this user cannot install it (not root, no password-less sudo): the $$tool comparison will be skipped"; \
			else \
				echo "bench: installing Debian's $$tool for the comparison"; \
				DEBIAN_FRONTEND=noninteractive $$install install -y --no-install-recommends $$tool >/dev/null 2>&1 || \
				{ $$install update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive $$install install -y --no-install-recommends $$tool >/dev/null 2>&1; } || \
				echo "bench: could not install $$tool (apt-get failed): the $$tool comparison will be skipped"; \
			fi; \
		fi; \
	done
	GOTOOLCHAIN=local go test -run '^$$' -bench . $(BENCH_FLAGS) ./test/bench/

# The operator's scale benchmark (issue 17):
#   make bench-scale [SCALE_SITES=250,500,1000,2000] [SCALE_STEADY=10m]
# For each size, on fresh control planes on loopback (hack/bench/scale-up.sh,
# state and logs in bin/bench-scale/): the API server's own rate for the
# sites' children applied server-side (the floor), then the manager as a
# process on that many signed GovWebsites created at once: time to
# converge, API requests per site by verb (the API server's audit log of
# the operator's user), peak RSS and CPU, writes per minute at steady state
# and reconcile errors. Ends with a table and one line for scripts:
#   scale: sites=2000 converge-x-of-floor=R steady-writes-per-min=W manager-peak-MiB=M errors=E
# Other knobs (test/bench/scale): SCALE_SETTLE, SCALE_QUIET,
# SCALE_CONVERGE_BASE, SCALE_CONVERGE_PER_SITE, SCALE_WORKERS (the floor's loops and the manager's --site-workers, 4),
# SCALE_SUBMIT_WORKERS, SCALE_PORTAL_EVERY, SCALE_POLICY.
# `go test ./...` (make test) skips it: it runs only with SITEGROUP_BENCH_SCALE=1.

BENCH_SCALE_TIMEOUT ?= 8h

.PHONY: bench-scale
bench-scale: $(BIN)/go.mod build control-plane $(KWOK) ## Scale benchmark: the manager on 250 to 2,000 sites against the API server's floor (test/bench/scale).
	@rm -f bin/bench-scale/results.txt
	SITEGROUP_BENCH_SCALE=1 GOTOOLCHAIN=local go test -count 1 -v -run '^TestScale$$' -timeout $(BENCH_SCALE_TIMEOUT) ./test/bench/scale/; \
	rc=$$?; hack/bench/scale-down.sh >/dev/null 2>&1 || true; \
	if [ -f bin/bench-scale/results.txt ]; then cat bin/bench-scale/results.txt; fi; \
	exit $$rc

# The V1 availability prober at the platform's scale (issue 17):
#   make bench-prober [PROBER_SITES=10000]
# envtest's kube-apiserver and etcd with PROBER_SITES launched GovWebsites
# (100 a namespace) whose homepages are loopback servers (1 in 100 always
# failing, 1 in 100 failing every 4th probe), the manager's cache-backed
# client as the operator's ServiceAccount, and an injected clock stepping
# through a simulated day at the prober's 30 s tick. Reports probes per
# site per day on the spread schedule (min/max), status writes per site in
# any hour, peak goroutines and memory, ms per tick and the day's wall
# time, then the first tick of a new leader after a 2 h outage; ends with
#   prober: sites=N probes-per-site-min=.. max=.. writes-per-site-hour-max=.. peak-goroutines=.. peak-MiB=..
# `go test ./...` only compiles it: it is a benchmark.

PROBER_SITES       ?= 10000
PROBER_BENCH_FLAGS ?= -benchtime 1x -timeout 2h

.PHONY: bench-prober
bench-prober: $(BIN)/go.mod control-plane-envtest ## Benchmark the V1 prober over a simulated day of PROBER_SITES sites on envtest (test/bench/prober).
	PROBER_SITES=$(PROBER_SITES) KUBEBUILDER_ASSETS=$(K8S_BIN) GOTOOLCHAIN=local go test -run '^$$' -bench '^BenchmarkProberDay$$' $(PROBER_BENCH_FLAGS) ./test/bench/prober/
