/*
 * test_mmap_errno.c — every errno (and the boundary next to it) that
 * reference/behaviours.md lists for VMAs and the mmap, munmap, mprotect and
 * brk calls.  One small TEST per behaviour; the comment above each names it.
 *
 * Every expected value is the live kernel's (Linux 6.18 x86-64, no ASLR,
 * unprivileged, 8 MiB stack rlimit), as printed by the probes in
 * tests/probe/: p01_mmap_args, p02_placement, p06_holes, p07_mprotect,
 * p08_munmap_mapcount, p09_brk (tests/probe/out/<name>.user.txt) and
 * unit_errno.c (this file's own boundaries).  "live:" in a comment quotes
 * the probe line the value comes from.
 *
 * The processes are fresh default images (stack, [vvar], [vvar_vclock],
 * [vdso]; mmap_base 0x7ffff7fff000; [vvar] at 0x7ffff7ff7000), so the first
 * un-hinted page lands at 0x7ffff7ff6000 as in the probes.  Files live in a
 * mkdtemp directory and are opened with um_openat.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include "check.h"
#include "usermm.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MAP_ABOVE4G
#define MAP_ABOVE4G 0x80
#endif
#ifndef O_PATH
#define O_PATH 010000000
#endif
#ifndef PROT_SEM
#define PROT_SEM 0x8
#endif

#define PG 4096UL
#define KiB 1024UL
#define MiB (1UL << 20)
#define GiB (1UL << 30)
#define TASK_SIZE 0x7ffffffff000UL
#define FIRST 0x7ffff7ff6000UL        /* first un-hinted page of a fresh process */
#define VVAR 0x7ffff7ff7000UL
#define START_BRK 0x555555559000UL

static const unsigned long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const unsigned long APF = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
static const unsigned long R = PROT_READ, RW = PROT_READ | PROT_WRITE;
static const unsigned long NOFD = (unsigned long)-1;

static char tmpdir[64], fpath[128], dpath[128], ppath[128];
static um_engine *eng;

/* ---- helpers ------------------------------------------------------------------- */

static struct um_proc_config base_cfg(void)
{
	struct um_proc_config c = {
		.set_limits = 1, .rlimit_stack = 8 * MiB,
		.rlimit_as = UM_RLIM_INFINITY, .rlimit_data = UM_RLIM_INFINITY,
		.rlimit_memlock = 8 * MiB,
	};

	return c;
}

static um_proc *new_proc(void)
{
	struct um_proc_config c = base_cfg();

	return um_proc_new(eng, &c);
}

static unsigned long map_count(um_proc *p)
{
	struct um_stats st;

	um_proc_stats(p, &st);
	return st.map_count;
}

static char mapsbuf[1 << 16];

/* The maps lines overlapping [lo, hi), cut to "start-end perms offset". */
static const char *region(um_proc *p, unsigned long lo, unsigned long hi)
{
	static char out[8192];
	size_t len = 0;

	um_maps(p, mapsbuf, sizeof(mapsbuf));
	out[0] = '\0';
	for (char *l = mapsbuf; *l;) {
		char *e = strchr(l, '\n'), perms[8];
		unsigned long s, t, off;

		if (!e)
			break;
		*e = '\0';
		if (sscanf(l, "%lx-%lx %7s %lx", &s, &t, perms, &off) == 4 &&
		    s < hi && t > lo)
			len += (size_t)snprintf(out + len, sizeof(out) - len,
						"%lx-%lx %s %08lx\n", s, t, perms, off);
		l = e + 1;
	}
	return out;
}

static bool on_noexec_mount(const char *path)
{
	struct statvfs sv;

	return statvfs(path, &sv) == 0 && (sv.f_flag & ST_NOEXEC);
}

static long open_file(um_proc *p, unsigned long flags)
{
	long fd = um_openat(p, AT_FDCWD, fpath, flags, 0);

	CHECK(fd >= 0);
	return fd;
}

#define ENDP(p) do { CHECK_EQ(um_validate(p), 0); um_proc_free(p); } while (0)

/* ==== mmap: arguments ================================================================ */

/* mmap length 0 → EINVAL (anonymous or a valid file); the fd is looked up
 * first, so a bad fd with length 0 is EBADF.
 * live (p01): "len0 anon private -> -EINVAL", "len0 file valid fd off=0 ->
 * -EINVAL", "len0 file private fd=999 (bad) -> -EBADF" */
TEST(mmap_len0_einval)
{
	um_proc *p = new_proc();
	long fd = open_file(p, O_RDWR);

	CHECK_EQ(um_mmap(p, 0, 0, RW, AP, NOFD, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, 0, R, MAP_PRIVATE, fd, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, 0, R, MAP_PRIVATE, 999, 0), -EBADF);
	CHECK_EQ(um_mmap(p, 0, 0, R, MAP_PRIVATE, NOFD, 0), -EBADF);
	ENDP(p);
}

/* A length that page-aligns to 0, or exceeds the task size → ENOMEM.
 * live (p01): "len ~0UL anon -> -ENOMEM", "len 1<<47 anon -> -ENOMEM",
 * "len 1<<47 - 4096 (== TASK_SIZE) anon -> -ENOMEM", "len 1<<47 file ->
 * -ENOMEM", "type0 anon len 1<<47 -> -ENOMEM" */
TEST(mmap_len_overflow_or_too_big_enomem)
{
	um_proc *p = new_proc();
	long fd = open_file(p, O_RDWR);

	CHECK_EQ(um_mmap(p, 0, ~0UL, RW, AP, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0, ~0UL - 4095, RW, AP, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0, 1UL << 47, RW, AP, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0, TASK_SIZE, RW, AP, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0, 1UL << 47, R, MAP_PRIVATE, fd, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0, 1UL << 47, RW, MAP_ANONYMOUS, NOFD, 0), -ENOMEM);
	/* live: "len 1<<47 bad fd -> -EBADF" (the fd comes first) */
	CHECK_EQ(um_mmap(p, 0, 1UL << 47, R, MAP_PRIVATE, 999, 0), -EBADF);
	ENDP(p);
}

/* MAP_FIXED at or beyond the task size → ENOMEM.
 * live (p01): "len 1<<47 anon FIXED at 0x10000 -> -ENOMEM", "len 1<<46 anon
 * FIXED at 0x7fff00000000 (end > TASK_SIZE) -> -ENOMEM", "len 4096 anon FIXED
 * at 0x7ffffffff000 (== TASK_SIZE) -> -ENOMEM", "... at 0x800000000000 ->
 * -ENOMEM", "... at 0xfffffffffffff000 -> -ENOMEM" */
TEST(mmap_fixed_beyond_task_size_enomem)
{
	um_proc *p = new_proc();

	CHECK_EQ(um_mmap(p, 0x10000, 1UL << 47, RW, APF, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0x10000, ~0UL, RW, APF, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0x7fff00000000UL, 1UL << 46, RW, APF, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, TASK_SIZE, PG, RW, APF, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0x800000000000UL, PG, RW, APF, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0xfffffffffffff000UL, PG, RW, APF, NOFD, 0), -ENOMEM);
	/* live: "NOREPLACE at 0x7ffffffff000 (TASK_SIZE) -> -ENOMEM" */
	CHECK_EQ(um_mmap(p, TASK_SIZE, PG, RW, AP | MAP_FIXED_NOREPLACE, NOFD, 0),
		 -ENOMEM);
	ENDP(p);
}

/* Lengths under a page are accepted and the mapping is whole pages.
 * live (p01): "len1 anon -> 0x7ffff7ff5000" (after one earlier page);
 * p08: "len 1 at X+3p (rounds up to a page) -> 0" for munmap */
TEST(mmap_short_length_is_whole_page)
{
	um_proc *p = new_proc();

	CHECK_EQ(um_mmap(p, 0, 1, RW, AP, NOFD, 0), (long)FIRST);
	CHECK_STR(region(p, FIRST - 16 * PG, VVAR), "7ffff7ff6000-7ffff7ff7000 rw-p 00000000\n");
	CHECK_EQ(um_mmap(p, 0, PG + 1, R, AP, NOFD, 0), (long)(FIRST - 2 * PG));
	CHECK_STR(region(p, FIRST - 16 * PG, VVAR),
		  "7ffff7ff4000-7ffff7ff6000 r--p 00000000\n"
		  "7ffff7ff6000-7ffff7ff7000 rw-p 00000000\n");
	ENDP(p);
}

/* Neither MAP_PRIVATE nor MAP_SHARED (type bits 0, or 4..15) → EINVAL; an
 * anonymous MAP_SHARED_VALIDATE is EINVAL as well (do_mmap's anonymous
 * switch has no case for it).
 * live (p01): "type0 anon -> -EINVAL", "type0 file -> -EINVAL", "type0 bad fd
 * -> -EBADF", "type3 (SHARED_VALIDATE) anon -> -EINVAL", "type 0x4..0xf
 * anon/file -> -EINVAL" (except "type 0x8 anon", MAP_DROPPABLE),
 * "type 0x8 file rw -> -EINVAL" */
TEST(mmap_bad_map_type_einval)
{
	um_proc *p = new_proc();
	long fd = open_file(p, O_RDWR);

	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_ANONYMOUS, NOFD, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, PG, RW, 0, fd, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, PG, RW, 0, 999, 0), -EBADF);
	CHECK_EQ(um_mmap(p, 0, 0, RW, MAP_ANONYMOUS, NOFD, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, NOFD, 0),
		 -EINVAL);
	for (unsigned long type = 4; type <= 0xf; type++) {
		if (type != 0x8)
			CHECK_EQ(um_mmap(p, 0, PG, RW, type | MAP_ANONYMOUS, NOFD, 0),
				 -EINVAL);
		CHECK_EQ(um_mmap(p, 0, PG, RW, type, fd, 0), -EINVAL);
	}
	CHECK_EQ(map_count(p), 4);   /* nothing was mapped */
	ENDP(p);
}

/* MAP_SHARED_VALIDATE with a flag outside the legacy set → EOPNOTSUPP (file
 * mappings); plain MAP_SHARED / MAP_PRIVATE ignore unknown flags.
 * live (p01): "type3 file + unknown flag 0x200000/0x400/0x200 -> -EOPNOTSUPP",
 * "type1 (SHARED) file + unknown flag 0x200000 -> mapped", "type2 (PRIVATE)
 * file + unknown flag -> mapped", "type1 anon + unknown flag -> mapped",
 * "type3 anon + unknown flag 0x200000 -> -EINVAL", "type3 file + MAP_SYNC
 * (ext4, no DAX) -> -EOPNOTSUPP", "type3 file + MAP_FIXED_NOREPLACE (free
 * addr) -> -EOPNOTSUPP", "type3 file + MAP_HUGE_2MB / MAP_HUGE_64KB ->
 * mapped", "type3 file + MAP_32BIT -> 0x40000000", "type3 file + unknown flag,
 * len 1<<47 -> -ENOMEM", "len 0 -> -EINVAL", "type3 file ro fd + unknown flag
 * + PROT_WRITE -> -EOPNOTSUPP", "dir fd SHARED_VALIDATE unknown flag ->
 * -EOPNOTSUPP" */
TEST(mmap_shared_validate_unknown_flag_eopnotsupp)
{
	um_proc *p = new_proc();
	long fd = open_file(p, O_RDWR), ro = open_file(p, O_RDONLY);
	long dir = um_openat(p, AT_FDCWD, dpath, O_RDONLY, 0);
	const unsigned long SV = MAP_SHARED_VALIDATE;

	CHECK(dir >= 0);
	CHECK_EQ(um_mmap(p, 0, PG, RW, SV | 0x200000, fd, 0), -EOPNOTSUPP);
	CHECK_EQ(um_mmap(p, 0, PG, RW, SV | 0x400, fd, 0), -EOPNOTSUPP);
	CHECK_EQ(um_mmap(p, 0, PG, RW, SV | 0x200, fd, 0), -EOPNOTSUPP);
	CHECK_EQ(um_mmap(p, 0, PG, RW, SV | MAP_SYNC, fd, 0), -EOPNOTSUPP);
	CHECK_EQ(um_mmap(p, 0x300000000UL, PG, RW, SV | MAP_FIXED_NOREPLACE, fd, 0),
		 -EOPNOTSUPP);
	CHECK_EQ(um_mmap(p, 0, 1UL << 47, RW, SV | 0x200000, fd, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0, 0, RW, SV | 0x200000, fd, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, PG, RW, SV | 0x200000, ro, 0), -EOPNOTSUPP);
	CHECK_EQ(um_mmap(p, 0, PG, R, SV | 0x200000, dir, 0), -EOPNOTSUPP);
	CHECK_EQ(um_mmap(p, 0, PG, RW, SV | 0x200000 | MAP_ANONYMOUS, NOFD, 0), -EINVAL);
	CHECK_EQ(map_count(p), 4);
	/* accepted */
	CHECK_EQ(um_mmap(p, 0, PG, RW, SV, fd, 0), (long)FIRST);
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_SHARED | 0x200000, fd, 0), (long)(FIRST - PG));
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_PRIVATE | 0x200000, fd, 0), (long)(FIRST - 2 * PG));
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_SHARED | MAP_ANONYMOUS | 0x200000, NOFD, 0),
		 (long)(FIRST - 3 * PG));
	CHECK_EQ(um_mmap(p, 0, PG, RW, SV | (21UL << 26), fd, 0), (long)(FIRST - 4 * PG));
	CHECK_EQ(um_mmap(p, 0, PG, RW, SV | (16UL << 26), fd, 0), (long)(FIRST - 5 * PG));
	CHECK_EQ(um_mmap(p, 0, PG, RW, SV | MAP_32BIT, fd, 0), 0x40000000L);
	ENDP(p);
}

/* MAP_ABOVE4G (x86, 0x80) is one of the legacy flags MAP_SHARED_VALIDATE
 * accepts; MAP_32BIT wins over it; a free hint is still honoured.
 * live (unit_errno): "SHARED_VALIDATE|MAP_ABOVE4G file -> 0x7ffff7ff6000",
 * "MAP_ABOVE4G|MAP_32BIT anon -> 0x40001000" (one 32-bit page was mapped),
 * "MAP_ABOVE4G hint 0x10000000 (free) -> 0x10000000" */
TEST(mmap_shared_validate_above4g_accepted)
{
	um_proc *p = new_proc();
	long fd = open_file(p, O_RDWR);

	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_SHARED_VALIDATE | MAP_ABOVE4G, fd, 0),
		 (long)FIRST);
	CHECK_EQ(um_mmap(p, 0, PG, RW, AP | MAP_32BIT, NOFD, 0), 0x40000000L);
	CHECK_EQ(um_mmap(p, 0, PG, RW, AP | MAP_32BIT | MAP_ABOVE4G, NOFD, 0),
		 0x40001000L);
	CHECK_EQ(um_mmap(p, 0x10000000UL, PG, RW, AP | MAP_ABOVE4G, NOFD, 0),
		 0x10000000L);
	ENDP(p);
}

static bool fs_is(const char *path, long magic)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && (long)sfs.f_type == magic;
}

/* MAP_SYNC asks for DAX.  ext4 and xfs list MAP_SYNC among the flags
 * MAP_SHARED_VALIDATE accepts, so the refusal (-EOPNOTSUPP, no DAX here)
 * comes from their ->mmap, after a MAP_FIXED has already unmapped the range;
 * with MAP_SHARED or MAP_PRIVATE VM_SYNC is set as well and refused the same
 * way.  tmpfs refuses MAP_SYNC in MAP_SHARED_VALIDATE's flag check (nothing
 * unmapped) and ignores VM_SYNC otherwise.
 * live (unit_errno, /tmp is ext4, /dev/shm tmpfs): ext4 "SHARED_VALIDATE|
 * MAP_SYNC|MAP_FIXED file over anon -> -EOPNOTSUPP" leaving "600000000-
 * 600001000 rw-p / 600003000-600004000 rw-p", the same for SHARED|MAP_SYNC and
 * PRIVATE|MAP_SYNC; tmpfs "SHARED_VALIDATE|MAP_SYNC|MAP_FIXED -> -EOPNOTSUPP"
 * leaving "600000000-600004000 rw-p", "SHARED|MAP_SYNC|MAP_FIXED -> mapped",
 * "PRIVATE|MAP_SYNC|MAP_FIXED -> mapped"; p01: "tmpfs SHARED|MAP_SYNC ->
 * mapped", "tmpfs PRIVATE|MAP_SYNC -> mapped" */
TEST(mmap_sync_depends_on_filesystem)
{
	um_proc *p = new_proc();
	const unsigned long A = 0x600000000UL, SV = MAP_SHARED_VALIDATE;
	const unsigned long types[] = { SV, MAP_SHARED, MAP_PRIVATE };
	char shm[64] = "/dev/shm/usermm_sync_XXXXXX";
	int hfd;

	if (!fs_is(tmpdir, 0xEF53) && !fs_is(tmpdir, 0x58465342)) {
		printf("SKIP part of mmap_sync_depends_on_filesystem: %s is not ext4/xfs\n",
		       tmpdir);
	} else {
		long fd = open_file(p, O_RDWR);

		for (unsigned i = 0; i < 3; i++) {
			CHECK_EQ(um_mmap(p, A, 4 * PG, RW, APF, NOFD, 0), (long)A);
			CHECK_EQ(um_mmap(p, A + PG, 2 * PG, RW, types[i] | MAP_SYNC | MAP_FIXED,
					 fd, 0), -EOPNOTSUPP);
			CHECK_STR(region(p, A, A + 8 * PG),
				  "600000000-600001000 rw-p 00000000\n"
				  "600003000-600004000 rw-p 00000000\n");
		}
		CHECK_EQ(um_munmap(p, A, 8 * PG), 0);
	}
	hfd = mkstemp(shm);
	if (hfd < 0 || !fs_is(shm, 0x01021994) || ftruncate(hfd, 4 * PG)) {
		printf("SKIP part of mmap_sync_depends_on_filesystem: no tmpfs /dev/shm\n");
	} else {
		long fd = um_openat(p, AT_FDCWD, shm, O_RDWR, 0);

		CHECK(fd >= 0);
		CHECK_EQ(um_mmap(p, A, 4 * PG, RW, APF, NOFD, 0), (long)A);
		CHECK_EQ(um_mmap(p, A + PG, 2 * PG, RW, SV | MAP_SYNC | MAP_FIXED, fd, 0),
			 -EOPNOTSUPP);
		CHECK_STR(region(p, A, A + 8 * PG), "600000000-600004000 rw-p 00000000\n");
		CHECK_EQ(um_mmap(p, A + PG, 2 * PG, RW, MAP_SHARED | MAP_SYNC | MAP_FIXED, fd, 0),
			 (long)(A + PG));
		CHECK_EQ(um_mmap(p, A + 4 * PG, 2 * PG, RW, MAP_PRIVATE | MAP_SYNC | MAP_FIXED,
				 fd, 0), (long)(A + 4 * PG));
		CHECK_STR(region(p, A, A + 8 * PG),
			  "600000000-600001000 rw-p 00000000\n"
			  "600001000-600003000 rw-s 00000000\n"
			  "600003000-600004000 rw-p 00000000\n"
			  "600004000-600006000 rw-p 00000000\n");
	}
	if (hfd >= 0) {
		close(hfd);
		unlink(shm);
	}
	ENDP(p);
}

/* An offset that is not page-aligned → EINVAL, checked before the fd and the
 * length; an anonymous mapping ignores an aligned offset.
 * live (p01): "len4096 anon off=1 (unaligned) -> -EINVAL", "len4096 file
 * private bad fd off=1 -> -EINVAL", "len0 anon off=1 -> -EINVAL", "len4096
 * anon off=4096 (ignored?) -> mapped" */
TEST(mmap_unaligned_offset_einval)
{
	um_proc *p = new_proc();
	long fd = open_file(p, O_RDWR);

	CHECK_EQ(um_mmap(p, 0, PG, RW, AP, NOFD, 1), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_PRIVATE, fd, 4095), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_PRIVATE, 999, 1), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, 0, RW, AP, NOFD, 1), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, PG, RW, AP, NOFD, PG), (long)FIRST);
	ENDP(p);
}

/* offset + length overflowing the page index → EOVERFLOW, checked before
 * the fd's access mode and the map type; anonymous mappings don't care.
 * live (p01): "file rw off=0xfffffffffffff000 len 2 pages -> -EOVERFLOW",
 * "... len 1 page -> -EOVERFLOW", "bad fd off=0xfffffffffffff000 -> -EBADF",
 * "anon off=0xfffffffffffff000 len 2 pages -> mapped", "anon shared ... ->
 * mapped", "file rw off=0xfffffffffffff000 len 0 -> -EINVAL", "type0 file off
 * overflow -> -EOVERFLOW", "ext4 type3 unknown flag + off overflow ->
 * -EOVERFLOW" */
TEST(mmap_offset_overflow_eoverflow)
{
	um_proc *p = new_proc();
	long fd = open_file(p, O_RDWR), wo = open_file(p, O_WRONLY);
	const unsigned long off = 0xfffffffffffff000UL;

	CHECK_EQ(um_mmap(p, 0, 2 * PG, RW, MAP_SHARED, fd, off), -EOVERFLOW);
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_SHARED, fd, off), -EOVERFLOW);
	CHECK_EQ(um_mmap(p, 0, 2 * PG, RW, MAP_SHARED, 999, off), -EBADF);
	CHECK_EQ(um_mmap(p, 0, 0, RW, MAP_SHARED, fd, off), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, PG, RW, 0, fd, off), -EOVERFLOW);
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_SHARED_VALIDATE | 0x200000, fd, off),
		 -EOVERFLOW);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_PRIVATE, wo, off), -EOVERFLOW);
	CHECK_EQ(um_mmap(p, 0, 2 * PG, RW, AP, NOFD, off), (long)(FIRST - PG));
	CHECK_EQ(um_mmap(p, 0, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, NOFD, off),
		 (long)(FIRST - 3 * PG));
	ENDP(p);
}

/* A regular file's offsets stop at MAX_LFS_FILESIZE (2^63 - 1): the mapping's
 * last byte must fit below it (file_mmap_ok), not merely the page index.
 * live (p01): "ext4 off=0x7ffffffffffff000 len 4096 -> -EOVERFLOW",
 * "ext4 off=0x7fffffffffffe000 len 4096 -> mapped", "ext4 off=0x7fffffffffffe000
 * len 8192 -> -EOVERFLOW", "ext4 off=0x8000000000000000 len 4096 ->
 * -EOVERFLOW", "ext4 O_WRONLY off=0x8000000000000000 (EOVERFLOW vs EACCES) ->
 * -EOVERFLOW", "file rw off=1<<62 len 1 page -> mapped" */
TEST(mmap_regular_file_offset_limit_eoverflow)
{
	um_proc *p = new_proc();
	long fd = open_file(p, O_RDWR), wo = open_file(p, O_WRONLY);

	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_SHARED, fd, 0x7ffffffffffff000UL), -EOVERFLOW);
	CHECK_EQ(um_mmap(p, 0, 2 * PG, RW, MAP_SHARED, fd, 0x7fffffffffffe000UL),
		 -EOVERFLOW);
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_SHARED, fd, 0x8000000000000000UL), -EOVERFLOW);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_PRIVATE, wo, 0x8000000000000000UL), -EOVERFLOW);
	/* Placed with the THP alignment: 6.18 rounds the offset up to 2 MiB
	 * in a signed loff_t, which wraps, and lets the padding through
	 * (measured by usermm diff: 0x7ffff7dfe000, then 0x7ffff7ff6000). */
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_SHARED, fd, 0x7fffffffffffe000UL),
		 (long)(FIRST - 0x1f8000));
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_SHARED, fd, 1UL << 62), (long)FIRST);
	ENDP(p);
}

/* A bad fd (not MAP_ANONYMOUS) → EBADF: never opened, closed, -1, O_PATH.
 * MAP_ANONYMOUS ignores the fd.
 * live (p01): "len0 file private fd=999 (bad) -> -EBADF", "O_PATH fd
 * PRIVATE R -> -EBADF", "O_PATH fd len0 -> -EBADF", "ANON with fd 999 ->
 * mapped", "FIXED addr 0x10000001 bad fd -> -EBADF", "GROWSDOWN file private,
 * bad fd -> -EBADF", "HUGETLB bad fd -> -EBADF" */
TEST(mmap_bad_fd_ebadf)
{
	um_proc *p = new_proc();
	long fd = open_file(p, O_RDWR), path = um_openat(p, AT_FDCWD, fpath, O_PATH, 0);

	CHECK(path >= 0);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_PRIVATE, 999, 0), -EBADF);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_PRIVATE, NOFD, 0), -EBADF);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_PRIVATE, path, 0), -EBADF);
	CHECK_EQ(um_mmap(p, 0, 0, R, MAP_PRIVATE, path, 0), -EBADF);
	CHECK_EQ(um_mmap(p, 0x10000001, PG, R, MAP_PRIVATE | MAP_FIXED, 999, 0), -EBADF);
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_PRIVATE | MAP_GROWSDOWN, 999, 0), -EBADF);
	CHECK_EQ(um_mmap(p, 0, 2 * MiB, RW, MAP_PRIVATE | MAP_HUGETLB, 999, 0), -EBADF);
	CHECK_EQ(um_close(p, (unsigned long)fd), 0);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_PRIVATE, fd, 0), -EBADF);
	CHECK_EQ(map_count(p), 4);
	CHECK_EQ(um_mmap(p, 0, PG, RW, AP, 999, 0), (long)FIRST);
	ENDP(p);
}

/* A fd not open for reading → EACCES for every prot and type.
 * live (p01): "O_WRONLY fd, PROT_NONE, PRIVATE -> -EACCES", "O_WRONLY fd,
 * PROT_NONE, SHARED -> -EACCES", "O_WRONLY fd, PROT_WRITE, SHARED -> -EACCES",
 * "O_WRONLY fd GROWSDOWN (EACCES vs EINVAL) -> -EACCES" */
TEST(mmap_wronly_fd_eacces)
{
	um_proc *p = new_proc();
	long wo = open_file(p, O_WRONLY);

	CHECK_EQ(um_mmap(p, 0, PG, PROT_NONE, MAP_PRIVATE, wo, 0), -EACCES);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_NONE, MAP_SHARED, wo, 0), -EACCES);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_WRITE, MAP_SHARED, wo, 0), -EACCES);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_PRIVATE, wo, 0), -EACCES);
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_PRIVATE | MAP_GROWSDOWN, wo, 0), -EACCES);
	CHECK_EQ(map_count(p), 4);
	ENDP(p);
}

/* MAP_SHARED + PROT_WRITE on a fd not open for writing → EACCES; MAP_PRIVATE
 * + PROT_WRITE on it is fine; a read-only shared mapping of it can never gain
 * PROT_WRITE (no VM_MAYWRITE): mprotect → EACCES.
 * live (p01): "O_RDONLY fd, PROT_READ|WRITE, SHARED -> -EACCES", "...
 * SHARED_VALIDATE -> -EACCES", "... PRIVATE -> mapped", "O_RDONLY fd,
 * PROT_READ, SHARED -> mapped" shown as "r--s", "mprotect(RW) on it -> -EACCES" */
TEST(mmap_shared_write_on_rdonly_fd_eacces)
{
	um_proc *p = new_proc();
	long ro = open_file(p, O_RDONLY);

	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_SHARED, ro, 0), -EACCES);
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_SHARED_VALIDATE, ro, 0), -EACCES);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_WRITE, MAP_SHARED, ro, 0), -EACCES);
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_PRIVATE, ro, 0), (long)FIRST);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_SHARED, ro, 0), (long)(FIRST - PG));
	CHECK_STR(region(p, FIRST - PG, FIRST), "7ffff7ff5000-7ffff7ff6000 r--s 00000000\n");
	CHECK_EQ(um_mprotect(p, FIRST - PG, PG, RW), -EACCES);
	CHECK_EQ(um_mprotect(p, FIRST - PG, PG, PROT_WRITE), -EACCES);
	/* live (p07): "mprotect PROT_READ|PROT_EXEC -> 0", "PROT_NONE -> 0"
	 * (-EACCES for PROT_EXEC if the directory is on a noexec mount) */
	CHECK_EQ(um_mprotect(p, FIRST - PG, PG, PROT_READ | PROT_EXEC),
		 on_noexec_mount(tmpdir) ? -EACCES : 0);
	CHECK_EQ(um_mprotect(p, FIRST - PG, PG, PROT_NONE), 0);
	CHECK_STR(region(p, FIRST - PG, FIRST), "7ffff7ff5000-7ffff7ff6000 ---s 00000000\n");
	/* the private mapping of the read-only fd may become writable */
	CHECK_EQ(um_mprotect(p, FIRST, PG, R), 0);
	CHECK_EQ(um_mprotect(p, FIRST, PG, RW), 0);
	ENDP(p);
}

/* A directory, a device without mmap, a FIFO opened for reading → ENODEV;
 * a FIFO's write-only end → EACCES (not readable).
 * live (p01): "directory fd, PROT_READ, PRIVATE/SHARED -> -ENODEV", "/dev/null
 * PRIVATE R / SHARED R -> -ENODEV", "pipe read end PRIVATE R -> -ENODEV",
 * "pipe write end PRIVATE R -> -EACCES", "dir fd GROWSDOWN (ENODEV vs EINVAL)
 * -> -ENODEV", "/dev/null PRIVATE R len0 -> -EINVAL" */
TEST(mmap_unmappable_files_enodev)
{
	um_proc *p = new_proc();
	long dir = um_openat(p, AT_FDCWD, dpath, O_RDONLY, 0);
	long null = um_openat(p, AT_FDCWD, "/dev/null", O_RDWR, 0);
	long fifo = um_openat(p, AT_FDCWD, ppath, O_RDWR, 0);
	long fifo_w = um_openat(p, AT_FDCWD, ppath, O_WRONLY | O_NONBLOCK, 0);

	CHECK(dir >= 0 && null >= 0 && fifo >= 0 && fifo_w >= 0);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_PRIVATE, dir, 0), -ENODEV);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_SHARED, dir, 0), -ENODEV);
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_PRIVATE | MAP_GROWSDOWN, dir, 0), -ENODEV);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_PRIVATE, null, 0), -ENODEV);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_SHARED, null, 0), -ENODEV);
	CHECK_EQ(um_mmap(p, 0, 0, R, MAP_PRIVATE, null, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_PRIVATE, fifo, 0), -ENODEV);
	CHECK_EQ(um_mmap(p, 0, PG, R, MAP_PRIVATE, fifo_w, 0), -EACCES);
	CHECK_EQ(map_count(p), 4);
	ENDP(p);
}

/* MAP_GROWSDOWN is for private anonymous memory only: with a file or
 * MAP_SHARED → EINVAL.
 * live (p01): "GROWSDOWN file private -> -EINVAL", "GROWSDOWN file shared ->
 * -EINVAL", "GROWSDOWN anon shared -> -EINVAL", "GROWSDOWN anon private ->
 * mapped (rw-p)" */
TEST(mmap_growsdown_needs_private_anon)
{
	um_proc *p = new_proc();
	long fd = open_file(p, O_RDWR);

	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_PRIVATE | MAP_GROWSDOWN, fd, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_SHARED | MAP_GROWSDOWN, fd, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN,
			 NOFD, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, PG, RW, AP | MAP_GROWSDOWN, NOFD, 0), (long)FIRST);
	ENDP(p);
}

/* mmap does not validate prot: only the R/W/X bits count.
 * live (p01): "anon private prot=0x8 / 0x10 / 0x20 / 0x80 / 0x1000000 /
 * 0x2000000 / 0x3000000 / 0x80000000 -> ---p", "prot=0xffffffffffffffff ->
 * rwxp", "prot=0x2 -> -w-p", "prot=0x4 -> --xp", "file private prot=0x1000000
 * (GROWSDOWN) -> r--p" (PROT_READ|PROT_GROWSDOWN there) */
TEST(mmap_ignores_unknown_prot_bits)
{
	um_proc *p = new_proc();
	const unsigned long junk[] = { 0x8, 0x10, 0x20, 0x80, 0x1000000, 0x2000000,
				       0x3000000, 0x80000000UL };
	long fd = open_file(p, O_RDWR);

	for (unsigned i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		CHECK_EQ(um_mmap(p, 0, PG, junk[i], AP, NOFD, 0), (long)FIRST);
		CHECK_STR(region(p, FIRST, VVAR), "7ffff7ff6000-7ffff7ff7000 ---p 00000000\n");
		CHECK_EQ(um_munmap(p, FIRST, PG), 0);
	}
	CHECK_EQ(um_mmap(p, 0, PG, ~0UL, AP, NOFD, 0), (long)FIRST);
	CHECK_STR(region(p, FIRST, VVAR), "7ffff7ff6000-7ffff7ff7000 rwxp 00000000\n");
	CHECK_EQ(um_munmap(p, FIRST, PG), 0);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_WRITE, AP, NOFD, 0), (long)FIRST);
	CHECK_STR(region(p, FIRST, VVAR), "7ffff7ff6000-7ffff7ff7000 -w-p 00000000\n");
	CHECK_EQ(um_munmap(p, FIRST, PG), 0);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_EXEC, AP, NOFD, 0), (long)FIRST);
	CHECK_STR(region(p, FIRST, VVAR), "7ffff7ff6000-7ffff7ff7000 --xp 00000000\n");
	CHECK_EQ(um_munmap(p, FIRST, PG), 0);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_READ | PROT_GROWSDOWN, MAP_PRIVATE, fd, 0),
		 (long)FIRST);
	CHECK_STR(region(p, FIRST, VVAR), "7ffff7ff6000-7ffff7ff7000 r--p 00000000\n");
	ENDP(p);
}

/* MAP_HUGETLB with no huge pages reserved (vm.nr_hugepages = 0): the size
 * bits must name an existing huge page size (2 MiB or 1 GiB; 0 = default),
 * else EINVAL; a reservation that cannot be met → ENOMEM; len 0 and an
 * unaligned MAP_FIXED → EINVAL; a regular file → EINVAL; a bad fd → EBADF.
 * live (p01): "HUGETLB anon private 2MiB -> -ENOMEM", "4KiB -> -ENOMEM",
 * "HUGETLB anon shared 2MiB -> -ENOMEM", "HUGETLB|HUGE_1GB anon -> -ENOMEM",
 * "HUGETLB|HUGE_64KB anon (no such hstate) -> -EINVAL", "HUGETLB anon len 0
 * -> -EINVAL", "HUGETLB file ext4 -> -EINVAL", "HUGETLB bad fd -> -EBADF",
 * "HUGETLB anon unaligned FIXED 0x10001000 -> -EINVAL", "HUGE_2MB without
 * HUGETLB anon -> mapped" */
TEST(mmap_hugetlb_errors)
{
	um_proc *p = new_proc();
	long fd = open_file(p, O_RDWR);
	const unsigned long H = AP | MAP_HUGETLB;

	CHECK_EQ(um_mmap(p, 0, 2 * MiB, RW, H, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0, PG, RW, H, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0, 2 * MiB, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB,
			 NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0, GiB, RW, H | (30UL << 26), NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0, 2 * MiB, RW, H | (16UL << 26), NOFD, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, 0, RW, H, NOFD, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, 2 * MiB, RW, MAP_PRIVATE | MAP_HUGETLB, fd, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, 0, 2 * MiB, RW, MAP_PRIVATE | MAP_HUGETLB, 999, 0), -EBADF);
	CHECK_EQ(um_mmap(p, 0x10001000UL, 2 * MiB, RW, H | MAP_FIXED, NOFD, 0), -EINVAL);
	CHECK_EQ(map_count(p), 4);
	CHECK_EQ(um_mmap(p, 0, PG, RW, AP | (21UL << 26), NOFD, 0), (long)FIRST);
	ENDP(p);
}

/* ==== mmap: MAP_FIXED and MAP_FIXED_NOREPLACE ============================================ */

/* MAP_FIXED (or NOREPLACE) at an unaligned address → EINVAL; a plain hint
 * may be unaligned (rounded down).
 * live (p01): "FIXED addr 0x10000001 len4096 -> -EINVAL", "FIXED addr
 * 0x10000001 len0 -> -EINVAL", "FIXED_NOREPLACE addr 0x10000001 -> -EINVAL",
 * "hint 0x10000001 (not fixed) len4096 -> 0x10000000"; p02: "FIXED at 0x800
 * (unaligned) -> -EINVAL" */
TEST(mmap_fixed_unaligned_einval)
{
	um_proc *p = new_proc();

	CHECK_EQ(um_mmap(p, 0x10000001, PG, RW, APF, NOFD, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, 0x10000001, 0, RW, APF, NOFD, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, 0x10000001, PG, RW, AP | MAP_FIXED_NOREPLACE, NOFD, 0),
		 -EINVAL);
	CHECK_EQ(um_mmap(p, 0x800, PG, RW, APF, NOFD, 0), -EINVAL);
	CHECK_EQ(map_count(p), 4);
	CHECK_EQ(um_mmap(p, 0x10000001, PG, RW, AP, NOFD, 0), 0x10000000L);
	ENDP(p);
}

/* MAP_FIXED replaces what is there, splitting the neighbours.
 * live (p05): "3 pages touched, MAP_FIXED over the middle page" stays one
 * VMA with the same attributes; with other attributes it splits in three. */
TEST(mmap_fixed_replaces_and_splits)
{
	um_proc *p = new_proc();
	const unsigned long X = 0x500000000UL;

	CHECK_EQ(um_mmap(p, X, 4 * PG, RW, APF, NOFD, 0), (long)X);
	CHECK_EQ(um_mmap(p, X + PG, 2 * PG, R, APF, NOFD, 0), (long)(X + PG));
	CHECK_STR(region(p, X, X + 4 * PG),
		  "500000000-500001000 rw-p 00000000\n"
		  "500001000-500003000 r--p 00000000\n"
		  "500003000-500004000 rw-p 00000000\n");
	CHECK_EQ(map_count(p), 7);
	CHECK_EQ(um_mmap(p, X + PG, 2 * PG, RW, APF, NOFD, 0), (long)(X + PG));
	CHECK_STR(region(p, X, X + 4 * PG), "500000000-500004000 rw-p 00000000\n");
	ENDP(p);
}

/* MAP_FIXED_NOREPLACE over any overlap → EEXIST and nothing is clobbered;
 * merely adjacent is fine.  The overlap is found before the type, the file
 * checks and even MAP_SHARED_VALIDATE's flag check.
 * live (p02): "NOREPLACE exactly X / X+1page (inside) / X-1page, 2 pages /
 * X+3pages, 2 pages / X-4pages, 10 pages (covers all) -> -EEXIST",
 * "NOREPLACE X-2pages, 2 pages (adjacent below) -> 0x2ffffe000", "NOREPLACE
 * X+4pages (adjacent above) -> 0x300004000", "NOREPLACE|FIXED X -> -EEXIST",
 * "NOREPLACE over [stack] guard gap (page below stack) -> 0x7ffffffdd000";
 * p01: "FIXED_NOREPLACE + type0 anon over free addr -> -EINVAL", "... over
 * busy addr -> -EEXIST", "+ type3 file over busy addr -> -EEXIST", "+ file
 * O_WRONLY over busy addr -> -EEXIST" */
TEST(mmap_fixed_noreplace_eexist)
{
	um_proc *p = new_proc();
	const unsigned long X = 0x300000000UL, NR = AP | MAP_FIXED_NOREPLACE;
	long fd = open_file(p, O_RDWR), wo = open_file(p, O_WRONLY);
	const char *before;
	static char saved[8192];

	CHECK_EQ(um_mmap(p, X, 4 * PG, RW, NR, NOFD, 0), (long)X);
	before = region(p, X - 8 * PG, X + 8 * PG);
	snprintf(saved, sizeof(saved), "%s", before);
	CHECK_EQ(um_mmap(p, X, 4 * PG, R, NR, NOFD, 0), -EEXIST);
	CHECK_EQ(um_mmap(p, X + PG, PG, R, NR, NOFD, 0), -EEXIST);
	CHECK_EQ(um_mmap(p, X - PG, 2 * PG, R, NR, NOFD, 0), -EEXIST);
	CHECK_EQ(um_mmap(p, X + 3 * PG, 2 * PG, R, NR, NOFD, 0), -EEXIST);
	CHECK_EQ(um_mmap(p, X - 4 * PG, 10 * PG, R, NR, NOFD, 0), -EEXIST);
	CHECK_EQ(um_mmap(p, X, PG, R, NR | MAP_FIXED, NOFD, 0), -EEXIST);
	CHECK_EQ(um_mmap(p, X, PG, R, MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, NOFD, 0),
		 -EEXIST);
	CHECK_EQ(um_mmap(p, X, PG, R, MAP_SHARED_VALIDATE | 0x200000 |
			 MAP_FIXED_NOREPLACE, fd, 0), -EEXIST);
	CHECK_EQ(um_mmap(p, X, PG, R, MAP_PRIVATE | MAP_FIXED_NOREPLACE, wo, 0), -EEXIST);
	CHECK_STR(region(p, X - 8 * PG, X + 8 * PG), saved);
	CHECK_EQ(um_mmap(p, X + 8 * PG, PG, R, MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			 NOFD, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, X - 2 * PG, 2 * PG, RW, NR, NOFD, 0), (long)(X - 2 * PG));
	CHECK_EQ(um_mmap(p, X + 4 * PG, PG, RW, NR, NOFD, 0), (long)(X + 4 * PG));
	CHECK_STR(region(p, X - 8 * PG, X + 8 * PG), "2ffffe000-300005000 rw-p 00000000\n");
	/* the stack guard gap is not an overlap */
	CHECK_EQ(um_mmap(p, 0x7ffffffdd000UL, PG, RW, NR, NOFD, 0), 0x7ffffffdd000L);
	ENDP(p);
}

/* ==== mmap: choosing the address =========================================================== */

/* A free hint is used; a taken one is ignored (the address is chosen as if
 * there were no hint); the hint is rounded down to a page; a hint above the
 * 47-bit window or inside the stack guard gap is ignored.
 * live (p02): "hint 0x200000000 free -> 0x200000000", "again (occupied) ->
 * top-down", "hint 0x1ffffe000 len 3 pages (would overlap) -> top-down",
 * "hint 0x1ffffe000 len 2 pages (ends exactly at the busy page) ->
 * 0x1ffffe000", "hint 0x200001000 -> 0x200001000", "hint 0x200000800
 * (unaligned, inside busy page) -> top-down", "hint 0x200002800 -> 0x200002000",
 * "hint 0x1 (rounds to 0 -> no hint) -> top-down", "hint 0x7ffff9000000 (above
 * mmap_base, free) -> 0x7ffff9000000", "hint 0x7fffffddd000 -> used",
 * "hint 0x7ffffff00000 (inside stack guard gap) -> top-down", "hint
 * 0x7ffffffdd000 (page right below [stack]) -> top-down"; p01: "len 4096 anon
 * hint 0x800000000000 (above 47 bits) -> top-down", "hint 0x7ffffffff000 (last
 * page) -> top-down" */
TEST(mmap_hints)
{
	um_proc *p = new_proc();
	unsigned long low = VVAR;   /* lowest page of the top-down area so far */

#define DOWN(n) (low -= (n) * PG, (long)low)
	CHECK_EQ(um_mmap(p, 0x200000000UL, PG, RW, AP, NOFD, 0), 0x200000000L);
	CHECK_EQ(um_mmap(p, 0x200000000UL, PG, RW, AP, NOFD, 0), DOWN(1));
	CHECK_EQ(um_mmap(p, 0x1ffffe000UL, 3 * PG, RW, AP, NOFD, 0), DOWN(3));
	CHECK_EQ(um_mmap(p, 0x1ffffe000UL, 2 * PG, RW, AP, NOFD, 0), 0x1ffffe000L);
	CHECK_EQ(um_mmap(p, 0x200001000UL, PG, RW, AP, NOFD, 0), 0x200001000L);
	CHECK_EQ(um_mmap(p, 0x200000800UL, PG, RW, AP, NOFD, 0), DOWN(1));
	CHECK_EQ(um_mmap(p, 0x200002800UL, PG, RW, AP, NOFD, 0), 0x200002000L);
	CHECK_STR(region(p, 0x1f0000000UL, 0x210000000UL),
		  "1ffffe000-200003000 rw-p 00000000\n");
	CHECK_EQ(um_mmap(p, 0x1, PG, RW, AP, NOFD, 0), DOWN(1));
	CHECK_EQ(um_mmap(p, 0x800000000000UL, PG, RW, AP, NOFD, 0), DOWN(1));
	CHECK_EQ(um_mmap(p, TASK_SIZE, PG, RW, AP, NOFD, 0), DOWN(1));
	CHECK_EQ(um_mmap(p, 0x7ffff9000000UL, PG, RW, AP, NOFD, 0), 0x7ffff9000000L);
	CHECK_EQ(um_mmap(p, 0x7fffffddd000UL, PG, RW, AP, NOFD, 0), 0x7fffffddd000L);
	CHECK_EQ(um_mmap(p, 0x7ffffff00000UL, PG, RW, AP, NOFD, 0), DOWN(1));
	CHECK_EQ(um_mmap(p, 0x7ffffffdd000UL, PG, RW, AP, NOFD, 0), DOWN(1));
	CHECK_EQ(low, 0x7ffff7fed000UL);
	CHECK_STR(region(p, low - 16 * PG, VVAR), "7ffff7fed000-7ffff7ff7000 rw-p 00000000\n");
#undef DOWN
	ENDP(p);
}

/* A hint below mmap_min_addr is rounded up to it.  The kernel rounds hints
 * with mmap_min_addr = max(vm.mmap_min_addr, CONFIG_LSM_MMAP_MIN_ADDR) —
 * 65536 on this kernel (CONFIG_LSM_MMAP_MIN_ADDR=65536, vm.mmap_min_addr =
 * 4096) — while MAP_FIXED is only refused (EPERM without CAP_SYS_RAWIO)
 * below vm.mmap_min_addr itself.
 * live (p02): "hint 0x800 -> top-down", "hint 0x1000 (== mmap_min_addr) ->
 * 0x10000", "hint 0x1800 -> top-down" (0x10000 was taken by then), "FIXED at 0
 * -> -EPERM", "FIXED at 0x1000 -> 0x1000", "FIXED at 0 len 2 pages -> -EPERM",
 * "FIXED_NOREPLACE at 0 -> -EPERM", "FIXED at 0 with a bad fd -> -EBADF" */
TEST(mmap_hint_below_mmap_min_addr)
{
	um_proc *p = new_proc();

	CHECK_EQ(um_mmap(p, 0x800, PG, RW, AP, NOFD, 0), (long)FIRST);
	CHECK_EQ(um_mmap(p, 0x1000, PG, RW, AP, NOFD, 0), 0x10000L);
	CHECK_EQ(um_mmap(p, 0x1800, PG, RW, AP, NOFD, 0), (long)(FIRST - PG));
	CHECK_EQ(um_mmap(p, 0, PG, RW, APF, NOFD, 0), -EPERM);
	CHECK_EQ(um_mmap(p, 0, 2 * PG, RW, APF, NOFD, 0), -EPERM);
	CHECK_EQ(um_mmap(p, 0, PG, RW, AP | MAP_FIXED_NOREPLACE, NOFD, 0), -EPERM);
	CHECK_EQ(um_mmap(p, 0, PG, RW, MAP_PRIVATE | MAP_FIXED, 999, 0), -EBADF);
	CHECK_EQ(um_mmap(p, 0x1000, PG, RW, APF, NOFD, 0), 0x1000L);
	ENDP(p);
}

/* MAP_32BIT lands in [1 GiB, 2 GiB), bottom-up; a free hint below 2 GiB is
 * used, one above is not; a 2 MiB request is 2 MiB-aligned (THP); more than
 * the window → ENOMEM.
 * live (p02): "32BIT 4KiB #1 -> 0x40000000", "#2 -> 0x40001000", "32BIT 2MiB
 * #3 -> 0x40200000", "32BIT 4KiB PROT_NONE #4 -> 0x40002000", "32BIT hint
 * 0x200000000 (free, above 4G) -> 0x40003000", "32BIT hint 0x50000000 (free,
 * in window) -> 0x50000000", "32BIT hint 0x10000000 (free, below window) ->
 * 0x10000000", "32BIT 1GiB (window is 1GiB, partly used) -> -ENOMEM",
 * "32BIT 0x3f000000 -> -ENOMEM", "32BIT FIXED at 0x500000000 -> 0x500000000" */
TEST(mmap_32bit)
{
	um_proc *p = new_proc();

	CHECK_EQ(um_mmap(p, 0, PG, RW, AP | MAP_32BIT, NOFD, 0), 0x40000000L);
	CHECK_EQ(um_mmap(p, 0, PG, RW, AP | MAP_32BIT, NOFD, 0), 0x40001000L);
	CHECK_EQ(um_mmap(p, 0, 2 * MiB, RW, AP | MAP_32BIT, NOFD, 0), 0x40200000L);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_NONE, AP | MAP_32BIT, NOFD, 0), 0x40002000L);
	CHECK_EQ(um_mmap(p, 0x200000000UL, PG, RW, AP | MAP_32BIT, NOFD, 0), 0x40003000L);
	CHECK_EQ(um_mmap(p, 0x50000000UL, PG, RW, AP | MAP_32BIT, NOFD, 0), 0x50000000L);
	CHECK_EQ(um_mmap(p, 0x10000000UL, PG, RW, AP | MAP_32BIT, NOFD, 0), 0x10000000L);
	CHECK_EQ(um_mmap(p, 0, GiB, RW, AP | MAP_32BIT, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0, 0x3f000000UL, RW, AP | MAP_32BIT, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0x500000000UL, PG, RW, APF | MAP_32BIT, NOFD, 0),
		 0x500000000L);
	CHECK_STR(region(p, 0x1000000UL, 0x100000000UL),
		  "10000000-10001000 rw-p 00000000\n"
		  "40000000-40002000 rw-p 00000000\n"
		  "40002000-40003000 ---p 00000000\n"
		  "40003000-40004000 rw-p 00000000\n"
		  "40200000-40400000 rw-p 00000000\n"
		  "50000000-50001000 rw-p 00000000\n");
	ENDP(p);
}

/* In an empty 32-bit window exactly 1 GiB fits; 1 GiB + 1 page and 2 GiB
 * → ENOMEM.
 * live (unit_errno): "MAP_32BIT 1 GiB -> 0x40000000", "MAP_32BIT 1 GiB + 1
 * page -> -ENOMEM", "MAP_32BIT 2 GiB -> -ENOMEM" */
TEST(mmap_32bit_2gib_enomem)
{
	um_proc *p = new_proc();

	CHECK_EQ(um_mmap(p, 0, GiB, PROT_NONE, AP | MAP_32BIT, NOFD, 0), 0x40000000L);
	CHECK_EQ(um_munmap(p, 0x40000000UL, GiB), 0);
	CHECK_EQ(um_mmap(p, 0, GiB + PG, PROT_NONE, AP | MAP_32BIT, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0, 2 * GiB, PROT_NONE, AP | MAP_32BIT, NOFD, 0), -ENOMEM);
	CHECK_EQ(map_count(p), 4);
	ENDP(p);
}

/* MAP_GROWSDOWN: nothing is placed in the 256-page guard gap below it (a
 * hint there is ignored), but MAP_FIXED / NOREPLACE may map there; the gap
 * counts even for a PROT_NONE growsdown VMA.
 * live (p02): "GROWSDOWN 4 pages unhinted", "next unhinted 4KiB" lands
 * 0x100000 below it; "GROWSDOWN FIXED at G=0x400000000", "hint G-4096 ->
 * top-down", "hint G-1MiB -> top-down", "hint G-1MiB-4096 (ends exactly at
 * G-1MiB) -> 0x3ffeff000", "NOREPLACE G-4096 (inside gap) -> 0x3fffff000",
 * "FIXED G-2*4096 (inside gap) -> 0x3ffffe000", "GROWSDOWN|FIXED at
 * 0x400200000 with PROT_NONE", "hint 0x4001ff000 -> top-down" */
TEST(mmap_growsdown_guard_gap)
{
	um_proc *p = new_proc();
	const unsigned long G = 0x400000000UL;
	unsigned long g1, next;

	g1 = (unsigned long)um_mmap(p, 0, 4 * PG, RW, AP | MAP_GROWSDOWN, NOFD, 0);
	CHECK_EQ(g1, VVAR - 4 * PG);
	next = g1 - MiB - PG;
	CHECK_EQ(um_mmap(p, 0, PG, RW, AP, NOFD, 0), (long)next);
	CHECK_EQ(um_mmap(p, 0, PG, RW, AP, NOFD, 0), (long)(next - PG));
	next -= 2 * PG;
	CHECK_EQ(um_mmap(p, G, 4 * PG, RW, APF | MAP_GROWSDOWN, NOFD, 0), (long)G);
	CHECK_EQ(um_mmap(p, G - PG, PG, RW, AP, NOFD, 0), (long)next);
	next -= PG;
	CHECK_EQ(um_mmap(p, G - MiB, PG, RW, AP, NOFD, 0), (long)next);
	next -= PG;
	CHECK_EQ(um_mmap(p, G - MiB - PG, PG, RW, AP, NOFD, 0), (long)(G - MiB - PG));
	CHECK_EQ(um_mmap(p, G - PG, PG, RW, AP | MAP_FIXED_NOREPLACE, NOFD, 0),
		 (long)(G - PG));
	CHECK_EQ(um_mmap(p, G - 2 * PG, PG, RW, APF, NOFD, 0), (long)(G - 2 * PG));
	CHECK_STR(region(p, G - 2 * MiB, G + 4 * PG),
		  "3ffeff000-3fff00000 rw-p 00000000\n"
		  "3ffffe000-400000000 rw-p 00000000\n"
		  "400000000-400004000 rw-p 00000000\n");
	CHECK_EQ(um_mmap(p, 0x400200000UL, PG, PROT_NONE, APF | MAP_GROWSDOWN, NOFD, 0),
		 0x400200000L);
	CHECK_EQ(um_mmap(p, 0x4001ff000UL, PG, RW, AP, NOFD, 0), (long)next);
	ENDP(p);
}

/* ==== limits ============================================================================== */

/* max_map_count bounds the VMAs.  mmap fails once map_count > max (so one
 * mmap at map_count == max still succeeds); a split (mprotect, munmap)
 * fails once map_count >= max; munmap checks only when it splits both ends
 * (the range strictly inside one VMA) and its tail split never checks.  A
 * failed second split leaves the first in place: two equal neighbours.
 * live (p08, max 65530, the same rules at a smaller max here):
 * "1-page mappings with 1-page holes: ... VMAs counted in maps now = 65531",
 * "mmap 1 page that would merge with the last one -> -ENOMEM", "mmap
 * NOREPLACE anywhere new -> -ENOMEM", "mmap without hint -> -ENOMEM", "mmap
 * FIXED exactly over an existing whole VMA -> -ENOMEM", "munmap middle page of
 * the 3-page VMA (needs split, +1) -> -ENOMEM", "munmap last page of the
 * 3-page VMA (tail: split then remove, net 0) -> 0", "mprotect first page of
 * T3 (needs split, +1) -> -ENOMEM", "mprotect whole T3 (no split) -> 0",
 * "count=65530: mprotect middle -> -ENOMEM (count 65530) ... munmap middle ->
 * -ENOMEM ... mprotect first page -> -ENOMEM", "count=65529: mprotect middle
 * -> -ENOMEM (count 65530), back -> 0 (count 65530), munmap middle -> 0
 * (count 65530), refill -> count 65529, mprotect first page -> 0 (count
 * 65530)" */
TEST(max_map_count_limits)
{
	struct um_engine_config ec = {
		.max_map_count = 20, .mmap_min_addr = 4096, .thp_enabled = 1,
	};
	um_engine *e = um_engine_new(&ec);
	struct um_proc_config c = base_cfg();
	um_proc *p;
	const unsigned long X = 0x500000000UL, V = X + 100 * PG;
	unsigned long S = X + 16 * PG;   /* singles at S + 2i pages */

	c.empty = 1;
	p = um_proc_new(e, &c);
	CHECK_EQ(map_count(p), 0);
	CHECK_EQ(um_mmap(p, X, 4 * PG, RW, APF, NOFD, 0), (long)X);       /* T */
	for (int i = 0; i < 20; i++)
		CHECK_EQ(um_mmap(p, S + 2 * i * PG, PG, RW, APF, NOFD, 0),
			 (long)(S + 2 * i * PG));
	CHECK_EQ(map_count(p), 21);       /* the last one was made at 20 == max */

	/* map_count 21 > max: every mmap fails */
	CHECK_EQ(um_mmap(p, 0, PG, RW, AP, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, S, PG, RW, APF, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, S + PG, PG, RW, APF, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, X + 100 * PG, PG, RW, AP | MAP_FIXED_NOREPLACE, NOFD, 0),
		 -ENOMEM);
	/* munmap inside T (would split both ends) fails; its tail succeeds */
	CHECK_EQ(um_munmap(p, X + PG, PG), -ENOMEM);
	CHECK_EQ(um_munmap(p, X + 3 * PG, PG), 0);
	CHECK_EQ(map_count(p), 21);
	/* mprotect needing a split fails; of a whole VMA succeeds */
	CHECK_EQ(um_mprotect(p, X, PG, R), -ENOMEM);
	CHECK_EQ(um_mprotect(p, X, 3 * PG, R), 0);
	CHECK_EQ(um_mprotect(p, X, 3 * PG, RW), 0);
	CHECK_STR(region(p, X, X + 4 * PG), "500000000-500003000 rw-p 00000000\n");

	/* map_count 20 == max: splits fail, one more mmap succeeds */
	CHECK_EQ(um_munmap(p, S + 38 * PG, PG), 0);
	CHECK_EQ(map_count(p), 20);
	CHECK_EQ(um_mprotect(p, X + PG, PG, R), -ENOMEM);
	CHECK_EQ(map_count(p), 20);
	CHECK_EQ(um_munmap(p, X + PG, PG), -ENOMEM);
	CHECK_EQ(um_mprotect(p, X, PG, R), -ENOMEM);
	CHECK_STR(region(p, X, X + 4 * PG), "500000000-500003000 rw-p 00000000\n");
	CHECK_EQ(um_mmap(p, X + 200 * PG, PG, RW, APF, NOFD, 0), (long)(X + 200 * PG));
	CHECK_EQ(map_count(p), 21);
	CHECK_EQ(um_munmap(p, X + 200 * PG, PG), 0);

	/* map_count 19: the first split of a middle mprotect succeeds, the
	 * second fails — T stays cut in two equal pieces */
	CHECK_EQ(um_munmap(p, S + 36 * PG, PG), 0);
	CHECK_EQ(map_count(p), 19);
	CHECK_EQ(um_mprotect(p, X + PG, PG, R), -ENOMEM);
	CHECK_EQ(map_count(p), 20);
	CHECK_STR(region(p, X, X + 4 * PG),
		  "500000000-500001000 rw-p 00000000\n"
		  "500001000-500003000 rw-p 00000000\n");
	CHECK_EQ(um_validate(p), 0);
	CHECK_EQ(um_mprotect(p, X + PG, PG, RW), 0);        /* "back": no change */
	CHECK_EQ(map_count(p), 20);
	CHECK_EQ(um_munmap(p, X + PG, PG), 0);              /* starts a VMA now */
	CHECK_EQ(map_count(p), 20);
	CHECK_EQ(um_mmap(p, X + PG, PG, RW, APF, NOFD, 0), (long)(X + PG));  /* refill */
	CHECK_EQ(map_count(p), 19);
	CHECK_STR(region(p, X, X + 4 * PG), "500000000-500003000 rw-p 00000000\n");
	CHECK_EQ(um_mprotect(p, X, PG, R), 0);
	CHECK_EQ(map_count(p), 20);
	CHECK_EQ(um_mprotect(p, X, PG, RW), 0);
	CHECK_EQ(map_count(p), 19);

	/* live (unit_mapcount): "(a) map_count max+1: munmap from inside T to
	 * inside U -> 0; map_count max+1", "(b) map_count max: MAP_FIXED R into
	 * the middle of V -> -ENOMEM", "(c) map_count max-1: MAP_FIXED R into
	 * the middle of V -> mapped; map_count max+1" */
	CHECK_EQ(um_mmap(p, X + 4 * PG, 2 * PG, R, APF, NOFD, 0), (long)(X + 4 * PG));
	CHECK_EQ(um_mmap(p, V, 3 * PG, RW, APF, NOFD, 0), (long)V);
	CHECK_EQ(map_count(p), 21);
	CHECK_EQ(um_munmap(p, X + 2 * PG, 3 * PG), 0);   /* T's tail .. U's head */
	CHECK_EQ(map_count(p), 21);
	CHECK_STR(region(p, X, X + 8 * PG),
		  "500000000-500002000 rw-p 00000000\n"
		  "500005000-500006000 r--p 00000000\n");
	CHECK_EQ(um_munmap(p, S, PG), 0);
	CHECK_EQ(map_count(p), 20);
	CHECK_EQ(um_mmap(p, V + PG, PG, R, APF, NOFD, 0), -ENOMEM);
	CHECK_EQ(map_count(p), 20);
	CHECK_STR(region(p, V, V + 4 * PG), "500064000-500067000 rw-p 00000000\n");
	CHECK_EQ(um_munmap(p, S + 2 * PG, PG), 0);
	CHECK_EQ(map_count(p), 19);
	CHECK_EQ(um_mmap(p, V + PG, PG, R, APF, NOFD, 0), (long)(V + PG));
	CHECK_EQ(map_count(p), 21);
	CHECK_STR(region(p, V, V + 4 * PG),
		  "500064000-500065000 rw-p 00000000\n"
		  "500065000-500066000 r--p 00000000\n"
		  "500066000-500067000 rw-p 00000000\n");
	ENDP(p);
	um_engine_free(e);
}

static um_proc *proc_with_limits(unsigned long as, unsigned long data)
{
	struct um_proc_config c = base_cfg();

	c.rlimit_as = as;
	c.rlimit_data = data;
	c.empty = 1;
	return um_proc_new(eng, &c);
}

/* RLIMIT_AS: a mapping may reach the limit exactly; one page more → ENOMEM;
 * MAP_FIXED only counts the pages it adds; mprotect does not count.
 * live (unit_errno, limit = VmSize + 16 pages): "mmap 16 pages (reaches the
 * limit exactly) -> mapped", "mmap 1 more page FIXED -> -ENOMEM", "un-hinted
 * -> -ENOMEM", "MAP_FIXED 4 pages replacing mapped pages -> mapped",
 * "MAP_FIXED 4 pages, 2 mapped + 2 new -> -ENOMEM", "mprotect RWX of 4 pages
 * -> 0", "munmap 1 page -> 0", "mmap 1 page FIXED now -> mapped", "mmap 1
 * more page FIXED -> -ENOMEM" */
TEST(rlimit_as_enomem)
{
	um_proc *p = proc_with_limits(16 * PG, UM_RLIM_INFINITY);
	const unsigned long a = 0x600000000UL;
	struct um_stats st;

	CHECK_EQ(um_mmap(p, a, 16 * PG, RW, APF, NOFD, 0), (long)a);
	CHECK_EQ(um_mmap(p, a + 32 * PG, PG, RW, APF, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0, PG, R, AP, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, a + 4 * PG, 4 * PG, R, APF, NOFD, 0), (long)(a + 4 * PG));
	CHECK_EQ(um_mmap(p, a + 14 * PG, 4 * PG, RW, APF, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mprotect(p, a, 4 * PG, PROT_READ | PROT_WRITE | PROT_EXEC), 0);
	CHECK_EQ(um_munmap(p, a + 15 * PG, PG), 0);
	CHECK_EQ(um_mmap(p, a + 32 * PG, PG, RW, APF, NOFD, 0), (long)(a + 32 * PG));
	CHECK_EQ(um_mmap(p, a + 40 * PG, PG, RW, APF, NOFD, 0), -ENOMEM);
	um_proc_stats(p, &st);
	CHECK_EQ(st.total_vm, 16);
	ENDP(p);
}

/* A MAP_FIXED refused by RLIMIT_AS leaves the VMA it overlapped split at
 * the new range's edge (the old pages are kept, in two equal VMAs).
 * live (unit_errno): "MAP_FIXED R at a+14p, 4 pages (2 new) -> -ENOMEM" then
 * "600000000-60000e000 rw-p / 60000e000-600010000 rw-p", then "MAP_FIXED R at
 * a+4p, 2 pages (all replacing) -> mapped" */
TEST(rlimit_as_refused_fixed_leaves_split)
{
	um_proc *p = proc_with_limits(16 * PG, UM_RLIM_INFINITY);
	const unsigned long a = 0x600000000UL;

	CHECK_EQ(um_mmap(p, a, 16 * PG, RW, APF, NOFD, 0), (long)a);
	CHECK_EQ(um_mmap(p, a + 14 * PG, 4 * PG, R, APF, NOFD, 0), -ENOMEM);
	CHECK_STR(region(p, a, a + 64 * PG),
		  "600000000-60000e000 rw-p 00000000\n"
		  "60000e000-600010000 rw-p 00000000\n");
	CHECK_EQ(um_mmap(p, a + 4 * PG, 2 * PG, R, APF, NOFD, 0), (long)(a + 4 * PG));
	CHECK_STR(region(p, a, a + 64 * PG),
		  "600000000-600004000 rw-p 00000000\n"
		  "600004000-600006000 r--p 00000000\n"
		  "600006000-60000e000 rw-p 00000000\n"
		  "60000e000-600010000 rw-p 00000000\n");
	ENDP(p);
}

/* RLIMIT_DATA counts private writable non-stack memory (data_vm): it may be
 * reached exactly; more → ENOMEM from mmap and from mprotect adding
 * PROT_WRITE; shared, read-only, executable and MAP_GROWSDOWN memory is not
 * data; MAP_NORESERVE still is.
 * live (unit_errno, limit = VmData + 16 pages): "mmap 16 pages private RW
 * (reaches the limit exactly) -> mapped", "mmap 1 more private RW page ->
 * -ENOMEM", "mmap 1 private R page -> mapped", "mprotect it RW -> -ENOMEM",
 * "mmap 1 shared RW page -> mapped", "mmap 1 private RW MAP_NORESERVE page
 * -> -ENOMEM", "mmap 1 private RW MAP_GROWSDOWN page -> mapped", "MAP_FIXED 4
 * private RW pages over mapped RW pages -> mapped", "munmap 1 RW page -> 0",
 * "mprotect the R page RW now -> 0", "mprotect it back R -> 0", "mmap 1
 * private R|X page -> mapped"; p09: "mmap 64 pages private RW anon MAP_STACK
 * -> -ENOMEM" */
TEST(rlimit_data_enomem)
{
	um_proc *p = proc_with_limits(UM_RLIM_INFINITY, 16 * PG);
	const unsigned long a = 0x600000000UL;
	struct um_stats st;

	CHECK_EQ(um_mmap(p, a, 16 * PG, RW, APF, NOFD, 0), (long)a);
	CHECK_EQ(um_mmap(p, a + 32 * PG, PG, RW, APF, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, a + 34 * PG, PG, R, APF, NOFD, 0), (long)(a + 34 * PG));
	CHECK_EQ(um_mprotect(p, a + 34 * PG, PG, RW), -ENOMEM);
	CHECK_EQ(um_mmap(p, a + 36 * PG, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
			 NOFD, 0), (long)(a + 36 * PG));
	CHECK_EQ(um_mmap(p, a + 38 * PG, PG, RW, APF | MAP_NORESERVE, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, a + 38 * PG, PG, RW, APF | MAP_STACK, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, a + 40 * PG, PG, RW, APF | MAP_GROWSDOWN, NOFD, 0),
		 (long)(a + 40 * PG));
	CHECK_EQ(um_mmap(p, a + 4 * PG, 4 * PG, RW, APF, NOFD, 0), (long)(a + 4 * PG));
	um_proc_stats(p, &st);
	CHECK_EQ(st.data_vm, 16);
	CHECK_EQ(um_munmap(p, a + 15 * PG, PG), 0);
	CHECK_EQ(um_mprotect(p, a + 34 * PG, PG, RW), 0);
	CHECK_EQ(um_mprotect(p, a + 34 * PG, PG, R), 0);
	CHECK_EQ(um_mmap(p, a + 42 * PG, PG, PROT_READ | PROT_EXEC, APF, NOFD, 0),
		 (long)(a + 42 * PG));
	um_proc_stats(p, &st);
	CHECK_EQ(st.data_vm, 15);
	ENDP(p);
}

/* ==== munmap ================================================================================ */

/* munmap: length 0 or an unaligned address → EINVAL; a range beyond the
 * task size → EINVAL; a hole → 0; a short length covers a whole page.
 * live (p08): "len 0 (mapped addr) -> -EINVAL", "len 0 unaligned addr ->
 * -EINVAL", "unaligned addr X+1 len 4096 -> -EINVAL", "unaligned addr X+0x800
 * -> -EINVAL", "hole-only range 0x400000000 len 4 pages -> 0", "len 1 at X+3p
 * (rounds up to a page) -> 0", "addr X len ~0UL (overflow) -> -EINVAL", "addr
 * X len -X (end == 2^64) -> -EINVAL", "addr X len ... (end > TASK_SIZE) ->
 * -EINVAL", "addr 0x7ffffffff000 (== TASK_SIZE) len 4096 -> -EINVAL", "...
 * len 0 -> -EINVAL", "addr 0x800000000000 len 4096 -> -EINVAL", "addr
 * 0xffffffffff600000 ([vsyscall]) -> -EINVAL", "addr 0 len 4096 (nothing
 * there) -> 0", "addr 0x7ffffffff000-8192 len 8192 (ends at TASK_SIZE) -> 0"
 * (there the stack was unmapped; here the range is a hole) */
TEST(munmap_einval_and_holes)
{
	um_proc *p = new_proc();
	const unsigned long X = 0x500000000UL;

	CHECK_EQ(um_mmap(p, X, 4 * PG, RW, APF, NOFD, 0), (long)X);
	CHECK_EQ(um_munmap(p, X, 0), -EINVAL);
	CHECK_EQ(um_munmap(p, X + 1, 0), -EINVAL);
	CHECK_EQ(um_munmap(p, X + 1, PG), -EINVAL);
	CHECK_EQ(um_munmap(p, X + 0x800, PG), -EINVAL);
	CHECK_EQ(um_munmap(p, X, ~0UL), -EINVAL);
	CHECK_EQ(um_munmap(p, X, -X), -EINVAL);
	CHECK_EQ(um_munmap(p, X, TASK_SIZE - X + PG), -EINVAL);
	CHECK_EQ(um_munmap(p, TASK_SIZE, PG), -EINVAL);
	CHECK_EQ(um_munmap(p, TASK_SIZE, 0), -EINVAL);
	CHECK_EQ(um_munmap(p, 0x800000000000UL, PG), -EINVAL);
	CHECK_EQ(um_munmap(p, 0xffffffffff600000UL, PG), -EINVAL);
	CHECK_STR(region(p, X, X + 4 * PG), "500000000-500004000 rw-p 00000000\n");
	CHECK_EQ(um_munmap(p, 0x400000000UL, 4 * PG), 0);
	CHECK_EQ(um_munmap(p, 0, PG), 0);
	CHECK_EQ(um_munmap(p, 0x7ffffffff000UL - 0x200000UL, 2 * PG), 0);
	CHECK_EQ(um_munmap(p, X + 3 * PG, 1), 0);
	CHECK_STR(region(p, X, X + 4 * PG), "500000000-500003000 rw-p 00000000\n");
	ENDP(p);
}

/* munmap across several VMAs and a hole, ending inside a VMA.
 * live (p08): "munmap(X, 5 pages) spanning 4 VMAs + hole, ends mid-VMA -> 0",
 * leaving "500005000-500006000 rw-p" */
TEST(munmap_spanning_vmas_and_hole)
{
	um_proc *p = new_proc();
	const unsigned long X = 0x500000000UL;

	CHECK_EQ(um_mmap(p, X, PG, R, APF, NOFD, 0), (long)X);
	CHECK_EQ(um_mmap(p, X + PG, 2 * PG, RW, APF, NOFD, 0), (long)(X + PG));
	CHECK_EQ(um_mmap(p, X + 3 * PG, PG, R, APF, NOFD, 0), (long)(X + 3 * PG));
	CHECK_EQ(um_mmap(p, X + 4 * PG, 2 * PG, RW, APF, NOFD, 0), (long)(X + 4 * PG));
	CHECK_EQ(um_munmap(p, X + 2 * PG, PG), 0);   /* a hole inside the 2nd */
	CHECK_EQ(um_munmap(p, X, 5 * PG), 0);
	CHECK_STR(region(p, X - PG, X + 8 * PG), "500005000-500006000 rw-p 00000000\n");
	CHECK_EQ(map_count(p), 5);
	ENDP(p);
}

/* A special mapping ([vvar]) refuses to be split: munmap of one of its pages
 * → EINVAL and it stays whole.
 * live (p08): "munmap 1st page of [vvar] (split of special mapping) ->
 * -EINVAL", "munmap 2nd page of [vvar] -> -EINVAL" */
TEST(munmap_split_special_einval)
{
	um_proc *p = new_proc();

	CHECK_EQ(um_munmap(p, VVAR, PG), -EINVAL);
	CHECK_EQ(um_munmap(p, VVAR + PG, PG), -EINVAL);
	CHECK_STR(region(p, VVAR, VVAR + 4 * PG), "7ffff7ff7000-7ffff7ffb000 r--p 00000000\n");
	CHECK_EQ(map_count(p), 4);
	ENDP(p);
}

/* A special mapping ([vvar]) cannot be split by MAP_FIXED or mprotect
 * either (EINVAL, nothing changed); an mprotect that changes nothing is 0.
 * live (unit_errno): "MAP_FIXED 1 page at vvar+1p -> -EINVAL", "MAP_FIXED 2
 * pages at vvar-1p (overlaps its first page) -> -EINVAL", "mprotect vvar first
 * page R (unchanged) -> 0", "mprotect vvar first page NONE (split) ->
 * -EINVAL", maps unchanged; p07: "mprotect [vvar] RW -> -EACCES" */
TEST(special_mapping_split_einval)
{
	um_proc *p = new_proc();

	CHECK_EQ(um_mmap(p, VVAR + PG, PG, RW, APF, NOFD, 0), -EINVAL);
	CHECK_EQ(um_mmap(p, VVAR - PG, 2 * PG, RW, APF, NOFD, 0), -EINVAL);
	CHECK_EQ(um_mprotect(p, VVAR, PG, R), 0);
	CHECK_EQ(um_mprotect(p, VVAR, PG, PROT_NONE), -EINVAL);
	CHECK_EQ(um_mprotect(p, VVAR, 4 * PG, RW), -EACCES);
	CHECK_STR(region(p, VVAR - 16 * PG, VVAR + 4 * PG),
		  "7ffff7ff7000-7ffff7ffb000 r--p 00000000\n");
	CHECK_EQ(map_count(p), 4);
	ENDP(p);
}

/* ==== mprotect ============================================================================== */

/* mprotect argument checks, in order: unaligned start → EINVAL; length 0 →
 * 0 (before prot or mapping checks); a wrapping end → ENOMEM; unknown prot
 * bits → EINVAL (PROT_SEM is accepted); then an unmapped start → ENOMEM.
 * live (p07): "len 0, aligned mapped addr -> 0", "len 0, aligned unmapped
 * addr 0x10000 -> 0", "len 0, unaligned addr X+1 -> -EINVAL", "len 0, aligned,
 * bad prot 0x10 -> 0", "len 0, aligned, addr above TASK_SIZE -> 0",
 * "unaligned addr X+1, len 4096 -> -EINVAL", "unmapped 0x10000 len 4096 ->
 * -ENOMEM", "unmapped 0x10000 len 4096, bad prot 0x10 -> -EINVAL", "addr X,
 * len ~0UL -> -ENOMEM", "addr X, len -X (end == 0) -> -ENOMEM", "addr X, len
 * ~0UL, bad prot 0x10 -> -ENOMEM", "addr 0x7ffffffff000 len 4096 -> -ENOMEM",
 * "addr 0x800000000000 -> -ENOMEM", "addr X, len 1<<47 (runs past mappings)
 * -> -ENOMEM" (after changing the VMA at X),
 * "mprotect prot=0x8 -> 0", "prot=0x10/0x20/.../0xffffffffffffffff -> -EINVAL" */
TEST(mprotect_argument_errors)
{
	um_proc *p = new_proc();
	const unsigned long X = 0x500000000UL;
	const unsigned long bad[] = { 0x10, 0x20, 0x40, 0x80, 0x100, 0x10000,
				      0x4000000, 0x80000000UL, ~0UL };

	CHECK_EQ(um_mmap(p, X, 4 * PG, RW, APF, NOFD, 0), (long)X);
	CHECK_EQ(um_mprotect(p, X, 0, R), 0);
	CHECK_EQ(um_mprotect(p, 0x10000, 0, R), 0);
	CHECK_EQ(um_mprotect(p, X + 1, 0, R), -EINVAL);
	CHECK_EQ(um_mprotect(p, X, 0, 0x10), 0);
	CHECK_EQ(um_mprotect(p, 0x800000000000UL, 0, R), 0);
	CHECK_EQ(um_mprotect(p, X + 1, PG, R), -EINVAL);
	CHECK_EQ(um_mprotect(p, X + 1, PG, 0x10), -EINVAL);
	CHECK_EQ(um_mprotect(p, 0x10000, PG, R), -ENOMEM);
	CHECK_EQ(um_mprotect(p, 0x10000, PG, 0x10), -EINVAL);
	CHECK_EQ(um_mprotect(p, X, ~0UL, R), -ENOMEM);
	CHECK_EQ(um_mprotect(p, X, ~0UL - 8191, R), -ENOMEM);
	CHECK_EQ(um_mprotect(p, X, -X, R), -ENOMEM);
	CHECK_EQ(um_mprotect(p, X, ~0UL, 0x10), -ENOMEM);
	CHECK_EQ(um_mprotect(p, TASK_SIZE, PG, R), -ENOMEM);
	CHECK_EQ(um_mprotect(p, 0x800000000000UL, PG, R), -ENOMEM);
	CHECK_EQ(um_mprotect(p, 0xffffffffff600000UL, PG, R), -ENOMEM);
	CHECK_EQ(um_mprotect(p, X, 1UL << 47, R), -ENOMEM);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(um_mprotect(p, X + PG, PG, bad[i]), -EINVAL);
	CHECK_EQ(um_mprotect(p, X + PG, PG, PROT_SEM), 0);
	CHECK_EQ(um_mprotect(p, X, 1, R), 0);
	/* Only the 1<<47 call changed something: it made the whole VMA r--p
	 * before reaching the hole above it (live: "maps after:
	 * 500000000-500004000 r--p").  PROT_SEM alone is PROT_NONE. */
	CHECK_STR(region(p, X, X + 4 * PG),
		  "500000000-500001000 r--p 00000000\n"
		  "500001000-500002000 ---p 00000000\n"
		  "500002000-500004000 r--p 00000000\n");
	ENDP(p);
}

/* mprotect over a hole → ENOMEM; the VMAs before the hole are already
 * changed (split at the start if needed), nothing after it is.
 * live (p06): layout "500000000-500002000 rw-p / 500003000-500005000 rw-p";
 * "mprotect(A.start, 5 pages, R) -> -ENOMEM" leaves A r--p, B rw-p;
 * "mprotect(A.start+1p, 3 pages, R) -> -ENOMEM" splits A, upper half r--p;
 * "mprotect(hole, 3 pages, R) (hole then B) -> -ENOMEM" changes nothing;
 * "mprotect(A.start, 5 pages, PROT_EXEC|0x10 bad bits) -> -EINVAL" */
TEST(mprotect_hole_enomem_partial)
{
	um_proc *p = new_proc();
	const unsigned long A = 0x500000000UL, B = A + 3 * PG;

	CHECK_EQ(um_mmap(p, A, 2 * PG, RW, APF, NOFD, 0), (long)A);
	CHECK_EQ(um_mmap(p, B, 2 * PG, RW, APF, NOFD, 0), (long)B);
	CHECK_EQ(um_mprotect(p, A, 5 * PG, R), -ENOMEM);
	CHECK_STR(region(p, A, A + 5 * PG),
		  "500000000-500002000 r--p 00000000\n"
		  "500003000-500005000 rw-p 00000000\n");
	CHECK_EQ(um_mprotect(p, A, 3 * PG, R), -ENOMEM);
	CHECK_EQ(um_mprotect(p, A, 2 * PG, RW), 0);
	CHECK_EQ(um_mprotect(p, A + PG, 3 * PG, R), -ENOMEM);
	CHECK_STR(region(p, A, A + 5 * PG),
		  "500000000-500001000 rw-p 00000000\n"
		  "500001000-500002000 r--p 00000000\n"
		  "500003000-500005000 rw-p 00000000\n");
	CHECK_EQ(um_mprotect(p, A, 2 * PG, RW), 0);
	CHECK_EQ(um_mprotect(p, A + 2 * PG, 3 * PG, R), -ENOMEM);
	CHECK_EQ(um_mprotect(p, A + 2 * PG, PG, R), -ENOMEM);
	CHECK_EQ(um_mprotect(p, A, 5 * PG, PROT_EXEC | 0x10), -EINVAL);
	CHECK_STR(region(p, A, A + 5 * PG),
		  "500000000-500002000 rw-p 00000000\n"
		  "500003000-500005000 rw-p 00000000\n");
	ENDP(p);
}

/* Adding PROT_WRITE to a MAP_SHARED mapping of a read-only fd → EACCES; the
 * VMAs before it in the range are already changed.
 * live (p07): "mprotect PROT_WRITE over 1st page only -> -EACCES",
 * "mprotect RW over [anon R][shared RO-fd][anon R] -> -EACCES" leaving
 * "500000000-500002000 rw-p / 500002000-500004000 r--s / 500004000-500006000
 * r--p", "mprotect RW over [shared RO-fd][anon R] -> -EACCES" (no change) */
TEST(mprotect_write_on_readonly_shared_eacces)
{
	um_proc *p = new_proc();
	const unsigned long X = 0x500000000UL;
	long ro = open_file(p, O_RDONLY);

	CHECK_EQ(um_mmap(p, X, 2 * PG, R, APF, NOFD, 0), (long)X);
	CHECK_EQ(um_mmap(p, X + 2 * PG, 2 * PG, R, MAP_SHARED | MAP_FIXED, ro, 0),
		 (long)(X + 2 * PG));
	CHECK_EQ(um_mmap(p, X + 4 * PG, 2 * PG, R, APF, NOFD, 0), (long)(X + 4 * PG));
	CHECK_EQ(um_mprotect(p, X + 2 * PG, PG, PROT_WRITE), -EACCES);
	CHECK_EQ(um_mprotect(p, X, 6 * PG, RW), -EACCES);
	CHECK_STR(region(p, X, X + 6 * PG),
		  "500000000-500002000 rw-p 00000000\n"
		  "500002000-500004000 r--s 00000000\n"
		  "500004000-500006000 r--p 00000000\n");
	CHECK_EQ(um_mprotect(p, X + 2 * PG, 4 * PG, RW), -EACCES);
	CHECK_STR(region(p, X + 2 * PG, X + 6 * PG),
		  "500002000-500004000 r--s 00000000\n"
		  "500004000-500006000 r--p 00000000\n");
	ENDP(p);
}

/* PROT_GROWSDOWN / PROT_GROWSUP: both → EINVAL; PROT_GROWSUP (no VM_GROWSUP
 * on x86) → EINVAL; PROT_GROWSDOWN on a normal VMA → EINVAL; on a growsdown
 * VMA it extends the range down to the VMA's start.
 * live (p07): "normal vma: mprotect R|PROT_GROWSDOWN -> -EINVAL", "R|PROT_GROWSUP
 * -> -EINVAL", "R|GROWSDOWN|GROWSUP -> -EINVAL", "mprotect(G+2p, 1p,
 * R|PROT_GROWSDOWN) -> 0" giving "600000000-600003000 r--p / 600003000-600004000
 * rw-p", "mprotect(G+2p, 1p, R|PROT_GROWSUP) on growsdown vma -> -EINVAL",
 * "mprotect(G-1p, 1p, R|PROT_GROWSDOWN) start below vma -> -ENOMEM",
 * "mprotect(G-1p, 2p, RW) over hole + vma -> -ENOMEM", "mprotect(G+3p, 0,
 * RW|PROT_GROWSDOWN) len 0 -> 0" */
TEST(mprotect_grows_flags)
{
	um_proc *p = new_proc();
	const unsigned long X = 0x500000000UL, G = 0x600000000UL;

	CHECK_EQ(um_mmap(p, X, 4 * PG, RW, APF, NOFD, 0), (long)X);
	CHECK_EQ(um_mmap(p, G, 4 * PG, RW, APF | MAP_GROWSDOWN, NOFD, 0), (long)G);
	CHECK_EQ(um_mprotect(p, X + PG, PG, R | PROT_GROWSDOWN), -EINVAL);
	CHECK_EQ(um_mprotect(p, X + PG, PG, R | PROT_GROWSUP), -EINVAL);
	CHECK_EQ(um_mprotect(p, X + PG, PG, R | PROT_GROWSDOWN | PROT_GROWSUP), -EINVAL);
	CHECK_EQ(um_mprotect(p, G + 2 * PG, PG, R | PROT_GROWSDOWN), 0);
	CHECK_STR(region(p, G, G + 4 * PG),
		  "600000000-600003000 r--p 00000000\n"
		  "600003000-600004000 rw-p 00000000\n");
	CHECK_EQ(um_mprotect(p, G + 2 * PG, PG, R | PROT_GROWSUP), -EINVAL);
	CHECK_EQ(um_mprotect(p, G - PG, PG, R | PROT_GROWSDOWN), -ENOMEM);
	CHECK_EQ(um_mprotect(p, G - PG, 2 * PG, RW), -ENOMEM);
	CHECK_EQ(um_mprotect(p, G + 3 * PG, 0, RW | PROT_GROWSDOWN), 0);
	CHECK_STR(region(p, X, X + 4 * PG), "500000000-500004000 rw-p 00000000\n");
	ENDP(p);
}

/* ==== brk ==================================================================================== */

/* brk below the start of the heap, or colliding with a mapping (it must
 * also leave one free page below it, and the guard gap of a growsdown VMA),
 * leaves the break unchanged and returns it; growing and shrinking move the
 * [heap] VMA.
 * live (p09, b0 = start_brk): "brk(b0 - 1) (below start_brk) -> b0",
 * "brk(1) -> b0", "brk(b0 + 1) -> b0+1" with "[heap]" b0..b0+1p, "brk(b0 +
 * 4097) -> b0+0x1001" heap 2 pages, "brk(b0 + 3 pages + 5) (shrink)" heap 4
 * pages, "brk(b0) (shrink to empty)" no heap, "mmap M FIXED (2 pages,
 * PROT_READ) at b0+16p", "brk(M + 1) (overlaps M) -> unchanged", "brk(M)
 * (would end exactly at M) -> unchanged", "brk(M - 4096 + 1) -> unchanged",
 * "brk(M - 4096) (leaves a 1-page gap) -> M-4096", "brk(M + 3 pages) (jump
 * over M) -> unchanged", "brk(0x7ffff0000000) / brk(0x800000000000) /
 * brk(~0UL) -> unchanged"; unit_errno: "brk(M - 1 MiB) -> unchanged",
 * "brk(M - 1 MiB - 4096 + 1) -> unchanged", "brk(M - 1 MiB - 4096) -> M - 1
 * MiB - 4096" for a MAP_GROWSDOWN M far above the break */
TEST(brk_limits)
{
	um_proc *p = new_proc();
	const unsigned long b0 = START_BRK, M = b0 + 16 * PG, M2 = b0 + 512 * PG;
	const char *heap;

	CHECK_EQ(um_brk(p, 0), (long)b0);
	CHECK_EQ(um_brk(p, b0 - 1), (long)b0);
	CHECK_EQ(um_brk(p, b0 - PG), (long)b0);
	CHECK_EQ(um_brk(p, 1), (long)b0);
	CHECK_EQ(um_brk(p, b0), (long)b0);
	CHECK_STR(region(p, b0 - PG, b0 + 64 * PG), "");
	CHECK_EQ(um_brk(p, b0 + 1), (long)(b0 + 1));
	CHECK_STR(region(p, b0 - PG, b0 + 64 * PG), "555555559000-55555555a000 rw-p 00000000\n");
	um_maps(p, mapsbuf, sizeof(mapsbuf));
	heap = strstr(mapsbuf, "555555559000-55555555a000 rw-p 00000000 00:00 0");
	CHECK(heap && !strncmp(heap + 73, "[heap]\n", 7));
	CHECK_EQ(um_brk(p, 0), (long)(b0 + 1));
	CHECK_EQ(um_brk(p, b0 + PG), (long)(b0 + PG));
	CHECK_EQ(um_brk(p, b0 + PG + 1), (long)(b0 + PG + 1));
	CHECK_STR(region(p, b0 - PG, b0 + 64 * PG), "555555559000-55555555b000 rw-p 00000000\n");
	CHECK_EQ(um_brk(p, b0 + 10 * PG), (long)(b0 + 10 * PG));
	CHECK_EQ(um_brk(p, b0 + 3 * PG + 5), (long)(b0 + 3 * PG + 5));
	CHECK_STR(region(p, b0 - PG, b0 + 64 * PG), "555555559000-55555555d000 rw-p 00000000\n");
	CHECK_EQ(um_brk(p, b0), (long)b0);
	CHECK_STR(region(p, b0 - PG, b0 + 64 * PG), "");
	CHECK_EQ(um_brk(p, b0 + 2 * PG), (long)(b0 + 2 * PG));

	/* a mapping in the way */
	CHECK_EQ(um_mmap(p, M, 2 * PG, R, APF, NOFD, 0), (long)M);
	CHECK_EQ(um_brk(p, M + 1), (long)(b0 + 2 * PG));
	CHECK_EQ(um_brk(p, M), (long)(b0 + 2 * PG));
	CHECK_EQ(um_brk(p, M - PG + 1), (long)(b0 + 2 * PG));
	CHECK_EQ(um_brk(p, M - PG), (long)(M - PG));
	CHECK_STR(region(p, b0 - PG, b0 + 64 * PG),
		  "555555559000-555555568000 rw-p 00000000\n"
		  "555555569000-55555556b000 r--p 00000000\n");
	CHECK_EQ(um_brk(p, M + 3 * PG), (long)(M - PG));
	CHECK_EQ(um_brk(p, b0 + 2 * PG), (long)(b0 + 2 * PG));
	CHECK_EQ(um_munmap(p, M, 2 * PG), 0);

	/* a growsdown mapping keeps its guard gap free of the heap too */
	CHECK_EQ(um_mmap(p, M2, 2 * PG, RW, APF | MAP_GROWSDOWN, NOFD, 0), (long)M2);
	CHECK_EQ(um_brk(p, M2 - MiB), (long)(b0 + 2 * PG));
	CHECK_EQ(um_brk(p, M2 - MiB - PG + 1), (long)(b0 + 2 * PG));
	CHECK_EQ(um_brk(p, M2 - MiB - PG), (long)(M2 - MiB - PG));
	CHECK_EQ(um_brk(p, b0 + 2 * PG), (long)(b0 + 2 * PG));

	/* absurd values */
	CHECK_EQ(um_brk(p, 0x7ffff0000000UL), (long)(b0 + 2 * PG));
	CHECK_EQ(um_brk(p, 0x800000000000UL), (long)(b0 + 2 * PG));
	CHECK_EQ(um_brk(p, ~0UL), (long)(b0 + 2 * PG));
	CHECK_STR(region(p, b0 - PG, b0 + 64 * PG), "555555559000-55555555b000 rw-p 00000000\n");
	ENDP(p);
}

/* brk shrinks by unmapping [newbrk, oldbrk) of the heap VMA; when the
 * program has unmapped the heap itself there is nothing there and the shrink
 * fails (the old break is returned), so a later grow starts at the old break.
 * live (unit_brk D, b0 = 0x405000): "brk(b0+1p) -> 0x406000", "munmap [b0,
 * b0+1p) -> 0", "brk(b0) (shrink, no heap VMA left) -> 0x406000", "brk(b0+2p)
 * -> 0x407000" with only "00406000-00407000 rw-p ... [heap]" */
TEST(brk_shrink_after_heap_unmapped)
{
	um_proc *p = new_proc();
	const unsigned long b0 = START_BRK;

	CHECK_EQ(um_brk(p, b0 + PG), (long)(b0 + PG));
	CHECK_EQ(um_munmap(p, b0, PG), 0);
	CHECK_EQ(um_brk(p, b0), (long)(b0 + PG));
	CHECK_EQ(um_brk(p, b0 + 2 * PG), (long)(b0 + 2 * PG));
	CHECK_STR(region(p, b0 - PG, b0 + 64 * PG), "55555555a000-55555555b000 rw-p 00000000\n");
	ENDP(p);
}

/* brk is limited by RLIMIT_DATA: the heap may reach it exactly.
 * live (p09, RLIMIT_DATA = 0x20000): "brk(b0 + 16 pages) -> b0+16p", "brk(b0 +
 * 40 pages) -> unchanged"; the exact edge follows do_brk_flags' may_expand_vm
 * (data_vm + pages > limit), the same rule unit_errno measured for mmap */
TEST(brk_rlimit_data)
{
	struct um_proc_config c = base_cfg();
	const unsigned long b0 = START_BRK;
	um_proc *p;

	c.rlimit_data = 16 * PG;
	p = um_proc_new(eng, &c);
	CHECK_EQ(um_brk(p, b0 + 16 * PG), (long)(b0 + 16 * PG));
	CHECK_EQ(um_brk(p, b0 + 16 * PG + 1), (long)(b0 + 16 * PG));
	CHECK_EQ(um_brk(p, b0 + 40 * PG), (long)(b0 + 16 * PG));
	CHECK_EQ(um_brk(p, b0 + 8 * PG), (long)(b0 + 8 * PG));
	/* the heap counts as data for mmap too */
	CHECK_EQ(um_mmap(p, 0, 9 * PG, RW, AP, NOFD, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0, 8 * PG, RW, AP, NOFD, 0), (long)(FIRST - 7 * PG));
	ENDP(p);
}

/* ---- setup ----------------------------------------------------------------------------------- */

static int make_files(void)
{
	char page[PG];
	int fd;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/usermm_errno_XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(fpath, sizeof(fpath), "%s/f", tmpdir);
	snprintf(dpath, sizeof(dpath), "%s/d", tmpdir);
	snprintf(ppath, sizeof(ppath), "%s/p", tmpdir);
	fd = open(fpath, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	memset(page, 'x', sizeof(page));
	for (int i = 0; i < 4; i++)
		if (write(fd, page, sizeof(page)) != (ssize_t)sizeof(page)) {
			close(fd);
			return -1;
		}
	close(fd);
	if (mkdir(dpath, 0755) || mkfifo(ppath, 0644))
		return -1;
	return 0;
}

static void remove_files(void)
{
	unlink(fpath);
	unlink(ppath);
	rmdir(dpath);
	rmdir(tmpdir);
}

int main(void)
{
	struct um_engine_config cfg = {
		.max_map_count = 65530, .mmap_min_addr = 4096,
		.overcommit_memory = 0, .thp_enabled = 1,
	};

	if (make_files()) {
		perror("test files");
		remove_files();
		return 1;
	}
	eng = um_engine_new(&cfg);
	RUN_ISOLATED(mmap_len0_einval);
	RUN_ISOLATED(mmap_len_overflow_or_too_big_enomem);
	RUN_ISOLATED(mmap_fixed_beyond_task_size_enomem);
	RUN_ISOLATED(mmap_short_length_is_whole_page);
	RUN_ISOLATED(mmap_bad_map_type_einval);
	RUN_ISOLATED(mmap_shared_validate_unknown_flag_eopnotsupp);
	RUN_ISOLATED(mmap_shared_validate_above4g_accepted);
	RUN_ISOLATED(mmap_sync_depends_on_filesystem);
	RUN_ISOLATED(mmap_unaligned_offset_einval);
	RUN_ISOLATED(mmap_offset_overflow_eoverflow);
	RUN_ISOLATED(mmap_regular_file_offset_limit_eoverflow);
	RUN_ISOLATED(mmap_bad_fd_ebadf);
	RUN_ISOLATED(mmap_wronly_fd_eacces);
	RUN_ISOLATED(mmap_shared_write_on_rdonly_fd_eacces);
	RUN_ISOLATED(mmap_unmappable_files_enodev);
	RUN_ISOLATED(mmap_growsdown_needs_private_anon);
	RUN_ISOLATED(mmap_ignores_unknown_prot_bits);
	RUN_ISOLATED(mmap_hugetlb_errors);
	RUN_ISOLATED(mmap_fixed_unaligned_einval);
	RUN_ISOLATED(mmap_fixed_replaces_and_splits);
	RUN_ISOLATED(mmap_fixed_noreplace_eexist);
	RUN_ISOLATED(mmap_hints);
	RUN_ISOLATED(mmap_hint_below_mmap_min_addr);
	RUN_ISOLATED(mmap_32bit);
	RUN_ISOLATED(mmap_32bit_2gib_enomem);
	RUN_ISOLATED(mmap_growsdown_guard_gap);
	RUN_ISOLATED(max_map_count_limits);
	RUN_ISOLATED(rlimit_as_enomem);
	RUN_ISOLATED(rlimit_as_refused_fixed_leaves_split);
	RUN_ISOLATED(rlimit_data_enomem);
	RUN_ISOLATED(munmap_einval_and_holes);
	RUN_ISOLATED(munmap_spanning_vmas_and_hole);
	RUN_ISOLATED(munmap_split_special_einval);
	RUN_ISOLATED(special_mapping_split_einval);
	RUN_ISOLATED(mprotect_argument_errors);
	RUN_ISOLATED(mprotect_hole_enomem_partial);
	RUN_ISOLATED(mprotect_write_on_readonly_shared_eacces);
	RUN_ISOLATED(mprotect_grows_flags);
	RUN_ISOLATED(brk_limits);
	RUN_ISOLATED(brk_shrink_after_heap_unmapped);
	RUN_ISOLATED(brk_rlimit_data);
	um_engine_free(eng);
	remove_files();
	return check_summary();
}
