/*
 * page_alloc.c — the engine's pool of physical frames, and the table of
 * cache ids that struct page names its cache by.
 *
 * Owns: struct phys's frames: the struct page array and the memory behind
 * them, both reserved up front (MAP_NORESERVE), so a large pool costs
 * nothing until it fills; and phys->cache_ids.
 *
 * Invariants: frame 0 is the shared zero page, always zero, never freed;
 * a frame is free (refcount 0, on the free list or at/after bump) or
 * handed out (refcount >= mapcount, refcount >= 1); used counts the
 * handed-out frames.  Every frame at or after bump is zero (the host's
 * fresh memory, never handed out), so frame_alloc clears only frames that
 * come back from the free list.  populated is a multiple of
 * POOL_CHUNK_FRAMES (or nframes) and at least bump once a frame was taken.
 *
 * Host memory: the frames are backed in 2 MiB chunks, one chunk at a time
 * as bump reaches it (MADV_POPULATE_WRITE, on huge pages where the host
 * allows them), rather than by one host page fault per 4 KiB frame on
 * first touch: one host call and, with a huge page, one bulk clear per
 * 512 frames.  A chunk is made only when a frame in it is handed out, so
 * an unused pool still costs nothing.  Where the host refuses (old kernel,
 * no huge pages) the frames are faulted in on first touch as before.
 *
 * Free frames are reused last-freed first (hot in the cache); a
 * frame from the free list is cleared with memset when handed out, as the
 * kernel clears a page at allocation.
 *
 * Cache ids: 1 .. PAGE_CACHE_IDS - 1; a free slot holds (next free id << 1
 * | 1), so one word per slot serves both the table and its free list.
 *
 * Fault injection: frame_alloc fails on the injected allocation like every
 * other allocation (alloc.h), so a test can make the Nth frame fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "page.h"
#include "alloc.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define POOL_CHUNK_FRAMES 512UL                      /* 2 MiB */
#define POOL_CHUNK_BYTES (POOL_CHUNK_FRAMES << PAGE_SHIFT)

static void *reserve(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Like reserve, at a 2 MiB boundary, so that each chunk of the pool can be
 * one huge page. */
static void *reserve_chunks(size_t bytes)
{
	unsigned char *p = reserve(bytes + POOL_CHUNK_BYTES), *a;
	size_t head;

	if (!p)
		return NULL;
	a = (unsigned char *)(((uintptr_t)p + POOL_CHUNK_BYTES - 1) & ~(POOL_CHUNK_BYTES - 1));
	head = (size_t)(a - p);
	if (head)
		munmap(p, head);
	munmap(a + bytes, POOL_CHUNK_BYTES - head);
	(void)madvise(a, bytes, MADV_HUGEPAGE);   /* a hint; fine if refused */
	return a;
}

int phys_init(struct phys *ph, unsigned long bytes)
{
	memset(ph, 0, sizeof(*ph));
	ph->nframes = bytes >> PAGE_SHIFT;
	if (ph->nframes < 2 || ph->nframes > (1UL << 32))
		return -EINVAL;
	ph->pages = reserve(ph->nframes * sizeof(struct page));
	ph->mem = reserve_chunks(ph->nframes << PAGE_SHIFT);
	ph->cache_ids = reserve(PAGE_CACHE_IDS * sizeof(*ph->cache_ids));
	if (!ph->pages || !ph->mem || !ph->cache_ids) {
		phys_destroy(ph);
		return -ENOMEM;
	}
	page_init_allocated(&ph->pages[ZERO_PFN]);
	page_set_flags(&ph->pages[ZERO_PFN], PG_ZERO);
	ph->bump = 1;
	ph->cache_id_next = 1;
	return 0;
}

void phys_destroy(struct phys *ph)
{
	if (ph->pages)
		munmap(ph->pages, ph->nframes * sizeof(struct page));
	if (ph->mem)
		munmap(ph->mem, ph->nframes << PAGE_SHIFT);
	if (ph->cache_ids)
		munmap(ph->cache_ids, PAGE_CACHE_IDS * sizeof(*ph->cache_ids));
	ph->pages = NULL;
	ph->mem = NULL;
	ph->cache_ids = NULL;
}

/* Back the next chunk of the pool (frames and their struct pages) with host
 * memory.  Best effort: what the host does not populate now it faults in
 * on first touch. */
static void pool_populate(struct phys *ph)
{
	unsigned long first = ph->populated;
	unsigned long end = first + POOL_CHUNK_FRAMES < ph->nframes ?
			    first + POOL_CHUNK_FRAMES : ph->nframes;
	uintptr_t pg_lo = (uintptr_t)&ph->pages[first] & ~(uintptr_t)(PAGE_SIZE - 1);
	uintptr_t pg_hi = ((uintptr_t)&ph->pages[end] + PAGE_SIZE - 1) &
			  ~(uintptr_t)(PAGE_SIZE - 1);

	(void)madvise(pfn_data(ph, first), (end - first) << PAGE_SHIFT, MADV_POPULATE_WRITE);
	(void)madvise((void *)pg_lo, pg_hi - pg_lo, MADV_POPULATE_WRITE);
	ph->populated = end;
}

/* A free frame, its struct page set up with one reference; *zero tells
 * whether its bytes are known to be zero.  0 when the pool is empty. */
static unsigned long frame_take(struct phys *ph, bool *zero)
{
	unsigned long pfn;

	if (um_alloc_should_fail())
		return 0;
	if (ph->free_head) {
		pfn = ph->free_head;
		ph->free_head = page_next_free(&ph->pages[pfn]);
		*zero = false;
	} else if (ph->bump < ph->nframes) {
		pfn = ph->bump++;
		if (pfn >= ph->populated)
			pool_populate(ph);
		*zero = true;
	} else {
		return 0;
	}
	page_init_allocated(&ph->pages[pfn]);
	ph->used++;
	return pfn;
}

#ifdef UM_DEBUG
/* Test builds: a frame handed out as zero without clearing must be zero. */
static void check_zero(struct phys *ph, unsigned long pfn)
{
	const uint64_t *w = (const uint64_t *)pfn_data(ph, pfn);

	for (size_t i = 0; i < PAGE_SIZE / sizeof(*w); i++) {
		if (w[i]) {
			fprintf(stderr, "usermm: frame %lu at/after bump is not zero\n", pfn);
			abort();
		}
	}
}
#else
static void check_zero(struct phys *ph, unsigned long pfn)
{
	(void)ph;
	(void)pfn;
}
#endif

unsigned long frame_alloc(struct phys *ph)
{
	bool zero;
	unsigned long pfn = frame_take(ph, &zero);

	if (pfn && !zero)
		memset(pfn_data(ph, pfn), 0, PAGE_SIZE);
	else if (pfn)
		check_zero(ph, pfn);
	return pfn;
}

unsigned long frame_alloc_nozero(struct phys *ph)
{
	bool zero;

	return frame_take(ph, &zero);
}

void frame_get(struct phys *ph, unsigned long pfn)
{
	if (pfn != ZERO_PFN)
		page_ref_inc(&ph->pages[pfn]);
}

void frame_put(struct phys *ph, unsigned long pfn)
{
	struct page *pg = &ph->pages[pfn];

	if (pfn == ZERO_PFN || page_ref_dec(pg))
		return;
	pg->ref_id = 0;
	pg->map_flags = 0;
	page_set_next_free(pg, ph->free_head);
	ph->free_head = pfn;
	ph->used--;
}

/* ---- cache ids ---------------------------------------------------------------------- */

int cache_id_get(struct phys *ph, struct address_space *as)
{
	unsigned long id = ph->cache_id_free;

	if (id)
		ph->cache_id_free = ph->cache_ids[id] >> 1;
	else if (ph->cache_id_next < PAGE_CACHE_IDS)
		id = ph->cache_id_next++;
	else
		return -ENOMEM;
	ph->cache_ids[id] = (uintptr_t)as;
	as->id = id;
	return 0;
}

void cache_id_put(struct phys *ph, struct address_space *as)
{
	ph->cache_ids[as->id] = (uintptr_t)ph->cache_id_free << 1 | 1;
	ph->cache_id_free = as->id;
	as->id = 0;
}

void page_set_cache(struct page *pg, const struct address_space *as,
		    unsigned long index)
{
	unsigned long id = as->id;

#ifdef UM_DEBUG
	if (index > PAGE_INDEX_MAX || !id) {
		fprintf(stderr, "usermm: page_set_cache: index %#lx, cache id %lu\n", index, id);
		abort();
	}
#endif
	pg->ref_id = (pg->ref_id & PAGE_COUNT_MASK) |
		     (uint32_t)(id >> PAGE_ID_LO_BITS) << PAGE_COUNT_BITS;
	pg->word = (uint64_t)id << PAGE_INDEX_BITS | (index & PAGE_INDEX_MAX);
	page_set_flags(pg, PG_CACHE);
}

void page_clear_cache(struct page *pg)
{
	pg->ref_id &= PAGE_COUNT_MASK;
	pg->word = 0;
	page_clear_flags(pg, PG_CACHE | PG_DIRTY);
}
