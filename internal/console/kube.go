package console

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	sgv1 "sitegroup.io/operator/api/v1alpha1"
	"sitegroup.io/operator/internal/authz"
	"sitegroup.io/operator/internal/findings"
	"sitegroup.io/operator/internal/reportstore"
)

// Everything here reads or writes through the API server as the user; a
// refusal (403) is shown for what it is, never worked around.

// readTimeout bounds the API calls of one page.
const readTimeout = 30 * time.Second

// listScoped lists every namespace the user may list: all of them when
// RBAC allows a cluster-wide list, otherwise the configured namespaces one
// by one. note says what could not be read.
func (s *Server) listScoped(ctx context.Context, newList func() client.ObjectList, collect func(client.ObjectList)) (note error, err error) {
	list := newList()
	err = s.client.List(ctx, list)
	if err == nil {
		collect(list)
		return nil, nil
	}
	if !apierrors.IsForbidden(err) || len(s.opts.Namespaces) == 0 {
		return nil, err
	}
	var forbidden error
	for _, ns := range s.opts.Namespaces {
		list := newList()
		if err := s.client.List(ctx, list, client.InNamespace(ns)); err != nil {
			if apierrors.IsForbidden(err) {
				forbidden = errors.Join(forbidden, err)
				continue
			}
			return nil, err
		}
		collect(list)
	}
	return forbidden, nil
}

func (s *Server) sites(ctx context.Context) ([]sgv1.GovWebsite, error, error) {
	var out []sgv1.GovWebsite
	note, err := s.listScoped(ctx, func() client.ObjectList { return &sgv1.GovWebsiteList{} },
		func(l client.ObjectList) { out = append(out, l.(*sgv1.GovWebsiteList).Items...) })
	return out, note, err
}

func (s *Server) takedowns(ctx context.Context, namespace string) ([]sgv1.TakedownRequest, error, error) {
	var out []sgv1.TakedownRequest
	if namespace != "" {
		l := &sgv1.TakedownRequestList{}
		if err := s.client.List(ctx, l, client.InNamespace(namespace)); err != nil {
			if apierrors.IsForbidden(err) {
				return nil, err, nil
			}
			return nil, nil, err
		}
		return l.Items, nil, nil
	}
	note, err := s.listScoped(ctx, func() client.ObjectList { return &sgv1.TakedownRequestList{} },
		func(l client.ObjectList) { out = append(out, l.(*sgv1.TakedownRequestList).Items...) })
	return out, note, err
}

// levels reads the policy's chains; when the user may not read the policy
// (a unit head), the defaults stand in, as the CRD's defaults do, and the
// note says so: admission decides with the real policy anyway.
func (s *Server) levels(ctx context.Context) (Levels, error) {
	p := &sgv1.SiteGroupPolicy{}
	if err := s.client.Get(ctx, client.ObjectKey{Name: sgv1.PolicyName}, p); err != nil {
		return LevelsOf(sgv1.SiteGroupPolicySpec{}), err
	}
	return LevelsOf(p.Spec), nil
}

// mayApprove asks the API server whether the user may sign level in
// namespace: a SelfSubjectAccessReview for approve on
// signers.sitegroup.io/<level>, the question the webhook asks (authz).
func (s *Server) mayApprove(ctx context.Context, namespace, level string) (bool, error) {
	attrs := authz.SignAttributes(namespace, level)
	review := &authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &attrs}}
	if err := s.client.Create(ctx, review); err != nil {
		return false, fmt.Errorf("asking the API server whether you may %s: %w", authz.Describe(attrs), err)
	}
	return review.Status.Allowed && !review.Status.Denied, nil
}

// signable splits the waiting items into those the user may sign and the others.
func (s *Server) signable(ctx context.Context, items []Item) (mine, others []Item, err error) {
	type key struct{ ns, level string }
	asked := map[key]bool{}
	for _, it := range items {
		k := key{it.Namespace, it.Level}
		allowed, ok := asked[k]
		if !ok {
			if allowed, err = s.mayApprove(ctx, it.Namespace, it.Level); err != nil {
				return nil, nil, err
			}
			asked[k] = allowed
		}
		if allowed {
			mine = append(mine, it)
		} else {
			others = append(others, it)
		}
	}
	return mine, others, nil
}

// lastReport reads the report of a site's last inspection: its
// InspectionRun and the run's report ConfigMap.
func (s *Server) lastReport(ctx context.Context, site *sgv1.GovWebsite) (*sgv1.InspectionRun, *findings.Report, error) {
	li := site.Status.LastInspection
	if li == nil || li.Run == "" {
		return nil, nil, nil
	}
	run := &sgv1.InspectionRun{}
	if err := s.client.Get(ctx, client.ObjectKey{Namespace: site.Namespace, Name: li.Run}, run); err != nil {
		return nil, nil, err
	}
	ref := run.Status.ReportRef
	if ref == nil {
		return run, nil, nil
	}
	cm := &corev1.ConfigMap{}
	if err := s.client.Get(ctx, client.ObjectKey{Namespace: site.Namespace, Name: ref.ConfigMap}, cm); err != nil {
		return run, nil, err
	}
	r, err := reportstore.Decode(cm)
	if err != nil {
		return run, nil, err
	}
	return run, &r, nil
}

// apiMessage is what the API server said, for a person: the status
// message of a refusal (which names the rule), the error otherwise.
func apiMessage(err error) string {
	var status apierrors.APIStatus
	if !errors.As(err, &status) {
		return err.Error()
	}
	st := status.Status()
	msg := st.Message
	if st.Details != nil {
		// a generic message ("the server rejected our request…") keeps
		// what happened in its causes (a failed JSON patch test)
		for _, c := range st.Details.Causes {
			if c.Message != "" && !strings.Contains(msg, c.Message) {
				msg += ": " + c.Message
			}
		}
	}
	if msg == "" {
		return err.Error()
	}
	return msg
}

func asTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, !t.IsZero()
	case *time.Time:
		if t != nil {
			return *t, !t.IsZero()
		}
	case metav1.Time:
		return t.Time, !t.IsZero()
	case *metav1.Time:
		if t != nil {
			return t.Time, !t.IsZero()
		}
	}
	return time.Time{}, false
}
