/*
 * test_views.c — /proc/PID/smaps, smaps_rollup and the memory lines of
 * status (src/task_mmu.c through um_smaps, um_smaps_vma, um_smaps_rollup,
 * um_status).
 *
 * Expected texts and figures are what the live kernel printed for the
 * same steps (the smaps_* and status_* scenarios in tests/scenarios/ check
 * them under usermm diff).  Each test also checks that frames, cached
 * pages, page tables and VMAs return to their baseline.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include "usermm.h"
#include "check.h"

#define PG 4096UL
#define AP (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)
#define FILE_NAME "/tmp/usermm_test_views"

static um_engine *E;
static um_proc *P;
static char text[1 << 16];

static void setup(void)
{
	E = um_engine_new(NULL);
	P = um_proc_new(E, NULL);
}

static struct um_stats stats(um_proc *p)
{
	struct um_stats st;

	um_proc_stats(p, &st);
	return st;
}

/* Free everything and check nothing is left behind. */
static void teardown(void)
{
	struct um_stats st;

	CHECK_EQ(um_validate(P), 0);
	um_proc_free(P);
	P = um_proc_new(E, NULL);
	st = stats(P);
	CHECK_EQ(st.frames_used, 0);
	CHECK_EQ(st.cached_pages, 0);
	CHECK_EQ(st.engine_page_tables, 0);
	CHECK_EQ(st.engine_vmas, 4);    /* the new process's own image */
	um_proc_free(P);
	um_engine_free(E);
}

static long store(um_proc *p, unsigned long a, const char *s)
{
	struct um_fault f;

	return um_store(p, a, s, strlen(s), &f);
}

static long load1(um_proc *p, unsigned long a)
{
	struct um_fault f;
	char c;

	return um_load(p, a, &c, 1, &f);
}

/* The value of "Name:" in @t (kB for most), or -1 when there is none. */
static long field(const char *t, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = t; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, n) && p[n] == ':')
			return strtol(p + n + 1, NULL, 10);
	return -1;
}

/* One field of the smaps entry of the VMA holding @a. */
static long smaps_of(um_proc *p, unsigned long a, const char *name)
{
	um_smaps_vma(p, a, text, sizeof(text));
	return field(text, name);
}

static long status_of(um_proc *p, const char *name)
{
	um_status(p, text, sizeof(text));
	return field(text, name);
}

/* The entry of an untouched anonymous mapping, byte for byte as 6.18
 * prints it: labels padded to 16 columns, values right-aligned in 8
 * (Private_Hugetlb one wider), THPeligible in 8, VmFlags ending in a
 * space. */
TEST(smaps_entry_is_linux_text)
{
	static const char want[] =
		"7ffff7ff3000-7ffff7ff7000 rw-p 00000000 00:00 0 \n"
		"Size:                 16 kB\n"
		"KernelPageSize:        4 kB\n"
		"MMUPageSize:           4 kB\n"
		"Rss:                   0 kB\n"
		"Pss:                   0 kB\n"
		"Pss_Dirty:             0 kB\n"
		"Shared_Clean:          0 kB\n"
		"Shared_Dirty:          0 kB\n"
		"Private_Clean:         0 kB\n"
		"Private_Dirty:         0 kB\n"
		"Referenced:            0 kB\n"
		"Anonymous:             0 kB\n"
		"KSM:                   0 kB\n"
		"LazyFree:              0 kB\n"
		"AnonHugePages:         0 kB\n"
		"ShmemPmdMapped:        0 kB\n"
		"FilePmdMapped:         0 kB\n"
		"Shared_Hugetlb:        0 kB\n"
		"Private_Hugetlb:       0 kB\n"
		"Swap:                  0 kB\n"
		"SwapPss:               0 kB\n"
		"Locked:                0 kB\n"
		"THPeligible:           0\n"
		"VmFlags: rd wr mr mw me ac \n";
	unsigned long a;
	size_t n;

	setup();
	a = (unsigned long)um_mmap(P, 0, 4 * PG, RW, AP, -1UL, 0);
	CHECK_EQ(a, 0x7ffff7ff3000UL);
	n = um_smaps_vma(P, a + PG, text, sizeof(text));
	CHECK_STR(text, want);
	CHECK_EQ(n, strlen(want));
	/* snprintf's contract: the whole length, the text cut to fit */
	CHECK_EQ(um_smaps_vma(P, a, text, 10), strlen(want));
	CHECK_STR(text, "7ffff7ff3");
	CHECK_EQ(um_smaps_vma(P, a, NULL, 0), strlen(want));
	/* no VMA: nothing; the gate area has its entry, last in smaps */
	CHECK_EQ(um_smaps_vma(P, 0x10000, text, sizeof(text)), 0);
	CHECK_STR(text, "");
	um_smaps_vma(P, 0xffffffffff600000UL, text, sizeof(text));
	CHECK(!strncmp(text, "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0"
		       "                  [vsyscall]\nSize:                  4 kB\n", 92));
	CHECK(strstr(text, "VmFlags: ex \n") != NULL);
	um_smaps(P, text, sizeof(text));
	CHECK(strstr(text, "[vsyscall]\nSize:") != NULL);
	CHECK(strstr(text, "[vvar]\n") != NULL);
	CHECK(!strcmp(text + strlen(text) - 13, "VmFlags: ex \n"));
	teardown();
}

/* The zero page is never counted (vm_normal_page skips it); a write
 * replaces it with a frame of the process's own: Rss, Private_Dirty,
 * Anonymous, Referenced. */
TEST(zero_page_not_in_rss)
{
	unsigned long a;

	setup();
	a = (unsigned long)um_mmap(P, 0, 4 * PG, RW, AP, -1UL, 0);
	CHECK_EQ(load1(P, a), 0);
	CHECK_EQ(load1(P, a + PG), 0);
	CHECK_EQ(smaps_of(P, a, "Rss"), 0);
	CHECK_EQ(smaps_of(P, a, "Referenced"), 0);
	CHECK_EQ(store(P, a + 2 * PG, "w"), 0);
	CHECK_EQ(store(P, a, "over the zero page"), 0);
	CHECK_EQ(smaps_of(P, a, "Rss"), 8);
	CHECK_EQ(smaps_of(P, a, "Pss"), 8);
	CHECK_EQ(smaps_of(P, a, "Pss_Dirty"), 8);
	CHECK_EQ(smaps_of(P, a, "Private_Dirty"), 8);
	CHECK_EQ(smaps_of(P, a, "Anonymous"), 8);
	CHECK_EQ(smaps_of(P, a, "Referenced"), 8);
	CHECK_EQ(status_of(P, "RssAnon"), 8);
	CHECK_EQ(um_madvise(P, a, 4 * PG, MADV_DONTNEED), 0);
	CHECK_EQ(smaps_of(P, a, "Rss"), 0);
	teardown();
}

/* After fork a page mapped by both is shared: Shared_Dirty, half the Pss
 * in each; the child's entries start old.  Three mappers: Pss is summed in
 * 1/4096ths of a byte and rounded down once (2048 + 2 * 1365.33 bytes is
 * 4 kB, not 2 + 1 + 1). */
TEST(fork_shares_pages_pss_divides)
{
	um_proc *c, *d;
	unsigned long a;

	setup();
	a = (unsigned long)um_mmap(P, 0, 3 * PG, RW, AP, -1UL, 0);
	CHECK_EQ(store(P, a, "0"), 0);
	CHECK_EQ(store(P, a + PG, "1"), 0);
	CHECK_EQ(store(P, a + 2 * PG, "2"), 0);
	CHECK_EQ(um_fork(P, &c), 0);
	CHECK_EQ(smaps_of(P, a, "Shared_Dirty"), 12);
	CHECK_EQ(smaps_of(P, a, "Pss"), 6);
	CHECK_EQ(smaps_of(P, a, "Referenced"), 12);
	CHECK_EQ(smaps_of(c, a, "Referenced"), 0);
	CHECK_EQ(smaps_of(c, a, "Pss_Dirty"), 6);
	CHECK_EQ(store(c, a, "child"), 0);        /* COW: page 0 private again */
	CHECK_EQ(smaps_of(c, a, "Private_Dirty"), 4);
	CHECK_EQ(smaps_of(P, a, "Private_Dirty"), 4);
	CHECK_EQ(smaps_of(P, a, "Shared_Dirty"), 8);
	CHECK_EQ(um_fork(P, &d), 0);
	CHECK_EQ(smaps_of(P, a, "Pss"), 4);
	CHECK_EQ(smaps_of(d, a, "Pss"), 4);
	um_smaps_rollup(P, text, sizeof(text));
	CHECK_EQ(field(text, "Pss_Anon"), 4);
	CHECK_EQ(field(text, "Rss"), 12);
	CHECK(!strncmp(text, "7ffff7ff4000-7ffffffff000 ---p 00000000 00:00 0", 47));
	CHECK(strstr(text, " [rollup]\nRss:") != NULL);
	CHECK(strstr(text, "THPeligible") == NULL);
	um_proc_free(d);
	um_proc_free(c);
	CHECK_EQ(smaps_of(P, a, "Private_Dirty"), 12);
	/* The rollup sums LazyFree too (measured: 2 of 3 pages freed, 8 kB). */
	CHECK_EQ(um_madvise(P, a, 2 * PG, MADV_FREE), 0);
	um_smaps_rollup(P, text, sizeof(text));
	CHECK_EQ(field(text, "LazyFree"), 8);
	CHECK_EQ(smaps_of(P, a, "LazyFree"), 8);
	teardown();
}

static long make_file(um_proc *p)
{
	int h = open(FILE_NAME, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (h < 0 || ftruncate(h, (off_t)PG))
		return -1;
	close(h);
	return um_openat(p, AT_FDCWD, FILE_NAME, O_RDWR, 0);
}

/* A private file mapping maps the cache page clean (not Anonymous); a
 * write copies it: the copy is Anonymous and dirty.  A shared mapping's
 * page is dirty until msync writes it back, then clean (the kernel cleans
 * the entries with the page); two mappings share it. */
TEST(file_pages_cow_and_writeback)
{
	unsigned long p, s, r;
	long fd;

	setup();
	fd = make_file(P);
	CHECK(fd >= 0);
	p = (unsigned long)um_mmap(P, 0, PG, RW, MAP_PRIVATE, (unsigned long)fd, 0);
	s = (unsigned long)um_mmap(P, 0, PG, RW, MAP_SHARED, (unsigned long)fd, 0);
	CHECK_EQ(load1(P, p), 0);
	CHECK_EQ(smaps_of(P, p, "Private_Clean"), 4);
	CHECK_EQ(smaps_of(P, p, "Anonymous"), 0);
	CHECK_EQ(status_of(P, "RssFile"), 4);
	CHECK_EQ(store(P, p, "cow"), 0);
	CHECK_EQ(smaps_of(P, p, "Anonymous"), 4);
	CHECK_EQ(smaps_of(P, p, "Private_Dirty"), 4);
	CHECK_EQ(status_of(P, "RssFile"), 0);
	CHECK_EQ(status_of(P, "RssAnon"), 4);
	CHECK_EQ(store(P, s, "shared"), 0);
	CHECK_EQ(smaps_of(P, s, "Private_Dirty"), 4);
	CHECK_EQ(um_msync(P, s, PG, MS_SYNC), 0);
	CHECK_EQ(smaps_of(P, s, "Private_Dirty"), 0);
	CHECK_EQ(smaps_of(P, s, "Private_Clean"), 4);
	r = (unsigned long)um_mmap(P, 0, PG, PROT_READ, MAP_SHARED, (unsigned long)fd, 0);
	CHECK_EQ(load1(P, r), 0);
	CHECK_EQ(smaps_of(P, s, "Shared_Clean"), 4);
	CHECK_EQ(smaps_of(P, r, "Pss"), 2);
	CHECK_EQ(store(P, s, "again"), 0);
	CHECK_EQ(smaps_of(P, r, "Shared_Dirty"), 4);   /* the page is dirty */
	CHECK_EQ(um_close(P, (unsigned long)fd), 0);
	teardown();
}

/* Shared anonymous memory: fork does not copy its entries; the child maps
 * the pages itself (both by one fault: fault-around).  A store that
 * faulted (no entry yet) made its page dirty, so the child sees it dirty; a
 * store through the writable entry a read fault made dirties only that
 * entry, so the child sees that page clean, as on Linux (scenario
 * smaps_shmem_dirty_entry_or_page). */
TEST(shmem_written_page_is_dirty_everywhere)
{
	um_proc *c;
	unsigned long s;

	setup();
	s = (unsigned long)um_mmap(P, 0, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1UL, 0);
	CHECK_EQ(load1(P, s), 0);
	CHECK_EQ(smaps_of(P, s, "Private_Clean"), 4);
	CHECK_EQ(store(P, s, "w"), 0);              /* the entry only */
	CHECK_EQ(store(P, s + PG, "w"), 0);         /* a write fault: the page */
	CHECK_EQ(smaps_of(P, s, "Private_Dirty"), 8);
	CHECK_EQ(status_of(P, "RssShmem"), 8);
	CHECK_EQ(um_fork(P, &c), 0);
	CHECK_EQ(smaps_of(c, s, "Rss"), 0);
	CHECK_EQ(load1(c, s + PG), 0);
	CHECK_EQ(smaps_of(c, s, "Rss"), 8);
	CHECK_EQ(smaps_of(c, s, "Shared_Dirty"), 4);
	CHECK_EQ(smaps_of(c, s, "Shared_Clean"), 4);
	CHECK_EQ(smaps_of(c, s, "Pss_Dirty"), 2);
	CHECK_EQ(smaps_of(c, s, "Anonymous"), 0);
	/* A zap hands the entry's dirty bit to the page. */
	CHECK_EQ(um_madvise(P, s, PG, MADV_DONTNEED), 0);
	CHECK_EQ(smaps_of(c, s, "Private_Dirty"), 4);
	um_proc_free(c);
	teardown();
}

/* mlock faults the range in and Locked is the locked VMA's Pss; VmLck
 * counts it.  Populated pages are "referenced" (GUP touches them), which
 * a fork child's smaps shows although its entries are old; populated
 * twice, an evictable page loses the mark. */
TEST(mlock_locked_and_populate_referenced)
{
	um_proc *c;
	unsigned long a, b;

	setup();
	a = (unsigned long)um_mmap(P, 0, 4 * PG, RW, AP, -1UL, 0);
	CHECK_EQ(um_mlock(P, a, 2 * PG), 0);
	CHECK_EQ(smaps_of(P, a, "Rss"), 8);
	CHECK_EQ(smaps_of(P, a, "Locked"), 8);
	CHECK(strstr(text, "VmFlags: rd wr mr mw me lo ac \n") != NULL);
	CHECK_EQ(smaps_of(P, a + 2 * PG, "Locked"), 0);
	CHECK_EQ(status_of(P, "VmLck"), 8);
	b = (unsigned long)um_mmap(P, 0, PG, PROT_READ, AP, -1UL, 0);  /* a fence */
	b = (unsigned long)um_mmap(P, 0, PG, RW, AP | MAP_POPULATE, -1UL, 0);
	CHECK_EQ(um_madvise(P, b, PG, MADV_POPULATE_WRITE), 0);
	CHECK_EQ(um_fork(P, &c), 0);
	CHECK_EQ(smaps_of(P, a, "Locked"), 4);    /* half of it is the child's */
	CHECK_EQ(smaps_of(c, a, "Locked"), 0);
	CHECK_EQ(smaps_of(c, a, "Referenced"), 8);
	CHECK_EQ(smaps_of(c, b, "Referenced"), 0);
	CHECK_EQ(status_of(c, "VmLck"), 0);
	um_proc_free(c);
	CHECK_EQ(um_munlock(P, a, 2 * PG), 0);
	CHECK_EQ(smaps_of(P, a, "Locked"), 0);
	teardown();
}

/* VmFlags in bit order; VM_SOFTDIRTY never shown (the reference kernel
 * has no CONFIG_MEM_SOFT_DIRTY); THPeligible needs a whole aligned 2 MiB
 * range and (THP "madvise") MADV_HUGEPAGE. */
TEST(vmflags_and_thp_eligible)
{
	unsigned long m, h;
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	char mode[128] = "";

	if (f) {
		if (!fgets(mode, sizeof(mode), f))
			mode[0] = '\0';
		fclose(f);
	}
	setup();
	m = (unsigned long)um_mmap(P, 0, PG, RW, AP | MAP_NORESERVE, -1UL, 0);
	CHECK_EQ(um_madvise(P, m, PG, MADV_DONTFORK), 0);
	CHECK_EQ(um_madvise(P, m, PG, MADV_WIPEONFORK), 0);
	CHECK_EQ(um_madvise(P, m, PG, MADV_DONTDUMP), 0);
	CHECK_EQ(um_madvise(P, m, PG, MADV_SEQUENTIAL), 0);
	um_smaps_vma(P, m, text, sizeof(text));
	CHECK(strstr(text, "VmFlags: rd wr mr mw me sr dc nr wf dd \n") != NULL);
	CHECK_EQ(um_madvise(P, m, PG, MADV_HUGEPAGE), 0);
	CHECK_EQ(smaps_of(P, m, "THPeligible"), 0);    /* too small */
	CHECK(strstr(text, " hg \n") != NULL);
	h = (unsigned long)um_mmap(P, 0, 4UL << 20, RW, AP, -1UL, 0);
	CHECK_EQ(um_madvise(P, h, 4UL << 20, MADV_HUGEPAGE), 0);
	if (!strstr(mode, "[never]"))
		CHECK_EQ(smaps_of(P, h, "THPeligible"), 1);
	CHECK_EQ(um_madvise(P, h, 4UL << 20, MADV_NOHUGEPAGE), 0);
	CHECK_EQ(smaps_of(P, h, "THPeligible"), 0);
	CHECK(strstr(text, "VmFlags: rd wr mr mw me ac nh \n") != NULL);
	teardown();
}

/* status: VmPeak keeps the largest total (not mremap's moment with both
 * ranges); VmHWM the largest rss; the "Name:\t%8lu kB" format. */
TEST(status_lines_and_peaks)
{
	unsigned long a, b, size0;

	setup();
	size0 = (unsigned long)status_of(P, "VmSize");
	CHECK(!strncmp(text, "VmPeak:\t     164 kB\nVmSize:\t     164 kB\nVmLck:\t       0 kB\n"
		       "VmPin:\t       0 kB\nVmHWM:\t       0 kB\nVmRSS:\t       0 kB\n", 116));
	CHECK(!strcmp(text + strlen(text) - 46,
		      "VmSwap:\t       0 kB\nHugetlbPages:\t       0 kB\n"));
	a = (unsigned long)um_mmap(P, 0, 1UL << 20, RW, AP, -1UL, 0);
	CHECK_EQ(store(P, a, "x"), 0);
	CHECK_EQ(store(P, a + PG, "y"), 0);
	CHECK_EQ(status_of(P, "VmData"), 1024);
	CHECK_EQ(status_of(P, "VmPTE"), 12);     /* three tables below the root */
	CHECK_EQ(um_munmap(P, a, 1UL << 20), 0);
	CHECK_EQ(status_of(P, "VmSize"), (long)size0);
	CHECK_EQ(status_of(P, "VmPeak"), (long)size0 + 1024);
	CHECK_EQ(status_of(P, "VmHWM"), 8);
	CHECK_EQ(status_of(P, "VmRSS"), 0);
	b = (unsigned long)um_mmap(P, 0, 64 * 1024, RW, AP, -1UL, 0);
	CHECK_EQ(store(P, b, "b"), 0);
	a = (unsigned long)um_mremap(P, b, 64 * 1024, 2UL << 20, MREMAP_MAYMOVE, 0);
	CHECK(a != b);
	CHECK_EQ(status_of(P, "VmPeak"), (long)size0 + 2048);
	CHECK_EQ(status_of(P, "VmExe"), 0);
	CHECK_EQ(status_of(P, "VmLib"), 8);      /* the vdso */
	CHECK_EQ(status_of(P, "VmStk"), 132);
	CHECK_EQ(um_status(P, NULL, 0), strlen(text));
	teardown();
}

int main(void)
{
	RUN(smaps_entry_is_linux_text);
	RUN(zero_page_not_in_rss);
	RUN(fork_shares_pages_pss_divides);
	RUN(file_pages_cow_and_writeback);
	RUN(shmem_written_page_is_dirty_everywhere);
	RUN(mlock_locked_and_populate_referenced);
	RUN(vmflags_and_thp_eligible);
	RUN(status_lines_and_peaks);
	unlink(FILE_NAME);
	return check_summary();
}
