/*
 * unit_errno.c — live-kernel boundaries for tests/test_mmap_errno.c that the
 * p0x probes do not already pin down: the exact RLIMIT_AS and RLIMIT_DATA
 * edges (a mapping that reaches the limit exactly, MAP_FIXED replacing
 * pages at the limit, mprotect adding PROT_WRITE), and MAP_32BIT sizes in an
 * empty 32-bit window.
 *
 *   gcc -O1 -static -o /tmp/unit_errno tests/probe/unit_errno.c
 *   setarch -R /tmp/unit_errno
 */
#include "probe.h"
#include <sys/mman.h>
#include <sys/resource.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;

static unsigned long status_kb(const char *field)
{
	size_t fl = strlen(field);

	read_file_("/proc/self/status", mapsbuf_, sizeof mapsbuf_);
	for (char *l = mapsbuf_; *l;) {
		char *e = strchr(l, '\n');
		if (!e)
			break;
		if (!strncmp(l, field, fl) && l[fl] == ':')
			return strtoul(l + fl + 1, NULL, 10);
		l = e + 1;
	}


	return 0;
}

int main(void)
{
	struct rlimit old, lim;
	unsigned long v, a;
	long r[16];

	probe_init();

	SECTION("RLIMIT_AS: limit = VmSize + 16 pages");
	getrlimit(RLIMIT_AS, &old);
	v = status_kb("VmSize") / 4;
	lim.rlim_cur = (v + 16) * PG;
	lim.rlim_max = old.rlim_max;
	setrlimit(RLIMIT_AS, &lim);
	a = 0x600000000UL;
	r[0] = MMAP(a, 16 * PG, RW, AP | MAP_FIXED, -1, 0);
	r[1] = MMAP(a + 32 * PG, PG, RW, AP | MAP_FIXED, -1, 0);
	r[2] = MMAP(0, PG, PROT_READ, AP, -1, 0);
	r[3] = MMAP(a + 4 * PG, 4 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	r[4] = MMAP(a + 14 * PG, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	r[5] = MPROTECT(a, 4 * PG, PROT_READ | PROT_WRITE | PROT_EXEC);
	r[6] = MUNMAP(a + 15 * PG, PG);
	r[7] = MMAP(a + 32 * PG, PG, RW, AP | MAP_FIXED, -1, 0);
	r[8] = MMAP(a + 40 * PG, PG, RW, AP | MAP_FIXED, -1, 0);
	setrlimit(RLIMIT_AS, &old);
	printf("  mmap 16 pages (reaches the limit exactly)                 -> %s\n", rs(r[0]));
	printf("  mmap 1 more page FIXED                                    -> %s\n", rs(r[1]));
	printf("  mmap 1 more page un-hinted                                -> %s\n", rs(r[2]));
	printf("  MAP_FIXED 4 pages replacing mapped pages                  -> %s\n", rs(r[3]));
	printf("  MAP_FIXED 4 pages, 2 mapped + 2 new                       -> %s\n", rs(r[4]));
	printf("  mprotect RWX of 4 pages                                   -> %s\n", rs(r[5]));
	printf("  munmap 1 page                                             -> %s\n", rs(r[6]));
	printf("  mmap 1 page FIXED now                                     -> %s\n", rs(r[7]));
	printf("  mmap 1 more page FIXED                                    -> %s\n", rs(r[8]));
	MUNMAP(a, 64 * PG);

	SECTION("a MAP_FIXED refused by RLIMIT_AS: does the VMA it overlapped stay split?");
	getrlimit(RLIMIT_AS, &old);
	v = status_kb("VmSize") / 4;
	lim.rlim_cur = (v + 16) * PG;
	lim.rlim_max = old.rlim_max;
	setrlimit(RLIMIT_AS, &lim);
	r[0] = MMAP(a, 16 * PG, RW, AP | MAP_FIXED, -1, 0);
	r[1] = MMAP(a + 14 * PG, 4 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	printf("  mmap 16 pages RW at a (reaches the limit)                 -> %s\n", rs(r[0]));
	printf("  MAP_FIXED R at a+14p, 4 pages (2 new)                     -> %s\n", rs(r[1]));
	maps("after the refused MAP_FIXED", a, a + 64 * PG);
	r[2] = MMAP(a + 4 * PG, 2 * PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	printf("  MAP_FIXED R at a+4p, 2 pages (all replacing)              -> %s\n", rs(r[2]));
	maps("after", a, a + 64 * PG);
	setrlimit(RLIMIT_AS, &old);
	MUNMAP(a, 64 * PG);

	SECTION("RLIMIT_DATA: limit = VmData + 16 pages");
	getrlimit(RLIMIT_DATA, &old);
	v = status_kb("VmData") / 4;
	lim.rlim_cur = (v + 16) * PG;
	lim.rlim_max = old.rlim_max;
	setrlimit(RLIMIT_DATA, &lim);
	r[0] = MMAP(a, 16 * PG, RW, AP | MAP_FIXED, -1, 0);
	r[1] = MMAP(a + 32 * PG, PG, RW, AP | MAP_FIXED, -1, 0);
	r[2] = MMAP(a + 34 * PG, PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	r[3] = MPROTECT(a + 34 * PG, PG, RW);
	r[4] = MMAP(a + 36 * PG, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	r[5] = MMAP(a + 38 * PG, PG, RW, AP | MAP_FIXED | MAP_NORESERVE, -1, 0);
	r[6] = MMAP(a + 40 * PG, PG, RW, AP | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
	r[7] = MMAP(a + 4 * PG, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	r[8] = MUNMAP(a + 15 * PG, PG);
	r[9] = MPROTECT(a + 34 * PG, PG, RW);
	r[10] = MPROTECT(a + 34 * PG, PG, PROT_READ);
	r[11] = MMAP(a + 42 * PG, PG, PROT_READ | PROT_EXEC, AP | MAP_FIXED, -1, 0);
	setrlimit(RLIMIT_DATA, &old);
	printf("  mmap 16 pages private RW (reaches the limit exactly)      -> %s\n", rs(r[0]));
	printf("  mmap 1 more private RW page                               -> %s\n", rs(r[1]));
	printf("  mmap 1 private R page                                     -> %s\n", rs(r[2]));
	printf("  mprotect it RW                                            -> %s\n", rs(r[3]));
	printf("  mmap 1 shared RW page                                     -> %s\n", rs(r[4]));
	printf("  mmap 1 private RW MAP_NORESERVE page                      -> %s\n", rs(r[5]));
	printf("  mmap 1 private RW MAP_GROWSDOWN page                      -> %s\n", rs(r[6]));
	printf("  MAP_FIXED 4 private RW pages over mapped RW pages         -> %s\n", rs(r[7]));
	printf("  munmap 1 RW page                                          -> %s\n", rs(r[8]));
	printf("  mprotect the R page RW now                                -> %s\n", rs(r[9]));
	printf("  mprotect it back R                                        -> %s\n", rs(r[10]));
	printf("  mmap 1 private R|X page                                   -> %s\n", rs(r[11]));
	MUNMAP(a, 64 * PG);

	SECTION("MAP_FIXED over part of [vvar] (0x7ffff7ff7000, 4 pages)");
	r[0] = MMAP(0x7ffff7ff8000UL, PG, RW, AP | MAP_FIXED, -1, 0);
	r[1] = MMAP(0x7ffff7ff6000UL, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	r[2] = MPROTECT(0x7ffff7ff7000UL, PG, PROT_READ);
	r[3] = MPROTECT(0x7ffff7ff7000UL, PG, PROT_NONE);
	printf("  MAP_FIXED 1 page at vvar+1p                               -> %s\n", rs(r[0]));
	printf("  MAP_FIXED 2 pages at vvar-1p (overlaps its first page)    -> %s\n", rs(r[1]));
	printf("  mprotect vvar first page R (unchanged)                    -> %s\n", rs(r[2]));
	printf("  mprotect vvar first page NONE (split)                     -> %s\n", rs(r[3]));
	maps("vvar area", 0x7ffff7ff0000UL, 0x7ffff7fff000UL);
	if (r[1] > 0)
		MUNMAP(r[1], PG);

	SECTION("MAP_FIXED whose file ->mmap fails (MAP_SYNC on ext4) over an existing mapping");
	{
		char path[64];
		long fd;

		snprintf(path, sizeof path, "/tmp/unit_errno_sync_%d", getpid());
		fd = make_file(path, 4 * PG);
		MMAP(a, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
		*(volatile char *)(a + PG) = 42;
		r[0] = MMAP(a + PG, 2 * PG, RW, MAP_SHARED_VALIDATE | MAP_SYNC | MAP_FIXED, fd, 0);
		printf("  SHARED_VALIDATE|MAP_SYNC|MAP_FIXED file over anon         -> %s\n", rs(r[0]));
		maps("after", a, a + 8 * PG);
		MMAP(a, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
		r[1] = MMAP(a + PG, 2 * PG, RW, MAP_SHARED | MAP_SYNC | MAP_FIXED, fd, 0);
		printf("  SHARED|MAP_SYNC|MAP_FIXED file over anon                  -> %s\n", rs(r[1]));
		maps("after", a, a + 8 * PG);
		MMAP(a, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
		r[2] = MMAP(a + PG, 2 * PG, RW, MAP_PRIVATE | MAP_SYNC | MAP_FIXED, fd, 0);
		printf("  PRIVATE|MAP_SYNC|MAP_FIXED file over anon                 -> %s\n", rs(r[2]));
		maps("after", a, a + 8 * PG);
		MUNMAP(a, 8 * PG);
		sc(SYS_close, fd);
		sc(SYS_unlink, path);
	}

	SECTION("MAP_SYNC on tmpfs (/dev/shm), MAP_FIXED over an existing mapping");
	{
		char path[64];
		long fd;

		snprintf(path, sizeof path, "/dev/shm/unit_errno_sync_%d", getpid());
		fd = make_file(path, 4 * PG);
		MMAP(a, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
		r[0] = MMAP(a + PG, 2 * PG, RW, MAP_SHARED_VALIDATE | MAP_SYNC | MAP_FIXED, fd, 0);
		printf("  SHARED_VALIDATE|MAP_SYNC|MAP_FIXED tmpfs over anon        -> %s\n", rs(r[0]));
		maps("after", a, a + 8 * PG);
		r[1] = MMAP(a + PG, 2 * PG, RW, MAP_SHARED | MAP_SYNC | MAP_FIXED, fd, 0);
		printf("  SHARED|MAP_SYNC|MAP_FIXED tmpfs over anon                 -> %s\n", rs(r[1]));
		r[2] = MMAP(a + 4 * PG, 2 * PG, RW, MAP_PRIVATE | MAP_SYNC | MAP_FIXED, fd, 0);
		printf("  PRIVATE|MAP_SYNC|MAP_FIXED tmpfs                          -> %s\n", rs(r[2]));
		maps("after", a, a + 8 * PG);
		MUNMAP(a, 8 * PG);
		sc(SYS_close, fd);
		sc(SYS_unlink, path);
	}

	SECTION("MAP_32BIT in an empty window [1 GiB, 2 GiB)");
	r[0] = MMAP(0, 1UL << 30, PROT_NONE, AP | MAP_32BIT, -1, 0);
	if (r[0] > 0)
		MUNMAP(r[0], 1UL << 30);
	r[1] = MMAP(0, (1UL << 30) + PG, PROT_NONE, AP | MAP_32BIT, -1, 0);
	r[2] = MMAP(0, 2UL << 30, PROT_NONE, AP | MAP_32BIT, -1, 0);
	r[3] = MMAP(0, PG, RW, AP | MAP_32BIT, -1, 0);
	printf("  MAP_32BIT 1 GiB                                           -> %s\n", rs(r[0]));
	printf("  MAP_32BIT 1 GiB + 1 page                                  -> %s\n", rs(r[1]));
	printf("  MAP_32BIT 2 GiB                                           -> %s\n", rs(r[2]));
	printf("  MAP_32BIT 1 page                                          -> %s\n", rs(r[3]));

	SECTION("brk towards a MAP_GROWSDOWN mapping far above the break");
	{
		unsigned long b0 = (unsigned long)BRK(0), m = b0 + 512 * PG;

		r[0] = MMAP(m, 2 * PG, RW, AP | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
		r[1] = BRK(m - (1UL << 20));
		r[2] = BRK(m - (1UL << 20) - PG + 1);
		r[3] = BRK(m - (1UL << 20) - PG);
		r[4] = BRK(b0);
		MUNMAP(m, 2 * PG);
		printf("  GROWSDOWN M at brk + 512 pages                            -> %s\n", r[0] == (long)m ? "M" : rs(r[0]));
		printf("  brk(M - 1 MiB)                                            -> %s\n", r[1] == (long)b0 ? "unchanged" : rs(r[1]));
		printf("  brk(M - 1 MiB - 4096 + 1)                                 -> %s\n", r[2] == (long)b0 ? "unchanged" : rs(r[2]));
		printf("  brk(M - 1 MiB - 4096)                                     -> %s\n", r[3] == (long)(m - (1UL << 20) - PG) ? "M - 1 MiB - 4096" : rs(r[3]));
		printf("  brk(b0)                                                   -> %s\n", r[4] == (long)b0 ? "b0" : rs(r[4]));
	}

	SECTION("MAP_ABOVE4G (0x80)");
	{
		char path[64];
		long fd;

		snprintf(path, sizeof path, "/tmp/unit_errno_%d", getpid());
		fd = make_file(path, 4 * PG);
		r[0] = MMAP(0, PG, RW, MAP_SHARED_VALIDATE | 0x80, fd, 0);
		r[1] = MMAP(0, PG, RW, AP | 0x80 | MAP_32BIT, -1, 0);
		r[2] = MMAP(0x10000000UL, PG, RW, AP | 0x80, -1, 0);
		r[3] = MMAP(0x20000000UL, PG, RW, AP | 0x80 | MAP_FIXED, -1, 0);
		printf("  SHARED_VALIDATE|MAP_ABOVE4G file                          -> %s\n", rs(r[0]));
		printf("  MAP_ABOVE4G|MAP_32BIT anon                                -> %s\n", rs(r[1]));
		printf("  MAP_ABOVE4G hint 0x10000000 (free)                        -> %s\n", rs(r[2]));
		printf("  MAP_ABOVE4G|MAP_FIXED at 0x20000000                       -> %s\n", rs(r[3]));
		sc(SYS_close, fd);
		sc(SYS_unlink, path);
	}
	return 0;
}
