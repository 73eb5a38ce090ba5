/*
 * faults.c — the physical side against the live kernel, in one run:
 *
 *   anon-write   write one byte to each page of a fresh 128 MiB private
 *                anonymous mapping (a write fault per page), then munmap
 *   file-read    read one byte of each page of a private mapping of a
 *                32 MiB file (a read fault per page, page-cache hits)
 *   shared-write write one byte to each page of a shared mapping of it
 *   cow          after fork, write one byte to each of 32 MiB of touched
 *                private pages (a copy per page)
 *   fork-1g      fork and exit of a process with 1 GiB of touched private
 *                memory (the kernel: fork, child _exit, waitpid)
 *
 * Each side repeats its run a few times, the two sides interleaved; the best
 * is kept (the machine is shared).  For anon-write the first run is printed
 * too: the engine's later runs reuse frames its earlier runs freed, its
 * first takes them new from the host (the kernel's runs are alike).  Printed: ns per page (per fork for
 * fork-1g), kernel/engine, the targets (anonymous write fault >= 3x, fork of
 * 1 GiB >= 5x), and the engine's per-page metadata.  Reports, not assertions.
 *
 * The kernel's side runs in a process of its own, forked before the engine
 * exists and driven over a pipe.  In one process each side would burden the
 * other: the kernel's fork would copy the page tables of the engine's frame
 * pool too (doubling fork-1g's kernel time), and every fork would leave the
 * pool write-protected, so the engine's next write to each frame took a host
 * copy-on-write fault.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "usermm.h"

#define PG 4096UL
#define RUNS 3
#define FILE_PATH "/tmp/usermm-bench-faults"

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "faults: %s\n", what);
	exit(1);
}

/* ---- the kernel ------------------------------------------------------------ */

static double k_touch(unsigned long len, int prot, int flags, int fd, int write)
{
	char *m = mmap(NULL, len, prot, flags, fd, 0);
	volatile char sink = 0;
	double t0;

	if (m == MAP_FAILED)
		die("kernel mmap");
	t0 = now_ns();
	for (unsigned long o = 0; o < len; o += PG) {
		if (write)
			m[o] = 1;
		else
			sink += m[o];
	}
	t0 = now_ns() - t0;
	munmap(m, len);
	(void)sink;
	return t0 / (double)(len / PG);
}

static double k_cow(unsigned long len)
{
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int p[2];
	pid_t c;
	double t;

	if (m == MAP_FAILED || pipe(p))
		die("kernel cow setup");
	memset(m, 1, len);
	c = fork();
	if (c == 0) {
		char x;

		if (read(p[0], &x, 1) < 0)
			_exit(1);
		_exit(0);
	}
	t = now_ns();
	for (unsigned long o = 0; o < len; o += PG)
		m[o] = 2;
	t = now_ns() - t;
	if (write(p[1], "x", 1) < 0)
		die("pipe");
	waitpid(c, NULL, 0);
	close(p[0]);
	close(p[1]);
	munmap(m, len);
	return t / (double)(len / PG);
}

static double k_fork(void)
{
	double t = now_ns();
	pid_t c = fork();

	if (c == 0)
		_exit(0);
	waitpid(c, NULL, 0);
	return now_ns() - t;
}

/* 1 GiB of touched private memory for k_fork, in the kernel's process. */
static double k_touch_gig(unsigned long gig)
{
	char *km = mmap(NULL, gig, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (km == MAP_FAILED)
		die("1 GiB mmap");
	for (unsigned long o = 0; o < gig; o += PG)
		km[o] = 1;
	return 0;
}

enum k_job { K_ANON, K_FILE_READ, K_SHARED_WRITE, K_COW, K_GIG, K_FORK, K_QUIT };

/* The kernel's process: run each job asked for on @in, answer on @out. */
static void kernel_worker(int in, int out, int hfd)
{
	const unsigned long anon = 128UL << 20, flen = 32UL << 20;
	int job;

	while (read(in, &job, sizeof(job)) == sizeof(job) && job != K_QUIT) {
		double r = job == K_ANON ? k_touch(anon, PROT_READ | PROT_WRITE,
						   MAP_PRIVATE | MAP_ANONYMOUS, -1, 1) :
			   job == K_FILE_READ ? k_touch(flen, PROT_READ, MAP_PRIVATE, hfd, 0) :
			   job == K_SHARED_WRITE ? k_touch(flen, PROT_READ | PROT_WRITE,
							   MAP_SHARED, hfd, 1) :
			   job == K_COW ? k_cow(flen) :
			   job == K_GIG ? k_touch_gig(1UL << 30) : k_fork();

		if (write(out, &r, sizeof(r)) != sizeof(r))
			_exit(1);
	}
	_exit(0);
}

static int k_in = -1, k_out = -1;

static pid_t kernel_start(int hfd)
{
	int to[2], from[2];
	pid_t pid;

	if (pipe(to) || pipe(from))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(to[1]);
		close(from[0]);
		kernel_worker(to[0], from[1], hfd);
	}
	close(to[0]);
	close(from[1]);
	k_in = to[1];
	k_out = from[0];
	return pid;
}

static double kernel(enum k_job job)
{
	int j = job;
	double r;

	if (write(k_in, &j, sizeof(j)) != sizeof(j) ||
	    (job != K_QUIT && read(k_out, &r, sizeof(r)) != sizeof(r)))
		die("kernel worker");
	return job == K_QUIT ? 0 : r;
}

/* ---- the engine --------------------------------------------------------------- */

static double e_touch(um_proc *p, unsigned long len, unsigned long prot,
		      unsigned long flags, unsigned long fd, int write)
{
	long a = um_mmap(p, 0, len, prot, flags, fd, 0);
	char c = 1;
	double t0;

	if (a < 0)
		die("engine mmap");
	t0 = now_ns();
	for (unsigned long o = 0; o < len; o += PG) {
		long r = write ? um_store(p, (unsigned long)a + o, &c, 1, NULL) :
				 um_load(p, (unsigned long)a + o, &c, 1, NULL);

		if (r)
			die("engine access");
	}
	t0 = now_ns() - t0;
	um_munmap(p, (unsigned long)a, len);
	return t0 / (double)(len / PG);
}

static double e_cow(um_proc *p, unsigned long len)
{
	long a = um_mmap(p, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	um_proc *c;
	char x = 2;
	double t;

	if (a < 0)
		die("engine cow mmap");
	for (unsigned long o = 0; o < len; o += PG)
		um_store(p, (unsigned long)a + o, &x, 1, NULL);
	if (um_fork(p, &c))
		die("engine fork");
	t = now_ns();
	for (unsigned long o = 0; o < len; o += PG)
		if (um_store(p, (unsigned long)a + o, &x, 1, NULL))
			die("engine cow store");
	t = now_ns() - t;
	um_proc_free(c);
	um_munmap(p, (unsigned long)a, len);
	return t / (double)(len / PG);
}

static double e_fork(um_proc *p)
{
	double t = now_ns();
	um_proc *c;

	if (um_fork(p, &c))
		die("engine fork");
	um_proc_free(c);
	return now_ns() - t;
}

/* ---- main --------------------------------------------------------------------- */

static double best(double a, double b)
{
	return a < b ? a : b;
}

static void line(const char *name, const char *unit, double k, double e)
{
	printf("  %-13s kernel %10.1f %s   engine %10.1f %s   kernel/engine %6.2fx\n",
	       name, k, unit, e, unit, k / e);
}

int main(void)
{
	struct um_engine_config cfg = { .overcommit_memory = -1, .thp_enabled = 1,
					.mem_bytes = 3UL << 30 };
	const unsigned long anon = 128UL << 20, flen = 32UL << 20, gig = 1UL << 30;
	double k[5], e[5], k_first = 0, e_first = 0;
	int hfd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
	pid_t kpid;
	um_engine *eng;
	um_proc *p;
	long efd;
	long em;
	struct um_stats st;

	if (hfd < 0 || ftruncate(hfd, (off_t)flen))
		die("setup");
	kpid = kernel_start(hfd);       /* before the engine's pool exists */
	eng = um_engine_new(&cfg);
	p = eng ? um_proc_new(eng, NULL) : NULL;
	if (!p)
		die("setup");
	efd = um_openat(p, AT_FDCWD, FILE_PATH, O_RDWR, 0);
	if (efd < 0)
		die("engine open");
	for (int i = 0; i < 5; i++)
		k[i] = e[i] = 1e300;
	for (int r = 0; r < RUNS; r++) {
		double kr = kernel(K_ANON);
		double er = e_touch(p, anon, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 1);

		if (r == 0) {           /* the engine's frames are new from the host */
			k_first = kr;
			e_first = er;
		}
		k[0] = best(k[0], kr);
		e[0] = best(e[0], er);
		k[1] = best(k[1], kernel(K_FILE_READ));
		e[1] = best(e[1], e_touch(p, flen, PROT_READ, MAP_PRIVATE, (unsigned long)efd, 0));
		k[2] = best(k[2], kernel(K_SHARED_WRITE));
		e[2] = best(e[2], e_touch(p, flen, PROT_READ | PROT_WRITE, MAP_SHARED, (unsigned long)efd, 1));
		k[3] = best(k[3], kernel(K_COW));
		e[3] = best(e[3], e_cow(p, flen));
	}
	/* fork of 1 GiB of touched private memory, both sides */
	kernel(K_GIG);
	em = um_mmap(p, 0, gig, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	if (em < 0)
		die("1 GiB mmap");
	for (unsigned long o = 0; o < gig; o += PG) {
		char x = 1;

		if (um_store(p, (unsigned long)em + o, &x, 1, NULL))
			die("1 GiB store");
	}
	for (int r = 0; r < RUNS; r++) {
		k[4] = best(k[4], kernel(K_FORK));
		e[4] = best(e[4], e_fork(p));
	}
	kernel(K_QUIT);
	waitpid(kpid, NULL, 0);
	um_proc_stats(p, &st);
	printf("usermm faults bench: best of %d runs; ns per page (fork-1g: ms per fork+exit)\n", RUNS);
	line("anon-write", "ns", k[0], e[0]);
	line(" first run", "ns", k_first, e_first);
	line("file-read", "ns", k[1], e[1]);
	line("shared-write", "ns", k[2], e[2]);
	line("cow", "ns", k[3], e[3]);
	line("fork-1g", "ms", k[4] / 1e6, e[4] / 1e6);
	printf("  per-page metadata: %lu bytes (struct page) + page tables: %lu table pages "
	       "for %lu resident pages = %.1f bytes/page\n",
	       st.page_struct_bytes, st.page_tables, st.rss_anon + st.rss_file + st.rss_shmem,
	       (double)st.page_tables * 4096.0 / (double)(st.rss_anon + st.rss_file + st.rss_shmem));
	printf("targets (reports, not assertions):\n");
	printf("  anon write fault kernel/engine >= 3x     %6.2fx  %s\n", k[0] / e[0],
	       k[0] / e[0] >= 3 ? "PASS" : "MISS");
	printf("  fork of 1 GiB kernel/engine >= 5x        %6.2fx  %s\n", k[4] / e[4],
	       k[4] / e[4] >= 5 ? "PASS" : "MISS");
	printf("  per-page metadata <= 16 bytes + tables   %lu      %s\n", st.page_struct_bytes,
	       st.page_struct_bytes <= 16 ? "PASS" : "MISS");
	um_proc_free(p);
	um_engine_free(eng);
	close(hfd);
	unlink(FILE_PATH);
	return 0;
}
