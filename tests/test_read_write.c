/*
 * test_read_write.c — read, write, pread64, pwrite64 and lseek through the
 * page cache mappings use: coherence with shared mappings both ways, the
 * process's memory as the buffer (faults, partial copies, EFAULT), bytes
 * reaching the host file by close and not before, and fault injection
 * over every allocation a read or write makes.
 *
 * Expected values are the live kernel's (tests/scenarios/rw_*.trace run
 * them on both sides under usermm diff); each test also checks that
 * frames, cached pages and page tables return to their baseline.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "usermm.h"
#include "alloc.h"
#include "check.h"

#define PG 4096UL
#define RW (PROT_READ | PROT_WRITE)
#define AP (MAP_PRIVATE | MAP_ANONYMOUS)
#define FILE_NAME "/tmp/usermm_test_read_write"

static um_engine *E;
static um_proc *P;

static void setup(void)
{
	unlink(FILE_NAME);
	E = um_engine_new(NULL);
	P = um_proc_new(E, NULL);
}

static void teardown(void)
{
	struct um_stats st;

	CHECK_EQ(um_validate(P), 0);
	um_proc_free(P);
	P = um_proc_new(E, NULL);
	um_proc_stats(P, &st);
	CHECK_EQ(st.frames_used, 0);
	CHECK_EQ(st.cached_pages, 0);
	CHECK_EQ(st.engine_page_tables, 0);
	um_proc_free(P);
	um_engine_free(E);
}

/* pwrite64 of host bytes (a tool's buffer, as a trace's "string"). */
static long pwrite_host(um_proc *p, long fd, const char *s, unsigned long off)
{
	unsigned long a[6] = { (unsigned long)fd, (unsigned long)s, strlen(s), off };

	return um_syscall_hostbuf(p, SYS_pwrite64, a);
}

static long pread_host(um_proc *p, long fd, char *buf, size_t n, unsigned long off)
{
	unsigned long a[6] = { (unsigned long)fd, (unsigned long)buf, n, off };

	return um_syscall_hostbuf(p, SYS_pread64, a);
}

/* What the host file holds (an independent read); -1 when unreadable. */
static long host_file(char *buf, size_t len)
{
	int h = open(FILE_NAME, O_RDONLY);
	long n;

	memset(buf, '?', len);
	if (h < 0)
		return -1;
	n = pread(h, buf, len, 0);
	close(h);
	return n;
}

TEST(write_shows_in_mapping_store_shows_in_read)
{
	struct um_fault f;
	char buf[32];
	long fd;
	unsigned long sh;

	setup();
	fd = um_openat(P, AT_FDCWD, FILE_NAME, O_RDWR | O_CREAT, 0644);
	CHECK_EQ(fd, 3);
	CHECK_EQ(pwrite_host(P, fd, "abcdef", 0), 6);
	sh = (unsigned long)um_mmap(P, 0, PG, RW, MAP_SHARED, (unsigned long)fd, 0);
	CHECK_EQ(um_load(P, sh, buf, 6, &f), 0);
	CHECK(!memcmp(buf, "abcdef", 6));
	CHECK_EQ(um_store(P, sh + 1, "XY", 2, &f), 0);
	CHECK_EQ(pread_host(P, fd, buf, 32, 0), 6);     /* clipped to i_size */
	CHECK(!memcmp(buf, "aXYdef", 6));
	CHECK_EQ(host_file(buf, 32), 0);               /* still only cached */
	CHECK_EQ(um_close(P, (unsigned long)fd), 0);   /* the mapping holds it */
	CHECK_EQ(host_file(buf, 32), 0);
	CHECK_EQ(um_munmap(P, sh, PG), 0);             /* the last user: written */
	CHECK_EQ(host_file(buf, 32), 6);
	CHECK(!memcmp(buf, "aXYdef", 6));
	teardown();
}

/* The buffer is the process's memory: a read lands there (through COW and
 * zero-page faults), a write takes bytes from it, and where it stops being
 * usable the call returns what it moved before — or EFAULT, with no signal
 * (a SIGBUS page of a file mapping included). */
TEST(buffers_in_process_memory)
{
	struct um_fault f;
	char buf[16];
	long fd;
	unsigned long a, bus;

	setup();
	fd = um_openat(P, AT_FDCWD, FILE_NAME, O_RDWR | O_CREAT, 0644);
	CHECK_EQ(pwrite_host(P, fd, "0123456789", 0), 10);
	a = (unsigned long)um_mmap(P, 0, 2 * PG, RW, AP, -1UL, 0);
	CHECK_EQ(um_munmap(P, a + PG, PG), 0);
	CHECK_EQ(um_pread64(P, (unsigned long)fd, a + PG - 4, 10, 0), 4);
	CHECK_EQ(um_load(P, a + PG - 4, buf, 4, &f), 0);
	CHECK(!memcmp(buf, "0123", 4));
	CHECK_EQ(um_pwrite64(P, (unsigned long)fd, a + PG - 2, 8, 0), 2);
	CHECK_EQ(pread_host(P, fd, buf, 4, 0), 4);
	CHECK(!memcmp(buf, "2323", 4));
	CHECK_EQ(um_pread64(P, (unsigned long)fd, a + PG, 1, 0), -EFAULT);
	CHECK_EQ(um_pread64(P, (unsigned long)fd, 0xffff800000000000UL, 0, 0), -EFAULT);
	/* a page wholly past EOF of a shared mapping: EFAULT, not SIGBUS */
	bus = (unsigned long)um_mmap(P, 0, 2 * PG, RW, MAP_SHARED, (unsigned long)fd, 0);
	CHECK_EQ(um_pwrite64(P, (unsigned long)fd, bus + PG, 4, 0), -EFAULT);
	CHECK_EQ(um_pread64(P, (unsigned long)fd, bus + 8, 2, 0), 2); /* same page */
	CHECK_EQ(um_load(P, bus, buf, 10, &f), 0);
	CHECK(!memcmp(buf, "2323456723", 10));
	/* file position: read advances it, pread64 does not */
	CHECK_EQ(um_lseek(P, (unsigned long)fd, 4, SEEK_SET), 4);
	CHECK_EQ(um_read(P, (unsigned long)fd, a, 3), 3);
	CHECK_EQ(um_lseek(P, (unsigned long)fd, 0, SEEK_CUR), 7);
	CHECK_EQ(um_load(P, a, buf, 3, &f), 0);
	CHECK(!memcmp(buf, "456", 3));
	teardown();
}

/* Every allocation a write and a read make fails in turn: each call moves
 * its bytes or reports ENOMEM (never a partial page of garbage), nothing
 * leaks, the validator is clean. */
TEST(fault_injection_read_write)
{
	int enomem = 0, whole = 0;

	for (unsigned long n = 1; n < 30; n++) {
		char buf[8];
		long fd, w, r;
		unsigned long a;

		setup();
		fd = um_openat(P, AT_FDCWD, FILE_NAME, O_RDWR | O_CREAT, 0644);
		a = (unsigned long)um_mmap(P, 0, PG, RW, AP, -1UL, 0);
		um_fail_nth_alloc(n);
		w = pwrite_host(P, fd, "written", PG - 3);   /* two pages */
		r = um_pread64(P, (unsigned long)fd, a, 7, PG - 3);
		um_fail_nth_alloc(0);
		CHECK(w == 7 || w == 3 || w == -ENOMEM);
		CHECK(r == -ENOMEM || r == (w > 0 ? w : 0) || (r == 3 && w == 7));
		if (w > 0) {
			CHECK_EQ(pread_host(P, fd, buf, (size_t)w, PG - 3), w);
			CHECK(!memcmp(buf, "written", (size_t)w));
		}
		CHECK_EQ(um_validate(P), 0);
		enomem += w == -ENOMEM || r == -ENOMEM;
		whole += w == 7 && r == 7;
		teardown();
	}
	CHECK(enomem > 0);   /* the injection reached the calls */
	CHECK(whole > 0);    /* and ran out: the last rounds succeed */
}

int main(void)
{
	RUN(write_shows_in_mapping_store_shows_in_read);
	RUN(buffers_in_process_memory);
	RUN(fault_injection_read_write);
	unlink(FILE_NAME);
	return check_summary();
}
