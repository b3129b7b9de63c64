// Command cri talks to a CRI runtime socket:
//
//	cri -sock PATH version         runtime name and version
//	cri -sock PATH pods            one line per pod sandbox: ID STATE NAMESPACE/NAME
//	cri -sock PATH rmpods          stop and remove every pod sandbox (runs CNI DEL)
//	cri -sock PATH images          image references the runtime knows
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	runtime "k8s.io/cri-api/pkg/apis/runtime/v1"
)

func main() {
	sock := flag.String("sock", "", "CRI socket path (required)")
	timeout := flag.Duration("timeout", 60*time.Second, "overall timeout")
	flag.Parse()
	if *sock == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: cri -sock PATH version|pods|rmpods|images")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := run(ctx, *sock, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "cri:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, sock, what string) error {
	conn, err := grpc.NewClient("unix://"+sock, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	rt := runtime.NewRuntimeServiceClient(conn)
	switch what {
	case "version":
		v, err := rt.Version(ctx, &runtime.VersionRequest{})
		if err != nil {
			return err
		}
		fmt.Println(v.RuntimeName, v.RuntimeVersion, v.RuntimeApiVersion)
	case "pods", "rmpods":
		l, err := rt.ListPodSandbox(ctx, &runtime.ListPodSandboxRequest{})
		if err != nil {
			return err
		}
		var failed error
		for _, p := range l.Items {
			fmt.Printf("%s %s %s/%s\n", p.Id, p.State, p.Metadata.GetNamespace(), p.Metadata.GetName())
			if what != "rmpods" {
				continue
			}
			if _, err := rt.StopPodSandbox(ctx, &runtime.StopPodSandboxRequest{PodSandboxId: p.Id}); err != nil {
				fmt.Fprintln(os.Stderr, "stop", p.Id, err)
				failed = err
				continue
			}
			if _, err := rt.RemovePodSandbox(ctx, &runtime.RemovePodSandboxRequest{PodSandboxId: p.Id}); err != nil {
				fmt.Fprintln(os.Stderr, "remove", p.Id, err)
				failed = err
			}
		}
		return failed
	case "images":
		l, err := runtime.NewImageServiceClient(conn).ListImages(ctx, &runtime.ListImagesRequest{})
		if err != nil {
			return err
		}
		for _, i := range l.Images {
			for _, t := range i.RepoTags {
				fmt.Println(t)
			}
		}
	default:
		return fmt.Errorf("unknown command %q", what)
	}
	return nil
}
