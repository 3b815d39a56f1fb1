package capture

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
)

// browserError names a failure the way Chromium shows it
// (net::ERR_…), so a recorded failure reads like the browser's own
// error page and HAR export.
func browserError(err error) string {
	if err == nil {
		return ""
	}
	var dnsErr *net.DNSError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var certInvalid x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	var alert tls.AlertError
	var certVerify *tls.CertificateVerificationError
	var refused *RefusedError
	msg := err.Error()
	switch {
	case errors.As(err, &refused):
		if refused.Status == 407 {
			return "net::ERR_PROXY_AUTH_REQUESTED"
		}
		return "net::ERR_ACCESS_DENIED"
	case errors.As(err, &dnsErr):
		return "net::ERR_NAME_NOT_RESOLVED"
	case errors.As(err, &unknownAuth):
		return "net::ERR_CERT_AUTHORITY_INVALID"
	case errors.As(err, &hostErr):
		return "net::ERR_CERT_COMMON_NAME_INVALID"
	case errors.As(err, &certInvalid):
		if certInvalid.Reason == x509.Expired {
			return "net::ERR_CERT_DATE_INVALID"
		}
		return "net::ERR_CERT_INVALID"
	case errors.As(err, &certVerify):
		return "net::ERR_CERT_INVALID"
	case errors.As(err, &recordErr), errors.As(err, &alert), strings.Contains(msg, "tls: "):
		return "net::ERR_SSL_PROTOCOL_ERROR"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "net::ERR_CONNECTION_REFUSED"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "net::ERR_CONNECTION_RESET"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded), isTimeout(err):
		return "net::ERR_TIMED_OUT"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "net::ERR_CONTENT_LENGTH_MISMATCH"
	case errors.Is(err, io.EOF), strings.Contains(msg, "server closed"):
		return "net::ERR_EMPTY_RESPONSE"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "net::ERR_ADDRESS_UNREACHABLE"
	case errors.Is(err, context.Canceled):
		return "net::ERR_ABORTED"
	}
	return "net::ERR_FAILED"
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
