/*
 * test_memory.c — the physical side: faults, the zero page, copy-on-write,
 * fork, the page cache over a real file, writeback, truncation, and fault
 * injection over every frame, table and cache allocation.
 *
 * Expected values are Linux's behaviour as the scenarios in tests/scenarios/
 * show it on the live kernel (usermm diff); each test also checks that
 * frames, cached pages and page tables return to their baseline.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "usermm.h"
#include "alloc.h"
#include "check.h"

#define PG 4096UL
#define AP (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)
#define FILE_NAME "/tmp/usermm_test_memory"

static um_engine *E;
static um_proc *P;

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
	um_proc_free(P);
	um_engine_free(E);
}

static long store(um_proc *p, unsigned long a, const char *s, struct um_fault *f)
{
	return um_store(p, a, s, strlen(s), f);
}

TEST(anonymous_read_is_zero_page_write_is_own_frame)
{
	struct um_fault f;
	char buf[8] = "xxxxxxx";
	unsigned long a;

	setup();
	a = (unsigned long)um_mmap(P, 0, 2 * PG, RW, AP, -1UL, 0);
	CHECK_EQ(um_load(P, a, buf, 4, &f), 0);
	CHECK(!memcmp(buf, "\0\0\0\0", 4));
	CHECK_EQ(stats(P).rss_anon, 0);          /* the zero page is not counted */
	CHECK_EQ(store(P, a + PG - 2, "hey", &f), 0);   /* crosses into page 2 */
	CHECK_EQ(stats(P).rss_anon, 2);
	CHECK_EQ(um_load(P, a + PG - 2, buf, 3, &f), 0);
	CHECK(!memcmp(buf, "hey", 3));
	CHECK_EQ(um_munmap(P, a, 2 * PG), 0);
	CHECK_EQ(stats(P).rss_anon, 0);
	CHECK_EQ(stats(P).frames_used, 0);
	teardown();
}

TEST(segv_maperr_accerr_with_address)
{
	struct um_fault f;
	unsigned long a;
	char c, two[2];

	setup();
	a = (unsigned long)um_mmap(P, 0, 2 * PG, PROT_READ, AP, -1UL, 0);
	CHECK_EQ(store(P, a, "x", &f), -EFAULT);
	CHECK_EQ(f.signo, SIGSEGV);
	CHECK_EQ(f.code, SEGV_ACCERR);
	CHECK_EQ(f.addr, a);
	CHECK_EQ(um_munmap(P, a + PG, PG), 0);
	CHECK_EQ(um_load(P, a + PG - 1, &c, 1, &f), 0);
	CHECK_EQ(um_load(P, a + PG - 1, two, 2, &f), -EFAULT);
	CHECK_EQ(f.code, SEGV_MAPERR);
	CHECK_EQ(f.addr, a + PG);
	/* PROT_NONE: no access at all; PROT_WRITE alone still reads (x86) */
	CHECK_EQ(um_mprotect(P, a, PG, PROT_NONE), 0);
	CHECK_EQ(um_load(P, a, &c, 1, &f), -EFAULT);
	CHECK_EQ(f.code, SEGV_ACCERR);
	CHECK_EQ(um_mprotect(P, a, PG, PROT_WRITE), 0);
	CHECK_EQ(um_load(P, a, &c, 1, &f), 0);
	teardown();
}

/* fork: both sides see the old bytes until one writes; the writer gets a
 * copy, and the last user of a page reuses it without copying. */
TEST(fork_copy_on_write_both_directions)
{
	struct um_fault f;
	um_proc *c;
	char buf[4];
	unsigned long a, cow0;

	setup();
	a = (unsigned long)um_mmap(P, 0, PG, RW, AP, -1UL, 0);
	CHECK_EQ(store(P, a, "old", &f), 0);
	CHECK_EQ(um_fork(P, &c), 0);
	CHECK_EQ(stats(P).frames_used, 1);       /* shared by both */
	cow0 = stats(P).faults_cow;
	CHECK_EQ(store(c, a, "kid", &f), 0);     /* child breaks COW */
	CHECK_EQ(stats(P).faults_cow, cow0 + 1);
	CHECK_EQ(um_load(P, a, buf, 3, &f), 0);
	CHECK(!memcmp(buf, "old", 3));
	CHECK_EQ(um_load(c, a, buf, 3, &f), 0);
	CHECK(!memcmp(buf, "kid", 3));
	CHECK_EQ(store(P, a, "new", &f), 0);     /* parent is now the only user */
	CHECK_EQ(stats(P).faults_cow, cow0 + 1);
	CHECK_EQ(stats(P).faults_reuse, 1);
	um_proc_free(c);
	CHECK_EQ(stats(P).frames_used, 1);
	teardown();
}

TEST(fork_shared_dontfork_wipeonfork_locks)
{
	struct um_fault f;
	um_proc *c;
	char buf[4];
	unsigned long sh, df, wf;

	setup();
	sh = (unsigned long)um_mmap(P, 0, PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1UL, 0);
	df = (unsigned long)um_mmap(P, 0, PG, RW, AP, -1UL, 0);
	wf = (unsigned long)um_mmap(P, 0, PG, PROT_READ, AP, -1UL, 0);
	CHECK_EQ(um_mprotect(P, wf, PG, RW), 0);
	CHECK_EQ(store(P, sh, "sh", &f), 0);
	CHECK_EQ(store(P, df, "df", &f), 0);
	CHECK_EQ(store(P, wf, "wf", &f), 0);
	CHECK_EQ(um_madvise(P, df, PG, MADV_DONTFORK), 0);
	CHECK_EQ(um_madvise(P, wf, PG, MADV_WIPEONFORK), 0);
	CHECK_EQ(um_mlock(P, sh, PG), 0);
	CHECK_EQ(um_fork(P, &c), 0);
	CHECK_EQ(store(c, sh, "SH", &f), 0);     /* shared: the parent sees it */
	CHECK_EQ(um_load(P, sh, buf, 2, &f), 0);
	CHECK(!memcmp(buf, "SH", 2));
	CHECK_EQ(um_load(c, df, buf, 1, &f), -EFAULT);   /* not inherited */
	CHECK_EQ(f.code, SEGV_MAPERR);
	CHECK_EQ(um_load(c, wf, buf, 2, &f), 0);         /* wiped: zeros */
	CHECK(!memcmp(buf, "\0\0", 2));
	CHECK_EQ(stats(c).locked_vm, 0);                 /* locks stay behind */
	CHECK_EQ(stats(P).locked_vm, 1);
	CHECK_EQ(um_validate(c), 0);
	um_proc_free(c);
	teardown();
}

static long make_file(um_proc *p, unsigned long size, char fill)
{
	int h = open(FILE_NAME, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char page[PG];

	memset(page, fill, sizeof(page));
	for (unsigned long done = 0; h >= 0 && done < size; done += PG)
		if (write(h, page, size - done < PG ? size - done : PG) < 0)
			return -1;
	if (h < 0)
		return -1;
	close(h);
	return um_openat(p, AT_FDCWD, FILE_NAME, O_RDWR, 0);
}

static void read_host(unsigned long off, char *buf, size_t len)
{
	int h = open(FILE_NAME, O_RDONLY);

	memset(buf, '?', len);
	if (h >= 0 && pread(h, buf, len, (off_t)off) < 0)
		memset(buf, '!', len);
	if (h >= 0)
		close(h);
}

/* A 5000-byte file: page 0 whole, page 1 holds EOF (zeros after it), page 2
 * is wholly past EOF (SIGBUS).  Shared stores reach the file by msync and
 * by munmap; private stores never do. */
TEST(file_eof_sigbus_shared_writeback_private_cow)
{
	struct um_fault f;
	char buf[8];
	long fd;
	unsigned long sh, pr;

	setup();
	fd = make_file(P, 5000, 'a');
	CHECK_EQ(fd, 3);
	sh = (unsigned long)um_mmap(P, 0, 3 * PG, RW, MAP_SHARED, (unsigned long)fd, 0);
	pr = (unsigned long)um_mmap(P, 0, 3 * PG, RW, MAP_PRIVATE, (unsigned long)fd, 0);
	CHECK_EQ(um_load(P, sh + 4999, buf, 2, &f), 0);
	CHECK(!memcmp(buf, "a\0", 2));
	CHECK_EQ(um_load(P, sh + 2 * PG, buf, 1, &f), -EFAULT);
	CHECK_EQ(f.signo, SIGBUS);
	CHECK_EQ(f.code, BUS_ADRERR);
	CHECK_EQ(f.addr, sh + 2 * PG);
	CHECK_EQ(store(P, pr, "PRIV", &f), 0);         /* COW: file untouched */
	CHECK_EQ(store(P, sh + 10, "SHARED", &f), 0);
	CHECK_EQ(store(P, sh + 5000, "tail", &f), 0);  /* past EOF in the last page */
	CHECK_EQ(um_load(P, pr + 10, buf, 6, &f), 0);  /* its copy predates it */
	CHECK(!memcmp(buf, "aaaaaa", 6));
	CHECK_EQ(um_load(P, pr + 5000, buf, 4, &f), 0); /* uncopied: the cache */
	CHECK(!memcmp(buf, "tail", 4));
	read_host(10, buf, 6);
	CHECK(!memcmp(buf, "aaaaaa", 6));              /* not yet written back */
	CHECK_EQ(um_msync(P, sh, PG, MS_SYNC), 0);
	read_host(10, buf, 6);
	CHECK(!memcmp(buf, "SHARED", 6));
	read_host(0, buf, 4);
	CHECK(!memcmp(buf, "aaaa", 4));                /* private store stayed */
	CHECK_EQ(store(P, sh + PG, "second", &f), 0);
	CHECK_EQ(um_munmap(P, sh, 3 * PG), 0);         /* munmap writes back */
	read_host(PG, buf, 6);
	CHECK(!memcmp(buf, "second", 6));
	{
		struct stat st;

		CHECK_EQ(stat(FILE_NAME, &st), 0);
		CHECK_EQ(st.st_size, 5000);              /* the tail never reached it */
	}
	teardown();
}

/* Truncation zaps mapped pages, private copies too: SIGBUS after; growing
 * the file back gives zeros. */
TEST(truncate_zaps_then_zeros)
{
	struct um_fault f;
	char buf[4];
	long fd;
	unsigned long sh, pr;

	setup();
	fd = make_file(P, 3 * PG, 'b');
	sh = (unsigned long)um_mmap(P, 0, 3 * PG, RW, MAP_SHARED, (unsigned long)fd, 0);
	pr = (unsigned long)um_mmap(P, 0, 3 * PG, RW, MAP_PRIVATE, (unsigned long)fd, 0);
	CHECK_EQ(store(P, sh + 2 * PG, "xx", &f), 0);
	CHECK_EQ(store(P, pr + 2 * PG, "yy", &f), 0);   /* a private copy */
	CHECK_EQ(um_ftruncate(P, (unsigned long)fd, PG + 100), 0);
	CHECK_EQ(um_load(P, sh + 2 * PG, buf, 1, &f), -EFAULT);
	CHECK_EQ(f.signo, SIGBUS);
	CHECK_EQ(um_load(P, pr + 2 * PG, buf, 1, &f), -EFAULT);
	CHECK_EQ(f.signo, SIGBUS);
	CHECK_EQ(um_load(P, sh + PG + 100, buf, 1, &f), 0);
	CHECK_EQ(buf[0], 0);
	CHECK_EQ(um_ftruncate(P, (unsigned long)fd, 3 * PG), 0);
	CHECK_EQ(um_load(P, sh + 2 * PG, buf, 2, &f), 0);
	CHECK(!memcmp(buf, "\0\0", 2));
	CHECK_EQ(um_load(P, pr + 2 * PG, buf, 2, &f), 0);
	CHECK(!memcmp(buf, "\0\0", 2));
	teardown();
}

/* mremap moves the pages; DONTNEED drops them (zeros after); mincore
 * reports present entries. */
TEST(mremap_moves_pages_dontneed_zaps_mincore_sees)
{
	struct um_fault f;
	char buf[4];
	unsigned char vec[4];
	unsigned long a, b;

	setup();
	a = (unsigned long)um_mmap(P, 0, 2 * PG, RW, AP, -1UL, 0);
	CHECK_EQ(store(P, a + PG, "mv", &f), 0);
	CHECK_EQ(um_mincore(P, a, 2 * PG, vec), 0);
	CHECK(vec[0] == 0 && vec[1] == 1);
	b = (unsigned long)um_mremap(P, a, 2 * PG, 4 * PG, MREMAP_MAYMOVE, 0);
	CHECK(b != a);
	CHECK_EQ(um_load(P, b + PG, buf, 2, &f), 0);
	CHECK(!memcmp(buf, "mv", 2));
	CHECK_EQ(um_madvise(P, b, 4 * PG, MADV_DONTNEED), 0);
	CHECK_EQ(um_load(P, b + PG, buf, 2, &f), 0);
	CHECK(!memcmp(buf, "\0\0", 2));
	CHECK_EQ(stats(P).rss_anon, 0);
	teardown();
}

/* MAP_POPULATE and mlock fault every page in. */
TEST(populate_and_mlock_prefault)
{
	unsigned char vec[2] = { 0, 0 };
	unsigned long a;

	setup();
	a = (unsigned long)um_mmap(P, 0, 4 * PG, RW, AP | MAP_POPULATE, -1UL, 0);
	CHECK_EQ(stats(P).rss_anon, 4);
	a = (unsigned long)um_mmap(P, 0, 2 * PG, PROT_READ, AP, -1UL, 0);
	CHECK_EQ(um_mlock(P, a, 2 * PG), 0);
	/* read-only: the zero page is mapped (present, not counted in rss) */
	CHECK_EQ(stats(P).rss_anon, 4);
	CHECK_EQ(um_mincore(P, a, 2 * PG, vec), 0);
	CHECK(vec[0] == 1 && vec[1] == 1);
	teardown();
}

/* Every allocation a store, a fork and a file fault make fails in turn:
 * each time the call reports the failure (or succeeds), nothing leaks and
 * the validator is clean. */
TEST(fault_injection_every_allocation)
{
	for (unsigned long n = 1; n < 40; n++) {
		struct um_fault f, f3;
		um_proc *c = NULL;
		unsigned long a;
		long fd, r1, r2, r3;

		setup();
		fd = make_file(P, 2 * PG, 'c');
		a = (unsigned long)um_mmap(P, 0, 2 * PG, RW, AP, -1UL, 0);
		um_fail_nth_alloc(n);
		r1 = store(P, a, "x", &f);
		r2 = um_fork(P, &c);
		r3 = um_mmap(P, 0, PG, RW, MAP_SHARED, (unsigned long)fd, 0);
		if (r3 > 0)
			r3 = store(P, (unsigned long)r3, "y", &f3);
		um_fail_nth_alloc(0);
		CHECK(r1 == 0 || (r1 == -ENOMEM && f.signo == SIGKILL));
		CHECK(r2 == 0 || r2 == -ENOMEM);
		CHECK(r3 >= 0 || r3 == -ENOMEM);
		CHECK_EQ(um_validate(P), 0);
		if (c) {
			CHECK_EQ(um_validate(c), 0);
			um_proc_free(c);
		}
		teardown();
	}
}

int main(void)
{
	RUN(anonymous_read_is_zero_page_write_is_own_frame);
	RUN(segv_maperr_accerr_with_address);
	RUN(fork_copy_on_write_both_directions);
	RUN(fork_shared_dontfork_wipeonfork_locks);
	RUN(file_eof_sigbus_shared_writeback_private_cow);
	RUN(truncate_zaps_then_zeros);
	RUN(mremap_moves_pages_dontneed_zaps_mincore_sees);
	RUN(populate_and_mlock_prefault);
	RUN(fault_injection_every_allocation);
	unlink(FILE_NAME);
	return check_summary();
}
