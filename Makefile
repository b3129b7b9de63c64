# sitegroup-operator. The two commands a newcomer needs:
#   make demo   a local control plane, the operator, the sample sites, a status table
#   make test   every test
# Everything else is built from the Go module proxy into bin/ (git-ignored) on
# first use and cached by version.

SHELL := /usr/bin/env bash -o pipefail
.SHELLFLAGS := -ec

BIN          := $(CURDIR)/bin
K8S_VERSION  := $(shell hack/k8s-version.sh)
K8S_BIN      := $(BIN)/k8s/$(K8S_VERSION)
export GOTOOLCHAIN := local
# Static binaries everywhere (the project has no cgo): the operator's image
# is built CGO_ENABLED=0, and with the tests built the same way its build
# finds every package already compiled (issue 20: 3 min of a cold make test).
export CGO_ENABLED := 0

CONTROLLER_TOOLS_VERSION := v0.23.0
KWOK_VERSION             := v0.8.0
export KWOK_VERSION
GOLANGCI_LINT_VERSION    := v2.15.0
CONTROLLER_GEN := $(BIN)/controller-gen-$(CONTROLLER_TOOLS_VERSION)
KWOK           := $(BIN)/kwok-$(KWOK_VERSION)
GOLANGCI_LINT  := $(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)

# Go test flags; override e.g. `make test GOTEST_FLAGS=-v`.
GOTEST_FLAGS ?=

.PHONY: all
all: build

##@ The two commands

.PHONY: demo
demo: build control-plane ## Start a local control plane with simulated nodes, the operator and the samples.
	hack/demo/up.sh

# Serial even under -j: e2e, demo-test and chart-install-test share the real node.
.NOTPARALLEL:

.PHONY: test
test: $(BIN)/go.mod prefetch fmt-check vet lint verify-generated unit chart-test envtest browser-test e2e demo-test chart-install-test ## Run every test.

##@ Development

.PHONY: build
build: ## Build bin/sitegroup.
	go build -o $(BIN)/sitegroup ./cmd/sitegroup

.PHONY: manifests
manifests: $(CONTROLLER_GEN) ## Generate CRDs and RBAC from the API types and controller markers.
	$(CONTROLLER_GEN) crd paths=./api/... output:crd:artifacts:config=config/crd/bases
	$(CONTROLLER_GEN) webhook paths=./internal/webhook/... output:webhook:artifacts:config=config/webhook
	hack/sync-external-crds.sh
	$(CONTROLLER_GEN) rbac:roleName=sitegroup-manager paths=./internal/... output:rbac:artifacts:config=config/rbac
	hack/sync-chart.sh

.PHONY: generate
generate: $(CONTROLLER_GEN) ## Generate deepcopy functions.
	$(CONTROLLER_GEN) object:headerFile=hack/boilerplate.go.txt paths=./api/...

.PHONY: fmt-check
fmt-check: ## Fail when gofmt would change a file.
	@out=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# bin/ holds build trees of third-party sources (Cilium's BPF library);
# a go.mod there keeps `./...` from reaching into them.
$(BIN)/go.mod:
	mkdir -p $(BIN)
	printf 'module sitegroup.io/operator/bin\n\ngo 1.26\n' > $@

.PHONY: vet
vet: $(BIN)/go.mod ## go vet every package.
	go vet ./...

.PHONY: lint
lint: $(BIN)/go.mod $(GOLANGCI_LINT) ## golangci-lint with .golangci.yml (staticcheck, errcheck, imports, ginkgo, ...).
	$(GOLANGCI_LINT) run ./...

.PHONY: verify-generated
verify-generated: $(CONTROLLER_GEN) ## Fail when `make manifests generate` would change the tree.
	hack/verify-generated.sh

.PHONY: unit
unit: $(BIN)/go.mod ## Pure-logic tests (no API server).
	go test $(GOTEST_FLAGS) $$(go list ./... | grep -v -e /internal/controller -e /test/e2e -e /test/envtest -e /test/browser)
	go test $(GOTEST_FLAGS) -skip '^TestControllers$$' ./internal/controller/...
	go test $(GOTEST_FLAGS) -tags faultinject ./internal/faults/

.PHONY: envtest
envtest: control-plane-envtest ## Suites against a real kube-apiserver and etcd.
	KUBEBUILDER_ASSETS=$(K8S_BIN) go test $(GOTEST_FLAGS) ./test/envtest/...
	KUBEBUILDER_ASSETS=$(K8S_BIN) go test $(GOTEST_FLAGS) -run '^TestControllers$$' ./internal/controller/...

.PHONY: e2e
e2e: control-plane ## End-to-end suite on a real single-node cluster (hack/realnode); skipped where containers cannot run.
	hack/e2e/run.sh

.PHONY: realnode-up realnode-down
realnode-up: control-plane ## Bring the real single-node cluster up (containerd, kubelet, Cilium, CoreDNS).
	hack/realnode/up.sh
realnode-down: ## Take the real node down, leaving nothing behind.
	hack/realnode/down.sh

.PHONY: demo-down
demo-down: ## Stop everything `make demo` started.
	hack/demo/down.sh

##@ Tools (cached in bin/)

.PHONY: tools
tools: control-plane $(CONTROLLER_GEN) $(KWOK) $(GOLANGCI_LINT) ## Build every tool into bin/.

# make test starts it first: the long builds' modules download in the
# background while go vet and the unit tests compile (hack/prefetch.sh).
.PHONY: prefetch
prefetch: $(BIN)/go.mod ## Download the modules of the long builds (control plane, real node, cert-manager) in the background.
	@setsid nohup timeout $${PREFETCH_TIMEOUT:-30m} hack/prefetch.sh >$(BIN)/prefetch.log 2>&1 </dev/null &
	@echo "prefetch: downloading the long builds' modules in the background (log: $(BIN)/prefetch.log)"

.PHONY: control-plane
control-plane: ## Build etcd and the Kubernetes control plane from source.
	hack/build-control-plane.sh etcd kube-apiserver kubectl kube-controller-manager kube-scheduler

.PHONY: control-plane-envtest
control-plane-envtest: ## Build what envtest needs: etcd, kube-apiserver, kubectl.
	hack/build-control-plane.sh etcd kube-apiserver kubectl

$(CONTROLLER_GEN):
	hack/go-install.sh $@ sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_TOOLS_VERSION)

$(KWOK):
	hack/go-install.sh $@ sigs.k8s.io/kwok/cmd/kwok@$(KWOK_VERSION)

$(GOLANGCI_LINT):
	hack/go-install.sh $@ github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z_-]+:.*##/ {printf "  %-22s %s\n", $$1, $$2} /^##@/ {printf "\n%s\n", substr($$0, 5)}' $(MAKEFILE_LIST)

# The Helm chart and install checks; the inspector's benchmark; the console's browser suite.
include hack/mk/chart.mk
include hack/mk/bench.mk
include hack/mk/console.mk
