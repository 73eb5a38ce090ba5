/*
 * unit_mapcount.c — max_map_count edges for tests/test_mmap_errno.c that
 * p08_munmap_mapcount.c does not cover: a munmap that starts in one VMA and
 * ends in another while map_count > max, and a MAP_FIXED into the middle of
 * a VMA (two splits) at map_count == max and == max - 1.
 *
 * The process fills its address space with 1-page VMAs (1-page holes in
 * between) until mmap fails, so map_count = max + 1, then frees single VMAs
 * to step the count down.
 *
 *   gcc -O1 -static -o /tmp/unit_mapcount tests/probe/unit_mapcount.c
 *   setarch -R /tmp/unit_mapcount
 */
#include "probe.h"
#include <sys/mman.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;

int main(void)
{
	unsigned long T = 0x300000000UL, V = 0x380000000UL, Z = 0x100000000UL;
	long i, r = 0, count, max;
	char mc[32] = {0};

	probe_init();
	read_file_("/proc/sys/vm/max_map_count", mc, sizeof mc);
	max = strtol(mc, 0, 10);
	/* T: 3 pages RW, hole, U: 2 pages R */
	MMAP(T, 3 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(T + 4 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	for (i = 0; i < 200000; i++) {
		r = MMAP(Z + i * 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0);
		if (r < 0 && r > -4096)
			break;
	}
	count = count_vmas();
	printf("max_map_count %ld; filled: map_count %ld (max + %ld)\n", max, count, count - max);

	r = MUNMAP(T + 2 * PG, 3 * PG);
	printf("(a) map_count max+1: munmap from inside T to inside U -> %s; map_count max%+ld\n",
	       rs(r), count_vmas() - max);
	maps("T and U", T, T + 8 * PG);

	MUNMAP(Z, PG);                       /* -> max */
	r = MMAP(V, 3 * PG, RW, AP | MAP_FIXED, -1, 0);   /* -> max + 1 */
	MUNMAP(Z + 2 * PG, PG);              /* -> max */
	printf("    made V (3 pages RW); map_count max%+ld\n", count_vmas() - max);
	r = MMAP(V + PG, PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	printf("(b) map_count max: MAP_FIXED R into the middle of V -> %s; map_count max%+ld\n",
	       rs(r), count_vmas() - max);
	maps("V", V, V + 4 * PG);

	MUNMAP(Z + 4 * PG, PG);              /* -> max - 1 */
	printf("    map_count max%+ld\n", count_vmas() - max);
	r = MMAP(V + PG, PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	printf("(c) map_count max-1: MAP_FIXED R into the middle of V -> %s; map_count max%+ld\n",
	       rs(r), count_vmas() - max);
	maps("V", V, V + 4 * PG);
	return 0;
}
