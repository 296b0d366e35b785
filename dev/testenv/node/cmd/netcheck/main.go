// Command netcheck is the egress test's pod (NodeIT): it connects to each IPv4:port given as an argument
// and prints one line per target, "target ok <millis>ms" or "target error <millis>ms <errno text>", then
// sleeps so that its logs can be read. It lives in the node's tools image next to pause (FROM scratch, no
// libc): raw syscalls, because the net package would link the C resolver.
package main

import (
	"fmt"
	"net/netip"
	"os"
	"syscall"
	"time"
)

func main() {
	for _, target := range os.Args[1:] {
		start := time.Now()
		err := connect(target)
		millis := time.Since(start).Milliseconds()
		if err == nil {
			fmt.Printf("%s ok %dms\n", target, millis)
		} else {
			fmt.Printf("%s error %dms %v\n", target, millis, err)
		}
	}
	time.Sleep(time.Hour)
}

// connect makes one blocking TCP connect; a silently dropped SYN would block for minutes, so it is
// given up after 10 s (SO_SNDTIMEO bounds connect on Linux).
func connect(target string) error {
	addr, err := netip.ParseAddrPort(target)
	if err != nil || !addr.Addr().Is4() {
		return fmt.Errorf("not an IPv4 address:port: %q", target)
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	timeout := syscall.NsecToTimeval((10 * time.Second).Nanoseconds())
	if err := syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_SNDTIMEO, &timeout); err != nil {
		return err
	}
	return syscall.Connect(fd, &syscall.SockaddrInet4{Port: int(addr.Port()), Addr: addr.Addr().As4()})
}
