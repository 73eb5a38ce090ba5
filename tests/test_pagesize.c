/*
 * test_pagesize.c — engines with 16 and 64 KiB pages (arm64's sizes): the
 * choice and its limits (one page size per process at a time), and the
 * rules that follow the page size — alignment, rounding, faults filling a
 * whole page, mincore's bytes, page-table pages, frames back at baseline.
 * tests/scenarios-16k and -64k run the same rules as traces.
 */
#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include "usermm.h"
#include "check.h"

#define AP (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)

static um_engine *engine_of(unsigned long page_size)
{
	struct um_engine_config c = { .overcommit_memory = -1, .thp_enabled = 1,
				      .page_size = page_size, .mem_bytes = 64UL << 20 };

	return um_engine_new(&c);
}

TEST(page_size_choice)
{
	um_engine *a, *b;

	errno = 0;
	CHECK(!engine_of(8192));
	CHECK_EQ(errno, EINVAL);
	a = engine_of(16384);
	CHECK(a != NULL);
	CHECK_EQ(um_page_size(a), 16384);
	errno = 0;
	CHECK(!engine_of(4096));          /* another size while one lives */
	CHECK_EQ(errno, EBUSY);
	b = engine_of(16384);             /* the same size: fine */
	CHECK(b != NULL);
	um_engine_free(b);
	um_engine_free(a);
	a = engine_of(0);                 /* all gone: any size again */
	CHECK(a != NULL);
	CHECK_EQ(um_page_size(a), 4096);
	um_engine_free(a);
}

/* One process at @ps: the page-granular rules in its unit. */
static void rules_at(unsigned long ps)
{
	um_engine *e = engine_of(ps);
	um_proc *p = e ? um_proc_new(e, NULL) : NULL;
	struct um_fault f;
	struct um_stats st;
	unsigned char vec[4];
	char buf[2];
	long a;

	CHECK(p != NULL);
	if (!p)
		return;
	a = um_mmap(p, 0, 1, RW, AP, -1UL, 0);
	CHECK(a > 0 && (a & (long)(ps - 1)) == 0);
	CHECK_EQ(um_munmap(p, (unsigned long)a + 4096, 4096), -EINVAL);
	CHECK_EQ(um_mprotect(p, (unsigned long)a, 1, PROT_READ | PROT_WRITE), 0);
	CHECK_EQ(um_store(p, (unsigned long)a + ps - 1, "x", 1, &f), 0);
	CHECK_EQ(um_load(p, (unsigned long)a, buf, 1, &f), 0);
	CHECK_EQ(buf[0], 0);
	CHECK_EQ(um_mincore(p, (unsigned long)a, ps, vec), 0);
	CHECK_EQ(vec[0] & 1, 1);
	um_proc_stats(p, &st);
	CHECK_EQ(st.rss_anon, 1);
	CHECK_EQ(st.frames_used, 1);   /* one frame of the engine's size */
	/* a page table is a page of 8-byte entries, as many levels as
	 * cover 48 bits: four with 16 KiB pages, three with 64 KiB */
	CHECK_EQ(st.page_tables, ps == 65536 ? 3 : 4);
	/* the stack ends at the top of user space, 2^47 less a page */
	CHECK_EQ(um_store(p, (1UL << 47) - ps - 1, "s", 1, &f), 0);
	CHECK_EQ(um_store(p, (1UL << 47) - ps, "s", 1, &f), -EFAULT);
	CHECK_EQ(f.signo, SIGSEGV);
	CHECK_EQ(um_munmap(p, (unsigned long)a, ps), 0);
	CHECK_EQ(um_load(p, (unsigned long)a, buf, 1, &f), -EFAULT);
	CHECK_EQ(f.code, SEGV_MAPERR);
	CHECK_EQ(um_validate(p), 0);
	um_proc_free(p);
	p = um_proc_new(e, NULL);
	um_proc_stats(p, &st);
	CHECK_EQ(st.frames_used, 0);
	CHECK_EQ(st.engine_page_tables, 0);
	um_proc_free(p);
	um_engine_free(e);
}

TEST(rules_follow_16k)
{
	rules_at(16384);
}

TEST(rules_follow_64k)
{
	rules_at(65536);
}

int main(void)
{
	RUN(page_size_choice);
	RUN(rules_follow_16k);
	RUN(rules_follow_64k);
	return check_summary();
}
