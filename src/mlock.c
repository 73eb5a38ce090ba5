/*
 * mlock.c — locking ranges in memory: mlock, mlock2, munlock, mlockall,
 * munlockall (Linux's mm/mlock.c), and the populate loop they share with
 * MAP_POPULATE and MADV_POPULATE_* (Linux's __mm_populate in mm/gup.c).
 *
 * What this file owns:
 *   - VM_LOCKED / VM_LOCKONFAULT on VMAs, set and cleared with
 *     vma_modify_flags so partial locks split VMAs and unlocks merge them;
 *   - mm->locked_vm (pages of VM_LOCKED VMAs) and the VM_LOCKED_MASK part of
 *     mm->def_flags (mlockall(MCL_FUTURE));
 *   - __mm_populate(): the VMA-level effect of faulting a range in.
 *
 * Invariants:
 *   1. locked_vm == the sum of vma_pages(v) over VMAs with VM_LOCKED
 *      (VM_LOCKONFAULT counts too: it is always set together with VM_LOCKED).
 *   2. VM_SPECIAL and VM_HUGETLB VMAs never carry VM_LOCKED: mlock skips them
 *      without an error, munlock has nothing to do there.
 *   3. A failed call may leave the VMAs before the failure locked (or
 *      unlocked): Linux applies the flags VMA by VMA and stops at the first
 *      hole or error, and so do we.
 *
 * The order of a call, as in Linux:
 *
 *   mlock2: flags ─ can_do_mlock (EPERM) ─ round the range ─ RLIMIT_MEMLOCK
 *           (ENOMEM, pages already locked in the range not counted twice)
 *           ─ apply_vma_lock_flags (holes: ENOMEM) ─ populate, whose
 *           errors become POSIX ones (EFAULT → ENOMEM, ENOMEM → EAGAIN)
 *   mlockall: flags ─ can_do_mlock ─ total_vm against the limit (only with
 *           MCL_CURRENT) ─ def_flags and every VMA ─ populate, errors ignored
 *
 * Populate faults every page in (memory.c's fault_in_vma_range): writes for
 * private writable memory (breaking COW), reads otherwise; a page wholly
 * past the end of a file is SIGBUS (-EFAULT); PROT_NONE memory is never
 * faulted (-EFAULT).
 *
 * Locking: the caller (engine.c) holds the address space.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include "internal.h"

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 0x01
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

/* ---- populate (faulting pages in, memory.c) ------------------------------ */

/* populate_vma_page_range: mlock's and MAP_POPULATE's faults in one VMA. */
static int populate_vma_range(struct mm *mm, struct vma *v, unsigned long start,
			      unsigned long end)
{
	bool write = (v->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;

	if (v->vm_flags & VM_LOCKONFAULT)
		return 0;
	if (!(v->vm_flags & VM_ACCESS_FLAGS))
		return -EFAULT;   /* PROT_NONE is never faulted in */
	return fault_in_vma_range(mm, v, start, end, write);
}

int __mm_populate(struct mm *mm, unsigned long start, unsigned long len,
		  bool ignore_errors)
{
	unsigned long end = start + len;
	struct vma *v;
	int err;

	if (!len)
		return 0;
	for (v = find_vma_intersection(mm, start, end); v && v->vm_start < end;
	     v = v->next) {
		if (v->vm_flags & (VM_IO | VM_PFNMAP))
			continue;
		err = populate_vma_range(mm, v, um_max(start, v->vm_start),
					 um_min(end, v->vm_end));
		if (err && !ignore_errors)
			return err;   /* later VMAs stay unpopulated */
	}
	return 0;
}

/* ---- applying VM_LOCKED ----------------------------------------------------- */

/* mlock_fixup's filter: VMAs that never get VM_LOCKED (the gate VMA, DAX and
 * secretmem, also refused by Linux, do not exist in the model). */
static bool vma_lock_exempt(const struct vma *v)
{
	return (v->vm_flags & (VM_SPECIAL | VM_HUGETLB | VM_DROPPABLE)) || v->special;
}

/* Give [start, end) of *pvma the lock flags in @newflags (mlock_fixup). */
static int mlock_fixup(struct mm *mm, struct vma **pvma, unsigned long start,
		       unsigned long end, unsigned long newflags)
{
	struct vma *v = *pvma;
	unsigned long oldflags = v->vm_flags, npages = (end - start) >> PAGE_SHIFT;
	int err;

	if (newflags == oldflags || vma_lock_exempt(v))
		return 0;
	err = vma_modify_flags(mm, v, start, end, &newflags, &v);
	if (err) {
		mm->allow_unmerged = true;  /* a split that failed half-way stays */
		return err;
	}
	if (!(newflags & VM_LOCKED))
		mm->locked_vm -= npages;
	else if (!(oldflags & VM_LOCKED))
		mm->locked_vm += npages;
	v->vm_flags = newflags;
	*pvma = v;
	return 0;
}

/* Set the lock flags of every VMA in [start, start+len); a hole → ENOMEM,
 * with the VMAs before it already changed. */
static int apply_vma_lock_flags(struct mm *mm, unsigned long start,
				unsigned long len, unsigned long flags)
{
	unsigned long end = start + len, nstart = start, tmp, newflags;
	struct vma *v;
	int err;

	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	v = vma_lookup(mm, start);
	if (!v)
		return -ENOMEM;
	for (tmp = v->vm_start; v && v->vm_start < end; v = v->next) {
		if (v->vm_start != tmp)
			return -ENOMEM;
		newflags = (v->vm_flags & ~VM_LOCKED_MASK) | flags;
		err = mlock_fixup(mm, &v, nstart, um_min(v->vm_end, end), newflags);
		if (err)
			return err;
		tmp = nstart = v->vm_end;
	}
	return tmp < end ? -ENOMEM : 0;
}

/*
 * Pages of VM_LOCKED VMAs inside [start, start+len), which a new mlock of
 * the range does not charge again.  The arithmetic is Linux's, including
 * its clamp of the end at ULONG_MAX.
 */
static unsigned long count_mm_mlocked_page_nr(struct mm *mm, unsigned long start,
					      unsigned long len)
{
	unsigned long end = (~0UL - len < start) ? ~0UL : start + len;
	unsigned long count = 0;
	struct vma *v;

	for (v = find_vma(mm, start); v && v->vm_start < end; v = v->next) {
		if (!(v->vm_flags & VM_LOCKED))
			continue;
		if (start > v->vm_start)
			count -= start - v->vm_start;
		if (end < v->vm_end) {
			count += end - v->vm_start;
			break;
		}
		count += v->vm_end - v->vm_start;
	}
	return count >> PAGE_SHIFT;
}

/* mlock reports populate's errors the POSIX way. */
static int mlock_posix_error(int err)
{
	if (err == -EFAULT)
		return -ENOMEM;
	if (err == -ENOMEM)
		return -EAGAIN;
	return err;
}

static long do_mlock(struct mm *mm, unsigned long start, unsigned long len,
		     unsigned long flags)
{
	unsigned long limit = mm->rlim_memlock >> PAGE_SHIFT, locked;
	int err;

	if (!can_do_mlock(mm))
		return -EPERM;
	len = PAGE_ALIGN(len + offset_in_page(start));
	start &= PAGE_MASK;
	locked = (len >> PAGE_SHIFT) + mm->locked_vm;
	if (locked > limit && !mm->cap_ipc_lock)
		locked -= count_mm_mlocked_page_nr(mm, start, len);
	if (locked > limit && !mm->cap_ipc_lock)
		return -ENOMEM;
	err = apply_vma_lock_flags(mm, start, len, flags);
	if (err)
		return err;
	return mlock_posix_error(__mm_populate(mm, start, len, false));
}

long sys_mlock2(struct mm *mm, unsigned long start, unsigned long len,
		unsigned long flags)
{
	int fl = (int)flags;   /* the system call takes an int */

	if (fl & ~MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(mm, start, len,
			VM_LOCKED | (fl & MLOCK_ONFAULT ? VM_LOCKONFAULT : 0));
}

long sys_munlock(struct mm *mm, unsigned long start, unsigned long len)
{
	len = PAGE_ALIGN(len + offset_in_page(start));
	start &= PAGE_MASK;
	return apply_vma_lock_flags(mm, start, len, 0);
}

/* ---- mlockall ------------------------------------------------------------------ */

/*
 * mm->def_flags takes MCL_FUTURE's flags (and loses them when MCL_FUTURE is
 * absent: calls do not stack); MCL_CURRENT sets the lock flags of every
 * VMA, flags 0 (munlockall) clears them.  Errors of single VMAs are
 * ignored, as in Linux.
 */
static void apply_mlockall_flags(struct mm *mm, int flags)
{
	unsigned long to_add = 0;
	struct vma *v, *next;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MCL_CURRENT))
			return;
	}
	if (flags & MCL_CURRENT)
		to_add = VM_LOCKED | (flags & MCL_ONFAULT ? VM_LOCKONFAULT : 0);
	for (v = mm->vma_first; v; v = next) {
		struct vma *cur = v;

		next = v->next;
		if (mlock_fixup(mm, &cur, v->vm_start, v->vm_end,
				(v->vm_flags & ~VM_LOCKED_MASK) | to_add) == 0)
			next = cur->next;   /* cur may have absorbed its neighbour */
	}
}

long sys_mlockall(struct mm *mm, unsigned long flags)
{
	int fl = (int)flags;   /* the system call takes an int */

	if (!fl || (fl & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    fl == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock(mm))
		return -EPERM;
	if ((fl & MCL_CURRENT) && mm->total_vm > mm->rlim_memlock >> PAGE_SHIFT &&
	    !mm->cap_ipc_lock)
		return -ENOMEM;
	apply_mlockall_flags(mm, fl);
	if (fl & MCL_CURRENT)
		(void)__mm_populate(mm, 0, mm->task_size, true);
	return 0;
}

long sys_munlockall(struct mm *mm)
{
	apply_mlockall_flags(mm, 0);
	return 0;
}
