/*
 * slab.c — the VMA allocator (see slab.h).
 *
 * Invariants: every object is either live, on the free list, or among the
 * newest chunk's slots not yet handed out; live counts the first.
 *
 * A chunk's slots are handed out in the order i * stride mod nslots, not
 * one after another.  Sequentially made VMAs (a program's mappings, the
 * benchmark's fillers) end up as tree nodes whose allocation indices differ
 * by powers of two; laid out in order, those sit at addresses that are
 * multiples of 4 KiB apart and all fall into the same L1 cache set, so a
 * root-to-leaf walk through a large tree evicted itself.  The permutation
 * scatters them over all sets.
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

static size_t gcd(size_t a, size_t b)
{
	while (b) {
		size_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* A step near 0.618 n (the golden ratio spreads successive multiples
 * evenly) that is coprime to n, so i -> i * step mod n visits every slot. */
static size_t coprime_stride(size_t n)
{
	size_t step = n * 618 / 1000;

	while (step > 1 && gcd(step, n) != 1)
		step--;
	return step ? step : 1;
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
	s->base = (char *)c + ((sizeof(*c) + 63) & ~(size_t)63);
	s->nslots = (size_t)((char *)c + CHUNK_SIZE - s->base) / s->size;
	s->handed = s->next_slot = 0;
	s->stride = coprime_stride(s->nslots);
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
		if (s->handed == s->nslots && slab_grow(s))
			return NULL;
		p = s->base + s->next_slot * s->size;
		s->next_slot += s->stride;
		if (s->next_slot >= s->nslots)
			s->next_slot -= s->nslots;
		s->handed++;
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
	s->free = s->base = NULL;
	s->nslots = s->handed = s->next_slot = 0;
	s->bytes = 0;
}
