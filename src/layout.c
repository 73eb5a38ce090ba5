/*
 * layout.c — where things go in an x86-64 address space (Linux's
 * arch/x86/mm/mmap.c and arch/x86/kernel/sys_x86_64.c).
 *
 *   0x7ffffffff000  TASK_SIZE (47 bits, top page excluded)
 *        [stack]    grows down from the top
 *        gap        stack rlimit + stack guard gap (+ stack randomisation),
 *                   at least 128 MiB, at most 5/6 of the space
 *   mmap_base       top-down allocation starts here and goes down
 *        ...
 *   task_size/3     mmap_legacy_base: bottom-up allocation starts here
 *   [heap]          brk area above the program
 *   mmap_min_addr   nothing is placed below this without CAP_SYS_RAWIO
 *
 * MAP_32BIT requests are placed bottom-up in [1 GiB, 2 GiB).
 * Randomisation (off by default, as under `setarch -R`) shifts mmap_base by
 * 28 bits of pages, drawn from the process's seeded generator.
 */
#include <sys/mman.h>
#include "internal.h"

#define SIZE_128M (128UL << 20)
#define MMAP64_RND_BITS 28
#define STACK_RND_MASK 0x3fffffUL

unsigned long um_stack_guard_gap = 256UL << 12;   /* the engine sets it */

/* splitmix64: small, seedable, and the same on every machine. */
unsigned long mm_rnd_bits(struct mm *mm, unsigned bits)
{
	uint64_t z = (mm->rnd_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (unsigned long)(z & ((1ULL << bits) - 1));
}

static unsigned long stack_maxrandom_size(struct mm *mm)
{
	return mm->randomize ? STACK_RND_MASK << PAGE_SHIFT : 0;
}

static unsigned long mmap_base(struct mm *mm, unsigned long rnd)
{
	unsigned long gap = mm->rlim_stack;
	unsigned long pad = stack_maxrandom_size(mm) + mm->sysctl->stack_guard_gap;
	unsigned long gap_max = (mm->task_size / 6) * 5;

	if (gap + pad > gap)  /* values near RLIM_INFINITY would overflow */
		gap += pad;
	if (gap < SIZE_128M)
		gap = SIZE_128M;
	else if (gap > gap_max)
		gap = gap_max;
	return PAGE_ALIGN(mm->task_size - gap - rnd);
}

void arch_pick_mmap_layout(struct mm *mm)
{
	unsigned long rnd = 0;

	if (mm->randomize)
		rnd = mm_rnd_bits(mm, MMAP64_RND_BITS) << PAGE_SHIFT;
	mm->mmap_legacy_base = PAGE_ALIGN(mm->task_size / 3) + rnd;
	mm->mmap_base = mm->topdown ? mmap_base(mm, rnd) : mm->mmap_legacy_base;
}

/* The range a bottom-up search may use. */
static void find_start_end(struct mm *mm, unsigned long flags,
			   unsigned long *begin, unsigned long *end)
{
	if (flags & MAP_32BIT) {
		/* The first 1 GiB is left for the program; the area ends at
		 * 2 GiB so that code can be reached with 32-bit jumps. */
		*begin = 0x40000000UL;
		*end = 0x80000000UL;
		if (mm->randomize)
			*begin += mm_rnd_bits(mm, 13) << PAGE_SHIFT;
		return;
	}
	*begin = mm->mmap_legacy_base;
	*end = mm->task_size;
}

static unsigned long bottomup_area(struct mm *mm, unsigned long addr,
				   unsigned long len, unsigned long pgoff,
				   unsigned long flags)
{
	struct unmapped_area_info info = { .topdown = false };
	unsigned long begin, end;
	struct vma *v;

	if (flags & MAP_FIXED)
		return addr;
	find_start_end(mm, flags, &begin, &end);
	if (len > end)
		return (unsigned long)-ENOMEM;
	if (addr) {
		addr = PAGE_ALIGN(addr);
		v = find_vma(mm, addr);
		if (end - len >= addr && (!v || addr + len <= vm_start_gap(v)))
			return addr;
	}
	info.length = len;
	info.low_limit = begin;
	info.high_limit = end;
	info.align_offset = pgoff << PAGE_SHIFT;
	return vm_unmapped_area(mm, &info);
}

/* A hint is usable when it and its end fall on the same side of the 47-bit
 * window (with 4-level paging there is nothing above it). */
static bool hint_valid(struct mm *mm, unsigned long addr, unsigned long len)
{
	if (mm->task_size - len < addr)
		return false;
	return (addr > DEFAULT_MAP_WINDOW) == (addr + len > DEFAULT_MAP_WINDOW);
}

static unsigned long topdown_area(struct mm *mm, unsigned long addr,
				  unsigned long len, unsigned long pgoff,
				  unsigned long flags)
{
	struct unmapped_area_info info = { .topdown = true };
	unsigned long hint = addr, ret;
	struct vma *v;

	if (len > mm->task_size)
		return (unsigned long)-ENOMEM;
	if (flags & MAP_FIXED)
		return addr;
	if (flags & MAP_32BIT)
		return bottomup_area(mm, hint, len, pgoff, flags);
	if (addr) {
		addr &= PAGE_MASK;
		if (hint_valid(mm, addr, len)) {
			v = find_vma(mm, addr);
			if (!v || addr + len <= vm_start_gap(v))
				return addr;
		}
	}
	info.length = len;
	info.low_limit = (flags & 0x80 /* MAP_ABOVE4G */) ? 1UL << 32 : PAGE_SIZE;
	info.high_limit = mm->mmap_base;
	info.align_offset = pgoff << PAGE_SHIFT;
	ret = vm_unmapped_area(mm, &info);
	if (!offset_in_page(ret))
		return ret;
	/* No room below mmap_base: fall back to a bottom-up search. */
	return bottomup_area(mm, hint, len, pgoff, flags);
}

unsigned long arch_get_unmapped_area(struct mm *mm, unsigned long addr,
				     unsigned long len, unsigned long pgoff,
				     unsigned long flags, unsigned long vm_flags,
				     bool topdown)
{
	(void)vm_flags;
	if (topdown)
		return topdown_area(mm, addr, len, pgoff, flags);
	if (len > mm->task_size)
		return (unsigned long)-ENOMEM;
	return bottomup_area(mm, addr, len, pgoff, flags);
}
