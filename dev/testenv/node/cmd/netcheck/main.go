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

// connect starts a non-blocking TCP connect and waits up to 10 s for its outcome, as real clients (Java, Go's
// net) do; a blocking connect(2) would hear of an ICMP reject only at the first SYN retransmission, after 1 s.
func connect(target string) error {
	addr, err := netip.ParseAddrPort(target)
	if err != nil || !addr.Addr().Is4() {
		return fmt.Errorf("not an IPv4 address:port: %q", target)
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	err = syscall.Connect(fd, &syscall.SockaddrInet4{Port: int(addr.Port()), Addr: addr.Addr().As4()})
	if err != syscall.EINPROGRESS {
		return err
	}
	var writable syscall.FdSet
	writable.Bits[fd/64] |= 1 << (uint(fd) % 64)
	timeout := syscall.NsecToTimeval((10 * time.Second).Nanoseconds())
	for {
		n, err := syscall.Select(fd+1, nil, &writable, nil, &timeout)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("timed out")
		}
		break
	}
	soErr, err := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_ERROR)
	if err != nil {
		return err
	}
	if soErr != 0 {
		return syscall.Errno(soErr)
	}
	return nil
}
