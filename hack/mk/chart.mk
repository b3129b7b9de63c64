# The Helm chart (charts/sitegroup-operator) and the kustomize install
# (config/default, config/certrotation). Included by the Makefile after its
# variables (BIN, K8S_VERSION, K8S_BIN).

HELM_VERSION                := v3.22.0
KUBECONFORM_VERSION         := v0.8.0
# Only its ServiceMonitor CRD is used, to validate the chart's ServiceMonitor
# (the newest version the module proxy serves).
PROMETHEUS_OPERATOR_VERSION := v0.85.0
# helm's release build stamps the Kubernetes version it assumes when it
# has no cluster to ask (`helm template`, `helm lint`); a plain `go install`
# leaves v1.20, below the chart's kubeVersion. Stamp ours (hack/k8s-version.sh).
K8S_MINOR   := $(word 2,$(subst ., ,$(K8S_VERSION)))
HELM        := $(BIN)/helm-$(HELM_VERSION)-k8s1.$(K8S_MINOR)
HELM_LDFLAGS := $(foreach pkg,pkg/lint/rules pkg/chartutil,-X helm.sh/helm/v3/$(pkg).k8sVersionMajor=1 -X helm.sh/helm/v3/$(pkg).k8sVersionMinor=$(K8S_MINOR))
KUBECONFORM := $(BIN)/kubeconform-$(KUBECONFORM_VERSION)
# `kubectl kustomize`: the pinned kubectl when built (make control-plane), else the one on PATH.
CHART_KUBECTL = $(firstword $(wildcard $(K8S_BIN)/kubectl) $(shell command -v kubectl))

CHART_TEST_ENV = HELM=$(HELM) KUBECONFORM=$(KUBECONFORM) KUBECTL=$(CHART_KUBECTL) \
	K8S_VERSION=$(K8S_VERSION) PROMETHEUS_OPERATOR_VERSION=$(PROMETHEUS_OPERATOR_VERSION)

.PHONY: chart-test
chart-test: $(BIN)/go.mod $(HELM) $(KUBECONFORM) ## Lint, render and validate the Helm chart offline; compare it with config/default.
	@test -n "$(CHART_KUBECTL)" || { echo "chart-test: no kubectl (run make control-plane)"; exit 1; }
	$(CHART_TEST_ENV) test/chart/test.sh

.PHONY: chart-install-test
chart-install-test: control-plane $(HELM) ## helm install into the real node (webhook certificate from cert-manager, then from the rotator): manager Ready, webhook refuses a bad site, uninstall keeps volumes.
	$(CHART_TEST_ENV) CHART_TEST_CERTS=cert-manager test/chart/install.sh
	$(CHART_TEST_ENV) CHART_TEST_CERTS=rotator test/chart/install.sh

.PHONY: chart-sync
chart-sync: ## Copy the CRDs, RBAC, webhooks and S6 policy from config/ into the chart (make manifests does it too).
	hack/sync-chart.sh

$(HELM):
	hack/go-install.sh $@ helm.sh/helm/v3/cmd/helm@$(HELM_VERSION) '$(HELM_LDFLAGS)'

$(KUBECONFORM):
	hack/go-install.sh $@ github.com/yannh/kubeconform/cmd/kubeconform@$(KUBECONFORM_VERSION)
