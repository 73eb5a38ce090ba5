/* Q4: VM_ACCOUNT ("ac" in VmFlags) and merging after mprotect round trips. */
#include "probe.h"
#include <sys/mman.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long R = PROT_READ, RW = PROT_READ | PROT_WRITE;

static void flags3(unsigned long a)
{
	for (int i = 0; i < 3; i++) smaps_field(a + i * PG, "VmFlags");
}

static void roundtrip(const char *title, long prot0, long flags, int fd, int touch)
{
	printf("\n== %s\n", title);
	long a = MMAP(0, 3 * PG, prot0, flags, fd, 0);
	printf("  mmap 3 pages prot=%ld -> %s\n", prot0, rs(a));
	if (touch == 1) ((volatile char *)a)[PG] = 1, printf("  (wrote to middle page before mprotect)\n");
	if (touch == 3) for (int i = 0; i < 3; i++) ((volatile char *)a)[i * PG] = 1;
	if (touch == 3) printf("  (wrote to all 3 pages before mprotect)\n");
	maps("initial", a, a + 3 * PG);
	long p1 = prot0 == R ? RW : R;
	printf("  mprotect(middle, %s) -> %s\n", p1 == RW ? "RW" : "R", rs(MPROTECT(a + PG, PG, p1)));
	if (touch == 2 && p1 == RW) ((volatile char *)a)[PG] = 1, printf("  (wrote to middle page while RW)\n");
	maps("after 1st mprotect", a, a + 3 * PG);
	flags3(a);
	printf("  mprotect(middle, back) -> %s\n", rs(MPROTECT(a + PG, PG, prot0)));
	maps("after mprotect back", a, a + 3 * PG);
	flags3(a);
	printf("  mprotect(whole, %s) -> %s\n", p1 == RW ? "RW" : "R", rs(MPROTECT(a, 3 * PG, p1)));
	maps("after whole-range mprotect", a, a + 3 * PG);
	printf("  mprotect(whole, back) -> %s\n", rs(MPROTECT(a, 3 * PG, prot0)));
	maps("after whole-range back", a, a + 3 * PG);
	flags3(a);
	MUNMAP(a, 3 * PG);
}

int main(void)
{
	probe_init();
	char path[64];
	snprintf(path, sizeof path, "/tmp/probe04_%d", getuid());
	int f = make_file(path, 3 * PG);
	roundtrip("anon private R, untouched: middle -> RW -> R", R, AP, -1, 0);
	roundtrip("anon private R: middle -> RW, write to it, -> R", R, AP, -1, 2);
	roundtrip("anon private RW, untouched: middle -> R -> RW", RW, AP, -1, 0);
	roundtrip("anon private RW, middle page written first: middle -> R -> RW", RW, AP, -1, 1);
	roundtrip("anon private RW, all pages written first: middle -> R -> RW", RW, AP, -1, 3);
	roundtrip("anon private R NORESERVE: middle -> RW -> R", R, AP | MAP_NORESERVE, -1, 0);
	roundtrip("anon private RW NORESERVE: middle -> R -> RW", RW, AP | MAP_NORESERVE, -1, 0);
	roundtrip("anon shared R: middle -> RW -> R", R, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	roundtrip("anon shared RW: middle -> R -> RW", RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	roundtrip("file private R (untouched): middle -> RW -> R", R, MAP_PRIVATE, f, 0);
	roundtrip("file private R: middle -> RW, write, -> R", R, MAP_PRIVATE, f, 2);
	roundtrip("file private RW untouched: middle -> R -> RW", RW, MAP_PRIVATE, f, 0);
	roundtrip("file shared R: middle -> RW -> R", R, MAP_SHARED, f, 0);

	printf("\n== NORESERVE next to normal (both RW, anon private, adjacent via MAP_FIXED)\n");
	{
		long a = MMAP(0, 4 * PG, RW, AP, -1, 0);
		long b = MMAP(a + 4 * PG, 4 * PG, RW, AP | MAP_NORESERVE | MAP_FIXED, -1, 0);
		printf("  normal at %s, NORESERVE right above at %s\n", rs(a), rs(b));
		maps("", a, a + 8 * PG);
		smaps_field(a, "VmFlags"); smaps_field(a + 4 * PG, "VmFlags");
		long c = MMAP(a - 4 * PG, 4 * PG, R, AP | MAP_NORESERVE | MAP_FIXED, -1, 0);
		long d = MMAP(a - 8 * PG, 4 * PG, R, AP | MAP_FIXED, -1, 0);
		printf("  R NORESERVE below at %s, R normal below that at %s\n", rs(c), rs(d));
		maps("", a - 8 * PG, a + 8 * PG);
		smaps_field(a - 4 * PG, "VmFlags"); smaps_field(a - 8 * PG, "VmFlags");
		printf("  mprotect(normal R part -> RW) -> %s\n", rs(MPROTECT(a - 8 * PG, 4 * PG, RW)));
		printf("  mprotect(NORESERVE R part -> RW) -> %s\n", rs(MPROTECT(a - 4 * PG, 4 * PG, RW)));
		maps("", a - 8 * PG, a + 8 * PG);
		MUNMAP(a - 8 * PG, 16 * PG);
	}
	printf("\n== adjacent RW and R anon private (R has no VM_ACCOUNT): mprotect R part to RW -> merged?\n");
	{
		long a = MMAP(0, 2 * PG, R, AP, -1, 0);
		long b = MMAP(a + 2 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
		(void)b;
		maps("before", a, a + 4 * PG);
		printf("  mprotect(R part -> RW) -> %s\n", rs(MPROTECT(a, 2 * PG, RW)));
		maps("after", a, a + 4 * PG);
		MUNMAP(a, 4 * PG);
	}
	sc(SYS_unlink, path);
	return 0;
}
