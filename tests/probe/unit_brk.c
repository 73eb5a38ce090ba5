/*
 * unit_brk.c — the heap cases of tests/test_merge.c, measured exactly as the
 * test performs them, in a freestanding binary (mini.h) whose break is
 * untouched at entry (b0 = start_brk, no [heap] VMA yet).
 *
 *   gcc -O1 -static -nostdlib -fno-builtin -fno-stack-protector \
 *       -o /tmp/unit_brk tests/probe/unit_brk.c
 *   setarch -R /tmp/unit_brk A; ... B; ... C; ... D (one
 *   scenario per exec, so each starts from a fresh break)
 */
#include "mini.h"
#define BRK(a) S6(__NR_brk, a, 0, 0, 0, 0, 0)
#define MMAP(a, l, p, f, fd, o) S6(__NR_mmap, a, l, p, f, fd, o)
#define APF (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
/* two pages of initialised data end the image, so its last page (under b0)
 * holds nothing else and may be replaced (as in p09_brk.c) */
__attribute__((aligned(4096))) volatile char pad[2 * 4096] = {1};

static void heap(ul b0, const char *title)
{
	out("  maps "); out(title); out(":\n");
	dump("/proc/self/maps", b0 - 16 * PG, b0 + 64 * PG);
}

int main(int argc, char **argv, char **envp)
{
	ul b0 = (ul)BRK(0);
	char which = argc > 1 ? argv[1][0] : 'A';

	(void)envp;
	out("# b0 = "); outx(b0); out(", scenario "); outn(&which, 1); out("\n");
	switch (which) {
	case 'A':   /* heap_absorbs_mapping_at_break */
		show("brk(b0+2p)", BRK(b0 + 2 * PG));
		show("mmap [b0+2p, b0+4p) RW FIXED", MMAP(b0 + 2 * PG, 2 * PG, 3, APF, -1, 0));
		heap(b0, "merged");
		show("brk(b0+3p)", BRK(b0 + 3 * PG));
		show("brk(b0+6p)", BRK(b0 + 6 * PG));
		show("brk(b0+1p)", BRK(b0 + PG));
		heap(b0, "after shrink");
		break;
	case 'B':   /* heap_does_not_grow_into_vma_below */
		show("mmap [b0-1p, b0) RW FIXED", MMAP(b0 - PG, PG, 3, APF, -1, 0));
		show("brk(b0+2p)", BRK(b0 + 2 * PG));
		heap(b0, "after brk");
		break;
	case 'C':   /* mapping_below_heap_merges_with_it */
		show("brk(b0+2p)", BRK(b0 + 2 * PG));
		show("mmap [b0-1p, b0) RW FIXED", MMAP(b0 - PG, PG, 3, APF, -1, 0));
		heap(b0, "after mmap");
		show("brk(b0+3p)", BRK(b0 + 3 * PG));
		heap(b0, "after brk");
		break;
	case 'D':   /* brk_shrink_after_heap_unmapped (test_mmap_errno.c) */
		show("brk(b0+1p)", BRK(b0 + PG));
		show("munmap [b0, b0+1p)", S6(__NR_munmap, b0, PG, 0, 0, 0, 0));
		show("brk(b0) (shrink, no heap VMA left)", BRK(b0));
		show("brk(b0+2p)", BRK(b0 + 2 * PG));
		heap(b0, "after grow");
		break;
	}
	return 0;
}
