/* Q2: placement of mmap without MAP_FIXED, hints, FIXED/NOREPLACE, 32BIT,
 * GROWSDOWN guard gap, MAP_STACK.  Run as a static binary under setarch -R. */
#include "probe.h"
#include <sys/mman.h>
#include <sys/resource.h>

static const long A = MAP_PRIVATE | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;

static void layout_child(const char *self, const char *what)
{
	/* fork + exec self with argv[1] = "first" under a different RLIMIT_STACK */
	long pid = sc(SYS_fork, 0);
	if (pid == 0) {
		struct rlimit rl;
		if (!strcmp(what, "unlimited"))
			rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
		else {
			rl.rlim_cur = strtoul(what, 0, 0);
			rl.rlim_max = RLIM_INFINITY;
			getrlimit(RLIMIT_STACK, &rl), rl.rlim_cur = strtoul(what, 0, 0);
		}
		if (setrlimit(RLIMIT_STACK, &rl))
			printf("  setrlimit(%s) failed errno %d\n", what, errno);
		char *av[] = {(char *)self, "first", (char *)what, 0};
		execv(self, av);
		_exit(127);
	}
	int st;
	wait4((pid_t)pid, &st, 0, 0);
}

static void first_maps(const char *what)
{
	printf("\n== fresh exec with RLIMIT_STACK=%s\n", what);
	long a = SHOW("first mmap 4KiB anon", MMAP(0, PG, RW, A, -1, 0));
	long b = SHOW("second mmap 4KiB anon", MMAP(0, PG, RW, A, -1, 0));
	long c = SHOW("mmap 8KiB PROT_NONE anon", MMAP(0, 2 * PG, PROT_NONE, A, -1, 0));
	long d = SHOW("mmap 4KiB MAP_32BIT", MMAP(0, PG, RW, A | MAP_32BIT, -1, 0));
	(void)a; (void)b; (void)c; (void)d;
	maps("all", 0, 0);
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "first")) {
		setvbuf(stdout, NULL, _IONBF, 0);
		first_maps(argv[2]);
		return 0;
	}
	probe_init();
	SECTION("initial layout of this static binary, before any mmap");
	maps("all", 0, 0);
	printf("  brk(0) = %s\n", rs(BRK(0)));

	SECTION("first unhinted mappings (mmap_base)");
	long a1 = SHOW("mmap 4KiB anon #1", MMAP(0, PG, RW, A, -1, 0));
	long a2 = SHOW("mmap 4KiB anon #2", MMAP(0, PG, RW, A, -1, 0));
	long a3 = SHOW("mmap 4KiB anon #3 PROT_READ", MMAP(0, PG, PROT_READ, A, -1, 0));
	maps("after 3 mmaps", a3 - PG, a1 + 8 * PG);
	MUNMAP(a2, PG);
	SHOW("after munmap #2: mmap 4KiB (goes into hole?)", MMAP(0, PG, RW, A, -1, 0));
	MUNMAP(a2, PG);
	SHOW("after munmap #2: mmap 8KiB (hole too small)", MMAP(0, 2 * PG, RW, A, -1, 0));
	maps("now", a3 - 4 * PG, a1 + 8 * PG);

	SECTION("hints");
	long h = SHOW("hint 0x200000000 free", MMAP(0x200000000UL, PG, RW, A, -1, 0));
	SHOW("hint 0x200000000 again (occupied)", MMAP(0x200000000UL, PG, RW, A, -1, 0));
	SHOW("hint 0x1ffffe000 len 3 pages (would overlap the page at 0x200000000)", MMAP(0x1ffffe000UL, 3 * PG, RW, A, -1, 0));
	SHOW("hint 0x1ffffe000 len 2 pages (ends exactly at the busy page)", MMAP(0x1ffffe000UL, 2 * PG, RW, A, -1, 0));
	SHOW("hint 0x200001000 (right after the busy page)", MMAP(0x200001000UL, PG, RW, A, -1, 0));
	SHOW("hint 0x200000800 (unaligned, inside busy page)", MMAP(0x200000800UL, PG, RW, A, -1, 0));
	SHOW("hint 0x200002800 (unaligned, free: rounded down?)", MMAP(0x200002800UL, PG, RW, A, -1, 0));
	maps("around 0x200000000", 0x1ff000000UL, 0x201000000UL);
	(void)h;
	SHOW("hint 0x1 (rounds to 0 -> no hint)", MMAP(0x1, PG, RW, A, -1, 0));
	SHOW("hint 0x800", MMAP(0x800, PG, RW, A, -1, 0));
	long lo = SHOW("hint 0x1000 (== mmap_min_addr)", MMAP(0x1000, PG, RW, A, -1, 0));
	if (lo == 0x1000) MUNMAP(lo, PG);
	lo = SHOW("hint 0x1800", MMAP(0x1800, PG, RW, A, -1, 0));
	if (lo == 0x1000) MUNMAP(lo, PG);
	lo = SHOW("hint 0x2000", MMAP(0x2000, PG, RW, A, -1, 0));
	if (lo == 0x2000) MUNMAP(lo, PG);
	SHOW("hint 0x7ffff9000000 (above mmap_base, free)", MMAP(0x7ffff9000000UL, PG, RW, A, -1, 0));
	SHOW("hint 0x7fffffddd000 (just below stack guard gap?)", MMAP(0x7fffffddd000UL, PG, RW, A, -1, 0));
	SHOW("hint 0x7ffffff00000 (inside stack guard gap)", MMAP(0x7ffffff00000UL, PG, RW, A, -1, 0));
	SHOW("hint 0x7ffffffdd000 (page right below [stack])", MMAP(0x7ffffffdd000UL, PG, RW, A, -1, 0));
	maps("top area", 0x7ffff8000000UL, 0x800000000000UL);

	SECTION("MAP_FIXED / MAP_FIXED_NOREPLACE low addresses");
	long r = SHOW("FIXED at 0", MMAP(0, PG, RW, A | MAP_FIXED, -1, 0));
	if (r == 0) { maps("page 0", 0, PG); MUNMAP(0, PG); }
	r = SHOW("FIXED at 0x1000", MMAP(0x1000, PG, RW, A | MAP_FIXED, -1, 0));
	if (r == 0x1000) MUNMAP(0x1000, PG);
	r = SHOW("FIXED at 0 len 2 pages", MMAP(0, 2 * PG, RW, A | MAP_FIXED, -1, 0));
	if (r == 0) MUNMAP(0, 2 * PG);
	r = SHOW("FIXED_NOREPLACE at 0", MMAP(0, PG, RW, A | MAP_FIXED_NOREPLACE, -1, 0));
	if (r == 0) MUNMAP(0, PG);
	r = SHOW("FIXED at 0x800 (unaligned)", MMAP(0x800, PG, RW, A | MAP_FIXED, -1, 0));
	r = SHOW("FIXED at 0 with a bad fd", MMAP(0, PG, RW, MAP_PRIVATE | MAP_FIXED, 999, 0));

	SECTION("MAP_FIXED_NOREPLACE");
	unsigned long X = 0x300000000UL;
	SHOW("NOREPLACE free X (4 pages)", MMAP(X, 4 * PG, RW, A | MAP_FIXED_NOREPLACE, -1, 0));
	SHOW("NOREPLACE exactly X", MMAP(X, 4 * PG, RW, A | MAP_FIXED_NOREPLACE, -1, 0));
	SHOW("NOREPLACE X+1page, 1 page (inside)", MMAP(X + PG, PG, RW, A | MAP_FIXED_NOREPLACE, -1, 0));
	SHOW("NOREPLACE X-1page, 2 pages (partial overlap below)", MMAP(X - PG, 2 * PG, RW, A | MAP_FIXED_NOREPLACE, -1, 0));
	SHOW("NOREPLACE X+3pages, 2 pages (partial overlap above)", MMAP(X + 3 * PG, 2 * PG, RW, A | MAP_FIXED_NOREPLACE, -1, 0));
	SHOW("NOREPLACE X-2pages, 2 pages (adjacent below)", MMAP(X - 2 * PG, 2 * PG, RW, A | MAP_FIXED_NOREPLACE, -1, 0));
	SHOW("NOREPLACE X+4pages, 1 page (adjacent above)", MMAP(X + 4 * PG, PG, RW, A | MAP_FIXED_NOREPLACE, -1, 0));
	SHOW("NOREPLACE X-4pages, 10 pages (covers all)", MMAP(X - 4 * PG, 10 * PG, RW, A | MAP_FIXED_NOREPLACE, -1, 0));
	SHOW("NOREPLACE|FIXED X (both flags, busy)", MMAP(X, PG, RW, A | MAP_FIXED_NOREPLACE | MAP_FIXED, -1, 0));
	SHOW("NOREPLACE X+0x800 unaligned", MMAP(X + 0x800, PG, RW, A | MAP_FIXED_NOREPLACE, -1, 0));
	SHOW("NOREPLACE at 0x7ffffffff000 (TASK_SIZE)", MMAP(0x7ffffffff000UL, PG, RW, A | MAP_FIXED_NOREPLACE, -1, 0));
	SHOW("NOREPLACE over [stack] guard gap (page below stack)", MMAP(0x7ffffffdd000UL, PG, RW, A | MAP_FIXED_NOREPLACE, -1, 0));
	maps("around X", X - 8 * PG, X + 8 * PG);
	MUNMAP(X - 2 * PG, 8 * PG);
	MUNMAP(0x7ffffffdd000UL, PG);

	SECTION("MAP_32BIT");
	long b1 = SHOW("32BIT 4KiB #1", MMAP(0, PG, RW, A | MAP_32BIT, -1, 0));
	long b2 = SHOW("32BIT 4KiB #2", MMAP(0, PG, RW, A | MAP_32BIT, -1, 0));
	long b3 = SHOW("32BIT 2MiB #3", MMAP(0, 2 * MiB, RW, A | MAP_32BIT, -1, 0));
	long b4 = SHOW("32BIT 4KiB PROT_NONE #4", MMAP(0, PG, PROT_NONE, A | MAP_32BIT, -1, 0));
	SHOW("32BIT hint 0x200000000 (free, above 4G)", MMAP(0x210000000UL, PG, RW, A | MAP_32BIT, -1, 0));
	SHOW("32BIT hint 0x50000000 (free, in window)", MMAP(0x50000000UL, PG, RW, A | MAP_32BIT, -1, 0));
	SHOW("32BIT hint 0x10000000 (free, below window)", MMAP(0x10000000UL, PG, RW, A | MAP_32BIT, -1, 0));
	SHOW("32BIT 1GiB (window is 1GiB, partly used)", MMAP(0, 1UL << 30, RW, A | MAP_32BIT, -1, 0));
	long big = SHOW("32BIT 0x3f000000", MMAP(0, 0x3f000000UL, PROT_NONE, A | MAP_32BIT | MAP_NORESERVE, -1, 0));
	SHOW("32BIT 4KiB after filling", MMAP(0, PG, RW, A | MAP_32BIT, -1, 0));
	SHOW("32BIT 2MiB after filling", MMAP(0, 2 * MiB, RW, A | MAP_32BIT, -1, 0));
	SHOW("32BIT FIXED at 0x500000000", MMAP(0x500000000UL, PG, RW, A | MAP_32BIT | MAP_FIXED, -1, 0));
	maps("32-bit window", 0x3f000000UL, 0x100000000UL);
	if (big > 0) MUNMAP(big, 0x3f000000UL);
	(void)b1; (void)b2; (void)b3; (void)b4;

	SECTION("MAP_GROWSDOWN placement and the stack guard gap");
	long g = SHOW("GROWSDOWN 4 pages unhinted", MMAP(0, 4 * PG, RW, A | MAP_GROWSDOWN, -1, 0));
	smaps_field(g, "VmFlags");
	long n1 = SHOW("next unhinted 4KiB", MMAP(0, PG, RW, A, -1, 0));
	printf("    distance g - (n1+4096) = 0x%lx\n", g - (n1 + PG));
	long n2 = SHOW("next unhinted 4KiB", MMAP(0, PG, RW, A, -1, 0));
	maps("around growsdown", n2 - PG, g + 5 * PG);
	unsigned long G = 0x400000000UL;
	SHOW("GROWSDOWN FIXED at G=0x400000000 (4 pages)", MMAP(G, 4 * PG, RW, A | MAP_GROWSDOWN | MAP_FIXED, -1, 0));
	SHOW("hint G-4096", MMAP(G - PG, PG, RW, A, -1, 0));
	SHOW("hint G-1MiB (ends 1MiB-4KiB... no: ends at G-1MiB+4KiB)", MMAP(G - MiB, PG, RW, A, -1, 0));
	SHOW("hint G-1MiB-4096 (ends exactly at G-1MiB)", MMAP(G - MiB - PG, PG, RW, A, -1, 0));
	SHOW("NOREPLACE G-4096 (inside gap)", MMAP(G - PG, PG, RW, A | MAP_FIXED_NOREPLACE, -1, 0));
	SHOW("FIXED G-2*4096 (inside gap)", MMAP(G - 2 * PG, PG, RW, A | MAP_FIXED, -1, 0));
	maps("around G", G - 2 * MiB, G + 5 * PG);
	SHOW("GROWSDOWN|FIXED at 0x400200000 with PROT_NONE", MMAP(0x400200000UL, PG, PROT_NONE, A | MAP_GROWSDOWN | MAP_FIXED, -1, 0));
	SHOW("hint 0x4001ff000 (below PROT_NONE growsdown)", MMAP(0x4001ff000UL, PG, RW, A, -1, 0));
	maps("around 0x400200000", 0x400000000UL, 0x400300000UL);

	SECTION("MAP_STACK");
	long s1 = SHOW("MAP_STACK 4 pages", MMAP(0, 4 * PG, RW, A | MAP_STACK, -1, 0));
	smaps_field(s1, "VmFlags");
	maps("", s1, s1 + 4 * PG);
	long s2 = SHOW("plain 4 pages FIXED right below MAP_STACK (merge?)", MMAP(s1 - 4 * PG, 4 * PG, RW, A | MAP_FIXED, -1, 0));
	maps("", s2, s1 + 4 * PG);
	long s3 = SHOW("MAP_STACK|MAP_GROWSDOWN", MMAP(0, 4 * PG, RW, A | MAP_STACK | MAP_GROWSDOWN, -1, 0));
	smaps_field(s3, "VmFlags");

	SECTION("mmap_base under other RLIMIT_STACK values (fresh exec each)");
	layout_child(argv[0], "8388608");
	layout_child(argv[0], "1073741824");
	layout_child(argv[0], "unlimited");
	return 0;
}
