/*
 * test_mremap.c — mremap(2) against the live kernel's answers.
 *
 * Every expected value below was printed by the live kernel (Linux 6.18,
 * x86-64) running tests/probe/mremap_probe.c under `setarch -R`, as root
 * and as uid 65534 without capabilities (outputs kept in
 * tests/probe/out/mremap_probe.{root,user}.txt).  Each TEST mirrors the
 * probe case of the same number, on a fresh process: the default usermm
 * process has the layout of that static probe (its own mappings lie below
 * 0x500000000), so addresses chosen without a hint are the same.
 *
 * Maps lines are compared after region() normalises what differs between
 * machines: a file's device and inode print as "DEV INO", a shmem inode as
 * "INO", the test file's path as "FILE", and name padding as one space.
 *
 *   X = 0x500000000, Y = 0x600000000, T = 0x7ffff7ff7000 (start of [vvar],
 *   the top of the mmap area); "p" = pages.
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
#define MiB (1UL << 20)
#define X 0x500000000UL
#define Y 0x600000000UL
#define T 0x7ffff7ff7000UL
#define TASK_SIZE 0x7ffffffff000UL
#define AP (MAP_PRIVATE | MAP_ANONYMOUS)
#define AS (MAP_SHARED | MAP_ANONYMOUS)
#define FX MAP_FIXED
#define RW (PROT_READ | PROT_WRITE)
#define R PROT_READ
#define MAY 1UL  /* MREMAP_MAYMOVE */
#define FIX 2UL  /* MREMAP_FIXED */
#define DU 4UL   /* MREMAP_DONTUNMAP */

static char file_path[64];   /* an 8-page host file */

/* ---- helpers ----------------------------------------------------------------- */

static char maps_raw[1 << 16], region_buf[1 << 14];

/* The maps lines overlapping [lo, hi), normalised (see the top). */
static const char *region(um_proc *p, unsigned long lo, unsigned long hi)
{
	char *out = region_buf, *l = maps_raw;

	um_maps(p, maps_raw, sizeof(maps_raw));
	*out = 0;
	while (*l) {
		char *e = strchr(l, '\n'), perms[8], dev[8], *name;
		unsigned long s, t, ino;
		unsigned long long off;
		int n = 0;

		if (!e)
			break;
		*e = 0;
		if (sscanf(l, "%lx-%lx %7s %llx %7s %lu %n", &s, &t, perms, &off,
			   dev, &ino, &n) >= 6 && s < hi && t > lo) {
			name = n ? l + n : (char *)"";
			while (*name == ' ')
				name++;
			if (!strcmp(name, file_path))
				name = (char *)"FILE";
			out += sprintf(out, "%08lx-%08lx %s %08llx %s%s%s\n", s, t, perms, off,
				       !strcmp(dev, "00:00") ? "00:00 0" :
				       !strcmp(dev, "00:01") ? "00:01 INO" : "DEV INO",
				       *name ? " " : "", name);
		}
		l = e + 1;
	}
	return region_buf;
}

static struct um_stats st_;
static unsigned long tvm(um_proc *p) { um_proc_stats(p, &st_); return st_.total_vm; }
static unsigned long lvm(um_proc *p) { um_proc_stats(p, &st_); return st_.locked_vm; }
static unsigned long nvma(um_proc *p) { um_proc_stats(p, &st_); return st_.map_count; }

static long mm(um_proc *p, unsigned long a, unsigned long len, unsigned long prot,
	       unsigned long flags)
{
	return um_mmap(p, a, len, prot, flags, (unsigned long)-1, 0);
}

static long fmm(um_proc *p, unsigned long a, unsigned long len, unsigned long prot,
		unsigned long flags, unsigned long off)
{
	long fd = um_openat(p, AT_FDCWD, file_path, O_RDWR, 0), r;

	r = um_mmap(p, a, len, prot, flags, (unsigned long)fd, off);
	um_close(p, (unsigned long)fd);
	return r;
}

/* Unmap what the probe's clean() unmaps: X, Y and the top of the mmap area. */
static void clean(um_proc *p)
{
	um_munmap(p, X - 64 * PG, 0x1000000000UL);
	um_munmap(p, T - 8 * MiB, 8 * MiB);
}

/* Limits and capabilities fixed, as the probe's unprivileged run had them
 * (RLIMIT_MEMLOCK 8 MiB, no capabilities); root = 1 gives all of them. */
static struct um_proc_config fixed_cfg(int root)
{
	struct um_proc_config c = {
		.rlimit_stack = 8 * MiB, .rlimit_as = UM_RLIM_INFINITY,
		.rlimit_data = UM_RLIM_INFINITY, .rlimit_memlock = 8 * MiB,
		.set_limits = 1, .cap_ipc_lock = root, .cap_sys_rawio = root,
		.cap_sys_resource = root,
	};
	return c;
}

/* ---- c01: argument checks ---------------------------------------------------- */

TEST(c01_argument_checks)
{
	static const struct {
		const char *what;
		unsigned long addr, old_len, new_len, flags, new_addr;
		long want;
	} cases[] = {
		{ "flags 0x8", X, PG, 2 * PG, 0x8, 0, -EINVAL },
		{ "flags 0x8, old addr in a hole", X + 64 * PG, PG, 2 * PG, MAY | 0x8, 0, -EINVAL },
		{ "FIXED without MAYMOVE", X, PG, PG, FIX, Y, -EINVAL },
		{ "DONTUNMAP without MAYMOVE", X, PG, PG, DU, 0, -EINVAL },
		{ "MAYMOVE|DONTUNMAP 1p->2p", X, PG, 2 * PG, MAY | DU, 0, -EINVAL },
		{ "old addr X+1", X + 1, PG, 2 * PG, MAY, 0, -EINVAL },
		{ "new_len 0", X, PG, 0, MAY, 0, -EINVAL },
		{ "new_len ~0 (rounds to 0)", X, PG, ~0UL, MAY, 0, -EINVAL },
		{ "new_len 1<<47, no flags", X, PG, 1UL << 47, 0, 0, -EINVAL },
		{ "new_len TASK_SIZE, no flags", X, PG, TASK_SIZE, 0, 0, -ENOMEM },
		{ "new_len TASK_SIZE, MAYMOVE", X, PG, TASK_SIZE, MAY, 0, -ENOMEM },
		{ "FIXED new addr Y+1", X, PG, PG, MAY | FIX, Y + 1, -EINVAL },
		{ "FIXED overlapping", X, 2 * PG, 2 * PG, MAY | FIX, X + PG, -EINVAL },
		{ "FIXED overlapping, old addr in a hole", X + 64 * PG, 2 * PG, 2 * PG,
		  MAY | FIX, X + 65 * PG, -EINVAL },
		{ "FIXED end > TASK_SIZE", X, PG, 2 * PG, MAY | FIX, TASK_SIZE, -EINVAL },
		{ "FIXED new 0x800000000000", X, PG, PG, MAY | FIX, 0x800000000000UL, -EINVAL },
		{ "old addr in a hole, grow MAYMOVE", X + 8 * PG, PG, 2 * PG, MAY, 0, -EFAULT },
		{ "old addr in a hole, shrink", X + 8 * PG, 2 * PG, PG, 0, 0, -EFAULT },
		{ "old addr in a hole, same size", X + 8 * PG, PG, PG, 0, 0, -EFAULT },
		{ "old_len ~0 (rounds to 0) on private", X, ~0UL, PG, MAY, 0, -EINVAL },
		{ "same size 4p, no flags", X, 4 * PG, 4 * PG, 0, 0, (long)X },
		{ "same size, range beyond the vma", X + 3 * PG, 4 * PG, 4 * PG, 0, 0,
		  (long)(X + 3 * PG) },
		{ "old_len 1 -> 4096", X, 1, PG, 0, 0, (long)X },
	};
	um_engine *e = um_engine_new(NULL);
	um_proc *p = um_proc_new(e, NULL);
	unsigned long base = tvm(p);
	size_t i;

	CHECK_EQ(mm(p, X, 4 * PG, RW, AP | FX), X);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long r = um_mremap(p, cases[i].addr, cases[i].old_len, cases[i].new_len,
				   cases[i].flags, cases[i].new_addr);
		if (r != cases[i].want)
			fprintf(stderr, "  case \"%s\"\n", cases[i].what);
		CHECK_EQ(r, cases[i].want);
	}
	/* The VMA checks come before MREMAP_FIXED unmaps the destination. */
	CHECK_EQ(mm(p, Y, PG, R, AP | FX), Y);
	CHECK_EQ(um_mremap(p, X, 0, PG, MAY | FIX, Y), -EINVAL);
	CHECK_STR(region(p, Y, Y + PG), "600000000-600001000 r--p 00000000 00:00 0\n");
	/* The exact line, trailing space included. */
	um_maps(p, maps_raw, sizeof(maps_raw));
	CHECK(strstr(maps_raw, "500000000-500004000 rw-p 00000000 00:00 0 \n") != NULL);
	CHECK_EQ(tvm(p) - base, 5);
	um_proc_free(p);
	um_engine_free(e);
}

/* FIXED to address 0: below mmap_min_addr, EPERM without CAP_SYS_RAWIO (the
 * destination was unmapped first; the source stays), allowed with it. */
TEST(c01_new_addr_zero)
{
	um_engine *e = um_engine_new(NULL);
	struct um_proc_config user = fixed_cfg(0), root = fixed_cfg(1);
	um_proc *p = um_proc_new(e, &user);

	mm(p, X, 4 * PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X + 3 * PG, PG, PG, MAY | FIX, 0), -EPERM);
	CHECK_STR(region(p, 0, X + 4 * PG), "500000000-500004000 rw-p 00000000 00:00 0\n");
	um_proc_free(p);
	p = um_proc_new(e, &root);
	mm(p, X, 4 * PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X + 3 * PG, PG, PG, MAY | FIX, 0), 0);
	CHECK_STR(region(p, 0, X + 4 * PG),
		  "00000000-00001000 rw-p 00000000 00:00 0\n"
		  "500000000-500003000 rw-p 00000000 00:00 0\n");
	um_proc_free(p);
	um_engine_free(e);
}

/* ---- c02: shrinking in place ---------------------------------------------------- */

TEST(c02_shrink)
{
	um_engine *e = um_engine_new(NULL);
	um_proc *p = um_proc_new(e, NULL);
	unsigned long base = tvm(p);

	/* [XXXX] -> [X] */
	mm(p, X, 4 * PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X, 4 * PG, PG, 0, 0), X);
	CHECK_STR(region(p, X, X + 4 * PG), "500000000-500001000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(tvm(p) - base, 1);
	clean(p);
	/* [X(XX)X] -> [XX] [X]: the tail of the range inside the VMA goes */
	mm(p, X, 4 * PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X + PG, 2 * PG, PG, 0, 0), X + PG);
	CHECK_STR(region(p, X, X + 4 * PG),
		  "500000000-500002000 rw-p 00000000 00:00 0\n"
		  "500003000-500004000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* [AA][BB] -> [A]: a shrink may span VMAs */
	mm(p, X, 2 * PG, RW, AP | FX);
	mm(p, X + 2 * PG, 2 * PG, R, AP | FX);
	CHECK_EQ(um_mremap(p, X, 4 * PG, PG, 0, 0), X);
	CHECK_STR(region(p, X, X + 4 * PG), "500000000-500001000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* [AA]_[BB] 5p -> 3p: and holes */
	mm(p, X, 2 * PG, RW, AP | FX);
	mm(p, X + 3 * PG, 2 * PG, R, AP | FX);
	CHECK_EQ(um_mremap(p, X, 5 * PG, 3 * PG, MAY, 0), X);
	CHECK_STR(region(p, X, X + 5 * PG), "500000000-500002000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(tvm(p) - base, 2);
	clean(p);
	um_proc_free(p);
	um_engine_free(e);
}

/* ---- c03: growing in place -------------------------------------------------------- */

TEST(c03_grow_in_place)
{
	um_engine *e = um_engine_new(NULL);
	um_proc *p = um_proc_new(e, NULL);
	unsigned long base = tvm(p);

	/* [AA]__[rr] -> [AAAA][rr] */
	mm(p, X, 2 * PG, RW, AP | FX);
	mm(p, X + 4 * PG, 2 * PG, R, AP | FX);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 4 * PG, 0, 0), X);
	CHECK_STR(region(p, X, X + 6 * PG),
		  "500000000-500004000 rw-p 00000000 00:00 0\n"
		  "500004000-500006000 r--p 00000000 00:00 0\n");
	CHECK_EQ(um_mremap(p, X, 4 * PG, 5 * PG, 0, 0), -ENOMEM);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 3 * PG, 0, 0), -ENOMEM);
	CHECK_EQ(tvm(p) - base, 6);
	clean(p);
	/* [AA]__[AA] -> one VMA (the growth merges with next) */
	mm(p, X, 2 * PG, RW, AP | FX);
	mm(p, X + 4 * PG, 2 * PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 4 * PG, 0, 0), X);
	CHECK_STR(region(p, X, X + 6 * PG), "500000000-500006000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* populated, up to an unpopulated next: still one VMA */
	mm(p, X, 2 * PG, RW, AP | FX | MAP_POPULATE);
	mm(p, X + 4 * PG, 2 * PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 4 * PG, 0, 0), X);
	CHECK_STR(region(p, X, X + 6 * PG), "500000000-500006000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* both populated: two anon_vmas, no merge */
	mm(p, X, 2 * PG, RW, AP | FX | MAP_POPULATE);
	mm(p, X + 4 * PG, 2 * PG, RW, AP | FX | MAP_POPULATE);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 4 * PG, 0, 0), X);
	CHECK_STR(region(p, X, X + 6 * PG),
		  "500000000-500004000 rw-p 00000000 00:00 0\n"
		  "500004000-500006000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* up to a GROWSDOWN VMA: its guard gap does not stop an in-place grow */
	mm(p, X, 2 * PG, RW, AP | FX);
	mm(p, X + 4 * PG, 2 * PG, RW, AP | FX | MAP_GROWSDOWN);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 4 * PG, 0, 0), X);
	CHECK_STR(region(p, X, X + 6 * PG),
		  "500000000-500004000 rw-p 00000000 00:00 0\n"
		  "500004000-500006000 rw-p 00000000 00:00 0\n");
	clean(p);
	mm(p, X, 2 * PG, RW, AS | FX);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 4 * PG, 0, 0), X);
	CHECK_STR(region(p, X, X + 6 * PG),
		  "500000000-500004000 rw-s 00000000 00:01 INO /dev/zero (deleted)\n");
	clean(p);
	/* a file mapping may grow past the end of the file */
	CHECK_EQ(fmm(p, X, 2 * PG, R, MAP_SHARED | FX, 6 * PG), X);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 4 * PG, 0, 0), X);
	CHECK_STR(region(p, X, X + 6 * PG), "500000000-500004000 r--s 00006000 DEV INO FILE\n");
	CHECK_EQ(tvm(p) - base, 4);
	clean(p);
	/* a grow may not span VMAs, even with a new address */
	mm(p, X, 2 * PG, RW, AP | FX);
	mm(p, X + 2 * PG, 2 * PG, R, AP | FX);
	CHECK_EQ(um_mremap(p, X, 4 * PG, 6 * PG, MAY, 0), -EFAULT);
	CHECK_EQ(um_mremap(p, X, 4 * PG, 6 * PG, 0, 0), -EFAULT);
	CHECK_EQ(um_mremap(p, X + PG, 2 * PG, 4 * PG, MAY | FIX, Y), -EFAULT);
	CHECK_STR(region(p, X, Y + 4 * PG),
		  "500000000-500002000 rw-p 00000000 00:00 0\n"
		  "500002000-500004000 r--p 00000000 00:00 0\n");
	clean(p);
	um_proc_free(p);
	um_engine_free(e);
}

/* ---- c04: MREMAP_MAYMOVE ------------------------------------------------------------ */

TEST(c04_maymove)
{
	um_engine *e = um_engine_new(NULL);
	um_proc *p = um_proc_new(e, NULL);
	unsigned long base = tvm(p);
	long r;

	/* blocked above: moves to the top of the mmap area */
	mm(p, X, 2 * PG, RW, AP | FX);
	mm(p, X + 2 * PG, PG, R, AP | FX);
	r = um_mremap(p, X, 2 * PG, 3 * PG, MAY, 0);
	CHECK_EQ(r, 0x7ffff7ff4000UL);
	CHECK_STR(region(p, X, X + 3 * PG), "500002000-500003000 r--p 00000000 00:00 0\n");
	CHECK_STR(region(p, r - PG, T), "7ffff7ff4000-7ffff7ff7000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(tvm(p) - base, 4);
	/* unfaulted: pgoff follows the address, so the next one merges below */
	mm(p, X, 2 * PG, RW, AP | FX);
	r = um_mremap(p, X, 2 * PG, 3 * PG, MAY, 0);
	CHECK_EQ(r, 0x7ffff7ff1000UL);
	CHECK_STR(region(p, r - PG, T), "7ffff7ff1000-7ffff7ff7000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* populated: pgoff is kept, no merge */
	mm(p, X, 2 * PG, RW, AP | FX | MAP_POPULATE);
	mm(p, X + 2 * PG, PG, R, AP | FX);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 3 * PG, MAY, 0), 0x7ffff7ff4000UL);
	mm(p, X, 2 * PG, RW, AP | FX | MAP_POPULATE);
	r = um_mremap(p, X, 2 * PG, 3 * PG, MAY, 0);
	CHECK_EQ(r, 0x7ffff7ff1000UL);
	CHECK_STR(region(p, r - PG, T),
		  "7ffff7ff1000-7ffff7ff4000 rw-p 00000000 00:00 0\n"
		  "7ffff7ff4000-7ffff7ff7000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* a destination of a multiple of 2 MiB is THP-aligned */
	mm(p, X, 2 * MiB, RW, AP | FX);
	mm(p, X + 2 * MiB, PG, R, AP | FX);
	r = um_mremap(p, X, 2 * MiB, 4 * MiB, MAY, 0);
	CHECK_EQ(r, 0x7ffff7a00000UL);
	CHECK_STR(region(p, r, T), "7ffff7a00000-7ffff7e00000 rw-p 00000000 00:00 0\n");
	um_munmap(p, r, 4 * MiB);
	mm(p, X, 2 * MiB, RW, AP | FX);
	r = um_mremap(p, X, 2 * MiB, 3 * MiB, MAY, 0);
	CHECK_EQ(r, 0x7ffff7cf7000UL);
	CHECK_STR(region(p, r, T), "7ffff7cf7000-7ffff7ff7000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* MAYMOVE does not move what need not move */
	mm(p, X, 4 * PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X, 4 * PG, 4 * PG, MAY, 0), X);
	CHECK_EQ(um_mremap(p, X, 4 * PG, 2 * PG, MAY, 0), X);
	CHECK_STR(region(p, X, X + 4 * PG), "500000000-500002000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* shared: moved part keeps its offset in the shmem object */
	mm(p, X, 2 * PG, RW, AS | FX);
	mm(p, X + 2 * PG, PG, R, AP | FX);
	r = um_mremap(p, X + PG, PG, 3 * PG, MAY, 0);
	CHECK_EQ(r, 0x7ffff7ff4000UL);
	CHECK_STR(region(p, X, X + 3 * PG),
		  "500000000-500001000 rw-s 00000000 00:01 INO /dev/zero (deleted)\n"
		  "500002000-500003000 r--p 00000000 00:00 0\n");
	CHECK_STR(region(p, r, T),
		  "7ffff7ff4000-7ffff7ff7000 rw-s 00001000 00:01 INO /dev/zero (deleted)\n");
	clean(p);
	CHECK_EQ(fmm(p, X, 2 * PG, R, MAP_PRIVATE | FX, 2 * PG), X);
	mm(p, X + 2 * PG, PG, R, AP | FX);
	r = um_mremap(p, X, 2 * PG, 3 * PG, MAY, 0);
	CHECK_EQ(r, 0x7ffff7ff4000UL);
	CHECK_STR(region(p, r, T), "7ffff7ff4000-7ffff7ff7000 r--p 00002000 DEV INO FILE\n");
	CHECK_EQ(tvm(p) - base, 4);
	clean(p);
	um_proc_free(p);
	um_engine_free(e);
}

/* ---- c05: MREMAP_FIXED ----------------------------------------------------------------- */

TEST(c05_fixed)
{
	um_engine *e = um_engine_new(NULL);
	um_proc *p = um_proc_new(e, NULL);
	unsigned long base = tvm(p);

	mm(p, X, 4 * PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X, 4 * PG, 4 * PG, MAY | FIX, Y), Y);
	CHECK_STR(region(p, X, X + 4 * PG), "");
	CHECK_STR(region(p, Y, Y + 4 * PG), "600000000-600004000 rw-p 00000000 00:00 0\n");
	/* the destination is unmapped first: half of the RW at Y goes */
	mm(p, X, 4 * PG, R, AP | FX);
	CHECK_EQ(um_mremap(p, X, 4 * PG, 4 * PG, MAY | FIX, Y + 2 * PG), Y + 2 * PG);
	CHECK_STR(region(p, Y, Y + 8 * PG),
		  "600000000-600002000 rw-p 00000000 00:00 0\n"
		  "600002000-600006000 r--p 00000000 00:00 0\n");
	CHECK_EQ(tvm(p) - base, 6);
	clean(p);
	mm(p, X, 4 * PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X, 4 * PG, 8 * PG, MAY | FIX, Y), Y);
	CHECK_EQ(um_mremap(p, Y, 8 * PG, 2 * PG, MAY | FIX, X), X);
	CHECK_STR(region(p, X, Y + 8 * PG), "500000000-500002000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(tvm(p) - base, 2);
	clean(p);
	/* adjacent below: the copy merges into the source, which is then cut */
	mm(p, X, 4 * PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X, PG, PG, MAY | FIX, X - PG), X - PG);
	CHECK_STR(region(p, X - PG, X + 4 * PG),
		  "4fffff000-500000000 rw-p 00000000 00:00 0\n"
		  "500001000-500004000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* into a 1-page hole between a compatible VMA and the source: all three
	 * merge (the source VMA is absorbed), then the source page is cut out */
	mm(p, X - 2 * PG, PG, RW, AP | FX);
	mm(p, X, 2 * PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X, PG, PG, MAY | FIX, X - PG), X - PG);
	CHECK_STR(region(p, X - 2 * PG, X + 4 * PG),
		  "4ffffe000-500000000 rw-p 00000000 00:00 0\n"
		  "500001000-500002000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* adjacent above: [AAAA]  ->  __[AAAA] */
	mm(p, X, 4 * PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 2 * PG, MAY | FIX, X + 4 * PG), X + 4 * PG);
	CHECK_STR(region(p, X, X + 8 * PG), "500002000-500006000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* unpopulated merges with an unpopulated neighbour at the destination */
	mm(p, Y - 2 * PG, 2 * PG, RW, AP | FX);
	mm(p, X, 2 * PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 2 * PG, MAY | FIX, Y), Y);
	CHECK_STR(region(p, Y - 2 * PG, Y + 2 * PG), "5ffffe000-600002000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* populated keeps its pgoff: no merge */
	mm(p, Y - 2 * PG, 2 * PG, RW, AP | FX);
	mm(p, X, 2 * PG, RW, AP | FX | MAP_POPULATE);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 2 * PG, MAY | FIX, Y), Y);
	CHECK_STR(region(p, Y - 2 * PG, Y + 2 * PG),
		  "5ffffe000-600000000 rw-p 00000000 00:00 0\n"
		  "600000000-600002000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* same size + FIXED: several VMAs move at once */
	mm(p, X, 2 * PG, RW, AP | FX);
	mm(p, X + 2 * PG, 2 * PG, R, AP | FX);
	CHECK_EQ(um_mremap(p, X, 4 * PG, 4 * PG, MAY | FIX, Y), Y);
	CHECK_STR(region(p, X, Y + 8 * PG),
		  "600000000-600002000 rw-p 00000000 00:00 0\n"
		  "600002000-600004000 r--p 00000000 00:00 0\n");
	clean(p);
	/* a FIXED shrink may span VMAs: only what remains must be in one */
	mm(p, X, 2 * PG, RW, AP | FX);
	mm(p, X + 2 * PG, 2 * PG, R, AP | FX);
	CHECK_EQ(um_mremap(p, X, 4 * PG, PG, MAY | FIX, Y), Y);
	CHECK_STR(region(p, X, Y + 8 * PG), "600000000-600001000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* ... keeping holes; what lies in a hole's target stays */
	mm(p, X, 2 * PG, RW, AP | FX);
	mm(p, X + 3 * PG, 2 * PG, R, AP | FX);
	mm(p, Y + 2 * PG, PG, PROT_NONE, AP | FX);
	CHECK_EQ(um_mremap(p, X, 5 * PG, 5 * PG, MAY | FIX, Y), Y);
	CHECK_STR(region(p, X, Y + 8 * PG),
		  "600000000-600002000 rw-p 00000000 00:00 0\n"
		  "600002000-600003000 ---p 00000000 00:00 0\n"
		  "600003000-600005000 r--p 00000000 00:00 0\n");
	clean(p);
	mm(p, X, 2 * PG, RW, AP | FX);
	mm(p, X + 3 * PG, 2 * PG, R, AP | FX);
	CHECK_EQ(um_mremap(p, X - PG, 6 * PG, 6 * PG, MAY | FIX, Y), -EFAULT);
	CHECK_EQ(um_mremap(p, X, 5 * PG, 6 * PG, MAY | FIX, Y), -EFAULT);
	CHECK_EQ(um_mremap(p, X, 5 * PG, 4 * PG, MAY | FIX, Y), -EFAULT);
	CHECK_EQ(um_mremap(p, X + PG, 3 * PG, 3 * PG, MAY | FIX, Y), Y);
	CHECK_STR(region(p, X, Y + 8 * PG),
		  "500000000-500001000 rw-p 00000000 00:00 0\n"
		  "500004000-500005000 r--p 00000000 00:00 0\n"
		  "600000000-600001000 rw-p 00000000 00:00 0\n"
		  "600002000-600003000 r--p 00000000 00:00 0\n");
	clean(p);
	CHECK_EQ(fmm(p, X, 2 * PG, R, MAP_PRIVATE | FX, 0), X);
	CHECK_EQ(fmm(p, X + 2 * PG, 2 * PG, R, MAP_PRIVATE | FX, 4 * PG), X + 2 * PG);
	CHECK_EQ(um_mremap(p, X, 4 * PG, 4 * PG, MAY | FIX, Y), Y);
	CHECK_STR(region(p, X, Y + 8 * PG),
		  "600000000-600002000 r--p 00000000 DEV INO FILE\n"
		  "600002000-600004000 r--p 00004000 DEV INO FILE\n");
	CHECK_EQ(tvm(p) - base, 4);
	clean(p);
	um_proc_free(p);
	um_engine_free(e);
}

/* ---- c06: MREMAP_DONTUNMAP --------------------------------------------------------- */

TEST(c06_dontunmap)
{
	um_engine *e = um_engine_new(NULL);
	um_proc *p = um_proc_new(e, NULL);
	unsigned long base = tvm(p), lbase = lvm(p);
	long r;

	mm(p, X, 2 * PG, RW, AP | FX | MAP_POPULATE);
	r = um_mremap(p, X, 2 * PG, 2 * PG, MAY | DU, 0);
	CHECK_EQ(r, 0x7ffff7ff5000UL);
	CHECK_STR(region(p, X, X + 2 * PG), "500000000-500002000 rw-p 00000000 00:00 0\n");
	CHECK_STR(region(p, r, T), "7ffff7ff5000-7ffff7ff7000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(tvm(p) - base, 4);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 2 * PG, MAY | DU | FIX, Y), Y);
	CHECK_STR(region(p, X, Y + 4 * PG),
		  "500000000-500002000 rw-p 00000000 00:00 0\n"
		  "600000000-600002000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(tvm(p) - base, 6);
	clean(p);
	/* not only private anonymous memory */
	mm(p, X, 2 * PG, RW, AS | FX);
	r = um_mremap(p, X, 2 * PG, 2 * PG, MAY | DU, 0);
	CHECK_EQ(r, 0x7ffff7ff5000UL);
	CHECK_STR(region(p, X, X + 2 * PG),
		  "500000000-500002000 rw-s 00000000 00:01 INO /dev/zero (deleted)\n");
	CHECK_STR(region(p, r, T),
		  "7ffff7ff5000-7ffff7ff7000 rw-s 00000000 00:01 INO /dev/zero (deleted)\n");
	clean(p);
	CHECK_EQ(fmm(p, X, 2 * PG, R, MAP_SHARED | FX, PG), X);
	r = um_mremap(p, X, 2 * PG, 2 * PG, MAY | DU, 0);
	CHECK_EQ(r, 0x7ffff7ff5000UL);
	CHECK_STR(region(p, r, T), "7ffff7ff5000-7ffff7ff7000 r--s 00001000 DEV INO FILE\n");
	clean(p);
	/* part of a VMA: the old VMA is not split */
	mm(p, X, 4 * PG, RW, AP | FX | MAP_POPULATE);
	r = um_mremap(p, X + PG, 2 * PG, 2 * PG, MAY | DU, 0);
	CHECK_EQ(r, 0x7ffff7ff5000UL);
	CHECK_STR(region(p, X, X + 4 * PG), "500000000-500004000 rw-p 00000000 00:00 0\n");
	CHECK_STR(region(p, r, T), "7ffff7ff5000-7ffff7ff7000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* adjacent above: the copy merges into the old VMA */
	mm(p, X, 2 * PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 2 * PG, MAY | DU | FIX, X + 2 * PG), X + 2 * PG);
	CHECK_STR(region(p, X, X + 4 * PG), "500000000-500004000 rw-p 00000000 00:00 0\n");
	clean(p);
	/* locked: the copy is locked and counted; the old VMA is unlocked but
	 * stays counted in locked_vm, even once unmapped */
	CHECK_EQ(tvm(p) - base, 0);
	mm(p, X, 4 * PG, RW, AP | FX | MAP_LOCKED);
	CHECK_EQ(lvm(p) - lbase, 4);
	r = um_mremap(p, X, PG, PG, MAY | DU, 0);
	CHECK_EQ(r, 0x7ffff7ff6000UL);
	CHECK_EQ(tvm(p) - base, 5);
	CHECK_EQ(lvm(p) - lbase, 5);
	CHECK_STR(region(p, X, X + 4 * PG), "500000000-500004000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(um_munmap(p, r, PG), 0);
	CHECK_EQ(um_munmap(p, X, 4 * PG), 0);
	CHECK_EQ(tvm(p) - base, 0);
	CHECK_EQ(lvm(p) - lbase, 4);
	clean(p);
	um_proc_free(p);
	um_engine_free(e);
}

/* ---- c07: old_len 0 duplicates a shared mapping -------------------------------------- */

TEST(c07_duplicate)
{
	um_engine *e = um_engine_new(NULL);
	um_proc *p = um_proc_new(e, NULL);
	unsigned long base = tvm(p);
	long r;

	mm(p, X, 2 * PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X, 0, 2 * PG, MAY, 0), -EINVAL);
	CHECK_EQ(um_mremap(p, X, 0, 2 * PG, 0, 0), -EINVAL);
	mm(p, Y, 2 * PG, RW, AS | FX);
	CHECK_EQ(tvm(p) - base, 4);
	CHECK_EQ(um_mremap(p, Y, 0, 2 * PG, 0, 0), -ENOMEM);
	r = um_mremap(p, Y, 0, 2 * PG, MAY, 0);
	CHECK_EQ(r, 0x7ffff7ff5000UL);
	CHECK_STR(region(p, r, T),
		  "7ffff7ff5000-7ffff7ff7000 rw-s 00000000 00:01 INO /dev/zero (deleted)\n");
	CHECK_STR(region(p, Y, Y + 2 * PG),
		  "600000000-600002000 rw-s 00000000 00:01 INO /dev/zero (deleted)\n");
	CHECK_EQ(tvm(p) - base, 6);
	r = um_mremap(p, Y + PG, 0, 3 * PG, MAY, 0);
	CHECK_EQ(r, 0x7ffff7ff2000UL);
	CHECK_STR(region(p, r, r + 3 * PG),
		  "7ffff7ff2000-7ffff7ff5000 rw-s 00001000 00:01 INO /dev/zero (deleted)\n");
	CHECK_EQ(um_mremap(p, Y, 0, PG, MAY | FIX, Y + 16 * PG), Y + 16 * PG);
	CHECK_STR(region(p, Y, Y + 32 * PG),
		  "600000000-600002000 rw-s 00000000 00:01 INO /dev/zero (deleted)\n"
		  "600010000-600011000 rw-s 00000000 00:01 INO /dev/zero (deleted)\n");
	CHECK_EQ(um_mremap(p, Y, 0, PG, MAY | DU, 0), -EINVAL);
	CHECK_EQ(tvm(p) - base, 10);
	clean(p);
	um_proc_free(p);
	um_engine_free(e);
}

/* ---- c08: VM_LOCKED growth and RLIMIT_MEMLOCK ---------------------------------------- */

static void locked_sequence(int root)
{
	um_engine *e = um_engine_new(NULL);
	struct um_proc_config cfg = fixed_cfg(root);
	um_proc *p = um_proc_new(e, &cfg);
	unsigned long base = tvm(p);

	CHECK_EQ(mm(p, X, 2 * PG, RW, AP | FX | MAP_LOCKED), X);
	CHECK_EQ(lvm(p), 2);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 4 * PG, 0, 0), X);
	CHECK_EQ(lvm(p), 4);
	CHECK_EQ(tvm(p) - base, 4);
	CHECK_EQ(um_mremap(p, X, 4 * PG, 6 * PG, MAY | FIX, Y), Y);
	CHECK_EQ(lvm(p), 6);
	CHECK_EQ(tvm(p) - base, 6);
	CHECK_EQ(um_mremap(p, Y, 6 * PG, 2048 * PG, 0, 0), Y);
	CHECK_EQ(lvm(p), 2048);
	/* 8 MiB of RLIMIT_MEMLOCK is full: EAGAIN, unless CAP_IPC_LOCK */
	CHECK_EQ(um_mremap(p, Y, 2048 * PG, 2049 * PG, 0, 0), root ? (long)Y : -EAGAIN);
	CHECK_EQ(lvm(p), root ? 2049 : 2048);
	CHECK_EQ(um_mremap(p, Y, 2048 * PG, PG, 0, 0), Y);
	CHECK_EQ(tvm(p) - base, root ? 2 : 1);
	CHECK_EQ(lvm(p), root ? 2 : 1);
	clean(p);
	CHECK_EQ(lvm(p), 0);
	um_proc_free(p);
	um_engine_free(e);
}

TEST(c08_locked_user) { locked_sequence(0); }
TEST(c08_locked_root) { locked_sequence(1); }

/* ---- c09: RLIMIT_AS -------------------------------------------------------------------- */

TEST(c09_as_limit)
{
	um_engine *e = um_engine_new(NULL);
	struct um_proc_config cfg = fixed_cfg(1);
	um_proc *p = um_proc_new(e, &cfg);
	unsigned long base = tvm(p);

	um_proc_free(p);
	/* the limit: what is mapped after the two mmaps below, plus 4 pages */
	cfg.rlimit_as = (base + 3 + 4) * PG;
	p = um_proc_new(e, &cfg);
	mm(p, X, 2 * PG, RW, AP | FX);
	mm(p, X + 16 * PG, PG, R, AP | FX);
	CHECK_EQ(um_mremap(p, X, 2 * PG, 6 * PG, 0, 0), X);
	CHECK_EQ(um_mremap(p, X, 6 * PG, 7 * PG, 0, 0), -ENOMEM);
	CHECK_EQ(um_mremap(p, X, 6 * PG, 7 * PG, MAY, 0), -ENOMEM);
	CHECK_EQ(um_mremap(p, X, PG, PG, MAY | DU, 0), -ENOMEM);
	CHECK_EQ(um_mremap(p, X, PG, PG, MAY | FIX, Y), Y);
	CHECK_EQ(um_mremap(p, X + PG, 5 * PG, 4 * PG, 0, 0), X + PG);
	CHECK_EQ(um_mremap(p, Y, PG, PG, MAY | DU | FIX, Y + PG), Y + PG);
	CHECK_STR(region(p, X, Y + 4 * PG),
		  "500001000-500005000 rw-p 00000000 00:00 0\n"
		  "500010000-500011000 r--p 00000000 00:00 0\n"
		  "600000000-600002000 rw-p 00000000 00:00 0\n");
	CHECK_EQ(tvm(p) - base, 7);
	clean(p);
	um_proc_free(p);
	um_engine_free(e);
}

/* ---- c10: special mappings -------------------------------------------------------------- */

TEST(c10_special)
{
	um_engine *e = um_engine_new(NULL);
	um_proc *p = um_proc_new(e, NULL);
	unsigned long vdso = T + 6 * PG;

	CHECK_EQ(um_mremap(p, vdso, 2 * PG, 3 * PG, 0, 0), -EFAULT);
	CHECK_EQ(um_mremap(p, T, 4 * PG, 5 * PG, MAY, 0), -EFAULT);
	CHECK_EQ(um_mremap(p, T, 4 * PG, 4 * PG, MAY | DU, 0), -EINVAL);
	CHECK_EQ(um_mremap(p, vdso, 2 * PG, 2 * PG, MAY | DU, 0), -EINVAL);
	CHECK_EQ(um_mremap(p, vdso, PG, PG, MAY | FIX, Y), -EINVAL);
	/* shrinking in place splits it: refused too */
	CHECK_EQ(um_mremap(p, vdso, 2 * PG, PG, 0, 0), -EINVAL);
	CHECK_EQ(um_mremap(p, vdso, 2 * PG, 2 * PG, MAY | FIX, Y), Y);
	CHECK_STR(region(p, Y, Y + 4 * PG), "600000000-600002000 r-xp 00000000 00:00 0 [vdso]\n");
	CHECK_EQ(um_mremap(p, Y, 2 * PG, 2 * PG, MAY | FIX, vdso), vdso);
	CHECK_STR(region(p, T, T + 8 * PG),
		  "7ffff7ff7000-7ffff7ffb000 r--p 00000000 00:00 0 [vvar]\n"
		  "7ffff7ffb000-7ffff7ffd000 r--p 00000000 00:00 0 [vvar_vclock]\n"
		  "7ffff7ffd000-7ffff7fff000 r-xp 00000000 00:00 0 [vdso]\n");
	um_proc_free(p);
	um_engine_free(e);
}

/* ---- c11: vm.max_map_count ---------------------------------------------------------------
 * The kernel ran with max_map_count 65530; usermm runs with 40.  What counts
 * is k = max - map_count before the call.
 */
#define Z 0x100000000UL

static um_proc *mc_proc(um_engine *e, unsigned long max, unsigned long k, int grow_room)
{
	um_proc *p = um_proc_new(e, NULL);
	unsigned long i = 0;

	mm(p, X, 4 * PG, RW, AP | FX);
	if (!grow_room)
		mm(p, X + 4 * PG, PG, R, AP | FX);
	while (nvma(p) < max - k)
		mm(p, Z + 2 * PG * i++, PG, R, AP | FX);
	return p;
}

TEST(c11_map_count)
{
	/* kernel results for k = 7 .. 0; 1 = success, else the errno */
	static const struct {
		const char *what;
		unsigned long addr, old_len, new_len, flags, new_addr;
		int grow_room;
		long ok;              /* the address on success */
		int fails_from_k;     /* ENOMEM when k <= this; -1: never */
	} ops[] = {
		{ "MAYMOVE grow 4p -> 5p (moves)", X, 4 * PG, 5 * PG, MAY, 0, 0,
		  0x7ffff7ff2000L, 3 },
		{ "FIXED move (X, 4p) to Y", X, 4 * PG, 4 * PG, MAY | FIX, Y, 0, (long)Y, 5 },
		{ "FIXED move (X+1p, 2p) to Y", X + PG, 2 * PG, 2 * PG, MAY | FIX, Y, 0,
		  (long)Y, 5 },
		{ "same size, no flags", X, 4 * PG, 4 * PG, 0, 0, 0, (long)X, -1 },
		{ "shrink (X, 2p) -> 1p (splits)", X, 2 * PG, PG, 0, 0, 0, (long)X, 0 },
		{ "grow 4p -> 5p in place", X, 4 * PG, 5 * PG, 0, 0, 1, (long)X, -1 },
	};
	struct um_engine_config ecfg = { .max_map_count = 40, .overcommit_memory = -1,
					 .thp_enabled = 1 };
	um_engine *e = um_engine_new(&ecfg);
	size_t i;
	int k;

	for (k = 7; k >= 0; k--) {
		for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			um_proc *p = mc_proc(e, 40, (unsigned long)k, ops[i].grow_room);
			long want = k <= ops[i].fails_from_k ? -ENOMEM : ops[i].ok;
			long r;

			CHECK_EQ(nvma(p), 40 - k);
			r = um_mremap(p, ops[i].addr, ops[i].old_len, ops[i].new_len,
				      ops[i].flags, ops[i].new_addr);
			if (r != want)
				fprintf(stderr, "  k=%d: %s\n", k, ops[i].what);
			CHECK_EQ(r, want);
			um_proc_free(p);
		}
	}
	um_engine_free(e);
}

/* ---- c12: overcommit charge of VM_ACCOUNT memory ------------------------------------------
 * The kernel had RAM + swap = 6171021 pages; usermm is given 1000.
 */
TEST(c12_overcommit)
{
	struct um_engine_config ecfg = { .overcommit_memory = 0, .totalram_pages = 1000,
					 .thp_enabled = 1 };
	um_engine *e = um_engine_new(&ecfg);
	um_proc *p = um_proc_new(e, NULL);
	const unsigned long ram = 1000;
	unsigned long base = tvm(p);

	mm(p, X, PG, RW, AP | FX);
	CHECK_EQ(um_mremap(p, X, PG, (ram + 2) * PG, 0, 0), -ENOMEM);
	CHECK_EQ(um_mremap(p, X, PG, (ram + 1) * PG, 0, 0), X);
	clean(p);
	mm(p, X, PG, RW, AP | FX);
	mm(p, X + PG, PG, R, AP | FX);
	CHECK_EQ(um_mremap(p, X, PG, (ram + 2) * PG, MAY, 0), -ENOMEM);
	clean(p);
	mm(p, X, PG, R, AP | FX);
	CHECK_EQ(um_mremap(p, X, PG, (ram + 2) * PG, 0, 0), X);
	CHECK_EQ(tvm(p) - base, ram + 2);
	clean(p);
	um_proc_free(p);
	um_engine_free(e);
}

/* A move whose page tables cannot all be had fails as a whole: ENOMEM,
 * the pages still at the old address with their data, nothing left at the
 * new one (Linux's move_vma moves the entries back and unmaps the new
 * area).  Every allocation of the move fails in turn. */
TEST(move_fails_whole_under_fault_injection)
{
	int failed = 0, moved = 0;

	for (unsigned long n = 1; n < 40; n++) {
		um_engine *e = um_engine_new(NULL);
		um_proc *p = um_proc_new(e, NULL);
		struct um_fault f;
		struct um_stats st;
		char buf[4];
		long r;

		mm(p, X, 3 * PG, RW, AP | FX);
		for (int i = 0; i < 3; i++)
			CHECK_EQ(um_store(p, X + (unsigned long)i * PG, "abc", 3, &f), 0);
		um_fail_nth_alloc(n);
		r = um_mremap(p, X, 3 * PG, 3 * PG, MAY | FIX, Y);
		um_fail_nth_alloc(0);
		CHECK(r == (long)Y || r == -ENOMEM);
		CHECK_EQ(um_validate(p), 0);
		if (r == -ENOMEM) {
			failed++;
			CHECK_EQ(strcmp(region(p, Y, Y + 3 * PG), ""), 0);
			for (int i = 0; i < 3; i++) {
				CHECK_EQ(um_load(p, X + (unsigned long)i * PG, buf, 3, &f), 0);
				CHECK(!memcmp(buf, "abc", 3));
			}
		} else {
			moved++;
			CHECK_EQ(um_load(p, Y + 2 * PG, buf, 3, &f), 0);
			CHECK(!memcmp(buf, "abc", 3));
		}
		um_proc_stats(p, &st);
		CHECK_EQ(st.rss_anon, 3);
		um_proc_free(p);
		um_engine_free(e);
	}
	CHECK(failed > 0 && moved > 0);
}

int main(void)
{
	int fd;

	snprintf(file_path, sizeof(file_path), "/tmp/test_mremap_%d", (int)getpid());
	fd = open(file_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 8 * PG) < 0) {
		perror(file_path);
		return 1;
	}
	close(fd);
	RUN(c01_argument_checks);
	RUN(c01_new_addr_zero);
	RUN(c02_shrink);
	RUN(c03_grow_in_place);
	RUN(c04_maymove);
	RUN(c05_fixed);
	RUN(c06_dontunmap);
	RUN(c07_duplicate);
	RUN(c08_locked_user);
	RUN(c08_locked_root);
	RUN(c09_as_limit);
	RUN(c10_special);
	RUN(c11_map_count);
	RUN(c12_overcommit);
	RUN(move_fails_whole_under_fault_injection);
	unlink(file_path);
	return check_summary();
}
