/*
 * madvise.c — advice about a range of memory (Linux's mm/madvise.c).
 *
 * Three kinds of advice:
 *
 *   flags     NORMAL RANDOM SEQUENTIAL DONTFORK DOFORK WIPEONFORK KEEPONFORK
 *             DONTDUMP DODUMP MERGEABLE UNMERGEABLE HUGEPAGE NOHUGEPAGE:
 *             compute the VMA's new flags, then vma_modify_flags — so the
 *             advice splits VMAs and merges them back, visibly in maps.
 *   pages     DONTNEED DONTNEED_LOCKED FREE REMOVE WILLNEED COLD PAGEOUT
 *             COLLAPSE GUARD_INSTALL GUARD_REMOVE: refuse the VMAs Linux
 *             refuses, then act on pages: DONTNEED zaps, WILLNEED reads a
 *             file's pages into the cache, REMOVE punches a hole (cache,
 *             mappings, host file), GUARD_INSTALL/REMOVE set and clear
 *             guard markers, FREE cleans and ages anonymous pages, COLD
 *             ages pages, PAGEOUT also reclaims what needs no swap (shmem
 *             pages leave the page tables, clean file pages the cache)
 *             (memory.c madvise_pages_lru).  Not modelled: reclaim of
 *             lazily freed pages, swap, COLLAPSE.
 *   populate  POPULATE_READ POPULATE_WRITE: fault the range in page by page
 *             (no walk of the VMAs; the first hole is ENOMEM at once).
 *
 * The walk (madvise_walk_vmas) applies the advice to each mapped part of
 * the range; a hole does not stop it but makes the result ENOMEM at the end,
 * while an error from a VMA stops it at once (the VMAs before keep the
 * advice).
 *
 * Order of the checks: advice valid ─ start aligned ─ length rounds up
 * without wrapping ─ start + length does not wrap (all EINVAL) ─ empty
 * range: 0 ─ then the walk, or populate.
 *
 * Configuration modelled (the live kernel's): CONFIG_KSM on;
 * CONFIG_TRANSPARENT_HUGEPAGE follows mm->sysctl->thp (HUGEPAGE, NOHUGEPAGE
 * and COLLAPSE are unknown advice without it); CONFIG_MEMORY_FAILURE off, so
 * HWPOISON and SOFT_OFFLINE are unknown advice (EINVAL) — with it, they
 * would need CAP_SYS_ADMIN, which usermm does not model.  Not modelled:
 * mseal (EPERM), userfaultfd, hugetlb VMAs (MAP_HUGETLB is refused by mmap)
 * and VM_DROPPABLE.
 *
 * Locking: the caller (engine.c) holds the address space.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include "internal.h"
#include "page.h"

#ifndef MADV_FREE
#define MADV_FREE 8
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#endif
#ifndef MADV_COLD
#define MADV_COLD 20
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#define MADV_GUARD_REMOVE 103
#endif
#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE 0x01
#endif
#ifndef FALLOC_FL_PUNCH_HOLE
#define FALLOC_FL_PUNCH_HOLE 0x02
#endif

/* ---- validity ---------------------------------------------------------------- */

static bool madvise_behavior_valid(const struct mm *mm, int behavior)
{
	switch (behavior) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL:
	case MADV_WILLNEED: case MADV_DONTNEED: case MADV_FREE: case MADV_REMOVE:
	case MADV_DONTFORK: case MADV_DOFORK: case MADV_MERGEABLE:
	case MADV_UNMERGEABLE: case MADV_DONTDUMP: case MADV_DODUMP:
	case MADV_WIPEONFORK: case MADV_KEEPONFORK: case MADV_COLD:
	case MADV_PAGEOUT: case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
	case MADV_DONTNEED_LOCKED: case MADV_GUARD_INSTALL: case MADV_GUARD_REMOVE:
		return true;
	case MADV_HUGEPAGE: case MADV_NOHUGEPAGE: case MADV_COLLAPSE:
		return mm->sysctl->thp;
	default:   /* HWPOISON, SOFT_OFFLINE: CONFIG_MEMORY_FAILURE is off */
		return false;
	}
}

/* Linux's vma_is_anonymous: no vm_ops.  A private /dev/zero mapping keeps
 * its file but is anonymous; special mappings have ops and no file. */
static bool vma_anon(const struct vma *v)
{
	if (v->special)
		return false;
	return vma_is_anonymous(v);
}

/* ---- advice that changes VMA flags -------------------------------------------- */

/* KSM ignores (without an error) the VMAs it cannot merge pages of. */
static bool ksm_compatible(unsigned long flags)
{
	return !(flags & (VM_SHARED | VM_MAYSHARE | VM_PFNMAP | VM_IO |
			  VM_DONTEXPAND | VM_HUGETLB | VM_MIXEDMAP));
}

/* The flags @behavior gives @v, or -EINVAL where Linux refuses. */
static int madvise_new_flags(const struct vma *v, int behavior, unsigned long *out)
{
	unsigned long f = v->vm_flags;

	switch (behavior) {
	case MADV_NORMAL:     f &= ~(VM_RAND_READ | VM_SEQ_READ); break;
	case MADV_SEQUENTIAL: f = (f & ~VM_RAND_READ) | VM_SEQ_READ; break;
	case MADV_RANDOM:     f = (f & ~VM_SEQ_READ) | VM_RAND_READ; break;
	case MADV_DONTFORK:   f |= VM_DONTCOPY; break;
	case MADV_DOFORK:
		if (f & VM_IO)
			return -EINVAL;
		f &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:  /* private anonymous memory only */
		if (v->vm_file || (f & VM_SHARED))
			return -EINVAL;
		f |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		if (f & VM_DROPPABLE)   /* droppable memory never survives fork */
			return -EINVAL;
		f &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP:   f |= VM_DONTDUMP; break;
	case MADV_DODUMP:
		if ((!(f & VM_HUGETLB) && (f & VM_SPECIAL)) || (f & VM_DROPPABLE))
			return -EINVAL;   /* ...nor is it ever dumped */
		f &= ~VM_DONTDUMP;
		break;
	case MADV_MERGEABLE:
		if (ksm_compatible(f))
			f |= VM_MERGEABLE;
		break;
	case MADV_UNMERGEABLE: f &= ~VM_MERGEABLE; break;
	case MADV_HUGEPAGE:    f = (f & ~VM_NOHUGEPAGE) | VM_HUGEPAGE; break;
	case MADV_NOHUGEPAGE:  f = (f & ~VM_HUGEPAGE) | VM_NOHUGEPAGE; break;
	}
	*out = f;
	return 0;
}

/* madvise_update_vma: give [start, end) of *pv the flags @newflags.  A split
 * past max_map_count fails with ENOMEM, a split of a special mapping with
 * EINVAL (split_vma checks both, in that order). */
static int madvise_update_vma(struct mm *mm, struct vma **pv, unsigned long start,
			      unsigned long end, unsigned long newflags)
{
	struct vma *v = *pv;
	int err;

	if (newflags == v->vm_flags)
		return 0;
	err = vma_modify_flags(mm, v, start, end, &newflags, &v);
	if (err) {
		mm->allow_unmerged = true;  /* a split that failed half-way stays */
		return err;
	}
	v->vm_flags = newflags;
	*pv = v;
	return 0;
}

static int madvise_flags(struct mm *mm, struct vma **pv, unsigned long start,
			 unsigned long end, int behavior)
{
	unsigned long newflags;
	int err = madvise_new_flags(*pv, behavior, &newflags);

	if (!err)
		err = madvise_update_vma(mm, pv, start, end, newflags);
	/* Linux reports a failed allocation here as EAGAIN. */
	return err == -ENOMEM ? -EAGAIN : err;
}

/* ---- advice about pages ----------------------------------------------------------- */

static int madvise_dontneed_free(struct mm *mm, struct vma *v, unsigned long start,
				 unsigned long end, int behavior)
{
	unsigned long forbidden = VM_PFNMAP;

	if (behavior != MADV_DONTNEED_LOCKED)
		forbidden |= VM_LOCKED;
	if (v->vm_flags & forbidden)
		return -EINVAL;
	if (behavior == MADV_FREE && !vma_anon(v))
		return -EINVAL;
	/* DONTNEED zaps the entries: private pages read zero (or the file)
	 * again.  FREE only makes the pages clean and old, so that reclaim
	 * may drop them later; with no reclaim they keep their data. */
	if (behavior == MADV_FREE)
		madvise_pages_lru(mm, start, end, MADV_FREE);
	else if (mm->phys)
		zap_page_range(mm, start, end);
	return 0;
}

/* WILLNEED: read the file's pages of the range into the page cache (what
 * mincore then reports); anonymous memory and shmem have no swap yet to
 * read back. */
static int madvise_willneed(struct mm *mm, struct vma *v, unsigned long start,
			    unsigned long end)
{
	struct address_space *as;
	unsigned long first, last, pages;

	/* shmem only swaps its pages back in (it has no swap yet): no new
	 * pages; an image file has nothing to read. */
	if (!mm->phys || !v->vm_file || vma_is_anonymous(v) ||
	    v->vm_file->kind == FILE_IMAGE || v->vm_file->kind == FILE_SHMEM)
		return 0;
	if (!(as = file_mapping(mm->phys, v->vm_file)))
		return 0;
	pages = (as->size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	first = v->vm_pgoff + ((start - v->vm_start) >> PAGE_SHIFT);
	last = first + ((end - start) >> PAGE_SHIFT);
	for (unsigned long i = first; i < last && i < pages; i++) {
		unsigned long pfn = mapping_get_page(mm->phys, as, i);

		if (!pfn)
			break;   /* readahead is best effort */
		frame_put(mm->phys, pfn);
	}
	return 0;
}

/* COLD and PAGEOUT: the LRU advice. */
static int madvise_lru(struct mm *mm, struct vma *v, unsigned long start,
		       unsigned long end, int behavior)
{
	if (v->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
		return -EINVAL;
	madvise_pages_lru(mm, start, end, behavior);
	return 0;
}

/* REMOVE: free the range and its backing store — a hole in the file. */
static int madvise_remove(struct mm *mm, struct vma *v, unsigned long start,
			  unsigned long end)
{
	struct um_file *f = v->vm_file;
	struct address_space *as;
	long off;

	if (v->vm_flags & VM_LOCKED)
		return -EINVAL;
	if (!f)
		return -EINVAL;
	if ((v->vm_flags & (VM_SHARED | VM_MAYWRITE)) != (VM_SHARED | VM_MAYWRITE))
		return -EACCES;
	off = (long)(start - v->vm_start) + (long)(v->vm_pgoff << PAGE_SHIFT);
	/* The hole's pages leave every mapping (private copies stay) and the
	 * inode's cache — whichever open file of it filled the cache; then
	 * the host file gets the hole. */
	if (mm->phys && (as = mapping_lookup(mm->phys, f))) {
		unsigned long first = (unsigned long)off >> PAGE_SHIFT;
		unsigned long last = first + ((end - start) >> PAGE_SHIFT) - 1;

		unmap_mapping_range(mm->phys, as, first, last, false);
		mapping_drop_range(mm->phys, as, first, last);
	}
	if (f->kind != FILE_REGULAR || f->host_fd < 0)
		return 0;
	if (fallocate(f->host_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off,
		      (long)(end - start)) < 0)
		return -errno;
	return 0;
}

/* Guard pages: the range's pages are zapped and each entry becomes a
 * marker that faults SIGSEGV SEGV_MAPERR, reads as absent in mincore,
 * survives MADV_DONTNEED and mprotect, moves with mremap and is inherited
 * by fork; only MADV_GUARD_REMOVE and munmap clear it.  The VMA is not
 * split. */
static int madvise_guard_install(struct mm *mm, struct vma *v, unsigned long start,
				 unsigned long end)
{
	int err;

	if (v->vm_flags & (VM_SPECIAL | VM_HUGETLB | VM_LOCKED))
		return -EINVAL;
	/* An anonymous VMA gets its anon_vma, as for a fault; a file VMA
	 * does not (its merges with plain neighbours after a fork show it). */
	if (vma_is_anonymous(v) && (err = anon_vma_prepare(mm, v)))
		return err;
	/* The whole VMA remembers it may hold guards (smaps "gu"), which also
	 * makes fork copy its page tables; the flag is sticky and never
	 * splits or stops a merge (VM_STICKY). */
	v->vm_flags |= VM_MAYBE_GUARD;
	return mm->phys ? install_guard_markers(mm, start, end) : 0;
}

static int madvise_guard_remove(struct mm *mm, struct vma *v, unsigned long start,
				unsigned long end)
{
	if (v->vm_flags & (VM_SPECIAL | VM_HUGETLB))
		return -EINVAL;
	if (mm->phys)
		clear_guard_markers(mm, start, end);
	return 0;
}

/* ---- MADV_COLLAPSE ------------------------------------------------------------------ */

/* Does @v contain a whole PMD-aligned 2 MiB block whose file offset is
 * aligned too (thp_vma_suitable_order, checked at the VMA's end)? */
static bool vma_holds_pmd(const struct vma *v)
{
	unsigned long haddr = (v->vm_end - PMD_SIZE) & ~(PMD_SIZE - 1);

	if (((v->vm_start >> PAGE_SHIFT) - v->vm_pgoff) & ((PMD_SIZE >> PAGE_SHIFT) - 1))
		return false;
	return haddr >= v->vm_start && haddr + PMD_SIZE <= v->vm_end;
}

/* thp_vma_allowable_order for a forced collapse. */
static bool collapse_allowed(const struct vma *v)
{
	if (v->vm_flags & (VM_NOHUGEPAGE | VM_SPECIAL | VM_HUGETLB) || v->special)
		return false;
	if (!vma_holds_pmd(v))
		return false;
	if (v->vm_file && v->vm_file->kind == FILE_SHMEM)
		return true;   /* shmem collapses when forced (shmem_enabled != deny) */
	if (!vma_anon(v))
		return false;  /* regular files: no read-only THP on the live kernel */
	return v->anon_vma != NULL;  /* anonymous memory never written: nothing to do */
}

static int madvise_collapse(struct vma *v, unsigned long start, unsigned long end)
{
	unsigned long hstart = (start + PMD_SIZE - 1) & ~(PMD_SIZE - 1);
	unsigned long hend = end & ~(PMD_SIZE - 1);

	if (!collapse_allowed(v))
		return -EINVAL;
	/* No whole PMD in the range: success when the rounded bounds meet,
	 * EINVAL when they cross (Linux's unsigned count of PMDs wraps). */
	if (hstart == hend)
		return 0;
	/* Not modelled yet: collapse each PMD's pages into a huge page.  With
	 * no page present Linux fails with EINVAL; with pages present (loads
	 * and stores now make them) it may succeed, which usermm does not. */
	return -EINVAL;
}

/* ---- one VMA, and the walk ----------------------------------------------------------- */

/* madvise_vma_behavior: apply @behavior to [start, end) inside *pv; *pv is
 * the VMA covering the range afterwards (it may have merged). */
static int madvise_vma(struct mm *mm, struct vma **pv, unsigned long start,
		       unsigned long end, int behavior)
{
	switch (behavior) {
	case MADV_REMOVE:
		return madvise_remove(mm, *pv, start, end);
	case MADV_WILLNEED:
		return madvise_willneed(mm, *pv, start, end);
	case MADV_COLD:
	case MADV_PAGEOUT:
		return madvise_lru(mm, *pv, start, end, behavior);
	case MADV_FREE:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		return madvise_dontneed_free(mm, *pv, start, end, behavior);
	case MADV_COLLAPSE:
		return madvise_collapse(*pv, start, end);
	case MADV_GUARD_INSTALL:
		return madvise_guard_install(mm, *pv, start, end);
	case MADV_GUARD_REMOVE:
		return madvise_guard_remove(mm, *pv, start, end);
	default:
		return madvise_flags(mm, pv, start, end, behavior);
	}
}

/*
 * madvise_walk_vmas: the advice for each VMA part of [start, end).
 *
 *   [ A ]   hole   [ B ]        A and B get the advice, result ENOMEM
 *   [ A ] [ C: error ] [ B ]    A keeps it, C's error is returned, B untouched
 */
static int madvise_walk_vmas(struct mm *mm, unsigned long start,
			     unsigned long end, int behavior)
{
	struct vma *v = find_vma(mm, start);
	int unmapped = 0, err;

	for (;;) {
		if (!v)
			return -ENOMEM;
		if (start < v->vm_start) {
			unmapped = -ENOMEM;
			start = v->vm_start;
			if (start >= end)
				return unmapped;
		}
		err = madvise_vma(mm, &v, start, um_min(v->vm_end, end), behavior);
		if (err)
			return err;
		if (v->vm_end >= end)
			return unmapped;
		start = v->vm_end;
		v = v->next;
	}
}

/* ---- MADV_POPULATE_(READ|WRITE) ------------------------------------------------------ */

/* check_vma_flags without FOLL_FORCE: could a user access fault here? */
static bool populate_allowed(const struct vma *v, bool write)
{
	if (v->vm_flags & (VM_IO | VM_PFNMAP))
		return false;
	return v->vm_flags & (write ? VM_WRITE : VM_READ);
}

/*
 * Fault the range in VMA by VMA, as a user access would: a hole is ENOMEM,
 * a VMA without the access right (or VM_IO/PFNMAP) EINVAL, SIGBUS past the
 * end of a file EFAULT; the parts before the failure stay populated.
 */
static int madvise_populate(struct mm *mm, unsigned long start,
			    unsigned long end, bool write)
{
	while (start < end) {
		struct vma *v = vma_lookup(mm, start);
		unsigned long stop;
		int err;

		if (!v)
			return -ENOMEM;
		if (!populate_allowed(v, write))
			return -EINVAL;
		stop = um_min(end, v->vm_end);
		err = fault_in_vma_range(mm, v, start, stop, write);
		if (err)
			return err;
		start = stop;
	}
	return 0;
}

/* ---- the system call ------------------------------------------------------------------ */

long sys_madvise(struct mm *mm, unsigned long start, unsigned long len_in,
		 unsigned long advice)
{
	int behavior = (int)advice;   /* the system call takes an int */
	unsigned long len = PAGE_ALIGN(len_in);

	if (!madvise_behavior_valid(mm, behavior))
		return -EINVAL;
	if (offset_in_page(start))
		return -EINVAL;
	if (len_in && !len)
		return -EINVAL;   /* rounded up from a "negative" length */
	if (start + len < start)
		return -EINVAL;
	if (!len)
		return 0;
	if (behavior == MADV_POPULATE_READ || behavior == MADV_POPULATE_WRITE)
		return madvise_populate(mm, start, start + len,
					behavior == MADV_POPULATE_WRITE);
	return madvise_walk_vmas(mm, start, start + len, behavior);
}
