/*
 * Test scaffolding, never shipped: a stand-in for bcryptprimitives.dll,
 * which Debian 12's Wine 8.0 does not have. Every Go >= 1.22 Windows
 * binary calls its ProcessPrng at start (the runtime's random source) and
 * dies with "bcryptprimitives.dll not found" without it. This one answers
 * with RtlGenRandom (advapi32's SystemFunction036), which Wine has.
 * packaging/wine/test.sh builds it with x86_64-w64-mingw32-gcc and copies
 * it into the throw-away Wine prefix's system32, the only folder Go loads
 * it from.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
