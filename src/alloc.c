/*
 * alloc.c — the allocator wrapper and its fault injection (see alloc.h).
 * Counters are global and unsynchronised: fault injection is a test tool,
 * used by one thread at a time.
 */
#include <stdlib.h>
#include <string.h>
#include "alloc.h"

static unsigned long alloc_calls, fail_at;
static long alloc_live;

void um_fail_nth_alloc(unsigned long nth)
{
	fail_at = nth ? alloc_calls + nth : 0;
}

unsigned long um_alloc_count(void)
{
	return alloc_calls;
}

long um_alloc_live(void)
{
	return alloc_live;
}

bool um_alloc_should_fail(void)
{
	alloc_calls++;
	if (fail_at && alloc_calls == fail_at) {
		fail_at = 0;
		return true;
	}
	return false;
}

void *um_alloc(size_t size)
{
	void *p;

	if (um_alloc_should_fail())
		return NULL;
	p = calloc(1, size);
	if (p)
		alloc_live++;
	return p;
}

void um_free(void *p)
{
	if (!p)
		return;
	alloc_live--;
	free(p);
}

char *um_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = um_alloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}
