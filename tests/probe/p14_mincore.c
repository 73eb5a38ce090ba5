/* Q14: mincore(2). */
#include "probe.h"
#include <sys/mman.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;
#define X 0x500000000UL

int main(void)
{
	probe_init();
	unsigned char vec[64];
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	*(volatile char *)(X + PG) = 1;
	SECTION("arguments");
	memset(vec, 0xaa, sizeof vec);
	SHOW("4 pages, page 1 touched", MINCORE(X, 4 * PG, vec));
	printf("    vec = %02x %02x %02x %02x %02x\n", vec[0], vec[1], vec[2], vec[3], vec[4]);
	SHOW("unaligned addr X+1", MINCORE(X + 1, PG, vec));
	SHOW("unaligned addr X+1, len 0", MINCORE(X + 1, 0, vec));
	SHOW("len 0", MINCORE(X, 0, vec));
	SHOW("len 0, vec NULL", MINCORE(X, 0, 0));
	SHOW("len 0 on a hole", MINCORE(0x10000, 0, vec));
	memset(vec, 0xaa, sizeof vec);
	SHOW("len 1 (one page)", MINCORE(X, 1, vec));
	printf("    vec = %02x %02x\n", vec[0], vec[1]);
	memset(vec, 0xaa, sizeof vec);
	SHOW("len 4097 (two pages)", MINCORE(X, PG + 1, vec));
	printf("    vec = %02x %02x %02x\n", vec[0], vec[1], vec[2]);
	SHOW("hole 0x10000 4 pages", MINCORE(0x10000, 4 * PG, vec));
	SHOW("range X .. X+5p (ends in a hole)", MINCORE(X, 5 * PG, vec));
	SHOW("vec NULL", MINCORE(X, 4 * PG, 0));
	SHOW("vec NULL, range in a hole (ENOMEM vs EFAULT)", MINCORE(0x10000, 4 * PG, 0));
	SHOW("vec = 0x10 (unmapped user address)", MINCORE(X, 4 * PG, 0x10));
	SHOW("vec = kernel address 0xffff800000000000", MINCORE(X, 4 * PG, 0xffff800000000000UL));
	SHOW("vec = kernel address, hole range (ENOMEM vs EFAULT)", MINCORE(0x10000, 4 * PG, 0xffff800000000000UL));
	SHOW("vec = kernel address, unaligned start (EINVAL first?)", MINCORE(X + 1, 4 * PG, 0xffff800000000000UL));
	long ro = MMAP(0, PG, PROT_READ, AP, -1, 0);
	SHOW("vec in a read-only page", MINCORE(X, 4 * PG, ro));
	SHOW("vec = last byte before TASK_SIZE, 1 page", MINCORE(X, PG, 0x7ffffffffffeUL));
	SHOW("vec = last byte before TASK_SIZE, 2 pages (vec crosses TASK_SIZE)", MINCORE(X, 2 * PG, 0x7ffffffffffeUL));
	SHOW("start 0x7ffffffff000 (TASK_SIZE) len 4096", MINCORE(0x7ffffffff000UL, PG, vec));
	SHOW("start 0x7fffffffe000 len 8192 (end == TASK_SIZE; [stack] top page?)", MINCORE(0x7fffffffe000UL, 2 * PG, vec));
	SHOW("start 0x800000000000", MINCORE(0x800000000000UL, PG, vec));
	SHOW("start X, len 1<<47 (end beyond TASK_SIZE)", MINCORE(X, 1UL << 47, vec));
	SHOW("start X, len ~0UL", MINCORE(X, ~0UL, vec));
	SHOW("start [vsyscall] 0xffffffffff600000", MINCORE(0xffffffffff600000UL, PG, vec));

	SECTION("kinds");
	MPROTECT(X, PG, PROT_NONE);
	memset(vec, 0xaa, sizeof vec);
	SHOW("PROT_NONE page + touched page", MINCORE(X, 2 * PG, vec));
	printf("    vec = %02x %02x\n", vec[0], vec[1]);
	read_file_("/proc/self/maps", mapsbuf_, sizeof mapsbuf_);
	unsigned long vvar = 0, vdso = 0;
	for (char *q = mapsbuf_; *q;) {
		char *e = strchr(q, '\n');
		unsigned long s2, t2;
		*e = 0;
		sscanf(q, "%lx-%lx", &s2, &t2);
		if (strstr(q, "[vvar]")) vvar = s2;
		if (strstr(q, "[vdso]")) vdso = s2;
		q = e + 1;
	}
	memset(vec, 0xaa, sizeof vec);
	SHOW("[vvar] 4 pages", MINCORE(vvar, 4 * PG, vec));
	printf("    vec = %02x %02x %02x %02x\n", vec[0], vec[1], vec[2], vec[3]);
	memset(vec, 0xaa, sizeof vec);
	SHOW("[vdso] 2 pages", MINCORE(vdso, 2 * PG, vec));
	printf("    vec = %02x %02x\n", vec[0], vec[1]);
	return 0;
}
