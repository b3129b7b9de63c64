package scale

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/apply"
	"sitegroup.io/operator/internal/builders"
	"sitegroup.io/operator/internal/policy"
	"sitegroup.io/operator/internal/takedown"
	"sitegroup.io/operator/internal/testenv"
)

// operatorImage is the manager's default --operator-image, which the
// builders put into the Jobs they plan.
const operatorImage = "sitegroup.io/sitegroup:dev"

// The signers above the unit, bound cluster-wide by hack/bench/scale-up.sh
// (hack/demo/personas.sh's city and province offices).
const (
	cityOffice     = "zhang.wei@tj"
	provinceOffice = "li.na@gov"
)

// unitHead is a site's unit head, bound in the site's namespace only.
func unitHead(ns string) string { return "unit.head@" + ns }

// siteFor is site i of a run in namespace prefix-NNNN: one portal every
// portalEvery sites (its own region, S2, S4), the others department
// sub-sites of the portal before them, each with its own organization,
// domain, site code and filings (S2, S3, S4), a front end of two replicas
// (so a PodDisruptionBudget too) and a 1 GiB content volume, like the
// education bureau's sample without the import.
func siteFor(prefix string, i, portalEvery int) *sgv1.GovWebsite {
	p := i / portalEvery
	portal := i%portalEvery == 0
	site := &sgv1.GovWebsite{
		TypeMeta:   metav1.TypeMeta{APIVersion: sgv1.GroupVersion.String(), Kind: "GovWebsite"},
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("s%04d", i), Namespace: namespaceOf(prefix, i)},
		Spec: sgv1.GovWebsiteSpec{
			Organization: sgv1.Organization{Name: fmt.Sprintf("基准测试第%04d号单位", i), CreditCode: fmt.Sprintf("11120101%010d", i),
				Level: sgv1.LevelDepartment},
			SiteKind:             sgv1.SiteKindDepartment,
			ParentPortal:         &sgv1.NamespacedObjectReference{Name: fmt.Sprintf("s%04d", p*portalEvery), Namespace: namespaceOf(prefix, p*portalEvery)},
			Domains:              []sgv1.Domain{sgv1.Domain(fmt.Sprintf("s%04d.d%04d.gov.cn", i, p))},
			SiteCode:             fmt.Sprintf("12%04d%04d", p, 1+i%portalEvery),
			ICPFiling:            fmt.Sprintf("津ICP备%08d号-%d", p, 1+i%portalEvery),
			PublicSecurityFiling: fmt.Sprintf("津公网安备12010102%06d号", i),
			Frontend:             sgv1.FrontendSpec{Image: operatorImage, Args: []string{"serve-static", "--root=/srv/www"}, Replicas: ptr.To[int32](2)},
			Admin: sgv1.AdminSpec{Image: operatorImage, Args: []string{"serve-static", "--root=/srv/www", "--admin"},
				AllowedSourceCIDRs: []sgv1.CIDR{"10.12.8.0/24"}},
			Content: sgv1.ContentSpec{Size: resource.MustParse("1Gi")},
		},
	}
	if portal {
		site.Spec.Organization.Level = sgv1.LevelDistrict
		site.Spec.SiteKind = sgv1.SiteKindPortal
		site.Spec.ParentPortal = nil
		site.Spec.Domains = []sgv1.Domain{sgv1.Domain(fmt.Sprintf("www.d%04d.gov.cn", p))}
	}
	return site
}

func namespaceOf(prefix string, i int) string { return fmt.Sprintf("%s-%04d", prefix, i) }

// restConfig is the admin's (bin/bench-scale/kubeconfig) with no client-side
// rate limit: the benchmark's own requests must not be its bottleneck.
func (b *bench) restConfig() *rest.Config {
	b.t.Helper()
	cfg, err := clientcmd.BuildConfigFromFlags("", filepath.Join(b.dir, "kubeconfig"))
	if err != nil {
		b.t.Fatal(err)
	}
	cfg.QPS, cfg.Burst = -1, 0
	// Each phase's control plane has a CA of its own at the same path:
	// inline it, so that client-go's transport cache (keyed by the file's
	// name) never hands a phase the last one's.
	if cfg.CAFile != "" {
		if cfg.CAData, err = os.ReadFile(cfg.CAFile); err != nil {
			b.t.Fatal(err)
		}
		cfg.CAFile = ""
	}
	cfg.UserAgent = "sitegroup-bench-scale"
	return cfg
}

func (b *bench) client(cfg *rest.Config) client.Client {
	b.t.Helper()
	c, err := client.New(cfg, client.Options{Scheme: testenv.Scheme()})
	if err != nil {
		b.t.Fatal(err)
	}
	return c
}

// policyInForce is the policy the run applied (SCALE_POLICY or the
// sample) with the defaults the operator fills in.
func (b *bench) policyInForce() sgv1.SiteGroupPolicySpec {
	b.t.Helper()
	p, err := policyFrom(envOr("SCALE_POLICY", filepath.Join(b.root, "config", "samples", "sitegroup_v1alpha1_sitegrouppolicy.yaml")))
	if err != nil {
		b.t.Fatal(err)
	}
	return p
}

func policyFrom(file string) (sgv1.SiteGroupPolicySpec, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return sgv1.SiteGroupPolicySpec{}, err
	}
	p := &sgv1.SiteGroupPolicy{}
	if err := yaml.Unmarshal(data, p); err != nil {
		return sgv1.SiteGroupPolicySpec{}, fmt.Errorf("%s: %w", file, err)
	}
	return policy.InForce(p.Spec), nil
}

// plan is what the manager applies for a site once every level signed,
// before its prelaunch inspection (simulated nodes serve nothing, S5): the
// builders' plan with the Gateway API and cert-manager served, and, for a
// portal, its board with nothing on it.
func plan(site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec) (builders.Plan, error) {
	in := builders.Inputs{Site: site, Policy: p, Approved: true, Launched: false, OperatorImage: operatorImage,
		HaveGatewayAPI: true, HaveCertManager: true}
	if site.Spec.SiteKind == sgv1.SiteKindPortal {
		j, h, err := takedown.Board(nil, nil)
		if err != nil {
			return builders.Plan{}, err
		}
		in.Board = &builders.Board{JSON: j, HTML: h}
	}
	return builders.Desired(in)
}

// parallel runs do(i) for i in [0, n) on workers goroutines and returns
// the first error.
func parallel(n, workers int, do func(i int) error) error {
	var next atomic.Int64
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				if err := do(i); err != nil {
					once.Do(func() { first = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// createVolume makes the static volume that binds a site's content claim
// (as hack/demo/extras.yaml does for the demo: simulated nodes have no
// provisioner), bound to that claim ahead, as a provisioner's would be,
// and with a provisioner's reclaim policy (Delete), which the manager
// turns to Retain once bound (T7).
func createVolume(ctx context.Context, c client.Client, site *sgv1.GovWebsite) error {
	claim := builders.ContentClaim(site)
	pv := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: "bench-" + site.Namespace},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      claim.Spec.Resources.Requests,
			AccessModes:                   claim.Spec.AccessModes,
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimDelete,
			PersistentVolumeSource:        corev1.PersistentVolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/srv/bench/" + site.Namespace}},
			ClaimRef:                      &corev1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: claim.Namespace, Name: claim.Name},
		},
	}
	if err := c.Create(ctx, pv); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("volume %s: %w", pv.Name, err)
	}
	return nil
}

func createNamespace(ctx context.Context, c client.Client, name string) error {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if err := c.Create(ctx, ns); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("namespace %s: %w", name, err)
	}
	return nil
}

// floorResult is the floor's figures.
type floorResult struct {
	sites, objects int
	elapsed        time.Duration
	// otherCores is the CPU other work on the machine used meanwhile (cpuSample).
	otherCores float64
}

func (f floorResult) sitesPerSecond() float64 {
	if f.elapsed <= 0 {
		return 0
	}
	return float64(f.sites) / f.elapsed.Seconds()
}

// floorPhase measures the API server's own rate for the children of n
// sites: the sites and their volumes are created first (untimed, without the operator, so
// that the children's owner references name real objects and the garbage
// collector keeps them), then a loop of the manager's concurrency applies
// each site's planned children server-side, as the operator's field
// manager, as internal/apply does.
func (b *bench) floorPhase(n int) floorResult {
	t := b.t
	b.up(n)
	ctx := context.Background()
	c := b.client(b.restConfig())
	p := b.policyInForce()
	sites := make([]*sgv1.GovWebsite, n)
	start := time.Now()
	err := parallel(n, b.cfg.submitWorkers, func(i int) error {
		site := siteFor("floor", i, b.cfg.portalEvery)
		if err := createNamespace(ctx, c, site.Namespace); err != nil {
			return err
		}
		if err := createVolume(ctx, c, site); err != nil {
			return err
		}
		if err := c.Create(ctx, site); err != nil {
			return fmt.Errorf("site %s/%s: %w", site.Namespace, site.Name, err)
		}
		sites[i] = site
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	plans := make([][]client.Object, n)
	objects := 0
	for i, site := range sites {
		pl, err := plan(site, p)
		if err != nil {
			t.Fatalf("planning %s: %v", site.Name, err)
		}
		plans[i] = pl.Apply
		objects += len(pl.Apply)
	}
	t.Logf("floor: %d sites created in %s; applying %d children (%.1f a site) with %d loop(s)", n,
		time.Since(start).Round(time.Millisecond), objects, float64(objects)/float64(n), b.cfg.workers)
	start = time.Now()
	cpu0 := b.sampleCPU()
	err = parallel(n, b.cfg.workers, func(i int) error {
		for _, obj := range plans[i] {
			obj := obj.DeepCopyObject().(client.Object)
			if err := c.Patch(ctx, obj, client.Apply, apply.FieldOwner, client.ForceOwnership); err != nil { //nolint:staticcheck // typed apply, exactly as internal/apply writes the same objects
				return fmt.Errorf("applying %T %s/%s: %w", obj, obj.GetNamespace(), obj.GetName(), err)
			}
		}
		return nil
	})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	r := floorResult{sites: n, objects: objects, elapsed: elapsed, otherCores: otherCores(cpu0, b.sampleCPU())}
	t.Logf("floor: %d sites' children applied in %s: %.2f sites/s, %.0f objects/s (other work on the machine meanwhile: %.2f cores)",
		n, elapsed.Round(time.Millisecond), r.sitesPerSecond(), float64(objects)/elapsed.Seconds(), r.otherCores)
	b.down(fmt.Sprintf("%d-floor", n))
	return r
}

// submit creates the manager phase's n sites and has each signed up the
// chain (S1), with workers at a time: the namespace, the content volume,
// the unit head's binding, the site as the platform engineer (the admin), then one
// signature per write by the unit head, the city office and the province
// office, each as themselves. The webhook stamps each signature.
func (b *bench) submit(ctx context.Context, cfg *rest.Config, n int) ([]*sgv1.GovWebsite, error) {
	admin := b.client(cfg)
	city := b.client(testenv.Impersonating(cfg, cityOffice))
	province := b.client(testenv.Impersonating(cfg, provinceOffice))
	sites := make([]*sgv1.GovWebsite, n)
	err := parallel(n, b.cfg.submitWorkers, func(i int) error {
		site := siteFor("site", i, b.cfg.portalEvery)
		ns := site.Namespace
		if err := createNamespace(ctx, admin, ns); err != nil {
			return err
		}
		if err := createVolume(ctx, admin, site); err != nil {
			return err
		}
		rb := &rbacv1.RoleBinding{
			ObjectMeta: metav1.ObjectMeta{Name: "sitegroup-unit-head:" + unitHead(ns), Namespace: ns},
			RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "sitegroup-unit-head"},
			Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: unitHead(ns)}},
		}
		if err := admin.Create(ctx, rb); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("unit head's binding in %s: %w", ns, err)
		}
		if err := admin.Create(ctx, site); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("site %s/%s: %w", ns, site.Name, err)
		}
		unit := b.client(testenv.Impersonating(cfg, unitHead(ns)))
		for k, s := range []struct {
			c     client.Client
			level string
			ref   string
		}{{unit, "unit", ""}, {city, "city", "津政办〔2026〕88号"}, {province, "province", ""}} {
			if err := sign(ctx, admin, s.c, site, k, s.level, s.ref); err != nil {
				return err
			}
		}
		sites[i] = site
		return nil
	})
	return sites, err
}

// sign adds signature k (level) as the signer's client, one signature per
// write, as hack/demo/sign.sh does. A write whose answer was lost is read
// back before it is tried again (at most three times), so no signature is
// added twice.
func sign(ctx context.Context, admin, signer client.Client, site *sgv1.GovWebsite, k int, level, ref string) error {
	approval := fmt.Sprintf(`{"level":%q,"decision":"Approved"`, level)
	if ref != "" {
		approval += fmt.Sprintf(`,"reference":%q`, ref)
	}
	approval += "}"
	patch := fmt.Sprintf(`[{"op":"add","path":"/spec/approvals/-","value":%s}]`, approval)
	if k == 0 {
		patch = fmt.Sprintf(`[{"op":"add","path":"/spec/approvals","value":[%s]}]`, approval)
	}
	var err error
	for range 3 {
		target := &sgv1.GovWebsite{ObjectMeta: metav1.ObjectMeta{Name: site.Name, Namespace: site.Namespace}}
		if err = signer.Patch(ctx, target, client.RawPatch(types.JSONPatchType, []byte(patch))); err == nil {
			return nil
		}
		live := &sgv1.GovWebsite{}
		if getErr := admin.Get(ctx, client.ObjectKeyFromObject(site), live); getErr == nil && len(live.Spec.Approvals) > k {
			return nil
		}
		time.Sleep(time.Second)
	}
	return fmt.Errorf("signing %s/%s at level %s: %w", site.Namespace, site.Name, level, err)
}

func TestSitesAreDistinctAndPlanned(t *testing.T) {
	const n, every = 120, 50
	seen := map[string]string{}
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	p, err := policyFrom(filepath.Join(root, "config", "samples", "sitegroup_v1alpha1_sitegrouppolicy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		site := siteFor("site", i, every)
		site.UID = types.UID(fmt.Sprintf("uid-%d", i))
		keys := []string{"credit " + site.Spec.Organization.CreditCode, "domain " + string(site.Spec.Domains[0]),
			"code " + site.Spec.SiteCode, "namespace " + site.Namespace}
		if site.Spec.SiteKind == sgv1.SiteKindPortal {
			keys = append(keys, "region "+site.Spec.SiteCode[:6])
		}
		for _, k := range keys {
			if other, ok := seen[k]; ok {
				t.Errorf("%s: %s and %s share it (S2, S3, S4)", k, other, site.Name)
			}
			seen[k] = site.Name
		}
		if len(site.Spec.Organization.CreditCode) != 18 || len(site.Spec.SiteCode) != 10 {
			t.Errorf("%s: credit code %q or site code %q of the wrong length", site.Name, site.Spec.Organization.CreditCode, site.Spec.SiteCode)
		}
		pl, err := plan(site, p)
		if err != nil {
			t.Fatalf("%s: %v", site.Name, err)
		}
		// PVC, 3 Services, 4 NetworkPolicies, 2 Deployments, the PDB, the
		// Certificate, the ReferenceGrant; a portal's board besides.
		want := 13
		if site.Spec.SiteKind == sgv1.SiteKindPortal {
			want++
		}
		if len(pl.Apply) != want {
			t.Errorf("%s: %d children planned, want %d", site.Name, len(pl.Apply), want)
		}
	}
}
