/*
 * alloc.h — every allocation in the library goes through um_alloc, so that a
 * test can make the Nth allocation fail (fault injection) and check that the
 * call reports -ENOMEM and leaves a valid address space behind.
 */
#ifndef USERMM_ALLOC_H
#define USERMM_ALLOC_H
#include <stdbool.h>
#include <stddef.h>

void *um_alloc(size_t size);           /* zeroed; NULL on (injected) failure */
/* Counts an allocation and tells whether fault injection fails it (for
 * allocators of their own, like the VMA slab). */
bool um_alloc_should_fail(void);
void um_free(void *p);
char *um_strdup(const char *s);

/* Fault injection: the nth allocation from now (1 = the next) fails; 0 = off.
 * um_alloc_count() tells how many allocations were made so far, and
 * um_alloc_live() how many are outstanding (for leak checks). */
void um_fail_nth_alloc(unsigned long nth);
unsigned long um_alloc_count(void);
long um_alloc_live(void);
#endif
