/*
 * page_alloc.c — the engine's pool of physical frames.
 *
 * Owns: struct phys's frames: the struct page array and the memory behind
 * them, both reserved up front (MAP_NORESERVE) and touched only as frames
 * are used, so a large pool costs nothing until it fills.
 *
 * Invariants: frame 0 is the shared zero page, always zero, never freed;
 * a frame is free (refcount 0, on the free list or at/after bump) or
 * handed out (refcount >= mapcount, refcount >= 1); used counts the
 * handed-out frames.
 *
 * Fault injection: frame_alloc fails on the injected allocation like every
 * other allocation (alloc.h), so a test can make the Nth frame fail.
 */
#include <string.h>
#include <sys/mman.h>
#include "page.h"
#include "alloc.h"

static void *reserve(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int phys_init(struct phys *ph, unsigned long bytes)
{
	memset(ph, 0, sizeof(*ph));
	ph->nframes = bytes >> PAGE_SHIFT;
	if (ph->nframes < 2 || ph->nframes > (1UL << 32))
		return -EINVAL;
	ph->pages = reserve(ph->nframes * sizeof(struct page));
	ph->mem = reserve(ph->nframes << PAGE_SHIFT);
	if (!ph->pages || !ph->mem) {
		phys_destroy(ph);
		return -ENOMEM;
	}
	ph->pages[ZERO_PFN].refcount = 1;
	ph->pages[ZERO_PFN].flags = PG_ZERO;
	ph->bump = 1;
	return 0;
}

void phys_destroy(struct phys *ph)
{
	if (ph->pages)
		munmap(ph->pages, ph->nframes * sizeof(struct page));
	if (ph->mem)
		munmap(ph->mem, ph->nframes << PAGE_SHIFT);
	ph->pages = NULL;
	ph->mem = NULL;
}

unsigned long frame_alloc(struct phys *ph)
{
	unsigned long pfn;
	struct page *pg;

	if (um_alloc_should_fail())
		return 0;
	if (ph->free_head) {
		pfn = ph->free_head;
		ph->free_head = ph->pages[pfn].next_free;
	} else if (ph->bump < ph->nframes) {
		pfn = ph->bump++;
	} else {
		return 0;
	}
	pg = &ph->pages[pfn];
	memset(pg, 0, sizeof(*pg));
	pg->refcount = 1;
	memset(pfn_data(ph, pfn), 0, PAGE_SIZE);
	ph->used++;
	return pfn;
}

void frame_get(struct phys *ph, unsigned long pfn)
{
	if (pfn != ZERO_PFN)
		ph->pages[pfn].refcount++;
}

void frame_put(struct phys *ph, unsigned long pfn)
{
	struct page *pg = &ph->pages[pfn];

	if (pfn == ZERO_PFN || --pg->refcount)
		return;
	pg->flags = 0;
	pg->mapping = NULL;
	pg->next_free = ph->free_head;
	ph->free_head = (uint32_t)pfn;
	ph->used--;
}
