/* Q11: madvise(2). */
#include "probe.h"
#include <sys/mman.h>
#include <signal.h>
#include <setjmp.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS, AS = MAP_SHARED | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;
#define X 0x500000000UL
static sigjmp_buf jb;
static void onsegv(int s) { (void)s; siglongjmp(jb, 1); }
static int probe_read(unsigned long a)
{
	if (sigsetjmp(jb, 1)) return -1;
	return *(volatile char *)a;
}
static const char *names[] = {"NORMAL", "RANDOM", "SEQUENTIAL", "WILLNEED", "DONTNEED", "5?", "6?", "7?",
	"FREE", "REMOVE", "DONTFORK", "DOFORK", "MERGEABLE", "UNMERGEABLE", "HUGEPAGE", "NOHUGEPAGE",
	"DONTDUMP", "DODUMP", "WIPEONFORK", "KEEPONFORK", "COLD", "PAGEOUT", "POPULATE_READ",
	"POPULATE_WRITE", "DONTNEED_LOCKED", "COLLAPSE", "26?", "27?", "28?", "29?", "30?"};

int main(void)
{
	probe_init();
	signal(SIGSEGV, onsegv);
	char path[64];
	snprintf(path, sizeof path, "/tmp/probe11_%d", getuid());
	int f = make_file(path, 8 * PG);
	char l[100];

	SECTION("every advice value on a fresh private anon RW 4-page mapping (and with len 0, and on a hole)");
	long advs[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 30,
		       98, 99, 100, 101, 102, 103, 104, 105, 200, 0x7fffffff, 0x100000000L, -1};
	for (unsigned i = 0; i < sizeof advs / sizeof *advs; i++) {
		long a = advs[i];
		MUNMAP(X, 8 * PG);
		MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
		*(volatile char *)X = 1;
		long r1 = MADVISE(X, 4 * PG, a);
		long r0 = MADVISE(X, 0, a);
		long rh = MADVISE(X + 4 * PG, PG, a);
		long ru = MADVISE(X + 1, PG, a);
		const char *n = (a >= 0 && a <= 30) ? names[a] : a == 100 ? "HWPOISON" : a == 101 ? "SOFT_OFFLINE" : a == 102 ? "GUARD_INSTALL" : a == 103 ? "GUARD_REMOVE" : "?";
		printf("  advice %-11ld %-16s 4p:%-10s len0:%-8s hole:%-8s unaligned:%s\n", a, n, rs(r1), rs(r0), rs(rh), rs(ru));
	}

	SECTION("length / alignment / overflow");
	MUNMAP(X, 8 * PG);
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("len 0, aligned", MADVISE(X, 0, MADV_DONTNEED));
	SHOW("len 0, unaligned start", MADVISE(X + 1, 0, MADV_DONTNEED));
	SHOW("len 0, invalid advice 5", MADVISE(X, 0, 5));
	SHOW("len 1 (rounds up)", MADVISE(X, 1, MADV_DONTNEED));
	SHOW("start+len overflow (len ~0UL)", MADVISE(X, ~0UL, MADV_DONTNEED));
	SHOW("start+len overflow (len -X)", MADVISE(X, -X, MADV_NORMAL));
	SHOW("len ~0UL-4095 (PAGE_ALIGN ok, end wraps)", MADVISE(X, ~0UL - 4095, MADV_NORMAL));
	SHOW("start above TASK_SIZE", MADVISE(0x800000000000UL, PG, MADV_NORMAL));
	SHOW("range ending above TASK_SIZE (X .. 1<<48)", MADVISE(X, (1UL << 48) - X, MADV_NORMAL));
	SHOW("start 0, len 4096 (unmapped)", MADVISE(0, PG, MADV_NORMAL));

	SECTION("locked ranges");
	MUNMAP(X, 8 * PG);
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	MLOCK(X, 4 * PG);
	SHOW("DONTNEED on locked", MADVISE(X, 4 * PG, MADV_DONTNEED));
	SHOW("DONTNEED_LOCKED on locked", MADVISE(X, 4 * PG, 24));
	SHOW("FREE on locked", MADVISE(X, 4 * PG, MADV_FREE));
	SHOW("COLD on locked", MADVISE(X, 4 * PG, 20));
	SHOW("PAGEOUT on locked", MADVISE(X, 4 * PG, 21));
	SHOW("REMOVE on locked (private)", MADVISE(X, 4 * PG, MADV_REMOVE));
	SHOW("GUARD_INSTALL on locked", MADVISE(X, 4 * PG, 102));
	SHOW("WILLNEED on locked", MADVISE(X, 4 * PG, MADV_WILLNEED));
	SHOW("DONTNEED on locked, len 0", MADVISE(X, 0, MADV_DONTNEED));
	MUNLOCK(X, 4 * PG);
	MLOCK2(X, 4 * PG, MLOCK_ONFAULT);
	SHOW("DONTNEED on mlock2(ONFAULT) range", MADVISE(X, 4 * PG, MADV_DONTNEED));
	MUNLOCK(X, 4 * PG);

	SECTION("FREE / WIPEONFORK / REMOVE on shared and file mappings");
	MUNMAP(X, 64 * PG);
	MMAP(X, 4 * PG, RW, AS | MAP_FIXED, -1, 0);
	MMAP(X + 8 * PG, 4 * PG, RW, MAP_SHARED | MAP_FIXED, f, 0);
	MMAP(X + 16 * PG, 4 * PG, RW, MAP_PRIVATE | MAP_FIXED, f, 0);
	int fz = (int)sc(SYS_open, "/dev/zero", O_RDWR);
	MMAP(X + 24 * PG, 4 * PG, RW, MAP_PRIVATE | MAP_FIXED, fz, 0);
	struct { const char *n; unsigned long a; } kinds[] = {
		{"shared anon", X}, {"shared ext4 file", X + 8 * PG}, {"private ext4 file", X + 16 * PG}, {"private /dev/zero", X + 24 * PG}};
	long kadv[] = {MADV_FREE, MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_REMOVE, MADV_DONTNEED, 20, 21, 22, 23, MADV_HUGEPAGE, MADV_NOHUGEPAGE, 25, 102, 103, MADV_MERGEABLE, MADV_DONTFORK};
	for (unsigned k = 0; k < 4; k++)
		for (unsigned j = 0; j < sizeof kadv / sizeof *kadv; j++) {
			long a = kadv[j];
			const char *n = a == 102 ? "GUARD_INSTALL" : a == 103 ? "GUARD_REMOVE" : names[a];
			snprintf(l, sizeof l, "%-18s %s", kinds[k].n, n);
			SHOW(l, MADVISE(kinds[k].a, 4 * PG, a));
		}
	for (unsigned k = 0; k < 4; k++) { printf("  %s:\n", kinds[k].n); smaps_field(kinds[k].a, "VmFlags"); }

	SECTION("HUGEPAGE / NOHUGEPAGE / MERGEABLE / DONTDUMP effects on VmFlags and maps");
	MUNMAP(X, 64 * PG);
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("HUGEPAGE middle 2 pages", MADVISE(X + PG, 2 * PG, MADV_HUGEPAGE));
	maps("", X, X + 4 * PG);
	smaps_field(X + PG, "VmFlags");
	SHOW("NOHUGEPAGE middle 2 pages", MADVISE(X + PG, 2 * PG, MADV_NOHUGEPAGE));
	smaps_field(X + PG, "VmFlags");
	SHOW("NORMAL middle 2 pages (does not clear nh)", MADVISE(X + PG, 2 * PG, MADV_NORMAL));
	smaps_field(X + PG, "VmFlags");
	SHOW("HUGEPAGE middle 2 pages again", MADVISE(X + PG, 2 * PG, MADV_HUGEPAGE));
	smaps_field(X + PG, "VmFlags");
	maps("", X, X + 4 * PG);
	SHOW("RANDOM whole", MADVISE(X, 4 * PG, MADV_RANDOM));
	smaps_field(X, "VmFlags");
	SHOW("SEQUENTIAL whole", MADVISE(X, 4 * PG, MADV_SEQUENTIAL));
	smaps_field(X, "VmFlags");
	SHOW("NORMAL whole", MADVISE(X, 4 * PG, MADV_NORMAL));
	smaps_field(X, "VmFlags");
	SHOW("MERGEABLE whole", MADVISE(X, 4 * PG, MADV_MERGEABLE));
	smaps_field(X, "VmFlags");
	SHOW("UNMERGEABLE whole", MADVISE(X, 4 * PG, MADV_UNMERGEABLE));
	SHOW("DONTDUMP whole", MADVISE(X, 4 * PG, MADV_DONTDUMP));
	smaps_field(X, "VmFlags");
	SHOW("DODUMP whole", MADVISE(X, 4 * PG, MADV_DODUMP));
	smaps_field(X, "VmFlags");
	SHOW("WIPEONFORK whole", MADVISE(X, 4 * PG, MADV_WIPEONFORK));
	smaps_field(X, "VmFlags");
	SHOW("KEEPONFORK whole", MADVISE(X, 4 * PG, MADV_KEEPONFORK));
	smaps_field(X, "VmFlags");
	maps("", X, X + 4 * PG);

	SECTION("special mappings ([vvar] has VM_IO|VM_PFNMAP)");
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
	long sadv[] = {MADV_DONTFORK, MADV_DOFORK, MADV_DONTDUMP, MADV_DODUMP, MADV_DONTNEED, MADV_HUGEPAGE, MADV_WIPEONFORK, 102};
	for (unsigned j = 0; j < sizeof sadv / sizeof *sadv; j++) {
		snprintf(l, sizeof l, "[vvar] %s", sadv[j] == 102 ? "GUARD_INSTALL" : names[sadv[j]]);
		SHOW(l, MADVISE(vvar, 4 * PG, sadv[j]));
		snprintf(l, sizeof l, "[vdso] %s", sadv[j] == 102 ? "GUARD_INSTALL" : names[sadv[j]]);
		SHOW(l, MADVISE(vdso, 2 * PG, sadv[j]));
	}
	smaps_field(vvar, "VmFlags");
	smaps_field(vdso, "VmFlags");

	SECTION("MADV_GUARD_INSTALL / REMOVE");
	MUNMAP(X, 64 * PG);
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	*(volatile char *)(X + PG) = 5;
	SHOW("GUARD_INSTALL page 1", MADVISE(X + PG, PG, 102));
	maps("after install (split?)", X, X + 4 * PG);
	smaps_field(X, "VmFlags");
	printf("    read page 0 -> %d, read page 1 (guard) -> %d (-1 = SIGSEGV)\n", probe_read(X), probe_read(X + PG));
	SHOW("mprotect page 1 R (guard stays?)", MPROTECT(X + PG, PG, PROT_READ));
	printf("    read page 1 -> %d\n", probe_read(X + PG));
	SHOW("mprotect page 1 RW", MPROTECT(X + PG, PG, RW));
	SHOW("mlock whole (guard present)", MLOCK(X, 4 * PG));
	SHOW("munlock", MUNLOCK(X, 4 * PG));
	unsigned char v[4];
	SHOW("mincore whole", MINCORE(X, 4 * PG, v));
	printf("    vec %d %d %d %d\n", v[0], v[1], v[2], v[3]);
	SHOW("DONTNEED page 1 (guard survives?)", MADVISE(X + PG, PG, MADV_DONTNEED));
	printf("    read page 1 -> %d\n", probe_read(X + PG));
	SHOW("GUARD_REMOVE page 1", MADVISE(X + PG, PG, 103));
	printf("    read page 1 -> %d (data lost: 0)\n", probe_read(X + PG));
	SHOW("GUARD_REMOVE on range without guards", MADVISE(X, 4 * PG, 103));
	SHOW("GUARD_INSTALL on PROT_NONE vma", (MPROTECT(X, PG, PROT_NONE), MADVISE(X, PG, 102)));
	MMAP(X + 8 * PG, 2 * PG, RW, AP | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
	SHOW("GUARD_INSTALL on GROWSDOWN vma", MADVISE(X + 8 * PG, PG, 102));
	MMAP(X + 16 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MADVISE(X + 16 * PG, PG, 102);
	SHOW("mremap-move a vma with a guard page", MREMAP(X + 16 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, X + 32 * PG));
	printf("    read moved guard page -> %d\n", probe_read(X + 32 * PG));

	SECTION("MADV_COLLAPSE");
	MUNMAP(X, 64 * PG);
	long big = MMAP(0, 4 * MiB, RW, AP, -1, 0);
	unsigned long h = ((unsigned long)big + 2 * MiB - 1) & ~(2 * MiB - 1);
	printf("  4 MiB anon at %s, aligned 2MiB chunk at 0x%lx\n", rs(big), h);
	SHOW("COLLAPSE 1 page (untouched)", MADVISE(h, PG, 25));
	SHOW("COLLAPSE 2 MiB aligned (untouched)", MADVISE(h, 2 * MiB, 25));
	for (unsigned long p = h; p < h + 2 * MiB; p += PG) *(volatile char *)p = 1;
	SHOW("COLLAPSE 2 MiB aligned (all touched)", MADVISE(h, 2 * MiB, 25));
	smaps_field(h, "AnonHugePages");
	smaps_field(h, "VmFlags");
	SHOW("COLLAPSE whole 4 MiB", MADVISE(big, 4 * MiB, 25));
	SHOW("NOHUGEPAGE then COLLAPSE", (MADVISE(big, 4 * MiB, MADV_NOHUGEPAGE), MADVISE(h, 2 * MiB, 25)));
	SHOW("COLLAPSE on shared anon 2MiB", MADVISE(MMAP(0, 2 * MiB, RW, AS, -1, 0), 2 * MiB, 25));
	SHOW("COLLAPSE on ext4 file 2p", MADVISE(MMAP(0, 2 * PG, PROT_READ, MAP_PRIVATE, f, 0), 2 * PG, 25));
	maps("big", big, big + 4 * MiB);

	SECTION("POPULATE on PROT_NONE / PROT_READ");
	MMAP(X, 4 * PG, PROT_NONE, AP | MAP_FIXED, -1, 0);
	SHOW("POPULATE_READ on PROT_NONE", MADVISE(X, 4 * PG, 22));
	SHOW("POPULATE_WRITE on PROT_NONE", MADVISE(X, 4 * PG, 23));
	MPROTECT(X, 4 * PG, PROT_READ);
	SHOW("POPULATE_READ on PROT_READ", MADVISE(X, 4 * PG, 22));
	SHOW("POPULATE_WRITE on PROT_READ", MADVISE(X, 4 * PG, 23));
	SHOW("WILLNEED on PROT_NONE region", (MPROTECT(X, 4 * PG, PROT_NONE), MADVISE(X, 4 * PG, MADV_WILLNEED)));
	SHOW("DONTNEED on PROT_NONE region", MADVISE(X, 4 * PG, MADV_DONTNEED));
	sc(SYS_unlink, path);
	return 0;
}
