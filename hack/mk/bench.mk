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
