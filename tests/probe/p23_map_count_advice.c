/* Q23: madvise and mlock when a split would pass vm.max_map_count.
 * Fills the address space with one-page mappings until mmap fails, then
 * asks for advice and locks that need (or do not need) a split. */
#include "probe.h"
#include <sys/mman.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;
#define X 0x500000000UL
#define FILL 0x100000000UL

int main(void)
{
	probe_init();
	unsigned long vvar = 0x7ffff7ff7000UL;
	long n = 0;

	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 8 * PG, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	while (MMAP(FILL + 2 * n * PG, PG, PROT_READ, AP | MAP_FIXED_NOREPLACE, -1, 0) > 0)
		n++;
	printf("  filled with %ld one-page mappings; VMAs now %d\n", n, count_vmas());
	SHOW("madvise RANDOM on page 1 of A (split)", MADVISE(X + PG, PG, MADV_RANDOM));
	SHOW("madvise RANDOM on all of A (no split)", MADVISE(X, 4 * PG, MADV_RANDOM));
	SHOW("madvise POPULATE_WRITE page 1", MADVISE(X + PG, PG, 23));
	SHOW("madvise DONTFORK vvar page 0 (special, split)", MADVISE(vvar, PG, MADV_DONTFORK));
	SHOW("mlock page 0 of B (split)", MLOCK(X + 8 * PG, PG));
	SHOW("mlock all of B (no split)", MLOCK(X + 8 * PG, 4 * PG));
	SHOW("munlock page 0 of B (split)", MUNLOCK(X + 8 * PG, PG));
	SHOW("mprotect page 1 of A (split)", MPROTECT(X + PG, PG, PROT_READ));
	SHOW("munmap one filler", MUNMAP(FILL, PG));
	printf("  VMAs now %d\n", count_vmas());
	SHOW("madvise RANDOM->SEQUENTIAL page 1 of A (split)", MADVISE(X + PG, PG, MADV_SEQUENTIAL));
	SHOW("munmap another filler", MUNMAP(FILL + 2 * PG, PG));
	printf("  VMAs now %d\n", count_vmas());
	SHOW("madvise SEQUENTIAL page 1 of A (split)", MADVISE(X + PG, PG, MADV_SEQUENTIAL));
	printf("  VMAs now %d\n", count_vmas());
	SHOW("madvise SEQUENTIAL page 2 of A (split in 3 -> 4? needs 1 more)", MADVISE(X + 2 * PG, PG, MADV_SEQUENTIAL));
	return 0;
}
