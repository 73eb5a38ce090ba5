/* Q8: munmap argument checks; behaviour at vm.max_map_count. */
#include "probe.h"
#include <sys/mman.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;

int main(void)
{
	probe_init();
	unsigned long X = 0x500000000UL;
	SECTION("munmap arguments");
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("len 0 (mapped addr)", MUNMAP(X, 0));
	SHOW("len 0 unaligned addr", MUNMAP(X + 1, 0));
	SHOW("unaligned addr X+1 len 4096", MUNMAP(X + 1, PG));
	SHOW("unaligned addr X+0x800 len 4096", MUNMAP(X + 0x800, PG));
	SHOW("hole-only range 0x400000000 len 4 pages", MUNMAP(0x400000000UL, 4 * PG));
	SHOW("len 1 at X+3p (rounds up to a page)", MUNMAP(X + 3 * PG, 1));
	maps("after", X, X + 4 * PG);
	SHOW("addr X len ~0UL (overflow)", MUNMAP(X, ~0UL));
	SHOW("addr X len -X (end == 2^64)", MUNMAP(X, -X));
	SHOW("addr X len 0x7ffffffff000 - X + 4096 (end > TASK_SIZE)", MUNMAP(X, 0x7ffffffff000UL - X + PG));
	SHOW("addr X len 0x7ffffffff000 - X (end == TASK_SIZE)... skipped", 0);
	SHOW("addr 0x7ffffffff000 (== TASK_SIZE) len 4096", MUNMAP(0x7ffffffff000UL, PG));
	SHOW("addr 0x7ffffffff000 (== TASK_SIZE) len 0", MUNMAP(0x7ffffffff000UL, 0));
	SHOW("addr 0x7fffffffe000 len 4096 (last page below TASK_SIZE, in [stack]?)... skipped", 0);
	SHOW("addr 0x800000000000 len 4096", MUNMAP(0x800000000000UL, PG));
	SHOW("addr 0xffffffffff600000 ([vsyscall]) len 4096", MUNMAP(0xffffffffff600000UL, PG));
	SHOW("addr 0 len 4096 (nothing there)", MUNMAP(0, PG));
	SHOW("addr 0x7ffffffff000-8192 len 8192 (ends at TASK_SIZE; hole?)", 0);
	/* several VMAs */
	MMAP(X, PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	MMAP(X + PG, PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	MMAP(X + 4 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	maps("before spanning munmap", X - PG, X + 7 * PG);
	SHOW("munmap(X+0x800? no: X, 5 pages) spanning 4 VMAs + hole, ends mid-VMA", MUNMAP(X, 5 * PG));
	maps("after", X - PG, X + 7 * PG);
	MUNMAP(X, 8 * PG);
	/* special mapping split */
	read_file_("/proc/self/maps", mapsbuf_, sizeof mapsbuf_);
	unsigned long vvar = 0;
	for (char *l = mapsbuf_; *l;) {
		char *e = strchr(l, '\n');
		unsigned long s2, t2;
		*e = 0;
		sscanf(l, "%lx-%lx", &s2, &t2);
		if (strstr(l, "[vvar]")) vvar = s2;
		l = e + 1;
	}
	SHOW("munmap 1st page of [vvar] (split of special mapping)", MUNMAP(vvar, PG));
	SHOW("munmap 2nd page of [vvar]", MUNMAP(vvar + PG, PG));

	SECTION("max_map_count");
	char mc[32] = {0};
	read_file_("/proc/sys/vm/max_map_count", mc, sizeof mc);
	long max = strtol(mc, 0, 10);
	printf("  vm.max_map_count = %ld; VMAs now (excluding [vsyscall]) = %d\n", max, count_vmas());
	unsigned long Z = 0x100000000UL;
	long i, r = 0;
	for (i = 0; i < 200000; i++) {
		r = MMAP(Z + i * 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0);
		if (r < 0 && r > -4096) break;
	}
	/* pages are placed every other page: each is its own VMA */
	int n = count_vmas();
	printf("  1-page mappings with 1-page holes: %ld succeeded, #%ld failed with %s\n", i, i, rs(r));
	printf("  VMAs counted in maps now = %d  (max_map_count = %ld)\n", n, max);
	unsigned long last = Z + (i - 1) * 2 * PG; /* last successful one */
	SHOW("mmap 1 page that would merge with the last one (adjacent, same prot)", MMAP(last + PG, PG, RW, AP | MAP_FIXED, -1, 0));
	SHOW("mmap NOREPLACE anywhere new", MMAP(0x300000000UL, PG, RW, AP | MAP_FIXED_NOREPLACE, -1, 0));
	SHOW("mmap without hint", MMAP(0, PG, RW, AP, -1, 0));
	SHOW("mmap FIXED exactly over an existing whole VMA (replace, count unchanged)", MMAP(last, PG, PROT_READ, AP | MAP_FIXED, -1, 0));
	printf("  VMAs = %d\n", count_vmas());
	/* now make a 3-page VMA to split */
	SHOW("munmap the last 1-page VMA (count -1)", MUNMAP(last, PG));
	printf("  VMAs = %d\n", count_vmas());
	r = SHOW("mmap 3 pages (count +1 -> back to previous)", MMAP(0x300000000UL, 3 * PG, RW, AP | MAP_FIXED, -1, 0));
	printf("  VMAs = %d\n", count_vmas());
	SHOW("mmap another (should fail if at limit)", MMAP(0x300100000UL, PG, RW, AP | MAP_FIXED, -1, 0));
	printf("  VMAs = %d\n", count_vmas());
	unsigned long T3 = 0x300000000UL;
	SHOW("munmap middle page of the 3-page VMA (needs split, +1)", MUNMAP(T3 + PG, PG));
	SHOW("munmap last page of the 3-page VMA (tail: split then remove, net 0)", MUNMAP(T3 + 2 * PG, PG));
	printf("  VMAs = %d\n", count_vmas());
	maps("T3", T3, T3 + 3 * PG);
	SHOW("mprotect first page of T3 (needs split, +1)", MPROTECT(T3, PG, PROT_READ));
	SHOW("mprotect whole T3 (no split)", MPROTECT(T3, 2 * PG, PROT_READ));
	SHOW("madvise DONTFORK first page of T3 (split)", MADVISE(T3, PG, MADV_DONTFORK));
	SHOW("mlock first page of T3 (split)", MLOCK(T3, PG));
	SHOW("mremap shrink T3 2->1 pages (tail split)", MREMAP(T3, 2 * PG, PG, 0, 0));
	printf("  VMAs = %d\n", count_vmas());
	maps("T3", T3, T3 + 3 * PG);
	SHOW("mremap move 1 page of a 2-page VMA elsewhere", 0);
	/* free exactly one VMA, then probe count == max-1 state */
	printf("\n  -- stepping the count: free VMAs one by one and retry\n");
	unsigned long k = 0;
	for (int step = 0; step < 4; step++) {
		int before = count_vmas();
		long m = MMAP(0x300200000UL + step * 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0);
		printf("  count before=%d: new mmap -> %s, count after=%d\n", before, rs(m), count_vmas());
		if (m < 0 && m > -4096) {
			MUNMAP(Z + k * 2 * PG, PG);
			k++;
			printf("    freed one VMA (count now %d)\n", count_vmas());
		}
	}
	printf("\n  -- split tests at count == max exactly and at max-1\n");
	/* T3 is 1 page now; build a fresh 3-page VMA */
	MUNMAP(T3, 3 * PG);
	MMAP(T3, 3 * PG, RW, AP | MAP_FIXED, -1, 0);
	for (int step = 0; step < 3; step++) {
		int c = count_vmas();
		long a = MPROTECT(T3 + PG, PG, PROT_READ); /* middle: +2 */
		int c2 = count_vmas();
		long b = MPROTECT(T3 + PG, PG, RW); /* merge back */
		int c3 = count_vmas();
		long u = MUNMAP(T3 + PG, PG); /* middle: +1 */
		int c4 = count_vmas();
		MMAP(T3 + PG, PG, RW, AP | MAP_FIXED, -1, 0); /* merge back */
		printf("  count=%d: mprotect middle -> %s (count %d), back -> %s (count %d), munmap middle -> %s (count %d), refill -> count %d\n",
		       c, rs(a), c2, rs(b), c3, rs(u), c4, count_vmas());
		long e = MPROTECT(T3, PG, PROT_READ); /* edge: +1 */
		int c5 = count_vmas();
		MPROTECT(T3, PG, RW);
		printf("           mprotect first page -> %s (count %d), back (count %d)\n", rs(e), c5, count_vmas());
		MUNMAP(Z + k * 2 * PG, PG);
		k++;
	}
	return 0;
}
