/*
 * test_msync_mincore.c — msync and mincore against the live kernel's
 * answers.
 *
 * Every expected value here was measured on the live kernel (Linux 6.18
 * x86-64 under `setarch -R`, as root and as uid 65534: identical) by
 * tests/probe/p22_msync_mincore.c; its output is in tests/probe/out/.
 * mincore vectors are compared only where the VMAs alone decide the answer
 * (untouched memory, locked memory, special mappings, fresh files); pages
 * that loads and stores make resident are checked in tests/scenarios/ and
 * tests/test_memory.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include "usermm.h"
#include "check.h"

#define PG 4096UL
#define X 0x500000000UL
#define TOP 0x7ffffffff000UL     /* TASK_SIZE_MAX; the stack ends here */
#define VVAR 0x7ffff7ff7000UL    /* [vvar] 4 pages, [vvar_vclock] 2, [vdso] 2 */
#define VDSO 0x7ffff7ffd000UL
#define AP (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define RW (PROT_READ | PROT_WRITE)
#define FILE_NAME "/tmp/usermm_test_msync_mincore"

static um_engine *E;
static um_proc *P;

static void setup(void)
{
	E = um_engine_new(NULL);
	P = um_proc_new(E, NULL);
}

static void teardown(void)
{
	CHECK_EQ(um_validate(P), 0);
	um_proc_free(P);
	um_engine_free(E);
}

static long open_file(unsigned long size)
{
	int h = open(FILE_NAME, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (h < 0 || ftruncate(h, (off_t)size) < 0)
		return -1;
	close(h);
	return um_openat(P, AT_FDCWD, FILE_NAME, O_RDWR, 0);
}

/* mincore into a vector pre-filled with 0xee; the first @n bytes as hex
 * digits ("1 1 0 ee") in *out. */
static long mc(unsigned long a, unsigned long len, unsigned n, const char **out)
{
	static unsigned char vec[64];
	static char s[256];
	long r;
	char *o = s;

	memset(vec, 0xee, sizeof(vec));
	r = um_mincore(P, a, len, vec);
	for (unsigned i = 0; i < n; i++)
		o += sprintf(o, "%s%x", i ? " " : "", vec[i]);
	*out = s;
	return r;
}

/* ---- msync ----------------------------------------------------------------- */

TEST(msync_arguments)
{
	long fd;

	setup();
	fd = open_file(4 * PG);
	um_mmap(P, X, 4 * PG, RW, MAP_SHARED | MAP_FIXED, (unsigned long)fd, 0);
	CHECK_EQ(um_msync(P, X, PG, 0), 0);
	CHECK_EQ(um_msync(P, X, PG, MS_ASYNC), 0);
	CHECK_EQ(um_msync(P, X, PG, MS_SYNC), 0);
	CHECK_EQ(um_msync(P, X, PG, MS_INVALIDATE), 0);
	CHECK_EQ(um_msync(P, X, PG, MS_SYNC | MS_INVALIDATE), 0);
	CHECK_EQ(um_msync(P, X, PG, MS_ASYNC | MS_SYNC), -EINVAL);
	CHECK_EQ(um_msync(P, X, PG, 8), -EINVAL);
	CHECK_EQ(um_msync(P, X, PG, -1UL), -EINVAL);
	CHECK_EQ(um_msync(P, X, PG, 0x100000004UL), 0);     /* an int: MS_SYNC */
	CHECK_EQ(um_msync(P, X + 1, PG, MS_SYNC), -EINVAL);
	CHECK_EQ(um_msync(P, X + 1, PG, 8), -EINVAL);
	CHECK_EQ(um_msync(P, X + 1, PG, MS_ASYNC | MS_SYNC), -EINVAL);
	CHECK_EQ(um_msync(P, X + 1, 0, MS_SYNC), -EINVAL);
	CHECK_EQ(um_msync(P, X, 0, MS_SYNC), 0);
	CHECK_EQ(um_msync(P, 0x10000000UL, 0, MS_SYNC), 0);
	CHECK_EQ(um_msync(P, X, 0, MS_ASYNC | MS_SYNC), -EINVAL);
	CHECK_EQ(um_msync(P, X, 1, MS_SYNC), 0);
	CHECK_EQ(um_msync(P, X, -1UL, MS_SYNC), 0);          /* rounds up to 0 */
	CHECK_EQ(um_msync(P, X, -4096UL, MS_SYNC), -ENOMEM); /* wraps */
	CHECK_EQ(um_msync(P, X, (1UL << 47) - X, MS_SYNC), -ENOMEM);
	CHECK_EQ(um_msync(P, X, (1UL << 47) - X + PG, MS_SYNC), -ENOMEM);
	CHECK_EQ(um_msync(P, 1UL << 47, PG, MS_SYNC), -ENOMEM);
	CHECK_EQ(um_msync(P, -8192UL, PG, MS_SYNC), -ENOMEM);
	CHECK_EQ(um_msync(P, 0x10000000UL, PG, MS_SYNC), -ENOMEM);
	CHECK_EQ(um_msync(P, 0x10000000UL, PG, 0), -ENOMEM);
	CHECK_EQ(um_msync(P, 0x10000000UL, PG, MS_ASYNC), -ENOMEM);
	CHECK_EQ(um_msync(P, 0x10000000UL, PG, MS_INVALIDATE), -ENOMEM);
	teardown();
	unlink(FILE_NAME);
}

/* [A: shared file 2p][hole][B: anon 2p], then B locked. */
TEST(msync_holes_and_locked_memory)
{
	static const unsigned long fl[] = { 0, MS_ASYNC, MS_SYNC, MS_INVALIDATE,
					    MS_ASYNC | MS_INVALIDATE,
					    MS_SYNC | MS_INVALIDATE };
	long fd;

	setup();
	fd = open_file(4 * PG);
	um_mmap(P, X, 2 * PG, RW, MAP_SHARED | MAP_FIXED, (unsigned long)fd, 0);
	um_mmap(P, X + 3 * PG, 2 * PG, RW, AP, -1, 0);
	for (unsigned i = 0; i < 6; i++) {
		CHECK_EQ(um_msync(P, X, 5 * PG, fl[i]), -ENOMEM);
		CHECK_EQ(um_msync(P, X + 2 * PG, 3 * PG, fl[i]), -ENOMEM);
		CHECK_EQ(um_msync(P, X, 3 * PG, fl[i]), -ENOMEM);
	}
	CHECK_EQ(um_mlock(P, X + 3 * PG, 2 * PG), 0);
	for (unsigned i = 0; i < 6; i++) {
		long want = (fl[i] & MS_INVALIDATE) ? -EBUSY : -ENOMEM;

		CHECK_EQ(um_msync(P, X, 5 * PG, fl[i]), want);
		CHECK_EQ(um_msync(P, X + 2 * PG, 3 * PG, fl[i]), want);
		CHECK_EQ(um_msync(P, X + 3 * PG, 3 * PG, fl[i]), want);
	}
	CHECK_EQ(um_msync(P, X + 3 * PG, 2 * PG, MS_SYNC), 0);
	CHECK_EQ(um_munlock(P, X + 3 * PG, 2 * PG), 0);
	CHECK_EQ(um_mlock2(P, X + 3 * PG, 2 * PG, 1), 0);
	CHECK_EQ(um_msync(P, X + 3 * PG, 2 * PG, MS_INVALIDATE), -EBUSY);
	CHECK_EQ(um_msync(P, VVAR, PG, MS_SYNC | MS_INVALIDATE), 0);
	CHECK_EQ(um_msync(P, VDSO, PG, MS_SYNC), 0);
	CHECK_EQ(um_msync(P, TOP - PG, PG, MS_INVALIDATE), 0);
	teardown();
	unlink(FILE_NAME);
}

TEST(msync_past_eof)
{
	long fd;

	setup();
	fd = open_file(PG);
	um_mmap(P, X, 3 * PG, RW, MAP_SHARED | MAP_FIXED, (unsigned long)fd, 0);
	CHECK_EQ(um_msync(P, X, 3 * PG, MS_SYNC), 0);
	teardown();
	unlink(FILE_NAME);
}

/* ---- mincore ----------------------------------------------------------------- */

TEST(mincore_arguments)
{
	static unsigned char vec[4];
	const char *v;

	setup();
	um_mmap(P, X, 4 * PG, RW, AP, -1, 0);
	CHECK_EQ(mc(X, 4 * PG, 5, &v), 0);
	CHECK_STR(v, "0 0 0 0 ee");
	CHECK_EQ(mc(X + 1, PG, 1, &v), -EINVAL);
	CHECK_STR(v, "ee");
	CHECK_EQ(mc(X, 0, 1, &v), 0);
	CHECK_STR(v, "ee");
	CHECK_EQ(mc(X + 1, 0, 1, &v), -EINVAL);
	CHECK_EQ(mc(0x10000000UL, 0, 1, &v), 0);
	CHECK_EQ(mc(X, 1, 2, &v), 0);
	CHECK_STR(v, "0 ee");
	CHECK_EQ(mc(X, PG + 1, 3, &v), 0);
	CHECK_STR(v, "0 0 ee");
	CHECK_EQ(mc(X, -1UL, 1, &v), -ENOMEM);
	CHECK_EQ(mc(X, -4096UL, 1, &v), -ENOMEM);
	CHECK_EQ(mc(X, TOP - X, 5, &v), -ENOMEM);      /* filled up to the hole */
	CHECK_STR(v, "0 0 0 0 ee");
	CHECK_EQ(mc(X, TOP - X + 1, 5, &v), -ENOMEM);  /* not a user range */
	CHECK_STR(v, "ee ee ee ee ee");
	CHECK_EQ(mc(X, (1UL << 47) - X, 5, &v), -ENOMEM);
	CHECK_STR(v, "ee ee ee ee ee");
	CHECK_EQ(mc(TOP, PG, 1, &v), -ENOMEM);
	CHECK_EQ(mc(TOP - PG, 2 * PG, 2, &v), -ENOMEM);
	CHECK_STR(v, "ee ee");
	CHECK_EQ(mc(0x10000000UL, PG, 1, &v), -ENOMEM);
	/* NULL: a bad vector, found when the first part is copied out */
	CHECK_EQ(um_mincore(P, X, PG, NULL), -EFAULT);
	CHECK_EQ(um_mincore(P, 0x10000000UL, PG, NULL), -ENOMEM);
	CHECK_EQ(um_mincore(P, X, 0, NULL), 0);
	CHECK_EQ(um_mincore(P, X + 1, PG, NULL), -EINVAL);
	CHECK_EQ(um_mincore(P, X, 4 * PG, vec), 0);
	teardown();
}

TEST(mincore_holes_fill_up_to_the_hole)
{
	const char *v;

	setup();
	um_mmap(P, X, 2 * PG, RW, AP, -1, 0);
	um_mmap(P, X + 3 * PG, 2 * PG, RW, AP, -1, 0);
	/* the probe had touched A and B's first page: "1 1 ee..." and "1 0 ee" */
	CHECK_EQ(mc(X, 5 * PG, 6, &v), -ENOMEM);
	CHECK_STR(v, "0 0 ee ee ee ee");
	CHECK_EQ(mc(X + 2 * PG, 3 * PG, 4, &v), -ENOMEM);
	CHECK_STR(v, "ee ee ee ee");
	CHECK_EQ(mc(X, 3 * PG, 4, &v), -ENOMEM);
	CHECK_STR(v, "0 0 ee ee");
	CHECK_EQ(mc(X + 3 * PG, 4 * PG, 5, &v), -ENOMEM);
	CHECK_STR(v, "0 0 ee ee ee");
	teardown();
}

TEST(mincore_locked_memory_is_resident)
{
	const char *v;

	setup();
	um_mmap(P, X, 4 * PG, RW, AP, -1, 0);
	CHECK_EQ(um_mlock(P, X + PG, 2 * PG), 0);
	CHECK_EQ(mc(X, 4 * PG, 4, &v), 0);
	CHECK_STR(v, "0 1 1 0");
	um_munmap(P, X, 4 * PG);
	um_mmap(P, X, 4 * PG, RW, AP, -1, 0);
	CHECK_EQ(um_mlock2(P, X, 4 * PG, 1), 0);
	CHECK_EQ(mc(X, 4 * PG, 4, &v), 0);
	CHECK_STR(v, "0 0 0 0");
	um_munmap(P, X, 4 * PG);
	um_mmap(P, X, 4 * PG, PROT_NONE, AP | MAP_LOCKED, -1, 0);
	CHECK_EQ(mc(X, 4 * PG, 4, &v), 0);
	CHECK_STR(v, "0 0 0 0");
	um_munmap(P, X, 4 * PG);
	um_mmap(P, X, 4 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK_EQ(mc(X, 4 * PG, 4, &v), 0);
	CHECK_STR(v, "0 0 0 0");
	teardown();
}

TEST(mincore_files)
{
	const char *v;
	long fd;

	setup();
	fd = open_file(4 * PG);
	um_mmap(P, X, 4 * PG, RW, MAP_SHARED | MAP_FIXED, (unsigned long)fd, 0);
	CHECK_EQ(mc(X, 4 * PG, 4, &v), 0);
	CHECK_STR(v, "0 0 0 0");
	um_munmap(P, X, 4 * PG);
	um_mmap(P, X, 4 * PG, RW, MAP_PRIVATE | MAP_FIXED, (unsigned long)fd, 0);
	CHECK_EQ(mc(X, 4 * PG, 4, &v), 0);
	CHECK_STR(v, "0 0 0 0");
	um_munmap(P, X, 4 * PG);
	CHECK_EQ(um_ftruncate(P, (unsigned long)fd, PG), 0);
	um_mmap(P, X, 3 * PG, RW, MAP_SHARED | MAP_FIXED | MAP_LOCKED, (unsigned long)fd, 0);
	CHECK_EQ(mc(X, 3 * PG, 3, &v), 0);
	CHECK_STR(v, "1 0 0");
	teardown();
	unlink(FILE_NAME);
}

/* Special mappings have no page cache to hide: Linux reports them all in. */
TEST(mincore_special_mappings)
{
	const char *v;

	setup();
	CHECK_EQ(mc(VVAR, 4 * PG, 4, &v), 0);
	CHECK_STR(v, "1 1 1 1");
	CHECK_EQ(mc(VVAR + 4 * PG, 2 * PG, 2, &v), 0);
	CHECK_STR(v, "1 1");
	CHECK_EQ(mc(VDSO, 2 * PG, 2, &v), 0);
	CHECK_STR(v, "1 1");
	CHECK_EQ(mc(VVAR, 8 * PG, 8, &v), 0);
	CHECK_STR(v, "1 1 1 1 1 1 1 1");
	teardown();
}

int main(void)
{
	RUN(msync_arguments);
	RUN(msync_holes_and_locked_memory);
	RUN(msync_past_eof);
	RUN(mincore_arguments);
	RUN(mincore_holes_fill_up_to_the_hole);
	RUN(mincore_locked_memory_is_resident);
	RUN(mincore_files);
	RUN(mincore_special_mappings);
	return check_summary();
}
