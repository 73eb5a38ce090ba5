/*
 * page.h — the physical side: frames (struct page), the engine's frame pool,
 * software page tables, the page cache (struct address_space) and the fault
 * handler's entry points.  Linux's names: page_alloc.c hands out frames,
 * pgtable.c walks the four-level table, filemap.c is the page cache,
 * memory.c the fault handler, zap and fork's page copying.
 */
#ifndef USERMM_PAGE_H
#define USERMM_PAGE_H

#include <stddef.h>
#include <stdint.h>
#include "mm_types.h"

/* ---- frames ------------------------------------------------------------------- */

/* page->flags */
#define PG_ANON      0x01u   /* private anonymous (or COW copy) memory */
#define PG_DIRTY     0x02u   /* cache page written since its writeback
                              * (shmem: since it was made; never cleaned) */
#define PG_ZERO      0x04u   /* the shared zero page */
#define PG_CACHE     0x08u   /* in a page cache (mapping, index) */
#define PG_REFERENCED 0x10u  /* touched by populate (GUP): smaps' Referenced */
#define PG_ACTIVE    0x20u   /* touched again: on the active list */

/* One frame.  refcount counts every holder (page-table entries, the page
 * cache); mapcount only page-table entries, so a private page with
 * mapcount == refcount == 1 belongs to its one writer alone (COW reuse). */
struct page {
	uint32_t refcount;
	uint32_t mapcount;
	uint32_t flags;
	uint32_t next_free;           /* free list link (pfn), when free */
	struct address_space *mapping;  /* PG_CACHE: its cache */
	unsigned long index;          /* PG_CACHE: page index in the file */
};

struct phys {
	unsigned long nframes;        /* pool size, frame 0 is the zero page */
	unsigned long used;           /* frames handed out (not the zero page) */
	unsigned long bump;           /* frames below this have been handed out once */
	uint32_t free_head;           /* free list (0 = empty) */
	struct page *pages;           /* nframes entries */
	unsigned char *mem;           /* nframes * PAGE_SIZE bytes */
	struct address_space *caches; /* every page cache of the engine */
	struct mm *mms;               /* every live address space (reverse map
	                               * of file pages: their VMAs name the file) */
	unsigned long cached_pages;   /* pages held by page caches */
	unsigned long pgtables;       /* page-table pages, all processes */
	struct {                      /* counters, for um_phys_stats */
		unsigned long zero, anon, file_read, shared_write, cow, reuse,
			      shared_wp, pages_read, pages_written;
	} ev;
};

int phys_init(struct phys *ph, unsigned long bytes);
void phys_destroy(struct phys *ph);
/* A zeroed frame with refcount 1, or 0 when the pool is empty (or an
 * injected failure). */
unsigned long frame_alloc(struct phys *ph);
void frame_get(struct phys *ph, unsigned long pfn);
void frame_put(struct phys *ph, unsigned long pfn);
static inline struct page *pfn_page(struct phys *ph, unsigned long pfn)
{
	return &ph->pages[pfn];
}
static inline unsigned char *pfn_data(struct phys *ph, unsigned long pfn)
{
	return ph->mem + (pfn << PAGE_SHIFT);
}
#define ZERO_PFN 0UL
#define UM_DEFAULT_MEM (1UL << 30)   /* frame pool when the config says 0 */

/* ---- page tables ------------------------------------------------------------------ */

typedef uint64_t pte_t;
#define PTE_PRESENT  0x001ULL
#define PTE_WRITE    0x002ULL
#define PTE_ACCESSED 0x020ULL
#define PTE_DIRTY    0x040ULL
#define PTE_PFN_SHIFT 12
static inline unsigned long pte_pfn(pte_t e) { return (unsigned long)(e >> PTE_PFN_SHIFT); }
static inline pte_t mk_pte(unsigned long pfn, pte_t bits)
{
	return ((pte_t)pfn << PTE_PFN_SHIFT) | bits | PTE_PRESENT;
}


/* The entry for @addr; with @alloc, missing tables are made (NULL on ENOMEM),
 * else NULL when there is none. */
pte_t *pte_lookup(struct phys *ph, struct pgtable *pt, unsigned long addr, bool alloc);
/* Calls @fn for every present entry in [start, end); stops when it returns
 * nonzero and returns that. */
int pte_walk(struct pgtable *pt, unsigned long start, unsigned long end,
	     int (*fn)(pte_t *e, unsigned long addr, void *arg), void *arg);
void pgtable_free(struct phys *ph, struct pgtable *pt);   /* tables only */

/* ---- the page cache --------------------------------------------------------------- */

struct address_space {
	struct address_space *next;   /* in phys->caches */
	unsigned long dev, ino;       /* the host inode (shmem: none) */
	int host_fd;                  /* our own descriptor; -1 for shmem */
	bool shmem;                   /* anonymous: zero-filled, never written back */
	int refs;                     /* um_files attached */
	unsigned long size;           /* i_size in bytes */
	unsigned long nrpages;
	/* index -> pfn, open addressing (see filemap.c): key index + 1, 0 empty */
	unsigned long *keys, *pfns;
	unsigned long nslots;
};

/* The cache of @f's inode, attached to @f (made on first use); NULL on
 * ENOMEM.  The file's reference is dropped by file_put → mapping_put. */
struct address_space *file_mapping(struct phys *ph, struct um_file *f);
void mapping_put(struct phys *ph, struct address_space *as);
/* The cache of @f's inode if one exists (nothing attached or made). */
struct address_space *mapping_lookup(struct phys *ph, struct um_file *f);
/* The page at @index, read from the host file (or zeroed) when missing;
 * returns its pfn with a reference taken for the caller, or 0 (-ENOMEM). */
unsigned long mapping_get_page(struct phys *ph, struct address_space *as,
			       unsigned long index);
unsigned long mapping_find_page(struct address_space *as, unsigned long index);
/* Write dirty pages of [first, last] back to the host file. */
int mapping_writeback(struct phys *ph, struct address_space *as,
		      unsigned long first, unsigned long last);
/* Drop the cached pages of [first, last] (a punched hole), unmapped first. */
void mapping_drop_range(struct phys *ph, struct address_space *as,
			unsigned long first, unsigned long last);
/* Drop cached pages from @index on (truncate); mapped ones must have been
 * zapped first.  Zeroes the tail of the page holding the new EOF. */
void mapping_truncate(struct phys *ph, struct address_space *as, unsigned long size);
/* Truncation as ftruncate does it to a cached file (file.c). */
void truncate_pagecache(struct phys *ph, struct address_space *as,
			unsigned long size);

#endif
