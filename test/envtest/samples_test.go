package envtest_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"sitegroup.io/operator/internal/testenv"
)

// readObjects decodes every document of a multi-document YAML file.
func readObjects(path string) []*unstructured.Unstructured {
	GinkgoHelper()
	data, err := os.ReadFile(path)
	Expect(err).NotTo(HaveOccurred())
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	var objs []*unstructured.Unstructured
	for {
		u := &unstructured.Unstructured{}
		if err := dec.Decode(&u.Object); err == io.EOF {
			return objs
		} else {
			Expect(err).NotTo(HaveOccurred(), path)
		}
		if len(u.Object) > 0 {
			objs = append(objs, u)
		}
	}
}

var _ = Describe("the samples in config/samples", func() {
	It("every sample applies with a server-side dry run", func() {
		root, err := testenv.RepoRoot()
		Expect(err).NotTo(HaveOccurred())
		files, err := filepath.Glob(filepath.Join(root, "config", "samples", "*.yaml"))
		Expect(err).NotTo(HaveOccurred())
		kinds := map[string]bool{}
		for _, f := range files {
			if filepath.Base(f) == "kustomization.yaml" {
				continue
			}
			for _, obj := range readObjects(f) {
				if obj.GetKind() == "Namespace" {
					// Namespaces are created for real: namespaced samples need them.
					err := k8sClient.Create(ctx, obj)
					if !apierrors.IsAlreadyExists(err) {
						Expect(err).NotTo(HaveOccurred())
					}
					continue
				}
				kinds[obj.GetKind()] = true
				Expect(k8sClient.Apply(ctx, client.ApplyConfigurationFromUnstructured(obj), client.FieldOwner("samples-test"), client.DryRunAll)).
					To(Succeed(), "%s %s/%s in %s", obj.GetKind(), obj.GetNamespace(), obj.GetName(), filepath.Base(f))
			}
		}
		Expect(kinds).To(HaveKey("GovWebsite"))
		Expect(kinds).To(HaveKey("TakedownRequest"))
		Expect(kinds).To(HaveKey("InspectionRun"))
		Expect(kinds).To(HaveKey("SiteGroupPolicy"))
	})
})
