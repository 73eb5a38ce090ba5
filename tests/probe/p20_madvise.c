/* Q20: madvise — argument checks, the VMA walk with holes, flag-changing
 * advice (splits and merges, VmFlags), per-VMA refusals, and populate.
 * Run as root and as an unprivileged user by run.sh. */
#include "probe.h"
#include <sys/mman.h>

#ifndef MADV_FREE
#define MADV_FREE 8
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#endif
#ifndef MADV_COLD
#define MADV_COLD 20
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE 101
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#define MADV_GUARD_REMOVE 103
#endif

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;
#define X 0x500000000UL

/* One line per VMA overlapping [lo, hi): range and VmFlags. */
static void vmflags(const char *title, unsigned long lo, unsigned long hi)
{
	static char buf[1 << 20];
	unsigned long s = 0, t = 0, s2, t2;

	read_file_("/proc/self/smaps", buf, sizeof buf);
	printf("  vmflags %s:\n", title);
	for (char *l = buf; *l;) {
		char *e = strchr(l, '\n');
		if (!e)
			break;
		*e = 0;
		if (sscanf(l, "%lx-%lx ", &s2, &t2) == 2) {
			s = s2; /* a header line: remember the range */
			t = t2;
		} else if (!strncmp(l, "VmFlags:", 8) && s < hi && t > lo) {
			printf("    |%lx-%lx %s|\n", s, t, l + 9);
		}
		l = e + 1;
	}
}

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

static void args(void)
{
	SECTION("argument checks (4-page anon RW at X)");
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	static const int bad[] = { 5, 6, 7, 11, 13, 17, 26, 27, 99, 101, 104, 105, 200, -1, 0x10000 };
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char l[64];
		snprintf(l, sizeof l, "advice %d", bad[i]);
		SHOW(l, MADVISE(X, PG, bad[i]));
	}
	static const int good[] = { MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED,
		MADV_DONTNEED, MADV_FREE, MADV_REMOVE, MADV_DONTFORK, MADV_DOFORK, MADV_MERGEABLE,
		MADV_UNMERGEABLE, MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_DODUMP,
		MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT, MADV_POPULATE_READ,
		MADV_POPULATE_WRITE, MADV_DONTNEED_LOCKED, MADV_COLLAPSE, MADV_GUARD_INSTALL,
		MADV_GUARD_REMOVE };
	for (unsigned i = 0; i < sizeof good / sizeof good[0]; i++) {
		char l[64];
		snprintf(l, sizeof l, "advice %d on private anon", good[i]);
		SHOW(l, MADVISE(X, PG, good[i]));
	}
	vmflags("after all", X, X + 4 * PG);
	MUNMAP(X, 4 * PG);
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("unaligned start, NORMAL", MADVISE(X + 1, PG, MADV_NORMAL));
	SHOW("unaligned start, bad advice 5", MADVISE(X + 1, PG, 5));
	SHOW("len 0, bad advice 5", MADVISE(X, 0, 5));
	SHOW("len 0, unmapped start", MADVISE(0x10000000UL, 0, MADV_NORMAL));
	SHOW("len 0, unaligned start", MADVISE(X + 1, 0, MADV_NORMAL));
	SHOW("len -1 (rounds to 0)", MADVISE(X, -1UL, MADV_NORMAL));
	SHOW("len -4096 (wraps)", MADVISE(X, -4096UL, MADV_NORMAL));
	SHOW("len 1 (one page)", MADVISE(X, 1, MADV_RANDOM));
	vmflags("", X, X + 4 * PG);
	SHOW("start+len up to 2^47", MADVISE(X, (1UL << 47) - X, MADV_NORMAL));
	SHOW("start+len beyond 2^47", MADVISE(X, (1UL << 47) - X + PG, MADV_NORMAL));
	SHOW("start at 2^47", MADVISE(1UL << 47, PG, MADV_NORMAL));
	SHOW("start at -4096, len 4096", MADVISE(-4096UL, PG, MADV_NORMAL));
	SHOW("unmapped range", MADVISE(0x10000000UL, PG, MADV_NORMAL));
	SHOW("unmapped range, DONTNEED", MADVISE(0x10000000UL, PG, MADV_DONTNEED));
	SHOW("unmapped range, WILLNEED", MADVISE(0x10000000UL, PG, MADV_WILLNEED));
	SHOW("unmapped range, POPULATE_READ", MADVISE(0x10000000UL, PG, MADV_POPULATE_READ));
	SHOW("unmapped range, HWPOISON", MADVISE(0x10000000UL, PG, MADV_HWPOISON));
	SHOW("unmapped range, SOFT_OFFLINE", MADVISE(0x10000000UL, PG, MADV_SOFT_OFFLINE));
	SHOW("len 0, HWPOISON", MADVISE(X, 0, MADV_HWPOISON));
	SHOW("unaligned, HWPOISON", MADVISE(X + 1, PG, MADV_HWPOISON));
	SHOW("advice 0x100000001 (RANDOM in the low 32 bits)", MADVISE(X, PG, 0x100000001UL));
	vmflags("", X, X + 4 * PG);
	SHOW("advice 0x100000000 (NORMAL in the low 32 bits)", MADVISE(X, PG, 0x100000000UL));
	vmflags("", X, X + 4 * PG);
	if (getuid() != 0)
		SHOW("mapped, HWPOISON (non-root only)", MADVISE(X, PG, MADV_HWPOISON));
	MUNMAP(X, 4 * PG);
}

static void flags_one(const char *name, int on, int off)
{
	char l[96];
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	snprintf(l, sizeof l, "%s on middle 2 pages", name);
	SHOW(l, MADVISE(X + PG, 2 * PG, on));
	vmflags("", X, X + 4 * PG);
	snprintf(l, sizeof l, "%s on the whole 4 pages", name);
	SHOW(l, MADVISE(X, 4 * PG, on));
	maps("", X, X + 4 * PG);
	if (off >= 0) {
		snprintf(l, sizeof l, "undo (%d) on page 1", off);
		SHOW(l, MADVISE(X + PG, PG, off));
		vmflags("", X, X + 4 * PG);
		SHOW("undo on all", MADVISE(X, 4 * PG, off));
		vmflags("", X, X + 4 * PG);
	}
	MUNMAP(X, 4 * PG);
}

static void flag_advice(void)
{
	SECTION("flag-changing advice: split and merge");
	flags_one("RANDOM", MADV_RANDOM, MADV_NORMAL);
	flags_one("SEQUENTIAL", MADV_SEQUENTIAL, MADV_NORMAL);
	flags_one("DONTFORK", MADV_DONTFORK, MADV_DOFORK);
	flags_one("WIPEONFORK", MADV_WIPEONFORK, MADV_KEEPONFORK);
	flags_one("DONTDUMP", MADV_DONTDUMP, MADV_DODUMP);
	flags_one("HUGEPAGE", MADV_HUGEPAGE, MADV_NOHUGEPAGE);
	flags_one("NOHUGEPAGE", MADV_NOHUGEPAGE, MADV_HUGEPAGE);
	flags_one("MERGEABLE", MADV_MERGEABLE, MADV_UNMERGEABLE);
	SECTION("RANDOM then SEQUENTIAL on the same page");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MADVISE(X, PG, MADV_RANDOM);
	SHOW("SEQUENTIAL page 0", MADVISE(X, PG, MADV_SEQUENTIAL));
	vmflags("", X, X + 2 * PG);
	MUNMAP(X, 2 * PG);
}

static void walk(void)
{
	SECTION("walk: [A 2p][hole 1p][B 2p]");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("DONTFORK over A..B", MADVISE(X, 5 * PG, MADV_DONTFORK));
	vmflags("", X, X + 5 * PG);
	SHOW("DOFORK starting in the hole", MADVISE(X + 2 * PG, 2 * PG, MADV_DOFORK));
	vmflags("", X, X + 5 * PG);
	SHOW("DOFORK over A+hole only (ends in the hole)", MADVISE(X, 3 * PG, MADV_DOFORK));
	vmflags("", X, X + 5 * PG);
	SHOW("DONTNEED over A..B", MADVISE(X, 5 * PG, MADV_DONTNEED));
	SHOW("WILLNEED over A..B", MADVISE(X, 5 * PG, MADV_WILLNEED));
	SHOW("COLD over A..B", MADVISE(X, 5 * PG, MADV_COLD));
	SHOW("FREE over A..B", MADVISE(X, 5 * PG, MADV_FREE));
	SHOW("POPULATE_READ over A..B", MADVISE(X, 5 * PG, MADV_POPULATE_READ));
	SHOW("POPULATE_WRITE over A..B", MADVISE(X, 5 * PG, MADV_POPULATE_WRITE));
	SHOW("GUARD_REMOVE over A..B", MADVISE(X, 5 * PG, MADV_GUARD_REMOVE));
	SHOW("RANDOM over A..B and beyond", MADVISE(X, 8 * PG, MADV_RANDOM));
	vmflags("", X, X + 8 * PG);
	MUNMAP(X, 5 * PG);

	SECTION("walk: an error after a success: [anon][shared anon] WIPEONFORK");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	SHOW("WIPEONFORK over both", MADVISE(X, 4 * PG, MADV_WIPEONFORK));
	vmflags("", X, X + 4 * PG);
	SHOW("WIPEONFORK over [hole][shared]", MADVISE(X - PG, 3 * PG + PG, MADV_WIPEONFORK));
	MUNMAP(X, 4 * PG);
	MMAP(X, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("WIPEONFORK over [shared][anon]", MADVISE(X, 4 * PG, MADV_WIPEONFORK));
	vmflags("", X, X + 4 * PG);
	SHOW("WIPEONFORK over [shared][anon][hole]", MADVISE(X, 5 * PG, MADV_WIPEONFORK));
	MUNMAP(X, 4 * PG);

	SECTION("walk: merge with next while walking: [A RANDOM][B][C RANDOM]");
	MMAP(X, 3 * PG, RW, AP | MAP_FIXED, -1, 0);
	MADVISE(X, PG, MADV_RANDOM);
	MADVISE(X + 2 * PG, PG, MADV_RANDOM);
	vmflags("before", X, X + 3 * PG);
	SHOW("RANDOM over all 3", MADVISE(X, 3 * PG, MADV_RANDOM));
	vmflags("after", X, X + 3 * PG);
	MUNMAP(X, 3 * PG);
}

static void per_vma(const char *path)
{
	int fd = make_file(path, 4 * PG);
	int fro = (int)sc(SYS_open, path, O_RDONLY);
	int fz = (int)sc(SYS_open, "/dev/zero", O_RDWR);
	unsigned long vvar = special("[vvar]"), vdso = special("[vdso]");
	long r;

	SECTION("locked private anon (mlock)");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mlock", MLOCK(X, 2 * PG));
	SHOW("DONTNEED", MADVISE(X, PG, MADV_DONTNEED));
	SHOW("DONTNEED_LOCKED", MADVISE(X, PG, MADV_DONTNEED_LOCKED));
	SHOW("FREE", MADVISE(X, PG, MADV_FREE));
	SHOW("COLD", MADVISE(X, PG, MADV_COLD));
	SHOW("PAGEOUT", MADVISE(X, PG, MADV_PAGEOUT));
	SHOW("REMOVE", MADVISE(X, PG, MADV_REMOVE));
	SHOW("WILLNEED", MADVISE(X, PG, MADV_WILLNEED));
	SHOW("GUARD_INSTALL", MADVISE(X, PG, MADV_GUARD_INSTALL));
	SHOW("GUARD_REMOVE", MADVISE(X, PG, MADV_GUARD_REMOVE));
	SHOW("POPULATE_READ", MADVISE(X, PG, MADV_POPULATE_READ));
	SHOW("POPULATE_WRITE", MADVISE(X, PG, MADV_POPULATE_WRITE));
	SHOW("COLLAPSE", MADVISE(X, PG, MADV_COLLAPSE));
	SHOW("DONTFORK", MADVISE(X, PG, MADV_DONTFORK));
	vmflags("", X, X + 2 * PG);
	MUNMAP(X, 2 * PG);

	SECTION("mlock2 ONFAULT private anon");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mlock2 ONFAULT", MLOCK2(X, 2 * PG, MLOCK_ONFAULT));
	SHOW("DONTNEED", MADVISE(X, PG, MADV_DONTNEED));
	SHOW("GUARD_INSTALL", MADVISE(X, PG, MADV_GUARD_INSTALL));
	MUNMAP(X, 2 * PG);

	SECTION("shared anon");
	MMAP(X, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	SHOW("FREE", MADVISE(X, PG, MADV_FREE));
	SHOW("DONTNEED", MADVISE(X, PG, MADV_DONTNEED));
	SHOW("REMOVE", MADVISE(X, PG, MADV_REMOVE));
	SHOW("WIPEONFORK", MADVISE(X, PG, MADV_WIPEONFORK));
	SHOW("KEEPONFORK", MADVISE(X, PG, MADV_KEEPONFORK));
	SHOW("MERGEABLE", MADVISE(X, PG, MADV_MERGEABLE));
	SHOW("HUGEPAGE", MADVISE(X, PG, MADV_HUGEPAGE));
	SHOW("COLD", MADVISE(X, PG, MADV_COLD));
	SHOW("PAGEOUT", MADVISE(X, PG, MADV_PAGEOUT));
	SHOW("WILLNEED", MADVISE(X, PG, MADV_WILLNEED));
	SHOW("COLLAPSE", MADVISE(X, PG, MADV_COLLAPSE));
	SHOW("POPULATE_WRITE", MADVISE(X, PG, MADV_POPULATE_WRITE));
	SHOW("GUARD_INSTALL", MADVISE(X, PG, MADV_GUARD_INSTALL));
	SHOW("POPULATE_WRITE over the guard page", MADVISE(X, PG, MADV_POPULATE_WRITE));
	vmflags("", X, X + 2 * PG);
	MUNMAP(X, 2 * PG);

	SECTION("shared anon, PROT_READ");
	MMAP(X, 2 * PG, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	SHOW("REMOVE", MADVISE(X, PG, MADV_REMOVE));
	SHOW("POPULATE_WRITE", MADVISE(X, PG, MADV_POPULATE_WRITE));
	SHOW("POPULATE_READ", MADVISE(X, PG, MADV_POPULATE_READ));
	MUNMAP(X, 2 * PG);

	SECTION("private /dev/zero");
	MMAP(X, 2 * PG, RW, MAP_PRIVATE | MAP_FIXED, fz, 0);
	SHOW("FREE", MADVISE(X, PG, MADV_FREE));
	SHOW("WIPEONFORK", MADVISE(X, PG, MADV_WIPEONFORK));
	SHOW("REMOVE", MADVISE(X, PG, MADV_REMOVE));
	vmflags("", X, X + 2 * PG);
	MUNMAP(X, 2 * PG);

	SECTION("private file RW (4-page file)");
	MMAP(X, 2 * PG, RW, MAP_PRIVATE | MAP_FIXED, fd, 0);
	SHOW("FREE", MADVISE(X, PG, MADV_FREE));
	SHOW("WIPEONFORK", MADVISE(X, PG, MADV_WIPEONFORK));
	SHOW("REMOVE", MADVISE(X, PG, MADV_REMOVE));
	SHOW("DONTNEED", MADVISE(X, PG, MADV_DONTNEED));
	SHOW("WILLNEED", MADVISE(X, PG, MADV_WILLNEED));
	SHOW("MERGEABLE", MADVISE(X, PG, MADV_MERGEABLE));
	SHOW("COLLAPSE", MADVISE(X, PG, MADV_COLLAPSE));
	SHOW("GUARD_INSTALL", MADVISE(X, PG, MADV_GUARD_INSTALL));
	SHOW("GUARD_REMOVE", MADVISE(X, PG, MADV_GUARD_REMOVE));
	SHOW("PAGEOUT", MADVISE(X, PG, MADV_PAGEOUT));
	vmflags("", X, X + 2 * PG);
	MUNMAP(X, 2 * PG);

	SECTION("shared file");
	MMAP(X, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	SHOW("RW fd, PROT_RW: REMOVE", MADVISE(X, PG, MADV_REMOVE));
	SHOW("RW fd, PROT_RW: FREE", MADVISE(X, PG, MADV_FREE));
	SHOW("RW fd, PROT_RW: WIPEONFORK", MADVISE(X, PG, MADV_WIPEONFORK));
	SHOW("RW fd, PROT_RW: MERGEABLE", MADVISE(X, PG, MADV_MERGEABLE));
	SHOW("RW fd, PROT_RW: POPULATE_WRITE", MADVISE(X, PG, MADV_POPULATE_WRITE));
	SHOW("RW fd, PROT_RW: mlock then REMOVE", (MLOCK(X, PG), MADVISE(X, PG, MADV_REMOVE)));
	MUNLOCK(X, PG);
	MUNMAP(X, 2 * PG);
	MMAP(X, 2 * PG, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
	SHOW("RW fd, PROT_READ: REMOVE", MADVISE(X, PG, MADV_REMOVE));
	SHOW("RW fd, PROT_READ: POPULATE_WRITE", MADVISE(X, PG, MADV_POPULATE_WRITE));
	MUNMAP(X, 2 * PG);
	MMAP(X, 2 * PG, PROT_READ, MAP_SHARED | MAP_FIXED, fro, 0);
	SHOW("RO fd: REMOVE", MADVISE(X, PG, MADV_REMOVE));
	SHOW("RO fd: POPULATE_READ", MADVISE(X, PG, MADV_POPULATE_READ));
	SHOW("RO fd: PAGEOUT", MADVISE(X, PG, MADV_PAGEOUT));
	MUNMAP(X, 2 * PG);
	MMAP(X, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fro, 0);
	SHOW("RO fd private: REMOVE", MADVISE(X, PG, MADV_REMOVE));
	MUNMAP(X, 2 * PG);

	SECTION("file past EOF (1-page file, 3-page mapping)");
	sc(SYS_ftruncate, fd, PG);
	MMAP(X, 3 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	SHOW("shared: POPULATE_READ all", MADVISE(X, 3 * PG, MADV_POPULATE_READ));
	SHOW("shared: POPULATE_READ page 0", MADVISE(X, PG, MADV_POPULATE_READ));
	SHOW("shared: POPULATE_WRITE all", MADVISE(X, 3 * PG, MADV_POPULATE_WRITE));
	SHOW("shared: POPULATE_READ page 2", MADVISE(X + 2 * PG, PG, MADV_POPULATE_READ));
	SHOW("shared: WILLNEED all", MADVISE(X, 3 * PG, MADV_WILLNEED));
	SHOW("shared: REMOVE all", MADVISE(X, 3 * PG, MADV_REMOVE));
	MUNMAP(X, 3 * PG);
	MMAP(X, 3 * PG, RW, MAP_PRIVATE | MAP_FIXED, fd, 0);
	SHOW("private: POPULATE_WRITE all", MADVISE(X, 3 * PG, MADV_POPULATE_WRITE));
	MUNMAP(X, 3 * PG);
	sc(SYS_ftruncate, fd, 4 * PG);

	SECTION("PROT_NONE / PROT_READ private anon");
	MMAP(X, 2 * PG, PROT_NONE, AP | MAP_FIXED, -1, 0);
	SHOW("NONE: POPULATE_READ", MADVISE(X, PG, MADV_POPULATE_READ));
	SHOW("NONE: POPULATE_WRITE", MADVISE(X, PG, MADV_POPULATE_WRITE));
	SHOW("NONE: DONTNEED", MADVISE(X, PG, MADV_DONTNEED));
	SHOW("NONE: GUARD_INSTALL", MADVISE(X, PG, MADV_GUARD_INSTALL));
	MUNMAP(X, 2 * PG);
	MMAP(X, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	SHOW("R: POPULATE_READ", MADVISE(X, PG, MADV_POPULATE_READ));
	SHOW("R: POPULATE_WRITE", MADVISE(X, PG, MADV_POPULATE_WRITE));
	MUNMAP(X, 2 * PG);
	MMAP(X, 2 * PG, PROT_WRITE, AP | MAP_FIXED, -1, 0);
	SHOW("W-only: POPULATE_READ", MADVISE(X, PG, MADV_POPULATE_READ));
	SHOW("W-only: POPULATE_WRITE", MADVISE(X, PG, MADV_POPULATE_WRITE));
	MUNMAP(X, 2 * PG);
	MMAP(X, 2 * PG, PROT_EXEC, AP | MAP_FIXED, -1, 0);
	SHOW("X-only: POPULATE_READ", MADVISE(X, PG, MADV_POPULATE_READ));
	MUNMAP(X, 2 * PG);

	SECTION("POPULATE with a hole / a bad VMA after a good one");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("POPULATE_WRITE [A][hole][B]", MADVISE(X, 5 * PG, MADV_POPULATE_WRITE));
	SHOW("mmap FIXED hole page (does A merge with B?)", MMAP(X + 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0));
	maps("A..B", X, X + 5 * PG);
	MUNMAP(X, 5 * PG);
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("POPULATE_WRITE A and B separately", MADVISE(X, 2 * PG, MADV_POPULATE_WRITE) | MADVISE(X + 3 * PG, 2 * PG, MADV_POPULATE_WRITE));
	SHOW("mmap FIXED hole page", MMAP(X + 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0));
	maps("A..B", X, X + 5 * PG);
	MUNMAP(X, 5 * PG);
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("POPULATE_READ A and B separately", MADVISE(X, 2 * PG, MADV_POPULATE_READ) | MADVISE(X + 3 * PG, 2 * PG, MADV_POPULATE_READ));
	SHOW("mmap FIXED hole page", MMAP(X + 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0));
	maps("A..B", X, X + 5 * PG);
	MUNMAP(X, 5 * PG);
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("GUARD_INSTALL on A and B separately", MADVISE(X, PG, MADV_GUARD_INSTALL) | MADVISE(X + 3 * PG, PG, MADV_GUARD_INSTALL));
	SHOW("mmap FIXED hole page", MMAP(X + 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0));
	maps("A..B", X, X + 5 * PG);
	MUNMAP(X, 5 * PG);
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	MMAP(X + 5 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("POPULATE_WRITE [RW][R][hole][RW]", MADVISE(X, 7 * PG, MADV_POPULATE_WRITE));
	SHOW("mprotect RW over [RW][R] (merge if anon_vma compatible)", MPROTECT(X, 4 * PG, RW));
	maps("", X, X + 7 * PG);
	MUNMAP(X, 7 * PG);
	SHOW("POPULATE_READ start in hole then mapped", (MMAP(X + PG, PG, RW, AP | MAP_FIXED, -1, 0), MADVISE(X, 2 * PG, MADV_POPULATE_READ)));
	MUNMAP(X, 2 * PG);

	SECTION("special mappings: [vvar] and [vdso]");
	SHOW("vvar DONTNEED", MADVISE(vvar, PG, MADV_DONTNEED));
	SHOW("vvar DONTNEED_LOCKED", MADVISE(vvar, PG, MADV_DONTNEED_LOCKED));
	SHOW("vvar FREE", MADVISE(vvar, PG, MADV_FREE));
	SHOW("vvar COLD", MADVISE(vvar, PG, MADV_COLD));
	SHOW("vvar WILLNEED", MADVISE(vvar, PG, MADV_WILLNEED));
	SHOW("vvar REMOVE", MADVISE(vvar, PG, MADV_REMOVE));
	SHOW("vvar DOFORK", MADVISE(vvar, PG, MADV_DOFORK));
	SHOW("vvar DODUMP", MADVISE(vvar, PG, MADV_DODUMP));
	SHOW("vvar WIPEONFORK", MADVISE(vvar, PG, MADV_WIPEONFORK));
	SHOW("vvar MERGEABLE", MADVISE(vvar, PG, MADV_MERGEABLE));
	SHOW("vvar GUARD_INSTALL", MADVISE(vvar, PG, MADV_GUARD_INSTALL));
	SHOW("vvar GUARD_REMOVE", MADVISE(vvar, PG, MADV_GUARD_REMOVE));
	SHOW("vvar POPULATE_READ", MADVISE(vvar, PG, MADV_POPULATE_READ));
	SHOW("vvar COLLAPSE", MADVISE(vvar, PG, MADV_COLLAPSE));
	SHOW("vvar HUGEPAGE", MADVISE(vvar, PG, MADV_HUGEPAGE));
	SHOW("vvar DONTFORK", MADVISE(vvar, PG, MADV_DONTFORK));
	maps("vvar..vdso after", vvar, vdso + 2 * PG);
	vmflags("", vvar, vdso + 2 * PG);
	SHOW("vdso DONTNEED", MADVISE(vdso, PG, MADV_DONTNEED));
	SHOW("vdso FREE", MADVISE(vdso, PG, MADV_FREE));
	SHOW("vdso DODUMP", MADVISE(vdso, PG, MADV_DODUMP));
	SHOW("vdso DONTDUMP", MADVISE(vdso, PG, MADV_DONTDUMP));
	SHOW("vdso DOFORK", MADVISE(vdso, PG, MADV_DOFORK));
	SHOW("vdso WIPEONFORK", MADVISE(vdso, PG, MADV_WIPEONFORK));
	SHOW("vdso MERGEABLE", MADVISE(vdso, PG, MADV_MERGEABLE));
	SHOW("vdso GUARD_INSTALL", MADVISE(vdso, PG, MADV_GUARD_INSTALL));
	SHOW("vdso POPULATE_READ", MADVISE(vdso, PG, MADV_POPULATE_READ));
	SHOW("vdso RANDOM (page 0 of 2)", MADVISE(vdso, PG, MADV_RANDOM));
	maps("vdso after", vdso, vdso + 2 * PG);
	vmflags("", vdso, vdso + 2 * PG);
	SHOW("vdso NORMAL", MADVISE(vdso, PG, MADV_NORMAL));
	maps("vdso after", vdso, vdso + 2 * PG);
	SECTION("special mappings: whole-VMA flag changes");
	SHOW("vvar DONTFORK whole (4 pages)", MADVISE(vvar, 4 * PG, MADV_DONTFORK));
	SHOW("vvar HUGEPAGE whole", MADVISE(vvar, 4 * PG, MADV_HUGEPAGE));
	SHOW("vvar RANDOM whole", MADVISE(vvar, 4 * PG, MADV_RANDOM));
	SHOW("vvar DONTDUMP whole (already)", MADVISE(vvar, 4 * PG, MADV_DONTDUMP));
	SHOW("vdso DONTDUMP whole (2 pages)", MADVISE(vdso, 2 * PG, MADV_DONTDUMP));
	SHOW("vdso RANDOM whole", MADVISE(vdso, 2 * PG, MADV_RANDOM));
	SHOW("vdso HUGEPAGE whole", MADVISE(vdso, 2 * PG, MADV_HUGEPAGE));
	SHOW("vdso DONTFORK whole", MADVISE(vdso, 2 * PG, MADV_DONTFORK));
	SHOW("vdso DONTNEED_LOCKED", MADVISE(vdso, 2 * PG, MADV_DONTNEED_LOCKED));
	SHOW("vdso COLD", MADVISE(vdso, 2 * PG, MADV_COLD));
	SHOW("vdso REMOVE", MADVISE(vdso, 2 * PG, MADV_REMOVE));
	SHOW("vdso COLLAPSE", MADVISE(vdso, 2 * PG, MADV_COLLAPSE));
	SHOW("vdso POPULATE_WRITE", MADVISE(vdso, 2 * PG, MADV_POPULATE_WRITE));
	SHOW("vvar..vdso RANDOM (3 VMAs, whole)", MADVISE(vvar, 8 * PG, MADV_NORMAL));
	vmflags("", vvar, vdso + 2 * PG);
	SHOW("vdso DOFORK whole", MADVISE(vdso, 2 * PG, MADV_DOFORK));
	SHOW("vdso NOHUGEPAGE whole", MADVISE(vdso, 2 * PG, MADV_NOHUGEPAGE));
	SHOW("vdso NORMAL whole", MADVISE(vdso, 2 * PG, MADV_NORMAL));
	vmflags("", vdso, vdso + 2 * PG);
	(void)r;
	sc(SYS_close, fd);
	sc(SYS_close, fro);
	sc(SYS_close, fz);
	sc(SYS_unlink, path);
}

static void collapse(void)
{
	SECTION("COLLAPSE on anon");
	unsigned long a = 0x600000000UL; /* 2 MiB aligned */
	MMAP(a, 4 * MiB, RW, AP | MAP_FIXED, -1, 0);
	SHOW("COLLAPSE 4 pages (no whole PMD)", MADVISE(a, 4 * PG, MADV_COLLAPSE));
	SHOW("COLLAPSE 2 MiB untouched", MADVISE(a, 2 * MiB, MADV_COLLAPSE));
	SHOW("COLLAPSE 2 MiB unaligned start (+1 page)", MADVISE(a + PG, 2 * MiB, MADV_COLLAPSE));
	*(volatile char *)(a + 2 * MiB) = 1;
	SHOW("COLLAPSE 2nd 2 MiB, one page touched", MADVISE(a + 2 * MiB, 2 * MiB, MADV_COLLAPSE));
	SHOW("COLLAPSE whole 4 MiB", MADVISE(a, 4 * MiB, MADV_COLLAPSE));
	SHOW("NOHUGEPAGE then COLLAPSE 4 pages", (MADVISE(a, 4 * MiB, MADV_NOHUGEPAGE), MADVISE(a, 4 * PG, MADV_COLLAPSE)));
	MUNMAP(a, 4 * MiB);
	MMAP(a, 4 * MiB, RW, AP | MAP_FIXED, -1, 0);
	*(volatile char *)(a + 3 * MiB) = 1;
	printf("  (4 MiB anon, one page touched at +3 MiB: has an anon_vma)\n");
	SHOW("COLLAPSE 4 pages at aligned start", MADVISE(a, 4 * PG, MADV_COLLAPSE));
	SHOW("COLLAPSE 4 pages at +1 page", MADVISE(a + PG, 4 * PG, MADV_COLLAPSE));
	SHOW("COLLAPSE 0 len", MADVISE(a + PG, 0, MADV_COLLAPSE));
	SHOW("COLLAPSE [a+1MiB, a+2MiB+4p) (no whole PMD, spans boundary)", MADVISE(a + MiB, MiB + 4 * PG, MADV_COLLAPSE));
	SHOW("COLLAPSE [a+2MiB-4p, a+2MiB)", MADVISE(a + 2 * MiB - 4 * PG, 4 * PG, MADV_COLLAPSE));
	SHOW("COLLAPSE 2 MiB untouched", MADVISE(a, 2 * MiB, MADV_COLLAPSE));
	SHOW("COLLAPSE 2nd 2 MiB touched", MADVISE(a + 2 * MiB, 2 * MiB, MADV_COLLAPSE));
	SHOW("COLLAPSE 2nd 2 MiB again", MADVISE(a + 2 * MiB, 2 * MiB, MADV_COLLAPSE));
	SHOW("mlock 1 page then COLLAPSE it", (MLOCK(a, PG), MADVISE(a, PG, MADV_COLLAPSE)));
	MUNMAP(a, 4 * MiB);
	MMAP(a, 2 * MiB + 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	*(volatile char *)(a) = 1;
	SHOW("2MiB+4p anon at aligned a, touched: COLLAPSE 4 pages", MADVISE(a, 4 * PG, MADV_COLLAPSE));
	MUNMAP(a, 2 * MiB + 4 * PG);
	MMAP(a + PG, 2 * MiB, RW, AP | MAP_FIXED, -1, 0);
	*(volatile char *)(a + PG) = 1;
	SHOW("2MiB anon at a+1p (no aligned PMD inside), touched: COLLAPSE 4p", MADVISE(a + 2 * PG, 4 * PG, MADV_COLLAPSE));
	MUNMAP(a + PG, 2 * MiB);
	MMAP(a, 4 * MiB, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	SHOW("shared anon COLLAPSE 2 MiB untouched", MADVISE(a, 2 * MiB, MADV_COLLAPSE));
	SHOW("shared anon COLLAPSE 4 pages", MADVISE(a, 4 * PG, MADV_COLLAPSE));
	MUNMAP(a, 4 * MiB);
	MMAP(a, 4 * MiB, PROT_READ, AP | MAP_FIXED, -1, 0);
	SHOW("read-only anon COLLAPSE 2 MiB untouched", MADVISE(a, 2 * MiB, MADV_COLLAPSE));
	MUNMAP(a, 4 * MiB);
	{
		char fp[64];
		snprintf(fp, sizeof fp, "/tmp/probe20c_%d", getuid());
		int w = make_file(fp, 4 * MiB);
		sc(SYS_close, w);
		int ro = (int)sc(SYS_open, fp, O_RDONLY);
		MMAP(a, 4 * MiB, PROT_READ, MAP_PRIVATE | MAP_FIXED, ro, 0);
		SHOW("read-only file (no writers) COLLAPSE 4 pages at aligned start", MADVISE(a, 4 * PG, MADV_COLLAPSE));
		SHOW("read-only file (no writers) COLLAPSE 2 MiB", MADVISE(a, 2 * MiB, MADV_COLLAPSE));
		MUNMAP(a, 4 * MiB);
		sc(SYS_close, ro);
		sc(SYS_unlink, fp);
	}
	MMAP(a, 4 * MiB, PROT_NONE, AP | MAP_FIXED, -1, 0);
	SHOW("PROT_NONE anon COLLAPSE 4 pages", MADVISE(a, 4 * PG, MADV_COLLAPSE));
	MUNMAP(a, 4 * MiB);
	MMAP(a, 4 * MiB, RW, AP | MAP_FIXED | MAP_STACK, -1, 0);
	SHOW("MAP_STACK anon COLLAPSE 4 pages", MADVISE(a, 4 * PG, MADV_COLLAPSE));
	MUNMAP(a, 4 * MiB);
}

int main(void)
{
	probe_init();
	char path[64];
	snprintf(path, sizeof path, "/tmp/probe20_%d", getuid());
	args();
	flag_advice();
	walk();
	per_vma(path);
	collapse();
	return 0;
}
