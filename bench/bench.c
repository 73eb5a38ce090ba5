/*
 * bench.c — usermm's engine against the live kernel, side by side.
 *
 * Design notes
 *
 *   One process times both sides: the engine through the public API only
 *   (include/usermm.h) and the kernel through the real mmap/munmap/mprotect
 *   of this very process.  For every benchmark and every size:
 *
 *     1. Fillers.  N "other VMAs" are made on each side so that none can
 *        merge: one PROT_NONE anonymous region of N pages, then every odd
 *        page mprotect'ed to PROT_READ.  N pages of alternating rights are
 *        exactly N VMAs, made with N/2 + 1 calls.
 *
 *            page:  0    1    2    3    4   ...  N-1
 *                 [ -- | r- | -- | r- | -- |...| r- ]      N VMAs
 *
 *        The kernel side only goes as far as vm.max_map_count allows; beyond
 *        it the kernel column reads "n/a (max_map_count)".  The engine is
 *        configured with max_map_count = 2 000 000 so it can go to 1 000 000.
 *     2. Sanity.  Untimed, each operation is run once on the engine and its
 *        effect on map_count checked (mmap adds exactly one VMA, munmap
 *        returns to the baseline, the split adds two, the merge removes
 *        them).  Inside the timed loops every return value is checked too:
 *        a broken engine aborts the run instead of looking fast.  On the
 *        kernel side the page's landing place is made merge-free the same
 *        way (see kernel_isolate_page); the 3-page regions of benchmark 2
 *        are made after benchmark 1.
 *     3. Timing.  Each side is calibrated so that a batch takes about
 *        BATCH_TARGET_NS, then batches of the two sides are interleaved (so
 *        a noisy neighbour hurts both alike) until each side has
 *        MAX_BATCHES batches or has spent SIDE_BUDGET_NS.  The figure kept is
 *        the best batch (ns/op); the median is printed beside it.
 *        CLOCK_MONOTONIC throughout.
 *     4. Teardown.  The kernel fillers are munmap'ed, the engine process
 *        freed, before the next size.
 *
 *   Memory: mallinfo2() (uordblks + hblkhd) and the resident set are read
 *   before and after the engine's fillers are made; the growth divided by the
 *   VMAs added is the engine's cost per VMA.  um_proc_stats().vma_bytes is
 *   printed beside it.
 *
 *   Exit status: 0 when the run completed (targets missed are reported, not
 *   failed), 1 when a call failed or returned the wrong kind of result, 2 on
 *   a usage error, 3 on timeout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "usermm.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define HAVE_CALLGRIND 1
#endif
#endif
#ifndef HAVE_CALLGRIND
#define CALLGRIND_ZERO_STATS do { } while (0)
#define CALLGRIND_DUMP_STATS_AT(s) do { (void)(s); } while (0)
#endif

#define PAGE            4096UL
#define RW              (PROT_READ | PROT_WRITE)
#define ANON            (MAP_PRIVATE | MAP_ANONYMOUS)
#define ANON_FD         ((unsigned long)-1L)
#define ENGINE_MAX_MAP  2000000UL

#define MAX_BATCHES     25
#define MIN_BATCHES     5
#define BATCH_TARGET_NS 4e6      /* one batch: ~4 ms */
#define SIDE_BUDGET_NS  1e9      /* at most ~1 s per side per case */
#define MAX_OPS         (1UL << 22)
#define KERNEL_HEADROOM 256      /* VMAs left free for malloc, ld.so, ... */

static const unsigned long default_sizes[] = { 0, 1000, 60000, 1000000 };
#define MAX_SIZES 16

/* ---- reporting ------------------------------------------------------------ */

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("bench: FAILED: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static const char *errname(long r)
{
	return (r < 0 && r >= -4095) ? strerror((int)-r) : "not an errno";
}

/* Engine results, off the hot path. */
static void __attribute__((noinline, cold, noreturn))
engine_bad(const char *call, long r, const char *expected)
{
	die("engine %s returned %ld (%#lx, %s); expected %s", call, r,
	    (unsigned long)r, errname(r), expected);
}

static void __attribute__((noinline, cold, noreturn))
kernel_bad(const char *call)
{
	die("kernel %s failed: %s", call, strerror(errno));
}

static inline void check_engine_addr(const char *call, long r)
{
	if (__builtin_expect(r <= 0 || (r & (long)(PAGE - 1)) != 0, 0))
		engine_bad(call, r, "a page-aligned address");
}

static inline void check_engine_zero(const char *call, long r)
{
	if (__builtin_expect(r != 0, 0))
		engine_bad(call, r, "0");
}

/* 1234567 -> "1,234,567" */
static const char *grouped(unsigned long v, char *buf)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%lu", v), o = 0;

	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = 0;
	return buf;
}

/* ---- clocks and host facts ---------------------------------------------- */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static unsigned long read_ulong_file(const char *path, unsigned long dflt)
{
	FILE *f = fopen(path, "r");
	unsigned long v;

	if (!f)
		return dflt;
	if (fscanf(f, "%lu", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

/* Lines of /proc/self/maps = the kernel's map_count for this process. */
static unsigned long kernel_map_count(void)
{
	static char buf[1 << 16];
	unsigned long lines = 0;
	ssize_t n;
	int fd = open("/proc/self/maps", O_RDONLY);

	if (fd < 0)
		die("open /proc/self/maps: %s", strerror(errno));
	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
	close(fd);
	return lines;
}

static size_t malloc_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* The engine's own VMA pool (slab chunks), which malloc does not see. */
static size_t engine_pool_bytes(um_proc *p)
{
	struct um_stats st;

	um_proc_stats(p, &st);
	return st.vma_pool_bytes;
}

static size_t rss_bytes(void)
{
	unsigned long size, resident;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f || fscanf(f, "%lu %lu", &size, &resident) != 2)
		die("cannot read /proc/self/statm");
	fclose(f);
	return resident * (size_t)sysconf(_SC_PAGESIZE);
}

static unsigned long engine_map_count(um_proc *p)
{
	struct um_stats st;

	memset(&st, 0, sizeof st);
	um_proc_stats(p, &st);
	return st.map_count;
}

/* ---- fillers -------------------------------------------------------------- */

static unsigned long kernel_fill(unsigned long n)
{
	char *base;

	if (!n)
		return 0;
	base = mmap(NULL, n * PAGE, PROT_NONE, ANON, -1, 0);
	if (base == MAP_FAILED)
		kernel_bad("filler mmap");
	for (unsigned long i = 1; i < n; i += 2)
		if (mprotect(base + i * PAGE, PAGE, PROT_READ))
			kernel_bad("filler mprotect");
	return (unsigned long)base;
}

static unsigned long engine_fill(um_proc *p, unsigned long n)
{
	long base, r;

	if (!n)
		return 0;
	base = um_mmap(p, 0, n * PAGE, PROT_NONE, ANON, ANON_FD, 0);
	check_engine_addr("filler mmap", base);
	for (unsigned long i = 1; i < n; i += 2) {
		r = um_mprotect(p, (unsigned long)base + i * PAGE, PAGE, PROT_READ);
		check_engine_zero("filler mprotect", r);
	}
	return (unsigned long)base;
}

/* ---- the timed loops (noinline: callgrind --toggle-collect targets) ------- */

struct ctx {
	um_proc *p;            /* engine side; NULL on the kernel side */
	unsigned long region;  /* the 3-page RW region of benchmark 2 */
};

typedef void (*loop_fn)(struct ctx *c, unsigned long ops);

static void __attribute__((noinline)) kernel_mmap_ops(struct ctx *c, unsigned long ops)
{
	(void)c;
	for (unsigned long i = 0; i < ops; i++) {
		void *a = mmap(NULL, PAGE, RW, ANON, -1, 0);
		if (__builtin_expect(a == MAP_FAILED || ((uintptr_t)a & (PAGE - 1)), 0))
			kernel_bad("mmap");
		if (__builtin_expect(munmap(a, PAGE) != 0, 0))
			kernel_bad("munmap");
	}
}

static void __attribute__((noinline)) engine_mmap_ops(struct ctx *c, unsigned long ops)
{
	um_proc *p = c->p;

	for (unsigned long i = 0; i < ops; i++) {
		long a = um_mmap(p, 0, PAGE, RW, ANON, ANON_FD, 0);
		check_engine_addr("mmap", a);
		check_engine_zero("munmap", um_munmap(p, (unsigned long)a, PAGE));
	}
}

static void __attribute__((noinline)) kernel_mprotect_ops(struct ctx *c, unsigned long ops)
{
	char *mid = (char *)c->region + PAGE;

	for (unsigned long i = 0; i < ops; i++) {
		if (__builtin_expect(mprotect(mid, PAGE, PROT_READ) != 0, 0))
			kernel_bad("mprotect (split)");
		if (__builtin_expect(mprotect(mid, PAGE, RW) != 0, 0))
			kernel_bad("mprotect (merge)");
	}
}

static void __attribute__((noinline)) engine_mprotect_ops(struct ctx *c, unsigned long ops)
{
	um_proc *p = c->p;
	unsigned long mid = c->region + PAGE;

	for (unsigned long i = 0; i < ops; i++) {
		check_engine_zero("mprotect (split)", um_mprotect(p, mid, PAGE, PROT_READ));
		check_engine_zero("mprotect (merge)", um_mprotect(p, mid, PAGE, RW));
	}
}

/* ---- untimed sanity checks of the engine ---------------------------------- */

static void engine_sanity_mmap(um_proc *p)
{
	unsigned long before = engine_map_count(p), mid;
	long a = um_mmap(p, 0, PAGE, RW, ANON, ANON_FD, 0);

	check_engine_addr("mmap", a);
	mid = engine_map_count(p);
	if (mid != before + 1)
		die("engine mmap of one page took map_count from %lu to %lu; "
		    "expected a VMA of its own (+1): nothing it could merge with "
		    "is mapped next to it", before, mid);
	check_engine_zero("munmap", um_munmap(p, (unsigned long)a, PAGE));
	if (engine_map_count(p) != before)
		die("engine munmap left map_count at %lu, expected %lu",
		    engine_map_count(p), before);
}

/* Where the kernel's one-page mmap lands in this process depends on the
 * holes ld.so and libc left, and the highest of them is often next to an
 * anonymous read-write mapping: the page would merge into it and its munmap
 * would be a split.  The engine's fresh process has no such neighbour.  So,
 * until a probe page comes out as a VMA of its own, each probe's place is
 * plugged with a PROT_NONE page (which cannot merge with read-write memory).
 * Returns the number of plugs, kept in plugs[] for the teardown. */
#define MAX_PLUGS 64
static int kernel_isolate_page(unsigned long *plugs)
{
	int nplugs = 0;

	for (;;) {
		unsigned long before = kernel_map_count(), after;
		void *a = mmap(NULL, PAGE, RW, ANON, -1, 0), *q;

		if (a == MAP_FAILED)
			kernel_bad("mmap (probe)");
		after = kernel_map_count();
		if (munmap(a, PAGE))
			kernel_bad("munmap (probe)");
		if (after == before + 1)
			return nplugs;
		if (nplugs == MAX_PLUGS)
			die("kernel: still merging the benchmark page after %d plugs", nplugs);
		q = mmap(a, PAGE, PROT_NONE, ANON | MAP_FIXED_NOREPLACE, -1, 0);
		if (q != a)
			kernel_bad("mmap (plug)");
		plugs[nplugs++] = (unsigned long)a;
	}
}

static void engine_sanity_mprotect(um_proc *p, unsigned long region)
{
	unsigned long before = engine_map_count(p);

	check_engine_zero("mprotect (split)",
			  um_mprotect(p, region + PAGE, PAGE, PROT_READ));
	if (engine_map_count(p) != before + 2)
		die("engine mprotect of the middle page took map_count from %lu "
		    "to %lu, expected a split into three (+2)",
		    before, engine_map_count(p));
	check_engine_zero("mprotect (merge)", um_mprotect(p, region + PAGE, PAGE, RW));
	if (engine_map_count(p) != before)
		die("engine mprotect back to RW left map_count at %lu, expected "
		    "a merge back to %lu", engine_map_count(p), before);
}

/* ---- measurement ----------------------------------------------------------- */

struct side {
	loop_fn fn;
	struct ctx *c;
	int on;
	unsigned long ops;       /* per batch */
	int n;                   /* batches done */
	double spent;            /* ns */
	double s[MAX_BATCHES];   /* ns/op of each batch */
	double min, med;         /* results, ns/op */
};

static double time_batch(struct side *sd, unsigned long ops)
{
	double t0 = now_ns();

	sd->fn(sd->c, ops);
	return now_ns() - t0;
}

/* Grow the batch until it is long enough to time, then size it to the
 * target.  Doubles as the warm-up. */
static void calibrate(struct side *sd)
{
	unsigned long ops = 4;
	double t;

	for (;;) {
		t = time_batch(sd, ops);
		if (t >= BATCH_TARGET_NS / 4 || ops >= MAX_OPS)
			break;
		ops *= 4;
	}
	if (t < 1)
		t = 1;
	ops = (unsigned long)((double)ops * BATCH_TARGET_NS / t);
	sd->ops = ops < 1 ? 1 : ops > MAX_OPS ? MAX_OPS : ops;
}

static int side_done(const struct side *sd)
{
	return !sd->on || sd->n >= MAX_BATCHES ||
	       (sd->n >= MIN_BATCHES && sd->spent > SIDE_BUDGET_NS);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void summarise(struct side *sd)
{
	double v[MAX_BATCHES];

	if (!sd->on || !sd->n)
		return;
	memcpy(v, sd->s, sizeof(double) * (size_t)sd->n);
	qsort(v, (size_t)sd->n, sizeof v[0], cmp_double);
	sd->min = v[0];
	sd->med = v[sd->n / 2];
}

/* Interleave batches of the two sides; after each engine batch the engine's
 * map_count must be back at its baseline. */
static void measure(struct side *k, struct side *e, unsigned long engine_base)
{
	if (k->on)
		calibrate(k);
	calibrate(e);
	while (!side_done(k) || !side_done(e)) {
		struct side *both[2] = { k, e };

		for (int i = 0; i < 2; i++) {
			struct side *sd = both[i];
			double t;

			if (side_done(sd))
				continue;
			t = time_batch(sd, sd->ops);
			sd->s[sd->n++] = t / (double)sd->ops;
			sd->spent += t;
			if (sd == e && engine_map_count(e->c->p) != engine_base)
				die("engine map_count is %lu after a batch, expected %lu",
				    engine_map_count(e->c->p), engine_base);
		}
	}
	summarise(k);
	summarise(e);
}

/* ---- the run --------------------------------------------------------------- */

enum { B_MMAP, B_MPROTECT, NBENCH };
static const char *const bench_name[NBENCH] = { "mmap", "mprotect" };
static const char *const bench_title[NBENCH] = {
	"mmap+munmap of one anonymous RW page",
	"mprotect split+merge (middle of 3 RW pages -> R -> RW)",
};

struct result {
	int kernel_on;
	double k_min, k_med, e_min, e_med;
};

struct size_run {
	unsigned long n;
	int kernel_on;
	unsigned long kernel_vmas;       /* filler VMAs the kernel really has */
	double k_setup_ns, e_setup_ns, e_free_ns;
	long long malloc_growth, rss_growth;
	unsigned long engine_added;
	struct result r[NBENCH];
};

static unsigned long g_max_map_count;
static unsigned long g_vma_bytes;

static um_engine *new_engine(void)
{
	struct um_engine_config cfg;
	um_engine *e;

	memset(&cfg, 0, sizeof cfg);
	cfg.max_map_count = ENGINE_MAX_MAP;
	cfg.overcommit_memory = -1;
	e = um_engine_new(&cfg);
	if (!e)
		die("um_engine_new returned NULL");
	return e;
}

static um_proc *new_proc(um_engine *e)
{
	um_proc *p = um_proc_new(e, NULL);

	if (!p)
		die("um_proc_new returned NULL");
	return p;
}

static void print_side(const char *label, int on, double min, double med)
{
	if (on)
		printf("  %s %9.1f ns/op (median %9.1f)", label, min, med);
	else
		printf("  %s %-32s", label, "      n/a (max_map_count)");
}

/* Each size gets a fresh engine: its VMA slab starts empty, so the memory
 * figure is not flattered by slots an earlier size freed. */
static void run_size(struct size_run *sr)
{
	unsigned long n = sr->n, kfill = 0, kregion = 0, efill, ebase, eregion = 0;
	unsigned long kbefore = 0, plugs[MAX_PLUGS];
	int nplugs = 0;
	struct ctx kc = { NULL, 0 }, ec;
	size_t m0, r0;
	double t0;
	um_engine *eng;
	um_proc *p;
	char g[32], g2[32];

	/* Kernel fillers, if the map-count limit allows them. */
	kbefore = kernel_map_count();
	sr->kernel_on = kbefore + n + KERNEL_HEADROOM <= g_max_map_count;
	if (sr->kernel_on) {
		t0 = now_ns();
		kfill = kernel_fill(n);
		sr->k_setup_ns = now_ns() - t0;
		sr->kernel_vmas = kernel_map_count() - kbefore;
	}

	/* Engine fillers in a fresh process of a fresh engine. */
	eng = new_engine();
	p = new_proc(eng);
	ebase = engine_map_count(p);
	m0 = malloc_bytes() + engine_pool_bytes(p);
	r0 = rss_bytes();
	t0 = now_ns();
	efill = engine_fill(p, n);
	sr->e_setup_ns = now_ns() - t0;
	sr->malloc_growth = (long long)(malloc_bytes() + engine_pool_bytes(p)) -
			    (long long)m0;
	sr->rss_growth = (long long)rss_bytes() - (long long)r0;
	sr->engine_added = engine_map_count(p) - ebase;
	if (sr->engine_added != n)
		die("engine: %lu alternating pages made %lu VMAs, expected %lu",
		    n, sr->engine_added, n);
	(void)efill;
	ec.p = p;
	ec.region = 0;

	printf("\n-- %s other VMAs --\n", grouped(n, g));
	if (sr->kernel_on)
		printf("  setup    kernel %s VMAs in %.1f ms", grouped(sr->kernel_vmas, g2),
		       sr->k_setup_ns / 1e6);
	else
		printf("  setup    kernel n/a (max_map_count %lu)", g_max_map_count);
	printf(";  engine %s VMAs in %.1f ms", grouped(sr->engine_added, g),
	       sr->e_setup_ns / 1e6);
	if (n)
		printf(" (%.0f ns/VMA, %.1f allocated bytes/VMA)",
		       sr->e_setup_ns / (double)n,
		       (double)sr->malloc_growth / (double)n);
	printf("\n");
	fflush(stdout);

	for (int b = 0; b < NBENCH; b++) {
		struct side ks, es;
		unsigned long base;

		memset(&ks, 0, sizeof ks);
		memset(&es, 0, sizeof es);
		ks.on = sr->kernel_on;
		es.on = 1;
		ks.c = &kc;
		es.c = &ec;
		if (b == B_MMAP) {
			/* Nothing mapped yet next to where the page lands but the
			 * fillers' PROT_NONE page 0: the page is a VMA of its own. */
			engine_sanity_mmap(p);
			if (ks.on && (nplugs = kernel_isolate_page(plugs)))
				printf("  note: kernel page would merge with an anonymous "
				       "neighbour; %d PROT_NONE plug page(s) added\n", nplugs);
			ks.fn = kernel_mmap_ops;
			es.fn = engine_mmap_ops;
		} else {
			/* The 3-page regions are made only now, so that they
			 * cannot have been merged with the mmap benchmark's page. */
			if (ks.on) {
				kregion = (unsigned long)mmap(NULL, 3 * PAGE, RW, ANON, -1, 0);
				if ((void *)kregion == MAP_FAILED)
					kernel_bad("mmap of the 3-page region");
				kc.region = kregion;
			}
			eregion = (unsigned long)um_mmap(p, 0, 3 * PAGE, RW, ANON, ANON_FD, 0);
			check_engine_addr("mmap of the 3-page region", (long)eregion);
			ec.region = eregion;
			engine_sanity_mprotect(p, eregion);
			ks.fn = kernel_mprotect_ops;
			es.fn = engine_mprotect_ops;
		}
		base = engine_map_count(p);
		measure(&ks, &es, base);
		sr->r[b] = (struct result){ ks.on, ks.min, ks.med, es.min, es.med };
		printf("  %-8s", bench_name[b]);
		print_side("kernel", ks.on, ks.min, ks.med);
		print_side("engine", 1, es.min, es.med);
		if (ks.on)
			printf("   kernel/engine %.1fx\n", ks.min / es.min);
		else
			printf("   kernel/engine n/a\n");
		fflush(stdout);
	}

	/* Teardown. */
	if (sr->kernel_on) {
		if (n && munmap((void *)kfill, n * PAGE))
			kernel_bad("munmap of the fillers");
		if (kregion && munmap((void *)kregion, 3 * PAGE))
			kernel_bad("munmap of the 3-page region");
		for (int i = 0; i < nplugs; i++)
			if (munmap((void *)plugs[i], PAGE))
				kernel_bad("munmap of a plug");
	}
	t0 = now_ns();
	um_proc_free(p);
	sr->e_free_ns = now_ns() - t0;
	um_engine_free(eng);
}

static void pass_line(const char *what, const char *measured, int status)
{
	static const char *const word[] = { "MISS", "PASS", "n/a" };

	printf("  %-56s %-27s %s\n", what, measured, word[status]);
}

static int find_size(const struct size_run *runs, int nruns, unsigned long n)
{
	for (int i = 0; i < nruns; i++)
		if (runs[i].n == n)
			return i;
	return -1;
}

static void print_summary(const struct size_run *runs, int nruns)
{
	char what[96], meas[48], g[32];
	int i1k = find_size(runs, nruns, 1000);
	int i1m = find_size(runs, nruns, 1000000);
	int ibig = nruns - 1;

	printf("\n== summary: ns/op, best batch; ratio = kernel/engine ==\n");
	printf("  %-12s", "other VMAs");
	for (int b = 0; b < NBENCH; b++)
		printf("  %-8s kernel   engine    ratio", bench_name[b]);
	printf("\n");
	for (int i = 0; i < nruns; i++) {
		printf("  %12s", grouped(runs[i].n, g));
		for (int b = 0; b < NBENCH; b++) {
			const struct result *r = &runs[i].r[b];

			if (r->kernel_on)
				printf("  %15.1f %8.1f %7.1fx", r->k_min, r->e_min,
				       r->k_min / r->e_min);
			else
				printf("  %15s %8.1f %8s", "n/a", r->e_min, "n/a");
		}
		printf("\n");
	}

	printf("\n== targets (reports, not assertions) ==\n");
	for (int b = 0; b < NBENCH; b++) {
		for (int i = 0; i < nruns; i++) {
			const struct result *r = &runs[i].r[b];

			snprintf(what, sizeof what, "%s: kernel/engine >= 10x at %s VMAs",
				 bench_name[b], grouped(runs[i].n, g));
			if (!r->kernel_on) {
				pass_line(what, "n/a (max_map_count)", 2);
				continue;
			}
			snprintf(meas, sizeof meas, "%.1fx", r->k_min / r->e_min);
			pass_line(what, meas, r->k_min / r->e_min >= 10.0);
		}
	}
	for (int b = 0; b < NBENCH; b++) {
		snprintf(what, sizeof what,
			 "%s: engine at 1,000,000 / engine at 1,000 < 2x", bench_name[b]);
		if (i1k < 0 || i1m < 0) {
			pass_line(what, "n/a (sizes not run)", 2);
			continue;
		}
		double q = runs[i1m].r[b].e_min / runs[i1k].r[b].e_min;
		snprintf(meas, sizeof meas, "%.2fx (%.1f / %.1f ns)", q,
			 runs[i1m].r[b].e_min, runs[i1k].r[b].e_min);
		pass_line(what, meas, q < 2.0);
	}
	if (runs[ibig].n) {
		double bpv = (double)runs[ibig].malloc_growth / (double)runs[ibig].n;

		snprintf(what, sizeof what, "engine allocated bytes/VMA <= 128 (at %s VMAs)",
			 grouped(runs[ibig].n, g));
		snprintf(meas, sizeof meas, "%.1f", bpv);
		pass_line(what, meas, bpv <= 128.0);
	}
}

static void print_memory(const struct size_run *sr)
{
	char g[32], g2[32];
	double n = (double)sr->n;

	printf("\n== engine memory per VMA (%s VMAs added) ==\n", grouped(sr->n, g));
	printf("  allocated (malloc + VMA pool):               %s bytes = %.1f bytes/VMA\n",
	       grouped((unsigned long)(sr->malloc_growth < 0 ? 0 : sr->malloc_growth), g2),
	       (double)sr->malloc_growth / n);
	printf("  resident-set growth (/proc/self/statm):      %s bytes = %.1f bytes/VMA\n",
	       grouped((unsigned long)(sr->rss_growth < 0 ? 0 : sr->rss_growth), g2),
	       (double)sr->rss_growth / n);
	printf("  struct size (um_proc_stats vma_bytes):       %lu bytes\n", g_vma_bytes);
	printf("  engine teardown (um_proc_free):              %.1f ms\n",
	       sr->e_free_ns / 1e6);
}

/* ---- engine-only mode (for callgrind) ------------------------------------- */

static int parse_name(const char *name, int *bench, unsigned long *n)
{
	for (int b = 0; b < NBENCH; b++) {
		size_t l = strlen(bench_name[b]);
		char *end;

		if (strncmp(name, bench_name[b], l) || name[l] != '-')
			continue;
		errno = 0;
		*n = strtoul(name + l + 1, &end, 10);
		if (errno || end == name + l + 1 || *end)
			return -1;
		*bench = b;
		return 0;
	}
	return -1;
}

static int engine_only(const char *name, unsigned long ops)
{
	int b;
	unsigned long n, region, base;
	struct ctx c;
	um_engine *eng;
	um_proc *p;
	double t0, t;
	char g[32], g2[32];

	if (parse_name(name, &b, &n)) {
		fprintf(stderr, "bench: bad name '%s' (want mmap-N or mprotect-N)\n", name);
		return 2;
	}
	eng = new_engine();
	p = new_proc(eng);
	base = engine_map_count(p);
	engine_fill(p, n);
	if (engine_map_count(p) - base != n)
		die("engine: %lu alternating pages made %lu VMAs, expected %lu",
		    n, engine_map_count(p) - base, n);
	c.p = p;
	c.region = 0;
	if (b == B_MMAP) {
		engine_sanity_mmap(p);
	} else {
		region = (unsigned long)um_mmap(p, 0, 3 * PAGE, RW, ANON, ANON_FD, 0);
		check_engine_addr("mmap of the 3-page region", (long)region);
		c.region = region;
		engine_sanity_mprotect(p, region);
	}

	/* Under callgrind the loop alone is dumped as part 1
	 * (callgrind.out.PID.1); natively these are no-ops. */
	t0 = now_ns();
	CALLGRIND_ZERO_STATS;
	if (b == B_MMAP)
		engine_mmap_ops(&c, ops);
	else
		engine_mprotect_ops(&c, ops);
	CALLGRIND_DUMP_STATS_AT(name);
	t = now_ns() - t0;

	printf("engine-only %s: %s other VMAs, %s ops, %.1f ns/op (%s loop)\n",
	       name, grouped(n, g), grouped(ops, g2), t / (double)ops,
	       b == B_MMAP ? "engine_mmap_ops" : "engine_mprotect_ops");
	um_proc_free(p);
	um_engine_free(eng);
	return 0;
}

/* ---- main ------------------------------------------------------------------ */

static void on_alarm(int sig)
{
	static const char msg[] = "\nbench: TIMEOUT: the run took longer than --timeout "
				  "(an engine call is probably not O(log n))\n";
	(void)sig;
	if (write(2, msg, sizeof msg - 1) < 0) { /* nothing to do */ }
	_exit(3);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bench [--sizes N,N,...] [--timeout SECONDS]\n"
		"       bench --engine-only NAME [--ops N]\n"
		"  NAME is mmap-N or mprotect-N, N the number of other VMAs, e.g.\n"
		"  mmap-1000000.  Engine-only mode runs just the engine's loop, a fixed\n"
		"  number of ops (default 100000), for callgrind:\n"
		"    valgrind --tool=callgrind --toggle-collect=engine_mmap_ops \\\n"
		"        bench/bench --engine-only mmap-1000000 --ops 10000\n");
}

static int parse_sizes(const char *s, unsigned long *sizes)
{
	int n = 0;
	char *end;

	while (*s) {
		if (n == MAX_SIZES)
			return -1;
		errno = 0;
		sizes[n++] = strtoul(s, &end, 10);
		if (errno || end == s || (*end && *end != ','))
			return -1;
		s = *end ? end + 1 : end;
	}
	return n;
}

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	unsigned long sizes[MAX_SIZES], ops = 100000;
	int nsizes = (int)(sizeof default_sizes / sizeof default_sizes[0]);
	const char *only = NULL;
	unsigned timeout = 300;
	static struct size_run runs[MAX_SIZES];
	struct utsname un;
	um_engine *eng;
	um_proc *p;
	struct um_stats st;
	double t_start = now_ns();

	memcpy(sizes, default_sizes, sizeof default_sizes);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--engine-only") && v) {
			only = v;
			i++;
		} else if (!strcmp(a, "--ops") && v) {
			ops = strtoul(v, NULL, 10);
			i++;
		} else if (!strcmp(a, "--sizes") && v) {
			nsizes = parse_sizes(v, sizes);
			if (nsizes <= 0) {
				usage(stderr);
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--timeout") && v) {
			timeout = (unsigned)strtoul(v, NULL, 10);
			i++;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (sysconf(_SC_PAGESIZE) != (long)PAGE)
		die("page size is %ld, this benchmark assumes 4096", sysconf(_SC_PAGESIZE));
	if (only)
		return engine_only(only, ops ? ops : 1);

	signal(SIGALRM, on_alarm);
	alarm(timeout);
	qsort(sizes, (size_t)nsizes, sizeof sizes[0], cmp_ulong);
	g_max_map_count = read_ulong_file("/proc/sys/vm/max_map_count", 65530);
	uname(&un);

	eng = new_engine();
	p = new_proc(eng);
	memset(&st, 0, sizeof st);
	um_proc_stats(p, &st);
	g_vma_bytes = st.vma_bytes;
	um_proc_free(p);
	um_engine_free(eng);

	printf("usermm bench: engine (libusermm) vs live kernel, same process\n");
	printf("host: %s %s %s, %ld CPUs, vm.max_map_count %lu; engine max_map_count %lu\n",
	       un.sysname, un.release, un.machine, sysconf(_SC_NPROCESSORS_ONLN),
	       g_max_map_count, ENGINE_MAX_MAP);
	printf("figures: ns/op, best of up to %d interleaved batches of ~%.0f ms (median in "
	       "parentheses);\n  mprotect op = split + merge (two calls); ratio = kernel/engine\n",
	       MAX_BATCHES, BATCH_TARGET_NS / 1e6);
	printf("1. %s\n2. %s\n", bench_title[B_MMAP], bench_title[B_MPROTECT]);

	for (int i = 0; i < nsizes; i++) {
		memset(&runs[i], 0, sizeof runs[i]);
		runs[i].n = sizes[i];
		run_size(&runs[i]);
	}

	if (runs[nsizes - 1].n)
		print_memory(&runs[nsizes - 1]);
	print_summary(runs, nsizes);
	printf("\ntotal run time %.1f s\n", (now_ns() - t_start) / 1e9);
	return 0;
}
