package builders

import (
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/jobargs"
)

// ComponentInspection runs the inspector (`sitegroup inspect`) for one run.
const ComponentInspection = "inspection"

// LabelInspectionRun names the InspectionRun a Job and its pod work for.
const LabelInspectionRun = "sitegroup.io/inspection-run"

func InspectionJobName(run *sgv1.InspectionRun) string { return run.Name + "-inspect" }

// InspectionTarget is where a run looks: its override, the site's
// inspection override, or the site's public Service inside the cluster
// judged under the site's first domain (the inspector sends that Host).
type InspectionTarget struct {
	URL  string
	Host string
}

// TargetFor decides the address an inspection crawls.
func TargetFor(run *sgv1.InspectionRun, site *sgv1.GovWebsite) InspectionTarget {
	switch {
	case run.Spec.TargetURL != "":
		return InspectionTarget{URL: run.Spec.TargetURL}
	case site != nil && site.Spec.Inspection.TargetURL != "":
		return InspectionTarget{URL: site.Spec.Inspection.TargetURL}
	case site != nil:
		host := ""
		if len(site.Spec.Domains) > 0 {
			host = string(site.Spec.Domains[0])
		}
		svc := PublicServiceName(site)
		if run.Spec.Purpose == sgv1.PurposePrereturn {
			// The public sees the notice page; the return is checked on the
			// front end itself (T6).
			svc = PreviewServiceName(site)
		}
		return InspectionTarget{URL: fmt.Sprintf("http://%s.%s.svc/", svc, site.Namespace), Host: host}
	}
	return InspectionTarget{}
}

// inspectArgs is the inspector's command line for a run: bounded by the
// run's budget, its summary written to the termination message (kept under
// 4 KiB), the full report to the log.
func inspectArgs(run *sgv1.InspectionRun, site *sgv1.GovWebsite, target InspectionTarget) jobargs.Inspect {
	b := run.Spec.Budget
	args := jobargs.Inspect{
		URL:         target.URL,
		HostHeader:  target.Host,
		Portal:      site != nil && site.Spec.SiteKind == sgv1.SiteKindPortal,
		Output:      "json",
		SummaryFile: corev1.TerminationMessagePathDefault,
		MaxPages:    int(ptrOr(b.MaxPages, 500)),
		MaxDepth:    int(ptrOr(b.MaxDepth, 5)),
		Rate:        float64(b.RequestsPerSecond),
		Timeout:     inspectionTimeout(run),
	}
	for _, c := range run.Spec.Checks {
		args.Checks = append(args.Checks, string(c))
	}
	if site != nil {
		for _, h := range site.Spec.Inspection.ColumnHints {
			args.ColumnHints = append(args.ColumnHints, h.Name+"="+string(h.Kind))
		}
	}
	return args
}

func ptrOr(v, def int32) int32 {
	if v == 0 {
		return def
	}
	return v
}

// inspectionTimeout is the run's budget for the whole crawl.
func inspectionTimeout(run *sgv1.InspectionRun) time.Duration {
	if t := run.Spec.Budget.Timeout; t != nil && t.Duration > 0 {
		return t.Duration
	}
	return 10 * time.Minute
}

// InspectionJob runs the inspector for one InspectionRun: a restricted pod
// on domestic nodes (S6), one retry, a deadline a little past the crawl's
// own budget so a hung crawl is an infrastructure failure, not a verdict.
func InspectionJob(run *sgv1.InspectionRun, site *sgv1.GovWebsite, p sgv1.SiteGroupPolicySpec, operatorImage string) *batchv1.Job {
	labels := map[string]string{
		LabelManagedBy: ManagerName, LabelPartOf: "sitegroup",
		LabelComponent: ComponentInspection, LabelInspectionRun: run.Name,
	}
	if site != nil {
		labels[LabelSite] = site.Name
	}
	meta := metav1.ObjectMeta{Name: InspectionJobName(run), Namespace: run.Namespace, Labels: labels,
		OwnerReferences: []metav1.OwnerReference{RunOwner(run)}}
	deadline := int64((inspectionTimeout(run) + 2*time.Minute).Seconds())
	args := inspectArgs(run, site, TargetFor(run, site))
	for _, c := range p.Network.ClusterNetworks {
		args.DenyCIDRs = append(args.DenyCIDRs, string(c)) // the inspector never reaches the cluster's own ranges
	}
	mounts := []corev1.VolumeMount{{Name: "tmp", MountPath: "/tmp"}}
	volumes := []corev1.Volume{{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{SizeLimit: ptr.To(resource.MustParse("64Mi"))}}}}
	if sp := run.Status.ScoringProfile; sp != nil {
		// The run's own copy of the profile (see ScoringProfileConfigMap).
		args.Profile = scoringProfileDir + "/" + ScoringProfileKey
		mounts = append(mounts, corev1.VolumeMount{Name: "scoring-profile", MountPath: scoringProfileDir, ReadOnly: true})
		volumes = append(volumes, corev1.Volume{Name: "scoring-profile", VolumeSource: corev1.VolumeSource{
			ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: sp.ConfigMap}},
		}})
	}
	job := operatorJob(meta, p, deadline, corev1.Container{
		Name:                     "inspect",
		Image:                    operatorImage,
		Args:                     args.Args(),
		TerminationMessagePolicy: corev1.TerminationMessageReadFile,
		VolumeMounts:             mounts,
		Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("64Mi")},
			Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("256Mi")},
		},
	}, volumes)
	job.Spec.BackoffLimit = ptr.To[int32](1)
	return job
}

// ScoringProfileKey is the key of a run's scoring-profile copy.
const ScoringProfileKey = "profile.yaml"

const scoringProfileDir = "/etc/sitegroup/scoring"

// ScoringProfileConfigMap is a run's own copy of the scoring profile it
// uses. A ConfigMap volume can only come from the run's namespace, and a
// copy owned by the run keeps, with the record, the exact rules that
// scored it even when the shared profile changes later.
func ScoringProfileConfigMap(run *sgv1.InspectionRun, profile string) *corev1.ConfigMap {
	return &corev1.ConfigMap{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{
			Name: run.Name + "-profile", Namespace: run.Namespace,
			Labels: map[string]string{
				LabelManagedBy: ManagerName, LabelPartOf: "sitegroup",
				LabelComponent: ComponentInspection, LabelInspectionRun: run.Name,
			},
			OwnerReferences: []metav1.OwnerReference{RunOwner(run)},
		},
		Data: map[string]string{ScoringProfileKey: profile},
	}
}

// InspectionEgress lets inspection pods reach DNS and the site's public
// pods only: the inspector reads the site, nothing else. It selects every
// inspection pod of the site, so there is one per site, owned by the site:
// a run that ends must not take it from the runs still going.
func InspectionEgress(run *sgv1.InspectionRun, site *sgv1.GovWebsite) *networkingv1.NetworkPolicy {
	return &networkingv1.NetworkPolicy{
		TypeMeta: metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "NetworkPolicy"},
		ObjectMeta: metav1.ObjectMeta{Name: site.Name + "-inspection", Namespace: site.Namespace, Labels: SiteLabels(site),
			OwnerReferences: ownerRef(site)},
		Spec: networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: map[string]string{LabelSite: site.Name, LabelComponent: ComponentInspection}},
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeEgress},
			Egress: []networkingv1.NetworkPolicyEgressRule{
				DNSEgressRule(),
				{
					To:    []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{LabelSite: site.Name, LabelPublic: "true"}}}},
					Ports: tcpPort(portOrDefault(site.Spec.Frontend.Port)),
				},
			},
		},
	}
}

// ScheduledRunName names a scheduled run after its site, purpose and the
// scheduled minute (Asia/Shanghai), so a retried create is idempotent.
func ScheduledRunName(site *sgv1.GovWebsite, purpose sgv1.InspectionPurpose, at time.Time, loc *time.Location) string {
	return fmt.Sprintf("%s-%s-%s", site.Name, purpose, at.In(loc).Format("200601021504"))
}

// PrelaunchRunName is the run a new site must pass before it is routed (S5).
func PrelaunchRunName(site *sgv1.GovWebsite) string { return site.Name + "-prelaunch" }

// ScheduledRun is a run the scheduler starts for a site, owned by the site.
// scheduledAt is zero for the prelaunch run, which no schedule starts.
func ScheduledRun(site *sgv1.GovWebsite, name string, purpose sgv1.InspectionPurpose, scheduledAt time.Time) *sgv1.InspectionRun {
	run := &sgv1.InspectionRun{
		TypeMeta: metav1.TypeMeta{APIVersion: sgv1.GroupVersion.String(), Kind: "InspectionRun"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: site.Namespace,
			Labels: map[string]string{LabelManagedBy: ManagerName, LabelPartOf: "sitegroup", LabelSite: site.Name,
				LabelComponent: ComponentInspection, LabelPurpose: string(purpose)},
			OwnerReferences: ownerRef(site)},
		Spec: sgv1.InspectionRunSpec{SiteRef: &sgv1.LocalObjectReference{Name: site.Name}, Purpose: purpose},
	}
	if !scheduledAt.IsZero() {
		run.Annotations = map[string]string{sgv1.AnnotationScheduledAt: scheduledAt.UTC().Format(time.RFC3339)}
	}
	if purpose == sgv1.PurposeDaily {
		// Daily monitoring looks at the homepage and availability, not the
		// whole site: the monthly run is the full inspection.
		run.Spec.Checks = []sgv1.InspectionCheck{"availability", "homepage", "security", "identity"}
		run.Spec.Budget.MaxPages = 50
	}
	return run
}

// LabelPurpose says why a scheduled run happens.
const LabelPurpose = "sitegroup.io/purpose"

// RunOwner makes a run the controlling owner of what is its alone (its
// Job, profile copy and report), so they go when the run goes. The egress
// policy is not among them: the site's runs share one, which the site owns
// (InspectionEgress).
func RunOwner(run *sgv1.InspectionRun) metav1.OwnerReference {
	return metav1.OwnerReference{APIVersion: sgv1.GroupVersion.String(), Kind: "InspectionRun", Name: run.Name, UID: run.UID,
		Controller: ptr.To(true), BlockOwnerDeletion: ptr.To(true)}
}
