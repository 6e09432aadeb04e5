//go:build !unix

package postgres

import "net"

// unread cannot look at the socket here; a server's goodbye is then learnt from the failed batch.
func unread(net.Conn) bool { return false }
