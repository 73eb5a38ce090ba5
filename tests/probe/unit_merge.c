/*
 * unit_merge.c — the live kernel's answers for tests/test_merge.c.
 *
 * Each scenario runs the same calls test_merge.c makes through usermm, at the
 * same fixed addresses, and prints the maps lines of the region in the
 * reduced form the test compares ("start-end perms offset name", the name
 * cut to its last path component).  "Touched" memory is populated with
 * MAP_POPULATE on a writable private mapping, which write-faults every page
 * and so gives the VMA an anon_vma, exactly as the test does.
 *
 * Build and run (static, no ASLR):
 *   gcc -O1 -static -o /tmp/unit_merge tests/probe/unit_merge.c
 *   setarch -R /tmp/unit_merge
 */
#include "probe.h"
#include <sys/mman.h>
#include <libgen.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long AS = MAP_SHARED | MAP_ANONYMOUS;
static const long R = PROT_READ, RW = PROT_READ | PROT_WRITE;
#define X 0x500000000UL

static void region(const char *title, unsigned long lo, unsigned long hi)
{
	read_file_("/proc/self/maps", mapsbuf_, sizeof mapsbuf_);
	printf("%s:\n", title);
	for (char *l = mapsbuf_; *l;) {
		char *e = strchr(l, '\n');
		unsigned long s, t, off;
		char perms[8];
		if (!e)
			break;
		*e = 0;
		if (sscanf(l, "%lx-%lx %7s %lx", &s, &t, perms, &off) == 4 &&
		    s < hi && t > lo) {
			const char *name = strlen(l) > 73 ? l + 73 : "";
			const char *slash = strrchr(name, '/');
			printf("  \"%lx-%lx %s %08lx%s%s\\n\"\n", s, t, perms, off,
			       *name ? " " : "", slash ? slash + 1 : name);
		}
		l = e + 1;
	}
}

#define CLEAN() MUNMAP(X - 16 * PG, 64 * PG)
#define SHOWX(title) region(title, X - 16 * PG, X + 48 * PG)

int main(void)
{
	char dir[64], path[96];
	long fd, fd2, fd3;

	probe_init();

	/* S0 first: two un-hinted mmaps (the process's first) */
	MMAP(0, 2 * PG, RW, AP, -1, 0);
	MMAP(0, 2 * PG, RW, AP, -1, 0);
	region("unhinted_pair", 0x7ffff7f00000UL, 0x7ffff7ff7000UL);
	MUNMAP(0x7ffff7ff3000UL, 4 * PG);

	snprintf(dir, sizeof dir, "/tmp/unit_merge_%d", getpid());
	sc(SYS_mkdir, dir, 0700);
	snprintf(path, sizeof path, "%s/f", dir);
	fd = make_file(path, 16 * PG);

	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOWX("new_merges_left");
	CLEAN();

	MMAP(X + 2 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOWX("new_merges_right");
	CLEAN();

	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0);
	SHOWX("new_merges_both");
	CLEAN();

	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	SHOWX("different_prot");
	CLEAN();

	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, AP | MAP_FIXED | MAP_NORESERVE, -1, 0);
	SHOWX("noreserve");
	CLEAN();

	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, AP | MAP_FIXED | MAP_STACK, -1, 0);
	MMAP(X - 2 * PG, 2 * PG, RW, AP | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
	SHOWX("stack_and_growsdown");
	CLEAN();

	MMAP(X + 2 * PG, 2 * PG, RW, AP | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
	MMAP(X + 4 * PG, 2 * PG, RW, AP | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
	SHOWX("growsdown_three");
	printf("mprotect -> %s\n", rs(MPROTECT(X + 2 * PG, PG, R)));
	SHOWX("growsdown_mprotect_middle");
	smaps_field(X + 2 * PG, "VmFlags");
	smaps_field(X + 3 * PG, "VmFlags");
	CLEAN();

	MMAP(X, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 2 * PG);
	SHOWX("file_contiguous");
	CLEAN();

	fd2 = sc(SYS_open, path, O_RDWR, 0);
	MMAP(X, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd2, 2 * PG);
	SHOWX("file_two_opens");
	CLEAN();

	fd3 = sc(SYS_dup, fd);
	MMAP(X, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd3, 2 * PG);
	SHOWX("file_dup");
	CLEAN();

	MMAP(X, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 4 * PG);
	SHOWX("file_offset_gap");
	CLEAN();

	MMAP(X, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 2 * PG);
	MMAP(X + 2 * PG, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	SHOWX("file_offset_reversed");
	CLEAN();

	MMAP(X, 2 * PG, R, MAP_PRIVATE | MAP_FIXED, fd, 0);
	MMAP(X + 2 * PG, 2 * PG, R, MAP_PRIVATE | MAP_FIXED, fd, 2 * PG);
	MMAP(X + 4 * PG, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	SHOWX("file_private_then_anon");
	CLEAN();

	MMAP(X, 2 * PG, RW, AS | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, AS | MAP_FIXED, -1, 0);
	SHOWX("shared_anon");
	CLEAN();

	{
		long z = sc(SYS_open, "/dev/zero", O_RDWR, 0);

		MMAP(X, 2 * PG, RW, MAP_PRIVATE | MAP_FIXED, z, 0);
		MMAP(X + 2 * PG, 2 * PG, RW, MAP_PRIVATE | MAP_FIXED, z, 0);
		MMAP(X + 4 * PG, 2 * PG, RW, MAP_PRIVATE | MAP_FIXED, z, 2 * PG);
		MMAP(X + 6 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
		SHOWX("devzero_private");
		maps("devzero_private (full lines)", X, X + 8 * PG);
		CLEAN();
		sc(SYS_close, z);
	}

	MMAP(X, 2 * PG, RW, AP | MAP_FIXED | MAP_POPULATE, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOWX("populated_then_untouched");
	CLEAN();

	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, AP | MAP_FIXED | MAP_POPULATE, -1, 0);
	MMAP(X + 4 * PG, 2 * PG, RW, AP | MAP_FIXED | MAP_POPULATE, -1, 0);
	SHOWX("untouched_then_populated_twice");
	CLEAN();

	MMAP(X, 2 * PG, RW, AP | MAP_FIXED | MAP_POPULATE, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED | MAP_POPULATE, -1, 0);
	SHOWX("two_populated_apart");
	MMAP(X + 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0);
	SHOWX("two_populated_fill");
	CLEAN();

	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED | MAP_POPULATE, -1, 0);
	MMAP(X + 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0);
	SHOWX("upper_populated_fill");
	CLEAN();

	MMAP(X, 2 * PG, RW, AP | MAP_FIXED | MAP_POPULATE, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0);
	SHOWX("lower_populated_fill");
	CLEAN();

	MMAP(X, 2 * PG, RW, AP | MAP_FIXED | MAP_POPULATE, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, RW, AP | MAP_FIXED | MAP_POPULATE, -1, 0);
	MMAP(X + 2 * PG, PG, R, AP | MAP_FIXED, -1, 0);
	printf("mprotect -> %s\n", rs(MPROTECT(X + 2 * PG, PG, RW)));
	SHOWX("two_populated_mprotect_middle");
	CLEAN();

	MMAP(X, 2 * PG, RW, AP | MAP_FIXED | MAP_POPULATE, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	SHOWX("populated_rw_next_to_r");
	printf("mprotect -> %s\n", rs(MPROTECT(X + 2 * PG, 2 * PG, RW)));
	SHOWX("populated_rw_next_to_r_made_rw");
	CLEAN();

	MMAP(X, 3 * PG, RW, AP | MAP_FIXED, -1, 0);
	printf("mprotect -> %s\n", rs(MPROTECT(X + PG, PG, R)));
	SHOWX("mprotect_middle");
	printf("mprotect -> %s\n", rs(MPROTECT(X + PG, PG, RW)));
	SHOWX("mprotect_middle_back");
	CLEAN();

	MMAP(X, 3 * PG, RW, AP | MAP_FIXED | MAP_POPULATE, -1, 0);
	printf("mprotect -> %s\n", rs(MPROTECT(X + PG, PG, R)));
	SHOWX("populated_mprotect_middle");
	printf("mprotect -> %s\n", rs(MPROTECT(X + PG, PG, RW)));
	SHOWX("populated_mprotect_middle_back");
	printf("munmap -> %s\n", rs(MUNMAP(X + PG, PG)));
	MMAP(X + PG, PG, RW, AP | MAP_FIXED, -1, 0);
	SHOWX("populated_munmap_remap_middle");
	CLEAN();

	MMAP(X, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 3 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOWX("edge_before");
	printf("mprotect -> %s\n", rs(MPROTECT(X + 2 * PG, PG, R)));
	SHOWX("edge_prev_grows");
	printf("mprotect -> %s\n", rs(MPROTECT(X + 2 * PG, PG, RW)));
	SHOWX("edge_next_grows_down");
	CLEAN();

	MMAP(X, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 4 * PG, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	printf("mprotect -> %s\n", rs(MPROTECT(X + 2 * PG, 2 * PG, R)));
	SHOWX("mprotect_whole_middle");
	CLEAN();

	MMAP(X, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	printf("mprotect -> %s\n", rs(MPROTECT(X + 2 * PG, 2 * PG, R)));
	SHOWX("account_untouched");
	CLEAN();

	MMAP(X, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, RW, AP | MAP_FIXED | MAP_POPULATE, -1, 0);
	printf("mprotect -> %s\n", rs(MPROTECT(X + 2 * PG, 2 * PG, R)));
	SHOWX("account_populated");
	smaps_field(X, "VmFlags");
	smaps_field(X + 2 * PG, "VmFlags");
	printf("mprotect -> %s\n", rs(MPROTECT(X, 4 * PG, RW)));
	SHOWX("account_populated_all_rw");
	CLEAN();

	MMAP(X, 4 * PG, RW, MAP_SHARED | MAP_FIXED, fd, 2 * PG);
	printf("mprotect -> %s\n", rs(MPROTECT(X + PG, PG, R)));
	SHOWX("split_pgoff");
	printf("munmap -> %s\n", rs(MUNMAP(X + 2 * PG, PG)));
	SHOWX("split_pgoff_munmap");
	CLEAN();

	MMAP(X, 4 * PG, R, MAP_PRIVATE | MAP_FIXED, fd, 0);
	MMAP(X + PG, PG, R, AP | MAP_FIXED, -1, 0);
	SHOWX("anon_over_file_middle");
	CLEAN();

	MMAP(X, 4 * PG, R, MAP_SHARED | MAP_FIXED, fd, 0);
	MUNMAP(X + PG, PG);
	MMAP(X + PG, PG, R, MAP_SHARED | MAP_FIXED, fd, PG);
	SHOWX("file_hole_refilled_same_offset");
	MUNMAP(X + PG, PG);
	MMAP(X + PG, PG, R, MAP_SHARED | MAP_FIXED, fd, 5 * PG);
	SHOWX("file_hole_refilled_other_offset");
	CLEAN();

	sc(SYS_close, fd);
	sc(SYS_close, fd2);
	sc(SYS_close, fd3);
	sc(SYS_unlink, path);
	sc(SYS_rmdir, dir);
	return 0;
}
