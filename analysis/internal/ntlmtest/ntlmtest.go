// Package ntlmtest builds NTLM messages (MS-NLMP §2.2.1) for tests and the
// Signature-trace generator. The responses it writes are fixed filler
// bytes, not cryptographic answers: they only have to look like a real
// handshake to a decoder.
package ntlmtest

import (
	"encoding/base64"
	"encoding/binary"
	"unicode/utf16"
)

// Flags used by the builders (same values as decode.NTLMFlag*).
const (
	FlagUnicode             uint32 = 0x00000001
	FlagOEM                 uint32 = 0x00000002
	FlagRequestTarget       uint32 = 0x00000004
	FlagNTLM                uint32 = 0x00000200
	FlagDomainSupplied      uint32 = 0x00001000
	FlagWorkstationSupplied uint32 = 0x00002000
	FlagExtendedSecurity    uint32 = 0x00080000
)

type field struct {
	off  int
	data []byte
}

func message(typ uint32, header int, flagsAt int, flags uint32, fields []field) []byte {
	b := make([]byte, header)
	copy(b, "NTLMSSP\x00")
	binary.LittleEndian.PutUint32(b[8:], typ)
	if flagsAt >= 0 {
		binary.LittleEndian.PutUint32(b[flagsAt:], flags)
	}
	for _, f := range fields {
		binary.LittleEndian.PutUint16(b[f.off:], uint16(len(f.data)))
		binary.LittleEndian.PutUint16(b[f.off+2:], uint16(len(f.data)))
		binary.LittleEndian.PutUint32(b[f.off+4:], uint32(len(b)))
		b = append(b, f.data...)
	}
	return b
}

// Encode returns the text of a name as the message will carry it.
func Encode(s string, unicode bool) []byte {
	if !unicode {
		out := make([]byte, 0, len(s))
		for _, r := range s {
			if r > 0xff {
				r = '?'
			}
			out = append(out, byte(r))
		}
		return out
	}
	u := utf16.Encode([]rune(s))
	out := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(out[2*i:], c)
	}
	return out
}

// Type1 builds a NEGOTIATE message; domain and workstation are OEM and
// only written (with their "supplied" flags) when not empty.
func Type1(flags uint32, domain, workstation string) []byte {
	var fs []field
	if domain != "" {
		flags |= FlagDomainSupplied
		fs = append(fs, field{16, Encode(domain, false)})
	}
	if workstation != "" {
		flags |= FlagWorkstationSupplied
		fs = append(fs, field{24, Encode(workstation, false)})
	}
	return message(1, 32, 12, flags, fs)
}

// Type2 builds a CHALLENGE message naming the target.
func Type2(flags uint32, target string) []byte {
	b := message(2, 48, 20, flags, []field{{12, Encode(target, flags&FlagUnicode != 0)}})
	copy(b[24:32], []byte{1, 2, 3, 4, 5, 6, 7, 8}) // server challenge (filler)
	return b
}

// Type3 builds an AUTHENTICATE message for domain\user from workstation;
// an empty user with anonymous=true writes empty responses.
func Type3(flags uint32, domain, user, workstation string, anonymous bool) []byte {
	uni := flags&FlagUnicode != 0
	lm, nt := make([]byte, 24), make([]byte, 24)
	for i := range nt {
		lm[i], nt[i] = byte(i), byte(0xa0+i)
	}
	if anonymous {
		lm, nt = []byte{0}, nil
	}
	return message(3, 64, 60, flags, []field{
		{12, lm}, {20, nt},
		{28, Encode(domain, uni)}, {36, Encode(user, uni)}, {44, Encode(workstation, uni)},
		{52, nil},
	})
}

// Base64 is the message as it travels in a header.
func Base64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
