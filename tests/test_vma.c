/*
 * test_vma.c — the VMA store, driven through the public API against a simple
 * reference model of the address space.
 *
 * The model is an array of page states over a window of the address space:
 * -1 for unmapped, else the PROT_* value of the page, plus GD for pages of a
 * MAP_GROWSDOWN mapping.  Random sequences of mmap (MAP_FIXED,
 * MAP_FIXED_NOREPLACE, hinted, un-hinted; one in ten growsdown), munmap and
 * mprotect of random ranges are applied to both, and after each step:
 *   - the call's result is what the model predicts (address or -errno);
 *   - /proc/PID/maps (um_maps) equals the text the model implies: one line per
 *     maximal run of pages with equal state (untouched private anonymous
 *     memory has flags determined by its protection and VM_GROWSDOWN alone —
 *     VM_ACCOUNT follows VM_WRITE — so Linux merges every such run into one
 *     VMA; adjacent growsdown VMAs merge too, see unit_merge.c);
 *   - um_validate() == 0; map_count, total_vm, data_vm, exec_vm and stack_vm
 *     agree.
 *
 * Placement (vm_unmapped_area): an un-hinted mmap lands at the top of the
 * highest free gap below mmap_base that fits (top-down layout), or at the
 * bottom of the lowest free gap above mmap_legacy_base = task_size/3
 * (bottom-up, legacy_layout=1).  A hint is used when [hint, hint+len) is free.
 * The stack guard gap below a growsdown VMA is never chosen: a hint ending
 * inside it is ignored, and the searches retry the way mm/mmap.c's
 * unmapped_area{,_topdown} do (top-down: lower the high limit to the guard's
 * start; bottom-up: continue above the growsdown VMA).  The random tests use
 * an 8-page guard gap (um_engine_config.stack_guard_gap, Linux's
 * stack_guard_gap= boot parameter) so that it matters inside a small window.
 *
 * The random runs use "empty" processes (no stack, vdso or vsyscall), so the
 * window is the whole of maps.  The layout rules were checked against the
 * live kernel by tests/probe/p02_placement.c, p02b_exhaust.c, p06_holes.c and
 * unit_merge.c (docs/kernel-notes.md §2, §3.2): mmap_base is 0x7ffff7fff000
 * with an 8 MiB stack rlimit; the first un-hinted page lands right below it;
 * hints and the guard gap as above; mprotect over a hole changes the part
 * before the hole.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "check.h"
#include "usermm.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define PG 4096UL
#define MiB (1UL << 20)
#define TASK_SIZE 0x7ffffffff000UL

/* ---- PRNG -------------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t splitmix64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long rnd(unsigned long n)
{
	return (unsigned long)(splitmix64() % n);
}

/* ---- setup ---------------------------------------------------------------------- */

#define GUARD 8   /* stack guard gap of the random tests, in pages */

static um_engine *new_engine_guard(unsigned long guard_pages)
{
	struct um_engine_config cfg = {
		.max_map_count = 65530, .mmap_min_addr = 4096,
		.overcommit_memory = 0, .thp_enabled = 1,
		.stack_guard_gap = guard_pages * 4096,
	};

	return um_engine_new(&cfg);
}

static um_engine *new_engine(void)
{
	struct um_engine_config cfg = {
		.max_map_count = 65530, .mmap_min_addr = 4096,
		.overcommit_memory = 0, .thp_enabled = 1,
	};

	return um_engine_new(&cfg);
}

static um_proc *new_proc(um_engine *e, int legacy)
{
	struct um_proc_config c = {
		.set_limits = 1, .rlimit_stack = 8 * MiB,
		.rlimit_as = UM_RLIM_INFINITY, .rlimit_data = UM_RLIM_INFINITY,
		.rlimit_memlock = 8 * MiB, .empty = 1, .legacy_layout = legacy,
	};

	return um_proc_new(e, &c);
}

/* ---- the reference model ----------------------------------------------------------
 *
 *   top-down:   base                       base + np*PG == mmap_base
 *               | margin |   fixed-op zone              |
 *   bottom-up:  base == mmap_legacy_base                 base + np*PG
 *               |   fixed-op zone              | margin |
 *
 * MAP_FIXED, munmap and mprotect stay in the fixed-op zone; placed mmaps may
 * also use the margin.  A placement the model would put outside the window is
 * skipped (never issued), so the window holds everything mapped.
 */
#define NP_MAX 4096

/* what the random runs exercised */
static unsigned long n_placed, n_skipped, n_hint_used, n_enomem, max_vmas, n_guard;
#define GD 0x10   /* state bit: the page belongs to a MAP_GROWSDOWN mapping */

struct model {
	bool topdown;
	unsigned long base;        /* address of page 0 */
	long np;                   /* pages in the window */
	long zlo, zhi;             /* fixed-op zone: pages [zlo, zhi) */
	long guard;                /* stack guard gap in pages */
	signed char st[NP_MAX];    /* -1 unmapped, else prot | GD? */
};

static unsigned long pg_addr(const struct model *m, long i)
{
	return m->base + (unsigned long)i * PG;
}

static bool range_free(const struct model *m, long i, long n)
{
	for (long k = i; k < i + n; k++)
		if (m->st[k] >= 0)
			return false;
	return true;
}

static void set_range(struct model *m, long i, long n, int state)
{
	for (long k = i; k < i + n; k++)
		m->st[k] = (signed char)state;
}

/* The first mapped page at or above @i (a VMA start when i-1 is free), or np. */
static long next_mapped(const struct model *m, long i)
{
	while (i < m->np && m->st[i] < 0)
		i++;
	return i;
}

/* vm_start_gap of the VMA starting at page @v, in pages (may be negative). */
static long start_gap(const struct model *m, long v)
{
	return (m->st[v] & GD) ? v - m->guard : v;
}

/* A non-fixed hint of @n pages at page @h is used (layout.c's hint check). */
static bool hint_usable(const struct model *m, long h, long n)
{
	long v;

	if (h + n > m->np || !range_free(m, h, n))
		return false;
	v = next_mapped(m, h + n);
	if (v == m->np || h + n <= start_gap(m, v))
		return true;
	n_guard += h + n <= v;   /* free, but inside a guard gap */
	return false;
}

/*
 * Where vm_unmapped_area puts @n pages: a page index, or -1 when the answer
 * lies (partly) outside the window.  The window's lowest free run continues
 * downwards without limit, its highest upwards (nothing is mapped outside).
 *
 * Top-down (unmapped_area_topdown): take the highest free run whose part
 * below `high` holds n pages and map at its top; if the VMA above the run is
 * growsdown and its guard reaches into the run, lower `high` to the guard's
 * start and search again.
 * Bottom-up (unmapped_area): take the lowest free run whose part above `low`
 * holds n pages and map at its bottom; if the VMA above is growsdown and the
 * mapping would reach into its guard, continue above that VMA.
 */
static long predict_place(const struct model *m, long n)
{
	if (m->topdown) {
		long high = m->np;

		for (;;) {
			long end = high, start, v;

			for (;;) {
				while (end > 0 && m->st[end - 1] >= 0)
					end--;
				if (end == 0)
					return -1;   /* page 0 mapped: below the window */
				for (start = end; start > 0 && m->st[start - 1] < 0; start--)
					;
				if (end - start >= n || start == 0)
					break;
				end = start;
			}
			if (end - n < 0)
				return -1;
			v = next_mapped(m, end);
			if (v < m->np && (m->st[v] & GD) && start_gap(m, v) <= end - 1) {
				n_guard++;
				high = start_gap(m, v);
				if (high <= 0)
					return -1;
				continue;
			}
			return end - n;
		}
	} else {
		long low = 0;

		for (;;) {
			long start = low, end, v;

			for (;;) {
				while (start < m->np && m->st[start] >= 0)
					start++;
				if (start == m->np)
					return -1;   /* top page mapped: above the window */
				for (end = start; end < m->np && m->st[end] < 0; end++)
					;
				if (end - start >= n || end == m->np)
					break;
				start = end;
			}
			if (start + n > m->np)
				return -1;
			v = next_mapped(m, end);
			if (v < m->np && (m->st[v] & GD) && start_gap(m, v) < start + n) {
				n_guard++;
				for (low = v; low < m->np && m->st[low] == m->st[v]; low++)
					;
				continue;
			}
			return start;
		}
	}
}

/* The maps text the model implies: one line per run of equal state. */
static size_t model_maps(const struct model *m, char *buf, size_t size)
{
	size_t len = 0;
	long i = 0, j;

	buf[0] = '\0';
	while (i < m->np) {
		int state = m->st[i];

		if (state < 0) {
			i++;
			continue;
		}
		for (j = i; j < m->np && m->st[j] == state; j++)
			;
		len += (size_t)snprintf(buf + len, size - len,
					"%08lx-%08lx %c%c%cp 00000000 00:00 0 \n",
					pg_addr(m, i), pg_addr(m, j),
					state & PROT_READ ? 'r' : '-',
					state & PROT_WRITE ? 'w' : '-',
					state & PROT_EXEC ? 'x' : '-');
		i = j;
	}
	return len;
}

struct counts {
	unsigned long vmas, pages, data, exec, stack;
};

/* vm_stat_account's classes: growsdown is stack; else writable private is
 * data; else executable is exec. */
static struct counts model_counts(const struct model *m)
{
	struct counts c = { 0, 0, 0, 0, 0 };

	for (long i = 0; i < m->np; i++) {
		int state = m->st[i];

		if (state < 0)
			continue;
		if (i == 0 || m->st[i - 1] != state)
			c.vmas++;
		c.pages++;
		if (state & GD)
			c.stack++;
		else if (state & PROT_WRITE)
			c.data++;
		else if (state & PROT_EXEC)
			c.exec++;
	}
	return c;
}

static char got_maps[1 << 18], want_maps[1 << 18];

/* Compare everything; 0 when the process agrees with the model. */
static int agree(um_proc *p, const struct model *m, bool compare_text)
{
	struct counts c = model_counts(m);
	struct um_stats st;
	int bad = 0;

	if (um_validate(p) != 0) {
		CHECK(!"um_validate failed");
		bad = 1;
	}
	um_proc_stats(p, &st);
	if (st.map_count != c.vmas || st.total_vm != c.pages ||
	    st.data_vm != c.data || st.exec_vm != c.exec || st.stack_vm != c.stack) {
		CHECK_EQ(st.map_count, c.vmas);
		CHECK_EQ(st.total_vm, c.pages);
		CHECK_EQ(st.data_vm, c.data);
		CHECK_EQ(st.exec_vm, c.exec);
		CHECK_EQ(st.stack_vm, c.stack);
		bad = 1;
	}
	if (compare_text) {
		um_maps(p, got_maps, sizeof(got_maps));
		model_maps(m, want_maps, sizeof(want_maps));
		if (strcmp(got_maps, want_maps) != 0) {
			CHECK_STR(got_maps, want_maps);
			bad = 1;
		}
	}
	return bad;
}

/* ---- one random step ------------------------------------------------------------ */

static const int prots[] = {
	PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC,
	PROT_READ | PROT_WRITE | PROT_EXEC, PROT_WRITE, PROT_EXEC,
};

static int rand_prot(void)
{
	/* favour few values so that runs merge often */
	return rnd(4) ? prots[rnd(3)] : prots[rnd(7)];
}

static char last_op[160];

static int step(um_proc *p, struct model *m, long maxlen)
{
	long zone = m->zhi - m->zlo;
	long n = 1 + (long)rnd((unsigned long)maxlen);
	long i = m->zlo + (long)rnd((unsigned long)(zone - n + 1));
	unsigned long op = rnd(100);
	int prot = rand_prot();
	bool gd = rnd(10) == 0;   /* one mapping in ten grows down */
	int state = prot | (gd ? GD : 0);
	unsigned long flags = MAP_PRIVATE | MAP_ANONYMOUS | (gd ? MAP_GROWSDOWN : 0);
	long ret, want;

	if (op < 25) {                           /* MAP_FIXED */
		snprintf(last_op, sizeof(last_op), "mmap FIXED %#lx %ld pages state %#x",
			 pg_addr(m, i), n, state);
		ret = um_mmap(p, pg_addr(m, i), (unsigned long)n * PG, (unsigned long)prot,
			      flags | MAP_FIXED, (unsigned long)-1, 0);
		want = (long)pg_addr(m, i);
		set_range(m, i, n, state);
	} else if (op < 32) {                    /* MAP_FIXED_NOREPLACE */
		snprintf(last_op, sizeof(last_op), "mmap NOREPLACE %#lx %ld pages state %#x",
			 pg_addr(m, i), n, state);
		ret = um_mmap(p, pg_addr(m, i), (unsigned long)n * PG, (unsigned long)prot,
			      flags | MAP_FIXED_NOREPLACE, (unsigned long)-1, 0);
		if (!range_free(m, i, n)) {
			want = -EEXIST;
		} else {
			want = (long)pg_addr(m, i);
			set_range(m, i, n, state);
		}
	} else if (op < 50) {                    /* un-hinted or hinted */
		bool hinted = op >= 42;
		unsigned long hint = hinted ? pg_addr(m, i) + rnd(PG) : 0;
		long at;

		if (hinted && hint_usable(m, i, n)) {
			at = i;   /* a usable hint is taken, rounded down */
			n_hint_used++;
		} else {
			at = predict_place(m, n);
			if (at < 0) {
				n_skipped++;
				return 0;   /* would leave the window: skip */
			}
			n_placed++;
		}
		snprintf(last_op, sizeof(last_op), "mmap hint %#lx %ld pages state %#x",
			 hint, n, state);
		ret = um_mmap(p, hint, (unsigned long)n * PG - rnd(PG), (unsigned long)prot,
			      flags, (unsigned long)-1, 0);
		want = (long)pg_addr(m, at);
		set_range(m, at, n, state);
	} else if (op < 72) {                    /* munmap */
		snprintf(last_op, sizeof(last_op), "munmap %#lx %ld pages", pg_addr(m, i), n);
		ret = um_munmap(p, pg_addr(m, i), (unsigned long)n * PG - rnd(PG));
		want = 0;
		set_range(m, i, n, -1);
	} else {                                 /* mprotect */
		long k;

		snprintf(last_op, sizeof(last_op), "mprotect %#lx %ld pages prot %d",
			 pg_addr(m, i), n, prot);
		ret = um_mprotect(p, pg_addr(m, i), (unsigned long)n * PG - rnd(PG),
				  (unsigned long)prot);
		/* the walk stops at the first hole; what came before is changed;
		 * VM_GROWSDOWN stays */
		for (k = i; k < i + n && m->st[k] >= 0; k++)
			m->st[k] = (signed char)(prot | (m->st[k] & GD));
		want = k == i + n ? 0 : -ENOMEM;
		n_enomem += want != 0;
	}
	if (ret != want) {
		fprintf(stderr, "  after: %s\n", last_op);
		CHECK_EQ(ret, want);
		return 1;
	}
	return 0;
}

static void run_random(int topdown, uint64_t seed, long np, long margin,
		       long maxlen, int steps, int text_every)
{
	um_engine *e = new_engine_guard(GUARD);
	um_proc *p = new_proc(e, !topdown);
	static struct model m;
	struct um_stats st;
	int s;

	memset(&m, 0, sizeof(m));
	memset(m.st, -1, sizeof(m.st));
	um_proc_stats(p, &st);
	m.topdown = topdown;
	m.np = np;
	m.guard = GUARD;
	if (topdown) {
		CHECK_EQ(st.mmap_base, 0x7ffff7fff000UL);
		m.base = st.mmap_base - (unsigned long)np * PG;
		m.zlo = margin;
		m.zhi = np;
	} else {
		/* mmap_legacy_base = PAGE_ALIGN(TASK_SIZE / 3) */
		CHECK_EQ(st.mmap_base, (TASK_SIZE / 3 + PG - 1) & ~(PG - 1));
		m.base = st.mmap_base;
		m.zlo = 0;
		m.zhi = np - margin;
	}
	rng_state = seed;
	n_placed = n_skipped = n_hint_used = n_enomem = max_vmas = n_guard = 0;
	for (s = 0; s < steps; s++) {
		if (step(p, &m, maxlen) ||
		    agree(p, &m, text_every == 1 || s % text_every == 0)) {
			fprintf(stderr, "  (seed %#lx step %d: %s)\n",
				(unsigned long)seed, s, last_op);
			break;
		}
		um_proc_stats(p, &st);
		if (st.map_count > max_vmas)
			max_vmas = st.map_count;
	}
	/* the run exercised what it is meant to */
	CHECK(n_placed > (unsigned long)steps / 20);
	CHECK(n_hint_used > (unsigned long)steps / 500);
	CHECK(n_enomem > (unsigned long)steps / 100);
	CHECK(max_vmas > (unsigned long)np / 16);
	CHECK(n_guard > (unsigned long)steps / 500);
	if (getenv("VERBOSE"))
		fprintf(stderr, "placed %lu skipped %lu hints %lu mprotect-ENOMEM %lu "
			"max VMAs %lu guard-decided %lu\n", n_placed, n_skipped,
			n_hint_used, n_enomem, max_vmas, n_guard);
	CHECK_EQ(agree(p, &m, true), 0);
	um_proc_free(p);
	um_engine_free(e);
}

/* ---- tests ------------------------------------------------------------------------- */

TEST(random_topdown_small_window)
{
	for (uint64_t seed = 1; seed <= 4; seed++)
		run_random(1, seed * 0x1234567ULL, 160, 32, 12, 2500, 1);
}

TEST(random_bottomup_small_window)
{
	for (uint64_t seed = 1; seed <= 3; seed++)
		run_random(0, seed * 0x7654321ULL, 160, 32, 12, 2500, 1);
}

/* Many VMAs (hundreds to a thousand) so the gap tree is deep. */
TEST(random_topdown_many_vmas)
{
	run_random(1, 0xfeedULL, 3000, 64, 6, 6000, 50);
}

TEST(random_bottomup_many_vmas)
{
	run_random(0, 0xbeefULL, 3000, 64, 6, 6000, 50);
}

/*
 * Explicit placement picture (top-down), 1 char = 1 page, '#' mapped:
 *
 *   mmap_base-20p                                        mmap_base
 *   |  ....####..##...#######.#  |   holes of 1, 2, 3, 4 pages
 *
 * A 3-page request goes to the highest hole of >= 3 pages; a 1-page request
 * to the highest hole of all; a request larger than every hole below the
 * lowest VMA goes below it.
 */
TEST(topdown_highest_gap_that_fits)
{
	um_engine *e = new_engine();
	um_proc *p = new_proc(e, 0);
	const unsigned long anon = MAP_PRIVATE | MAP_ANONYMOUS;
	unsigned long top = 0x7ffff7fff000UL;
	/* busy pages, as offsets below mmap_base: */
	/*   [top-1p, top) busy; hole 1p; [top-9p, top-2p) busy; hole 3p;
	 *   [top-14p, top-12p) busy; hole 2p; [top-20p, top-16p) busy;
	 *   everything below top-20p free. */
	struct { unsigned long lo, hi; } busy[] = {
		{ 1, 0 }, { 9, 2 }, { 14, 12 }, { 20, 16 },
	};

	for (unsigned i = 0; i < 4; i++) {
		unsigned long a = top - busy[i].lo * PG, len = (busy[i].lo - busy[i].hi) * PG;

		/* alternate protections so neighbours never merge */
		CHECK_EQ(um_mmap(p, a, len, i & 1 ? PROT_READ : PROT_NONE,
				 anon | MAP_FIXED, -1UL, 0), (long)a);
	}
	CHECK_EQ(um_mmap(p, 0, 3 * PG, PROT_READ | PROT_WRITE, anon, -1UL, 0),
		 (long)(top - 12 * PG));            /* fills the 3-page hole */
	CHECK_EQ(um_mmap(p, 0, PG, PROT_READ | PROT_WRITE, anon, -1UL, 0),
		 (long)(top - 2 * PG));             /* the 1-page hole is highest */
	CHECK_EQ(um_mmap(p, 0, 2 * PG, PROT_READ | PROT_WRITE, anon, -1UL, 0),
		 (long)(top - 16 * PG));            /* the 2-page hole */
	CHECK_EQ(um_mmap(p, 0, 5 * PG, PROT_READ | PROT_WRITE, anon, -1UL, 0),
		 (long)(top - 25 * PG));            /* below everything */
	CHECK_EQ(um_validate(p), 0);
	um_proc_free(p);
	um_engine_free(e);
}

/*
 * The free-area cache lets a search start at the gap the last one found, so
 * every way a gap can reopen above it must be seen (1 char = 1 page below
 * mmap_base, in an empty process):
 *
 *   A B C D E F        six one-page mappings, alternating rights
 *   A . C D E F        munmap B            -> next page goes to B's hole
 *   A B C D . .        E.F remade as one VMA, mremap shrinks it to F
 *                                          -> next page goes to E's place
 *   A B C [D E] F G    D.E made one VMA, munmap E (its start moves up)
 *                                          -> next page goes to E's place
 * and a longer request first, then a short one (the bound is per length).
 */
TEST(topdown_free_area_cache_sees_reopened_gaps)
{
	um_engine *e = new_engine();
	um_proc *p = new_proc(e, 0);
	const unsigned long anon = MAP_PRIVATE | MAP_ANONYMOUS;
	unsigned long top = 0x7ffff7fff000UL, a[6];     /* mmap_base */

	for (int i = 0; i < 6; i++) {
		a[i] = (unsigned long)um_mmap(p, 0, PG, i & 1 ? PROT_READ : PROT_NONE,
					      anon, -1UL, 0);
		CHECK_EQ(a[i], top - (unsigned long)(i + 1) * PG);
	}
	CHECK_EQ(um_munmap(p, a[1], PG), 0);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_READ, anon, -1UL, 0), (long)a[1]);
	/* E and F as one 2-page VMA, then shrunk to one page from the top */
	CHECK_EQ(um_munmap(p, a[5], 2 * PG), 0);
	CHECK_EQ(um_mmap(p, 0, 2 * PG, PROT_WRITE, anon, -1UL, 0), (long)a[5]);
	CHECK_EQ(um_mremap(p, a[5], 2 * PG, PG, 0, 0), (long)a[5]);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_NONE, anon, -1UL, 0), (long)a[4]);
	/* a 4-page request lands below F; then D.E become one VMA whose
	 * start moves up */
	CHECK_EQ(um_mmap(p, 0, 4 * PG, PROT_READ, anon, -1UL, 0),
		 (long)(a[5] - 4 * PG));
	CHECK_EQ(um_mprotect(p, a[4], PG, PROT_READ), 0);
	CHECK_EQ(um_munmap(p, a[4], PG), 0);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_NONE, anon, -1UL, 0), (long)a[4]);
	/* a short request after a long one still finds the highest hole */
	CHECK_EQ(um_munmap(p, a[0], PG), 0);
	CHECK_EQ(um_mmap(p, 0, 8 * PG, PROT_READ, anon, -1UL, 0),
		 (long)(a[5] - 12 * PG));
	CHECK_EQ(um_mmap(p, 0, PG, PROT_WRITE, anon, -1UL, 0), (long)a[0]);
	CHECK_EQ(um_validate(p), 0);
	um_proc_free(p);
	um_engine_free(e);
}

/*
 * Bottom-up: the lowest gap above mmap_legacy_base that fits, mapping at its
 * bottom; nothing is placed below the legacy base even when free.
 */
TEST(bottomup_lowest_gap_that_fits)
{
	um_engine *e = new_engine();
	um_proc *p = new_proc(e, 1);
	const unsigned long anon = MAP_PRIVATE | MAP_ANONYMOUS;
	struct um_stats st;
	unsigned long L;

	um_proc_stats(p, &st);
	L = st.mmap_base;
	CHECK_EQ(L, 0x2aaaaaaab000UL);  /* PAGE_ALIGN(0x7ffffffff000 / 3) */
	/* |##.###..####...#  from L upwards */
	CHECK_EQ(um_mmap(p, L, 2 * PG, PROT_READ, anon | MAP_FIXED, -1UL, 0), (long)L);
	CHECK_EQ(um_mmap(p, L + 3 * PG, 3 * PG, PROT_NONE, anon | MAP_FIXED, -1UL, 0),
		 (long)(L + 3 * PG));
	CHECK_EQ(um_mmap(p, L + 8 * PG, 4 * PG, PROT_READ, anon | MAP_FIXED, -1UL, 0),
		 (long)(L + 8 * PG));
	CHECK_EQ(um_mmap(p, L + 15 * PG, PG, PROT_NONE, anon | MAP_FIXED, -1UL, 0),
		 (long)(L + 15 * PG));
	CHECK_EQ(um_mmap(p, 0, 3 * PG, PROT_READ | PROT_WRITE, anon, -1UL, 0),
		 (long)(L + 12 * PG));              /* first hole of >= 3 pages */
	CHECK_EQ(um_mmap(p, 0, PG, PROT_READ | PROT_WRITE, anon, -1UL, 0),
		 (long)(L + 2 * PG));               /* lowest hole */
	CHECK_EQ(um_mmap(p, 0, 2 * PG, PROT_READ | PROT_WRITE, anon, -1UL, 0),
		 (long)(L + 6 * PG));
	CHECK_EQ(um_mmap(p, 0, 2 * PG, PROT_READ | PROT_WRITE, anon, -1UL, 0),
		 (long)(L + 16 * PG));              /* above everything */
	/* a free hint below the legacy base is still honoured */
	CHECK_EQ(um_mmap(p, 0x10000000, PG, PROT_READ, anon, -1UL, 0), 0x10000000L);
	CHECK_EQ(um_validate(p), 0);
	um_proc_free(p);
	um_engine_free(e);
}

/*
 * mmap_base = PAGE_ALIGN(TASK_SIZE - clamp(RLIMIT_STACK + guard gap, 128 MiB,
 * TASK_SIZE/6*5)); the first un-hinted page goes right below it (the default
 * image puts 8 pages of [vvar]/[vvar_vclock]/[vdso] there first).  An
 * unlimited stack does not switch to the bottom-up layout.
 * live (p02, fresh exec per RLIMIT_STACK): 8 MiB -> vdso block ends at
 * 0x7ffff7fff000, first 4 KiB mmap 0x7ffff7ff6000; 1 GiB -> 0x7fffbfeff000 /
 * 0x7fffbfef6000; unlimited -> 0x155555556000 / 0x15555554d000, the second
 * mmap below the first (0x15555554c000)
 */
TEST(mmap_base_follows_stack_rlimit)
{
	static const struct {
		unsigned long stack, base;
	} cases[] = {
		{ 8 * MiB, 0x7ffff7fff000UL },
		{ 1UL << 30, 0x7fffbfeff000UL },
		{ UM_RLIM_INFINITY, 0x155555556000UL },
	};
	um_engine *e = new_engine();

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct um_proc_config c = {
			.set_limits = 1, .rlimit_stack = cases[i].stack,
			.rlimit_as = UM_RLIM_INFINITY, .rlimit_data = UM_RLIM_INFINITY,
			.rlimit_memlock = 8 * MiB,
		};
		um_proc *p = um_proc_new(e, &c);
		struct um_stats st;

		um_proc_stats(p, &st);
		CHECK_EQ(st.mmap_base, cases[i].base);
		CHECK_EQ(um_mmap(p, 0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				 -1UL, 0), (long)(cases[i].base - 9 * PG));
		CHECK_EQ(um_mmap(p, 0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				 -1UL, 0), (long)(cases[i].base - 10 * PG));
		um_proc_free(p);
	}
	um_engine_free(e);
}

/*
 * When nothing fits below mmap_base the search falls back to bottom-up from
 * mmap_legacy_base (TASK_SIZE/3) to TASK_SIZE, i.e. in practice to the lowest
 * gap above mmap_base.  Neither search goes below mmap_min_addr (65536 here:
 * the kernel's variable includes CONFIG_LSM_MMAP_MIN_ADDR), so the free
 * [4 KiB, 64 KiB) is never used.  A 2 MiB request in the fallback gets the
 * top-down THP quirk (an aligned gap start is moved up by 2 MiB).
 *
 *   0x10000                                  [vvar][vdso]          [stack]
 *   |NNNNNNNNNNN_NNNNNNNNNNNNNNNNNNNNNNNNNNNNN|vvvvvvvv|_______..._|ssss|
 *                ^ 0x400000: the one free page below mmap_base
 *
 * live (p02b_exhaust, everything from 0x10000 to [vvar] filled with PROT_NONE
 * NORESERVE except one page): "mmap 4K unhinted (below mmap_base is full) ->
 * the free page", "mmap 4K unhinted again -> 0x7ffff7fff000", "mmap 2MiB
 * unhinted -> 0x7ffff8200000", "mmap 200MiB unhinted -> -ENOMEM", "mmap 4K
 * MAP_32BIT -> -ENOMEM", "munmap one page ... at 0x500000000" then "mmap 4K
 * unhinted -> 0x500000000", "munmap 2 pages at 0x600000000" then
 * "-> 0x600001000", "-> 0x600000000", "-> 0x7ffff8000000"
 */
TEST(topdown_full_falls_back_bottom_up)
{
	um_engine *e = new_engine();
	struct um_proc_config c = {
		.set_limits = 1, .rlimit_stack = 8 * MiB,
		.rlimit_as = UM_RLIM_INFINITY, .rlimit_data = UM_RLIM_INFINITY,
		.rlimit_memlock = 8 * MiB,
	};
	um_proc *p = um_proc_new(e, &c);   /* default image: [vvar] at 0x7ffff7ff7000 */
	const unsigned long NN = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE;
	const unsigned long anon = MAP_PRIVATE | MAP_ANONYMOUS;
	const unsigned long vvar = 0x7ffff7ff7000UL, hole = 0x400000UL;

	CHECK_EQ(um_mmap(p, 0x10000, hole - 0x10000, PROT_NONE, NN, -1UL, 0), 0x10000L);
	CHECK_EQ(um_mmap(p, hole + PG, vvar - hole - PG, PROT_NONE, NN, -1UL, 0),
		 (long)(hole + PG));
	CHECK_EQ(um_mmap(p, 0, PG, PROT_READ | PROT_WRITE, anon, -1UL, 0), (long)hole);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_READ | PROT_WRITE, anon, -1UL, 0), 0x7ffff7fff000L);
	CHECK_EQ(um_mmap(p, 0, 2 * MiB, PROT_READ | PROT_WRITE, anon, -1UL, 0),
		 0x7ffff8200000L);
	CHECK_EQ(um_mmap(p, 0, 200 * MiB, PROT_READ | PROT_WRITE, anon, -1UL, 0), -ENOMEM);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_READ | PROT_WRITE, anon | MAP_32BIT, -1UL, 0),
		 -ENOMEM);
	CHECK_EQ(um_munmap(p, 0x500000000UL, PG), 0);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_READ | PROT_WRITE, anon, -1UL, 0), 0x500000000L);
	CHECK_EQ(um_munmap(p, 0x600000000UL, 2 * PG), 0);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_READ | PROT_WRITE, anon, -1UL, 0), 0x600001000L);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_READ | PROT_WRITE, anon, -1UL, 0), 0x600000000L);
	CHECK_EQ(um_mmap(p, 0, PG, PROT_READ | PROT_WRITE, anon, -1UL, 0), 0x7ffff8000000L);
	CHECK_EQ(um_validate(p), 0);
	um_proc_free(p);
	um_engine_free(e);
}

/*
 * find_vma-style lookups through munmap/mprotect at VMA boundaries, on a tree
 * of many VMAs: every second page mapped, then the holes filled one by one
 * (each fill merges three VMAs into one when the protections agree).
 */
TEST(fill_holes_merges_everything)
{
	um_engine *e = new_engine();
	um_proc *p = new_proc(e, 0);
	const unsigned long anon = MAP_PRIVATE | MAP_ANONYMOUS;
	unsigned long base = 0x100000000UL, n = 1000;
	struct um_stats st;

	for (unsigned long i = 0; i < n; i += 2)
		CHECK_EQ(um_mmap(p, base + i * PG, PG, PROT_READ, anon | MAP_FIXED,
				 -1UL, 0), (long)(base + i * PG));
	um_proc_stats(p, &st);
	CHECK_EQ(st.map_count, n / 2);
	/* fill in a scrambled order */
	for (unsigned long k = 0; k < n / 2 - 1; k++) {
		unsigned long i = 1 + 2 * ((k * 7919) % (n / 2 - 1));

		CHECK_EQ(um_mmap(p, base + i * PG, PG, PROT_READ, anon | MAP_FIXED,
				 -1UL, 0), (long)(base + i * PG));
	}
	um_proc_stats(p, &st);
	CHECK_EQ(st.map_count, 1);
	CHECK_EQ(st.total_vm, n - 1);
	CHECK_EQ(um_validate(p), 0);
	um_maps(p, got_maps, sizeof(got_maps));
	CHECK_STR(got_maps, "100000000-1003e7000 r--p 00000000 00:00 0 \n");
	/* unmapping the whole thing empties the address space */
	CHECK_EQ(um_munmap(p, base, n * PG), 0);
	um_proc_stats(p, &st);
	CHECK_EQ(st.map_count, 0);
	CHECK_EQ(st.total_vm, 0);
	um_maps(p, got_maps, sizeof(got_maps));
	CHECK_STR(got_maps, "");
	um_proc_free(p);
	um_engine_free(e);
}

int main(void)
{
	RUN(random_topdown_small_window);
	RUN(random_bottomup_small_window);
	RUN(random_topdown_many_vmas);
	RUN(random_bottomup_many_vmas);
	RUN(topdown_highest_gap_that_fits);
	RUN(topdown_free_area_cache_sees_reopened_gaps);
	RUN(bottomup_lowest_gap_that_fits);
	RUN(mmap_base_follows_stack_rlimit);
	RUN(topdown_full_falls_back_bottom_up);
	RUN(fill_holes_merges_everything);
	return check_summary();
}
