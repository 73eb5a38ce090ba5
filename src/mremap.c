/*
 * mremap.c — resizing and moving mappings (Linux's mm/mremap.c, as of 6.18).
 * A move carries the pages along (memory.c's move_page_tables).
 *
 * One call is described by a struct remap, which the steps below refine:
 *
 *   sys_mremap ─ page-align both lengths ─ check_args (no VMA needed)
 *     ├─ FIXED and old_len == new_len: remap_fixed_range — move every VMA
 *     │   of [addr, addr+old_len) (holes kept), each piece by remap_to
 *     └─ otherwise: vma_lookup(addr) ─ check_vma ─
 *          ├─ FIXED or DONTUNMAP: remap_to
 *          │     unmap the destination (FIXED) ─ drop the tail (shrink) ─
 *          │     pick_new_addr ─ move_vma
 *          └─ else: remap_at
 *                same size: nothing · shrink: unmap the tail ·
 *                grow: grow_in_place, or (MAYMOVE) pick_new_addr ─ move_vma
 *     then, if a VM_LOCKED mapping grew: populate the new part.
 *
 *   move_vma: limits ─ copy_vma (merge at the destination, or a new VMA) ─
 *             account new_len ─ unmap the source (or, for DONTUNMAP, keep it
 *             and strip VM_LOCKED from it)
 *
 * Facts the live kernel confirmed (tests/probe/mremap_probe.c):
 *   1. Every EINVAL about the arguments comes before the VMA lookup, so a
 *      bad flag with an unmapped addr is EINVAL, not EFAULT.  new_len is
 *      limited to TASK_SIZE even without a new address.
 *   2. The VMA checks (check_vma) run before MREMAP_FIXED unmaps the
 *      destination: duplicating a private mapping onto a mapped range fails
 *      with EINVAL and leaves the range mapped.
 *   3. A shrink may span holes and several VMAs (it is a munmap of the
 *      tail); a grow or a resizing move may not (EFAULT).  A same-size
 *      MREMAP_FIXED move may span several VMAs and holes: each VMA is moved
 *      keeping the gaps, and the first one must contain addr.
 *   4. An in-place grow ignores the stack guard gap of a VMA above and
 *      merges with a compatible next VMA.
 *   5. An unfaulted anonymous VMA that moves gets pgoff = new address, so it
 *      can merge at the destination — even with itself when the destination
 *      is adjacent to the source.
 *   6. DONTUNMAP keeps the old VMA whole (not split), clears VM_LOCKED and
 *      VM_LOCKONFAULT on all of it, keeps VM_ACCOUNT, and leaves locked_vm
 *      counting the old pages (so locked_vm stays raised after both copies
 *      are unmapped).
 *   7. vm.max_map_count: MREMAP_FIXED/DONTUNMAP fail with ENOMEM once
 *      map_count >= max - 5 (before anything is done); any move once
 *      map_count >= max - 3; in-place operations only when a split fails.
 *   8. Special mappings ([vdso], [vvar]) refuse to be split: moving part of
 *      one is EINVAL; they cannot grow (VM_DONTEXPAND / VM_PFNMAP: EFAULT)
 *      nor be DONTUNMAP'ed (EINVAL), but may be moved whole.
 *
 * Locking: the caller (engine.c) holds the address space.
 */
#include <sys/mman.h>
#include "internal.h"

#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE 1
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED 2
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

enum remap_kind { REMAP_SAME, REMAP_SHRINK, REMAP_GROW };

struct remap {
	struct mm *mm;
	unsigned long addr, old_len, new_len, flags, new_addr;
	unsigned long delta;          /* |new_len - old_len| */
	enum remap_kind kind;
	struct vma *vma;              /* the VMA holding addr */
	bool populate;                /* a VM_LOCKED mapping grows */
};

/* Will the mapping end up at an address the caller chose (or a new one)? */
static bool wants_new_addr(const struct remap *r)
{
	return r->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP);
}

static bool ranges_overlap(const struct remap *r)
{
	return r->addr + r->old_len > r->new_addr &&
	       r->new_addr + r->new_len > r->addr;
}

/* total_vm and friends, and locked_vm, for pages gained by the VMA. */
static void account_gain(struct remap *r, unsigned long bytes)
{
	unsigned long pages = bytes >> PAGE_SHIFT;

	vm_stat_account(r->mm, r->vma->vm_flags, (long)pages);
	if (r->vma->vm_flags & VM_LOCKED)
		r->mm->locked_vm += pages;
}

/* ---- checks ------------------------------------------------------------------- */

/* The checks that need no VMA, in Linux's order (fact 1). */
static long check_args(struct remap *r)
{
	const unsigned long known = MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP;
	struct mm *mm = r->mm;

	if (r->flags & ~known)
		return -EINVAL;
	if (offset_in_page(r->addr))
		return -EINVAL;
	if (!r->new_len)   /* old_len 0 is allowed: "duplicate a shared area" */
		return -EINVAL;
	if (r->new_len > mm->task_size)
		return -EINVAL;
	if (!wants_new_addr(r))
		return 0;
	if (r->new_addr > mm->task_size - r->new_len)
		return -EINVAL;
	if (offset_in_page(r->new_addr))
		return -EINVAL;
	if (!(r->flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((r->flags & MREMAP_DONTUNMAP) && r->old_len != r->new_len)
		return -EINVAL;
	if (ranges_overlap(r))
		return -EINVAL;
	/* Both ranges may be split in three before the move (fact 7). */
	if ((long)mm->map_count + 2 >= (long)mm->sysctl->max_map_count - 3)
		return -ENOMEM;
	return 0;
}

/* What the VMA allows (Linux's check_prep_vma); also classifies the call. */
static long check_vma(struct remap *r)
{
	struct vma *v = r->vma;
	unsigned long old_len = r->old_len, pgoff;

	if (!v)
		return -EFAULT;
	r->delta = r->new_len > r->old_len ? r->new_len - r->old_len :
					     r->old_len - r->new_len;
	r->kind = r->new_len == r->old_len ? REMAP_SAME :
		  r->new_len < r->old_len ? REMAP_SHRINK : REMAP_GROW;
	if (!wants_new_addr(r))
		r->new_addr = r->addr;
	/* Shrinking or keeping the size in place maps nothing new. */
	if (r->kind != REMAP_GROW && !wants_new_addr(r))
		return 0;
	/* old_len 0 duplicates a shared mapping; a private one cannot be. */
	if (!r->old_len && !(v->vm_flags & (VM_SHARED | VM_MAYSHARE)))
		return -EINVAL;
	if ((r->flags & MREMAP_DONTUNMAP) &&
	    (v->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return -EINVAL;
	/* What moves must lie in this VMA; a shrink's tail need not. */
	if (r->kind == REMAP_SHRINK)
		old_len = r->new_len;
	if (old_len > v->vm_end - r->addr)
		return -EFAULT;
	if (r->new_len == old_len)
		return 0;
	if (v->vm_flags & VM_LOCKED)
		r->populate = true;
	pgoff = v->vm_pgoff + ((r->addr - v->vm_start) >> PAGE_SHIFT);
	if (pgoff + (r->new_len >> PAGE_SHIFT) < pgoff)
		return -EINVAL;
	if (v->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return -EFAULT;
	if (!mlock_future_ok(r->mm, v->vm_flags, r->delta))
		return -EAGAIN;
	if (!may_expand_vm(r->mm, v->vm_flags, r->delta >> PAGE_SHIFT))
		return -ENOMEM;
	return 0;
}

/* ---- shrinking and growing in place ------------------------------------------ */

/* Unmap [addr+new_len, addr+old_len).  @reload: look the VMA up again, for
 * a move that follows. */
static long shrink_tail(struct remap *r, bool reload)
{
	long err = do_munmap(r->mm, r->addr + r->new_len, r->delta);

	r->vma = NULL;
	if (err)
		return err;
	if (reload) {
		r->vma = vma_lookup(r->mm, r->addr);
		if (!r->vma)
			return -EFAULT;
	}
	return 0;
}

/* The range must end where the VMA ends, and the delta above it be free
 * and inside the address space (Linux's vma_expandable; fact 4). */
static bool can_grow_in_place(const struct remap *r)
{
	const struct vma *v = r->vma;
	unsigned long end = v->vm_end + r->delta, ret;

	if (v->vm_end - r->addr != r->old_len)
		return false;
	if (end < v->vm_end)
		return false;
	if (find_vma_intersection(r->mm, v->vm_end, end))
		return false;
	ret = get_unmapped_area(r->mm, NULL, v->vm_start, end - v->vm_start, 0,
				MAP_FIXED, 0);
	return !offset_in_page(ret);
}

/*
 * Extend the VMA by delta, as a new range merged into it (and into the next
 * VMA when that one now touches and matches):
 *
 *   [ vma ]____[ next ]   =>   [ vma ====== ][ next ]   or   [ vma ======== ]
 */
static long grow_in_place(struct remap *r)
{
	struct vma *v = r->vma, *merged;
	struct vma_merge vmg = {
		.mm = r->mm, .prev = v, .next = v->next,
		.start = v->vm_end, .end = v->vm_end + r->delta,
		.pgoff = v->vm_pgoff + vma_pages(v), .flags = v->vm_flags,
		.file = v->vm_file, .anon_vma = v->anon_vma,
	};

	if ((v->vm_flags & VM_ACCOUNT) &&
	    !vm_enough_memory(r->mm, r->delta >> PAGE_SHIFT))
		return -ENOMEM;
	merged = vma_merge_new_range(&vmg);
	if (!merged)
		return -ENOMEM;   /* a VM_SPECIAL mapping cannot be extended */
	r->vma = merged;
	account_gain(r, r->delta);
	return 0;
}

/* ---- moving ----------------------------------------------------------------------- */

/* Where the mapping goes: the caller's address (FIXED), a hint (DONTUNMAP),
 * or anywhere; the file and offset steer the choice as in mmap. */
static long pick_new_addr(struct remap *r)
{
	struct vma *v = r->vma;
	unsigned long pgoff = v->vm_pgoff + ((r->addr - v->vm_start) >> PAGE_SHIFT);
	unsigned long hint = wants_new_addr(r) ? r->new_addr : 0;
	unsigned long map_flags = 0, ret;

	if (r->flags & MREMAP_FIXED)
		map_flags |= MAP_FIXED;
	if (v->vm_flags & VM_MAYSHARE)
		map_flags |= MAP_SHARED;
	ret = get_unmapped_area(r->mm, v->vm_file, hint, r->new_len, pgoff,
				map_flags, 0);
	if (IS_ERR_VALUE(ret))
		return (long)ret;
	r->new_addr = ret;
	return 0;
}

/*
 * Create [new_addr, new_addr+new_len) as a copy of the source VMA (Linux's
 * copy_vma): merged into a neighbour when it matches, else a new VMA.  An
 * anonymous VMA that was never faulted takes pgoff = new_addr (fact 5).  If
 * the source itself absorbed the copy, r->vma becomes the merged VMA (the
 * old pointer may be gone).  NULL on failure.
 */
static struct vma *copy_vma(struct remap *r)
{
	struct vma *v = r->vma, *merged, *copy;
	unsigned long src_start = v->vm_start;
	struct vma_merge vmg = {
		.mm = r->mm, .start = r->new_addr, .end = r->new_addr + r->new_len,
		.pgoff = v->vm_pgoff + ((r->addr - v->vm_start) >> PAGE_SHIFT),
		.flags = v->vm_flags, .file = v->vm_file, .anon_vma = v->anon_vma,
	};

	if (vma_is_anonymous(v) && !v->anon_vma)
		vmg.pgoff = r->new_addr >> PAGE_SHIFT;
	vmg.next = find_vma_prev(r->mm, vmg.start, &vmg.prev);
	if (vmg.next && vmg.next->vm_start < vmg.end)
		return NULL;   /* the destination is not free: cannot happen */
	merged = vma_merge_new_range(&vmg);
	if (merged) {
		if (src_start >= merged->vm_start && src_start < merged->vm_end)
			r->vma = merged;
		return merged;
	}
	copy = vma_dup(r->mm, v);
	if (!copy)
		return NULL;
	copy->vm_start = vmg.start;
	copy->vm_end = vmg.end;
	copy->vm_pgoff = vmg.pgoff;
	vma_link(r->mm, copy);
	return copy;
}

/* MREMAP_DONTUNMAP keeps the source (fact 6).  When the whole VMA moved, its
 * anonymous memory went with it: it forgets its anon_vma. */
static void dontunmap_done(struct remap *r, struct vma *copy)
{
	struct vma *v = r->vma;

	v->vm_flags &= ~VM_LOCKED_MASK;
	if (copy != v && r->addr == v->vm_start &&
	    r->addr + r->old_len == v->vm_end) {
		anon_vma_put(v->anon_vma);
		v->anon_vma = NULL;
	}
	/* The source now may match a neighbour; Linux does not merge it. */
	r->mm->allow_unmerged = true;
}

static long move_vma(struct remap *r)
{
	struct mm *mm = r->mm;
	struct vma *v = r->vma, *copy;
	unsigned long charge, hiwater;

	/* Unmapping the source may split a VMA in three (fact 7). */
	if ((long)mm->map_count >= (long)mm->sysctl->max_map_count - 3)
		return -ENOMEM;
	/* A special mapping refuses to be split (fact 8). */
	if (v->special && (v->vm_start != r->addr ||
			   v->vm_end != r->addr + r->old_len))
		return -EINVAL;
	charge = (r->flags & MREMAP_DONTUNMAP) ? r->new_len : r->delta;
	if ((v->vm_flags & VM_ACCOUNT) && !vm_enough_memory(mm, charge >> PAGE_SHIFT))
		return -ENOMEM;
	copy = copy_vma(r);
	if (!copy)
		return -ENOMEM;
	/* The pages go with the mapping (the source and destination never
	 * overlap: ranges_overlap refused that).  When they cannot, they
	 * stay where they were and the new area is unmapped instead of the
	 * old, as Linux's move_vma does. */
	if (mm->phys && move_page_tables(mm, r->addr, r->new_addr,
					 um_min(r->old_len, r->new_len))) {
		account_gain(r, r->new_len);   /* which the unmap takes back */
		(void)do_munmap(mm, r->new_addr, r->new_len);
		return -ENOMEM;
	}
	/* The moment both ranges are counted is no peak: Linux puts VmPeak's
	 * mark back as it was (measured on 6.18). */
	hiwater = mm->hiwater_vm;
	account_gain(r, r->new_len);
	if (r->flags & MREMAP_DONTUNMAP)
		dontunmap_done(r, copy);
	else
		(void)do_munmap(mm, r->addr, r->old_len);  /* best effort, as Linux */
	mm->hiwater_vm = hiwater;
	r->vma = NULL;
	return (long)r->new_addr;
}

/* ---- the three shapes of a call ----------------------------------------------- */

/* MREMAP_FIXED or MREMAP_DONTUNMAP: the mapping moves (Linux's mremap_to). */
static long remap_to(struct remap *r)
{
	long err;

	if (r->flags & MREMAP_FIXED) {
		err = do_munmap(r->mm, r->new_addr, r->new_len);
		r->vma = NULL;
		if (err)
			return err;
		/* The unmap may have split the source: look it up again. */
		r->vma = vma_lookup(r->mm, r->addr);
		if (!r->vma)
			return -EFAULT;
	}
	if (r->kind == REMAP_SHRINK) {
		err = shrink_tail(r, true);
		if (err)
			return err;
		r->old_len = r->new_len;
	}
	if ((r->flags & MREMAP_DONTUNMAP) &&
	    !may_expand_vm(r->mm, r->vma->vm_flags, r->old_len >> PAGE_SHIFT))
		return -ENOMEM;
	err = pick_new_addr(r);
	if (err)
		return err;
	return move_vma(r);
}

/* No new address: resize where it is, or move if it must and may. */
static long remap_at(struct remap *r)
{
	long err;

	switch (r->kind) {
	case REMAP_SAME:
		return (long)r->addr;
	case REMAP_SHRINK:
		err = shrink_tail(r, false);
		return err ? err : (long)r->addr;
	case REMAP_GROW:
		if (can_grow_in_place(r)) {
			err = grow_in_place(r);
			return err ? err : (long)r->addr;
		}
		if (!(r->flags & MREMAP_MAYMOVE))
			return -ENOMEM;
		err = pick_new_addr(r);
		return err ? err : move_vma(r);
	}
	return -EINVAL;
}

/*
 * Could this VMA be one of several moved at once?  Linux refuses VMAs armed
 * with userfaultfd and files with a get_unmapped_area of their own that
 * might not honour MAP_FIXED.  Of what usermm models, only private
 * /dev/zero has one (shmem, and files placed by thp_get_unmapped_area, are
 * known to be good; plain anonymous memory has none).
 */
static bool multi_move_allowed(const struct vma *v)
{
	return !v->vm_file || v->vm_file->kind != FILE_DEV_ZERO;
}

/*
 * A same-size MREMAP_FIXED move of [addr, addr+len), which may cover several
 * VMAs and holes.  Each VMA (clipped to the range) moves to the end of the
 * previous copy plus the gap that separated them (fact 3):
 *
 *   |  A  |gap| B |        =>        |  A' |gap| B'|
 *   addr                             new_addr
 *
 * A failure after the first piece leaves the earlier pieces moved.
 */
static long remap_fixed_range(struct remap *r)
{
	unsigned long start = r->addr, end = r->addr + r->old_len;
	unsigned long target = r->new_addr, cursor = start, last_end = 0;
	long first = -EFAULT, res;
	bool seen = false;
	struct vma *v;

	/* The cursor, not the VMA found there, bounds each piece: a piece
	 * moved next to its own source (DONTUNMAP keeps it) merges with it,
	 * and that VMA must not be moved a second time. */
	while (cursor < end && (v = find_vma(r->mm, cursor)) && v->vm_start < end) {
		unsigned long from = um_max(v->vm_start, cursor);
		unsigned long len = um_min(end, v->vm_end) - from;
		unsigned long gap = seen ? from - last_end : 0;

		if (!seen && start < v->vm_start)
			return -EFAULT;   /* the range must begin mapped */
		if (!multi_move_allowed(v) && (seen || v->vm_end < end))
			return -EFAULT;
		last_end = from + len;
		r->vma = v;
		r->addr = from;
		r->old_len = r->new_len = len;
		r->new_addr = target + gap;
		res = check_vma(r);
		if (!res)
			res = remap_to(r);
		if (IS_ERR_VALUE(res))
			return res;
		if (!seen)
			first = res;
		seen = true;
		target = (unsigned long)res + len;
		cursor = last_end;
	}
	return first;
}

long sys_mremap(struct mm *mm, unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	struct remap r = {
		.mm = mm, .addr = addr, .flags = flags, .new_addr = new_addr,
		.old_len = PAGE_ALIGN(old_len), .new_len = PAGE_ALIGN(new_len),
	};
	long res;

	res = check_args(&r);
	if (res)
		return res;
	if ((flags & MREMAP_FIXED) && r.old_len == r.new_len) {
		res = remap_fixed_range(&r);
	} else {
		r.vma = vma_lookup(mm, r.addr);
		res = check_vma(&r);
		if (!res)
			res = wants_new_addr(&r) ? remap_to(&r) : remap_at(&r);
	}
	/* A locked mapping keeps all its pages in memory: fault in the growth. */
	if (!IS_ERR_VALUE(res) && r.populate)
		mm_populate(mm, r.new_addr + r.old_len, r.delta);
	return res;
}
