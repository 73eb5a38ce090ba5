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

/* page flags (page_flags()) */
#define PG_ANON      0x01u   /* private anonymous (or COW copy) memory */
#define PG_DIRTY     0x02u   /* cache page written since its writeback
                              * (shmem: since it was made; never cleaned) */
#define PG_ZERO      0x04u   /* the shared zero page */
#define PG_CACHE     0x08u   /* in a page cache (page_mapping, page_index) */
#define PG_REFERENCED 0x10u  /* touched by populate (GUP): smaps' Referenced */
#define PG_ACTIVE    0x20u   /* touched again: on the active list */
#define PG_LAZYFREE  0x40u   /* MADV_FREE'd anonymous page (Linux clears its
                              * swapbacked flag): LazyFree while clean */

/*
 * One frame, in 16 bytes.  refcount counts every holder (page-table
 * entries, the page cache, a caller's transient reference); mapcount only
 * page-table entries, so a private page with mapcount == refcount == 1
 * belongs to its one writer alone (COW reuse).
 *
 *   ref_id     bits  0-23  refcount     bits 24-31  cache id, bits 13-20
 *   map_flags  bits  0-23  mapcount     bits 24-31  flags (PG_*)
 *   word       free:    the next free pfn (0 ends the list)
 *              PG_CACHE: bits 0-50 page index, bits 51-63 cache id, bits 0-12
 *
 * The index has 51 bits because Linux lets a file reach MAX_LFS_FILESIZE
 * (2^63 - 1 bytes), whose last page is 2^51 - 1: every page a cache can
 * hold fits, so no offset Linux allows is refused here.  The cache id
 * (21 bits) names the cache in phys->cache_ids; ids are recycled, so the
 * bound is on caches alive at once (PAGE_CACHE_IDS - 1; making one more
 * fails with ENOMEM).  The counts stop short of 2^24: a new mapping of a
 * page at PAGE_MAP_MAX fails (ENOMEM), which leaves room below the
 * refcount's limit for the cache's reference and transient ones.
 *
 * Nothing outside page.h touches the words: use the accessors below.
 */
struct page {
	uint32_t ref_id;
	uint32_t map_flags;
	uint64_t word;
};
_Static_assert(sizeof(struct page) == 16, "struct page is 16 bytes");

#define PAGE_COUNT_BITS  24
#define PAGE_COUNT_MASK  ((1u << PAGE_COUNT_BITS) - 1)
#define PAGE_MAP_MAX     (PAGE_COUNT_MASK - 1024)
#define PAGE_INDEX_BITS  51
#define PAGE_INDEX_MAX   ((1UL << PAGE_INDEX_BITS) - 1)
#define PAGE_ID_LO_BITS  (64 - PAGE_INDEX_BITS)
#define PAGE_CACHE_IDS   (1UL << (PAGE_ID_LO_BITS + 32 - PAGE_COUNT_BITS))

static inline unsigned page_refcount(const struct page *pg)
{
	return pg->ref_id & PAGE_COUNT_MASK;
}
/* The counts sit in the low bits, so ++ and -- on the word count them
 * (never past the limits above, never below 0). */
static inline void page_ref_inc(struct page *pg)
{
	pg->ref_id++;
}
static inline unsigned page_ref_dec(struct page *pg)   /* returns the new count */
{
	return --pg->ref_id & PAGE_COUNT_MASK;
}
static inline unsigned page_mapcount(const struct page *pg)
{
	return pg->map_flags & PAGE_COUNT_MASK;
}
static inline bool page_map_full(const struct page *pg)
{
	return page_mapcount(pg) >= PAGE_MAP_MAX;
}
static inline void page_map_inc(struct page *pg)
{
	pg->map_flags++;
}
static inline void page_map_dec(struct page *pg)
{
	pg->map_flags--;
}
static inline unsigned page_flags(const struct page *pg)
{
	return pg->map_flags >> PAGE_COUNT_BITS;
}
static inline void page_set_flags(struct page *pg, unsigned f)
{
	pg->map_flags |= f << PAGE_COUNT_BITS;
}
static inline void page_clear_flags(struct page *pg, unsigned f)
{
	pg->map_flags &= ~(f << PAGE_COUNT_BITS);
}
/* A frame being handed out: one reference, no mapping, no flags. */
static inline void page_init_allocated(struct page *pg)
{
	pg->ref_id = 1;
	pg->map_flags = 0;
	pg->word = 0;
}
static inline unsigned long page_next_free(const struct page *pg)
{
	return (unsigned long)pg->word;
}
static inline void page_set_next_free(struct page *pg, unsigned long pfn)
{
	pg->word = pfn;
}
static inline unsigned long page_cache_id(const struct page *pg)
{
	return (unsigned long)(pg->ref_id >> PAGE_COUNT_BITS) << PAGE_ID_LO_BITS |
	       (unsigned long)(pg->word >> PAGE_INDEX_BITS);
}
static inline unsigned long page_index(const struct page *pg)
{
	return (unsigned long)(pg->word & PAGE_INDEX_MAX);
}

struct phys {
	unsigned long nframes;        /* pool size, frame 0 is the zero page */
	unsigned long used;           /* frames handed out (not the zero page) */
	unsigned long bump;           /* frames below this have been handed out
	                               * once; those at or above it are zero */
	unsigned long populated;      /* frames below this: host memory made */
	unsigned long free_head;      /* free list (0 = empty) */
	struct page *pages;           /* nframes entries */
	unsigned char *mem;           /* nframes * PAGE_SIZE bytes */
	/* cache id -> cache (page_mapping).  A free slot holds the next free
	 * id as (id << 1 | 1); id 0 is never handed out. */
	uintptr_t *cache_ids;         /* PAGE_CACHE_IDS slots, reserved */
	unsigned long cache_id_free;  /* head of the free ids, 0 = none */
	unsigned long cache_id_next;  /* ids below this have been handed out */
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
/* The same, but with whatever bytes the frame held: for a caller that
 * overwrites all of it (a copy). */
unsigned long frame_alloc_nozero(struct phys *ph);
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

/* Cache ids (page_alloc.c): give @as an id, or -ENOMEM when all are
 * taken; put it back when @as goes. */
int cache_id_get(struct phys *ph, struct address_space *as);
void cache_id_put(struct phys *ph, struct address_space *as);
/* The cache a PG_CACHE page belongs to. */
static inline struct address_space *page_mapping(const struct phys *ph,
						 const struct page *pg)
{
	return (struct address_space *)ph->cache_ids[page_cache_id(pg)];
}
/* Make @pg page @index of @as (index <= PAGE_INDEX_MAX) and PG_CACHE. */
void page_set_cache(struct page *pg, const struct address_space *as,
		    unsigned long index);
/* Take @pg out of its cache: no PG_CACHE or PG_DIRTY, no id, no index. */
void page_clear_cache(struct page *pg);

/* ---- page tables ------------------------------------------------------------------ */

typedef uint64_t pte_t;
#define PTE_PRESENT  0x001ULL
#define PTE_WRITE    0x002ULL
#define PTE_ACCESSED 0x020ULL
#define PTE_DIRTY    0x040ULL
/* Not present, no frame: a guard marker (MADV_GUARD_INSTALL), which faults
 * as if nothing were mapped there (Linux's PTE_MARKER_GUARD). */
#define PTE_GUARD    0x200ULL
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
/* The same for every entry in use: present ones and guard markers. */
int pte_walk_any(struct pgtable *pt, unsigned long start, unsigned long end,
		 int (*fn)(pte_t *e, unsigned long addr, void *arg), void *arg);
/* The same, from the highest address down. */
int pte_walk_rev(struct pgtable *pt, unsigned long start, unsigned long end,
		 int (*fn)(pte_t *e, unsigned long addr, void *arg), void *arg);
void pgtable_free(struct phys *ph, struct pgtable *pt);   /* tables only */
/* The validator's check of pte_lookup's cache of the last leaf table. */
bool pte_leaf_cache_ok(struct pgtable *pt);

/* ---- the page cache --------------------------------------------------------------- */

struct address_space {
	struct address_space *next;   /* in phys->caches */
	unsigned long id;             /* in phys->cache_ids (cache_id_get) */
	unsigned long dev, ino;       /* the host inode (shmem: none) */
	int host_fd;                  /* our own descriptor; -1 for shmem */
	bool shmem;                   /* anonymous: zero-filled, never written back */
	bool writeback_zeroes_eof;    /* the host fs clears the EOF page's tail */
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
/* Copy the dirty pages of [first, last] to the host file but leave them
 * dirty, tails and all: what goes at munmap and exit, where Linux leaves
 * the pages dirty in its cache (the host file, read by others, must still
 * have the bytes: usermm's cache is not the host's). */
int mapping_flush(struct phys *ph, struct address_space *as,
		  unsigned long first, unsigned long last);
/* Drop the cached pages of [first, last] (a punched hole), unmapped first. */
void mapping_drop_range(struct phys *ph, struct address_space *as,
			unsigned long first, unsigned long last);
/* Drop cached pages from @index on (truncate); mapped ones must have been
 * zapped first.  Zeroes the tail of the page holding the new EOF. */
void mapping_truncate(struct phys *ph, struct address_space *as, unsigned long size);
/* The file grows to @size (ftruncate up, a write past the end): the old
 * EOF page's tail up to @zero_to reads as zeros. */
void mapping_extend(struct phys *ph, struct address_space *as, unsigned long size,
		    unsigned long zero_to);
struct io_buf;
/* read() and write() through the cache: bytes moved, or -EFAULT/-ENOMEM
 * when none could be. */
long filemap_read(struct phys *ph, struct address_space *as, unsigned long pos,
		  unsigned long count, struct io_buf *b);
long filemap_write(struct phys *ph, struct address_space *as, unsigned long pos,
		   unsigned long count, struct io_buf *b);
/* Truncation as ftruncate does it to a cached file (file.c). */
void truncate_pagecache(struct phys *ph, struct address_space *as,
			unsigned long size);

#endif
