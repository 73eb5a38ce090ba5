/* Q3: when does mmap return a 2 MiB (PMD) aligned address, and exactly where? */
#include "probe.h"
#include <sys/mman.h>

static const long RW = PROT_READ | PROT_WRITE;
#define TWO (2 * MiB)

/* where the unhinted top-down search currently starts: end of the next 4K slot */
static unsigned long top(void)
{
	long p = MMAP(0, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	MUNMAP(p, PG);
	return (unsigned long)p + PG;
}

static void one(const char *what, unsigned long hint, unsigned long len, long flags, int fd, unsigned long off)
{
	unsigned long T = top();
	long a = MMAP(hint, len, fd < 0 ? RW : PROT_READ, flags, fd, off);
	char l[120];
	snprintf(l, sizeof l, "%s len=0x%lx off=0x%lx%s", what, len, off, hint ? " +hint" : "");
	if (a < 0 && a > -4096) {
		printf("  %-60s -> %s\n", l, rs(a));
		return;
	}
	unsigned long ua = T - len; /* where an unaligned top-down choice would go */
	const char *verdict;
	if (hint && (unsigned long)a == hint)
		verdict = "= hint";
	else if ((unsigned long)a == ua)
		verdict = ((ua - off) % TWO == 0) ? "= T-len (happens to be aligned)" : "= T-len (unaligned choice)";
	else if ((unsigned long)a == ((ua - off) & ~(TWO - 1)) + (off & (TWO - 1)) ||
		 (unsigned long)a == ((ua & ~(TWO - 1)) + (off & (TWO - 1))))
		verdict = "= highest addr<=T-len with addr%2M==off%2M (ALIGNED)";
	else
		verdict = "OTHER";
	printf("  %-60s -> 0x%lx  (T=0x%lx, T-len=0x%lx, addr%%2M=0x%lx) %s\n", l, a, T, ua,
	       (unsigned long)a % TWO, verdict);
	MUNMAP(a, len);
}

static void spacer(unsigned long n)
{
	/* shift the top so T is not 2M aligned by n pages */
	MMAP(0, n * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

int main(void)
{
	probe_init();
	char p3[64], p5[64], s5[64];
	snprintf(p3, sizeof p3, "/tmp/probe03_3m_%d", getuid());
	snprintf(p5, sizeof p5, "/tmp/probe03_5m_%d", getuid());
	snprintf(s5, sizeof s5, "/dev/shm/probe03_5m_%d", getuid());
	int f3 = make_file(p3, 3 * MiB), f5 = make_file(p5, 5 * MiB), fs = make_file(s5, 5 * MiB);
	int fz = (int)sc(SYS_open, "/dev/zero", O_RDWR);
	unsigned long lens[] = {PG, MiB, TWO, TWO + PG, 3 * MiB, 4 * MiB, 6 * MiB};
	const long AP = MAP_PRIVATE | MAP_ANONYMOUS, AS = MAP_SHARED | MAP_ANONYMOUS;

	printf("\n== padded search: a gap of 4MiB-4KiB at the top holds an aligned 2MiB slot but not len+2MiB\n");
	{
		unsigned long T = top();
		unsigned long B = T - 4 * MiB;
		MMAP(B, PG, PROT_NONE, AP | MAP_FIXED, -1, 0);
		long a = MMAP(0, TWO, RW, AP, -1, 0);
		printf("  T=0x%lx blocker at 0x%lx (gap [0x%lx,0x%lx) = 4MiB-4KiB, contains aligned 2M slot? %s)\n",
		       T, B, B + PG, T, ((((B + PG) + TWO - 1) & ~(TWO - 1)) + TWO <= T) ? "yes" : "no");
		printf("  anon 2MiB -> %s\n", rs(a));
		long b = MMAP(0, 4 * MiB - PG, RW, AP, -1, 0);
		printf("  then anon 4MiB-4KiB (unaligned kind) -> %s (fills the gap exactly? %s)\n", rs(b), (unsigned long)b == B + PG ? "yes" : "no");
		maps("", a - PG, T + PG);
	}
	MUNMAP(0x7ff000000000UL, 0x7ffff7ff7000UL - 0x7ff000000000UL);
	for (int sp = 0; sp < 2; sp++) {
		printf("\n== round %d (T shifted by spacer of %d pages)\n", sp, sp ? 5 : 0);
		if (sp) spacer(5);
		for (unsigned i = 0; i < sizeof lens / sizeof *lens; i++) one("anon private", 0, lens[i], AP, -1, 0);
		for (unsigned i = 0; i < sizeof lens / sizeof *lens; i++) one("anon shared", 0, lens[i], AS, -1, 0);
		for (unsigned i = 0; i < sizeof lens / sizeof *lens; i++) one("/dev/zero private", 0, lens[i], MAP_PRIVATE, fz, 0);
		for (unsigned i = 0; i < sizeof lens / sizeof *lens; i++) one("/dev/zero shared", 0, lens[i], MAP_SHARED, fz, 0);
		for (unsigned i = 0; i < sizeof lens / sizeof *lens; i++) one("anon private NORESERVE PROT_NONE", 0, lens[i], AP | MAP_NORESERVE, -1, 0);
		for (unsigned i = 0; i < sizeof lens / sizeof *lens; i++) one("anon private GROWSDOWN", 0, lens[i], AP | MAP_GROWSDOWN, -1, 0);
		for (unsigned i = 0; i < sizeof lens / sizeof *lens; i++) one("anon private STACK", 0, lens[i], AP | MAP_STACK, -1, 0);
		unsigned long flen[] = {MiB, TWO, TWO + PG, 3 * MiB, 4 * MiB, 5 * MiB};
		for (unsigned i = 0; i < 6; i++) {
			one("ext4 3MiB file private", 0, flen[i], MAP_PRIVATE, f3, 0);
			one("ext4 3MiB file shared", 0, flen[i], MAP_SHARED, f3, 0);
			one("ext4 3MiB file private", 0, flen[i], MAP_PRIVATE, f3, PG);
			one("ext4 3MiB file shared", 0, flen[i], MAP_SHARED, f3, PG);
			one("ext4 5MiB file private", 0, flen[i], MAP_PRIVATE, f5, 0);
			one("ext4 5MiB file shared", 0, flen[i], MAP_SHARED, f5, 0);
			one("ext4 5MiB file private", 0, flen[i], MAP_PRIVATE, f5, PG);
			one("ext4 5MiB file shared", 0, flen[i], MAP_SHARED, f5, PG);
			one("ext4 5MiB file private", 0, flen[i], MAP_PRIVATE, f5, MiB);
			one("ext4 5MiB file private", 0, flen[i], MAP_PRIVATE, f5, TWO);
			one("tmpfs 5MiB file private", 0, flen[i], MAP_PRIVATE, fs, 0);
			one("tmpfs 5MiB file shared", 0, flen[i], MAP_SHARED, fs, 0);
			one("tmpfs 5MiB file shared", 0, flen[i], MAP_SHARED, fs, PG);
		}
		printf("  -- with a free hint 0x300001000\n");
		one("anon private", 0x300001000UL, TWO, AP, -1, 0);
		one("anon private", 0x300001000UL, 4 * MiB, AP, -1, 0);
		one("anon shared", 0x300001000UL, TWO, AS, -1, 0);
		one("ext4 5MiB file private", 0x300001000UL, 4 * MiB, MAP_PRIVATE, f5, 0);
		one("/dev/zero private", 0x300001000UL, 4 * MiB, MAP_PRIVATE, fz, 0);
		printf("  -- with a busy hint (hint page occupied)\n");
		MMAP(0x300001000UL, PG, RW, AP | MAP_FIXED, -1, 0);
		one("anon private", 0x300001000UL, TWO, AP, -1, 0);
		one("anon private", 0x300001000UL, 4 * MiB, AP, -1, 0);
		one("ext4 5MiB file private", 0x300001000UL, 4 * MiB, MAP_PRIVATE, f5, 0);
		one("/dev/zero private", 0x300001000UL, 4 * MiB, MAP_PRIVATE, fz, 0);
		MUNMAP(0x300001000UL, PG);
		printf("  -- MAP_32BIT (bottom-up window 0x40000000..0x80000000)\n");
		for (unsigned i = 0; i < sizeof lens / sizeof *lens; i++) {
			long a = MMAP(0, lens[i], RW, AP | MAP_32BIT, -1, 0);
			printf("  32BIT anon private len=0x%lx -> %s  (addr%%2M=0x%lx)\n", lens[i], rs(a), (unsigned long)a % TWO);
			long b = MMAP(0, PG, RW, AP | MAP_32BIT, -1, 0);
			printf("     then 32BIT 4K -> %s\n", rs(b));
		}
		maps("32-bit window", 0x40000000UL, 0x80000000UL);
		for (unsigned long a = 0x40000000UL; a < 0x41000000UL; a += PG) {}
		MUNMAP(0x40000000UL, 0x40000000UL);
	}

	printf("\n== top-down: an aligned mapping placed when T-len is/isn't aligned; what fills the pad?\n");
	{
		unsigned long T = top();
		long a = MMAP(0, TWO, RW, AP, -1, 0);
		long b = MMAP(0, PG, RW, AP, -1, 0);
		long c = MMAP(0, TWO, RW, AP, -1, 0);
		printf("  T=0x%lx  2M -> 0x%lx  then 4K -> 0x%lx  then 2M -> 0x%lx\n", T, a, b, c);
		maps("", c - TWO, T + PG);
	}

	printf("\n== smaps THPeligible for an aligned anon 2M mapping and a MADV_HUGEPAGE one\n");
	{
		long a = MMAP(0, TWO, RW, AP, -1, 0);
		smaps_field(a, "THPeligible");
		MADVISE(a, TWO, 14);
		smaps_field(a, "THPeligible");
		smaps_field(a, "VmFlags");
	}
	sc(SYS_unlink, p3); sc(SYS_unlink, p5); sc(SYS_unlink, s5);
	return 0;
}
