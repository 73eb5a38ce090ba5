/*
 * slab.c — the VMA allocator (see slab.h).
 *
 * Invariants: every object is either live, on the free list, or in the
 * untouched tail [bump, end) of the newest chunk; live counts the first.
 * Chunks are only returned to the host by slab_destroy.
 *
 * Fault injection: each allocation asks alloc.c whether it should fail, so
 * tests can make a VMA allocation fail exactly like any other.
 */
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "slab.h"
#include "alloc.h"

#define CHUNK_SIZE (2UL << 20)

struct slab_chunk {
	struct slab_chunk *next;
	size_t bytes;
	int mapped;        /* from mmap (else malloc) */
};

void slab_init(struct slab *s, size_t size)
{
	memset(s, 0, sizeof(*s));
	s->size = (size + 7) & ~(size_t)7;
}

/* A new 2 MiB chunk, asking the host to back it with a huge page; malloc
 * when mmap is not available. */
static int slab_grow(struct slab *s)
{
	struct slab_chunk *c = mmap(NULL, CHUNK_SIZE, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (c == MAP_FAILED) {
		c = malloc(CHUNK_SIZE);
		if (!c)
			return -1;
		c->mapped = 0;
	} else {
		(void)madvise(c, CHUNK_SIZE, MADV_HUGEPAGE);
		c->mapped = 1;
	}
	c->bytes = CHUNK_SIZE;
	s->bytes += CHUNK_SIZE;
	c->next = s->chunks;
	s->chunks = c;
	s->bump = (char *)c + ((sizeof(*c) + 63) & ~(size_t)63);
	s->end = (char *)c + CHUNK_SIZE;
	return 0;
}

void *slab_alloc(struct slab *s)
{
	void *p;

	if (um_alloc_should_fail())
		return NULL;
	if (s->free) {
		p = s->free;
		s->free = *(void **)p;
	} else {
		if ((size_t)(s->end - s->bump) < s->size && slab_grow(s))
			return NULL;
		p = s->bump;
		s->bump += s->size;
	}
	memset(p, 0, s->size);
	s->live++;
	return p;
}

void slab_free(struct slab *s, void *p)
{
	if (!p)
		return;
	*(void **)p = s->free;
	s->free = p;
	s->live--;
}

void slab_destroy(struct slab *s)
{
	while (s->chunks) {
		struct slab_chunk *c = s->chunks;

		s->chunks = c->next;
		if (c->mapped)
			munmap(c, c->bytes);
		else
			free(c);
	}
	s->free = s->bump = s->end = NULL;
	s->bytes = 0;
}
