/*
 * memory.c — the fault handler and what else works on page-table entries
 * (Linux's mm/memory.c): handle_mm_fault, do_anonymous_page, the file
 * faults, do_wp_page (copy-on-write), zap_page_range, copy_page_range
 * (fork), move_page_tables (mremap), change_protection (mprotect), and the
 * CPU-like loads and stores that enter the fault handler.
 *
 * State diagram of one page of a private mapping:
 *
 *   none ──read──▶ zero page (anon) / cache page (file), read-only
 *   none ──write─▶ own anonymous frame, writable          do_anonymous_page,
 *                                                          do_cow_fault
 *   read-only ──write─▶ own frame: reused if this PTE is its only user
 *                       (do_wp_page reuse), else a copy (do_wp_page copy)
 *   writable ──fork──▶ read-only in parent and child (copy_page_range)
 *   any ──munmap, MADV_DONTNEED, truncate──▶ none          zap_page_range
 *
 * A shared mapping maps the page-cache page itself: read faults map a
 * disk file's page read-only and clean, the first write makes the entry
 * writable and the page dirty (the writeback that msync, munmap and exit
 * do).  Shared writable shmem wants no write notification: its entries are
 * writable from the first fault, a store dirties only the entry, and the
 * page becomes dirty when the entry is zapped (writes_unnotified).
 *
 * Fault-around: a read fault on a file page also maps, read-only, the
 * neighbours the page cache already holds (do_fault_around), so a file's
 * Rss can grow by up to 16 pages a fault.  Readahead, which would first
 * fill the cache around an uncached page, is not modelled.
 *
 * Invariants (mm_validate_pages checks them): every present entry lies in a
 * VMA and names a frame handed out; a writable entry is never the zero
 * page, and in a private mapping only an anonymous frame; a frame's
 * refcount is at least its mapcount; a cached frame's packed cache id and
 * index lead back to it through that cache; the mm's rss counters equal
 * its entries by kind; the page table's cached leaf is the one a walk
 * finds.  Across all processes (phys_validate): a frame's mapcount
 * equals the entries naming it, its refcount is that plus one when a
 * cache holds it, and used/cached_pages count exactly the frames held.
 *
 * Rights are checked against the VMA at every access (so PROT_NONE needs
 * no special entry); the entry's WRITE bit only says whether a write may go
 * straight to the frame (it may not for COW and clean shared pages).
 *
 * Speed: an access costs one VMA lookup and one table walk (pte_lookup's
 * cached leaf makes that a compare for neighbouring pages), fault or not;
 * a copy goes into a frame that is not cleared first; a mapping is zapped
 * from the top down so that its frames are reused in address order (see
 * zap_page_range).  Struct page is only reached through page.h's
 * accessors.
 *
 * Locking: the caller (engine.c) holds the address space.
 */
#include <fcntl.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "internal.h"
#include "page.h"

/* ---- accounting ------------------------------------------------------------------- */

static bool page_is_shmem(struct phys *ph, const struct page *pg)
{
	return (page_flags(pg) & PG_CACHE) && page_mapping(ph, pg)->shmem;
}

static unsigned long *rss_counter(struct mm *mm, struct page *pg)
{
	if (page_flags(pg) & PG_ANON)
		return &mm->rss_anon;
	if (page_is_shmem(mm->phys, pg))
		return &mm->rss_shmem;
	return &mm->rss_file;
}

/* Point *e at @pfn (whose reference the caller hands over). */
static void set_pte(struct mm *mm, pte_t *e, unsigned long pfn, pte_t bits)
{
	*e = mk_pte(pfn, bits);
	if (pfn != ZERO_PFN) {
		struct page *pg = pfn_page(mm->phys, pfn);

		page_map_inc(pg);
		(*rss_counter(mm, pg))++;
	}
}

/* Clear *e, dropping its page.  A shmem page written through the entry
 * becomes dirty now (zap_present_ptes: the entry's dirty bit goes to the
 * folio); a disk file's page was made dirty at the store already. */
static void clear_pte(struct mm *mm, pte_t *e)
{
	unsigned long pfn = pte_pfn(*e);
	pte_t old = *e;

	*e = 0;
	if (pfn != ZERO_PFN) {
		struct page *pg = pfn_page(mm->phys, pfn);

		if ((old & PTE_DIRTY) && page_is_shmem(mm->phys, pg))
			page_set_flags(pg, PG_DIRTY);

		mm_update_hiwater_rss(mm);   /* VmHWM keeps what is given up */
		page_map_dec(pg);
		(*rss_counter(mm, pg))--;
		frame_put(mm->phys, pfn);
	}
}

static unsigned long linear_index(const struct vma *v, unsigned long addr)
{
	return v->vm_pgoff + ((addr - v->vm_start) >> PAGE_SHIFT);
}

/* ---- faults --------------------------------------------------------------------------- */

/* A fresh anonymous frame for a private write, with the VMA's anon_vma:
 * zeroed, or (from != ZERO_PFN) a copy of frame @from. */
static int new_anon_frame(struct mm *mm, struct vma *v, unsigned long from,
			  unsigned long *pfn)
{
	struct phys *ph = mm->phys;

	if (anon_vma_prepare(mm, v))
		return FAULT_OOM;
	/* A copy overwrites every byte: clearing first would be wasted. */
	*pfn = from == ZERO_PFN ? frame_alloc(ph) : frame_alloc_nozero(ph);
	if (!*pfn)
		return FAULT_OOM;
	if (from != ZERO_PFN)
		memcpy(pfn_data(ph, *pfn), pfn_data(ph, from), PAGE_SIZE);
	page_set_flags(pfn_page(ph, *pfn), PG_ANON);
	return 0;
}

static int do_anonymous_page(struct mm *mm, struct vma *v, pte_t *e, bool write)
{
	unsigned long pfn;
	int r;

	if (!write) {
		set_pte(mm, e, ZERO_PFN, PTE_ACCESSED);
		mm->phys->ev.zero++;
		return 0;
	}
	if ((r = new_anon_frame(mm, v, ZERO_PFN, &pfn)))
		return r;
	set_pte(mm, e, pfn, PTE_WRITE | PTE_DIRTY | PTE_ACCESSED);
	mm->phys->ev.anon++;
	return 0;
}

/* The page cache behind a file VMA, or NULL for ENOMEM. */
static struct address_space *vma_mapping(struct mm *mm, struct vma *v)
{
	return file_mapping(mm->phys, v->vm_file);
}

/* A shared writable mapping of shmem wants no write notification (no
 * page_mkwrite, no dirty accounting), so Linux maps its pages writable from
 * the first fault and a store only sets the entry's dirty bit: the page
 * itself is dirty for other mappings only after a write fault or a zap.  A
 * file on disk wants write faults: its entries start read-only. */
static bool writes_unnotified(const struct vma *v, const struct address_space *as)
{
	return as->shmem && (v->vm_flags & (VM_SHARED | VM_WRITE)) == (VM_SHARED | VM_WRITE);
}

static bool past_eof(const struct address_space *as, unsigned long index)
{
	return index >= (as->size + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/*
 * do_fault_around: before a read fault reads its page, Linux maps the
 * cached pages of the fault_around_bytes (64 KiB) block of the virtual
 * address space holding @addr, clipped to the VMA and to the end of file,
 * whose entries are still empty (a guard marker or a COW copy stays).
 * With 64 KiB pages the block is one page: nothing is done around it.
 */
#define FAULT_AROUND_BYTES 65536UL

static void do_fault_around(struct mm *mm, struct vma *v, struct address_space *as,
			    unsigned long addr)
{
	unsigned long start = um_max(addr & ~(FAULT_AROUND_BYTES - 1), v->vm_start);
	unsigned long end = um_min((addr | (FAULT_AROUND_BYTES - 1)) + 1, v->vm_end);
	unsigned long eof = (as->size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	pte_t bits = PTE_ACCESSED | (writes_unnotified(v, as) ? PTE_WRITE : 0);

	if (FAULT_AROUND_BYTES >> PAGE_SHIFT <= 1)
		return;
	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		unsigned long index = linear_index(v, a), pfn;
		pte_t *e;

		if (index >= eof)
			break;
		if (!(pfn = mapping_find_page(as, index)) ||
		    page_map_full(pfn_page(mm->phys, pfn)))
			continue;
		/* The block lies in the faulting entry's leaf table. */
		e = pte_lookup(mm->phys, &mm->pgt, a, false);
		if (!e || *e)
			continue;
		frame_get(mm->phys, pfn);
		set_pte(mm, e, pfn, bits);
	}
}

static int do_file_fault(struct mm *mm, struct vma *v, pte_t *e,
			 unsigned long addr, bool write)
{
	struct address_space *as;
	unsigned long index = linear_index(v, addr), pfn, copy;
	bool cow = write && !(v->vm_flags & VM_SHARED);
	int r;

	/* The anon_vma comes first: even a fault that ends in SIGBUS leaves
	 * the VMA one (Linux prepares it before looking at the file). */
	if (cow && anon_vma_prepare(mm, v))
		return FAULT_OOM;
	if (!(as = vma_mapping(mm, v)))
		return FAULT_OOM;
	if (past_eof(as, index))
		return FAULT_SIGBUS;
	if (!write) {
		do_fault_around(mm, v, as, addr);
		if (*e) {            /* the page was cached: mapped with the rest */
			mm->phys->ev.file_read++;
			return 0;
		}
	}
	if (!(pfn = mapping_get_page(mm->phys, as, index)))
		return FAULT_OOM;
	if (!cow) {
		if (page_map_full(pfn_page(mm->phys, pfn))) {
			frame_put(mm->phys, pfn);
			return FAULT_OOM;
		}
		if (write)   /* shmem too: smaps shows it dirty in every mapping */
			page_set_flags(pfn_page(mm->phys, pfn), PG_DIRTY);
		set_pte(mm, e, pfn, PTE_ACCESSED | (write ? PTE_WRITE | PTE_DIRTY : 0) |
			(writes_unnotified(v, as) ? PTE_WRITE : 0));
		if (write)
			mm->phys->ev.shared_write++;
		else
			mm->phys->ev.file_read++;
		return 0;
	}
	r = new_anon_frame(mm, v, pfn, &copy);
	frame_put(mm->phys, pfn);
	if (r)
		return r;
	set_pte(mm, e, copy, PTE_WRITE | PTE_DIRTY | PTE_ACCESSED);
	mm->phys->ev.cow++;
	return 0;
}

/* A write to a present, write-protected entry. */
static int do_wp_page(struct mm *mm, struct vma *v, pte_t *e)
{
	unsigned long pfn = pte_pfn(*e), copy;
	struct page *pg = pfn_page(mm->phys, pfn);
	int r;

	if (v->vm_flags & VM_SHARED) {
		page_set_flags(pg, PG_DIRTY);
		*e |= PTE_WRITE | PTE_DIRTY | PTE_ACCESSED;
		mm->phys->ev.shared_wp++;
		return 0;
	}
	if (pfn != ZERO_PFN && (page_flags(pg) & PG_ANON) && page_refcount(pg) == 1) {
		*e |= PTE_WRITE | PTE_DIRTY | PTE_ACCESSED;   /* only user: reuse */
		mm->phys->ev.reuse++;
		return 0;
	}
	if ((r = new_anon_frame(mm, v, pfn, &copy)))
		return r;
	clear_pte(mm, e);
	set_pte(mm, e, copy, PTE_WRITE | PTE_DIRTY | PTE_ACCESSED);
	mm->phys->ev.cow++;
	return 0;
}

/* A fault on entry @e (of @addr in @v), which its tables already hold. */
static int handle_pte_fault(struct mm *mm, struct vma *v, pte_t *e,
			    unsigned long addr, bool write)
{
	if (*e & PTE_GUARD)
		return FAULT_MAPERR;   /* a guard page: as if nothing were there */
	if (!(*e & PTE_PRESENT)) {
		if (vma_is_anonymous(v))
			return do_anonymous_page(mm, v, e, write);
		return do_file_fault(mm, v, e, addr, write);
	}
	if (write && !(*e & PTE_WRITE))
		return do_wp_page(mm, v, e);
	*e |= PTE_ACCESSED | (write ? PTE_DIRTY : 0);
	return 0;
}

int fault_page(struct mm *mm, struct vma *v, unsigned long addr, bool write)
{
	pte_t *e = pte_lookup(mm->phys, &mm->pgt, addr, true);

	return e ? handle_pte_fault(mm, v, e, addr, write) : FAULT_OOM;
}

/* May this access touch @v at all?  x86 cannot make a page writable or
 * executable without also making it readable. */
static bool access_allowed(const struct vma *v, bool write)
{
	if (write)
		return v->vm_flags & VM_WRITE;
	return v->vm_flags & (VM_READ | VM_WRITE | VM_EXEC);
}

/* The VMA an access at @addr may touch (growing a stack down to it), or the
 * fault it takes before any page is looked at. */
static int vma_for_access(struct mm *mm, unsigned long addr, bool write,
			  struct vma **pv)
{
	struct vma *v = find_vma(mm, addr);

	if (!v || (addr < v->vm_start && expand_stack(mm, v, addr)))
		return FAULT_MAPERR;
	if (!access_allowed(v, write))
		return FAULT_ACCERR;
	*pv = v;
	return 0;
}

int handle_mm_fault(struct mm *mm, unsigned long addr, bool write)
{
	struct vma *v;
	int r = vma_for_access(mm, addr, write, &v);

	return r ? r : fault_page(mm, v, addr, write);
}

/* ---- loads and stores ----------------------------------------------------------------- */

/* A copy in ascending address order, as x86's rep movsb does it.  The two
 * ranges overlap only when read() or write() copies between a file's page
 * and a shared mapping of that same page: then a destination above the
 * source repeats the source's first bytes, as on Linux (a pwrite64 from a
 * mapping of the file to 5 bytes further gives "0123401234..."). */
static void copy_forward(unsigned char *dst, const unsigned char *src, size_t n)
{
	size_t step = (size_t)(dst - src);

	if (dst <= src || dst >= src + n) {
		memmove(dst, src, n);   /* forward order reads each byte first */
		return;
	}
	for (size_t k = 0; k < n; k += step)   /* chunks that never overlap */
		memcpy(dst + k, src + k, step < n - k ? step : n - k);
}

/* The frame behind @addr, ready for this access (faulting as a CPU would). */
static int access_page(struct mm *mm, unsigned long addr, bool write,
		       unsigned char **data)
{
	struct vma *v;
	pte_t *e;
	int r;

	/* One VMA lookup and one table walk, whether the page is there or
	 * faults in: the access is allowed, so a missing entry is about to be
	 * filled and its tables (allocated here) would be made by the fault
	 * anyway.  The entry stays where it is: tables never move. */
	if ((r = vma_for_access(mm, addr, write, &v)))
		return r;
	if (!(e = pte_lookup(mm->phys, &mm->pgt, addr, true)))
		return FAULT_OOM;
	if ((!(*e & PTE_PRESENT) || (write && !(*e & PTE_WRITE))) &&
	    (r = handle_pte_fault(mm, v, e, addr, write)))
		return r;
	*e |= PTE_ACCESSED;
	if (write) {
		struct page *pg = pfn_page(mm->phys, pte_pfn(*e));

		/* A disk file's page is dirty from the store on (our writeback
		 * does not clean the entries, as Linux's folio_mkclean does);
		 * shmem's only in this entry until a zap (clear_pte). */
		*e |= PTE_DIRTY;
		if ((page_flags(pg) & PG_CACHE) && !page_is_shmem(mm->phys, pg))
			page_set_flags(pg, PG_DIRTY);
	}
	*data = pfn_data(mm->phys, pte_pfn(*e)) + offset_in_page(addr);
	return 0;
}

int access_vm(struct mm *mm, unsigned long addr, void *buf, size_t len,
	      bool write, unsigned long *fault_addr)
{
	unsigned char *b = buf;

	while (len) {
		size_t n = PAGE_SIZE - offset_in_page(addr);
		unsigned char *d;
		int r;

		if (n > len)
			n = len;
		if (addr >= mm->task_size) {
			bool canonical = addr < (1UL << 47) || addr >= 0xffff800000000000UL;

			*fault_addr = canonical ? addr : 0;
			return canonical ? FAULT_MAPERR : FAULT_GPF;
		}
		if ((r = access_page(mm, addr, write, &d))) {
			*fault_addr = addr;
			return r;
		}
		if (write)
			copy_forward(d, b, n);
		else
			copy_forward(b, d, n);
		addr += n;
		b += n;
		len -= n;
	}
	return 0;
}

/* ---- zap, protect, move, copy ----------------------------------------------------------- */

static int zap_one(pte_t *e, unsigned long addr, void *arg)
{
	(void)addr;
	clear_pte(arg, e);
	return 0;
}

/* From the top down: the free list hands frames out last-freed first, so
 * the range's frames come back in the order they were mapped, and a
 * refault of a run of pages clears its frames in ascending address order
 * (measured: twice as fast as descending, the prefetcher's direction). */
void zap_page_range(struct mm *mm, unsigned long start, unsigned long end)
{
	pte_walk_rev(&mm->pgt, start, end, zap_one, mm);
}

static int unguard_one(pte_t *e, unsigned long addr, void *arg)
{
	(void)addr, (void)arg;
	if (*e & PTE_GUARD)
		*e = 0;
	return 0;
}

/* Remove the guard markers of [start, end) (MADV_GUARD_REMOVE, munmap):
 * zapping pages keeps them, as Linux's MADV_DONTNEED does. */
void clear_guard_markers(struct mm *mm, unsigned long start, unsigned long end)
{
	pte_walk_any(&mm->pgt, start, end, unguard_one, NULL);
}

/* MADV_GUARD_INSTALL: the pages of [start, end) go (their data with them)
 * and each entry becomes a guard marker; -ENOMEM when a table cannot be
 * had, the markers installed so far staying, as Linux's do. */
int install_guard_markers(struct mm *mm, unsigned long start, unsigned long end)
{
	zap_page_range(mm, start, end);
	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		pte_t *e = pte_lookup(mm->phys, &mm->pgt, a, true);

		if (!e)
			return -ENOMEM;
		*e = PTE_GUARD;
	}
	return 0;
}

struct unmap_ctx {
	struct mm *mm;
	struct address_space *as;
	bool even_cows;
};

static int unmap_one(pte_t *e, unsigned long addr, void *arg)
{
	struct unmap_ctx *c = arg;
	struct page *pg = pfn_page(c->mm->phys, pte_pfn(*e));

	(void)addr;
	if (c->even_cows || ((page_flags(pg) & PG_CACHE) &&
			      page_mapping(c->mm->phys, pg) == c->as))
		clear_pte(c->mm, e);
	return 0;
}

/* Every mapping of file pages [first, last] of @as, in every process, loses
 * its entries: the page-cache pages, and with @even_cows the private copies
 * made from them too (truncation; a punched hole keeps those). */
void unmap_mapping_range(struct phys *ph, struct address_space *as,
			 unsigned long first, unsigned long last, bool even_cows)
{
	for (struct mm *mm = ph->mms; mm; mm = mm->mm_next) {
		struct unmap_ctx c = { mm, as, even_cows };

		for (struct vma *v = mm->vma_first; v; v = v->next) {
			unsigned long lo = v->vm_pgoff, hi = v->vm_pgoff + vma_pages(v) - 1;

			if (!v->vm_file || v->vm_file->mapping != as || hi < first || lo > last)
				continue;
			lo = um_max(lo, first);
			hi = um_min(hi, last);
			pte_walk(&mm->pgt, v->vm_start + ((lo - v->vm_pgoff) << PAGE_SHIFT),
				 v->vm_start + ((hi - v->vm_pgoff + 1) << PAGE_SHIFT),
				 unmap_one, &c);
		}
	}
}

static int wrprotect_one(pte_t *e, unsigned long addr, void *arg)
{
	(void)addr;
	(void)arg;
	*e &= ~PTE_WRITE;
	return 0;
}

static int mkwrite_one(pte_t *e, unsigned long addr, void *arg)
{
	(void)addr;
	(void)arg;
	*e |= PTE_WRITE;
	return 0;
}

/* mprotect's new rights for the entries of [start, end) in @v: taking write
 * away write-protects them; giving it to a shared shmem mapping makes them
 * writable at once (pte_modify with its writable vm_page_prot), so later
 * stores do not fault and dirty only the entries. */
void change_protection(struct mm *mm, struct vma *v, unsigned long start,
		       unsigned long end, unsigned long newflags)
{
	struct address_space *as;

	if (!(newflags & VM_WRITE))
		pte_walk(&mm->pgt, start, end, wrprotect_one, NULL);
	else if ((newflags & VM_SHARED) && v->vm_file &&
		 (as = mapping_lookup(mm->phys, v->vm_file)) && as->shmem)
		pte_walk(&mm->pgt, start, end, mkwrite_one, NULL);
}

struct move_ctx {
	struct mm *mm;
	long delta;
	int err;
	unsigned long stop;   /* the first entry that could not move */
};

static int move_one(pte_t *e, unsigned long addr, void *arg)
{
	struct move_ctx *c = arg;
	pte_t *to = pte_lookup(c->mm->phys, &c->mm->pgt, addr + (unsigned long)c->delta, true);

	if (!to) {
		c->stop = addr;
		return c->err = -ENOMEM;
	}
	*to = *e;
	*e = 0;
	return 0;
}

/* Move the entries of [old, old+len) to new (mremap); the ranges do not
 * overlap.  Entries are moved, not copied, so frames keep their counts.
 * All or nothing: when a table for the destination cannot be had, the
 * entries already moved go back (their old tables are still there, so
 * that needs no allocation) and -ENOMEM is returned, as Linux's move_vma
 * moves them back before unmapping the new area. */
int move_page_tables(struct mm *mm, unsigned long old, unsigned long new,
		     unsigned long len)
{
	struct move_ctx c = { mm, (long)(new - old), 0, 0 }, back;

	pte_walk_any(&mm->pgt, old, old + len, move_one, &c);   /* guards go too */
	if (!c.err)
		return 0;
	back = (struct move_ctx){ mm, (long)(old - new), 0, 0 };
	pte_walk_any(&mm->pgt, new, new + (c.stop - old), move_one, &back);
	return c.err;
}

struct copy_ctx {
	struct mm *dst, *src;
	bool shared;
};

static int copy_one(pte_t *e, unsigned long addr, void *arg)
{
	struct copy_ctx *c = arg;
	pte_t *to = pte_lookup(c->dst->phys, &c->dst->pgt, addr, true);
	unsigned long pfn = pte_pfn(*e);
	pte_t bits = *e & (PTE_WRITE | PTE_DIRTY);

	if (to && (*e & PTE_GUARD)) {
		*to = PTE_GUARD;   /* the child inherits guard pages */
		return 0;
	}
	if (!to || (pfn != ZERO_PFN && page_map_full(pfn_page(c->src->phys, pfn))))
		return -ENOMEM;
	if (!c->shared && (bits & PTE_WRITE)) {
		*e &= ~PTE_WRITE;   /* copy-on-write for both from now on */
		bits &= ~PTE_WRITE;
	}
	if (c->shared)
		bits &= ~PTE_DIRTY;   /* the parent's entry keeps what it wrote */
	frame_get(c->dst->phys, pfn);
	set_pte(c->dst, to, pfn, bits);   /* the child's entry starts "old" */
	return 0;
}

/* fork's copy of one VMA's entries.  As in Linux (vma_needs_copy), a VMA
 * without anonymous memory is not copied -- the child faults its pages in
 * from the file -- unless it may hold guard markers, which only the copy
 * can carry over. */
int copy_page_range(struct mm *dst, struct mm *src, struct vma *v)
{
	struct copy_ctx c = { dst, src, (v->vm_flags & VM_SHARED) != 0 };

	if (!v->anon_vma && !(v->vm_flags & VM_MAYBE_GUARD))
		return 0;
	return pte_walk_any(&src->pgt, v->vm_start, v->vm_end, copy_one, &c);
}

/* ---- populate ------------------------------------------------------------------------- */

/* GUP's FOLL_TOUCH (mark_page_accessed) on the page populate reached: the
 * first touch marks it referenced, which smaps reports even where the
 * entry is old (a fork's copy); the next one moves an evictable page to
 * the active list, clearing the mark, and an active page is marked again
 * and keeps it.  A locked (unevictable) page keeps its mark. */
static void touch_page(struct mm *mm, struct vma *v, unsigned long addr)
{
	pte_t *e = pte_lookup(mm->phys, &mm->pgt, addr, false);
	struct page *pg;

	if (!e || !(*e & PTE_PRESENT) || pte_pfn(*e) == ZERO_PFN)
		return;
	pg = pfn_page(mm->phys, pte_pfn(*e));
	if (!(page_flags(pg) & PG_REFERENCED)) {
		page_set_flags(pg, PG_REFERENCED);
	} else if (!(page_flags(pg) & PG_ACTIVE) && !(v->vm_flags & VM_LOCKED)) {
		page_clear_flags(pg, PG_REFERENCED);
		page_set_flags(pg, PG_ACTIVE);
	}
}

/* A write populate that finds the entry writable takes no fault: GUP's
 * FOLL_TOUCH marks the page dirty instead (follow_page_pte), unless the
 * entry is dirty already -- which shmem's other mappings then see, and
 * which keeps MADV_FREE off a shared anonymous page.  (A disk file's page
 * is made dirty whatever the entry says: our writeback leaves entries
 * dirty where Linux's write-protects them, so the next write faults.) */
static void gup_write_touch(struct mm *mm, unsigned long addr)
{
	pte_t *e = pte_lookup(mm->phys, &mm->pgt, addr, false);
	struct page *pg;

	if (!e || (*e & (PTE_PRESENT | PTE_WRITE)) != (PTE_PRESENT | PTE_WRITE))
		return;
	pg = pfn_page(mm->phys, pte_pfn(*e));
	if (!(*e & PTE_DIRTY) ||
	    ((page_flags(pg) & PG_CACHE) && !page_is_shmem(mm->phys, pg)))
		page_set_flags(pg, PG_DIRTY);
}

int fault_in_vma_range(struct mm *mm, struct vma *v, unsigned long start,
		       unsigned long end, bool write)
{
	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		if (write)
			gup_write_touch(mm, a);
		switch (fault_page(mm, v, a, write)) {
		case 0:
			touch_page(mm, v, a);
			break;
		case FAULT_OOM:
			return -ENOMEM;
		default:
			return -EFAULT;
		}
	}
	return 0;
}

/* ---- the validator ---------------------------------------------------------------------- */

struct check_ctx {
	struct mm *mm;
	unsigned long anon, file, shmem;
	int bad;
};

/* A cached page's packed cache id names a live cache (not a free id slot),
 * which holds this very frame at the packed index. */
static bool cache_page_ok(struct phys *ph, unsigned long pfn)
{
	const struct page *pg = pfn_page(ph, pfn);
	unsigned long id = page_cache_id(pg);

	if (!id || id >= ph->cache_id_next || (ph->cache_ids[id] & 1))
		return false;
	return mapping_find_page(page_mapping(ph, pg), page_index(pg)) == pfn;
}

static int check_one(pte_t *e, unsigned long addr, void *arg)
{
	struct check_ctx *c = arg;
	struct vma *v = find_vma(c->mm, addr);
	unsigned long pfn = pte_pfn(*e);
	struct page *pg;

	if (!v || addr < v->vm_start) {
		fprintf(stderr, "usermm: validate: present entry at %#lx outside every VMA\n", addr);
		return c->bad = 1;
	}
	if (pfn >= c->mm->phys->bump && pfn != ZERO_PFN) {
		fprintf(stderr, "usermm: validate: entry at %#lx names frame %lu beyond the pool\n",
			addr, pfn);
		return c->bad = 1;
	}
	pg = pfn_page(c->mm->phys, pfn);
	if (pfn == ZERO_PFN) {
		if (*e & PTE_WRITE) {
			fprintf(stderr, "usermm: validate: writable zero page at %#lx\n", addr);
			return c->bad = 1;
		}
		return 0;
	}
	if (!page_refcount(pg) || page_mapcount(pg) > page_refcount(pg) ||
	    ((*e & PTE_WRITE) && !(v->vm_flags & VM_SHARED) && !(page_flags(pg) & PG_ANON))) {
		fprintf(stderr, "usermm: validate: bad frame %lu at %#lx (ref %u map %u flags %#x)\n",
			pfn, addr, page_refcount(pg), page_mapcount(pg), page_flags(pg));
		return c->bad = 1;
	}
	if ((page_flags(pg) & (PG_LAZYFREE | PG_ANON)) == PG_LAZYFREE) {
		fprintf(stderr, "usermm: validate: frame %lu at %#lx is lazily free but "
			"not anonymous\n", pfn, addr);
		return c->bad = 1;
	}
	if ((page_flags(pg) & PG_CACHE) && !cache_page_ok(c->mm->phys, pfn)) {
		fprintf(stderr, "usermm: validate: frame %lu at %#lx: cache id %lu index %#lx "
			"do not lead back to it\n", pfn, addr, page_cache_id(pg), page_index(pg));
		return c->bad = 1;
	}
	(*(page_flags(pg) & PG_ANON ? &c->anon :
	   page_is_shmem(c->mm->phys, pg) ? &c->shmem : &c->file))++;
	return 0;
}


int mm_validate_pages(struct mm *mm)
{
	struct check_ctx c = { mm, 0, 0, 0, 0 };

	if (!mm->phys)
		return 0;
	if (!pte_leaf_cache_ok(&mm->pgt)) {
		fprintf(stderr, "usermm: validate: the cached leaf table is not the one a walk finds\n");
		return -EUCLEAN;
	}
	pte_walk(&mm->pgt, 0, ~0UL, check_one, &c);
	if (!c.bad && (c.anon != mm->rss_anon || c.file != mm->rss_file ||
		       c.shmem != mm->rss_shmem)) {
		fprintf(stderr, "usermm: validate: rss anon/file/shmem %lu/%lu/%lu, entries say "
			"%lu/%lu/%lu\n", mm->rss_anon, mm->rss_file, mm->rss_shmem,
			c.anon, c.file, c.shmem);
		c.bad = 1;
	}
	return c.bad ? -EUCLEAN : 0;
}

/* ---- the whole engine's frames ------------------------------------------------------------- */

struct count_ctx {
	uint32_t *maps;           /* entries naming each frame, all processes */
	unsigned long bump;
	int bad;
};

static int count_one(pte_t *e, unsigned long addr, void *arg)
{
	struct count_ctx *c = arg;
	unsigned long pfn = pte_pfn(*e);

	(void)addr;
	if (pfn != ZERO_PFN && pfn < c->bump)
		c->maps[pfn]++;
	return 0;
}

/* What no single address space can check: each frame's mapcount is the
 * number of entries naming it in every process, its refcount that plus the
 * cache's reference, used counts the frames held, and cached_pages the
 * pages the caches hold. */
int phys_validate(struct phys *ph)
{
	struct count_ctx c = { calloc(ph->bump ? ph->bump : 1, sizeof(uint32_t)), ph->bump, 0 };
	unsigned long held = 0, cached = 0, nrpages = 0;

	if (!c.maps)
		return 0;   /* no memory to check with: not a broken engine */
	for (struct mm *mm = ph->mms; mm; mm = mm->mm_next)
		pte_walk(&mm->pgt, 0, ~0UL, count_one, &c);
	for (unsigned long pfn = 1; pfn < ph->bump && !c.bad; pfn++) {
		const struct page *pg = pfn_page(ph, pfn);
		unsigned in_cache = (page_flags(pg) & PG_CACHE) != 0;

		if (!page_refcount(pg) && !c.maps[pfn] && !in_cache)
			continue;
		held++;
		cached += in_cache;
		if (page_mapcount(pg) != c.maps[pfn] ||
		    page_refcount(pg) != page_mapcount(pg) + in_cache) {
			fprintf(stderr, "usermm: validate: frame %lu has ref %u map %u, but %u "
				"entries and %s cache\n", pfn, page_refcount(pg),
				page_mapcount(pg), c.maps[pfn], in_cache ? "a" : "no");
			c.bad = 1;
		}
	}
	for (struct address_space *as = ph->caches; as; as = as->next)
		nrpages += as->nrpages;
	if (!c.bad && (held != ph->used || cached != ph->cached_pages ||
		       nrpages != ph->cached_pages)) {
		fprintf(stderr, "usermm: validate: %lu frames held (used says %lu), %lu cached "
			"(cached_pages %lu, caches' nrpages %lu)\n", held, ph->used, cached,
			ph->cached_pages, nrpages);
		c.bad = 1;
	}
	free(c.maps);
	return c.bad ? -EUCLEAN : 0;
}

/* ---- MADV_FREE, MADV_COLD, MADV_PAGEOUT at the page level ------------------------------ */

struct lru_ctx {
	struct mm *mm;
	int advice;
};

/* A page only this entry maps (Linux skips folios mapped more than once:
 * folio_likely_mapped_shared). */
static struct page *exclusive_page(struct mm *mm, pte_t e)
{
	struct page *pg;

	if (pte_pfn(e) == ZERO_PFN)
		return NULL;
	pg = pfn_page(mm->phys, pte_pfn(e));
	return page_mapcount(pg) == 1 ? pg : NULL;
}

/* PAGEOUT with no swap: a clean cached page (a file's, or shmem never
 * written) leaves the page tables and the cache — the host's too, so that
 * mincore sees it gone; a dirty shmem page leaves the page tables but stays
 * in its object (its writeout fails); a dirty file page and anonymous
 * memory stay where they are. */
static void pageout_page(struct mm *mm, pte_t *e, struct page *pg)
{
	bool dirty = (*e & PTE_DIRTY) || (page_flags(pg) & PG_DIRTY);
	struct address_space *as;
	unsigned long index;

	if (!(page_flags(pg) & PG_CACHE))
		return;
	as = page_mapping(mm->phys, pg);
	index = page_index(pg);
	if (dirty) {
		if (as->shmem) {
			page_set_flags(pg, PG_DIRTY);
			clear_pte(mm, e);
		}
		return;
	}
	clear_pte(mm, e);
	if (page_mapcount(pg))
		return;
	mapping_drop_range(mm->phys, as, index, index);
	if (as->host_fd >= 0)
		posix_fadvise(as->host_fd, (off_t)(index << PAGE_SHIFT), (off_t)PAGE_SIZE,
			      POSIX_FADV_DONTNEED);
}

/* MADV_FREE takes shared pages too (madvise_free_pte_range skips a folio
 * mapped elsewhere only when the folio itself is dirty -- here only after a
 * write populate, gup_write_touch -- or in the swap cache): this entry is
 * cleaned and aged, the page marked lazily free. */
static void free_one(pte_t *e, struct page *pg)
{
	if (page_flags(pg) & PG_DIRTY) {     /* made dirty by a write populate */
		if (page_mapcount(pg) != 1)
			return;
		page_clear_flags(pg, PG_DIRTY);
	}
	*e &= ~(PTE_DIRTY | PTE_ACCESSED);   /* clean: reclaim may now drop it */
	/* lru_lazyfree ages a page once: an already lazily free one (no
	 * longer swap-backed) keeps whatever marks it gained since. */
	if (!(page_flags(pg) & PG_LAZYFREE)) {
		page_clear_flags(pg, PG_REFERENCED | PG_ACTIVE);
		page_set_flags(pg, PG_LAZYFREE);
	}
}

static int lru_one(pte_t *e, unsigned long addr, void *arg)
{
	struct lru_ctx *c = arg;
	struct page *pg;

	(void)addr;
	if (c->advice == MADV_FREE) {
		pg = pte_pfn(*e) == ZERO_PFN ? NULL : pfn_page(c->mm->phys, pte_pfn(*e));
		if (pg && (page_flags(pg) & PG_ANON))
			free_one(e, pg);
		return 0;
	}
	if (!(pg = exclusive_page(c->mm, *e)))
		return 0;
	/* every one of them ages the page: not referenced, not active */
	*e &= ~PTE_ACCESSED;
	page_clear_flags(pg, PG_REFERENCED | PG_ACTIVE);
	if (c->advice == MADV_PAGEOUT)
		pageout_page(c->mm, e, pg);
	return 0;
}

void madvise_pages_lru(struct mm *mm, unsigned long start, unsigned long end, int advice)
{
	struct lru_ctx c = { mm, advice };

	if (mm->phys)
		pte_walk(&mm->pgt, start, end, lru_one, &c);
}
