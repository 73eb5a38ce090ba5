/*
 * slab.h — a fixed-size object allocator for VMAs.
 *
 * Objects are carved from 2 MiB chunks that the host may back with one huge
 * page, so walking a tree of a million VMAs touches a few dozen TLB entries
 * instead of thousands, and each object costs its own size, with no malloc
 * header.  Freed objects go on a LIFO list and are reused first (still hot
 * in the cache).  One slab per engine: engines stay independent.
 */
#ifndef USERMM_SLAB_H
#define USERMM_SLAB_H
#include <stddef.h>

struct slab_chunk;

struct slab {
	size_t size;                 /* object size, a multiple of 8 */
	void *free;                  /* freed objects, linked through their first word */
	char *base;                  /* first slot of the newest chunk */
	size_t nslots, handed;       /* its slots, and how many handed out */
	size_t stride, next_slot;    /* hand-out order: next_slot += stride mod nslots */
	struct slab_chunk *chunks;
	unsigned long live;          /* objects handed out and not freed */
	unsigned long bytes;         /* chunk memory held */
};

void slab_init(struct slab *s, size_t size);
void *slab_alloc(struct slab *s);     /* zeroed; NULL on (injected) failure */
void slab_free(struct slab *s, void *p);
void slab_destroy(struct slab *s);    /* releases every chunk */
#endif
