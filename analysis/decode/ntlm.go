package decode

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
)

// NTLM negotiate flags AuthLens reads (MS-NLMP §2.2.2.5).
const (
	NTLMFlagUnicode             uint32 = 0x00000001 // NTLMSSP_NEGOTIATE_UNICODE
	NTLMFlagOEM                 uint32 = 0x00000002 // NTLM_NEGOTIATE_OEM
	NTLMFlagNTLM                uint32 = 0x00000200 // NTLMSSP_NEGOTIATE_NTLM
	NTLMFlagAnonymous           uint32 = 0x00000800 // anonymous connection
	NTLMFlagDomainSupplied      uint32 = 0x00001000 // NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED
	NTLMFlagWorkstationSupplied uint32 = 0x00002000 // NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED
	NTLMFlagExtendedSecurity    uint32 = 0x00080000 // NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY
	NTLMFlagTargetInfo          uint32 = 0x00800000 // NTLMSSP_NEGOTIATE_TARGET_INFO
	NTLMFlagVersion             uint32 = 0x02000000 // NTLMSSP_NEGOTIATE_VERSION
)

var ntlmSignature = []byte("NTLMSSP\x00")

// ErrNotNTLM is returned (wrapped) when a blob is not an NTLM message.
var ErrNotNTLM = errors.New("not an NTLM message")

// IsNTLMBase64 reports whether a base64 token starts like an NTLM message
// ("TlRMTVNTUA" is base64 of "NTLMSSP\0").
func IsNTLMBase64(b64 string) bool { return strings.HasPrefix(b64, "TlRMTVNTUA") }

// ParseNTLM decodes a base64 NTLM message (MS-NLMP §2.2.1): signature,
// type, flags, and the names in its security buffers (UTF-16LE when the
// message negotiates Unicode, OEM otherwise). Every buffer is
// bounds-checked; no response, key or challenge bytes are returned.
func ParseNTLM(b64 string) (*NTLMMessage, error) {
	b64 = strings.TrimSpace(b64)
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		var err2 error
		if raw, err2 = base64.RawStdEncoding.DecodeString(strings.TrimRight(b64, "=")); err2 != nil {
			return nil, fmt.Errorf("%w: invalid base64: %w", ErrNotNTLM, err)
		}
	}
	return ParseNTLMBytes(raw)
}

// ParseNTLMBytes decodes a binary NTLM message.
func ParseNTLMBytes(raw []byte) (*NTLMMessage, error) {
	if len(raw) < 12 || !bytes.Equal(raw[:8], ntlmSignature) {
		return nil, fmt.Errorf("%w: no NTLMSSP signature", ErrNotNTLM)
	}
	m := &NTLMMessage{Type: int(binary.LittleEndian.Uint32(raw[8:12]))}
	switch m.Type {
	case 1:
		if len(raw) < 16 {
			return m, fmt.Errorf("NTLM type 1: %d bytes, want at least 16", len(raw))
		}
		m.Flags = binary.LittleEndian.Uint32(raw[12:16])
		// Type-1 names are always OEM (MS-NLMP §2.2.1.1).
		if m.Flags&NTLMFlagDomainSupplied != 0 {
			s, err := secBuf(raw, 16)
			if err != nil {
				return m, fmt.Errorf("NTLM type 1 domain: %w", err)
			}
			m.Domain = oemString(s)
		}
		if m.Flags&NTLMFlagWorkstationSupplied != 0 {
			s, err := secBuf(raw, 24)
			if err != nil {
				return m, fmt.Errorf("NTLM type 1 workstation: %w", err)
			}
			m.Workstation = oemString(s)
		}
	case 2:
		if len(raw) < 32 {
			return m, fmt.Errorf("NTLM type 2: %d bytes, want at least 32", len(raw))
		}
		m.Flags = binary.LittleEndian.Uint32(raw[20:24])
		s, err := secBuf(raw, 12)
		if err != nil {
			return m, fmt.Errorf("NTLM type 2 target name: %w", err)
		}
		m.TargetName = m.text(s)
	case 3:
		if len(raw) < 52 {
			return m, fmt.Errorf("NTLM type 3: %d bytes, want at least 52", len(raw))
		}
		if len(raw) >= 64 {
			m.Flags = binary.LittleEndian.Uint32(raw[60:64])
		} else {
			m.Flags = NTLMFlagUnicode // very old clients omit flags; they spoke Unicode
		}
		lm, err := secBuf(raw, 12)
		if err != nil {
			return m, fmt.Errorf("NTLM type 3 LM response: %w", err)
		}
		nt, err := secBuf(raw, 20)
		if err != nil {
			return m, fmt.Errorf("NTLM type 3 NT response: %w", err)
		}
		for _, f := range []struct {
			off int
			dst *string
			nm  string
		}{{28, &m.Domain, "domain"}, {36, &m.User, "user"}, {44, &m.Workstation, "workstation"}} {
			s, err := secBuf(raw, f.off)
			if err != nil {
				return m, fmt.Errorf("NTLM type 3 %s: %w", f.nm, err)
			}
			*f.dst = m.text(s)
		}
		m.Anonymous = m.User == "" && len(nt) == 0 && (len(lm) == 0 || bytes.Equal(lm, []byte{0}))
	default:
		return m, fmt.Errorf("NTLM message type %d is not 1, 2 or 3", m.Type)
	}
	m.Unicode = m.Flags&NTLMFlagUnicode != 0
	return m, nil
}

// secBuf returns the bytes a security buffer (len uint16, maxlen uint16,
// offset uint32) at off points to.
func secBuf(raw []byte, off int) ([]byte, error) {
	if off+8 > len(raw) {
		return nil, fmt.Errorf("security buffer at byte %d past the end (%d bytes)", off, len(raw))
	}
	n := uint64(binary.LittleEndian.Uint16(raw[off:]))
	start := uint64(binary.LittleEndian.Uint32(raw[off+4:]))
	if n == 0 {
		return nil, nil
	}
	if start+n > uint64(len(raw)) {
		return nil, fmt.Errorf("security buffer [%d, %d) past the end (%d bytes)", start, start+n, len(raw))
	}
	return raw[start : start+n], nil
}

func (m *NTLMMessage) text(b []byte) string {
	if m.Flags&NTLMFlagUnicode != 0 {
		return utf16LEString(b)
	}
	return oemString(b)
}

func utf16LEString(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// oemString reads an OEM-codepage string. The code page is unknown, so
// bytes above 0x7f are read as Latin-1 (never invalid UTF-8).
func oemString(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}
