/*
 * probe.h — helpers shared by the kernel-behaviour probes in tests/probe/.
 *
 * The probes measure what the live kernel does; they are not unit tests of
 * usermm.  Every system call goes through sc(), a raw `syscall` instruction,
 * so the value printed is exactly what the kernel returned (an address, a
 * count, or -errno) with no libc wrapper in between.  Output avoids malloc
 * (static buffers, unbuffered stdio) so the heap of a static binary is left
 * alone and addresses stay reproducible under `setarch -R`.
 */
#ifndef PROBE_H
#define PROBE_H
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE 0x08
#endif
#ifndef MAP_UNINITIALIZED
#define MAP_UNINITIALIZED 0x4000000
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

#define PG 4096UL
#define MiB (1UL << 20)

static inline long sc6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define sc(n, ...) sc_(n, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define sc_(n, a, b, c, d, e, f, ...) sc6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

#define MMAP(a, l, p, f, fd, o) sc(SYS_mmap, a, l, p, f, fd, o)
#define MUNMAP(a, l) sc(SYS_munmap, a, l)
#define MPROTECT(a, l, p) sc(SYS_mprotect, a, l, p)
#define MREMAP(a, ol, nl, f, na) sc(SYS_mremap, a, ol, nl, f, na)
#define MADVISE(a, l, adv) sc(SYS_madvise, a, l, adv)
#define MLOCK(a, l) sc(SYS_mlock, a, l)
#define MLOCK2(a, l, f) sc(SYS_mlock2, a, l, f)
#define MUNLOCK(a, l) sc(SYS_munlock, a, l)
#define MLOCKALL(f) sc(SYS_mlockall, f)
#define MUNLOCKALL() sc(SYS_munlockall, 0)
#define MSYNC(a, l, f) sc(SYS_msync, a, l, f)
#define MINCORE(a, l, v) sc(SYS_mincore, a, l, v)
#define BRK(a) sc(SYS_brk, a)
#define FORK() sc(SYS_fork, 0)

static char rbuf_[8][64];
static int rbuf_i_;
/* "0x7ffff7ff9000", "0", or "-EINVAL" */
static const char *rs(long r)
{
	char *b = rbuf_[rbuf_i_++ & 7];
	if (r < 0 && r >= -4095) {
		const char *n = strerrorname_np((int)-r);
		snprintf(b, 64, "-%s", n ? n : "E?");
	} else if (r >= 0 && r < 4096) {
		snprintf(b, 64, "%ld", r);
	} else {
		snprintf(b, 64, "0x%lx", (unsigned long)r);
	}
	return b;
}
#define SHOW(label, expr)                                         \
	({                                                        \
		long r_ = (long)(expr);                           \
		printf("  %-66s -> %s\n", label, rs(r_));         \
		r_;                                               \
	})

static char mapsbuf_[16 << 20];
static size_t read_file_(const char *path, char *buf, size_t cap)
{
	int fd = (int)sc(SYS_open, path, O_RDONLY, 0);
	size_t n = 0;
	long r;
	if (fd < 0)
		return 0;
	while (n < cap - 1 && (r = sc(SYS_read, fd, buf + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = 0;
	sc(SYS_close, fd);
	return n;
}

/* Print the maps lines overlapping [lo, hi); lo == hi == 0: everything. */
__attribute__((unused)) static void maps(const char *title, unsigned long lo, unsigned long hi)
{
	read_file_("/proc/self/maps", mapsbuf_, sizeof mapsbuf_);
	printf("  maps %s:\n", title);
	for (char *l = mapsbuf_; *l;) {
		char *e = strchr(l, '\n');
		unsigned long s, t;
		if (!e)
			break;
		*e = 0;
		if (sscanf(l, "%lx-%lx", &s, &t) == 2 &&
		    ((lo == 0 && hi == 0) || (s < hi && t > lo)))
			printf("    |%s|\n", l);
		l = e + 1;
	}
}

__attribute__((unused)) static int count_vmas(void)
{
	size_t n = read_file_("/proc/self/maps", mapsbuf_, sizeof mapsbuf_);
	int c = 0;
	for (size_t i = 0; i < n; i++)
		if (mapsbuf_[i] == '\n')
			c++;
	if (strstr(mapsbuf_, "[vsyscall]"))
		c--;
	return c;
}

/* smaps field (e.g. "VmFlags", "THPeligible", "Rss") of the VMA holding addr */
__attribute__((unused)) static void smaps_field(unsigned long addr, const char *field)
{
	read_file_("/proc/self/smaps", mapsbuf_, sizeof mapsbuf_);
	int in = 0;
	size_t fl = strlen(field);
	for (char *l = mapsbuf_; *l;) {
		char *e = strchr(l, '\n');
		unsigned long s, t;
		if (!e)
			break;
		*e = 0;
		if (sscanf(l, "%lx-%lx ", &s, &t) == 2)
			in = (addr >= s && addr < t);
		else if (in && !strncmp(l, field, fl) && l[fl] == ':')
			printf("    smaps[%lx] %s\n", addr, l);
		l = e + 1;
	}
}

__attribute__((unused)) static void status_field(const char *field)
{
	read_file_("/proc/self/status", mapsbuf_, sizeof mapsbuf_);
	size_t fl = strlen(field);
	for (char *l = mapsbuf_; *l;) {
		char *e = strchr(l, '\n');
		if (!e)
			break;
		*e = 0;
		if (!strncmp(l, field, fl) && l[fl] == ':')
			printf("    status %s\n", l);
		l = e + 1;
	}
}

static void probe_init(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("# uid=%d euid=%d\n", getuid(), geteuid());
}

#define SECTION(s) printf("\n== %s\n", s)

/* make a file of n bytes with recognizable content; returns path in buf */
__attribute__((unused)) static int make_file(const char *path, unsigned long n)
{
	int fd = (int)sc(SYS_open, path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		printf("  make_file(%s) failed %s\n", path, rs(fd));
		return fd;
	}
	sc(SYS_ftruncate, fd, n);
	return fd;
}
#endif
