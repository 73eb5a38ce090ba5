/* Q22: msync and mincore — argument checks, holes, MS_INVALIDATE on locked
 * memory, what mincore reports for untouched, touched, locked, file and
 * special pages, and how far it fills the vector before an error. */
#include "probe.h"
#include <sys/mman.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;
#define X 0x500000000UL
#define TOP 0x7ffffffff000UL

static unsigned long special(const char *name)
{
	static char buf[1 << 16];
	read_file_("/proc/self/maps", buf, sizeof buf);
	char *p = strstr(buf, name);
	if (!p)
		return 0;
	while (p > buf && p[-1] != '\n')
		p--;
	return strtoul(p, NULL, 16);
}

static unsigned char vec[64];
static void mc(const char *label, unsigned long a, unsigned long len, unsigned n)
{
	memset(vec, 0xee, sizeof vec);
	long r = MINCORE(a, len, vec);
	printf("  %-66s -> %s  vec:", label, rs(r));
	for (unsigned i = 0; i < n; i++)
		printf(" %x", vec[i]);
	printf("\n");
}

static void msync_args(const char *path)
{
	int fd = make_file(path, 4 * PG);
	SECTION("msync argument checks (4-page shared file at X)");
	MMAP(X, 4 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	SHOW("flags 0", MSYNC(X, PG, 0));
	SHOW("MS_ASYNC", MSYNC(X, PG, MS_ASYNC));
	SHOW("MS_SYNC", MSYNC(X, PG, MS_SYNC));
	SHOW("MS_INVALIDATE", MSYNC(X, PG, MS_INVALIDATE));
	SHOW("MS_SYNC|MS_INVALIDATE", MSYNC(X, PG, MS_SYNC | MS_INVALIDATE));
	SHOW("MS_ASYNC|MS_SYNC", MSYNC(X, PG, MS_ASYNC | MS_SYNC));
	SHOW("flag 8", MSYNC(X, PG, 8));
	SHOW("flag -1", MSYNC(X, PG, -1));
	SHOW("flags 0x100000004 (MS_SYNC in the low 32 bits)", MSYNC(X, PG, 0x100000004UL));
	SHOW("unaligned start", MSYNC(X + 1, PG, MS_SYNC));
	SHOW("unaligned start, flag 8", MSYNC(X + 1, PG, 8));
	SHOW("unaligned start, MS_ASYNC|MS_SYNC", MSYNC(X + 1, PG, MS_ASYNC | MS_SYNC));
	SHOW("unaligned start, len 0", MSYNC(X + 1, 0, MS_SYNC));
	SHOW("len 0", MSYNC(X, 0, MS_SYNC));
	SHOW("len 0 unmapped", MSYNC(0x10000000UL, 0, MS_SYNC));
	SHOW("len 0, MS_ASYNC|MS_SYNC", MSYNC(X, 0, MS_ASYNC | MS_SYNC));
	SHOW("len 1", MSYNC(X, 1, MS_SYNC));
	SHOW("len -1 (rounds to 0)", MSYNC(X, -1UL, MS_SYNC));
	SHOW("len -4096 (wraps)", MSYNC(X, -4096UL, MS_SYNC));
	SHOW("len up to 2^47", MSYNC(X, (1UL << 47) - X, MS_SYNC));
	SHOW("len beyond 2^47", MSYNC(X, (1UL << 47) - X + PG, MS_SYNC));
	SHOW("start 2^47", MSYNC(1UL << 47, PG, MS_SYNC));
	SHOW("start -8192, len 4096", MSYNC(-8192UL, PG, MS_SYNC));
	SHOW("unmapped", MSYNC(0x10000000UL, PG, MS_SYNC));
	SHOW("unmapped, flags 0", MSYNC(0x10000000UL, PG, 0));
	SHOW("unmapped, MS_ASYNC", MSYNC(0x10000000UL, PG, MS_ASYNC));
	SHOW("unmapped, MS_INVALIDATE", MSYNC(0x10000000UL, PG, MS_INVALIDATE));
	MUNMAP(X, 4 * PG);

	SECTION("msync with holes: [A 2p][hole][B 2p]");
	MMAP(X, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	static const int fl[] = { 0, MS_ASYNC, MS_SYNC, MS_INVALIDATE, MS_ASYNC | MS_INVALIDATE, MS_SYNC | MS_INVALIDATE };
	for (unsigned i = 0; i < 6; i++) {
		char l[80];
		snprintf(l, sizeof l, "flags %d over A..B", fl[i]);
		SHOW(l, MSYNC(X, 5 * PG, fl[i]));
		snprintf(l, sizeof l, "flags %d starting in the hole", fl[i]);
		SHOW(l, MSYNC(X + 2 * PG, 3 * PG, fl[i]));
		snprintf(l, sizeof l, "flags %d over A + hole (ends in hole)", fl[i]);
		SHOW(l, MSYNC(X, 3 * PG, fl[i]));
	}
	SHOW("mlock B", MLOCK(X + 3 * PG, 2 * PG));
	for (unsigned i = 0; i < 6; i++) {
		char l[80];
		snprintf(l, sizeof l, "flags %d over A..B(locked)", fl[i]);
		SHOW(l, MSYNC(X, 5 * PG, fl[i]));
		snprintf(l, sizeof l, "flags %d over [hole][B locked]", fl[i]);
		SHOW(l, MSYNC(X + 2 * PG, 3 * PG, fl[i]));
		snprintf(l, sizeof l, "flags %d over [B locked][hole]", fl[i]);
		SHOW(l, MSYNC(X + 3 * PG, 3 * PG, fl[i]));
	}
	SHOW("MS_INVALIDATE on B with mlock2 ONFAULT", (MUNLOCK(X + 3 * PG, 2 * PG), MLOCK2(X + 3 * PG, 2 * PG, MLOCK_ONFAULT), MSYNC(X + 3 * PG, 2 * PG, MS_INVALIDATE)));
	MUNMAP(X, 5 * PG);
	SHOW("msync vvar MS_SYNC|MS_INVALIDATE", MSYNC(special("[vvar]"), PG, MS_SYNC | MS_INVALIDATE));
	SHOW("msync vdso MS_SYNC", MSYNC(special("[vdso]"), PG, MS_SYNC));
	SHOW("msync stack MS_INVALIDATE", MSYNC(TOP - PG, PG, MS_INVALIDATE));
	sc(SYS_ftruncate, fd, PG);
	MMAP(X, 3 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	SHOW("msync MS_SYNC shared file past EOF", MSYNC(X, 3 * PG, MS_SYNC));
	MUNMAP(X, 3 * PG);
	sc(SYS_close, fd);
}

static void mincore_args(const char *path)
{
	int fd = make_file(path, 4 * PG);
	SECTION("mincore argument checks (4-page anon RW at X)");
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	mc("untouched 4 pages", X, 4 * PG, 5);
	mc("unaligned start", X + 1, PG, 1);
	mc("len 0", X, 0, 1);
	mc("len 0, unaligned", X + 1, 0, 1);
	mc("len 0 unmapped", 0x10000000UL, 0, 1);
	mc("len 1", X, 1, 2);
	mc("len PG+1", X, PG + 1, 3);
	SHOW("vec NULL, mapped", MINCORE(X, PG, 0));
	SHOW("vec NULL, unmapped", MINCORE(0x10000000UL, PG, 0));
	SHOW("vec NULL, len 0", MINCORE(X, 0, 0));
	SHOW("vec NULL, unaligned", MINCORE(X + 1, PG, 0));
	SHOW("vec = -1UL (kernel), unmapped", MINCORE(0x10000000UL, PG, -1L));
	SHOW("vec = 2^47 - 1 (last user byte), mapped 2 pages", MINCORE(X, 2 * PG, (1UL << 47) - 1));
	SHOW("vec = 2^47 - 4097 (in user range), 2 pages", MINCORE(X, 2 * PG, (1UL << 47) - 4097));
	mc("len -1", X, -1UL, 1);
	mc("len -4096", X, -4096UL, 1);
	mc("start+len == 2^47 - 4096 (TASK_SIZE_MAX)", X, TOP - X, 5);
	mc("start+len == 2^47 - 4096 + 1", X, TOP - X + 1, 5);
	mc("start+len == 2^47", X, (1UL << 47) - X, 5);
	mc("start 2^47 - 4096, len PG", TOP, PG, 1);
	mc("start 2^47 - 8192 (stack top page), len PG", TOP - PG, PG, 1);
	mc("start 2^47 - 8192 (stack top page), len 2 PG", TOP - PG, 2 * PG, 2);
	mc("unmapped", 0x10000000UL, PG, 1);
	*(volatile char *)(X + PG) = 1;
	mc("page 1 touched", X, 4 * PG, 5);
	(void)*(volatile char *)(X + 2 * PG);
	mc("page 2 read (zero page)", X, 4 * PG, 5);
	MUNMAP(X, 4 * PG);

	SECTION("mincore with holes: [A 2p][hole][B 2p], A touched");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	*(volatile char *)X = 1;
	*(volatile char *)(X + PG) = 1;
	*(volatile char *)(X + 3 * PG) = 1;
	mc("A..B", X, 5 * PG, 6);
	mc("starting in the hole", X + 2 * PG, 3 * PG, 4);
	mc("A + hole", X, 3 * PG, 4);
	mc("B + beyond", X + 3 * PG, 4 * PG, 5);
	MUNMAP(X, 5 * PG);

	SECTION("mincore: locked, populated, PROT_NONE");
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mlock pages 1-2", MLOCK(X + PG, 2 * PG));
	mc("after mlock", X, 4 * PG, 4);
	SHOW("munlock", MUNLOCK(X, 4 * PG));
	mc("after munlock", X, 4 * PG, 4);
	MUNMAP(X, 4 * PG);
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mlock2 ONFAULT all", MLOCK2(X, 4 * PG, MLOCK_ONFAULT));
	mc("after mlock2 ONFAULT", X, 4 * PG, 4);
	MUNMAP(X, 4 * PG);
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED | MAP_POPULATE, -1, 0);
	mc("MAP_POPULATE RW", X, 4 * PG, 4);
	MUNMAP(X, 4 * PG);
	MMAP(X, 4 * PG, PROT_READ, AP | MAP_FIXED | MAP_POPULATE, -1, 0);
	mc("MAP_POPULATE R", X, 4 * PG, 4);
	MUNMAP(X, 4 * PG);
	MMAP(X, 4 * PG, PROT_NONE, AP | MAP_FIXED | MAP_LOCKED, -1, 0);
	mc("PROT_NONE MAP_LOCKED", X, 4 * PG, 4);
	MUNMAP(X, 4 * PG);
	MMAP(X, 4 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	mc("shared anon untouched", X, 4 * PG, 4);
	*(volatile char *)X = 1;
	mc("shared anon page 0 touched", X, 4 * PG, 4);
	MUNMAP(X, 4 * PG);

	SECTION("mincore: files");
	MMAP(X, 4 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	mc("fresh ftruncate'd file, shared", X, 4 * PG, 4);
	MUNMAP(X, 4 * PG);
	MMAP(X, 4 * PG, RW, MAP_PRIVATE | MAP_FIXED, fd, 0);
	mc("fresh ftruncate'd file, private", X, 4 * PG, 4);
	MUNMAP(X, 4 * PG);
	sc(SYS_pwrite64, fd, "x", 1, PG);
	MMAP(X, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
	mc("after pwrite to page 1 (page cache)", X, 4 * PG, 4);
	MUNMAP(X, 4 * PG);
	sc(SYS_ftruncate, fd, PG);
	MMAP(X, 3 * PG, RW, MAP_SHARED | MAP_FIXED | MAP_LOCKED, fd, 0);
	mc("1-page file, 3-page MAP_LOCKED shared", X, 3 * PG, 3);
	MUNMAP(X, 3 * PG);
	int pw = (int)sc(SYS_open, "/etc/passwd", O_RDONLY);
	long r = MMAP(0, PG, PROT_READ, MAP_PRIVATE, pw, 0);
	mc("/etc/passwd (root-owned, 0644) private R", r, PG, 1);
	MUNMAP(r, PG);
	sc(SYS_close, pw);
	sc(SYS_close, fd);

	SECTION("mincore: special mappings");
	mc("vvar", special("[vvar]"), 4 * PG, 4);
	mc("vvar_vclock", special("[vvar_vclock]"), 2 * PG, 2);
	mc("vdso", special("[vdso]"), 2 * PG, 2);
	mc("vvar..vdso", special("[vvar]"), 8 * PG, 8);
}

int main(void)
{
	probe_init();
	char path[64];
	snprintf(path, sizeof path, "/tmp/probe22_%d", getuid());
	msync_args(path);
	mincore_args(path);
	sc(SYS_unlink, path);
	return 0;
}
