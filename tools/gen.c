/*
 * gen.c — `usermm gen SEED [--lines N]`: a deterministic random trace for
 * differential testing (`usermm diff`, tests/random.test.sh, make soak).
 *
 * Design notes
 *
 *  1. Determinism.  Everything comes from one splitmix64 stream seeded with
 *     SEED, and nothing depends on the host: the same SEED and N always
 *     print the same bytes.  Lines carry no results: `usermm diff` compares
 *     the kernel's execution with the engine's, not with written answers.
 *  2. The native executor must never hurt itself.  Every address a call
 *     or an access acts on lies in the ARENA (0x200000000, 64 MiB, nothing
 *     of the executor's is ever there: it is a static binary at 0x400000,
 *     its heap just above, its stack and vDSO at the top).  Line 1 reserves
 *     the arena PROT_NONE with MAP_FIXED_NOREPLACE; later maps use
 *     MAP_FIXED inside it.  Safety does not rest on that line (a minimiser
 *     may delete it): it rests on the addresses alone.  The two exceptions
 *     pick free space themselves and can clobber nothing: mmap(NULL, ...)
 *     and mremap(MREMAP_MAYMOVE) without MREMAP_FIXED.
 *  3. Lengths.  Calls that make memory accessible (mmap, mprotect, mremap's
 *     new length) take 1-16 pages, so what can be populated, locked or
 *     forked stays small (and the overcommit heuristic, which depends on
 *     the machine's RAM, never decides a result).  Calls that only act on
 *     what is there may also take a "big" length covering the whole arena.
 *     "Huge" lengths, to reach the error paths, are chosen per call among
 *     values that are refused before any VMA is touched or that stop at
 *     the hole after the arena: madvise and mlock walk across holes, so
 *     they only get lengths that wrap around the address space.
 *  4. Where things happen: addresses cluster in the arena's first HOT_PAGES
 *     pages, and mostly near the last few regions mapped, so that calls
 *     split, merge, overlap and fault on each other's VMAs.
 *  5. Files: /tmp/usermm-gen-SEED-a and -b, created (O_TRUNC) at the start,
 *     sized and filled; then reopened, dup'ed, closed, truncated, read and
 *     written.  The generator keeps a model of each process's descriptors
 *     and of the files' sizes so that most calls name a live descriptor and
 *     offsets fall around the end of file; the model may drift (a call it
 *     thought would succeed fails), which costs coverage, never determinism.
 *  6. Processes: fork() = $cN, with the child's lines ("$cN ...")
 *     interleaved with its parent's; at most MAX_LIVE processes at once
 *     (main included), at most MAX_FORKS forks per trace (the executors
 *     keep 64 process names).  Children exit; main never does.  maps() now
 *     and then, and at the end in every live process; smaps(ADDR) now and
 *     then (anonymous zone: see 8).
 *  7. Left out on purpose.  brk (the break is the native executor's heap).
 *     MADV_HUGEPAGE, MADV_COLLAPSE, MADV_PAGEOUT, MADV_MERGEABLE: huge
 *     pages, reclaim and KSM are not modelled by usermm, and on the live
 *     kernel they depend on khugepaged, memory pressure and ksmd, so their
 *     effects (which pages are resident, which are shared) are not
 *     deterministic.  (MADV_COLD and MADV_FREE only age and mark pages,
 *     which smaps shows once the executor has drained the kernel's per-CPU
 *     LRU batches: they are in.)  MADV_HWPOISON/SOFT_OFFLINE (they would poison real
 *     pages on a kernel built with memory failure).  Descriptors 0-2 (what
 *     they are depends on who runs the test).
 *  8. mincore and the page cache.  For a file page no process has mapped,
 *     mincore reports whether the page cache holds it, and on the live
 *     kernel that is readahead's doing: a read fault reads around the page
 *     (the bdi's ra_pages), read() reads ahead, a write to a hole reads
 *     nothing.  usermm does not model readahead; it answers from its own
 *     cache and the host's, which its own reads through the host fill by
 *     the host's (different) pattern.  So by default file mappings live in
 *     the upper half of the hot pages (the file zone) and stay there (an
 *     mremap moves pages within their zone), and mincore only looks at the
 *     lower half.  The same goes for smaps: a file VMA's Rss shows
 *     fault-around (a read fault maps the cached pages around it, which
 *     usermm models, but which are cached is readahead's doing), so
 *     smaps(ADDR) only looks at the lower half.  --file-mincore lifts both restrictions, to show
 *     the gap.  status() is left out for the same reason (RssFile counts
 *     the pages fault-around mapped), and because its RSS after
 *     mlockall(MCL_CURRENT) counts the native executor's own pages, which
 *     the engine's picture of that process does not have resident.
 *  9. --without.  A known engine bug that many seeds hit hides whatever
 *     else those seeds would find, so a soak can leave out the feature
 *     that triggers it (tests/scenarios-pending/README.md names them).
 *     The choice is made after the random draw, so the stream, and every
 *     other line of the trace, stays the same.  The default leaves nothing
 *     out: the known bugs stay visible to tests/random.test.sh.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"

#define PAGE        4096UL
#define ARENA       0x200000000UL
#define ARENA_LEN   (64UL << 20)
#define HOT_PAGES   256UL          /* where addresses concentrate */
#define FILE_ZONE   128UL          /* the hot pages from here on: files */
#define MAX_LIVE    3              /* processes at once, main included */
#define MAX_FORKS   40
#define MAX_FDS     8              /* per process, besides 0-2 */
#define MAX_RECENT  12
#define NFILES      2
#define FILE_PAGES  20             /* the files' sizes stay around this */
#define DEFAULT_LINES 150

const char gen_usage[] =
"usage: usermm gen SEED [--lines N] [--file-mincore] [--without LIST]\n"
"\n"
"Prints a random trace, the same for the same SEED and N (default 150\n"
"statements after the prologue), for `usermm diff`: every call of the trace\n"
"language but brk, loads and stores of random bytes, fork() and exit across\n"
"up to 3 processes, maps() and smaps().  It all happens in an arena at 0x200000000\n"
"(64 MiB, reserved PROT_NONE by the first line) and in two files,\n"
"/tmp/usermm-gen-SEED-a and -b.  Lines carry no results: diff compares the\n"
"live kernel's outcomes with the engine's.\n"
"\n"
"  build/usermm gen 42 >t.trace && build/usermm diff t.trace\n"
"\n"
"  --lines N        statements after the prologue (default 150)\n"
"  --file-mincore   let mincore and smaps look at file mappings too: which\n"
"                   of their pages are resident (and mapped, by fault-\n"
"                   around) depends on the page cache's history\n"
"                   (readahead), which usermm does not model, so these\n"
"                   are expected to differ\n"
"  --without LIST   leave out features whose engine bugs are known, to look\n"
"                   past them in a soak (comma-separated): otrunc (reopening\n"
"                   with O_TRUNC), seekdata (SEEK_DATA, SEEK_HOLE), negoff\n"
"                   (negative offsets and lengths); the rest of the stream is\n"
"                   unchanged, so a seed's trace keeps its shape\n"
"\n"
"Exit: 0, or 2 on bad usage.\n";

/* ---- the model -------------------------------------------------------------- */

struct gfd {
	int fd;
	int file;                  /* 0 = -a, 1 = -b */
	int acc;                   /* O_RDONLY 0, O_WRONLY 1, O_RDWR 2 */
};

struct gproc {
	int alive;
	char name[16];             /* "" for main */
	struct gfd fds[MAX_FDS];
	int nfds;
};

struct region {
	unsigned long addr, len;
};

struct gen {
	uint64_t rng;
	unsigned long seed;
	FILE *out;
	struct gproc procs[MAX_LIVE];
	int nforks;
	unsigned long fsize[NFILES];
	struct region recent[MAX_RECENT];
	int nrecent, rpos;
	int file_mincore;          /* --file-mincore (design note 8) */
	unsigned without;          /* --without: GEN_W_* (design note 9) */
};

/* ---- randomness (splitmix64) ------------------------------------------------- */

static uint64_t next(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static unsigned long rnd(struct gen *g, unsigned long n)
{
	return n ? (unsigned long)(next(g) % n) : 0;
}

/* True with probability pct/100. */
static int chance(struct gen *g, unsigned pct)
{
	return rnd(g, 100) < pct;
}

/* ---- output ------------------------------------------------------------------ */

/* One statement, run by process p (a "$cN " prefix for a child). */
__attribute__((format(printf, 3, 4)))
static void emit(struct gen *g, int p, const char *fmt, ...)
{
	va_list ap;

	if (p)
		fprintf(g->out, "$%s ", g->procs[p].name);
	va_start(ap, fmt);
	vfprintf(g->out, fmt, ap);
	va_end(ap);
	fputc('\n', g->out);
}

/* A quoted string of n random bytes: mostly letters and digits, some
 * escapes (NUL, 0xff, newline, quote) so that the bytes are not all text. */
static void put_bytes(struct gen *g, char *buf, size_t n)
{
	static const char alnum[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static const unsigned char odd[] = { 0, 0xff, '\n', '"', '\\', 0x80 };
	char *p = buf;

	*p++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = chance(g, 8) ? odd[rnd(g, sizeof(odd))] :
			(unsigned char)alnum[rnd(g, sizeof(alnum) - 1)];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			*p++ = (char)c;
		else
			p += sprintf(p, "\\x%02x", c);
	}
	*p++ = '"';
	*p = '\0';
}

/* A random string argument of about n bytes, malloc'ed (4 chars a byte at
 * most, plus quotes). */
static char *rand_string(struct gen *g, size_t n)
{
	char *s = malloc(n * 4 + 3);

	if (!s) {
		perror("usermm gen");
		exit(2);
	}
	put_bytes(g, s, n);
	return s;
}

/* A byte count for a store or a write: mostly short, sometimes pages. */
static size_t rand_count(struct gen *g)
{
	if (chance(g, 4))
		return 1 + rnd(g, 6000);
	if (chance(g, 20))
		return 1 + rnd(g, 300);
	return 1 + rnd(g, 24);
}

/* ---- addresses and lengths (design notes 2-4) ---------------------------- */

static void remember(struct gen *g, unsigned long addr, unsigned long len)
{
	addr &= ~(PAGE - 1);
	len = (len + PAGE - 1) & ~(PAGE - 1);
	if (addr < ARENA || addr >= ARENA + ARENA_LEN || !len || len > 16 * PAGE)
		return;
	g->recent[g->rpos] = (struct region){ addr, len };
	g->rpos = (g->rpos + 1) % MAX_RECENT;
	if (g->nrecent < MAX_RECENT)
		g->nrecent++;
}

/* The hot pages are split in two (design note 8): file mappings only in
 * the file zone, mincore only in the anonymous zone. */
enum zone { Z_ANY, Z_ANON, Z_FILE };

static unsigned long zone_lo(enum zone z)
{
	return ARENA + (z == Z_FILE ? FILE_ZONE : 0) * PAGE;
}

/* The end of the zone; a region may reach 16 pages past the hot pages. */
static unsigned long zone_hi(enum zone z)
{
	return ARENA + (z == Z_ANON ? FILE_ZONE : HOT_PAGES + 16) * PAGE;
}

/* A page-aligned arena address in zone z: in or next to a recent region,
 * or anywhere in the zone's hot pages. */
static unsigned long pick_page_in(struct gen *g, enum zone z)
{
	unsigned long lo = zone_lo(z), hi = z == Z_ANON ? zone_hi(z) : ARENA + HOT_PAGES * PAGE;

	if (g->nrecent && chance(g, 65)) {
		const struct region *r = &g->recent[rnd(g, (unsigned long)g->nrecent)];
		long pages = (long)(r->len / PAGE);
		long off = (long)rnd(g, (unsigned long)pages + 2) - 1;   /* -1..pages */
		unsigned long a = r->addr + (unsigned long)off * PAGE;

		if (a >= lo && a < zone_hi(z))
			return a;
	}
	return lo + rnd(g, (hi - lo) / PAGE) * PAGE;
}

static unsigned long pick_page(struct gen *g)
{
	return pick_page_in(g, Z_ANY);
}

/* The zone an address lies in (its page's). */
static enum zone zone_of(unsigned long a)
{
	return a >= zone_lo(Z_FILE) ? Z_FILE : Z_ANON;
}

/* An address for a call: page-aligned, now and then not. */
static unsigned long pick_addr_in(struct gen *g, enum zone z)
{
	unsigned long a = pick_page_in(g, z);

	return chance(g, 5) ? a + 1 + rnd(g, PAGE - 1) : a;
}

static unsigned long pick_addr(struct gen *g)
{
	return pick_addr_in(g, Z_ANY);
}

/* A normal length from a in the anonymous zone stops at the file zone. */
static unsigned long clip_to_anon(unsigned long a, unsigned long len)
{
	unsigned long room = zone_hi(Z_ANON) - (a & ~(PAGE - 1));

	if (zone_of(a) != Z_ANON || len > ARENA_LEN + PAGE || len <= room)
		return len;
	return room;
}

/* What a length may be (design note 3). */
enum len_kind {
	LEN_MAKE,      /* mmap, mprotect, mremap: small, or refused outright */
	LEN_WALK,      /* walks VMAs, stops at a hole: may be big */
	LEN_WRAP,      /* walks across holes (madvise, mlock): big, or wrapping */
};

static unsigned long huge_len(struct gen *g, enum len_kind k)
{
	static const unsigned long wrap[] = { -PAGE, -ARENA, ~0UL };

	if (k != LEN_WRAP && chance(g, 50))
		return 1UL << 47;      /* past TASK_SIZE: refused, or ENOMEM at the hole */
	return wrap[rnd(g, 3)];
}

static unsigned long pick_len(struct gen *g, enum len_kind k)
{
	unsigned long pages = 1 + (chance(g, 70) ? rnd(g, 4) : rnd(g, 16));
	unsigned r = (unsigned)rnd(g, 100);

	if (r < 3)
		return 0;
	if (r < 6)
		return huge_len(g, k);
	if (r < 9 && k != LEN_MAKE)
		return ARENA_LEN + PAGE;       /* the whole arena and the hole after */
	if (r < 16)
		return pages * PAGE - rnd(g, PAGE - 1) - 1 + (chance(g, 50) ? 0 : 2);
	return pages * PAGE;
}

/* ---- flags ------------------------------------------------------------------- */

static const char *pick_prot(struct gen *g)
{
	static const char *const prots[] = {
		"PROT_READ|PROT_WRITE", "PROT_READ|PROT_WRITE", "PROT_READ|PROT_WRITE",
		"PROT_READ", "PROT_READ", "PROT_NONE", "PROT_WRITE",
		"PROT_READ|PROT_EXEC", "PROT_READ|PROT_WRITE|PROT_EXEC",
	};

	return prots[rnd(g, sizeof(prots) / sizeof(prots[0]))];
}

/* Pick one of n weighted names. */
struct wname {
	const char *name;
	unsigned weight;
};

static const char *pick_weighted(struct gen *g, const struct wname *w, size_t n)
{
	unsigned total = 0, r;

	for (size_t i = 0; i < n; i++)
		total += w[i].weight;
	r = (unsigned)rnd(g, total);
	for (size_t i = 0; i < n; i++) {
		if (r < w[i].weight)
			return w[i].name;
		r -= w[i].weight;
	}
	return w[0].name;
}

#define PICK(g, table) pick_weighted(g, table, sizeof(table) / sizeof(table[0]))

/* ---- descriptors (design note 5) --------------------------------------------- */

static void fd_add(struct gproc *p, int fd, int file, int acc)
{
	if (p->nfds < MAX_FDS)
		p->fds[p->nfds++] = (struct gfd){ fd, file, acc };
}

static void fd_del(struct gproc *p, int fd)
{
	for (int i = 0; i < p->nfds; i++)
		if (p->fds[i].fd == fd) {
			p->fds[i] = p->fds[--p->nfds];
			return;
		}
}

/* The lowest descriptor >= 3 that p does not have open (Linux's rule). */
static int fd_lowest_free(const struct gproc *p)
{
	for (int fd = 3;; fd++) {
		int used = 0;

		for (int i = 0; i < p->nfds; i++)
			used |= p->fds[i].fd == fd;
		if (!used)
			return fd;
	}
}

/* A descriptor of p's (index into fds), or -1 when it has none. */
static int pick_fd_index(struct gen *g, const struct gproc *p)
{
	return p->nfds ? (int)rnd(g, (unsigned long)p->nfds) : -1;
}

/* A descriptor number for a call: mostly one p has open, sometimes one it
 * does not (EBADF). */
static int pick_fd(struct gen *g, const struct gproc *p)
{
	int i = pick_fd_index(g, p);

	if (i < 0 || chance(g, 4))
		return chance(g, 50) ? 3 + (int)rnd(g, 8) : 99;
	return p->fds[i].fd;
}

static const struct gfd *fd_lookup(const struct gproc *p, int fd)
{
	for (int i = 0; i < p->nfds; i++)
		if (p->fds[i].fd == fd)
			return &p->fds[i];
	return NULL;
}

static void file_path(const struct gen *g, int file, char *buf, size_t size)
{
	snprintf(buf, size, "/tmp/usermm-gen-%lu-%c", g->seed, 'a' + file);
}

/* A file offset around the file's contents: page multiples mostly. */
static unsigned long pick_file_off(struct gen *g, int file, int aligned)
{
	unsigned long pages = g->fsize[file] / PAGE + 3;
	unsigned long off = rnd(g, pages) * PAGE;

	if (!aligned || chance(g, 3))
		off += rnd(g, PAGE);
	return off;
}

/* ---- the statements ------------------------------------------------------- */

static void op_mmap(struct gen *g, int p)
{
	static const struct wname extra[] = {
		{ "", 80 }, { "|MAP_POPULATE", 8 }, { "|MAP_LOCKED", 5 },
		{ "|MAP_NORESERVE", 4 }, { "|MAP_POPULATE|MAP_LOCKED", 3 },
	};
	const struct gproc *pr = &g->procs[p];
	int fd = -1, anon = pr->nfds == 0 || chance(g, 45);
	unsigned long addr = pick_addr_in(g, anon ? Z_ANY : Z_FILE);
	unsigned long len = pick_len(g, LEN_MAKE), off = 0;
	const char *type = chance(g, 50) ? "MAP_PRIVATE" : "MAP_SHARED";
	const char *place = "|MAP_FIXED";
	char addr_s[32];
	unsigned r = (unsigned)rnd(g, 100);

	snprintf(addr_s, sizeof(addr_s), "%#lx", addr);
	if (r < 5) {
		place = "|MAP_FIXED_NOREPLACE";
	} else if (r < 10) {
		place = "";        /* the kernel chooses, far above the arena */
		snprintf(addr_s, sizeof(addr_s), "NULL");
	}
	if (!anon) {
		const struct gfd *f;

		fd = pick_fd(g, pr);
		f = fd_lookup(pr, fd);
		off = pick_file_off(g, f ? f->file : 0, 1);
	}
	emit(g, p, "mmap(%s, %lu, %s, %s%s%s%s, %d, %#lx)", addr_s, len, pick_prot(g),
	     type, anon ? "|MAP_ANONYMOUS" : "", place, PICK(g, extra), fd, off);
	if (*place)
		remember(g, addr, len);
}

static void op_munmap(struct gen *g, int p)
{
	emit(g, p, "munmap(%#lx, %lu)", pick_addr(g), pick_len(g, LEN_WALK));
}

static void op_mprotect(struct gen *g, int p)
{
	emit(g, p, "mprotect(%#lx, %lu, %s)", pick_addr(g), pick_len(g, LEN_MAKE),
	     pick_prot(g));
}

static void op_mremap(struct gen *g, int p)
{
	static const struct wname flags[] = {
		{ "0", 30 }, { "MREMAP_MAYMOVE", 30 }, { "MREMAP_MAYMOVE|MREMAP_FIXED", 30 },
		{ "MREMAP_MAYMOVE|MREMAP_DONTUNMAP", 4 },
		{ "MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP", 4 }, { "MREMAP_FIXED", 2 },
	};
	unsigned long old = pick_addr(g), olen = clip_to_anon(old, pick_len(g, LEN_MAKE));
	unsigned long nlen = chance(g, 25) ? olen : pick_len(g, LEN_MAKE), to;
	const char *f = PICK(g, flags);

	if (!strstr(f, "FIXED")) {
		emit(g, p, "mremap(%#lx, %lu, %lu, %s)", old, olen, nlen, f);
		remember(g, old, nlen);
		return;
	}
	/* Moved pages stay in their zone (design note 8). */
	to = pick_addr_in(g, zone_of(old));
	emit(g, p, "mremap(%#lx, %lu, %lu, %s, %#lx)", old, olen, nlen, f, to);
	remember(g, to, nlen);
}

static void op_madvise(struct gen *g, int p)
{
	static const struct wname advice[] = {
		{ "MADV_DONTNEED", 14 }, { "MADV_FREE", 8 }, { "MADV_REMOVE", 6 },
		{ "MADV_WILLNEED", 7 }, { "MADV_DONTFORK", 6 }, { "MADV_DOFORK", 5 },
		{ "MADV_WIPEONFORK", 6 }, { "MADV_KEEPONFORK", 4 }, { "MADV_NORMAL", 3 },
		{ "MADV_RANDOM", 3 }, { "MADV_SEQUENTIAL", 3 }, { "MADV_DONTDUMP", 3 },
		{ "MADV_DODUMP", 3 }, { "MADV_POPULATE_READ", 6 },
		{ "MADV_POPULATE_WRITE", 6 }, { "MADV_GUARD_INSTALL", 4 },
		{ "MADV_GUARD_REMOVE", 3 }, { "MADV_COLD", 3 }, { "77", 1 },
	};

	emit(g, p, "madvise(%#lx, %lu, %s)", pick_addr(g), pick_len(g, LEN_WRAP),
	     PICK(g, advice));
}

static void op_mlock(struct gen *g, int p)
{
	static const struct wname mlock2_flags[] = {
		{ "0", 45 }, { "MLOCK_ONFAULT", 50 }, { "2", 5 },
	};
	unsigned long a = pick_addr(g), len = pick_len(g, LEN_WRAP);
	unsigned r = (unsigned)rnd(g, 100);

	if (r < 35)
		emit(g, p, "mlock(%#lx, %lu)", a, len);
	else if (r < 65)
		emit(g, p, "mlock2(%#lx, %lu, %s)", a, len, PICK(g, mlock2_flags));
	else
		emit(g, p, "munlock(%#lx, %lu)", a, len);
}

static void op_mlockall(struct gen *g, int p)
{
	static const struct wname flags[] = {
		{ "MCL_CURRENT", 3 }, { "MCL_FUTURE", 3 }, { "MCL_CURRENT|MCL_FUTURE", 2 },
		{ "MCL_CURRENT|MCL_ONFAULT", 2 }, { "MCL_FUTURE|MCL_ONFAULT", 2 },
		{ "MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT", 1 }, { "MCL_ONFAULT", 1 }, { "0", 1 },
	};

	if (chance(g, 45))
		emit(g, p, "munlockall()");
	else
		emit(g, p, "mlockall(%s)", PICK(g, flags));
}

static void op_msync(struct gen *g, int p)
{
	static const struct wname flags[] = {
		{ "MS_ASYNC", 20 }, { "MS_SYNC", 25 }, { "MS_INVALIDATE", 10 },
		{ "MS_ASYNC|MS_INVALIDATE", 10 }, { "MS_SYNC|MS_INVALIDATE", 10 },
		{ "0", 8 }, { "MS_SYNC|MS_ASYNC", 3 }, { "MS_SYNC|MS_ASYNC|MS_INVALIDATE", 2 },
		{ "8", 2 },
	};

	emit(g, p, "msync(%#lx, %lu, %s)", pick_addr(g), pick_len(g, LEN_WRAP),
	     PICK(g, flags));
}

static void op_mincore(struct gen *g, int p)
{
	unsigned long a, len;

	if (g->file_mincore) {
		emit(g, p, "mincore(%#lx, %lu, [...])", pick_addr(g), pick_len(g, LEN_WALK));
		return;
	}
	/* Huge lengths wrap (refused at once); the others stop at the file zone. */
	a = pick_addr_in(g, Z_ANON);
	len = pick_len(g, LEN_WRAP);
	emit(g, p, "mincore(%#lx, %lu, [...])", a, clip_to_anon(a, len));
}

static void op_smaps(struct gen *g, int p)
{
	/* File VMAs' Rss shows fault-around (design note 8). */
	emit(g, p, "smaps(%#lx)", g->file_mincore ? pick_addr(g) : pick_addr_in(g, Z_ANON));
}

static void note_size(struct gen *g, const struct gproc *pr, int fd, unsigned long end,
		      int truncate)
{
	const struct gfd *f = fd_lookup(pr, fd);

	if (!f || f->acc == 0)
		return;
	if (truncate || end > g->fsize[f->file])
		g->fsize[f->file] = end;
}

static void op_ftruncate(struct gen *g, int p)
{
	int fd = pick_fd(g, &g->procs[p]);
	unsigned long size = rnd(g, FILE_PAGES + 4) * PAGE;

	if (chance(g, 50))
		size += rnd(g, PAGE);
	if (chance(g, 3) && !(g->without & GEN_W_NEGOFF)) {
		emit(g, p, "ftruncate(%d, -1)", fd);
		return;
	}
	emit(g, p, "ftruncate(%d, %lu)", fd, size);
	note_size(g, &g->procs[p], fd, size, 1);
}

/* An offset for pread64/pwrite64 and lseek: around the data, sometimes
 * negative or absurd. */
static long pick_io_off(struct gen *g, int file)
{
	unsigned r = (unsigned)rnd(g, 100);

	if (r < 3)
		return g->without & GEN_W_NEGOFF ? 0 : -1;
	if (r < 5)
		return 0x7ffffffffffff000L;
	return (long)pick_file_off(g, file, 0);
}

/* A buffer in the arena: the process's own memory as read/write's buffer. */
static unsigned long arena_buffer(struct gen *g)
{
	unsigned long a = pick_page(g);

	return chance(g, 50) ? a + rnd(g, PAGE) : a;
}

static void op_write(struct gen *g, int p)
{
	const struct gproc *pr = &g->procs[p];
	int fd = pick_fd(g, pr), positional = chance(g, 45);
	const struct gfd *f = fd_lookup(pr, fd);
	long off = positional ? pick_io_off(g, f ? f->file : 0) : 0;
	size_t n = rand_count(g);
	char buf[64], *s = NULL;

	if (chance(g, 30))
		snprintf(buf, sizeof(buf), "%#lx", arena_buffer(g));
	else
		s = rand_string(g, n);
	if (positional)
		emit(g, p, "pwrite64(%d, %s, %zu, %ld)", fd, s ? s : buf, n, off);
	else
		emit(g, p, "write(%d, %s, %zu)", fd, s ? s : buf, n);
	free(s);
	if (positional && off >= 0 && off < (1L << 40))
		note_size(g, pr, fd, (unsigned long)off + n, 0);
}

static void op_read(struct gen *g, int p)
{
	const struct gproc *pr = &g->procs[p];
	int fd = pick_fd(g, pr), positional = chance(g, 50);
	const struct gfd *f = fd_lookup(pr, fd);
	size_t n = chance(g, 15) ? rnd(g, 3 * PAGE) : rnd(g, 64);
	char buf[32] = "\"\"";

	if (chance(g, 35))
		snprintf(buf, sizeof(buf), "%#lx", arena_buffer(g));
	if (positional)
		emit(g, p, "pread64(%d, %s, %zu, %ld)", fd, buf, n,
		     pick_io_off(g, f ? f->file : 0));
	else
		emit(g, p, "read(%d, %s, %zu)", fd, buf, n);
}

static void op_lseek(struct gen *g, int p)
{
	static const struct wname whence[] = {
		{ "SEEK_SET", 40 }, { "SEEK_CUR", 20 }, { "SEEK_END", 20 },
		{ "SEEK_DATA", 8 }, { "SEEK_HOLE", 8 }, { "5", 2 },
	};
	const struct gproc *pr = &g->procs[p];
	int fd = pick_fd(g, pr);
	const struct gfd *f = fd_lookup(pr, fd);
	const char *w = PICK(g, whence);
	long off = pick_io_off(g, f ? f->file : 0);

	/* Relative whences: often a small offset, either way. */
	if (strcmp(w, "SEEK_SET") && chance(g, 50))
		off = (long)rnd(g, 2 * PAGE) - (long)PAGE;
	if ((g->without & GEN_W_SEEKDATA) && (!strcmp(w, "SEEK_DATA") || !strcmp(w, "SEEK_HOLE")))
		w = "SEEK_SET";
	emit(g, p, "lseek(%d, %ld, %s)", fd, off, w);
}

/* open/openat of one of the two files (never O_CREAT's third argument
 * missing), close, dup. */
static void op_fds(struct gen *g, int p)
{
	static const struct { const char *name; int acc; } modes[] = {
		{ "O_RDWR", 2 }, { "O_RDWR", 2 }, { "O_RDONLY", 0 }, { "O_WRONLY", 1 },
		{ "O_RDWR|O_APPEND", 2 }, { "O_RDWR|O_TRUNC", 2 },
	};
	struct gproc *pr = &g->procs[p];
	unsigned r = (unsigned)rnd(g, 100);
	char path[64];

	if (pr->nfds >= MAX_FDS || (r < 40 && pr->nfds > 1)) {
		int fd = pick_fd(g, pr);

		emit(g, p, "close(%d)", fd);
		fd_del(pr, fd);
	} else if (r < 65 && pr->nfds) {
		const struct gfd *f = &pr->fds[pick_fd_index(g, pr)];
		struct gfd copy = *f;

		emit(g, p, "dup(%d)", copy.fd);
		fd_add(pr, fd_lowest_free(pr), copy.file, copy.acc);
	} else {
		int file = (int)rnd(g, NFILES), m = (int)rnd(g, 6);

		if ((g->without & GEN_W_OTRUNC) && strstr(modes[m].name, "TRUNC"))
			m = 0;

		file_path(g, file, path, sizeof(path));
		if (chance(g, 50))
			emit(g, p, "openat(AT_FDCWD, \"%s\", %s)", path, modes[m].name);
		else
			emit(g, p, "open(\"%s\", %s)", path, modes[m].name);
		fd_add(pr, fd_lowest_free(pr), file, modes[m].acc);
		if (strstr(modes[m].name, "TRUNC"))
			g->fsize[file] = 0;
	}
}

static void op_store(struct gen *g, int p)
{
	unsigned long a = pick_page(g);
	size_t n = rand_count(g);
	char *s;

	/* Often near the end of a page, so that the bytes cross into the next. */
	a += chance(g, 25) ? PAGE - 1 - rnd(g, 8) : rnd(g, PAGE);
	if (n > 2 * PAGE)
		n = 1 + n % 64;
	s = rand_string(g, n);
	emit(g, p, "store(%#lx, %s)", a, s);
	free(s);
}

static void op_load(struct gen *g, int p)
{
	unsigned long a = pick_page(g), n = 1 + rnd(g, 32);

	a += chance(g, 25) ? PAGE - 1 - rnd(g, 8) : rnd(g, PAGE);
	if (chance(g, 8))
		n = 1 + rnd(g, 2 * PAGE);
	emit(g, p, "load(%#lx, %lu)", a, n);
}

static int live_count(const struct gen *g)
{
	int n = 0;

	for (int i = 0; i < MAX_LIVE; i++)
		n += g->procs[i].alive;
	return n;
}

/* A live process, main more often than a child. */
static int pick_proc(struct gen *g)
{
	int p;

	if (live_count(g) == 1 || chance(g, 50))
		return 0;
	do
		p = 1 + (int)rnd(g, MAX_LIVE - 1);
	while (!g->procs[p].alive);
	return p;
}

static void op_fork(struct gen *g, int p)
{
	int c = 1;

	if (live_count(g) >= MAX_LIVE || g->nforks >= MAX_FORKS)
		return;
	while (g->procs[c].alive)
		c++;
	g->procs[c] = g->procs[p];               /* the descriptors are inherited */
	snprintf(g->procs[c].name, sizeof(g->procs[c].name), "c%d", ++g->nforks);
	emit(g, p, "fork() = $%s", g->procs[c].name);
}

static void op_exit(struct gen *g)
{
	int c;

	if (live_count(g) == 1)
		return;
	do
		c = 1 + (int)rnd(g, MAX_LIVE - 1);
	while (!g->procs[c].alive);
	emit(g, c, "exit(%d)", (int)rnd(g, 4));
	g->procs[c].alive = 0;
}

/* ---- the trace -------------------------------------------------------------- */

/* Size file f (open as fd 3 + f) and put bytes at its start and on a few
 * of its pages, so that mappings of it see data, holes and an end. */
static void fill_file(struct gen *g, int f)
{
	unsigned long size = (4 + rnd(g, FILE_PAGES - 4)) * PAGE + rnd(g, PAGE);
	size_t n = 1 + rnd(g, 200);
	char *s = rand_string(g, n);

	emit(g, 0, "ftruncate(%d, %lu)", 3 + f, size);
	emit(g, 0, "write(%d, %s, %zu)", 3 + f, s, n);
	free(s);
	for (int i = 0; i < 4; i++) {
		n = 1 + rnd(g, 64);
		s = rand_string(g, n);
		emit(g, 0, "pwrite64(%d, %s, %zu, %lu)", 3 + f, s, n,
		     rnd(g, size / PAGE) * PAGE + rnd(g, 64));
		free(s);
	}
	g->fsize[f] = size;
}

/* What --without can leave out (design note 9). */
static const struct { const char *name; unsigned bit; } features[] = {
	{ "otrunc", GEN_W_OTRUNC }, { "seekdata", GEN_W_SEEKDATA },
	{ "negoff", GEN_W_NEGOFF },
};

/* The bits of a comma-separated list of feature names; -1 if one is
 * unknown. */
static long parse_without(const char *list)
{
	long bits = 0;

	while (*list) {
		size_t n = strcspn(list, ","), i;

		for (i = 0; i < sizeof(features) / sizeof(features[0]); i++)
			if (strlen(features[i].name) == n && !strncmp(features[i].name, list, n))
				break;
		if (i == sizeof(features) / sizeof(features[0]))
			return -1;
		bits |= features[i].bit;
		list += n + (list[n] == ',');
	}
	return bits;
}

/* The arena, the two files sized and filled (design note 5). */
static void prologue(struct gen *g, const struct gen_opts *o)
{
	char path[64];

	fprintf(g->out, "# usermm gen %lu --lines %d%s", g->seed, o->lines,
		o->file_mincore ? " --file-mincore" : "");
	for (size_t i = 0, n = 0; i < sizeof(features) / sizeof(features[0]); i++)
		if (o->without & features[i].bit)
			fprintf(g->out, "%s%s", n++ ? "," : " --without ", features[i].name);
	fputc('\n', g->out);
	emit(g, 0, "mmap(%#lx, %lu, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0)",
	     ARENA, ARENA_LEN);
	for (int f = 0; f < NFILES; f++) {
		file_path(g, f, path, sizeof(path));
		emit(g, 0, "openat(AT_FDCWD, \"%s\", O_RDWR|O_CREAT|O_TRUNC, 0644)", path);
		fd_add(&g->procs[0], 3 + f, f, 2);
	}
	for (int f = 0; f < NFILES; f++)
		fill_file(g, f);
}

static void step(struct gen *g)
{
	int p = pick_proc(g);
	unsigned r = (unsigned)rnd(g, 1000);

	if (r < 140) op_store(g, p);
	else if (r < 260) op_load(g, p);
	else if (r < 380) op_mmap(g, p);
	else if (r < 430) op_munmap(g, p);
	else if (r < 500) op_mprotect(g, p);
	else if (r < 550) op_mremap(g, p);
	else if (r < 640) op_madvise(g, p);
	else if (r < 680) op_mlock(g, p);
	else if (r < 720) op_msync(g, p);
	else if (r < 780) op_mincore(g, p);
	else if (r < 810) op_ftruncate(g, p);
	else if (r < 860) op_write(g, p);
	else if (r < 910) op_read(g, p);
	else if (r < 930) op_lseek(g, p);
	else if (r < 960) op_fds(g, p);
	else if (r < 975) op_fork(g, p);
	else if (r < 990) op_exit(g);
	else if (r < 992) emit(g, p, "maps()");
	else if (r < 995) op_smaps(g, p);
	else op_mlockall(g, p);
}

static void epilogue(struct gen *g)
{
	for (int p = 0; p < MAX_LIVE; p++)
		if (g->procs[p].alive)
			emit(g, p, "maps()");
	for (int p = 1; p < MAX_LIVE; p++)
		if (g->procs[p].alive)
			emit(g, p, "exit(0)");
}

void gen_trace(FILE *out, unsigned long seed, const struct gen_opts *o)
{
	struct gen g;

	memset(&g, 0, sizeof(g));
	g.rng = seed;
	g.seed = seed;
	g.out = out;
	g.file_mincore = o->file_mincore;
	g.without = o->without;
	g.procs[0].alive = 1;
	prologue(&g, o);
	for (int i = 0; i < o->lines; i++)
		step(&g);
	epilogue(&g);
}

int gen_main(int argc, char **argv)
{
	const char *seed_s = NULL;
	struct gen_opts o = { DEFAULT_LINES, 0, 0 };
	long lines;
	char *end;
	unsigned long seed;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(gen_usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--lines") && i + 1 < argc) {
			lines = strtol(argv[++i], &end, 10);
			if (*end || lines < 0 || lines > 1000000) {
				fprintf(stderr, "usermm gen: --lines needs a number (0-1000000)\n");
				return 2;
			}
			o.lines = (int)lines;
		} else if (!strcmp(argv[i], "--file-mincore")) {
			o.file_mincore = 1;
		} else if (!strcmp(argv[i], "--without") && i + 1 < argc) {
			long bits = parse_without(argv[++i]);

			if (bits < 0) {
				fprintf(stderr, "usermm gen: --without takes otrunc, seekdata, negoff\n");
				return 2;
			}
			o.without |= (unsigned)bits;
		} else if (!seed_s && argv[i][0] != '-') {
			seed_s = argv[i];
		} else {
			fputs(gen_usage, stderr);
			return 2;
		}
	}
	if (!seed_s) {
		fputs(gen_usage, stderr);
		return 2;
	}
	seed = strtoul(seed_s, &end, 0);
	if (*end) {
		fprintf(stderr, "usermm gen: SEED must be a number\n");
		return 2;
	}
	gen_trace(stdout, seed, &o);
	return fflush(stdout) ? 2 : 0;
}
