package ui

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"strings"
	"testing"
)

// A tiny PNG declaring 60,000 × 60,000 pixels is not decoded for the
// preview; a normal one is.
func TestImagePreviewChecksTheSizeFirst(t *testing.T) {
	var small bytes.Buffer
	png.Encode(&small, image.NewGray(image.Rect(0, 0, 16, 16)))
	if why := imageTooLarge(small.Bytes()); why != "" {
		t.Errorf("16×16 PNG refused: %s", why)
	}
	huge := append([]byte(nil), small.Bytes()...)
	// IHDR width and height are bytes 16..23 of a PNG.
	copy(huge[16:24], []byte{0, 0, 0xea, 0x60, 0, 0, 0xea, 0x60})
	binary.BigEndian.PutUint32(huge[29:33], crc32.ChecksumIEEE(huge[12:29])) // IHDR's checksum
	if why := imageTooLarge(huge); !strings.Contains(why, "60000 × 60000") {
		t.Errorf("60000×60000 PNG: %q", why)
	}
	if why := imageTooLarge([]byte("not an image")); why == "" {
		t.Error("garbage accepted as an image")
	}
}
