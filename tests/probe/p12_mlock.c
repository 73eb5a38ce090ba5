/* Q12: mlock, mlock2, munlock, mlockall, MAP_LOCKED and RLIMIT_MEMLOCK. */
#include "probe.h"
#include <sys/mman.h>
#include <sys/resource.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;
#define X 0x500000000UL

static void setmemlock(unsigned long v)
{
	struct rlimit rl = {v, v};
	if (setrlimit(RLIMIT_MEMLOCK, &rl)) printf("  setrlimit failed errno %d\n", errno);
	getrlimit(RLIMIT_MEMLOCK, &rl);
	printf("  RLIMIT_MEMLOCK now cur=%lu max=%lu\n", (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max);
}

int main(void)
{
	probe_init();
	struct rlimit rl;
	getrlimit(RLIMIT_MEMLOCK, &rl);
	printf("  RLIMIT_MEMLOCK cur=%lu max=%lu\n", (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max);
	status_field("VmLck");

	SECTION("sizes against the 8 MiB limit");
	MMAP(X, 32 * MiB, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mlock 1 page", MLOCK(X, PG));
	status_field("VmLck");
	smaps_field(X, "VmFlags");
	maps("", X, X + 2 * PG);
	SHOW("mlock same page again", MLOCK(X, PG));
	status_field("VmLck");
	SHOW("munlock it", MUNLOCK(X, PG));
	status_field("VmLck");
	maps("", X, X + 2 * PG);
	SHOW("munlock an unlocked range", MUNLOCK(X, 4 * PG));
	SHOW("mlock 8 MiB exactly", MLOCK(X, 8 * MiB));
	status_field("VmLck");
	SHOW("mlock 8 MiB again (already locked: no double count)", MLOCK(X, 8 * MiB));
	SHOW("mlock 1 more page (8 MiB + 4 KiB total)", MLOCK(X + 8 * MiB, PG));
	status_field("VmLck");
	SHOW("munlock all 32 MiB", MUNLOCK(X, 32 * MiB));
	SHOW("mlock 8 MiB + 4 KiB in one call", MLOCK(X, 8 * MiB + PG));
	status_field("VmLck");
	MUNLOCK(X, 32 * MiB);
	SHOW("mlock 16 MiB", MLOCK(X, 16 * MiB));
	status_field("VmLck");
	MUNLOCK(X, 32 * MiB);
	SHOW("mlock2 16 MiB ONFAULT", MLOCK2(X, 16 * MiB, MLOCK_ONFAULT));
	status_field("VmLck");
	MUNLOCK(X, 32 * MiB);
	status_field("VmLck");

	SECTION("argument checks");
	SHOW("mlock2 flags 2", MLOCK2(X, PG, 2));
	SHOW("mlock2 flags 3", MLOCK2(X, PG, 3));
	SHOW("mlock2 flags 0", MLOCK2(X, PG, 0));
	SHOW("mlock2 flags 1 (ONFAULT)", MLOCK2(X, PG, 1));
	smaps_field(X, "VmFlags");
	MUNLOCK(X, PG);
	SHOW("mlock2 flags 2, len 0", MLOCK2(X, 0, 2));
	SHOW("mlock len 0", MLOCK(X, 0));
	SHOW("mlock len 0 on unmapped 0x10000", MLOCK(0x10000, 0));
	SHOW("mlock unaligned X+1, len 1 (locks the page?)", MLOCK(X + 1, 1));
	status_field("VmLck");
	SHOW("mlock X+4095, len 2 (spans 2 pages)", MLOCK(X + 4095, 2));
	status_field("VmLck");
	maps("", X, X + 4 * PG);
	MUNLOCK(X, 32 * MiB);
	SHOW("munlock unaligned X+1 len 1", MUNLOCK(X + 1, 1));
	SHOW("mlock len ~0UL", MLOCK(X, ~0UL));
	SHOW("mlock len -X (end wraps to 0)", MLOCK(X, -X));
	SHOW("mlock start above TASK_SIZE", MLOCK(0x800000000000UL, PG));
	SHOW("munlock len ~0UL", MUNLOCK(X, ~0UL));
	SHOW("munlock hole 0x10000", MUNLOCK(0x10000, PG));
	SHOW("mlockall(0)", MLOCKALL(0));
	SHOW("mlockall(MCL_ONFAULT)", MLOCKALL(MCL_ONFAULT));
	SHOW("mlockall(8)", MLOCKALL(8));
	SHOW("mlockall(MCL_FUTURE|8)", MLOCKALL(MCL_FUTURE | 8));
	SHOW("mlockall(-1)", MLOCKALL(-1));

	SECTION("PROT_NONE and special ranges");
	MMAP(X + 64 * MiB, 4 * PG, PROT_NONE, AP | MAP_FIXED, -1, 0);
	SHOW("mlock PROT_NONE 4 pages", MLOCK(X + 64 * MiB, 4 * PG));
	status_field("VmLck");
	smaps_field(X + 64 * MiB, "VmFlags");
	smaps_field(X + 64 * MiB, "Rss");
	SHOW("munlock it", MUNLOCK(X + 64 * MiB, 4 * PG));
	read_file_("/proc/self/maps", mapsbuf_, sizeof mapsbuf_);
	unsigned long vvar = 0, vdso = 0;
	for (char *q = mapsbuf_; *q;) {
		char *e = strchr(q, '\n');
		unsigned long s2, t2;
		*e = 0;
		sscanf(q, "%lx-%lx", &s2, &t2);
		if (strstr(q, "[vvar]")) vvar = s2;
		if (strstr(q, "[vdso]")) vdso = s2;
		q = e + 1;
	}
	SHOW("mlock [vvar] (VM_IO|VM_PFNMAP)", MLOCK(vvar, 4 * PG));
	smaps_field(vvar, "VmFlags");
	status_field("VmLck");
	SHOW("mlock [vdso]", MLOCK(vdso, 2 * PG));
	smaps_field(vdso, "VmFlags");
	status_field("VmLck");
	MUNLOCK(vvar, 4 * PG);
	MUNLOCK(vdso, 2 * PG);
	status_field("VmLck");

	SECTION("MAP_LOCKED");
	long r = SHOW("MAP_LOCKED 4 pages", MMAP(0, 4 * PG, RW, AP | MAP_LOCKED, -1, 0));
	smaps_field(r, "VmFlags");
	smaps_field(r, "Rss");
	status_field("VmLck");
	MUNMAP(r, 4 * PG);
	r = SHOW("MAP_LOCKED 8 MiB", MMAP(0, 8 * MiB, RW, AP | MAP_LOCKED, -1, 0));
	if (r > 0) MUNMAP(r, 8 * MiB);
	r = SHOW("MAP_LOCKED 8 MiB + 4 KiB", MMAP(0, 8 * MiB + PG, RW, AP | MAP_LOCKED, -1, 0));
	if (r > 0) MUNMAP(r, 8 * MiB + PG);
	r = SHOW("MAP_LOCKED 16 MiB", MMAP(0, 16 * MiB, RW, AP | MAP_LOCKED, -1, 0));
	if (r > 0) MUNMAP(r, 16 * MiB);
	r = SHOW("MAP_LOCKED 16 MiB PROT_NONE", MMAP(0, 16 * MiB, PROT_NONE, AP | MAP_LOCKED, -1, 0));
	if (r > 0) MUNMAP(r, 16 * MiB);
	r = SHOW("MAP_LOCKED|MAP_NORESERVE 16 MiB", MMAP(0, 16 * MiB, RW, AP | MAP_LOCKED | MAP_NORESERVE, -1, 0));
	if (r > 0) MUNMAP(r, 16 * MiB);
	r = SHOW("MAP_LOCKED 16 MiB with len 0? (len 0)", MMAP(0, 0, RW, AP | MAP_LOCKED, -1, 0));
	r = SHOW("MAP_LOCKED 16 MiB + bad fd (EBADF first?)", MMAP(0, 16 * MiB, RW, MAP_PRIVATE | MAP_LOCKED, 999, 0));
	r = SHOW("MAP_LOCKED 16 MiB + type0 (EAGAIN vs EINVAL)", MMAP(0, 16 * MiB, RW, MAP_ANONYMOUS | MAP_LOCKED, -1, 0));
	r = SHOW("MAP_LOCKED 16 MiB over existing FIXED", MMAP(X, 16 * MiB, RW, AP | MAP_LOCKED | MAP_FIXED, -1, 0));
	status_field("VmLck");

	SECTION("mlockall");
	r = SHOW("mlockall(MCL_CURRENT)", MLOCKALL(MCL_CURRENT));
	status_field("VmLck");
	SHOW("munlockall", MUNLOCKALL());
	status_field("VmLck");
	SHOW("mlockall(MCL_FUTURE)", MLOCKALL(MCL_FUTURE));
	status_field("VmLck");
	r = SHOW("  mmap 4 pages", MMAP(0, 4 * PG, RW, AP, -1, 0));
	smaps_field(r, "VmFlags");
	smaps_field(r, "Rss");
	status_field("VmLck");
	r = SHOW("  mmap 4 pages PROT_NONE", MMAP(0, 4 * PG, PROT_NONE, AP, -1, 0));
	smaps_field(r, "VmFlags");
	r = SHOW("  mmap 16 MiB", MMAP(0, 16 * MiB, RW, AP, -1, 0));
	if (r > 0) MUNMAP(r, 16 * MiB);
	r = SHOW("  mmap 16 MiB PROT_NONE", MMAP(0, 16 * MiB, PROT_NONE, AP, -1, 0));
	if (r > 0) MUNMAP(r, 16 * MiB);
	long b = BRK(0);
	SHOW("  brk(+4 pages)", BRK(b + 4 * PG));
	smaps_field(b, "VmFlags");
	SHOW("  brk(+16 MiB)", BRK(b + 16 * MiB));
	BRK(b);
	SHOW("  mprotect the PROT_NONE mapping? (no effect on lo)", 0);
	SHOW("munlockall", MUNLOCKALL());
	r = SHOW("  mmap 4 pages", MMAP(0, 4 * PG, RW, AP, -1, 0));
	smaps_field(r, "VmFlags");
	SHOW("mlockall(MCL_FUTURE|MCL_ONFAULT)", MLOCKALL(MCL_FUTURE | MCL_ONFAULT));
	r = SHOW("  mmap 4 pages", MMAP(0, 4 * PG, RW, AP, -1, 0));
	smaps_field(r, "VmFlags");
	smaps_field(r, "Rss");
	SHOW("mlockall(MCL_CURRENT|MCL_ONFAULT)", MLOCKALL(MCL_CURRENT | MCL_ONFAULT));
	status_field("VmLck");
	SHOW("munlockall", MUNLOCKALL());
	status_field("VmLck");

	SECTION("RLIMIT_MEMLOCK = 0 (in a child)");
	long pid = FORK();
	if (pid == 0) {
		setmemlock(0);
		SHOW("mlock 1 page", MLOCK(X, PG));
		SHOW("mlock2 1 page ONFAULT", MLOCK2(X, PG, 1));
		SHOW("mlock len 0", MLOCK(X, 0));
		SHOW("mlock hole", MLOCK(0x10000, PG));
		SHOW("munlock 1 page", MUNLOCK(X, PG));
		SHOW("mlockall(MCL_CURRENT)", MLOCKALL(MCL_CURRENT));
		SHOW("mlockall(MCL_FUTURE)", MLOCKALL(MCL_FUTURE));
		SHOW("mlockall(0)", MLOCKALL(0));
		SHOW("munlockall", MUNLOCKALL());
		SHOW("MAP_LOCKED 1 page", MMAP(0, PG, RW, AP | MAP_LOCKED, -1, 0));
		SHOW("MAP_LOCKED len 0", MMAP(0, 0, RW, AP | MAP_LOCKED, -1, 0));
		SHOW("mremap grow a (not locked) vma", MREMAP(X, PG, 2 * PG, MREMAP_MAYMOVE, 0));
		_exit(0);
	}
	int st;
	wait4((pid_t)pid, &st, 0, 0);

	SECTION("RLIMIT_MEMLOCK = 1 page (in a child)");
	pid = FORK();
	if (pid == 0) {
		setmemlock(PG);
		SHOW("mlock 1 page", MLOCK(X, PG));
		SHOW("mlock 2 pages (1 already locked)", MLOCK(X, 2 * PG));
		SHOW("mlock 2 other pages", MLOCK(X + 4 * PG, 2 * PG));
		SHOW("MAP_LOCKED 1 page (1 already locked)", MMAP(0, PG, RW, AP | MAP_LOCKED, -1, 0));
		SHOW("mlockall(MCL_FUTURE)", MLOCKALL(MCL_FUTURE));
		SHOW("mmap 1 page after MCL_FUTURE", MMAP(0, PG, RW, AP, -1, 0));
		SHOW("mmap 1 page PROT_NONE after MCL_FUTURE", MMAP(0, PG, PROT_NONE, AP, -1, 0));
		status_field("VmLck");
		_exit(0);
	}
	wait4((pid_t)pid, &st, 0, 0);
	return 0;
}
