/* Q21: mlock, mlock2, munlock, mlockall, munlockall — argument checks, splits
 * and merges, VmLck accounting, RLIMIT_MEMLOCK (run as root, which has
 * CAP_IPC_LOCK, and as an unprivileged user), populate errors. */
#include "probe.h"
#include <sys/mman.h>
#include <sys/resource.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;
#define X 0x500000000UL

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
			s = s2;
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

static long vmlck(void)
{
	static char buf[1 << 14];
	read_file_("/proc/self/status", buf, sizeof buf);
	char *p = strstr(buf, "VmLck:");
	return p ? strtol(p + 6, NULL, 10) : -1;
}
#define LCK() printf("    VmLck %ld kB\n", vmlck())

static void setlimit(unsigned long bytes)
{
	struct rlimit r;
	getrlimit(RLIMIT_MEMLOCK, &r);
	r.rlim_cur = bytes;
	if (setrlimit(RLIMIT_MEMLOCK, &r))
		printf("  setrlimit(%lu) failed\n", bytes);
}

static void args(void)
{
	SECTION("argument checks (4-page anon RW at X)");
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	LCK();
	SHOW("mlock len 0", MLOCK(X, 0));
	SHOW("mlock len 0 on unmapped", MLOCK(0x10000000UL, 0));
	SHOW("mlock unaligned start X+100, len PG", MLOCK(X + 100, PG));
	maps("", X, X + 4 * PG);
	LCK();
	SHOW("munlock X+100, len 1", MUNLOCK(X + 100, 1));
	maps("", X, X + 4 * PG);
	LCK();
	SHOW("munlock all 4", MUNLOCK(X, 4 * PG));
	SHOW("mlock len -1 (rounds to 0)", MLOCK(X, -1UL));
	SHOW("mlock len -4096", MLOCK(X, -4096UL));
	SHOW("mlock X+1 len -4096", MLOCK(X + 1, -4096UL));
	SHOW("mlock len 2^47 (beyond everything)", MLOCK(X, 1UL << 47));
	maps("", X, X + 4 * PG);
	LCK();
	SHOW("munlock all 4", MUNLOCK(X, 4 * PG));
	SHOW("munlock len -4096", MUNLOCK(X, -4096UL));
	SHOW("munlock unmapped", MUNLOCK(0x10000000UL, PG));
	SHOW("munlock len 0 unmapped", MUNLOCK(0x10000000UL, 0));
	SHOW("mlock2 flags 2", MLOCK2(X, PG, 2));
	SHOW("mlock2 flags -1", MLOCK2(X, PG, -1));
	SHOW("mlock2 flags 2, len 0", MLOCK2(X, 0, 2));
	SHOW("mlock2 ONFAULT", MLOCK2(X, PG, MLOCK_ONFAULT));
	vmflags("", X, X + 4 * PG);
	LCK();
	SHOW("mlock (plain) over the ONFAULT page and one more", MLOCK(X, 2 * PG));
	vmflags("", X, X + 4 * PG);
	LCK();
	SHOW("mlock2 ONFAULT over both", MLOCK2(X, 2 * PG, MLOCK_ONFAULT));
	vmflags("", X, X + 4 * PG);
	LCK();
	SHOW("munlock", MUNLOCK(X, 4 * PG));
	vmflags("", X, X + 4 * PG);
	LCK();
	MUNMAP(X, 4 * PG);

	SECTION("split and merge");
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mlock middle 2 pages", MLOCK(X + PG, 2 * PG));
	maps("", X, X + 4 * PG);
	LCK();
	SHOW("mlock all 4", MLOCK(X, 4 * PG));
	maps("", X, X + 4 * PG);
	LCK();
	SHOW("munlock page 2", MUNLOCK(X + 2 * PG, PG));
	maps("", X, X + 4 * PG);
	LCK();
	SHOW("munlock all", MUNLOCK(X, 4 * PG));
	maps("", X, X + 4 * PG);
	LCK();
	SHOW("munmap locked? (lock page 1, unmap it)", (MLOCK(X + PG, PG), MUNMAP(X + PG, PG)));
	LCK();
	MUNMAP(X, 4 * PG);

	SECTION("holes");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mlock [A][hole][B]", MLOCK(X, 5 * PG));
	vmflags("", X, X + 5 * PG);
	LCK();
	SHOW("munlock [A][hole][B]", MUNLOCK(X, 5 * PG));
	vmflags("", X, X + 5 * PG);
	LCK();
	SHOW("mlock starting in the hole", MLOCK(X + 2 * PG, 3 * PG));
	vmflags("", X, X + 5 * PG);
	LCK();
	SHOW("mlock [A] + hole at the end", MLOCK(X, 3 * PG));
	vmflags("", X, X + 5 * PG);
	LCK();
	SHOW("munlock starting in the hole", MUNLOCK(X + 2 * PG, 3 * PG));
	SHOW("munlock all", MUNLOCK(X, 2 * PG));
	LCK();
	SHOW("mlock2 ONFAULT [A][hole][B]", MLOCK2(X, 5 * PG, MLOCK_ONFAULT));
	vmflags("", X, X + 5 * PG);
	MUNLOCK(X, 2 * PG);
	MUNMAP(X, 5 * PG);
	LCK();
}

static void kinds(const char *path)
{
	int fd = make_file(path, PG);
	unsigned long vvar = special("[vvar]"), vdso = special("[vdso]");

	SECTION("special mappings");
	SHOW("mlock vvar", MLOCK(vvar, 4 * PG));
	SHOW("mlock vdso", MLOCK(vdso, 2 * PG));
	SHOW("mlock vvar page 1 (no split?)", MLOCK(vvar + PG, PG));
	vmflags("", vvar, vdso + 2 * PG);
	LCK();
	SHOW("munlock vvar..vdso", MUNLOCK(vvar, 8 * PG));

	SECTION("PROT_NONE, write-only, exec-only");
	MMAP(X, 2 * PG, PROT_NONE, AP | MAP_FIXED, -1, 0);
	SHOW("mlock PROT_NONE", MLOCK(X, 2 * PG));
	vmflags("", X, X + 2 * PG);
	LCK();
	SHOW("mprotect RW while locked", MPROTECT(X, 2 * PG, RW));
	LCK();
	MUNMAP(X, 2 * PG);
	LCK();
	MMAP(X, 2 * PG, PROT_WRITE, AP | MAP_FIXED, -1, 0);
	SHOW("mlock write-only", MLOCK(X, 2 * PG));
	MUNMAP(X, 2 * PG);
	MMAP(X, 2 * PG, PROT_EXEC, AP | MAP_FIXED, -1, 0);
	SHOW("mlock exec-only", MLOCK(X, 2 * PG));
	MUNMAP(X, 2 * PG);
	MMAP(X, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, PROT_NONE, AP | MAP_FIXED, -1, 0);
	MMAP(X + 5 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mlock [R][NONE][hole][RW]", MLOCK(X, 7 * PG));
	vmflags("", X, X + 7 * PG);
	LCK();
	MUNLOCK(X, 7 * PG);
	MUNMAP(X, 7 * PG);

	SECTION("file beyond EOF (1-page file, 3-page mapping)");
	MMAP(X, 3 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	SHOW("mlock shared all 3", MLOCK(X, 3 * PG));
	vmflags("", X, X + 3 * PG);
	LCK();
	SHOW("mlock shared page 0", MLOCK(X, PG));
	SHOW("mlock shared page 2", MLOCK(X + 2 * PG, PG));
	SHOW("mlock2 ONFAULT shared all 3", MLOCK2(X, 3 * PG, MLOCK_ONFAULT));
	MUNLOCK(X, 3 * PG);
	MUNMAP(X, 3 * PG);
	MMAP(X, 3 * PG, RW, MAP_PRIVATE | MAP_FIXED, fd, 0);
	SHOW("mlock private all 3", MLOCK(X, 3 * PG));
	LCK();
	MUNMAP(X, 3 * PG);
	LCK();
	MMAP(X, 3 * PG, RW, MAP_PRIVATE | MAP_FIXED, fd, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mlock [file past EOF][anon]", MLOCK(X, 5 * PG));
	vmflags("", X, X + 5 * PG);
	LCK();
	MUNMAP(X, 5 * PG);
	MMAP(X, 3 * PG, RW, MAP_SHARED | MAP_LOCKED | MAP_FIXED, fd, 0);
	printf("  mmap MAP_LOCKED shared past EOF -> ok\n");
	LCK();
	MUNMAP(X, 3 * PG);
	sc(SYS_close, fd);
	sc(SYS_unlink, path);

	SECTION("mlock populates: anon_vma of private writable memory");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mlock A and B, munlock", MLOCK(X, 2 * PG) | MLOCK(X + 3 * PG, 2 * PG) | MUNLOCK(X, 2 * PG) | MUNLOCK(X + 3 * PG, 2 * PG));
	SHOW("mmap FIXED hole page", MMAP(X + 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0));
	maps("", X, X + 5 * PG);
	MUNMAP(X, 5 * PG);
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mlock2 ONFAULT A and B, munlock", MLOCK2(X, 2 * PG, 1) | MLOCK2(X + 3 * PG, 2 * PG, 1) | MUNLOCK(X, 2 * PG) | MUNLOCK(X + 3 * PG, 2 * PG));
	SHOW("mmap FIXED hole page", MMAP(X + 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0));
	maps("", X, X + 5 * PG);
	MUNMAP(X, 5 * PG);
}

static void all(void)
{
	SECTION("mlockall flags");
	SHOW("mlockall 0", MLOCKALL(0));
	SHOW("mlockall ONFAULT", MLOCKALL(MCL_ONFAULT));
	SHOW("mlockall 8", MLOCKALL(8));
	SHOW("mlockall CURRENT|8", MLOCKALL(MCL_CURRENT | 8));
	SHOW("mlockall -1", MLOCKALL(-1));
	SHOW("mlock2 flags 0x100000000 (0 in the low 32 bits)", MLOCK2(X, 0, 0x100000000UL));
	SHOW("mlockall 0x100000002 (FUTURE in the low 32 bits)", MLOCKALL(0x100000002UL));
	SHOW("munlockall", MUNLOCKALL());

	SECTION("mlockall(MCL_FUTURE)");
	LCK();
	SHOW("mlockall FUTURE", MLOCKALL(MCL_FUTURE));
	LCK();
	long r = MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mmap 2 pages", r);
	vmflags("", X, X + 2 * PG);
	LCK();
	SHOW("mmap PROT_NONE 1 page above", MMAP(X + 2 * PG, PG, PROT_NONE, AP | MAP_FIXED, -1, 0));
	vmflags("", X, X + 3 * PG);
	LCK();
	SHOW("munlock the 2 pages", MUNLOCK(X, 2 * PG));
	vmflags("", X, X + 3 * PG);
	MUNMAP(X, 3 * PG);
	SHOW("mlockall FUTURE|ONFAULT", MLOCKALL(MCL_FUTURE | MCL_ONFAULT));
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	vmflags("", X, X + 2 * PG);
	LCK();
	MUNMAP(X, 2 * PG);
	SHOW("mlockall CURRENT (drops FUTURE)", MLOCKALL(MCL_CURRENT));
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	vmflags("new mapping", X, X + 2 * PG);
	maps("everything", 0, 0);
	vmflags("everything", 0, ~0UL);
	LCK();
	SHOW("munlockall", MUNLOCKALL());
	vmflags("everything", 0, ~0UL);
	LCK();
	SHOW("mlockall CURRENT|ONFAULT", MLOCKALL(MCL_CURRENT | MCL_ONFAULT));
	vmflags("", X, X + 2 * PG);
	LCK();
	SHOW("mlockall FUTURE (current stay locked?)", MLOCKALL(MCL_FUTURE));
	vmflags("", X, X + 2 * PG);
	LCK();
	SHOW("munlockall", MUNLOCKALL());
	MUNMAP(X, 2 * PG);
	LCK();
}

static void limits(void)
{
	SECTION("RLIMIT_MEMLOCK = 8 pages");
	setlimit(8 * PG);
	MMAP(X, 16 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mlock 16 pages", MLOCK(X, 16 * PG));
	LCK();
	SHOW("mlock 8 pages", MLOCK(X, 8 * PG));
	LCK();
	SHOW("mlock the same 8 pages again", MLOCK(X, 8 * PG));
	SHOW("mlock 4 of them + 4 new", MLOCK(X + 4 * PG, 8 * PG));
	SHOW("mlock 1 new page", MLOCK(X + 8 * PG, PG));
	SHOW("mlock2 ONFAULT 1 new page", MLOCK2(X + 8 * PG, PG, MLOCK_ONFAULT));
	SHOW("mlock unaligned X+8p-1, len 2 (2 pages, 1 locked)", MLOCK(X + 8 * PG - 1, 2));
	SHOW("mlock len -4096", MLOCK(X, -4096UL));
	SHOW("mmap MAP_LOCKED 1 page", MMAP(0, PG, RW, AP | MAP_LOCKED, -1, 0));
	SHOW("mlockall CURRENT", MLOCKALL(MCL_CURRENT));
	SHOW("mlockall FUTURE", MLOCKALL(MCL_FUTURE));
	SHOW("  then mmap 1 page", MMAP(0, PG, RW, AP, -1, 0));
	SHOW("  then brk +1 page", BRK(BRK(0) + PG) - BRK(0));
	SHOW("munlockall", MUNLOCKALL());
	LCK();
	SHOW("munlock 4, mlock 4 others (total 8)", MUNLOCK(X, 4 * PG) | MLOCK(X + 8 * PG, 4 * PG));
	LCK();
	vmflags("", X, X + 16 * PG);
	SHOW("mlock over [locked 4][unlocked 4][locked 4] (12 pages; 8 locked)", MLOCK(X + 4 * PG, 12 * PG));
	SHOW("mlock over the whole 16 (12 unlocked+... )", MLOCK(X, 16 * PG));
	MUNLOCK(X, 16 * PG);
	MUNMAP(X, 16 * PG);
	LCK();

	SECTION("RLIMIT_MEMLOCK = 0");
	setlimit(0);
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mlock 1 page", MLOCK(X, PG));
	SHOW("mlock len 0", MLOCK(X, 0));
	SHOW("mlock unmapped", MLOCK(0x10000000UL, PG));
	SHOW("mlock2 bad flags", MLOCK2(X, PG, 2));
	SHOW("mlockall CURRENT", MLOCKALL(MCL_CURRENT));
	SHOW("mlockall FUTURE", MLOCKALL(MCL_FUTURE));
	SHOW("mlockall 0", MLOCKALL(0));
	SHOW("munlock", MUNLOCK(X, PG));
	SHOW("munlockall", MUNLOCKALL());
	SHOW("mmap MAP_LOCKED", MMAP(0, PG, RW, AP | MAP_LOCKED, -1, 0));
	MUNMAP(X, 4 * PG);
	setlimit(8 << 20);
}

int main(void)
{
	probe_init();
	char path[64];
	snprintf(path, sizeof path, "/tmp/probe21_%d", getuid());
	args();
	kinds(path);
	all();
	limits();
	return 0;
}
