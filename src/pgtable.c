/*
 * pgtable.c — a process's software page table: with 4 KiB pages, four
 * levels of 512 entries, indexed by address bits 47-39, 38-30, 29-21 and
 * 20-12, as x86-64 walks its own.  Larger pages change the geometry as
 * arm64's does: a table is one page of 8-byte entries (2048 with 16 KiB
 * pages, 8192 with 64 KiB) and as many levels as cover 48 bits (four with
 * 16 KiB, three with 64 KiB).  The upper levels hold pointers to the next
 * table; the last holds pte_t entries (pfn and PRESENT/WRITE/ACCESSED/
 * DIRTY bits, page.h).
 *
 * Invariants: a table exists only below a present upper entry; nr_tables
 * counts every table page, the root included (phys->pgtables sums them).
 * Tables are freed only with the whole process (pgtable_free); an empty
 * table left behind by a zap costs a page, as Linux's do until unmap time.
 * leaf, when set, is the live leaf table of the PMD-sized span leaf_key
 * names: the next lookup there (faults come in runs of neighbouring pages)
 * skips the walk.  Because tables outlive every zap, only pgtable_free
 * clears it.
 *
 * Budget: tables are host memory (um_alloc), not frames, but as on Linux
 * they cannot outgrow the machine: the engine holds at most as many table
 * pages as it has frames, and a fault that needs one more fails as out of
 * memory.  Without the bound, populating a huge read-only mapping (the zero
 * page needs no frame) would allocate tables without end.
 *
 * Fault injection: each table is a um_alloc, so it can be made to fail.
 */
#include "page.h"
#include "alloc.h"

#define PT_BITS (PAGE_SHIFT - 3)             /* a page of 8-byte entries */
#define PT_ENTRIES (1UL << PT_BITS)
#define PT_LEVELS ((int)((48 - PAGE_SHIFT + PT_BITS - 1) / PT_BITS))

static unsigned level_index(unsigned long addr, int level)
{
	return (unsigned)(addr >> (PAGE_SHIFT + PT_BITS * (unsigned long)(PT_LEVELS - 1 - level))) &
	       (PT_ENTRIES - 1);
}

static void *table_new(struct phys *ph, struct pgtable *pt)
{
	void *t;

	if (ph->pgtables >= ph->nframes)
		return NULL;
	t = um_alloc(PT_ENTRIES * sizeof(void *));

	if (t) {
		pt->nr_tables++;
		ph->pgtables++;
	}
	return t;
}

#define LEAF_SHIFT (PAGE_SHIFT + PT_BITS)   /* the span of one leaf table */

pte_t *pte_lookup(struct phys *ph, struct pgtable *pt, unsigned long addr, bool alloc)
{
	void **table;

	if (pt->leaf && pt->leaf_key == addr >> LEAF_SHIFT)
		return &((pte_t *)pt->leaf)[level_index(addr, PT_LEVELS - 1)];
	if (!pt->root) {
		if (!alloc || !(pt->root = table_new(ph, pt)))
			return NULL;
	}
	table = pt->root;
	for (int level = 0; level < PT_LEVELS - 1; level++) {
		void **slot = &table[level_index(addr, level)];

		if (!*slot) {
			if (!alloc || !(*slot = table_new(ph, pt)))
				return NULL;
		}
		table = *slot;
	}
	pt->leaf = table;
	pt->leaf_key = addr >> LEAF_SHIFT;
	return &((pte_t *)table)[level_index(addr, PT_LEVELS - 1)];
}

/* Span of one entry at @level, in bytes. */
static unsigned long level_span(int level)
{
	return 1UL << (PAGE_SHIFT + PT_BITS * (unsigned long)(PT_LEVELS - 1 - level));
}

static int walk_level(void **table, int level, unsigned long base,
		      unsigned long start, unsigned long end, pte_t mask,
		      int (*fn)(pte_t *, unsigned long, void *), void *arg)
{
	unsigned long span = level_span(level);
	unsigned i = level_index(start, level);

	for (unsigned long a = base + i * span; i < PT_ENTRIES && a < end; i++, a += span) {
		int r;

		if (level == PT_LEVELS - 1) {
			pte_t *e = &((pte_t *)table)[i];

			if ((*e & mask) && (r = fn(e, a, arg)))
				return r;
			continue;
		}
		if (!table[i])
			continue;
		r = walk_level(table[i], level + 1, a, a > start ? a : start, end, mask, fn, arg);
		if (r)
			return r;
	}
	return 0;
}

int pte_walk(struct pgtable *pt, unsigned long start, unsigned long end,
	     int (*fn)(pte_t *e, unsigned long addr, void *arg), void *arg)
{
	if (!pt->root || start >= end)
		return 0;
	return walk_level(pt->root, 0, 0, start, end, PTE_PRESENT, fn, arg);
}

int pte_walk_any(struct pgtable *pt, unsigned long start, unsigned long end,
		 int (*fn)(pte_t *e, unsigned long addr, void *arg), void *arg)
{
	if (!pt->root || start >= end)
		return 0;
	return walk_level(pt->root, 0, 0, start, end, PTE_PRESENT | PTE_GUARD, fn, arg);
}

/* walk_level from the top down: the same entries, in the reverse order. */
static int walk_level_rev(void **table, int level, unsigned long base,
			  unsigned long start, unsigned long end,
			  int (*fn)(pte_t *, unsigned long, void *), void *arg)
{
	unsigned long span = level_span(level), last = end - 1 - base;
	unsigned lo = level_index(start, level);
	unsigned hi = last / span < PT_ENTRIES ? (unsigned)(last / span) : PT_ENTRIES - 1;

	for (unsigned i = hi + 1; i-- > lo;) {
		unsigned long a = base + i * span;
		int r;

		if (level == PT_LEVELS - 1) {
			pte_t *e = &((pte_t *)table)[i];

			if ((*e & PTE_PRESENT) && (r = fn(e, a, arg)))
				return r;
			continue;
		}
		if (!table[i])
			continue;
		r = walk_level_rev(table[i], level + 1, a, a > start ? a : start,
				   a + span < end ? a + span : end, fn, arg);
		if (r)
			return r;
	}
	return 0;
}

int pte_walk_rev(struct pgtable *pt, unsigned long start, unsigned long end,
		 int (*fn)(pte_t *e, unsigned long addr, void *arg), void *arg)
{
	if (!pt->root || start >= end)
		return 0;
	return walk_level_rev(pt->root, 0, 0, start, end, fn, arg);
}

static void free_level(struct phys *ph, struct pgtable *pt, void **table, int level)
{
	if (level < PT_LEVELS - 1)
		for (unsigned i = 0; i < PT_ENTRIES; i++)
			if (table[i])
				free_level(ph, pt, table[i], level + 1);
	um_free(table);
	pt->nr_tables--;
	ph->pgtables--;
}

void pgtable_free(struct phys *ph, struct pgtable *pt)
{
	if (pt->root)
		free_level(ph, pt, pt->root, 0);
	pt->root = NULL;
	pt->leaf = NULL;
}

bool pte_leaf_cache_ok(struct pgtable *pt)
{
	void **table = pt->root;

	if (!pt->leaf)
		return true;
	for (int level = 0; table && level < PT_LEVELS - 1; level++)
		table = table[level_index(pt->leaf_key << LEAF_SHIFT, level)];
	return table == pt->leaf;
}
