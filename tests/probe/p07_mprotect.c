/* Q7: mprotect argument checks and permission errors.
 * argv[1] (optional): a directory on a noexec mount (run.sh makes one in a
 * private mount namespace). */
#include "probe.h"
#include <sys/mman.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;

int main(int argc, char **argv)
{
	probe_init();
	char path[64];
	snprintf(path, sizeof path, "/tmp/probe07_%d", getuid());
	int frw = make_file(path, 4 * PG);
	int fro = (int)sc(SYS_open, path, O_RDONLY);
	long r;

	SECTION("permission: MAP_SHARED of a read-only fd");
	r = MMAP(0, 2 * PG, PROT_READ, MAP_SHARED, fro, 0);
	SHOW("mmap shared R of O_RDONLY fd", r);
	SHOW("mprotect PROT_WRITE", MPROTECT(r, 2 * PG, PROT_WRITE));
	SHOW("mprotect PROT_READ|PROT_WRITE", MPROTECT(r, 2 * PG, RW));
	SHOW("mprotect PROT_READ|PROT_EXEC", MPROTECT(r, 2 * PG, PROT_READ | PROT_EXEC));
	SHOW("mprotect PROT_NONE", MPROTECT(r, 2 * PG, PROT_NONE));
	SHOW("mprotect PROT_WRITE over 1st page only", MPROTECT(r, PG, PROT_WRITE));
	maps("after", r, r + 2 * PG);
	MUNMAP(r, 2 * PG);
	r = MMAP(0, 2 * PG, PROT_READ, MAP_PRIVATE, fro, 0);
	SHOW("mmap private R of O_RDONLY fd; mprotect RW", MPROTECT(r, 2 * PG, RW));
	maps("after", r, r + 2 * PG);
	MUNMAP(r, 2 * PG);
	r = MMAP(0, 2 * PG, PROT_READ, MAP_SHARED, frw, 0);
	SHOW("mmap shared R of O_RDWR fd; close fd? no; mprotect RW", MPROTECT(r, 2 * PG, RW));
	MUNMAP(r, 2 * PG);
	{
		int f2 = (int)sc(SYS_open, path, O_RDWR);
		r = MMAP(0, 2 * PG, PROT_READ, MAP_SHARED, f2, 0);
		sc(SYS_close, f2);
		SHOW("mmap shared R of O_RDWR fd, fd closed; mprotect RW", MPROTECT(r, 2 * PG, RW));
		MUNMAP(r, 2 * PG);
	}
	{
		/* mixed range: a writable vma then a shared-RO vma */
		unsigned long X = 0x500000000UL;
		MMAP(X, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
		MMAP(X + 2 * PG, 2 * PG, PROT_READ, MAP_SHARED | MAP_FIXED, fro, 0);
		MMAP(X + 4 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
		SHOW("mprotect RW over [anon R][shared RO-fd][anon R]", MPROTECT(X, 6 * PG, RW));
		maps("after (partial application?)", X, X + 6 * PG);
		SHOW("mprotect RW over [shared RO-fd][anon R]", MPROTECT(X + 2 * PG, 4 * PG, RW));
		maps("after", X, X + 6 * PG);
		MUNMAP(X, 6 * PG);
	}

	SECTION("noexec mount");
	if (argc > 1) {
		char np[128];
		snprintf(np, sizeof np, "%s/probe07_%d", argv[1], getuid());
		int fn = make_file(np, 2 * PG);
		int fnro = (int)sc(SYS_open, np, O_RDONLY);
		SHOW("mmap private PROT_READ|PROT_EXEC from noexec", MMAP(0, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE, fn, 0));
		SHOW("mmap shared PROT_READ|PROT_EXEC from noexec", MMAP(0, PG, PROT_READ | PROT_EXEC, MAP_SHARED, fn, 0));
		SHOW("mmap private PROT_EXEC from noexec, O_RDONLY fd", MMAP(0, PG, PROT_EXEC, MAP_PRIVATE, fnro, 0));
		r = SHOW("mmap private PROT_READ from noexec", MMAP(0, PG, PROT_READ, MAP_PRIVATE, fn, 0));
		smaps_field(r, "VmFlags");
		maps("", r, r + PG);
		SHOW("  mprotect PROT_READ|PROT_EXEC", MPROTECT(r, PG, PROT_READ | PROT_EXEC));
		SHOW("  mprotect PROT_READ|PROT_WRITE", MPROTECT(r, PG, RW));
		r = SHOW("mmap shared RW from noexec", MMAP(0, PG, RW, MAP_SHARED, fn, 0));
		smaps_field(r, "VmFlags");
		SHOW("  mprotect PROT_EXEC", MPROTECT(r, PG, PROT_EXEC));
		SHOW("mmap noexec PROT_EXEC, unaligned offset (EINVAL first?)", MMAP(0, PG, PROT_EXEC, MAP_PRIVATE, fn, 1));
		SHOW("mmap noexec PROT_EXEC, len 0", MMAP(0, 0, PROT_EXEC, MAP_PRIVATE, fn, 0));
		SHOW("mmap noexec PROT_EXEC, MAP_SHARED of O_RDONLY + PROT_WRITE (EACCES vs EPERM)", MMAP(0, PG, PROT_EXEC | PROT_WRITE, MAP_SHARED, fnro, 0));
		SHOW("mmap noexec PROT_EXEC|GROWSDOWN (EPERM vs EINVAL)", MMAP(0, PG, PROT_EXEC, MAP_PRIVATE | MAP_GROWSDOWN, fn, 0));
		sc(SYS_unlink, np);
	} else {
		printf("  (no noexec directory given)\n");
	}

	SECTION("PROT_GROWSDOWN / PROT_GROWSUP / unknown bits");
	unsigned long X = 0x500000000UL;
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("normal vma: mprotect R|PROT_GROWSDOWN", MPROTECT(X + PG, PG, PROT_READ | PROT_GROWSDOWN));
	SHOW("normal vma: mprotect R|PROT_GROWSUP", MPROTECT(X + PG, PG, PROT_READ | PROT_GROWSUP));
	SHOW("normal vma: mprotect R|GROWSDOWN|GROWSUP", MPROTECT(X + PG, PG, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP));
	long bits[] = {0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x10000, 0x4000000, 0x80000000L, -1L};
	for (unsigned i = 0; i < sizeof bits / sizeof *bits; i++) {
		char l[80];
		snprintf(l, sizeof l, "mprotect prot=0x%lx", bits[i]);
		SHOW(l, MPROTECT(X + PG, PG, bits[i]));
	}
	maps("X after (0x8 = PROT_SEM accepted?)", X, X + 4 * PG);
	MUNMAP(X, 4 * PG);
	unsigned long G = 0x600000000UL;
	MMAP(G, 4 * PG, RW, AP | MAP_GROWSDOWN | MAP_FIXED, -1, 0);
	maps("growsdown vma G (4 pages)", G, G + 4 * PG);
	SHOW("mprotect(G+2p, 1p, R|PROT_GROWSDOWN)", MPROTECT(G + 2 * PG, PG, PROT_READ | PROT_GROWSDOWN));
	maps("after (start extended down to vma start?)", G, G + 4 * PG);
	SHOW("mprotect(G+2p, 1p, R|PROT_GROWSUP) on growsdown vma", MPROTECT(G + 2 * PG, PG, PROT_READ | PROT_GROWSUP));
	SHOW("mprotect(G-1p, 1p, R|PROT_GROWSDOWN) start below vma", MPROTECT(G - PG, PG, PROT_READ | PROT_GROWSDOWN));
	SHOW("mprotect(G-1p, 2p, RW) over hole + vma", MPROTECT(G - PG, 2 * PG, RW));
	SHOW("mprotect(G+3p, 1p, RW|PROT_GROWSDOWN)", MPROTECT(G + 3 * PG, PG, RW | PROT_GROWSDOWN));
	maps("after", G, G + 4 * PG);
	SHOW("mprotect(G+3p, 0, RW|PROT_GROWSDOWN) len 0", MPROTECT(G + 3 * PG, 0, RW | PROT_GROWSDOWN));
	MUNMAP(G, 4 * PG);

	SECTION("length 0, alignment, overflow, unmapped, ordering");
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("len 0, aligned mapped addr", MPROTECT(X, 0, PROT_READ));
	SHOW("len 0, aligned unmapped addr 0x10000", MPROTECT(0x10000, 0, PROT_READ));
	SHOW("len 0, unaligned addr X+1", MPROTECT(X + 1, 0, PROT_READ));
	SHOW("len 0, aligned, bad prot 0x10", MPROTECT(X, 0, 0x10));
	SHOW("len 0, aligned, addr above TASK_SIZE", MPROTECT(0x800000000000UL, 0, PROT_READ));
	SHOW("len 1 (rounds up to 1 page)", MPROTECT(X, 1, PROT_READ));
	maps("after", X, X + 4 * PG);
	SHOW("unaligned addr X+1, len 4096", MPROTECT(X + 1, PG, PROT_READ));
	SHOW("unaligned addr X+1, bad prot (EINVAL either way)", MPROTECT(X + 1, PG, 0x10));
	SHOW("unmapped 0x10000 len 4096", MPROTECT(0x10000, PG, PROT_READ));
	SHOW("unmapped 0x10000 len 4096, bad prot 0x10 (ENOMEM vs EINVAL)", MPROTECT(0x10000, PG, 0x10));
	SHOW("addr X, len ~0UL (PAGE_ALIGN wraps to 0)", MPROTECT(X, ~0UL, PROT_READ));
	SHOW("addr X, len ~0UL-8191 (end wraps)", MPROTECT(X, ~0UL - 8191, PROT_READ));
	SHOW("addr X, len -X (end == 0)", MPROTECT(X, -X, PROT_READ));
	SHOW("addr X, len ~0UL, bad prot 0x10 (ENOMEM vs EINVAL)", MPROTECT(X, ~0UL, 0x10));
	SHOW("addr 0x7ffffffff000 (TASK_SIZE) len 4096", MPROTECT(0x7ffffffff000UL, PG, PROT_READ));
	SHOW("addr 0x800000000000 len 4096", MPROTECT(0x800000000000UL, PG, PROT_READ));
	SHOW("addr 0xffffffffff600000 ([vsyscall]) len 4096", MPROTECT(0xffffffffff600000UL, PG, PROT_READ));
	SHOW("addr X, len 1<<47 (runs past mappings)", MPROTECT(X, 1UL << 47, PROT_READ));
	maps("after", X, X + 4 * PG);
	MUNMAP(X, 4 * PG);

	SECTION("special mappings");
	read_file_("/proc/self/maps", mapsbuf_, sizeof mapsbuf_);
	unsigned long vdso = 0, vvar = 0;
	for (char *l = mapsbuf_; *l;) {
		char *e = strchr(l, '\n');
		unsigned long s2, t2;
		*e = 0;
		sscanf(l, "%lx-%lx", &s2, &t2);
		if (strstr(l, "[vdso]")) vdso = s2;
		if (strstr(l, "[vvar]")) vvar = s2;
		l = e + 1;
	}
	smaps_field(vdso, "VmFlags");
	smaps_field(vvar, "VmFlags");
	SHOW("mprotect [vvar] RW", MPROTECT(vvar, PG, RW));
	SHOW("mprotect [vvar] R", MPROTECT(vvar, PG, PROT_READ));
	SHOW("mprotect [vvar] NONE", MPROTECT(vvar, PG, PROT_NONE));
	SHOW("mprotect [vdso] R|W|X", MPROTECT(vdso, PG, 7));
	SHOW("mprotect [vdso] back to R|X", MPROTECT(vdso, PG, 5));
	maps("vdso area", vvar, vdso + 2 * PG);

	SECTION("pkey_mprotect");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("pkey_mprotect(pkey=-1) == mprotect", sc(SYS_pkey_mprotect, X, PG, PROT_READ, -1));
	SHOW("pkey_mprotect(pkey=0)", sc(SYS_pkey_mprotect, X, PG, PROT_READ, 0));
	SHOW("pkey_mprotect(pkey=1, not allocated)", sc(SYS_pkey_mprotect, X, PG, PROT_READ, 1));
	SHOW("pkey_mprotect(pkey=16)", sc(SYS_pkey_mprotect, X, PG, PROT_READ, 16));
	SHOW("pkey_alloc(0,0)", sc(SYS_pkey_alloc, 0, 0));
	sc(SYS_unlink, path);
	return 0;
}
