/* Q6: calls over a range that contains a hole: errno, and were mapped parts changed? */
#include "probe.h"
#include <sys/mman.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;
static unsigned long X = 0x500000000UL;

/* A = [X, X+2p), hole [X+2p, X+3p), B = [X+3p, X+5p) */
static void setup(long prot)
{
	MUNMAP(X - 4 * PG, 16 * PG);
	MMAP(X, 2 * PG, prot, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, prot, AP | MAP_FIXED, -1, 0);
}
static void flags(void)
{
	smaps_field(X, "VmFlags");
	smaps_field(X + 3 * PG, "VmFlags");
}

int main(void)
{
	probe_init();
	char path[64];
	snprintf(path, sizeof path, "/tmp/probe06_%d", getuid());
	int f = make_file(path, 8 * PG);

	SECTION("mprotect");
	setup(RW);
	maps("layout A | hole | B", X, X + 5 * PG);
	SHOW("mprotect(A.start, 5 pages, R)", MPROTECT(X, 5 * PG, PROT_READ));
	maps("after", X, X + 5 * PG);
	setup(RW);
	SHOW("mprotect(A.start, 3 pages, R)  (A then hole)", MPROTECT(X, 3 * PG, PROT_READ));
	maps("after", X, X + 5 * PG);
	setup(RW);
	SHOW("mprotect(A.start+1p, 3 pages, R) (half A, hole, 1 page of B)", MPROTECT(X + PG, 3 * PG, PROT_READ));
	maps("after", X, X + 5 * PG);
	setup(RW);
	SHOW("mprotect(hole, 3 pages, R) (hole then B)", MPROTECT(X + 2 * PG, 3 * PG, PROT_READ));
	maps("after", X, X + 5 * PG);
	setup(RW);
	SHOW("mprotect(hole, 1 page, R) (only hole)", MPROTECT(X + 2 * PG, PG, PROT_READ));
	SHOW("mprotect(A.start, 5 pages, PROT_EXEC|0x10 bad bits)", MPROTECT(X, 5 * PG, PROT_EXEC | 0x10));
	maps("after", X, X + 5 * PG);

	SECTION("madvise");
	setup(RW);
	SHOW("madvise(A.start, 5 pages, MADV_DONTFORK)", MADVISE(X, 5 * PG, MADV_DONTFORK));
	maps("after", X, X + 5 * PG);
	flags();
	setup(RW);
	SHOW("madvise(hole, 3 pages, MADV_DONTFORK) (starts in hole)", MADVISE(X + 2 * PG, 3 * PG, MADV_DONTFORK));
	flags();
	setup(RW);
	SHOW("madvise(hole, 1 page, MADV_DONTFORK) (only hole)", MADVISE(X + 2 * PG, PG, MADV_DONTFORK));
	SHOW("madvise(A+1p, 3 pages, MADV_DONTFORK) (splits A and B?)", MADVISE(X + PG, 3 * PG, MADV_DONTFORK));
	maps("after", X, X + 5 * PG);
	setup(RW);
	*(volatile char *)X = 7;
	*(volatile char *)(X + 3 * PG) = 7;
	SHOW("madvise(A.start, 5 pages, MADV_DONTNEED)", MADVISE(X, 5 * PG, MADV_DONTNEED));
	printf("    after: A[0]=%d B[0]=%d (0 = zapped)\n", *(volatile char *)X, *(volatile char *)(X + 3 * PG));
	SHOW("madvise(A.start, 5 pages, MADV_NORMAL)", MADVISE(X, 5 * PG, MADV_NORMAL));
	SHOW("madvise(A.start, 5 pages, MADV_WILLNEED)", MADVISE(X, 5 * PG, MADV_WILLNEED));
	SHOW("madvise(A.start, 5 pages, MADV_FREE)", MADVISE(X, 5 * PG, MADV_FREE));
	SHOW("madvise(A.start, 5 pages, MADV_COLD)", MADVISE(X, 5 * PG, 20));
	SHOW("madvise(A.start, 5 pages, MADV_PAGEOUT)", MADVISE(X, 5 * PG, 21));
	SHOW("madvise(A.start, 5 pages, MADV_HUGEPAGE)", MADVISE(X, 5 * PG, MADV_HUGEPAGE));
	flags();
	SHOW("madvise(A.start, 5 pages, MADV_POPULATE_READ)", MADVISE(X, 5 * PG, 22));
	SHOW("madvise(A.start, 5 pages, MADV_POPULATE_WRITE)", MADVISE(X, 5 * PG, 23));
	SHOW("madvise(A.start, 5 pages, MADV_REMOVE)", MADVISE(X, 5 * PG, MADV_REMOVE));
	SHOW("madvise(A.start, 5 pages, MADV_WIPEONFORK)", MADVISE(X, 5 * PG, MADV_WIPEONFORK));
	flags();
	SHOW("madvise(A.start, 5 pages, MADV_DODUMP)", MADVISE(X, 5 * PG, MADV_DODUMP));
	SHOW("madvise(A.start, 5 pages, 999 invalid)", MADVISE(X, 5 * PG, 999));
	SHOW("madvise(hole only, MADV_NORMAL)", MADVISE(X + 2 * PG, PG, MADV_NORMAL));
	SHOW("madvise(hole only, MADV_WILLNEED)", MADVISE(X + 2 * PG, PG, MADV_WILLNEED));
	SHOW("madvise(hole only, MADV_DONTNEED)", MADVISE(X + 2 * PG, PG, MADV_DONTNEED));
	SHOW("madvise(hole only, MADV_POPULATE_READ)", MADVISE(X + 2 * PG, PG, 22));
	SHOW("madvise(hole only, MADV_COLLAPSE)", MADVISE(X + 2 * PG, PG, 25));
	SHOW("madvise(A.start, 5 pages, MADV_COLLAPSE)", MADVISE(X, 5 * PG, 25));
	SHOW("madvise(hole only, MADV_GUARD_INSTALL)", MADVISE(X + 2 * PG, PG, 102));
	SHOW("madvise(A.start, 5 pages, MADV_GUARD_INSTALL)", MADVISE(X, 5 * PG, 102));
	SHOW("madvise(A.start, 5 pages, MADV_GUARD_REMOVE)", MADVISE(X, 5 * PG, 103));

	SECTION("mlock / munlock");
	setup(RW);
	SHOW("mlock(A.start, 5 pages)", MLOCK(X, 5 * PG));
	maps("after", X, X + 5 * PG);
	flags();
	status_field("VmLck");
	SHOW("munlock(A.start, 5 pages)", MUNLOCK(X, 5 * PG));
	flags();
	status_field("VmLck");
	setup(RW);
	SHOW("mlock(hole, 3 pages) (starts in hole)", MLOCK(X + 2 * PG, 3 * PG));
	flags();
	setup(RW);
	SHOW("mlock(A+1p, 3 pages) (half A, hole, half B)", MLOCK(X + PG, 3 * PG));
	maps("after", X, X + 5 * PG);
	flags();
	status_field("VmLck");
	SHOW("mlock(hole only)", MLOCK(X + 2 * PG, PG));
	SHOW("mlock2(A.start, 5 pages, ONFAULT)", MLOCK2(X, 5 * PG, MLOCK_ONFAULT));
	flags();
	SHOW("munlock(hole only)", MUNLOCK(X + 2 * PG, PG));
	SHOW("munlock(A.start, 5 pages)", MUNLOCK(X, 5 * PG));
	maps("after", X, X + 5 * PG);
	flags();
	status_field("VmLck");

	SECTION("msync");
	MUNMAP(X - 4 * PG, 16 * PG);
	MMAP(X, 2 * PG, RW, MAP_SHARED | MAP_FIXED, f, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, MAP_SHARED | MAP_FIXED, f, 3 * PG);
	maps("file-backed A | hole | B", X, X + 5 * PG);
	SHOW("msync(A.start, 5 pages, MS_SYNC)", MSYNC(X, 5 * PG, MS_SYNC));
	SHOW("msync(A.start, 5 pages, MS_ASYNC)", MSYNC(X, 5 * PG, MS_ASYNC));
	SHOW("msync(A.start, 5 pages, 0)", MSYNC(X, 5 * PG, 0));
	SHOW("msync(hole, 1 page, MS_SYNC)", MSYNC(X + 2 * PG, PG, MS_SYNC));
	SHOW("msync(hole, 1 page, 0)", MSYNC(X + 2 * PG, PG, 0));
	SHOW("msync(hole, 3 pages, MS_SYNC) starts in hole", MSYNC(X + 2 * PG, 3 * PG, MS_SYNC));
	SHOW("msync(A.start, 2 pages, MS_SYNC) no hole", MSYNC(X, 2 * PG, MS_SYNC));
	setup(RW);
	SHOW("anon: msync(A.start, 5 pages, MS_SYNC)", MSYNC(X, 5 * PG, MS_SYNC));

	SECTION("mincore");
	setup(RW);
	*(volatile char *)X = 1;
	*(volatile char *)(X + 3 * PG) = 1;
	unsigned char vec[8];
	memset(vec, 0xaa, sizeof vec);
	SHOW("mincore(A.start, 5 pages)", MINCORE(X, 5 * PG, vec));
	printf("    vec = %02x %02x %02x %02x %02x (0xaa = untouched)\n", vec[0], vec[1], vec[2], vec[3], vec[4]);
	memset(vec, 0xaa, sizeof vec);
	SHOW("mincore(hole, 3 pages)", MINCORE(X + 2 * PG, 3 * PG, vec));
	printf("    vec = %02x %02x %02x\n", vec[0], vec[1], vec[2]);
	memset(vec, 0xaa, sizeof vec);
	SHOW("mincore(A.start, 2 pages)", MINCORE(X, 2 * PG, vec));
	printf("    vec = %02x %02x\n", vec[0], vec[1]);
	sc(SYS_unlink, path);
	return 0;
}
