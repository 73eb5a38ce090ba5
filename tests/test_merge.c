/*
 * test_merge.c — VMA merge and split cases, drawn as layout pictures in the
 * style of the kernel's tools/testing/vma tests.
 *
 * One character is one page; a letter is a VMA, '_' is unmapped, and the same
 * letter on adjacent pages means one VMA.  Lowercase letters mark VMAs with an
 * anon_vma (populated: MAP_POPULATE on writable private memory write-faults
 * every page).  X = 0x500000000 is the left edge of every picture.
 *
 * Every expected layout was measured on the live kernel (Linux 6.18 x86-64)
 * by tests/probe/unit_merge.c, which performs the same calls at the same
 * addresses and prints the maps lines in the reduced form compared here:
 *   "start-end perms offset[ name]" — name cut to its last path component.
 * Map counts are checked too (um_proc_stats().map_count).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "check.h"
#include "usermm.h"

#define PG 4096UL
#define MiB (1UL << 20)
#define X 0x500000000UL

static const unsigned long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const unsigned long AS = MAP_SHARED | MAP_ANONYMOUS;
static const unsigned long APF = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
static const unsigned long R = PROT_READ, RW = PROT_READ | PROT_WRITE;
static const unsigned long NOFD = (unsigned long)-1;

static char tmpdir[64], fpath[128];
static um_engine *eng;

/* ---- helpers ------------------------------------------------------------------- */

static um_proc *new_proc(void)
{
	struct um_proc_config c = {
		.set_limits = 1, .rlimit_stack = 8 * MiB,
		.rlimit_as = UM_RLIM_INFINITY, .rlimit_data = UM_RLIM_INFINITY,
		.rlimit_memlock = 8 * MiB,
	};

	return um_proc_new(eng, &c);
}

static unsigned long map_count(um_proc *p)
{
	struct um_stats st;

	um_proc_stats(p, &st);
	return st.map_count;
}

static char mapsbuf[1 << 16];

/* The maps lines overlapping [lo, hi), reduced; returns the line count. */
static int region(um_proc *p, unsigned long lo, unsigned long hi, char *out,
		  size_t size)
{
	size_t len = 0;
	int lines = 0;

	um_maps(p, mapsbuf, sizeof(mapsbuf));
	out[0] = '\0';
	for (char *l = mapsbuf; *l;) {
		char *e = strchr(l, '\n'), perms[8];
		unsigned long s, t, off;

		if (!e)
			break;
		*e = '\0';
		if (sscanf(l, "%lx-%lx %7s %lx", &s, &t, perms, &off) == 4 &&
		    s < hi && t > lo) {
			const char *name = strlen(l) > 73 ? l + 73 : "";
			const char *slash = strrchr(name, '/');

			len += (size_t)snprintf(out + len, size - len, "%lx-%lx %s %08lx%s%s\n",
						s, t, perms, off, *name ? " " : "",
						slash ? slash + 1 : name);
			lines++;
		}
		l = e + 1;
	}
	return lines;
}

/* Compare the region around X with @want, and the VMA count with base+lines. */
#define EXPECT(p, base, want)                                                    \
	do {                                                                     \
		char got_[4096];                                                 \
		int n_ = region(p, X - 16 * PG, X + 48 * PG, got_, sizeof(got_)); \
		CHECK_STR(got_, want);                                           \
		CHECK_EQ(map_count(p), (base) + (unsigned long)n_);              \
		CHECK_EQ(um_validate(p), 0);                                     \
	} while (0)

static long fd_open(um_proc *p)
{
	long fd = um_openat(p, AT_FDCWD, fpath, O_RDWR, 0);

	CHECK(fd >= 0);
	return fd;
}

#define MM(p, addr, len, prot, flags, fd, off) \
	CHECK_EQ(um_mmap(p, addr, len, prot, flags, fd, off), (long)(addr))

/* ---- new ranges (mmap) ------------------------------------------------------------ */

/*  before:  AA__        mmap(X+2p, 2p) with A's attributes
 *  after:   AAAA        one VMA (prev grows) */
TEST(new_range_merges_left)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, RW, APF, NOFD, 0);
	MM(p, X + 2 * PG, 2 * PG, RW, APF, NOFD, 0);
	EXPECT(p, base, "500000000-500004000 rw-p 00000000\n");
	um_proc_free(p);
}

/*  before:  __BB        mmap(X, 2p) with B's attributes
 *  after:   BBBB        one VMA (next grows down) */
TEST(new_range_merges_right)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X + 2 * PG, 2 * PG, RW, APF, NOFD, 0);
	MM(p, X, 2 * PG, RW, APF, NOFD, 0);
	EXPECT(p, base, "500000000-500004000 rw-p 00000000\n");
	um_proc_free(p);
}

/*  before:  AA_BB       mmap(X+2p, 1p) with the same attributes
 *  after:   AAAAA       prev absorbs the new range and next */
TEST(new_range_merges_both)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, RW, APF, NOFD, 0);
	MM(p, X + 3 * PG, 2 * PG, RW, APF, NOFD, 0);
	CHECK_EQ(map_count(p), base + 2);
	MM(p, X + 2 * PG, PG, RW, APF, NOFD, 0);
	EXPECT(p, base, "500000000-500005000 rw-p 00000000\n");
	um_proc_free(p);
}

/* The process's first two un-hinted mmaps: the second lands right below the
 * first ([vvar] starts at 0x7ffff7ff7000) and merges with it.
 *   before:  __AA[vvar]   after:  AAAA[vvar] */
TEST(unhinted_mmaps_merge)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	char got[1024];

	CHECK_EQ(um_mmap(p, 0, 2 * PG, RW, AP, NOFD, 0), 0x7ffff7ff5000L);
	CHECK_EQ(um_mmap(p, 0, 2 * PG, RW, AP, NOFD, 0), 0x7ffff7ff3000L);
	region(p, 0x7ffff7f00000UL, 0x7ffff7ff7000UL, got, sizeof(got));
	CHECK_STR(got, "7ffff7ff3000-7ffff7ff7000 rw-p 00000000\n");
	CHECK_EQ(map_count(p), base + 1);
	um_proc_free(p);
}

/*  before:  AA__        mmap(X+2p, 2p, PROT_READ): flags differ
 *  after:   AABB */
TEST(different_prot_no_merge)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, RW, APF, NOFD, 0);
	MM(p, X + 2 * PG, 2 * PG, R, APF, NOFD, 0);
	EXPECT(p, base, "500000000-500002000 rw-p 00000000\n"
			"500002000-500004000 r--p 00000000\n");
	um_proc_free(p);
}

/*  before:  AA__        mmap(X+2p, 2p, RW, MAP_NORESERVE): VM_NORESERVE and
 *  after:   AABB        no VM_ACCOUNT, so the flags differ */
TEST(noreserve_no_merge)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, RW, APF, NOFD, 0);
	MM(p, X + 2 * PG, 2 * PG, RW, APF | MAP_NORESERVE, NOFD, 0);
	EXPECT(p, base, "500000000-500002000 rw-p 00000000\n"
			"500002000-500004000 rw-p 00000000\n");
	um_proc_free(p);
}

/*  before:  __AA__      MAP_STACK above (VM_NOHUGEPAGE), MAP_GROWSDOWN below
 *  after:   GGAASS      three VMAs, all rw-p */
TEST(stack_and_growsdown_no_merge)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, RW, APF, NOFD, 0);
	MM(p, X + 2 * PG, 2 * PG, RW, APF | MAP_STACK, NOFD, 0);
	MM(p, X - 2 * PG, 2 * PG, RW, APF | MAP_GROWSDOWN, NOFD, 0);
	EXPECT(p, base, "4ffffe000-500000000 rw-p 00000000\n"
			"500000000-500002000 rw-p 00000000\n"
			"500002000-500004000 rw-p 00000000\n");
	um_proc_free(p);
}

/*  before:  __GG__      three MAP_GROWSDOWN mappings: X+2p first, then X,
 *  after:   GGGGGG      then X+4p — equal flags (gd), so they merge
 *  mprotect(X+2p, 1p, R):
 *  split:   GGHGGG      three VMAs, every piece keeps VM_GROWSDOWN
 * live (unit_merge): "growsdown_three", "growsdown_mprotect_middle", smaps
 * VmFlags of both pieces include "gd" */
TEST(growsdown_merge_and_split)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	struct um_stats st;

	MM(p, X + 2 * PG, 2 * PG, RW, APF | MAP_GROWSDOWN, NOFD, 0);
	MM(p, X, 2 * PG, RW, APF | MAP_GROWSDOWN, NOFD, 0);
	MM(p, X + 4 * PG, 2 * PG, RW, APF | MAP_GROWSDOWN, NOFD, 0);
	EXPECT(p, base, "500000000-500006000 rw-p 00000000\n");
	CHECK_EQ(um_mprotect(p, X + 2 * PG, PG, R), 0);
	EXPECT(p, base, "500000000-500002000 rw-p 00000000\n"
			"500002000-500003000 r--p 00000000\n"
			"500003000-500006000 rw-p 00000000\n");
	/* all six pages still count as stack (VM_GROWSDOWN) */
	um_proc_stats(p, &st);
	CHECK_EQ(st.stack_vm, 33 + 6);   /* the default image's [stack] is 33 pages */
	um_proc_free(p);
}

/* ---- the heap ------------------------------------------------------------------------
 * b0 = start_brk = 0x555555559000 in a fresh usermm process.  Measured by
 * tests/probe/unit_brk.c (scenarios A, B, C: the same calls, relative to
 * its own b0 = 0x405000) and p09_brk.c (docs/kernel-notes.md §6.2).
 */
#define B0 0x555555559000UL
#define HEAPLO (B0 - 16 * PG)
#define HEAPHI (B0 + 64 * PG)

/*  before:  HH__        heap [b0, b0+2p), brk = b0+2p
 *  mmap([brk, brk+2p), RW, anonymous, MAP_FIXED):
 *  after:   HHHH        merges into the heap VMA, all labelled [heap]
 *  brk(b0+3p):          fails — the merged VMA itself is "the next mapping"
 *  brk(b0+1p):          unmaps only [b0+1p, b0+2p):
 *  after:   H_AA        [heap] and an unnamed VMA above the old break
 * live (unit_brk A): "00405000-00409000 rw-p ... [heap]", "brk(b0+3p) ->
 * 0x407000" (unchanged), "brk(b0+6p) -> 0x407000", "brk(b0+1p) -> 0x406000"
 * leaving "00405000-00406000 ... [heap]" and "00407000-00409000 rw-p" */
TEST(heap_absorbs_mapping_at_break)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	char got[1024];

	CHECK_EQ(um_brk(p, B0 + 2 * PG), (long)(B0 + 2 * PG));
	MM(p, B0 + 2 * PG, 2 * PG, RW, APF, NOFD, 0);
	region(p, HEAPLO, HEAPHI, got, sizeof(got));
	CHECK_STR(got, "555555559000-55555555d000 rw-p 00000000 [heap]\n");
	CHECK_EQ(um_brk(p, B0 + 3 * PG), (long)(B0 + 2 * PG));
	CHECK_EQ(um_brk(p, B0 + 6 * PG), (long)(B0 + 2 * PG));
	CHECK_EQ(um_brk(p, B0 + PG), (long)(B0 + PG));
	region(p, HEAPLO, HEAPHI, got, sizeof(got));
	CHECK_STR(got, "555555559000-55555555a000 rw-p 00000000 [heap]\n"
		       "55555555b000-55555555d000 rw-p 00000000\n");
	CHECK_EQ(map_count(p), base + 2);
	CHECK_EQ(um_validate(p), 0);
	um_proc_free(p);
}

/*  before:  A|          anonymous RW page [b0-1p, b0), no heap yet ('|' = b0)
 *  brk(b0+2p):
 *  after:   A|HH        a new [heap] VMA: brk only expands a VMA at or above
 *                       start_brk, never one below it
 * live (unit_brk B): "00404000-00405000 rw-p" then a separate
 * "00405000-00407000 rw-p ... [heap]"; p02: a static glibc binary's bss
 * "004c8000-014cd000 rw-p" sits directly under "014cd000-014ef000 rw-p
 * [heap]" as two VMAs */
TEST(heap_does_not_grow_into_vma_below)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	char got[1024];

	MM(p, B0 - PG, PG, RW, APF, NOFD, 0);
	CHECK_EQ(um_brk(p, B0 + 2 * PG), (long)(B0 + 2 * PG));
	region(p, HEAPLO, HEAPHI, got, sizeof(got));
	CHECK_STR(got, "555555558000-555555559000 rw-p 00000000\n"
		       "555555559000-55555555b000 rw-p 00000000 [heap]\n");
	CHECK_EQ(map_count(p), base + 2);
	CHECK_EQ(um_validate(p), 0);
	um_proc_free(p);
}

/*  before:  _|HH        heap [b0, b0+2p)
 *  mmap([b0-1p, b0), RW, anonymous, MAP_FIXED):
 *  after:   H|HH        the new page merges into the heap VMA ([heap])
 *  brk(b0+3p):
 *  after:   H|HHH       and brk extends that VMA
 * live (unit_brk C): "00404000-00407000 rw-p ... [heap]", then "brk(b0+3p)
 * -> 0x408000" and "00404000-00408000 rw-p ... [heap]" */
TEST(mapping_below_heap_merges_with_it)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	char got[1024];

	CHECK_EQ(um_brk(p, B0 + 2 * PG), (long)(B0 + 2 * PG));
	MM(p, B0 - PG, PG, RW, APF, NOFD, 0);
	region(p, HEAPLO, HEAPHI, got, sizeof(got));
	CHECK_STR(got, "555555558000-55555555b000 rw-p 00000000 [heap]\n");
	CHECK_EQ(um_brk(p, B0 + 3 * PG), (long)(B0 + 3 * PG));
	region(p, HEAPLO, HEAPHI, got, sizeof(got));
	CHECK_STR(got, "555555558000-55555555c000 rw-p 00000000 [heap]\n");
	CHECK_EQ(map_count(p), base + 1);
	CHECK_EQ(um_validate(p), 0);
	um_proc_free(p);
}

/* ---- files ------------------------------------------------------------------------ */

/*  before:  F0F1__      mmap(fd, off 2p) at X+2p: same file, offsets continue
 *  after:   FFFFFF      one VMA at offset 0 */
TEST(file_contiguous_merges)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	long fd = fd_open(p);

	MM(p, X, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	MM(p, X + 2 * PG, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 2 * PG);
	EXPECT(p, base, "500000000-500004000 rw-s 00000000 f\n");
	um_proc_free(p);
}

/*  before:  FF__        mmap(fd2, off 2p): fd2 is a second open() of the file,
 *  after:   FFGG        a different struct file — no merge */
TEST(file_two_opens_no_merge)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	long fd = fd_open(p), fd2 = fd_open(p);

	MM(p, X, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	MM(p, X + 2 * PG, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd2, 2 * PG);
	EXPECT(p, base, "500000000-500002000 rw-s 00000000 f\n"
			"500002000-500004000 rw-s 00002000 f\n");
	um_proc_free(p);
}

/*  before:  FF__        mmap(dup(fd), off 2p): dup shares the open file
 *  after:   FFFF        one VMA */
TEST(file_dup_merges)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	long fd = fd_open(p), fd3 = um_dup(p, (unsigned long)fd);

	CHECK(fd3 >= 0);
	MM(p, X, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	MM(p, X + 2 * PG, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd3, 2 * PG);
	EXPECT(p, base, "500000000-500004000 rw-s 00000000 f\n");
	um_proc_free(p);
}

/*  before:  F0F1__      mmap(fd, off 4p) at X+2p: offsets 0,1 then 4,5
 *  after:   FFGG        pgoff not contiguous — no merge */
TEST(file_offset_gap_no_merge)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	long fd = fd_open(p);

	MM(p, X, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	MM(p, X + 2 * PG, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 4 * PG);
	EXPECT(p, base, "500000000-500002000 rw-s 00000000 f\n"
			"500002000-500004000 rw-s 00004000 f\n");
	um_proc_free(p);
}

/*  before:  F2F3__      mmap(fd, off 0) at X+2p: the offsets run backwards
 *  after:   FFGG */
TEST(file_offset_reversed_no_merge)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	long fd = fd_open(p);

	MM(p, X, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 2 * PG);
	MM(p, X + 2 * PG, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	EXPECT(p, base, "500000000-500002000 rw-s 00002000 f\n"
			"500002000-500004000 rw-s 00000000 f\n");
	um_proc_free(p);
}

/*  before:  FF____      private R file pages 2-3, then anonymous R memory
 *  after:   FFFFAA      the file pieces merge; anonymous memory never joins
 *                       a file mapping */
TEST(file_private_merges_anon_does_not)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	long fd = fd_open(p);

	MM(p, X, 2 * PG, R, MAP_PRIVATE | MAP_FIXED, fd, 0);
	MM(p, X + 2 * PG, 2 * PG, R, MAP_PRIVATE | MAP_FIXED, fd, 2 * PG);
	MM(p, X + 4 * PG, 2 * PG, R, APF, NOFD, 0);
	EXPECT(p, base, "500000000-500004000 r--p 00000000 f\n"
			"500004000-500006000 r--p 00000000\n");
	um_proc_free(p);
}

/*  before:  SS__        MAP_SHARED|MAP_ANONYMOUS twice: each is its own shmem
 *  after:   SSTT        object ("/dev/zero (deleted)"), offsets both 0 */
TEST(shared_anon_no_merge)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, RW, AS | MAP_FIXED, NOFD, 0);
	MM(p, X + 2 * PG, 2 * PG, RW, AS | MAP_FIXED, NOFD, 0);
	EXPECT(p, base, "500000000-500002000 rw-s 00000000 zero (deleted)\n"
			"500002000-500004000 rw-s 00000000 zero (deleted)\n");
	um_proc_free(p);
}

/* A private mapping of /dev/zero is anonymous memory, but its VMA keeps the
 * /dev/zero file and the file offset: maps names it "/dev/zero" with the
 * offset, and it merges only with mappings of the same open file whose
 * offsets continue — never with plain anonymous memory.
 *  mmap(zero, off 0) at X, (zero, off 0) at X+2p, (zero, off 2p) at X+4p,
 *  anonymous at X+6p:
 *  after:   ZZYYYYAA    off 0 | off 0 (the next continues it) | anon
 * live (unit_merge "devzero_private"): "500000000-500002000 rw-p 00000000
 * 00:06 4 /dev/zero", "500002000-500006000 rw-p 00000000 00:06 4 /dev/zero",
 * "500006000-500008000 rw-p 00000000 00:00 0" */
TEST(devzero_private_merges_like_a_file)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	long z = um_openat(p, AT_FDCWD, "/dev/zero", O_RDWR, 0);

	CHECK(z >= 0);
	MM(p, X, 2 * PG, RW, MAP_PRIVATE | MAP_FIXED, z, 0);
	MM(p, X + 2 * PG, 2 * PG, RW, MAP_PRIVATE | MAP_FIXED, z, 0);
	MM(p, X + 4 * PG, 2 * PG, RW, MAP_PRIVATE | MAP_FIXED, z, 2 * PG);
	MM(p, X + 6 * PG, 2 * PG, RW, APF, NOFD, 0);
	EXPECT(p, base, "500000000-500002000 rw-p 00000000 zero\n"
			"500002000-500006000 rw-p 00000000 zero\n"
			"500006000-500008000 rw-p 00000000\n");
	um_proc_free(p);
}

/* ---- anon_vma ------------------------------------------------------------------------ */

/*  before:  aa__        a populated (has an anon_vma), new range has none
 *  after:   aaaa        6.18 merges a VMA with an anon_vma and one without */
TEST(populated_then_untouched_merge)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, RW, APF | MAP_POPULATE, NOFD, 0);
	MM(p, X + 2 * PG, 2 * PG, RW, APF, NOFD, 0);
	EXPECT(p, base, "500000000-500004000 rw-p 00000000\n");
	um_proc_free(p);
}

/*  before:  AA____      mmap(X+2p, MAP_POPULATE), then mmap(X+4p, MAP_POPULATE)
 *  after:   aaaaaa      each new range merges before it is populated, so the
 *                       result is one VMA with one anon_vma */
TEST(untouched_then_populated_merge)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, RW, APF, NOFD, 0);
	MM(p, X + 2 * PG, 2 * PG, RW, APF | MAP_POPULATE, NOFD, 0);
	MM(p, X + 4 * PG, 2 * PG, RW, APF | MAP_POPULATE, NOFD, 0);
	EXPECT(p, base, "500000000-500006000 rw-p 00000000\n");
	um_proc_free(p);
}

/*  before:  aa_bb       a and b populated apart: two different anon_vmas
 *  fill:    aaabb       mmap(X+2p, 1p): merges with prev only — prev and next
 *                       are not compatible with each other */
TEST(two_anon_vmas_fill_merges_left_only)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, RW, APF | MAP_POPULATE, NOFD, 0);
	MM(p, X + 3 * PG, 2 * PG, RW, APF | MAP_POPULATE, NOFD, 0);
	EXPECT(p, base, "500000000-500002000 rw-p 00000000\n"
			"500003000-500005000 rw-p 00000000\n");
	MM(p, X + 2 * PG, PG, RW, APF, NOFD, 0);
	EXPECT(p, base, "500000000-500003000 rw-p 00000000\n"
			"500003000-500005000 rw-p 00000000\n");
	um_proc_free(p);
}

/*  before:  AA_bb       only the upper VMA has an anon_vma
 *  fill:    bbbbb       all three merge */
TEST(one_anon_vma_fill_merges_all_upper)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, RW, APF, NOFD, 0);
	MM(p, X + 3 * PG, 2 * PG, RW, APF | MAP_POPULATE, NOFD, 0);
	MM(p, X + 2 * PG, PG, RW, APF, NOFD, 0);
	EXPECT(p, base, "500000000-500005000 rw-p 00000000\n");
	um_proc_free(p);
}

/*  before:  aa_BB       only the lower VMA has an anon_vma
 *  fill:    aaaaa */
TEST(one_anon_vma_fill_merges_all_lower)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, RW, APF | MAP_POPULATE, NOFD, 0);
	MM(p, X + 3 * PG, 2 * PG, RW, APF, NOFD, 0);
	MM(p, X + 2 * PG, PG, RW, APF, NOFD, 0);
	EXPECT(p, base, "500000000-500005000 rw-p 00000000\n");
	um_proc_free(p);
}

/*  before:  aaMbb       M: untouched PROT_READ page between two anon_vmas
 *  mprotect(M, RW):     M now matches both, but a and b differ:
 *  after:   aaabb       merge with prev only */
TEST(two_anon_vmas_mprotect_middle_merges_left_only)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, RW, APF | MAP_POPULATE, NOFD, 0);
	MM(p, X + 3 * PG, 2 * PG, RW, APF | MAP_POPULATE, NOFD, 0);
	MM(p, X + 2 * PG, PG, R, APF, NOFD, 0);
	CHECK_EQ(map_count(p), base + 3);
	CHECK_EQ(um_mprotect(p, X + 2 * PG, PG, RW), 0);
	EXPECT(p, base, "500000000-500003000 rw-p 00000000\n"
			"500003000-500005000 rw-p 00000000\n");
	um_proc_free(p);
}

/*  before:  aaBB        a populated RW, B untouched PROT_READ
 *  mprotect(B, RW):
 *  after:   aaaa        B has no anon_vma, so it can join a */
TEST(populated_next_to_readonly_made_writable)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, RW, APF | MAP_POPULATE, NOFD, 0);
	MM(p, X + 2 * PG, 2 * PG, R, APF, NOFD, 0);
	EXPECT(p, base, "500000000-500002000 rw-p 00000000\n"
			"500002000-500004000 r--p 00000000\n");
	CHECK_EQ(um_mprotect(p, X + 2 * PG, 2 * PG, RW), 0);
	EXPECT(p, base, "500000000-500004000 rw-p 00000000\n");
	um_proc_free(p);
}

/* ---- mprotect: split and merge back ------------------------------------------------- */

/*  before:  AAA         mprotect(X+1p, 1p, R)
 *  split:   ABC         three VMAs (the middle drops VM_ACCOUNT: untouched)
 *  back:    AAA         mprotect(X+1p, 1p, RW) merges all three again */
TEST(mprotect_middle_splits_and_merges_back)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 3 * PG, RW, APF, NOFD, 0);
	CHECK_EQ(um_mprotect(p, X + PG, PG, R), 0);
	EXPECT(p, base, "500000000-500001000 rw-p 00000000\n"
			"500001000-500002000 r--p 00000000\n"
			"500002000-500003000 rw-p 00000000\n");
	CHECK_EQ(um_mprotect(p, X + PG, PG, RW), 0);
	EXPECT(p, base, "500000000-500003000 rw-p 00000000\n");
	um_proc_free(p);
}

/*  before:  aaa         populated; the pieces of a split share its anon_vma
 *  split:   abc         mprotect(X+1p, 1p, R)
 *  back:    aaa         mprotect(X+1p, 1p, RW)
 *  munmap:  a_a         munmap(X+1p, 1p)
 *  refill:  aaa         mmap(X+1p, 1p): both neighbours carry the same
 *                       anon_vma, so all three merge */
TEST(populated_mprotect_middle_and_refill)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 3 * PG, RW, APF | MAP_POPULATE, NOFD, 0);
	CHECK_EQ(um_mprotect(p, X + PG, PG, R), 0);
	EXPECT(p, base, "500000000-500001000 rw-p 00000000\n"
			"500001000-500002000 r--p 00000000\n"
			"500002000-500003000 rw-p 00000000\n");
	CHECK_EQ(um_mprotect(p, X + PG, PG, RW), 0);
	EXPECT(p, base, "500000000-500003000 rw-p 00000000\n");
	CHECK_EQ(um_munmap(p, X + PG, PG), 0);
	CHECK_EQ(map_count(p), base + 2);
	MM(p, X + PG, PG, RW, APF, NOFD, 0);
	EXPECT(p, base, "500000000-500003000 rw-p 00000000\n");
	um_proc_free(p);
}

/*  before:          AABBB     A PROT_READ, B RW (untouched)
 *  mprotect(X+2p, 1p, R):
 *  prev grows:      AAABB     A takes B's first page
 *  mprotect(X+2p, 1p, RW):
 *  next grows down: AABBB     B takes it back */
TEST(mprotect_edge_moves_boundary)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, R, APF, NOFD, 0);
	MM(p, X + 2 * PG, 3 * PG, RW, APF, NOFD, 0);
	EXPECT(p, base, "500000000-500002000 r--p 00000000\n"
			"500002000-500005000 rw-p 00000000\n");
	CHECK_EQ(um_mprotect(p, X + 2 * PG, PG, R), 0);
	EXPECT(p, base, "500000000-500003000 r--p 00000000\n"
			"500003000-500005000 rw-p 00000000\n");
	CHECK_EQ(um_mprotect(p, X + 2 * PG, PG, RW), 0);
	EXPECT(p, base, "500000000-500002000 r--p 00000000\n"
			"500002000-500005000 rw-p 00000000\n");
	um_proc_free(p);
}

/*  before:  AABBCC      A and C PROT_READ, B RW
 *  mprotect(B, R):
 *  after:   AAAAAA      prev absorbs B and next */
TEST(mprotect_whole_middle_merges_three)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, R, APF, NOFD, 0);
	MM(p, X + 2 * PG, 2 * PG, RW, APF, NOFD, 0);
	MM(p, X + 4 * PG, 2 * PG, R, APF, NOFD, 0);
	CHECK_EQ(map_count(p), base + 3);
	CHECK_EQ(um_mprotect(p, X + 2 * PG, 2 * PG, R), 0);
	EXPECT(p, base, "500000000-500006000 r--p 00000000\n");
	um_proc_free(p);
}

/*
 * The VM_ACCOUNT quirk.  Writable private memory is charged (VM_ACCOUNT);
 * mprotect to read-only gives the charge back only while the VMA has no
 * anon_vma.  A VMA created PROT_READ never had VM_ACCOUNT.
 *
 *  before:  RRWW        R created PROT_READ, W created RW (untouched)
 *  mprotect(W, R):
 *  after:   RRRR        W dropped VM_ACCOUNT: one VMA
 */
TEST(account_dropped_on_untouched_memory)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, R, APF, NOFD, 0);
	MM(p, X + 2 * PG, 2 * PG, RW, APF, NOFD, 0);
	CHECK_EQ(um_mprotect(p, X + 2 * PG, 2 * PG, R), 0);
	EXPECT(p, base, "500000000-500004000 r--p 00000000\n");
	um_proc_free(p);
}

/*  before:  RRww        w populated
 *  mprotect(w, R):
 *  after:   RRww        both r--p, but w keeps VM_ACCOUNT (smaps "ac") — two
 *                       VMAs (kernel: VmFlags "rd mr mw me" vs "rd mr mw me ac")
 *  mprotect(all, RW):
 *  after:   wwww        R gains VM_ACCOUNT, now equal: one VMA */
TEST(account_kept_on_populated_memory)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 2 * PG, R, APF, NOFD, 0);
	MM(p, X + 2 * PG, 2 * PG, RW, APF | MAP_POPULATE, NOFD, 0);
	CHECK_EQ(um_mprotect(p, X + 2 * PG, 2 * PG, R), 0);
	EXPECT(p, base, "500000000-500002000 r--p 00000000\n"
			"500002000-500004000 r--p 00000000\n");
	CHECK_EQ(um_mprotect(p, X, 4 * PG, RW), 0);
	EXPECT(p, base, "500000000-500004000 rw-p 00000000\n");
	um_proc_free(p);
}

/* File-backed private memory never gives VM_ACCOUNT back, populated or not.
 *  before:  FFF         private PROT_READ file mapping, offsets 0..2
 *  mprotect(X+1p, 1p, RW) then back to R:
 *  after:   FGH         three r--p VMAs: the middle keeps VM_ACCOUNT
 *  mprotect(all, RW), mprotect(all, R):
 *  after:   FFF         one VMA (every piece now has VM_ACCOUNT)
 * live (p04 "file private R untouched: middle -> RW -> R"): three lines
 * 00000000 / 00001000 / 00002000 after the round trip (smaps "ac" on the
 * middle only), then one "r--p" VMA after the whole-range round trip */
TEST(file_private_keeps_account)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	long fd = fd_open(p);

	MM(p, X, 3 * PG, R, MAP_PRIVATE | MAP_FIXED, fd, 0);
	CHECK_EQ(um_mprotect(p, X + PG, PG, RW), 0);
	EXPECT(p, base, "500000000-500001000 r--p 00000000 f\n"
			"500001000-500002000 rw-p 00001000 f\n"
			"500002000-500003000 r--p 00002000 f\n");
	CHECK_EQ(um_mprotect(p, X + PG, PG, R), 0);
	EXPECT(p, base, "500000000-500001000 r--p 00000000 f\n"
			"500001000-500002000 r--p 00001000 f\n"
			"500002000-500003000 r--p 00002000 f\n");
	CHECK_EQ(um_mprotect(p, X, 3 * PG, RW), 0);
	EXPECT(p, base, "500000000-500003000 rw-p 00000000 f\n");
	CHECK_EQ(um_mprotect(p, X, 3 * PG, R), 0);
	EXPECT(p, base, "500000000-500003000 r--p 00000000 f\n");
	um_proc_free(p);
}

/* Shared anonymous memory is a shmem file: a split shows the pieces' offsets
 * in that file, and the pieces merge back.
 *  before:  SSS         MAP_SHARED|MAP_ANONYMOUS, PROT_READ
 *  mprotect(X+1p, 1p, RW):   S T U   offsets 0, 0x1000, 0x2000
 *  back:                     SSS
 * live (p04 "anon shared R: middle -> RW -> R"): "r--s 00000000 / rw-s
 * 00001000 / r--s 00002000 ... /dev/zero (deleted)", then one VMA */
TEST(shared_anon_split_shows_offsets)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);

	MM(p, X, 3 * PG, R, AS | MAP_FIXED, NOFD, 0);
	CHECK_EQ(um_mprotect(p, X + PG, PG, RW), 0);
	EXPECT(p, base, "500000000-500001000 r--s 00000000 zero (deleted)\n"
			"500001000-500002000 rw-s 00001000 zero (deleted)\n"
			"500002000-500003000 r--s 00002000 zero (deleted)\n");
	CHECK_EQ(um_mprotect(p, X + PG, PG, R), 0);
	EXPECT(p, base, "500000000-500003000 r--s 00000000 zero (deleted)\n");
	um_proc_free(p);
}

/* ---- the split pgoff rule --------------------------------------------------------------
 * The upper part of a split gets pgoff + (addr - start) / PAGE_SIZE; maps
 * shows it in the offset column of file mappings.
 */

/*  before:  FFFF        shared RW file mapping of pages 2..5
 *  mprotect(X+1p, 1p, R):
 *  split:   FGHH        offsets 0x2000, 0x3000, 0x4000
 *  munmap(X+2p, 1p):
 *  after:   FG_H        the last piece starts at offset 0x5000 */
TEST(split_pgoff_rule)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	long fd = fd_open(p);

	MM(p, X, 4 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 2 * PG);
	CHECK_EQ(um_mprotect(p, X + PG, PG, R), 0);
	EXPECT(p, base, "500000000-500001000 rw-s 00002000 f\n"
			"500001000-500002000 r--s 00003000 f\n"
			"500002000-500004000 rw-s 00004000 f\n");
	CHECK_EQ(um_munmap(p, X + 2 * PG, PG), 0);
	EXPECT(p, base, "500000000-500001000 rw-s 00002000 f\n"
			"500001000-500002000 r--s 00003000 f\n"
			"500003000-500004000 rw-s 00005000 f\n");
	um_proc_free(p);
}

/*  before:  FFFF        private R file mapping, offsets 0..3
 *  mmap(X+1p, 1p, anonymous, MAP_FIXED):
 *  after:   FAGG        G starts at file offset 0x2000 */
TEST(anon_over_file_middle)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	long fd = fd_open(p);

	MM(p, X, 4 * PG, R, MAP_PRIVATE | MAP_FIXED, fd, 0);
	MM(p, X + PG, PG, R, APF, NOFD, 0);
	EXPECT(p, base, "500000000-500001000 r--p 00000000 f\n"
			"500001000-500002000 r--p 00000000\n"
			"500002000-500004000 r--p 00002000 f\n");
	um_proc_free(p);
}

/*  before:  F_FF        file pages 0, 2, 3 (page 1 unmapped)
 *  mmap(fd, off 1p) at X+1p:  FFFF   offsets line up: one VMA
 *  again with off 5p:         FGHH   three VMAs */
TEST(file_hole_refilled)
{
	um_proc *p = new_proc();
	unsigned long base = map_count(p);
	long fd = fd_open(p);

	MM(p, X, 4 * PG, R, MAP_SHARED | MAP_FIXED, fd, 0);
	CHECK_EQ(um_munmap(p, X + PG, PG), 0);
	CHECK_EQ(map_count(p), base + 2);
	MM(p, X + PG, PG, R, MAP_SHARED | MAP_FIXED, fd, PG);
	EXPECT(p, base, "500000000-500004000 r--s 00000000 f\n");
	CHECK_EQ(um_munmap(p, X + PG, PG), 0);
	MM(p, X + PG, PG, R, MAP_SHARED | MAP_FIXED, fd, 5 * PG);
	EXPECT(p, base, "500000000-500001000 r--s 00000000 f\n"
			"500001000-500002000 r--s 00005000 f\n"
			"500002000-500004000 r--s 00002000 f\n");
	um_proc_free(p);
}

/* ---- setup ----------------------------------------------------------------------------- */

static int make_test_file(void)
{
	char page[PG];
	int fd;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/usermm_merge_XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(fpath, sizeof(fpath), "%s/f", tmpdir);
	fd = open(fpath, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	for (int i = 0; i < 16; i++) {
		memset(page, 'a' + i, sizeof(page));
		if (write(fd, page, sizeof(page)) != (ssize_t)sizeof(page)) {
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

int main(void)
{
	struct um_engine_config cfg = {
		.max_map_count = 65530, .mmap_min_addr = 4096,
		.overcommit_memory = 0, .thp_enabled = 1,
	};

	if (make_test_file()) {
		perror("test file");
		return 1;
	}
	eng = um_engine_new(&cfg);
	RUN_ISOLATED(new_range_merges_left);
	RUN_ISOLATED(new_range_merges_right);
	RUN_ISOLATED(new_range_merges_both);
	RUN_ISOLATED(unhinted_mmaps_merge);
	RUN_ISOLATED(different_prot_no_merge);
	RUN_ISOLATED(noreserve_no_merge);
	RUN_ISOLATED(stack_and_growsdown_no_merge);
	RUN_ISOLATED(growsdown_merge_and_split);
	RUN_ISOLATED(heap_absorbs_mapping_at_break);
	RUN_ISOLATED(heap_does_not_grow_into_vma_below);
	RUN_ISOLATED(mapping_below_heap_merges_with_it);
	RUN_ISOLATED(file_contiguous_merges);
	RUN_ISOLATED(file_two_opens_no_merge);
	RUN_ISOLATED(file_dup_merges);
	RUN_ISOLATED(file_offset_gap_no_merge);
	RUN_ISOLATED(file_offset_reversed_no_merge);
	RUN_ISOLATED(file_private_merges_anon_does_not);
	RUN_ISOLATED(shared_anon_no_merge);
	RUN_ISOLATED(devzero_private_merges_like_a_file);
	RUN_ISOLATED(populated_then_untouched_merge);
	RUN_ISOLATED(untouched_then_populated_merge);
	RUN_ISOLATED(two_anon_vmas_fill_merges_left_only);
	RUN_ISOLATED(one_anon_vma_fill_merges_all_upper);
	RUN_ISOLATED(one_anon_vma_fill_merges_all_lower);
	RUN_ISOLATED(two_anon_vmas_mprotect_middle_merges_left_only);
	RUN_ISOLATED(populated_next_to_readonly_made_writable);
	RUN_ISOLATED(mprotect_middle_splits_and_merges_back);
	RUN_ISOLATED(populated_mprotect_middle_and_refill);
	RUN_ISOLATED(mprotect_edge_moves_boundary);
	RUN_ISOLATED(mprotect_whole_middle_merges_three);
	RUN_ISOLATED(account_dropped_on_untouched_memory);
	RUN_ISOLATED(account_kept_on_populated_memory);
	RUN_ISOLATED(file_private_keeps_account);
	RUN_ISOLATED(shared_anon_split_shows_offsets);
	RUN_ISOLATED(split_pgoff_rule);
	RUN_ISOLATED(anon_over_file_middle);
	RUN_ISOLATED(file_hole_refilled);
	um_engine_free(eng);
	unlink(fpath);
	rmdir(tmpdir);
	return check_summary();
}
