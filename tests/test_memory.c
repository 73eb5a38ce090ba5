/*
 * test_memory.c — the physical side: faults, the zero page, copy-on-write,
 * fork, the page cache over a real file, writeback, truncation, and fault
 * injection over every frame, table and cache allocation.
 *
 * Expected values are Linux's behaviour as the scenarios in tests/scenarios/
 * show it on the live kernel (usermm diff); each test also checks that
 * frames, cached pages and page tables return to their baseline.  A few
 * tests work on the internals directly (page.h): struct page's packing,
 * the frame pool's zeroing, the page-table walks.
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
#include "page.h"
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

/* Page tables are bounded by the memory size: populating a 64 TiB
 * read-only mapping (the zero page needs no frame, only tables) stops
 * when the tables would outnumber the frames, as Linux runs out of memory
 * there, instead of allocating tables without end (found by fuzz_api).
 * mmap still succeeds: populate ignores the failure. */
TEST(page_tables_bounded_by_memory)
{
	struct um_engine_config cfg = { .mem_bytes = 1UL << 20, .overcommit_memory = 1 };
	unsigned long a, frames = (1UL << 20) / PG;
	struct um_fault f;
	struct um_stats st;

	E = um_engine_new(&cfg);
	P = um_proc_new(E, NULL);
	a = (unsigned long)um_mmap(P, 0, 1UL << 46, PROT_READ, AP | MAP_POPULATE, -1UL, 0);
	CHECK(a < (1UL << 47));
	st = stats(P);
	CHECK_EQ(st.engine_page_tables, frames);
	CHECK_EQ(st.frames_used, 0);
	/* A store where no table can be made is out of memory. */
	CHECK_EQ(um_mprotect(P, a, 1UL << 46, RW), 0);
	CHECK_EQ(store(P, a + (1UL << 45), "x", &f), -ENOMEM);
	CHECK_EQ(f.signo, SIGKILL);
	CHECK_EQ(um_munmap(P, a, 1UL << 46), 0);
	teardown();
}

/* Every allocation a store, a fork and a file fault make fails in turn:
 * each time the call reports the failure (or succeeds), nothing leaks and
 * the validator is clean. */
TEST(fault_injection_every_allocation)
{
	for (unsigned long n = 1; n < 48; n++) {
		struct um_fault f, f3, f4;
		um_proc *c = NULL;
		unsigned long a;
		long fd, r1, r2, r3, r4;

		setup();
		fd = make_file(P, 2 * PG, 'c');
		a = (unsigned long)um_mmap(P, 0, 2 * PG, RW, AP, -1UL, 0);
		um_fail_nth_alloc(n);
		r1 = store(P, a, "x", &f);
		r2 = um_fork(P, &c);
		r4 = store(P, a, "z", &f4);      /* after a fork: a COW copy */
		r3 = um_mmap(P, 0, PG, RW, MAP_SHARED, (unsigned long)fd, 0);
		if (r3 > 0)
			r3 = store(P, (unsigned long)r3, "y", &f3);
		um_fail_nth_alloc(0);
		CHECK(r1 == 0 || (r1 == -ENOMEM && f.signo == SIGKILL));
		CHECK(r2 == 0 || r2 == -ENOMEM);
		CHECK(r3 >= 0 || r3 == -ENOMEM);
		CHECK(r4 == 0 || (r4 == -ENOMEM && f4.signo == SIGKILL));
		CHECK_EQ(um_validate(P), 0);
		if (c) {
			CHECK_EQ(um_validate(c), 0);
			um_proc_free(c);
		}
		teardown();
	}
}

/* ---- internals: struct page, the frame pool, the walks -------------------------------- */

/* Each field of the 16-byte struct page keeps its value whatever the others
 * do, up to its limit: the counts, the flags, the cache id and the index. */
TEST(page_packing_accessors)
{
	struct phys ph;
	struct address_space lo = { 0 }, hi = { 0 };
	struct page pg;

	CHECK_EQ(sizeof(struct page), 16);
	CHECK_EQ(phys_init(&ph, 64 * PG), 0);
	page_init_allocated(&pg);
	CHECK_EQ(page_refcount(&pg), 1);
	CHECK_EQ(page_mapcount(&pg), 0);
	CHECK_EQ(page_flags(&pg), 0);
	for (unsigned i = 0; i < PAGE_MAP_MAX; i++) {
		page_map_inc(&pg);
		page_ref_inc(&pg);
	}
	CHECK_EQ(page_mapcount(&pg), PAGE_MAP_MAX);
	CHECK_EQ(page_refcount(&pg), PAGE_MAP_MAX + 1);
	CHECK(page_map_full(&pg));
	page_set_flags(&pg, PG_ANON | PG_DIRTY);
	CHECK_EQ(page_flags(&pg), PG_ANON | PG_DIRTY);
	CHECK_EQ(page_mapcount(&pg), PAGE_MAP_MAX);
	page_map_dec(&pg);
	CHECK(!page_map_full(&pg));
	CHECK_EQ(page_ref_dec(&pg), PAGE_MAP_MAX);
	CHECK_EQ(page_flags(&pg), PG_ANON | PG_DIRTY);

	/* the largest id and index, then small ones over them */
	CHECK_EQ(cache_id_get(&ph, &lo), 0);
	CHECK_EQ(lo.id, 1);
	ph.cache_id_next = PAGE_CACHE_IDS - 1;
	CHECK_EQ(cache_id_get(&ph, &hi), 0);
	CHECK_EQ(hi.id, PAGE_CACHE_IDS - 1);
	page_set_cache(&pg, &hi, PAGE_INDEX_MAX);
	CHECK_EQ(page_cache_id(&pg), PAGE_CACHE_IDS - 1);
	CHECK_EQ(page_index(&pg), PAGE_INDEX_MAX);
	CHECK(page_mapping(&ph, &pg) == &hi);
	CHECK_EQ(page_flags(&pg), PG_ANON | PG_DIRTY | PG_CACHE);
	CHECK_EQ(page_mapcount(&pg), PAGE_MAP_MAX - 1);
	CHECK_EQ(page_refcount(&pg), PAGE_MAP_MAX);
	page_set_cache(&pg, &lo, 0x123456789UL);
	CHECK_EQ(page_cache_id(&pg), 1);
	CHECK_EQ(page_index(&pg), 0x123456789UL);
	CHECK(page_mapping(&ph, &pg) == &lo);
	CHECK_EQ(page_refcount(&pg), PAGE_MAP_MAX);
	page_clear_cache(&pg);
	CHECK_EQ(page_cache_id(&pg), 0);
	CHECK_EQ(page_index(&pg), 0);
	CHECK_EQ(page_flags(&pg), PG_ANON);
	CHECK_EQ(page_mapcount(&pg), PAGE_MAP_MAX - 1);
	CHECK_EQ(page_refcount(&pg), PAGE_MAP_MAX);
	/* the free-list link uses the whole word */
	page_set_next_free(&pg, 0xffffffffUL);
	CHECK_EQ(page_next_free(&pg), 0xffffffffUL);
	phys_destroy(&ph);
}

/* Ids come back when caches go, last freed first; past the last id,
 * making a cache fails. */
TEST(cache_ids_recycled_and_bounded)
{
	struct phys ph;
	struct address_space a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };

	CHECK_EQ(phys_init(&ph, 64 * PG), 0);
	CHECK_EQ(cache_id_get(&ph, &a), 0);
	CHECK_EQ(cache_id_get(&ph, &b), 0);
	CHECK_EQ(b.id, 2);
	cache_id_put(&ph, &a);
	CHECK_EQ(a.id, 0);
	CHECK_EQ(cache_id_get(&ph, &c), 0);
	CHECK_EQ(c.id, 1);
	ph.cache_id_next = PAGE_CACHE_IDS - 1;
	CHECK_EQ(cache_id_get(&ph, &d), 0);
	CHECK_EQ(d.id, PAGE_CACHE_IDS - 1);
	CHECK_EQ(cache_id_get(&ph, &a), -ENOMEM);
	cache_id_put(&ph, &d);
	cache_id_put(&ph, &b);
	CHECK_EQ(cache_id_get(&ph, &a), 0);
	CHECK_EQ(a.id, 2);
	CHECK(page_mapping(&ph, &(struct page){ .ref_id = 1, .word = 2UL << PAGE_INDEX_BITS }) == &a);
	CHECK_EQ(cache_id_get(&ph, &b), 0);
	CHECK_EQ(b.id, PAGE_CACHE_IDS - 1);
	CHECK_EQ(cache_id_get(&ph, &d), -ENOMEM);
	phys_destroy(&ph);
}

/* A frame is zero when handed out, whether new from the host (not cleared:
 * the test build checks it is zero) or back from the free list (cleared);
 * frame_alloc_nozero leaves a reused frame's bytes alone. */
TEST(frame_reused_after_free_reads_zero)
{
	static const unsigned char zero[PG];
	struct phys ph;
	unsigned long f, g, n = 0;

	CHECK_EQ(phys_init(&ph, 2048 * PG), 0);
	f = frame_alloc(&ph);
	CHECK(f != 0);
	CHECK(!memcmp(pfn_data(&ph, f), zero, PG));
	memset(pfn_data(&ph, f), 0xab, PG);
	frame_put(&ph, f);
	g = frame_alloc(&ph);
	CHECK_EQ(g, f);                          /* last freed, first reused */
	CHECK(!memcmp(pfn_data(&ph, g), zero, PG));
	memset(pfn_data(&ph, g), 0xcd, PG);
	frame_put(&ph, g);
	g = frame_alloc_nozero(&ph);
	CHECK_EQ(g, f);
	CHECK_EQ(pfn_data(&ph, g)[PG - 1], 0xcd);
	CHECK_EQ(page_refcount(pfn_page(&ph, g)), 1);
	frame_put(&ph, g);
	CHECK_EQ(ph.used, 0);
	/* the whole pool, across several 2 MiB chunks, then empty */
	while ((g = frame_alloc(&ph)) != 0) {
		CHECK(!pfn_data(&ph, g)[0] && !pfn_data(&ph, g)[PG - 1]);
		pfn_data(&ph, g)[0] = 1;
		n++;
	}
	CHECK_EQ(n, 2047);
	CHECK_EQ(ph.used, 2047);
	CHECK_EQ(ph.populated, 2048);
	for (g = 1; g < 2048; g++)
		frame_put(&ph, g);
	CHECK_EQ(ph.used, 0);
	while ((g = frame_alloc(&ph)) != 0)
		CHECK(!memcmp(pfn_data(&ph, g), zero, PG));
	phys_destroy(&ph);
}

/* Through the API: memory reused after munmap reads as zeros, and a COW
 * copy made into a reused (not cleared) frame is the whole source page. */
TEST(reused_frames_zero_and_cow_copies_whole_page)
{
	static unsigned char ones[16 * PG], got[16 * PG], pat[PG];
	struct um_fault f;
	um_proc *c;
	unsigned long a, b;

	setup();
	memset(ones, 0xff, sizeof(ones));
	for (unsigned i = 0; i < PG; i++)
		pat[i] = (unsigned char)(i * 7 + 1);
	a = (unsigned long)um_mmap(P, 0, 16 * PG, RW, AP, -1UL, 0);
	CHECK_EQ(um_store(P, a, ones, sizeof(ones), &f), 0);
	CHECK_EQ(um_munmap(P, a, 16 * PG), 0);
	b = (unsigned long)um_mmap(P, 0, PG, RW, AP, -1UL, 0);
	CHECK_EQ(um_store(P, b, pat, PG, &f), 0);
	CHECK_EQ(um_fork(P, &c), 0);
	CHECK_EQ(store(c, b + 100, "K", &f), 0);       /* the child's copy */
	CHECK_EQ(um_load(c, b, got, PG, &f), 0);
	pat[100] = 'K';
	CHECK(!memcmp(got, pat, PG));
	pat[100] = (unsigned char)(100 * 7 + 1);
	CHECK_EQ(um_load(P, b, got, PG, &f), 0);
	CHECK(!memcmp(got, pat, PG));
	um_proc_free(c);
	/* write faults on the 16 reused frames: all but the byte written is 0 */
	a = (unsigned long)um_mmap(P, 0, 16 * PG, RW, AP, -1UL, 0);
	for (unsigned long o = PG - 1; o < 16 * PG; o += PG)
		CHECK_EQ(store(P, a + o, "x", &f), 0);
	CHECK_EQ(stats(P).faults_anon, 16 + 1 + 16);
	CHECK_EQ(um_load(P, a, got, 16 * PG, &f), 0);
	for (unsigned long i = 0; i < 16 * PG; i++)
		if (got[i] != (i % PG == PG - 1 ? 'x' : 0)) {
			CHECK_EQ(i, -1);
			break;
		}
	teardown();
}

struct walk_log {
	unsigned long addr[32];
	int n;
};

static int log_one(pte_t *e, unsigned long addr, void *arg)
{
	struct walk_log *l = arg;

	(void)e;
	if (l->n < 32)
		l->addr[l->n++] = addr;
	return 0;
}

/* pte_walk_rev visits what pte_walk visits, in reverse, across every level's
 * boundaries; the cached leaf table always gives what a walk gives. */
TEST(pte_walk_rev_reverses_pte_walk)
{
	static const unsigned long at[] = {
		0x1000, 0x1ff000, 0x200000, 0x3ff000, 0x3ffff000, 0x40000000,
		0x7ffffff000, 0x8000000000, 0x8000200000, 0x7ffffffff000,
	};
	static const unsigned long range[][2] = {
		{ 0, ~0UL }, { 0x1000, 0x200001 }, { 0x1fffff, 0x40000000 },
		{ 0x200000, 0x200000 }, { 0x3ff001, 0x8000000001 },
		{ 0x40000000, 0x7ffffffff000 }, { 0x2000, 0x1ff000 },
	};
	const int n = (int)(sizeof(at) / sizeof(at[0]));
	struct phys ph;
	struct pgtable pt = { 0 };
	pte_t *first;

	CHECK_EQ(phys_init(&ph, 64 * PG), 0);
	for (int i = 0; i < n; i++) {
		pte_t *e = pte_lookup(&ph, &pt, at[i], true);

		CHECK(e != NULL);
		*e = mk_pte(ZERO_PFN, 0);
		CHECK(pte_leaf_cache_ok(&pt));
	}
	first = pte_lookup(&ph, &pt, at[0], false);
	CHECK(pte_lookup(&ph, &pt, at[0], false) == first);   /* cached */
	CHECK(pte_lookup(&ph, &pt, at[n - 1], false) != first);
	CHECK(pte_lookup(&ph, &pt, at[0], false) == first);   /* walked */
	CHECK(pte_lookup(&ph, &pt, 0x600000000000, false) == NULL);
	CHECK(pte_leaf_cache_ok(&pt));
	for (size_t r = 0; r < sizeof(range) / sizeof(range[0]); r++) {
		struct walk_log fwd = { .n = 0 }, rev = { .n = 0 };
		int want = 0;

		pte_walk(&pt, range[r][0], range[r][1], log_one, &fwd);
		pte_walk_rev(&pt, range[r][0], range[r][1], log_one, &rev);
		for (int i = 0; i < n; i++)
			if (at[i] + PG > range[r][0] && at[i] < range[r][1])
				CHECK_EQ(fwd.addr[want++], at[i]);
		CHECK_EQ(fwd.n, want);
		CHECK_EQ(rev.n, fwd.n);
		for (int i = 0; i < fwd.n && i < rev.n; i++)
			CHECK_EQ(rev.addr[i], fwd.addr[fwd.n - 1 - i]);
	}
	pgtable_free(&ph, &pt);
	CHECK(pt.leaf == NULL && pt.nr_tables == 0);
	CHECK(pte_lookup(&ph, &pt, at[0], false) == NULL);
	phys_destroy(&ph);
}

/* A page index takes 51 bits in struct page: every offset Linux lets a
 * file be mapped at (up to MAX_LFS_FILESIZE = 2^63 - 1) works, beyond 2^40
 * pages too; one page further, mmap fails with EOVERFLOW on both.  The file
 * is a sparse memfd on the host's tmpfs, which allows such sizes. */
TEST(file_offsets_up_to_linux_limit)
{
	const unsigned long last = (1UL << 63) - 2 * PG, mid = 1UL << 54;
	struct um_fault f;
	char path[64], buf[4] = "";
	int h = memfd_create("usermm-test-offsets", 0);
	void *km;
	long fd, a, b;

	if (h < 0 || ftruncate(h, (off_t)__LONG_MAX__)) {
		fprintf(stderr, "test_memory: no sparse memfd, offset test skipped\n");
		return;
	}
	km = mmap(NULL, PG, RW, MAP_SHARED, h, (off_t)last);
	CHECK(km != MAP_FAILED);
	if (km != MAP_FAILED)
		munmap(km, PG);
	CHECK(mmap(NULL, PG, RW, MAP_SHARED, h, (off_t)(last + PG)) == MAP_FAILED &&
	      errno == EOVERFLOW);
	setup();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", h);
	fd = um_openat(P, AT_FDCWD, path, O_RDWR, 0);
	CHECK(fd >= 0);
	a = um_mmap(P, 0, PG, RW, MAP_SHARED, (unsigned long)fd, last);
	b = um_mmap(P, 0, PG, RW, MAP_SHARED, (unsigned long)fd, mid);
	CHECK(a > 0 && b > 0);
	CHECK_EQ(um_mmap(P, 0, PG, RW, MAP_SHARED, (unsigned long)fd, last + PG), -EOVERFLOW);
	CHECK_EQ(store(P, (unsigned long)a, "end", &f), 0);
	CHECK_EQ(store(P, (unsigned long)b, "mid", &f), 0);
	CHECK_EQ(um_msync(P, (unsigned long)a, PG, MS_SYNC), 0);
	CHECK_EQ(um_msync(P, (unsigned long)b, PG, MS_SYNC), 0);
	CHECK_EQ(pread(h, buf, 3, (off_t)last), 3);
	CHECK(!memcmp(buf, "end", 3));
	CHECK_EQ(pread(h, buf, 3, (off_t)mid), 3);
	CHECK(!memcmp(buf, "mid", 3));
	teardown();
	close(h);
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
	RUN(page_tables_bounded_by_memory);
	RUN(fault_injection_every_allocation);
	RUN(page_packing_accessors);
	RUN(cache_ids_recycled_and_bounded);
	RUN(frame_reused_after_free_reads_zero);
	RUN(reused_frames_zero_and_cow_copies_whole_page);
	RUN(pte_walk_rev_reverses_pte_walk);
	RUN(file_offsets_up_to_linux_limit);
	unlink(FILE_NAME);
	return check_summary();
}
