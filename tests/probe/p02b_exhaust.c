/* Q2 extra: what happens when the space below mmap_base is full? */
#include "probe.h"
#include <sys/mman.h>

int main(void)
{
	probe_init();
	const long F = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED;
	/* fill [0x10000, 0x7ffff7ff7000) except what is already mapped: the
	 * static image and heap live below 0x2000000 */
	unsigned long lo = 0x10000000UL, hi = 0x7ffff7ff7000UL;
	SHOW("PROT_NONE NORESERVE FIXED [0x10000000, vvar)", MMAP(lo, hi - lo, PROT_NONE, F, -1, 0));
	SHOW("PROT_NONE NORESERVE FIXED [0x10000, 0x400000)", MMAP(0x10000, 0x400000 - 0x10000, PROT_NONE, F, -1, 0));
	long b = BRK(0);
	SHOW("PROT_NONE NORESERVE FIXED [brk+1p, 0x10000000)", MMAP(b + PG, lo - b - PG, PROT_NONE, F, -1, 0));
	maps("all", 0, 0);
	long r = SHOW("mmap 4K unhinted (below mmap_base is full)", MMAP(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	long r2 = SHOW("mmap 4K unhinted again", MMAP(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	long r3 = SHOW("mmap 2MiB unhinted", MMAP(0, 2 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	long r4 = SHOW("mmap 200MiB unhinted (more than the free space above mmap_base)", MMAP(0, 200 * MiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
	long r5 = SHOW("mmap 4K MAP_32BIT", MMAP(0, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0));
	(void)r; (void)r2; (void)r3; (void)r4; (void)r5;
	maps("top", 0x7ffff0000000UL, 0x800000000000UL);
	SHOW("munmap one page in the middle of the big PROT_NONE at 0x500000000", MUNMAP(0x500000000UL, PG));
	SHOW("mmap 4K unhinted", MMAP(0, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	SHOW("munmap 2 pages at 0x600000000", MUNMAP(0x600000000UL, 2 * PG));
	SHOW("mmap 4K unhinted", MMAP(0, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	SHOW("mmap 4K unhinted", MMAP(0, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	SHOW("mmap 4K unhinted", MMAP(0, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	return 0;
}
