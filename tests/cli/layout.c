/* layout.c — prints the addresses the live kernel picks for a few
 * un-hinted mmaps (anonymous, one 2 MiB-aligned, one MAP_32BIT), for
 * tests/cli.test.sh to compare with `usermm run` on tests/cli/layout.trace.
 * Built static and run under setarch -R (and -R -L for the legacy layout)
 * so that the address space looks like usermm's default process. */
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
	static const struct { unsigned long len; int flags; } m[] = {
		{ 8192, 0 }, { 4096, 0 }, { 4UL << 20, 0 }, { 4096, MAP_32BIT },
		{ 12288, 0 },
	};

	for (unsigned i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		printf("%p\n", mmap(NULL, m[i].len, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | m[i].flags, -1, 0));
	return 0;
}
