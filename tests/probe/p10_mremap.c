/* Q10: mremap(2) cases. */
#include "probe.h"
#include <sys/mman.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS, AS = MAP_SHARED | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;
#define X 0x500000000UL
#define Y 0x600000000UL
#define MAY MREMAP_MAYMOVE
#define FIX MREMAP_FIXED
#define DU MREMAP_DONTUNMAP

static void clean(void)
{
	MUNMAP(X - 64 * PG, 256 * PG);
	MUNMAP(Y - 64 * PG, 256 * PG);
}

int main(void)
{
	probe_init();
	char path[64];
	snprintf(path, sizeof path, "/tmp/probe10_%d", getuid());
	int f = make_file(path, 8 * PG);
	long r;

	SECTION("argument checks");
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("unaligned old addr X+1", MREMAP(X + 1, PG, 2 * PG, MAY, 0));
	SHOW("unaligned old addr in a hole 0x10001", MREMAP(0x10001, PG, 2 * PG, MAY, 0));
	SHOW("new_len 0", MREMAP(X, PG, 0, MAY, 0));
	SHOW("new_len 0, old_len 0", MREMAP(X, 0, 0, MAY, 0));
	SHOW("new_len ~0UL (PAGE_ALIGN wraps)", MREMAP(X, PG, ~0UL, MAY, 0));
	SHOW("new_len 1<<47", MREMAP(X, PG, 1UL << 47, MAY, 0));
	SHOW("old_len ~0UL", MREMAP(X, ~0UL, PG, MAY, 0));
	SHOW("flags 0x8 (unknown)", MREMAP(X, PG, 2 * PG, 0x8, 0));
	SHOW("flags MAYMOVE|0x8", MREMAP(X, PG, 2 * PG, MAY | 0x8, 0));
	SHOW("flags 0x100", MREMAP(X, PG, PG, 0x100, 0));
	SHOW("flags 0x80000000", MREMAP(X, PG, PG, 0x80000000UL, 0));
	SHOW("FIXED without MAYMOVE", MREMAP(X, PG, PG, FIX, Y));
	SHOW("DONTUNMAP without MAYMOVE", MREMAP(X, PG, PG, DU, 0));
	SHOW("FIXED|MAYMOVE unaligned new addr Y+1", MREMAP(X, PG, PG, MAY | FIX, Y + 1));
	SHOW("FIXED|MAYMOVE new range overlaps old (new=X+1p, len 2p)", MREMAP(X, 2 * PG, 2 * PG, MAY | FIX, X + PG));
	SHOW("FIXED|MAYMOVE new == old", MREMAP(X, 2 * PG, 2 * PG, MAY | FIX, X));
	SHOW("FIXED|MAYMOVE new range ends at old start (adjacent below)", MREMAP(X, PG, PG, MAY | FIX, X - PG));
	maps("after (X-1p page moved?)", X - 2 * PG, X + 5 * PG);
	clean();
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("FIXED|MAYMOVE new addr above TASK_SIZE", MREMAP(X, PG, PG, MAY | FIX, 0x800000000000UL));
	SHOW("FIXED|MAYMOVE new 0x7ffffffff000 (end > TASK_SIZE)", MREMAP(X, PG, 2 * PG, MAY | FIX, 0x7ffffffff000UL));
	SHOW("FIXED|MAYMOVE new addr 0", MREMAP(X, PG, PG, MAY | FIX, 0));
	SHOW("FIXED|MAYMOVE new addr 0x1000", MREMAP(X + 3 * PG, PG, PG, MAY | FIX, 0x1000));
	MUNMAP(0, 2 * PG);
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("old addr in a hole (X+8p)", MREMAP(X + 8 * PG, PG, 2 * PG, MAY, 0));
	SHOW("old addr in a hole, shrink", MREMAP(X + 8 * PG, 2 * PG, PG, 0, 0));
	SHOW("old addr in a hole, same size", MREMAP(X + 8 * PG, PG, PG, 0, 0));
	SHOW("old addr above TASK_SIZE", MREMAP(0x800000000000UL, PG, 2 * PG, MAY, 0));
	SHOW("old_len unaligned 1 -> new 4096 (same after rounding)", MREMAP(X, 1, PG, 0, 0));
	SHOW("same size, no flags", MREMAP(X, PG, PG, 0, 0));
	SHOW("same size, old range spanning a hole", MREMAP(X + 3 * PG, 4 * PG, 4 * PG, 0, 0));
	maps("X", X, X + 8 * PG);

	SECTION("old_len 0 (duplicate mapping)");
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("private anon, old_len 0, new 2p, MAYMOVE", MREMAP(X, 0, 2 * PG, MAY, 0));
	SHOW("private anon, old_len 0, new 2p, no flags", MREMAP(X, 0, 2 * PG, 0, 0));
	MMAP(Y, 2 * PG, RW, AS | MAP_FIXED, -1, 0);
	*(volatile int *)Y = 0x1234;
	maps("shared anon at Y", Y, Y + 2 * PG);
	SHOW("shared anon, old_len 0, new 2p, no flags", MREMAP(Y, 0, 2 * PG, 0, 0));
	r = SHOW("shared anon, old_len 0, new 2p, MAYMOVE", MREMAP(Y, 0, 2 * PG, MAY, 0));
	if (r > 0) { printf("    copy sees Y's data? *(int*)copy = 0x%x\n", *(volatile int *)r); maps("copy", r, r + 2 * PG); maps("Y still there", Y, Y + 2 * PG); }
	r = SHOW("shared anon, old_len 0 at Y+1p, new 3p, MAYMOVE", MREMAP(Y + PG, 0, 3 * PG, MAY, 0));
	if (r > 0) maps("copy", r, r + 3 * PG);
	r = SHOW("shared anon, old_len 0, new 1p, MAYMOVE|FIXED to Y+16p", MREMAP(Y, 0, PG, MAY | FIX, Y + 16 * PG));
	maps("Y area", Y, Y + 20 * PG);
	SHOW("shared anon, old_len 0, DONTUNMAP", MREMAP(Y, 0, PG, MAY | DU, 0));
	r = MMAP(0, 2 * PG, PROT_READ, MAP_SHARED, f, PG);
	r = SHOW("shared file (off 1p), old_len 0, new 2p, MAYMOVE", MREMAP(r, 0, 2 * PG, MAY, 0));
	if (r > 0) maps("copy", r, r + 2 * PG);
	r = MMAP(0, 2 * PG, PROT_READ, MAP_PRIVATE, f, PG);
	SHOW("private file, old_len 0, MAYMOVE", MREMAP(r, 0, 2 * PG, MAY, 0));

	SECTION("grow in place");
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 4 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	SHOW("grow 2p->4p (room up to next vma exactly), no flags", MREMAP(X, 2 * PG, 4 * PG, 0, 0));
	maps("", X, X + 6 * PG);
	SHOW("grow 4p->5p (no room), no flags", MREMAP(X, 4 * PG, 5 * PG, 0, 0));
	SHOW("grow first 2p of the 4p vma to 3p (not at vma end), no flags", MREMAP(X, 2 * PG, 3 * PG, 0, 0));
	r = SHOW("grow first 2p of the 4p vma to 3p, MAYMOVE", MREMAP(X, 2 * PG, 3 * PG, MAY, 0));
	maps("after (moved part)", X, X + 6 * PG);
	if (r > 0) maps("moved to", r - PG, r + 4 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 4 * PG, 2 * PG, RW, AP | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
	SHOW("grow 2p->4p towards a GROWSDOWN vma at X+4p (guard gap?)", MREMAP(X, 2 * PG, 4 * PG, 0, 0));
	maps("", X, X + 6 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 4 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("grow 2p->4p up to a compatible RW vma (merge 3-way?)", MREMAP(X, 2 * PG, 4 * PG, 0, 0));
	maps("", X, X + 6 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AS | MAP_FIXED, -1, 0);
	SHOW("shared anon grow 2p->4p in place", MREMAP(X, 2 * PG, 4 * PG, 0, 0));
	maps("", X, X + 6 * PG);
	clean();
	MMAP(X, 2 * PG, PROT_READ, MAP_SHARED | MAP_FIXED, f, 6 * PG);
	SHOW("file (8p) mapping at off 6p grow 2p->4p (past EOF)", MREMAP(X, 2 * PG, 4 * PG, 0, 0));
	maps("", X, X + 6 * PG);

	SECTION("MAYMOVE placement and merging");
	clean();
	{
		long t = MMAP(0, PG, RW, AP, -1, 0);
		MUNMAP(t, PG);
		printf("  (next top-down 4K slot would be 0x%lx)\n", t);
		MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
		MMAP(X + 2 * PG, PG, PROT_READ, AP | MAP_FIXED, -1, 0);
		r = SHOW("MAYMOVE grow 2p->3p untouched (blocked above)", MREMAP(X, 2 * PG, 3 * PG, MAY, 0));
		maps("new", r - PG, r + 4 * PG);
		MUNMAP(r, 3 * PG);
		MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
		*(volatile char *)X = 1;
		r = SHOW("MAYMOVE grow 2p->3p touched", MREMAP(X, 2 * PG, 3 * PG, MAY, 0));
		maps("new", r - PG, r + 4 * PG);
		long nb = MMAP(0, PG, RW, AP, -1, 0);
		printf("  next unhinted 4K RW mmap -> %s (merges with moved vma?)\n", rs(nb));
		maps("", nb - PG, r + 4 * PG);
		MUNMAP(nb, PG);
		MUNMAP(r, 3 * PG);
		MMAP(X, 2 * MiB, RW, AP | MAP_FIXED, -1, 0);
		MMAP(X + 2 * MiB, PG, PROT_READ, AP | MAP_FIXED, -1, 0);
		t = MMAP(0, PG, RW, AP, -1, 0);
		MUNMAP(t, PG);
		r = SHOW("MAYMOVE 2MiB -> 4MiB (blocked; THP-aligned destination?)", MREMAP(X, 2 * MiB, 4 * MiB, MAY, 0));
		printf("    (T = 0x%lx, T-4MiB = 0x%lx)\n", t + PG, t + PG - 4 * MiB);
		MUNMAP(r, 4 * MiB);
		MMAP(X, 2 * MiB, RW, AP | MAP_FIXED, -1, 0);
		r = SHOW("MAYMOVE 2MiB -> 3MiB (blocked)", MREMAP(X, 2 * MiB, 3 * MiB, MAY, 0));
		printf("    (T-3MiB = 0x%lx)\n", t + PG - 3 * MiB);
		MUNMAP(r, 3 * MiB);
		MMAP(X, 4 * MiB, RW, AP | MAP_FIXED, -1, 0);
		r = SHOW("MAYMOVE 4MiB -> 4MiB+... same size with MAYMOVE only: in place", MREMAP(X, 4 * MiB, 4 * MiB, MAY, 0));
		MUNMAP(X, 5 * MiB);
		MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
		r = SHOW("MAYMOVE|FIXED 4p to Y (free)", MREMAP(X, 4 * PG, 4 * PG, MAY | FIX, Y));
		MMAP(X, 4 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
		r = SHOW("MAYMOVE|FIXED 4p R to Y+2p (overlaps existing RW at Y: replaced)", MREMAP(X, 4 * PG, 4 * PG, MAY | FIX, Y + 2 * PG));
		maps("Y", Y - PG, Y + 8 * PG);
		clean();
		MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
		r = SHOW("MAYMOVE|FIXED grow 4p->8p to Y", MREMAP(X, 4 * PG, 8 * PG, MAY | FIX, Y));
		r = SHOW("MAYMOVE|FIXED shrink 8p->2p to X", MREMAP(Y, 8 * PG, 2 * PG, MAY | FIX, X));
		maps("X and Y", X, Y + 16 * PG);
		MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
		r = SHOW("MAYMOVE (no FIXED) same size 4p->4p", MREMAP(X, 4 * PG, 4 * PG, MAY, 0));
		r = SHOW("MAYMOVE (no FIXED) shrink 4p->2p", MREMAP(X, 4 * PG, 2 * PG, MAY, 0));
	}

	SECTION("shrink");
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	SHOW("shrink 4p (two VMAs) -> 1p", MREMAP(X, 4 * PG, PG, 0, 0));
	maps("", X, X + 4 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	SHOW("shrink 5p (A, hole, B) -> 1p", MREMAP(X, 5 * PG, PG, 0, 0));
	maps("", X, X + 5 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	SHOW("same size 4p->4p over two VMAs, no flags", MREMAP(X, 4 * PG, 4 * PG, 0, 0));
	SHOW("same size 4p->4p over two VMAs, MAYMOVE", MREMAP(X, 4 * PG, 4 * PG, MAY, 0));
	SHOW("MAYMOVE|FIXED shrink 4p->1p over two VMAs", MREMAP(X, 4 * PG, PG, MAY | FIX, Y));
	maps("X", X, X + 4 * PG);
	maps("Y", Y, Y + 4 * PG);

	SECTION("grow across two VMAs / partially unmapped old range");
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	SHOW("grow 4p (two VMAs) -> 6p, MAYMOVE", MREMAP(X, 4 * PG, 6 * PG, MAY, 0));
	SHOW("grow 4p (two VMAs) -> 6p, no flags", MREMAP(X, 4 * PG, 6 * PG, 0, 0));
	MUNMAP(X + 2 * PG, 2 * PG);
	SHOW("grow 3p (2p vma + 1p hole) -> 4p, MAYMOVE", MREMAP(X, 3 * PG, 4 * PG, MAY, 0));
	SHOW("grow 3p (2p vma + 1p hole) -> 4p, no flags", MREMAP(X, 3 * PG, 4 * PG, 0, 0));
	SHOW("grow 1p (start of 2p vma) ->2p MAYMOVE|FIXED", MREMAP(X, PG, 2 * PG, MAY | FIX, Y));
	maps("X", X, X + 4 * PG);
	maps("Y", Y, Y + 4 * PG);

	SECTION("moving several VMAs at once (same size, MREMAP_FIXED)");
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	*(volatile char *)X = 1;
	maps("X before", X, X + 4 * PG);
	SHOW("MAYMOVE|FIXED 4p over two VMAs -> Y", MREMAP(X, 4 * PG, 4 * PG, MAY | FIX, Y));
	maps("X after", X, X + 4 * PG);
	maps("Y after", Y, Y + 4 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	SHOW("MAYMOVE|FIXED 5p (A, hole, B) -> Y", MREMAP(X, 5 * PG, 5 * PG, MAY | FIX, Y));
	maps("Y after", Y - PG, Y + 6 * PG);
	clean();
	MMAP(Y + 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	SHOW("same, but the destination hole slot Y+2p is occupied", MREMAP(X, 5 * PG, 5 * PG, MAY | FIX, Y));
	maps("Y after (is Y+2p still mapped?)", Y - PG, Y + 6 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	SHOW("range starting in a hole (X-1p, 6p) -> Y", MREMAP(X - PG, 6 * PG, 6 * PG, MAY | FIX, Y));
	SHOW("range (A, hole, B) + MAYMOVE only (no FIXED), same size", MREMAP(X, 5 * PG, 5 * PG, MAY, 0));
	SHOW("range (A, hole, B) FIXED grow 5p->6p", MREMAP(X, 5 * PG, 6 * PG, MAY | FIX, Y));
	SHOW("range (A, hole, B) FIXED shrink 5p->4p", MREMAP(X, 5 * PG, 4 * PG, MAY | FIX, Y));
	maps("X", X, X + 6 * PG);
	maps("Y", Y, Y + 6 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	SHOW("range (A, hole, B) FIXED|DONTUNMAP", MREMAP(X, 5 * PG, 5 * PG, MAY | FIX | DU, Y));
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, AS | MAP_FIXED, -1, 0);
	SHOW("range (private anon, shared anon) FIXED", MREMAP(X, 4 * PG, 4 * PG, MAY | FIX, Y));
	maps("Y", Y, Y + 6 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	SHOW("range partially covering 2nd VMA (X, 3p) FIXED", MREMAP(X, 3 * PG, 3 * PG, MAY | FIX, Y));
	maps("X", X, X + 6 * PG);
	maps("Y", Y, Y + 6 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	SHOW("range starting mid-1st VMA (X+1p, 3p) FIXED", MREMAP(X + PG, 3 * PG, 3 * PG, MAY | FIX, Y));
	maps("X", X, X + 6 * PG);
	maps("Y", Y, Y + 6 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, AP | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
	SHOW("range (anon, growsdown anon) FIXED", MREMAP(X, 4 * PG, 4 * PG, MAY | FIX, Y));
	maps("Y", Y, Y + 6 * PG);
	clean();

	SECTION("MREMAP_DONTUNMAP");
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	*(volatile int *)X = 42;
	smaps_field(X, "VmFlags");
	r = SHOW("private anon 2p, MAYMOVE|DONTUNMAP", MREMAP(X, 2 * PG, 2 * PG, MAY | DU, 0));
	maps("old range", X, X + 2 * PG);
	smaps_field(X, "VmFlags");
	printf("    old[0] = %d (0: zero-fill), new[0] = %d\n", *(volatile int *)X, r > 0 ? *(volatile int *)r : -1);
	if (r > 0) { maps("new", r, r + 2 * PG); smaps_field(r, "VmFlags"); }
	SHOW("private anon, DONTUNMAP with size change 2p->4p", MREMAP(X, 2 * PG, 4 * PG, MAY | DU, 0));
	SHOW("private anon, DONTUNMAP with shrink 2p->1p", MREMAP(X, 2 * PG, PG, MAY | DU, 0));
	r = SHOW("private anon, DONTUNMAP|FIXED to Y", MREMAP(X, 2 * PG, 2 * PG, MAY | DU | FIX, Y));
	maps("X..Y", X, Y + 4 * PG);
	MMAP(X + 8 * PG, 2 * PG, RW, AS | MAP_FIXED, -1, 0);
	r = SHOW("shared anon, DONTUNMAP", MREMAP(X + 8 * PG, 2 * PG, 2 * PG, MAY | DU, 0));
	maps("old", X + 8 * PG, X + 10 * PG);
	if (r > 0) maps("new", r, r + 2 * PG);
	MMAP(X + 16 * PG, 2 * PG, PROT_READ, MAP_SHARED | MAP_FIXED, f, 0);
	r = SHOW("shared file, DONTUNMAP", MREMAP(X + 16 * PG, 2 * PG, 2 * PG, MAY | DU, 0));
	maps("old", X + 16 * PG, X + 18 * PG);
	if (r > 0) maps("new", r, r + 2 * PG);
	MMAP(X + 24 * PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, f, 0);
	r = SHOW("private file, DONTUNMAP", MREMAP(X + 24 * PG, 2 * PG, 2 * PG, MAY | DU, 0));
	if (r > 0) maps("new", r, r + 2 * PG);
	MMAP(X + 32 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	r = SHOW("private anon R (no VM_ACCOUNT), DONTUNMAP", MREMAP(X + 32 * PG, 2 * PG, 2 * PG, MAY | DU, 0));
	smaps_field(X + 32 * PG, "VmFlags");
	if (r > 0) smaps_field(r, "VmFlags");
	MMAP(X + 40 * PG, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	r = SHOW("private anon, DONTUNMAP of middle 2p of a 4p vma", MREMAP(X + 41 * PG, 2 * PG, 2 * PG, MAY | DU, 0));
	maps("old", X + 40 * PG, X + 44 * PG);
	clean();

	SECTION("VM_LOCKED growth");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mlock 2p", MLOCK(X, 2 * PG));
	status_field("VmLck");
	SHOW("grow locked 2p->4p in place", MREMAP(X, 2 * PG, 4 * PG, 0, 0));
	status_field("VmLck");
	smaps_field(X, "VmFlags");
	smaps_field(X, "Rss");
	r = SHOW("move locked 4p->6p (MAYMOVE|FIXED to Y)", MREMAP(X, 4 * PG, 6 * PG, MAY | FIX, Y));
	status_field("VmLck");
	smaps_field(Y, "Rss");
	SHOW("grow locked 6p->2048p (8 MiB) in place", MREMAP(Y, 6 * PG, 2048 * PG, 0, 0));
	status_field("VmLck");
	SHOW("grow locked ->2049p (8 MiB + 4 KiB)", MREMAP(Y, 2048 * PG, 2049 * PG, 0, 0));
	status_field("VmLck");
	SHOW("grow locked ->4096p (16 MiB)", MREMAP(Y, 2049 * PG, 4096 * PG, 0, 0));
	status_field("VmLck");
	r = SHOW("DONTUNMAP of locked (1 page at Y)", MREMAP(Y, PG, PG, MAY | DU, 0));
	status_field("VmLck");
	smaps_field(Y, "VmFlags");
	smaps_field(Y + PG, "VmFlags");
	if (r > 0) smaps_field(r, "VmFlags");
	if (r > 0) maps("new", r, r + PG);
	maps("Y", Y, Y + 4097 * PG);
	if (r > 0) SHOW("munmap the new (locked) page", MUNMAP(r, PG));
	status_field("VmLck");
	SHOW("munmap the whole locked Y area", MUNMAP(Y, 4097 * PG));
	status_field("VmLck");
	clean();
	MUNLOCKALL();

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
	SHOW("grow [vdso] 2p->3p MAYMOVE", MREMAP(vdso, 2 * PG, 3 * PG, MAY, 0));
	SHOW("move [vvar] 4p (FIXED to Y)", MREMAP(vvar, 4 * PG, 4 * PG, MAY | FIX, Y));
	SHOW("move 1 page of [vdso]", MREMAP(vdso, PG, PG, MAY | FIX, Y + 16 * PG));
	maps("Y", Y, Y + 32 * PG);
	sc(SYS_unlink, path);
	return 0;
}
