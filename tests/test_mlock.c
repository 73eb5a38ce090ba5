/*
 * test_mlock.c — mlock, mlock2, munlock, mlockall, munlockall against the
 * live kernel's answers.
 *
 * Every expected value here was measured on the live kernel (Linux 6.18
 * x86-64 under `setarch -R`) by tests/probe/p21_mlock.c — as root (which
 * has CAP_IPC_LOCK) and as uid 65534 without capabilities, for the
 * RLIMIT_MEMLOCK cases — and p23_map_count_advice.c; outputs are in
 * tests/probe/out/.  VmLck (kB) is checked as locked_vm (pages); VM_LOCKED
 * shows in maps through the splits and merges it causes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include "usermm.h"
#include "alloc.h"
#include "check.h"

#define PG 4096UL
#define X 0x500000000UL
#define VVAR 0x7ffff7ff7000UL   /* [vvar] 4 pages, [vvar_vclock] 2, [vdso] 2 */
#define VDSO 0x7ffff7ffd000UL
#define SPECIAL_PAGES 8
#define AP (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define RW (PROT_READ | PROT_WRITE)
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

static um_engine *E;
static um_proc *P;

static void setup_cfg(const struct um_proc_config *cfg)
{
	E = um_engine_new(NULL);
	P = um_proc_new(E, cfg);
}

static void setup(void)
{
	setup_cfg(NULL);
}

/* A process with RLIMIT_MEMLOCK = @pages pages and CAP_IPC_LOCK as given. */
static void setup_limited(unsigned long pages, int cap_ipc_lock)
{
	struct um_proc_config c = {
		.set_limits = 1, .rlimit_stack = 8UL << 20,
		.rlimit_as = UM_RLIM_INFINITY, .rlimit_data = UM_RLIM_INFINITY,
		.rlimit_memlock = pages * PG, .cap_ipc_lock = cap_ipc_lock,
	};
	setup_cfg(&c);
}

static void teardown(void)
{
	CHECK_EQ(um_validate(P), 0);
	um_proc_free(P);
	um_engine_free(E);
}

static struct um_stats stats(void)
{
	struct um_stats st;

	um_proc_stats(P, &st);
	return st;
}
#define LOCKED() (stats().locked_vm)

static const char *maps_in(unsigned long lo, unsigned long hi)
{
	static char all[16384], out[8192];
	char *o = out, *l = all;

	um_maps(P, all, sizeof(all));
	*o = 0;
	while (*l) {
		char *e = strchr(l, '\n'), *t;
		unsigned long s = strtoul(l, &t, 16), end = strtoul(t + 1, NULL, 16);

		if (!e)
			break;
		if (s < hi && end > lo) {
			char *z = e;

			while (z > l && z[-1] == ' ')
				z--;
			o += sprintf(o, "%.*s\n", (int)(z - l), l);
		}
		l = e + 1;
	}
	return out;
}

static long open_file(const char *name, unsigned long size)
{
	int h = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (h < 0 || ftruncate(h, (off_t)size) < 0)
		return -1;
	close(h);
	return um_openat(P, AT_FDCWD, name, O_RDWR, 0);
}

/* ---- arguments --------------------------------------------------------------- */

TEST(lengths_and_unaligned_starts)
{
	setup();
	um_mmap(P, X, 4 * PG, RW, AP, -1, 0);
	CHECK_EQ(um_mlock(P, X, 0), 0);
	CHECK_EQ(um_mlock(P, 0x10000000UL, 0), 0);
	/* X+100, one page long: the pages holding bytes 100..4195 */
	CHECK_EQ(um_mlock(P, X + 100, PG), 0);
	CHECK_STR(maps_in(X, X + 4 * PG),
		  "500000000-500002000 rw-p 00000000 00:00 0\n"
		  "500002000-500004000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(LOCKED(), 2);
	CHECK_EQ(um_munlock(P, X + 100, 1), 0);
	CHECK_STR(maps_in(X, X + 4 * PG),
		  "500000000-500001000 rw-p 00000000 00:00 0\n"
		  "500001000-500002000 rw-p 00000000 00:00 0\n"
		  "500002000-500004000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(LOCKED(), 1);
	CHECK_EQ(um_munlock(P, X, 4 * PG), 0);
	CHECK_EQ(um_mlock(P, X, -1UL), 0);          /* rounds up to 0 */
	CHECK_EQ(um_mlock(P, X, -4096UL), -EINVAL); /* wraps */
	CHECK_EQ(um_mlock(P, X + 1, -4096UL), 0);   /* rounds up to 0 */
	CHECK_EQ(um_mlock(P, X, 1UL << 47), -ENOMEM);
	CHECK_STR(maps_in(X, X + 4 * PG), "500000000-500004000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(LOCKED(), 4);                      /* locked up to the hole */
	CHECK_EQ(um_munlock(P, X, 4 * PG), 0);
	CHECK_EQ(um_munlock(P, X, -4096UL), -EINVAL);
	CHECK_EQ(um_munlock(P, 0x10000000UL, PG), -ENOMEM);
	CHECK_EQ(um_munlock(P, 0x10000000UL, 0), 0);
	CHECK_EQ(LOCKED(), 0);
	teardown();
}

TEST(mlock2_flags)
{
	setup();
	um_mmap(P, X, 4 * PG, RW, AP, -1, 0);
	CHECK_EQ(um_mlock2(P, X, PG, 2), -EINVAL);
	CHECK_EQ(um_mlock2(P, X, PG, -1UL), -EINVAL);
	CHECK_EQ(um_mlock2(P, X, 0, 2), -EINVAL);            /* flags first */
	CHECK_EQ(um_mlock2(P, X, 0, 0x100000000UL), 0);       /* an int: 0 */
	CHECK_EQ(um_mlock2(P, X, PG, MLOCK_ONFAULT), 0);
	CHECK_EQ(LOCKED(), 1);
	CHECK_EQ(um_mlock(P, X, 2 * PG), 0);    /* lo+lf page becomes lo: merge */
	CHECK_STR(maps_in(X, X + 4 * PG),
		  "500000000-500002000 rw-p 00000000 00:00 0\n"
		  "500002000-500004000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(LOCKED(), 2);
	CHECK_EQ(um_mlock2(P, X, 2 * PG, MLOCK_ONFAULT), 0);
	CHECK_EQ(LOCKED(), 2);                   /* not counted twice */
	CHECK_EQ(um_munlock(P, X, 4 * PG), 0);
	CHECK_STR(maps_in(X, X + 4 * PG), "500000000-500004000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(LOCKED(), 0);
	teardown();
}

/* ---- splits, merges, holes --------------------------------------------------- */

TEST(split_in_three_and_merge_back)
{
	setup();
	um_mmap(P, X, 4 * PG, RW, AP, -1, 0);
	CHECK_EQ(um_mlock(P, X + PG, 2 * PG), 0);
	CHECK_STR(maps_in(X, X + 4 * PG),
		  "500000000-500001000 rw-p 00000000 00:00 0\n"
		  "500001000-500003000 rw-p 00000000 00:00 0\n"
		  "500003000-500004000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(LOCKED(), 2);
	CHECK_EQ(um_mlock(P, X, 4 * PG), 0);
	CHECK_STR(maps_in(X, X + 4 * PG), "500000000-500004000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(LOCKED(), 4);
	CHECK_EQ(um_munlock(P, X + 2 * PG, PG), 0);
	CHECK_STR(maps_in(X, X + 4 * PG),
		  "500000000-500002000 rw-p 00000000 00:00 0\n"
		  "500002000-500003000 rw-p 00000000 00:00 0\n"
		  "500003000-500004000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(LOCKED(), 3);
	CHECK_EQ(um_munlock(P, X, 4 * PG), 0);
	CHECK_STR(maps_in(X, X + 4 * PG), "500000000-500004000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(LOCKED(), 0);
	CHECK_EQ(um_mlock(P, X + PG, PG), 0);
	CHECK_EQ(um_munmap(P, X + PG, PG), 0);
	CHECK_EQ(LOCKED(), 0);
	teardown();
}

/* [A 2p][hole][B 2p]: the walk stops at the hole, A keeps its new flags. */
TEST(holes)
{
	setup();
	um_mmap(P, X, 2 * PG, RW, AP, -1, 0);
	um_mmap(P, X + 3 * PG, 2 * PG, RW, AP, -1, 0);
	CHECK_EQ(um_mlock(P, X, 5 * PG), -ENOMEM);
	CHECK_EQ(LOCKED(), 2);
	CHECK_EQ(um_munlock(P, X, 5 * PG), -ENOMEM);
	CHECK_EQ(LOCKED(), 0);
	CHECK_EQ(um_mlock(P, X + 2 * PG, 3 * PG), -ENOMEM);   /* starts in the hole */
	CHECK_EQ(LOCKED(), 0);
	CHECK_EQ(um_mlock(P, X, 3 * PG), -ENOMEM);            /* ends in the hole */
	CHECK_EQ(LOCKED(), 2);
	CHECK_EQ(um_munlock(P, X + 2 * PG, 3 * PG), -ENOMEM);
	CHECK_EQ(um_munlock(P, X, 2 * PG), 0);
	CHECK_EQ(LOCKED(), 0);
	CHECK_EQ(um_mlock2(P, X, 5 * PG, MLOCK_ONFAULT), -ENOMEM);
	CHECK_EQ(LOCKED(), 2);
	teardown();
}

/* ---- kinds of memory ------------------------------------------------------------ */

TEST(special_mappings_are_skipped)
{
	setup();
	CHECK_EQ(um_mlock(P, VVAR, 4 * PG), 0);
	CHECK_EQ(um_mlock(P, VDSO, 2 * PG), 0);
	CHECK_EQ(um_mlock(P, VVAR + PG, PG), 0);
	CHECK_EQ(stats().map_count, 4);
	CHECK_EQ(LOCKED(), 0);
	CHECK_EQ(um_munlock(P, VVAR, 8 * PG), 0);
	teardown();
}

/* PROT_NONE memory is never faulted in: mlock locks it, then ENOMEM. */
TEST(prot_none_and_partial_rights)
{
	setup();
	um_mmap(P, X, 2 * PG, PROT_NONE, AP, -1, 0);
	CHECK_EQ(um_mlock(P, X, 2 * PG), -ENOMEM);
	CHECK_EQ(LOCKED(), 2);
	um_munmap(P, X, 2 * PG);
	CHECK_EQ(LOCKED(), 0);
	um_mmap(P, X, 2 * PG, PROT_WRITE, AP, -1, 0);
	CHECK_EQ(um_mlock(P, X, 2 * PG), 0);
	um_munmap(P, X, 2 * PG);
	um_mmap(P, X, 2 * PG, PROT_EXEC, AP, -1, 0);
	CHECK_EQ(um_mlock(P, X, 2 * PG), 0);
	um_munmap(P, X, 2 * PG);
	um_mmap(P, X, 2 * PG, PROT_READ, AP, -1, 0);
	um_mmap(P, X + 2 * PG, 2 * PG, PROT_NONE, AP, -1, 0);
	um_mmap(P, X + 5 * PG, 2 * PG, RW, AP, -1, 0);
	CHECK_EQ(um_mlock(P, X, 7 * PG), -ENOMEM);
	CHECK_EQ(LOCKED(), 4);
	teardown();
}

/* A fault past the end of a file is SIGBUS, which mlock reports as ENOMEM;
 * the VMAs are locked all the same. */
TEST(file_past_eof)
{
	const char *name = "/tmp/usermm_test_mlock";
	long fd;

	setup();
	fd = open_file(name, PG);
	um_mmap(P, X, 3 * PG, RW, MAP_SHARED | MAP_FIXED, (unsigned long)fd, 0);
	CHECK_EQ(um_mlock(P, X, 3 * PG), -ENOMEM);
	CHECK_EQ(LOCKED(), 3);
	CHECK_EQ(um_mlock(P, X, PG), 0);
	CHECK_EQ(um_mlock(P, X + 2 * PG, PG), -ENOMEM);
	CHECK_EQ(um_mlock2(P, X, 3 * PG, MLOCK_ONFAULT), 0);
	um_munlock(P, X, 3 * PG);
	um_munmap(P, X, 3 * PG);
	um_mmap(P, X, 3 * PG, RW, MAP_PRIVATE | MAP_FIXED, (unsigned long)fd, 0);
	CHECK_EQ(um_mlock(P, X, 3 * PG), -ENOMEM);
	CHECK_EQ(LOCKED(), 3);
	um_munmap(P, X, 3 * PG);
	CHECK_EQ(LOCKED(), 0);
	um_mmap(P, X, 3 * PG, RW, MAP_PRIVATE | MAP_FIXED, (unsigned long)fd, 0);
	um_mmap(P, X + 3 * PG, 2 * PG, RW, AP, -1, 0);
	CHECK_EQ(um_mlock(P, X, 5 * PG), -ENOMEM);
	CHECK_EQ(LOCKED(), 5);
	um_munmap(P, X, 5 * PG);
	CHECK(um_mmap(P, X, 3 * PG, RW, MAP_SHARED | MAP_LOCKED | MAP_FIXED,
		      (unsigned long)fd, 0) == (long)X);
	CHECK_EQ(LOCKED(), 3);
	teardown();
	unlink(name);
}

/* mlock faults private writable memory in for writing: each VMA gets an
 * anon_vma, so a page mapped into the hole between two merges with one side
 * only.  MLOCK_ONFAULT faults nothing in. */
TEST(mlock_populates_but_not_onfault)
{
	setup();
	um_mmap(P, X, 2 * PG, RW, AP, -1, 0);
	um_mmap(P, X + 3 * PG, 2 * PG, RW, AP, -1, 0);
	CHECK_EQ(um_mlock(P, X, 2 * PG) | um_mlock(P, X + 3 * PG, 2 * PG) |
		 um_munlock(P, X, 2 * PG) | um_munlock(P, X + 3 * PG, 2 * PG), 0);
	um_mmap(P, X + 2 * PG, PG, RW, AP, -1, 0);
	CHECK_STR(maps_in(X, X + 5 * PG),
		  "500000000-500003000 rw-p 00000000 00:00 0\n"
		  "500003000-500005000 rw-p 00000000 00:00 0\n");
	um_munmap(P, X, 5 * PG);
	um_mmap(P, X, 2 * PG, RW, AP, -1, 0);
	um_mmap(P, X + 3 * PG, 2 * PG, RW, AP, -1, 0);
	CHECK_EQ(um_mlock2(P, X, 2 * PG, 1) | um_mlock2(P, X + 3 * PG, 2 * PG, 1) |
		 um_munlock(P, X, 2 * PG) | um_munlock(P, X + 3 * PG, 2 * PG), 0);
	um_mmap(P, X + 2 * PG, PG, RW, AP, -1, 0);
	CHECK_STR(maps_in(X, X + 5 * PG), "500000000-500005000 rw-p 00000000 00:00 0\n");
	teardown();
}

/* ---- mlockall ---------------------------------------------------------------------- */

TEST(mlockall_flags)
{
	setup();
	CHECK_EQ(um_mlockall(P, 0), -EINVAL);
	CHECK_EQ(um_mlockall(P, MCL_ONFAULT), -EINVAL);
	CHECK_EQ(um_mlockall(P, 8), -EINVAL);
	CHECK_EQ(um_mlockall(P, MCL_CURRENT | 8), -EINVAL);
	CHECK_EQ(um_mlockall(P, -1UL), -EINVAL);
	CHECK_EQ(um_mlockall(P, 0x100000002UL), 0);   /* an int: MCL_FUTURE */
	CHECK_EQ(um_munlockall(P), 0);
	CHECK_EQ(LOCKED(), 0);
	teardown();
}

TEST(mlockall_future)
{
	setup();
	CHECK_EQ(um_mlockall(P, MCL_FUTURE), 0);
	CHECK_EQ(LOCKED(), 0);
	CHECK_EQ(um_mmap(P, X, 2 * PG, RW, AP, -1, 0), (long)X);
	CHECK_EQ(LOCKED(), 2);
	CHECK_EQ(um_mmap(P, X + 2 * PG, PG, PROT_NONE, AP, -1, 0), (long)(X + 2 * PG));
	CHECK_EQ(LOCKED(), 3);
	CHECK_EQ(um_munlock(P, X, 2 * PG), 0);
	CHECK_EQ(LOCKED(), 1);
	um_munmap(P, X, 3 * PG);
	CHECK_EQ(um_mlockall(P, MCL_FUTURE | MCL_ONFAULT), 0);
	um_mmap(P, X, 2 * PG, RW, AP, -1, 0);
	CHECK_EQ(LOCKED(), 2);
	um_munmap(P, X, 2 * PG);
	/* MCL_CURRENT alone drops MCL_FUTURE: the next mapping is not locked */
	CHECK_EQ(um_mlockall(P, MCL_CURRENT), 0);
	CHECK_EQ(LOCKED(), stats().total_vm - SPECIAL_PAGES);
	um_mmap(P, X, 2 * PG, RW, AP, -1, 0);
	CHECK_EQ(LOCKED(), stats().total_vm - SPECIAL_PAGES - 2);
	CHECK_EQ(um_munlockall(P), 0);
	CHECK_EQ(LOCKED(), 0);
	CHECK_EQ(um_mlockall(P, MCL_CURRENT | MCL_ONFAULT), 0);
	CHECK_EQ(LOCKED(), stats().total_vm - SPECIAL_PAGES);
	CHECK_EQ(um_mlockall(P, MCL_FUTURE), 0);   /* current VMAs stay locked */
	CHECK_EQ(LOCKED(), stats().total_vm - SPECIAL_PAGES);
	CHECK_EQ(um_munlockall(P), 0);
	CHECK_EQ(LOCKED(), 0);
	CHECK_EQ(stats().map_count, 5);   /* everything merged back */
	teardown();
}

/* ---- RLIMIT_MEMLOCK (the live kernel run as uid 65534, no capabilities) --- */

TEST(memlock_limit_without_cap_ipc_lock)
{
	setup_limited(8, 0);
	um_mmap(P, X, 16 * PG, RW, AP, -1, 0);
	CHECK_EQ(um_mlock(P, X, 16 * PG), -ENOMEM);
	CHECK_EQ(LOCKED(), 0);
	CHECK_EQ(um_mlock(P, X, 8 * PG), 0);
	CHECK_EQ(LOCKED(), 8);
	CHECK_EQ(um_mlock(P, X, 8 * PG), 0);          /* already locked: free */
	CHECK_EQ(um_mlock(P, X + 4 * PG, 8 * PG), -ENOMEM);
	CHECK_EQ(um_mlock(P, X + 8 * PG, PG), -ENOMEM);
	CHECK_EQ(um_mlock2(P, X + 8 * PG, PG, MLOCK_ONFAULT), -ENOMEM);
	CHECK_EQ(um_mlock(P, X + 8 * PG - 1, 2), -ENOMEM);
	CHECK_EQ(um_mlock(P, X, -4096UL), -ENOMEM);   /* root: EINVAL */
	CHECK_EQ(um_mmap(P, 0, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0),
		 -EAGAIN);
	CHECK_EQ(um_mlockall(P, MCL_CURRENT), -ENOMEM);
	CHECK_EQ(um_mlockall(P, MCL_FUTURE), 0);
	CHECK_EQ(um_mmap(P, 0, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -EAGAIN);
	CHECK_EQ(um_munlockall(P), 0);
	CHECK_EQ(LOCKED(), 0);
	CHECK_EQ(um_munlock(P, X, 4 * PG) | um_mlock(P, X + 8 * PG, 4 * PG), 0);
	CHECK_EQ(LOCKED(), 4);
	CHECK_EQ(um_mlock(P, X + 4 * PG, 12 * PG), -ENOMEM);
	CHECK_EQ(um_mlock(P, X, 16 * PG), -ENOMEM);
	CHECK_EQ(LOCKED(), 4);
	teardown();
}

/* The same calls as root: CAP_IPC_LOCK ignores the limit. */
TEST(memlock_limit_with_cap_ipc_lock)
{
	setup_limited(8, 1);
	um_mmap(P, X, 16 * PG, RW, AP, -1, 0);
	CHECK_EQ(um_mlock(P, X, 16 * PG), 0);
	CHECK_EQ(LOCKED(), 16);
	CHECK_EQ(um_mlock(P, X, -4096UL), -EINVAL);
	CHECK(um_mmap(P, 0, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0) > 0);
	CHECK_EQ(um_mlockall(P, MCL_CURRENT), 0);
	CHECK_EQ(um_munlockall(P), 0);
	CHECK_EQ(LOCKED(), 0);
	teardown();
}

TEST(memlock_limit_zero)
{
	setup_limited(0, 0);
	um_mmap(P, X, 4 * PG, RW, AP, -1, 0);
	CHECK_EQ(um_mlock(P, X, PG), -EPERM);
	CHECK_EQ(um_mlock(P, X, 0), -EPERM);
	CHECK_EQ(um_mlock(P, 0x10000000UL, PG), -EPERM);
	CHECK_EQ(um_mlock2(P, X, PG, 2), -EINVAL);
	CHECK_EQ(um_mlockall(P, MCL_CURRENT), -EPERM);
	CHECK_EQ(um_mlockall(P, MCL_FUTURE), -EPERM);
	CHECK_EQ(um_mlockall(P, 0), -EINVAL);
	CHECK_EQ(um_munlock(P, X, PG), 0);
	CHECK_EQ(um_munlockall(P), 0);
	CHECK_EQ(um_mmap(P, 0, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0),
		 -EPERM);
	teardown();
}

/* ---- max_map_count (p23_map_count_advice) --------------------------------------- */

TEST(split_past_max_map_count)
{
	struct um_engine_config ec = { .overcommit_memory = -1, .thp_enabled = 1,
				       .max_map_count = 5 };

	E = um_engine_new(&ec);
	P = um_proc_new(E, NULL);
	um_mmap(P, X, 4 * PG, RW, AP, -1, 0);
	CHECK_EQ(um_mlock(P, X, PG), -ENOMEM);
	CHECK_EQ(um_mlock(P, X, 4 * PG), 0);
	CHECK_EQ(um_munlock(P, X, PG), -ENOMEM);
	CHECK_EQ(LOCKED(), 4);
	teardown();
}

/* Fault injection: a split that cannot allocate is ENOMEM; populate that
 * cannot allocate the anon_vma is EAGAIN (after the VMA was locked). */
TEST(allocation_failures)
{
	setup();
	um_mmap(P, X, 4 * PG, RW, AP, -1, 0);
	um_fail_nth_alloc(1);
	CHECK_EQ(um_mlock(P, X + PG, PG), -ENOMEM);
	um_fail_nth_alloc(0);
	CHECK_EQ(LOCKED(), 0);
	CHECK_EQ(um_validate(P), 0);
	um_fail_nth_alloc(1);
	CHECK_EQ(um_mlock(P, X, 4 * PG), -EAGAIN);
	um_fail_nth_alloc(0);
	CHECK_EQ(LOCKED(), 4);
	teardown();
}

int main(void)
{
	RUN(lengths_and_unaligned_starts);
	RUN(mlock2_flags);
	RUN(split_in_three_and_merge_back);
	RUN(holes);
	RUN(special_mappings_are_skipped);
	RUN(prot_none_and_partial_rights);
	RUN(file_past_eof);
	RUN(mlock_populates_but_not_onfault);
	RUN(mlockall_flags);
	RUN(mlockall_future);
	RUN(memlock_limit_without_cap_ipc_lock);
	RUN(memlock_limit_with_cap_ipc_lock);
	RUN(memlock_limit_zero);
	RUN(split_past_max_map_count);
	RUN(allocation_failures);
	return check_summary();
}
