/* Q1: argument-check order of mmap(2). */
#include "probe.h"
#include <sys/mman.h>
#include <sys/stat.h>

int main(void)
{
	probe_init();
	char path[64], dpath[64];
	snprintf(path, sizeof path, "/tmp/probe01_%d", getuid());
	snprintf(dpath, sizeof dpath, "/tmp/probe01d_%d", getuid());
	int frw = make_file(path, 3 * PG);
	int fro = (int)sc(SYS_open, path, O_RDONLY);
	int fwo = (int)sc(SYS_open, path, O_WRONLY);
	int fpath = (int)sc(SYS_open, path, O_PATH);
	sc(SYS_mkdir, dpath, 0755);
	int fdir = (int)sc(SYS_open, dpath, O_RDONLY | O_DIRECTORY);
	int fzero = (int)sc(SYS_open, "/dev/zero", O_RDWR);
	int fnull = (int)sc(SYS_open, "/dev/null", O_RDWR);
	int pfd[2];
	sc(SYS_pipe, pfd);
	printf("# fds: rw=%d ro=%d wo=%d path=%d dir=%d zero=%d null=%d pipe=%d,%d\n",
	       frw, fro, fwo, fpath, fdir, fzero, fnull, pfd[0], pfd[1]);
	const int BAD = 999;
	const long A = MAP_PRIVATE | MAP_ANONYMOUS;
	const long RW = PROT_READ | PROT_WRITE;

	SECTION("length 0 / bad fd / unaligned offset");
	SHOW("len0 anon private", MMAP(0, 0, RW, A, -1, 0));
	SHOW("len0 file private fd=999 (bad)", MMAP(0, 0, RW, MAP_PRIVATE, BAD, 0));
	SHOW("len0 file private fd=-1", MMAP(0, 0, RW, MAP_PRIVATE, -1, 0));
	SHOW("len4096 file private bad fd off=1", MMAP(0, PG, RW, MAP_PRIVATE, BAD, 1));
	SHOW("len4096 file private bad fd off=4095", MMAP(0, PG, RW, MAP_PRIVATE, BAD, 4095));
	SHOW("len0 anon off=1", MMAP(0, 0, RW, A, -1, 1));
	SHOW("len0 file valid fd off=1", MMAP(0, 0, RW, MAP_PRIVATE, frw, 1));
	SHOW("len0 file valid fd off=0", MMAP(0, 0, RW, MAP_PRIVATE, frw, 0));
	SHOW("len4096 anon off=1 (unaligned)", MMAP(0, PG, RW, A, -1, 1));
	SHOW("len4096 anon off=4096 (ignored?)", MMAP(0, PG, RW, A, -1, PG));
	SHOW("len1 anon", MMAP(0, 1, RW, A, -1, 0));

	SECTION("map type bits (flags & 0x0f)");
	SHOW("type0 anon", MMAP(0, PG, RW, MAP_ANONYMOUS, -1, 0));
	SHOW("type0 file", MMAP(0, PG, PROT_READ, 0, frw, 0));
	SHOW("type0 bad fd", MMAP(0, PG, PROT_READ, 0, BAD, 0));
	SHOW("type0 anon len0", MMAP(0, 0, RW, MAP_ANONYMOUS, -1, 0));
	SHOW("type0 anon len 1<<47", MMAP(0, 1UL << 47, RW, MAP_ANONYMOUS, -1, 0));
	SHOW("type3 (SHARED_VALIDATE) anon", MMAP(0, PG, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0));
	SHOW("type3 (SHARED_VALIDATE) file rw", MMAP(0, PG, RW, MAP_SHARED_VALIDATE, frw, 0));
	SHOW("type3 file + unknown flag 0x200000", MMAP(0, PG, RW, MAP_SHARED_VALIDATE | 0x200000, frw, 0));
	SHOW("type3 file + unknown flag 0x400", MMAP(0, PG, RW, MAP_SHARED_VALIDATE | 0x400, frw, 0));
	SHOW("type3 file + unknown flag 0x200", MMAP(0, PG, RW, MAP_SHARED_VALIDATE | 0x200, frw, 0));
	SHOW("type3 anon + unknown flag 0x200000", MMAP(0, PG, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | 0x200000, -1, 0));
	SHOW("type1 (SHARED) file + unknown flag 0x200000", MMAP(0, PG, RW, MAP_SHARED | 0x200000, frw, 0));
	SHOW("type2 (PRIVATE) file + unknown flag 0x200000", MMAP(0, PG, RW, MAP_PRIVATE | 0x200000, frw, 0));
	SHOW("type1 anon + unknown flag 0x200000", MMAP(0, PG, RW, MAP_SHARED | MAP_ANONYMOUS | 0x200000, -1, 0));
	SHOW("type3 file + MAP_SYNC (ext4, no DAX)", MMAP(0, PG, RW, MAP_SHARED_VALIDATE | MAP_SYNC, frw, 0));
	SHOW("type1 file + MAP_SYNC", MMAP(0, PG, RW, MAP_SHARED | MAP_SYNC, frw, 0));
	SHOW("type2 file + MAP_SYNC", MMAP(0, PG, RW, MAP_PRIVATE | MAP_SYNC, frw, 0));
	SHOW("type3 file + MAP_FIXED_NOREPLACE (free addr 0x300000000)", MMAP(0x300000000UL, PG, RW, MAP_SHARED_VALIDATE | MAP_FIXED_NOREPLACE, frw, 0));
	SHOW("type3 file + MAP_HUGE_2MB (21<<26)", MMAP(0, PG, RW, MAP_SHARED_VALIDATE | (21UL << 26), frw, 0));
	SHOW("type3 file + MAP_HUGE_64KB (16<<26)", MMAP(0, PG, RW, MAP_SHARED_VALIDATE | (16UL << 26), frw, 0));
	SHOW("type3 file + MAP_32BIT", MMAP(0, PG, RW, MAP_SHARED_VALIDATE | MAP_32BIT, frw, 0));
	SHOW("type3 file + MAP_DROPPABLE(0x8) i.e. type 0xb", MMAP(0, PG, RW, MAP_SHARED_VALIDATE | MAP_DROPPABLE, frw, 0));
	SHOW("type3 file + unknown flag, len 1<<47 (ENOMEM first?)", MMAP(0, 1UL << 47, RW, MAP_SHARED_VALIDATE | 0x200000, frw, 0));
	SHOW("type3 file + unknown flag, len 0", MMAP(0, 0, RW, MAP_SHARED_VALIDATE | 0x200000, frw, 0));
	SHOW("type3 file ro fd + unknown flag + PROT_WRITE", MMAP(0, PG, RW, MAP_SHARED_VALIDATE | 0x200000, fro, 0));
	for (long t = 4; t < 16; t++) {
		char l[80];
		snprintf(l, sizeof l, "type 0x%lx anon", t);
		SHOW(l, MMAP(0, PG, RW, t | MAP_ANONYMOUS, -1, 0));
		snprintf(l, sizeof l, "type 0x%lx file rw", t);
		SHOW(l, MMAP(0, PG, PROT_READ, t, frw, 0));
	}

	SECTION("MAP_FIXED unaligned / huge lengths");
	SHOW("FIXED addr 0x10000001 len0", MMAP(0x10000001, 0, RW, A | MAP_FIXED, -1, 0));
	SHOW("FIXED addr 0x10000001 len4096", MMAP(0x10000001, PG, RW, A | MAP_FIXED, -1, 0));
	SHOW("FIXED_NOREPLACE addr 0x10000001 len4096", MMAP(0x10000001, PG, RW, A | MAP_FIXED_NOREPLACE, -1, 0));
	SHOW("FIXED addr 0x10000001 bad fd", MMAP(0x10000001, PG, RW, MAP_PRIVATE | MAP_FIXED, BAD, 0));
	long r = SHOW("hint 0x10000001 (not fixed) len4096", MMAP(0x10000001, PG, RW, A, -1, 0));
	if (r > 0) MUNMAP(r, PG);
	SHOW("len 1<<47 anon", MMAP(0, 1UL << 47, RW, A, -1, 0));
	SHOW("len 1<<47 - 4096 (== TASK_SIZE) anon", MMAP(0, (1UL << 47) - PG, RW, A, -1, 0));
	SHOW("len ~0UL anon", MMAP(0, ~0UL, RW, A, -1, 0));
	SHOW("len ~0UL-4095 anon (page-aligns to 0? no: to ~0UL-4095)", MMAP(0, ~0UL - 4095, RW, A, -1, 0));
	SHOW("len 1<<47 anon FIXED at 0x10000", MMAP(0x10000, 1UL << 47, RW, A | MAP_FIXED, -1, 0));
	SHOW("len ~0UL anon FIXED at 0x10000", MMAP(0x10000, ~0UL, RW, A | MAP_FIXED, -1, 0));
	SHOW("len 1<<46 anon FIXED at 0x7fff00000000 (end > TASK_SIZE)", MMAP(0x7fff00000000UL, 1UL << 46, RW, A | MAP_FIXED, -1, 0));
	SHOW("len 4096 anon FIXED at 0x7ffffffff000 (== TASK_SIZE)", MMAP(0x7ffffffff000UL, PG, RW, A | MAP_FIXED, -1, 0));
	SHOW("len 4096 anon FIXED at 0x800000000000", MMAP(0x800000000000UL, PG, RW, A | MAP_FIXED, -1, 0));
	SHOW("len 4096 anon FIXED at 0xfffffffffffff000", MMAP(0xfffffffffffff000UL, PG, RW, A | MAP_FIXED, -1, 0));
	r = SHOW("len 4096 anon hint 0x800000000000 (above 47 bits)", MMAP(0x800000000000UL, PG, RW, A, -1, 0));
	if (r > 0) MUNMAP(r, PG);
	r = SHOW("len 4096 anon hint 0x7ffffffff000 (last page)", MMAP(0x7ffffffff000UL, PG, RW, A, -1, 0));
	if (r > 0) MUNMAP(r, PG);
	r = SHOW("len 4096 anon hint 0x7fffffffe000", MMAP(0x7fffffffe000UL, PG, RW, A, -1, 0));
	if (r > 0) MUNMAP(r, PG);
	SHOW("len 1<<47 file", MMAP(0, 1UL << 47, PROT_READ, MAP_PRIVATE, frw, 0));
	SHOW("len 1<<47 bad fd", MMAP(0, 1UL << 47, PROT_READ, MAP_PRIVATE, BAD, 0));

	SECTION("offset+len overflow (pgoff + pages wraps)");
	unsigned long bigoff = 0xfffffffffffff000UL; /* pgoff 0xfffffffffffff */
	SHOW("file rw off=0xfffffffffffff000 len 2 pages", MMAP(0, 2 * PG, PROT_READ, MAP_PRIVATE, frw, bigoff));
	SHOW("file rw off=0xfffffffffffff000 len 1 page", MMAP(0, PG, PROT_READ, MAP_PRIVATE, frw, bigoff));
	SHOW("bad fd off=0xfffffffffffff000 len 2 pages", MMAP(0, 2 * PG, PROT_READ, MAP_PRIVATE, BAD, bigoff));
	SHOW("anon off=0xfffffffffffff000 len 2 pages", MMAP(0, 2 * PG, RW, A, -1, bigoff));
	SHOW("anon shared off=0xfffffffffffff000 len 2 pages", MMAP(0, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, bigoff));
	SHOW("file rw off=0xfffffffffffff000 len 0", MMAP(0, 0, PROT_READ, MAP_PRIVATE, frw, bigoff));
	SHOW("type0 file off overflow", MMAP(0, 2 * PG, PROT_READ, 0, frw, bigoff));
	SHOW("file rw off=1<<62 len 1 page (beyond file size; s_maxbytes?)", MMAP(0, PG, PROT_READ, MAP_PRIVATE, frw, 1UL << 62));
	SHOW("file rw off=1<<44 len 1 page", MMAP(0, PG, PROT_READ, MAP_PRIVATE, frw, 1UL << 44));
	SHOW("file rw off=1<<40 len 1 page", MMAP(0, PG, PROT_READ, MAP_PRIVATE, frw, 1UL << 40));
	SHOW("file rw off=1<<40 len 1 page SHARED", MMAP(0, PG, PROT_READ, MAP_SHARED, frw, 1UL << 40));

	SECTION("fd kinds and access modes");
	SHOW("O_WRONLY fd, PROT_NONE, PRIVATE", MMAP(0, PG, PROT_NONE, MAP_PRIVATE, fwo, 0));
	SHOW("O_WRONLY fd, PROT_NONE, SHARED", MMAP(0, PG, PROT_NONE, MAP_SHARED, fwo, 0));
	SHOW("O_WRONLY fd, PROT_WRITE, SHARED", MMAP(0, PG, PROT_WRITE, MAP_SHARED, fwo, 0));
	SHOW("O_RDONLY fd, PROT_READ|WRITE, SHARED", MMAP(0, PG, RW, MAP_SHARED, fro, 0));
	SHOW("O_RDONLY fd, PROT_READ|WRITE, SHARED_VALIDATE", MMAP(0, PG, RW, MAP_SHARED_VALIDATE, fro, 0));
	r = SHOW("O_RDONLY fd, PROT_READ|WRITE, PRIVATE", MMAP(0, PG, RW, MAP_PRIVATE, fro, 0));
	r = SHOW("O_RDONLY fd, PROT_READ, SHARED", MMAP(0, PG, PROT_READ, MAP_SHARED, fro, 0));
	if (r > 0) {
		maps("ro-shared mapping of a read-only fd", r, r + PG);
		smaps_field(r, "VmFlags");
		SHOW("  mprotect(RW) on it", MPROTECT(r, PG, RW));
		MUNMAP(r, PG);
	}
	SHOW("directory fd, PROT_READ, PRIVATE", MMAP(0, PG, PROT_READ, MAP_PRIVATE, fdir, 0));
	SHOW("directory fd, PROT_READ, SHARED", MMAP(0, PG, PROT_READ, MAP_SHARED, fdir, 0));
	r = SHOW("/dev/zero PRIVATE RW", MMAP(0, PG, RW, MAP_PRIVATE, fzero, 0));
	if (r > 0) { maps("/dev/zero private", r, r + PG); smaps_field(r, "VmFlags"); MUNMAP(r, PG); }
	r = SHOW("/dev/zero SHARED RW", MMAP(0, PG, RW, MAP_SHARED, fzero, 0));
	if (r > 0) { maps("/dev/zero shared", r, r + PG); smaps_field(r, "VmFlags"); MUNMAP(r, PG); }
	SHOW("/dev/null PRIVATE R", MMAP(0, PG, PROT_READ, MAP_PRIVATE, fnull, 0));
	SHOW("/dev/null SHARED R", MMAP(0, PG, PROT_READ, MAP_SHARED, fnull, 0));
	SHOW("/dev/null PRIVATE R len0", MMAP(0, 0, PROT_READ, MAP_PRIVATE, fnull, 0));
	SHOW("pipe read end PRIVATE R", MMAP(0, PG, PROT_READ, MAP_PRIVATE, pfd[0], 0));
	SHOW("pipe read end SHARED R", MMAP(0, PG, PROT_READ, MAP_SHARED, pfd[0], 0));
	SHOW("pipe write end PRIVATE R", MMAP(0, PG, PROT_READ, MAP_PRIVATE, pfd[1], 0));
	SHOW("pipe write end SHARED W", MMAP(0, PG, PROT_WRITE, MAP_SHARED, pfd[1], 0));
	SHOW("O_PATH fd PRIVATE R", MMAP(0, PG, PROT_READ, MAP_PRIVATE, fpath, 0));
	SHOW("O_PATH fd len0", MMAP(0, 0, PROT_READ, MAP_PRIVATE, fpath, 0));
	SHOW("ANON with a valid fd (fd ignored)", MMAP(0, PG, RW, A, frw, 0));
	SHOW("ANON with fd 999", MMAP(0, PG, RW, A, BAD, 0));
	SHOW("file mapping past EOF (off 3 pages, file 3 pages)", MMAP(0, PG, PROT_READ, MAP_PRIVATE, frw, 3 * PG));
	SHOW("file mapping past EOF (off 100 pages)", MMAP(0, PG, PROT_READ, MAP_SHARED, frw, 100 * PG));

	SECTION("prot bits");
	long prots[] = {0x8, 0x10, 0x20, 0x80, 0x1000000, 0x2000000, 0x3000000, 0x80000000L, -1L, 0x7, 0x4, 0x2, 0x0};
	for (unsigned i = 0; i < sizeof prots / sizeof *prots; i++) {
		char l[80];
		snprintf(l, sizeof l, "anon private prot=0x%lx", prots[i]);
		r = SHOW(l, MMAP(0, PG, prots[i], A, -1, 0));
		if (r > 0) { maps("", r, r + PG); smaps_field(r, "VmFlags"); MUNMAP(r, PG); }
	}
	r = SHOW("file private prot=0x1000000 (GROWSDOWN)", MMAP(0, PG, PROT_READ | 0x1000000, MAP_PRIVATE, frw, 0));
	if (r > 0) { maps("", r, r + PG); smaps_field(r, "VmFlags"); MUNMAP(r, PG); }

	SECTION("MAP_GROWSDOWN");
	SHOW("GROWSDOWN file private", MMAP(0, PG, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, frw, 0));
	SHOW("GROWSDOWN file shared", MMAP(0, PG, PROT_READ, MAP_SHARED | MAP_GROWSDOWN, frw, 0));
	SHOW("GROWSDOWN anon shared", MMAP(0, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0));
	SHOW("GROWSDOWN /dev/zero private", MMAP(0, PG, RW, MAP_PRIVATE | MAP_GROWSDOWN, fzero, 0));
	r = SHOW("GROWSDOWN anon private", MMAP(0, PG, RW, A | MAP_GROWSDOWN, -1, 0));
	if (r > 0) { maps("", r - PG, r + PG); smaps_field(r, "VmFlags"); MUNMAP(r, PG); }
	SHOW("GROWSDOWN file private, bad fd", MMAP(0, PG, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, BAD, 0));

	SECTION("MAP_HUGETLB (no hugepages reserved)");
	SHOW("HUGETLB anon private 2MiB", MMAP(0, 2 * MiB, RW, A | MAP_HUGETLB, -1, 0));
	SHOW("HUGETLB anon private 4KiB", MMAP(0, PG, RW, A | MAP_HUGETLB, -1, 0));
	SHOW("HUGETLB anon shared 2MiB", MMAP(0, 2 * MiB, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0));
	SHOW("HUGETLB anon private 2MiB NORESERVE", MMAP(0, 2 * MiB, RW, A | MAP_HUGETLB | MAP_NORESERVE, -1, 0));
	SHOW("HUGETLB|HUGE_1GB anon", MMAP(0, 1UL << 30, RW, A | MAP_HUGETLB | (30UL << 26), -1, 0));
	SHOW("HUGETLB|HUGE_64KB anon (no such hstate)", MMAP(0, 2 * MiB, RW, A | MAP_HUGETLB | (16UL << 26), -1, 0));
	SHOW("HUGETLB anon len 0", MMAP(0, 0, RW, A | MAP_HUGETLB, -1, 0));
	SHOW("HUGETLB file ext4", MMAP(0, 2 * MiB, PROT_READ, MAP_PRIVATE | MAP_HUGETLB, frw, 0));
	SHOW("HUGETLB bad fd", MMAP(0, 2 * MiB, PROT_READ, MAP_PRIVATE | MAP_HUGETLB, BAD, 0));
	SHOW("HUGETLB anon unaligned FIXED 0x10001000", MMAP(0x10001000, 2 * MiB, RW, A | MAP_HUGETLB | MAP_FIXED, -1, 0));
	r = SHOW("HUGE_2MB without HUGETLB anon", MMAP(0, PG, RW, A | (21UL << 26), -1, 0));
	if (r > 0) MUNMAP(r, PG);

	SECTION("misc flags");
	r = SHOW("DROPPABLE anon RW", MMAP(0, PG, RW, MAP_DROPPABLE | MAP_ANONYMOUS, -1, 0));
	if (r > 0) { maps("", r, r + PG); smaps_field(r, "VmFlags"); MUNMAP(r, PG); }
	SHOW("DROPPABLE file", MMAP(0, PG, PROT_READ, MAP_DROPPABLE, frw, 0));
	r = SHOW("UNINITIALIZED anon", MMAP(0, PG, RW, A | MAP_UNINITIALIZED, -1, 0));
	if (r > 0) MUNMAP(r, PG);
	r = SHOW("DENYWRITE|EXECUTABLE file private", MMAP(0, PG, PROT_READ, MAP_PRIVATE | MAP_DENYWRITE | MAP_EXECUTABLE, frw, 0));
	if (r > 0) { smaps_field(r, "VmFlags"); MUNMAP(r, PG); }
	r = SHOW("NORESERVE anon private", MMAP(0, PG, RW, A | MAP_NORESERVE, -1, 0));
	if (r > 0) { smaps_field(r, "VmFlags"); MUNMAP(r, PG); }
	r = SHOW("NORESERVE anon private PROT_READ", MMAP(0, PG, PROT_READ, A | MAP_NORESERVE, -1, 0));
	if (r > 0) { smaps_field(r, "VmFlags"); MUNMAP(r, PG); }
	r = SHOW("STACK anon private", MMAP(0, PG, RW, A | MAP_STACK, -1, 0));
	if (r > 0) { smaps_field(r, "VmFlags"); MUNMAP(r, PG); }
	r = SHOW("POPULATE anon private", MMAP(0, PG, RW, A | MAP_POPULATE, -1, 0));
	if (r > 0) { smaps_field(r, "Rss"); MUNMAP(r, PG); }


	SECTION("extra: MAP_SYNC on other kinds, EOVERFLOW boundaries and order");
	{
		char shm[64];
		snprintf(shm, sizeof shm, "/dev/shm/probe01_%d", getuid());
		int fshm = make_file(shm, 3 * PG);
		SHOW("tmpfs SHARED_VALIDATE|MAP_SYNC", MMAP(0, PG, RW, MAP_SHARED_VALIDATE | MAP_SYNC, fshm, 0));
		r = SHOW("tmpfs SHARED|MAP_SYNC", MMAP(0, PG, RW, MAP_SHARED | MAP_SYNC, fshm, 0));
		if (r > 0) { smaps_field(r, "VmFlags"); MUNMAP(r, PG); }
		r = SHOW("tmpfs PRIVATE|MAP_SYNC", MMAP(0, PG, RW, MAP_PRIVATE | MAP_SYNC, fshm, 0));
		if (r > 0) { smaps_field(r, "VmFlags"); MUNMAP(r, PG); }
		r = SHOW("anon PRIVATE|MAP_SYNC", MMAP(0, PG, RW, A | MAP_SYNC, -1, 0));
		if (r > 0) { smaps_field(r, "VmFlags"); MUNMAP(r, PG); }
		r = SHOW("anon SHARED|MAP_SYNC", MMAP(0, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_SYNC, -1, 0));
		if (r > 0) { smaps_field(r, "VmFlags"); MUNMAP(r, PG); }
		r = SHOW("/dev/zero PRIVATE|MAP_SYNC", MMAP(0, PG, RW, MAP_PRIVATE | MAP_SYNC, fzero, 0));
		if (r > 0) { smaps_field(r, "VmFlags"); MUNMAP(r, PG); }
		r = SHOW("/dev/zero SHARED_VALIDATE|MAP_SYNC", MMAP(0, PG, RW, MAP_SHARED_VALIDATE | MAP_SYNC, fzero, 0));
		if (r > 0) { smaps_field(r, "VmFlags"); MUNMAP(r, PG); }
		r = SHOW("tmpfs SHARED_VALIDATE|0x200000", MMAP(0, PG, RW, MAP_SHARED_VALIDATE | 0x200000, fshm, 0));
		sc(SYS_unlink, shm);
	}
	SHOW("ext4 off=0x7ffffffffffff000 len 4096", MMAP(0, PG, PROT_READ, MAP_PRIVATE, frw, 0x7ffffffffffff000UL));
	SHOW("ext4 off=0x7fffffffffffe000 len 4096", MMAP(0, PG, PROT_READ, MAP_PRIVATE, frw, 0x7fffffffffffe000UL));
	SHOW("ext4 off=0x7fffffffffffe000 len 8192", MMAP(0, 2 * PG, PROT_READ, MAP_PRIVATE, frw, 0x7fffffffffffe000UL));
	SHOW("ext4 off=0x8000000000000000 len 4096", MMAP(0, PG, PROT_READ, MAP_PRIVATE, frw, 0x8000000000000000UL));
	SHOW("/dev/zero private off=0x7fff0000 len 4096", MMAP(0, PG, RW, MAP_PRIVATE, fzero, 0x7fff0000UL));
	SHOW("/dev/zero private off=0x7ffff000 len 4096", MMAP(0, PG, RW, MAP_PRIVATE, fzero, 0x7ffff000UL));
	SHOW("/dev/zero private off=0x7fffe000 len 4096", MMAP(0, PG, RW, MAP_PRIVATE, fzero, 0x7fffe000UL));
	SHOW("/dev/zero private off=0x80000000 len 4096", MMAP(0, PG, RW, MAP_PRIVATE, fzero, 0x80000000UL));
	SHOW("/dev/zero shared off=0x80000000 len 4096", MMAP(0, PG, RW, MAP_SHARED, fzero, 0x80000000UL));
	SHOW("/dev/zero private off=0 len 0x80000000", MMAP(0, 0x80000000UL, RW, MAP_PRIVATE, fzero, 0));
	SHOW("/dev/zero private off=0 len 0x7ffff000", MMAP(0, 0x7ffff000UL, RW, MAP_PRIVATE, fzero, 0));
	SHOW("ext4 O_WRONLY off=0x8000000000000000 (EOVERFLOW vs EACCES)", MMAP(0, PG, PROT_READ, MAP_PRIVATE, fwo, 0x8000000000000000UL));
	SHOW("ext4 len 1<<47 off=0x8000000000000000 (ENOMEM vs EOVERFLOW)", MMAP(0, 1UL << 47, PROT_READ, MAP_PRIVATE, frw, 0x8000000000000000UL));
	SHOW("ext4 type3 unknown flag + off overflow", MMAP(0, PG, PROT_READ, MAP_SHARED_VALIDATE | 0x200000, frw, 0x8000000000000000UL));
	SHOW("ext4 O_WRONLY type0", MMAP(0, PG, PROT_READ, 0, fwo, 0));
	SHOW("ext4 O_RDONLY SHARED_VALIDATE unknown flag PROT_READ", MMAP(0, PG, PROT_READ, MAP_SHARED_VALIDATE | 0x200000, fro, 0));
	SHOW("dir fd SHARED_VALIDATE unknown flag", MMAP(0, PG, PROT_READ, MAP_SHARED_VALIDATE | 0x200000, fdir, 0));
	SHOW("pipe write end type0", MMAP(0, PG, PROT_READ, 0, pfd[1], 0));
	SHOW("dir fd GROWSDOWN (ENODEV vs EINVAL)", MMAP(0, PG, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, fdir, 0));
	SHOW("O_WRONLY fd GROWSDOWN (EACCES vs EINVAL)", MMAP(0, PG, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, fwo, 0));
	SHOW("FIXED_NOREPLACE + type0 anon over free addr", MMAP(0x300000000UL, PG, RW, MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
	r = MMAP(0x300000000UL, PG, RW, A | MAP_FIXED, -1, 0);
	SHOW("FIXED_NOREPLACE + type0 anon over busy addr (EEXIST vs EINVAL)", MMAP(0x300000000UL, PG, RW, MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
	SHOW("FIXED_NOREPLACE + type3 file over busy addr (EEXIST vs EOPNOTSUPP)", MMAP(0x300000000UL, PG, RW, MAP_SHARED_VALIDATE | MAP_FIXED_NOREPLACE, frw, 0));
	SHOW("FIXED_NOREPLACE + file O_WRONLY over busy addr (EEXIST vs EACCES)", MMAP(0x300000000UL, PG, RW, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fwo, 0));
	MUNMAP(0x300000000UL, PG);

	sc(SYS_unlink, path);
	sc(SYS_rmdir, dpath);
	return 0;
}
