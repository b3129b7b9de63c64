# The inspector's benchmark (issue 7), included by the Makefile:
#   make bench
# crawls generated sites on loopback and compares, in the same run, the
# crawler with Debian's linkchecker (200 pages, concurrency 10) and with the
# raw fetch floor (5,000 pages, 16 workers fetching a list, nothing parsed).
# Figures are reported as benchmark metrics: urls/s, linkchecker-urls/s,
# x-vs-linkchecker, raw-urls/s, x-of-raw, peak-MiB.
#
# linkchecker is installed from Debian when it is missing and this user
# can (root, or password-less sudo); otherwise its comparison is skipped
# with a message and the rest still runs.

BENCH_FLAGS ?= -benchtime 1x -timeout 30m

.PHONY: bench
bench: ## Benchmark the inspector's crawler against linkchecker and the raw fetch floor (test/bench).
	@if ! command -v linkchecker >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then install="apt-get"; \
		elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then install="sudo -n apt-get"; \
		else install=""; fi; \
		if [ -z "$$install" ]; then \
			echo "bench: linkchecker is not installed and this user cannot install it (not root, no password-less sudo): the linkchecker comparison will be skipped"; \
		else \
			echo "bench: installing Debian's linkchecker for the comparison"; \
			DEBIAN_FRONTEND=noninteractive $$install install -y --no-install-recommends linkchecker >/dev/null 2>&1 || \
			{ $$install update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive $$install install -y --no-install-recommends linkchecker >/dev/null 2>&1; } || \
			echo "bench: could not install linkchecker (apt-get failed): the linkchecker comparison will be skipped"; \
		fi; \
	fi
	GOTOOLCHAIN=local go test -run '^$$' -bench . $(BENCH_FLAGS) ./test/bench/
