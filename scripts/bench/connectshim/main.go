// Command connectshim lets wrk, which cannot speak to an HTTP proxy,
// load a proxy's HTTPS path: every connection it accepts is tunnelled to
// -target through a CONNECT sent to -proxy (or, without -proxy, forwarded
// to -target as plain TCP, so the direct baseline pays the same extra hop).
//
//	go run ./scripts/bench/connectshim -listen 127.0.0.1:9443 -proxy 127.0.0.1:8080 -target 127.0.0.1:8443
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to accept wrk's connections on")
	proxy := flag.String("proxy", "", "HTTP proxy host:port to CONNECT through (empty: plain TCP forwarding)")
	target := flag.String("target", "", "host:port of the HTTPS server (required)")
	flag.Parse()
	if *target == "" {
		fmt.Fprintln(os.Stderr, "usage: connectshim -listen ADDR [-proxy ADDR] -target HOST:PORT")
		os.Exit(2)
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		slog.Error("listening", "err", err)
		os.Exit(1)
	}
	fmt.Println(l.Addr().String()) // the script reads the port from here
	for {
		c, err := l.Accept()
		if err != nil {
			slog.Error("accepting", "err", err)
			os.Exit(1)
		}
		go serve(c, *proxy, *target)
	}
}

func serve(client net.Conn, proxy, target string) {
	defer client.Close()
	upstream, err := open(proxy, target)
	if err != nil {
		slog.Error("opening the tunnel", "target", target, "err", err)
		return
	}
	defer upstream.Close()
	done := make(chan struct{}, 2)
	go func() { io.Copy(upstream, client); upstream.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
	go func() { io.Copy(client, upstream); client.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
	<-done
	<-done
}

// open dials target, through a CONNECT to proxy when one is given.
func open(proxy, target string) (net.Conn, error) {
	if proxy == "" {
		return net.Dial("tcp", target)
	}
	c, err := net.Dial("tcp", proxy)
	if err != nil {
		return nil, fmt.Errorf("dialling the proxy: %w", err)
	}
	fmt.Fprintf(c, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, target)
	// The proxy says nothing more until the client's TLS hello, so the
	// reader holds only the CONNECT answer.
	br := bufio.NewReaderSize(c, 4096)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("reading the CONNECT answer: %w", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		c.Close()
		return nil, fmt.Errorf("CONNECT %s: %s", target, res.Status)
	}
	if br.Buffered() > 0 {
		c.Close()
		return nil, errors.New("the proxy sent bytes after its CONNECT answer")
	}
	return c, nil
}
