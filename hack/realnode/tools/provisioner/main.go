// Command provisioner backs StorageClasses on a single node with host
// directories:
//
//	provisioner -kubeconfig FILE -dir DIR [-name sitegroup.io/realnode-hostpath]
//
// Every second it creates, for each Pending PVC of a class whose provisioner
// is NAME, a PV pre-bound to it: a hostPath directory DIR/<ns>-<pvc>-<uid>
// (mode 0777, so pods running as any user can write: hostPath ignores
// fsGroup), with the PVC's access modes (ReadWriteOnce and ReadWriteMany both
// work on one node) and request. And it deletes the directory and the PV of
// each of its PVs that is Released (reclaim policy Delete).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

const annProvisionedBy = "pv.kubernetes.io/provisioned-by"

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig (required)")
	dir := flag.String("dir", "", "directory holding the volumes (required)")
	name := flag.String("name", "sitegroup.io/realnode-hostpath", "provisioner name (StorageClass .provisioner)")
	flag.Parse()
	if *kubeconfig == "" || *dir == "" {
		flag.Usage()
		os.Exit(2)
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		log.Fatal(err)
	}
	cs := kubernetes.NewForConfigOrDie(cfg)
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	p := &prov{cs: cs, dir: *dir, name: *name}
	log.Printf("provisioner %s serving volumes from %s", *name, *dir)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		if err := p.sync(ctx); err != nil && ctx.Err() == nil {
			log.Print(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

type prov struct {
	cs   kubernetes.Interface
	dir  string
	name string
}

func (p *prov) sync(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	scs, err := p.cs.StorageV1().StorageClasses().List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	classes := map[string]*storagev1.StorageClass{}
	for i := range scs.Items {
		if scs.Items[i].Provisioner == p.name {
			classes[scs.Items[i].Name] = &scs.Items[i]
		}
	}
	pvcs, err := p.cs.CoreV1().PersistentVolumeClaims("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for i := range pvcs.Items {
		pvc := &pvcs.Items[i]
		if pvc.Status.Phase != corev1.ClaimPending || pvc.Spec.VolumeName != "" || pvc.DeletionTimestamp != nil {
			continue
		}
		if pvc.Spec.StorageClassName == nil || classes[*pvc.Spec.StorageClassName] == nil {
			continue
		}
		if err := p.provision(ctx, pvc, classes[*pvc.Spec.StorageClassName]); err != nil {
			log.Printf("provision %s/%s: %v", pvc.Namespace, pvc.Name, err)
		}
	}
	pvs, err := p.cs.CoreV1().PersistentVolumes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for i := range pvs.Items {
		pv := &pvs.Items[i]
		if pv.Annotations[annProvisionedBy] != p.name || pv.Status.Phase != corev1.VolumeReleased ||
			pv.Spec.PersistentVolumeReclaimPolicy != corev1.PersistentVolumeReclaimDelete || pv.Spec.HostPath == nil {
			continue
		}
		path := pv.Spec.HostPath.Path
		if filepath.Dir(path) != filepath.Clean(p.dir) {
			log.Printf("not deleting %s: %s is outside %s", pv.Name, path, p.dir)
			continue
		}
		if err := os.RemoveAll(path); err != nil {
			log.Printf("delete %s: %v", path, err)
			continue
		}
		err := p.cs.CoreV1().PersistentVolumes().Delete(ctx, pv.Name, metav1.DeleteOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			log.Printf("delete PV %s: %v", pv.Name, err)
			continue
		}
		log.Printf("deleted %s and %s", pv.Name, path)
	}
	return nil
}

func (p *prov) provision(ctx context.Context, pvc *corev1.PersistentVolumeClaim, sc *storagev1.StorageClass) error {
	pvName := "pvc-" + string(pvc.UID)
	if _, err := p.cs.CoreV1().PersistentVolumes().Get(ctx, pvName, metav1.GetOptions{}); err == nil {
		return nil // made already; the binder will catch up
	}
	path := filepath.Join(p.dir, strings.Join([]string{pvc.Namespace, pvc.Name, string(pvc.UID)}, "-"))
	if err := os.MkdirAll(path, 0o777); err != nil {
		return err
	}
	if err := os.Chmod(path, 0o777); err != nil {
		return err
	}
	size, ok := pvc.Spec.Resources.Requests[corev1.ResourceStorage]
	if !ok {
		return fmt.Errorf("no storage request")
	}
	modes := pvc.Spec.AccessModes
	if len(modes) == 0 {
		modes = []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}
	}
	reclaim := corev1.PersistentVolumeReclaimDelete
	if sc.ReclaimPolicy != nil {
		reclaim = *sc.ReclaimPolicy
	}
	hostPathType := corev1.HostPathDirectory
	pv := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{
			Name:        pvName,
			Annotations: map[string]string{annProvisionedBy: p.name},
		},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: size},
			AccessModes:                   modes,
			PersistentVolumeReclaimPolicy: reclaim,
			StorageClassName:              sc.Name,
			VolumeMode:                    pvc.Spec.VolumeMode,
			ClaimRef: &corev1.ObjectReference{
				Kind: "PersistentVolumeClaim", APIVersion: "v1",
				Namespace: pvc.Namespace, Name: pvc.Name, UID: pvc.UID,
			},
			PersistentVolumeSource: corev1.PersistentVolumeSource{
				HostPath: &corev1.HostPathVolumeSource{Path: path, Type: &hostPathType},
			},
		},
	}
	if _, err := p.cs.CoreV1().PersistentVolumes().Create(ctx, pv, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	log.Printf("provisioned %s for %s/%s at %s", pvName, pvc.Namespace, pvc.Name, path)
	return nil
}
