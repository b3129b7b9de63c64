// Command testapp is the real node's test workload:
//
//	testapp serve [ADDR]            serve HTTP (default :8080): "/" answers
//	                                "hello from <hostname>", "/healthz" answers ok
//	testapp get URL [TRIES] [TIMEOUT]
//	                                GET URL up to TRIES times (default 1), each
//	                                bounded by TIMEOUT (default 2s); prints the
//	                                status and body; exit 0 on a 2xx, 1 otherwise
//	testapp sleep                   sleep until TERM (a client pod to exec into)
//	testapp echo ARGS...            print ARGS
//	testapp write FILE TEXT         write TEXT to FILE (checks a volume is writable)
//	testapp cat FILE                print FILE
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: testapp serve [ADDR] | get URL [TRIES] [TIMEOUT] | sleep | echo ARGS... | write FILE TEXT | cat FILE")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		addr := ":8080"
		if len(os.Args) > 2 {
			addr = os.Args[2]
		}
		serve(addr)
	case "get":
		if len(os.Args) < 3 {
			fmt.Fprintln(os.Stderr, "usage: testapp get URL [TRIES] [TIMEOUT]")
			os.Exit(2)
		}
		tries, timeout := 1, 2*time.Second
		if len(os.Args) > 3 {
			n, err := strconv.Atoi(os.Args[3])
			if err != nil || n < 1 || n > 1000 {
				fmt.Fprintln(os.Stderr, "TRIES must be 1..1000")
				os.Exit(2)
			}
			tries = n
		}
		if len(os.Args) > 4 {
			d, err := time.ParseDuration(os.Args[4])
			if err != nil {
				fmt.Fprintln(os.Stderr, "TIMEOUT:", err)
				os.Exit(2)
			}
			timeout = d
		}
		os.Exit(get(os.Args[2], tries, timeout))
	case "sleep":
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
		<-sigs
	case "echo":
		fmt.Println(strings.Join(os.Args[2:], " "))
	case "write", "cat":
		if len(os.Args) < 3 || (os.Args[1] == "write" && len(os.Args) < 4) {
			fmt.Fprintln(os.Stderr, "usage: testapp write FILE TEXT | cat FILE")
			os.Exit(2)
		}
		var err error
		if os.Args[1] == "write" {
			err = os.WriteFile(os.Args[2], []byte(os.Args[3]+"\n"), 0o644)
		} else {
			var b []byte
			b, err = os.ReadFile(os.Args[2])
			os.Stdout.Write(b)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", os.Args[1])
		os.Exit(2)
	}
}

func serve(addr string) {
	host, _ := os.Hostname()
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from %s\n", host)
	})
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
		<-sigs
		srv.Close()
	}()
	fmt.Println("serving on", addr)
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func get(url string, tries int, timeout time.Duration) int {
	client := &http.Client{Timeout: timeout}
	var last string
	for i := 1; i <= tries; i++ {
		resp, err := client.Get(url)
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			fmt.Printf("%d %s", resp.StatusCode, body)
			if resp.StatusCode >= 200 && resp.StatusCode < 300 {
				return 0
			}
			last = fmt.Sprintf("status %d", resp.StatusCode)
		} else {
			last = err.Error()
		}
		if i < tries {
			time.Sleep(time.Second)
		}
	}
	fmt.Fprintf(os.Stderr, "GET %s failed after %d tries: %s\n", url, tries, last)
	return 1
}
