/*
 * randprog — a seeded random sequence of memory-management system calls, for
 * the replay acceptance test (tests/replay.test.sh, tests/replay/README.md).
 *
 *   randprog SEED OUTDIR [NCALLS]     run the sequence
 *   randprog --files OUTDIR           (re)create the data files only
 *
 * Run under `setarch -R strace -f -e trace=%memory,%file,%desc -o LOG`.
 * The program:
 *
 *   1. creates the data files OUTDIR/data.<size> (sizes below) and the
 *      directory OUTDIR/dir, and closes every descriptor above 2;
 *   2. touches STACK_PREFAULT bytes of stack, so the [stack] VMA does not grow
 *      during the sequence (a fault-driven growth is invisible to strace);
 *   3. reads /proc/self/maps into OUTDIR/initial.maps and writes the break,
 *      syscall(SYS_brk, 0), to OUTDIR/initial.brk — with raw system calls and
 *      static buffers only, then reads both again and checks nothing moved;
 *   4. close(-1000)                      start marker (EBADF, traced by %desc)
 *   5. NCALLS calls chosen by a splitmix64 PRNG seeded with SEED:
 *      openat/close/dup/ftruncate/mmap/munmap/mprotect/mremap/madvise/
 *      mlock/mlock2/munlock/mlockall/munlockall/msync/mincore/brk;
 *   6. close(-1001)                      stop marker
 *   7. reads /proc/self/maps into OUTDIR/final.maps (raw calls again).
 *
 * Rules that keep it honest:
 *   - It never loads or stores mapped memory of the sequence.  (The kernel
 *     itself touches pages for MAP_POPULATE, MAP_LOCKED, mlock; and mincore
 *     writes its vector, which always lies in this program's .bss.)
 *   - Every VMA present at the snapshot is "protected": no call that could
 *     unmap, move, re-protect or zap (munmap, MAP_FIXED, mremap, mprotect,
 *     MADV_DONTNEED/FREE/REMOVE, brk shrink) is issued on a range touching a
 *     protected VMA, unless the kernel rejects it before acting on any VMA
 *     (unaligned start, bad flags, wrapping length...).  Non-destructive calls
 *     (harmless madvise advice, mlock, munlock, msync) occasionally do touch
 *     protected VMAs, which splits them.  mincore never does: which pages of
 *     the program's own memory are resident is not knowable from the trace.
 *   - Any mapping the sequence creates is at most MAX_LEN long, or at least
 *     2^47 (which always fails), so mlockall/MAP_POPULATE stay cheap and the
 *     overcommit heuristic (which depends on the machine's RAM) never decides
 *     a result.
 *   - The break never goes below its snapshot value (static glibc keeps its
 *     TLS in the heap); "below start" requests are below start_brk, which the
 *     kernel refuses.
 *   - Descriptors 0, 1, 2 are never used by the sequence: what they are
 *     depends on who runs the test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PROT_SEM
#define PROT_SEM 0x8
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE 0x08
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
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#endif
#ifndef SYS_mlock2
#define SYS_mlock2 325
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

#define PAGE       4096ULL
#define MiB        (1ULL << 20)
#define TASK_SIZE  0x7ffffffff000ULL    /* x86-64, 4-level page tables */
#define MAX_LEN    (16 * MiB)           /* longest mapping that may succeed */
#define STACK_PREFAULT (512 * 1024)

typedef uint64_t u64;

/* ---- static buffers (all in .bss, part of the protected snapshot) ------- */

static char maps_a[1 << 20], maps_b[1 << 20];
static unsigned char mincore_vec[1 << 18];     /* covers 1 GiB */
static char path_buf[8][4096];   /* data files, dir, missing, notdir; [7]: final.maps */
static char outdir[3072];

/* ---- raw system calls ---------------------------------------------------- */

static u64 nsc;   /* system calls made so far */

/* All calls go through syscall(2) so libc adds nothing; result or -errno. */
static long sc(long nr, long a, long b, long c, long d, long e, long f)
{
	long r = syscall(nr, a, b, c, d, e, f);
	nsc++;
	if (r == -1)
		return -errno;
	return r;
}

static void die(const char *msg)
{
	sc(SYS_write, 2, (long)"randprog: ", 10, 0, 0, 0);
	sc(SYS_write, 2, (long)msg, (long)strlen(msg), 0, 0, 0);
	sc(SYS_write, 2, (long)"\n", 1, 0, 0, 0);
	sc(SYS_exit_group, 3, 0, 0, 0, 0, 0);
	for (;;)
		;
}

static void write_file(const char *path, const char *data, size_t len)
{
	long fd = sc(SYS_openat, AT_FDCWD, (long)path,
		     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644, 0, 0);
	if (fd < 0)
		die("cannot create an output file");
	while (len > 0) {
		long n = sc(SYS_write, fd, (long)data, (long)len, 0, 0, 0);
		if (n <= 0)
			die("write failed");
		data += n;
		len -= (size_t)n;
	}
	sc(SYS_close, fd, 0, 0, 0, 0, 0);
}

/* Reads /proc/self/maps into buf (NUL-terminated); returns its length. */
static size_t read_maps(char *buf, size_t cap)
{
	long fd = sc(SYS_openat, AT_FDCWD, (long)"/proc/self/maps",
		     O_RDONLY | O_CLOEXEC, 0, 0, 0);
	size_t len = 0;
	if (fd < 0)
		die("cannot open /proc/self/maps");
	for (;;) {
		long n = sc(SYS_read, fd, (long)(buf + len), (long)(cap - 1 - len), 0, 0, 0);
		if (n < 0)
			die("cannot read /proc/self/maps");
		if (n == 0)
			break;
		len += (size_t)n;
		if (len >= cap - 1)
			die("maps buffer too small");
	}
	sc(SYS_close, fd, 0, 0, 0, 0, 0);
	buf[len] = 0;
	return len;
}

/* ---- small string helpers (no stdio: it could allocate) ----------------- */

static char *cat(char *dst, const char *src)
{
	while ((*dst = *src++))
		dst++;
	return dst;
}

static char *hex(char *dst, u64 v)
{
	char tmp[17];
	int n = 0;
	*dst++ = '0';
	*dst++ = 'x';
	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (n)
		*dst++ = tmp[--n];
	*dst = 0;
	return dst;
}

static char *dec(char *dst, u64 v)
{
	char tmp[21];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*dst++ = tmp[--n];
	*dst = 0;
	return dst;
}

static u64 parse_hex(const char **p)
{
	u64 v = 0;
	for (;; (*p)++) {
		char c = **p;
		if (c >= '0' && c <= '9')
			v = v * 16 + (u64)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (u64)(c - 'a' + 10);
		else
			return v;
	}
}

/* ---- data files ------------------------------------------------------- */

#define NFILES 5
static const u64 file_size0[NFILES] = { 0, 5000, 3 * PAGE, 64 * 1024, 3 * MiB };
static u64 file_size[NFILES];
enum { P_DIR = NFILES, P_MISSING, P_NOTDIR };

static void make_paths(void)
{
	for (int i = 0; i < NFILES; i++)
		dec(cat(cat(path_buf[i], outdir), "/data."), file_size0[i]);
	cat(cat(path_buf[P_DIR], outdir), "/dir");
	cat(cat(path_buf[P_MISSING], outdir), "/missing");
	cat(cat(path_buf[P_NOTDIR], path_buf[1]), "/x");
}

/* Contents are a fixed pattern so that a model of page contents could be
 * checked too: byte i of data.N is (i * 7 + i / 4096) & 0xff. */
static void make_files(void)
{
	static char chunk[64 * 1024];
	long r = sc(SYS_mkdirat, AT_FDCWD, (long)outdir, 0755, 0, 0, 0);
	if (r < 0 && r != -EEXIST)
		die("cannot create OUTDIR");
	r = sc(SYS_mkdirat, AT_FDCWD, (long)path_buf[P_DIR], 0755, 0, 0, 0);
	if (r < 0 && r != -EEXIST)
		die("cannot create the directory");
	for (int i = 0; i < NFILES; i++) {
		long fd = sc(SYS_openat, AT_FDCWD, (long)path_buf[i],
			     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644, 0, 0);
		if (fd < 0)
			die("cannot create a data file");
		for (u64 off = 0; off < file_size0[i]; off += sizeof chunk) {
			u64 n = file_size0[i] - off;
			if (n > sizeof chunk)
				n = sizeof chunk;
			for (u64 j = 0; j < n; j++)
				chunk[j] = (char)(((off + j) * 7 + (off + j) / 4096) & 0xff);
			if (sc(SYS_write, fd, (long)chunk, (long)n, 0, 0, 0) != (long)n)
				die("short write to a data file");
		}
		sc(SYS_close, fd, 0, 0, 0, 0, 0);
		file_size[i] = file_size0[i];
	}
}

/* ---- PRNG: splitmix64 ---------------------------------------------------- */

static u64 rng_state;

static u64 rnd64(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 rnd(u64 n) { return n ? rnd64() % n : 0; }
static int chance(int pct) { return (int)rnd(100) < pct; }
static u64 pick(const u64 *v, int n) { return v[rnd((u64)n)]; }
#define PICK(...) pick((const u64[]){ __VA_ARGS__ }, \
	(int)(sizeof((const u64[]){ __VA_ARGS__ }) / sizeof(u64)))

static u64 pgdown(u64 a) { return a & ~(PAGE - 1); }
static u64 pgup(u64 a) { return (a + PAGE - 1) & ~(PAGE - 1); }

/* ---- the address space as the program knows it ------------------------ */

struct range { u64 start, end; };

static struct range prot_r[4096];   /* the snapshot's VMAs */
static int nprot;
static u64 start_brk, brk0, cur_brk, exe_start, mmap_low;

/* Regions the sequence mapped: interesting addresses for later calls. */
struct region { u64 addr, len; int prot; };
#define MAXREG 256
static struct region reg[MAXREG];
static int nreg;

/* Empty zones where MAP_FIXED and MREMAP_FIXED may aim at random. */
static struct range zone[3];

static void parse_protected(const char *maps)
{
	for (const char *p = maps; *p;) {
		u64 s = parse_hex(&p);
		if (*p != '-')
			die("cannot parse maps");
		p++;
		u64 e = parse_hex(&p);
		if (nprot == (int)(sizeof prot_r / sizeof prot_r[0]))
			die("too many VMAs");
		prot_r[nprot].start = s;
		prot_r[nprot].end = e;
		nprot++;
		if (!exe_start)
			exe_start = s;
		/* the lowest VMA of the top (mmap) area: [vvar] and friends */
		if (s > 0x100000000000ULL && (!mmap_low || s < mmap_low))
			mmap_low = s;
		while (*p && *p != '\n')
			p++;
		if (*p)
			p++;
	}
	if (!mmap_low)
		die("no mmap area in the maps");
}

/* Does [a, a+len), widened to pages, touch a protected VMA?  A range that
 * wraps past 2^64 touches everything. */
static int hits(u64 a, u64 len)
{
	u64 s = pgdown(a), e;
	if (len == 0)
		return 0;
	e = a + len;
	if (e < a || e > ~(PAGE - 1))
		return 1;
	e = pgup(e);
	for (int i = 0; i < nprot; i++)
		if (s < prot_r[i].end && e > prot_r[i].start)
			return 1;
	return 0;
}

/* Does the range wrap once its length is page-rounded? (early failure) */
static int wraps(u64 a, u64 len)
{
	u64 l = pgup(len);
	return (len && !l) || a + l < a;
}

static void add_region(u64 addr, u64 len, int prot)
{
	struct region r = { addr, pgup(len), prot };
	if (len == 0 || addr >= TASK_SIZE)
		return;
	if (nreg < MAXREG)
		reg[nreg++] = r;
	else
		reg[rnd(MAXREG)] = r;
}

static u64 zone_addr(void)
{
	struct range *z = &zone[rnd(3)];
	u64 a = z->start + pgdown(rnd(z->end - z->start));
	if (chance(30))
		a &= ~(2 * MiB - 1);
	if (a < z->start)
		a = z->start;
	return a;
}

/* A chosen address; reg_i is the region it came from, or -1. */
struct where { u64 addr; int reg_i; };

static struct where pick_addr(int unaligned_pct)
{
	struct where w = { 0, -1 };
	int r = (int)rnd(100);
	if (nreg > 0 && r < 68) {
		int i = (int)rnd((u64)nreg);
		u64 len = reg[i].len, off;
		int s = (int)rnd(100);
		if (s < 40)
			off = 0;
		else if (s < 80)
			off = pgdown(rnd(len));
		else if (s < 90)
			off = len;
		else if (s < 95)
			off = (u64)-PAGE;
		else
			off = pgdown(rnd(len + 4 * MiB));
		w.addr = reg[i].addr + off;
		w.reg_i = i;
	} else if (r < 84) {
		w.addr = zone_addr();
	} else if (r < 90) {
		w.addr = PICK(pgup(cur_brk), brk0, cur_brk, pgup(cur_brk) + PAGE);
	} else {
		w.addr = PICK(0, PAGE, 0x10000, TASK_SIZE, 1ULL << 47,
			      0xfffffffffffff000ULL, 0xffff800000000000ULL,
			      mmap_low - PAGE, 0x40000000, exe_start,
			      prot_r[rnd((u64)nprot)].start);
	}
	if (chance(unaligned_pct))
		w.addr += 1 + rnd(PAGE - 1);
	return w;
}

static const u64 huge_lens[] = { 1ULL << 47, TASK_SIZE + PAGE, 0xfffffffffffff000ULL,
				 ~0ULL, 1ULL << 63, 0xffffffffffffffffULL - PAGE + 2 };

static u64 pick_len(struct where w)
{
	int r = (int)rnd(100);
	if (r < 30)
		return (1 + rnd(16)) * PAGE;
	if (r < 38)
		return 1 + rnd(20000);
	if (r < 52 && w.reg_i >= 0) {
		/* to the end of the region it came from, maybe a little past */
		struct region *g = &reg[w.reg_i];
		u64 end = g->addr + g->len;
		u64 l = end > w.addr ? end - w.addr : PAGE;
		if (chance(30))
			l += PICK(PAGE, 2 * PAGE, 1, 64 * 1024);
		return l;
	}
	if (r < 62)
		return PICK(2 * MiB, 4 * MiB, 6 * MiB, 2 * MiB - PAGE, 2 * MiB + PAGE,
			    2 * MiB + 1, 4 * MiB + 8 * PAGE);
	if (r < 78)
		return (1 + rnd(1024)) * PAGE;
	if (r < 84)
		return (1 + rnd(MAX_LEN / PAGE)) * PAGE;
	if (r < 89)
		return 0;
	if (r < 94)
		return huge_lens[rnd(sizeof huge_lens / sizeof huge_lens[0])];
	return PICK(PAGE - 1, PAGE, PAGE + 1, 2 * PAGE - 1, 3 * PAGE);
}

/* A length that may succeed must not exceed MAX_LEN (see the notes above). */
static int len_ok(u64 len) { return len <= MAX_LEN || len >= (1ULL << 47); }

/* ---- descriptors -------------------------------------------------------- */

enum { K_FILE, K_ZERO, K_DIR };
struct fdrec { int fd, kind, file, mode; };
static struct fdrec fds[64];
static int nfds;

static int fd_index(int fd)
{
	for (int i = 0; i < nfds; i++)
		if (fds[i].fd == fd)
			return i;
	return -1;
}

static void fd_add(struct fdrec r)
{
	int i = fd_index(r.fd);
	if (i >= 0)
		fds[i] = r;
	else if (nfds < 64)
		fds[nfds++] = r;
}

static void fd_del(int fd)
{
	int i = fd_index(fd);
	if (i >= 0)
		fds[i] = fds[--nfds];
}

static long bad_fd(void)
{
	return (long)PICK(999, 1000, 63, 4095, (u64)-2, 1u << 20);
}

static long pick_fd(void)
{
	if (nfds == 0 || chance(12))
		return chance(50) ? -1 : bad_fd();
	return fds[rnd((u64)nfds)].fd;
}

/* ---- the calls ---------------------------------------------------------- */

static void op_openat(void)
{
	int p = (int)rnd(100), which, mode;
	long fd;
	const char *path;
	if (p < 68)
		which = (int)rnd(NFILES);
	else if (p < 84)
		which = -1;                       /* /dev/zero */
	else if (p < 94)
		which = P_DIR;
	else if (p < 97)
		which = P_MISSING;
	else
		which = P_NOTDIR;
	path = which < 0 ? "/dev/zero" : path_buf[which];
	mode = (int)PICK(O_RDONLY, O_RDONLY, O_RDWR, O_RDWR, O_RDWR, O_WRONLY);
	fd = sc(SYS_openat, AT_FDCWD, (long)path, mode | (chance(15) ? O_CLOEXEC : 0), 0, 0, 0);
	if (fd >= 0) {
		struct fdrec r = { (int)fd, which < 0 ? K_ZERO : which == P_DIR ? K_DIR : K_FILE,
				   which, mode };
		fd_add(r);
	}
}

static void op_close(void)
{
	long fd = nfds && chance(85) ? fds[rnd((u64)nfds)].fd : bad_fd();
	if (sc(SYS_close, fd, 0, 0, 0, 0, 0) == 0)
		fd_del((int)fd);
}

static void op_dup(void)
{
	int i = nfds && chance(85) ? (int)rnd((u64)nfds) : -1;
	long fd = sc(SYS_dup, i >= 0 ? fds[i].fd : bad_fd(), 0, 0, 0, 0, 0);
	if (fd >= 0 && i >= 0) {
		struct fdrec r = fds[i];
		r.fd = (int)fd;
		fd_add(r);
	}
}

static void op_ftruncate(void)
{
	int cand[64], n = 0;
	for (int i = 0; i < nfds; i++)
		if (fds[i].kind == K_FILE && fds[i].mode == O_RDWR)
			cand[n++] = i;
	if (n == 0)
		return;
	struct fdrec *f = &fds[cand[rnd((u64)n)]];
	u64 cur = file_size[f->file];
	u64 size = PICK(0, 1, PAGE, 5000, 3 * PAGE, 64 * 1024 + 123, 2 * MiB, 3 * MiB,
			cur + PAGE, cur > PAGE ? cur - PAGE : 0, cur + 1, cur + MiB,
			pgdown(rnd(4 * MiB)));
	if (size > 4 * MiB)
		size = 4 * MiB;
	if (sc(SYS_ftruncate, f->fd, (long)size, 0, 0, 0, 0) == 0)
		file_size[f->file] = size;
}

static int pick_prot(void)
{
	int r = (int)rnd(100);
	if (r < 92)
		return (int)PICK(PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
				 PROT_READ | PROT_WRITE, PROT_NONE, PROT_READ | PROT_EXEC,
				 PROT_READ | PROT_WRITE | PROT_EXEC, PROT_WRITE, PROT_EXEC,
				 PROT_WRITE | PROT_EXEC);
	return (int)PICK(PROT_READ | 0x100, PROT_READ | PROT_SEM, PROT_READ | PROT_GROWSDOWN,
			 PROT_READ | PROT_GROWSUP, PROT_READ | PROT_WRITE | 0x40,
			 PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP);
}

static void op_mmap(void)
{
	struct where w;
	u64 len, off = 0;
	long fd, r;
	int prot = pick_prot(), flags, anon = chance(50), type;

	/* the mapping type */
	int t = (int)rnd(100);
	type = t < 55 ? MAP_PRIVATE : t < 88 ? MAP_SHARED : t < 96 ? MAP_SHARED_VALIDATE
		: (int)PICK(0, 0x0f, MAP_DROPPABLE, 0x04);
	flags = type | (anon ? MAP_ANONYMOUS : 0);

	/* where */
	int a = (int)rnd(100);
	if (a < 55) {
		w.addr = 0;
		w.reg_i = -1;
	} else {
		w = pick_addr(6);
		if (a < 70)
			flags |= MAP_FIXED;
		else if (a < 82)
			flags |= MAP_FIXED_NOREPLACE;
		/* else: a hint */
	}
	len = pick_len(w);
	if (!len_ok(len))
		len = (1 + rnd(64)) * PAGE;

	/* modifiers */
	if (chance(8))
		flags |= MAP_NORESERVE;
	if (chance(8))
		flags |= MAP_POPULATE;
	if (chance(4))
		flags |= MAP_LOCKED;
	if (chance(4))
		flags |= MAP_GROWSDOWN;
	if (chance(4))
		flags |= MAP_STACK;
	if (chance(4))
		flags |= MAP_32BIT;
	if (chance(2))
		flags |= MAP_NONBLOCK;
	if (chance(2))
		flags |= (int)PICK(MAP_DENYWRITE, MAP_EXECUTABLE, 21 << 26);
	if (chance(4))
		flags |= (int)PICK(0x200000, 0x800000, MAP_SYNC, 0x200000 | MAP_SYNC);
	if (chance(2))
		flags |= MAP_FIXED | MAP_FIXED_NOREPLACE;

	/* which file, and the offset */
	fd = anon ? (chance(85) ? -1 : pick_fd()) : pick_fd();
	if (!anon || chance(10)) {
		int i = fd_index((int)fd);
		u64 fsz = i >= 0 && fds[i].kind == K_FILE ? file_size[fds[i].file] : 64 * 1024;
		int o = (int)rnd(100);
		if (o < 55)
			off = 0;
		else if (o < 80)
			off = pgdown(rnd(fsz + 2 * PAGE));
		else if (o < 86)
			off = PICK(2 * MiB, MiB, 64 * 1024);
		else if (o < 90)
			off = pgup(fsz) + PICK(0, PAGE, MiB);
		else if (o < 96)
			off = PICK(1, 100, PAGE + 1, 2 * MiB - 1);
		else
			off = PICK((u64)-PAGE, 1ULL << 62, 0x7ffffffffffff000ULL, 1ULL << 56);
	}

	/* never clobber the snapshot's VMAs */
	if ((flags & MAP_FIXED) && !(flags & MAP_FIXED_NOREPLACE) && hits(w.addr, len) &&
	    !(w.addr & (PAGE - 1)) && len != 0 && len < (1ULL << 47)) {
		w.addr = zone_addr();
		w.reg_i = -1;
	}
	r = sc(SYS_mmap, (long)w.addr, (long)len, prot, flags, fd, (long)off);
	if (r >= 0)
		add_region((u64)r, len, prot);
}

static void op_munmap(void)
{
	for (int tries = 0; tries < 20; tries++) {
		struct where w = pick_addr(4);
		u64 len = pick_len(w);
		int early = (w.addr & (PAGE - 1)) || len == 0 || w.addr > TASK_SIZE ||
			    len > TASK_SIZE - w.addr;
		if (!early && hits(w.addr, len))
			continue;
		sc(SYS_munmap, (long)w.addr, (long)len, 0, 0, 0, 0);
		return;
	}
}

static int prot_early_invalid(int prot)
{
	if ((prot & PROT_GROWSDOWN) && (prot & PROT_GROWSUP))
		return 1;
	prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
	return (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) != 0;
}

static void op_mprotect(void)
{
	for (int tries = 0; tries < 20; tries++) {
		struct where w = pick_addr(4);
		u64 len = pick_len(w);
		int prot;
		if (w.reg_i >= 0 && chance(25))
			prot = reg[w.reg_i].prot;        /* restore */
		else
			prot = pick_prot();
		int early = (w.addr & (PAGE - 1)) || wraps(w.addr, len) || prot_early_invalid(prot);
		if (!early && hits(w.addr, len))
			continue;
		/* PROT_GROWSDOWN extends the range down to the VMA's start */
		if (!early && (prot & PROT_GROWSDOWN) && hits(w.addr > 64 * MiB ? w.addr - 64 * MiB : 0, len + 64 * MiB))
			continue;
		sc(SYS_mprotect, (long)w.addr, (long)len, prot, 0, 0, 0);
		return;
	}
}

static void op_mremap(void)
{
	for (int tries = 0; tries < 20; tries++) {
		struct where w = pick_addr(4);
		u64 osz, nsz, naddr = 0;
		int flags;
		int k = (int)rnd(100);
		if (w.reg_i >= 0 && chance(60) && reg[w.reg_i].len >= (w.addr - reg[w.reg_i].addr))
			osz = reg[w.reg_i].addr + reg[w.reg_i].len - w.addr;
		else
			osz = pick_len(w);
		if (chance(6))
			osz = 0;
		if (k < 25)                       /* shrink */
			nsz = osz > PAGE ? pgdown(rnd(osz)) + PICK(0, 0, 1) : PAGE;
		else if (k < 55)                  /* grow */
			nsz = osz + PICK(PAGE, 2 * PAGE, 16 * PAGE, 2 * MiB, pgdown(rnd(4 * MiB)) + PAGE, 1);
		else if (k < 80)
			nsz = osz;                /* same size: with FIXED, a move */
		else
			nsz = pick_len(w);
		if (!len_ok(nsz))
			nsz = PAGE;
		int f = (int)rnd(100);
		if (f < 30)
			flags = 0;
		else if (f < 62)
			flags = MREMAP_MAYMOVE;
		else if (f < 80)
			flags = MREMAP_MAYMOVE | MREMAP_FIXED;
		else if (f < 92)
			flags = MREMAP_MAYMOVE | MREMAP_DONTUNMAP | (chance(50) ? MREMAP_FIXED : 0);
		else
			flags = (int)PICK(MREMAP_FIXED, MREMAP_DONTUNMAP, 8, MREMAP_MAYMOVE | 0x10,
					  MREMAP_FIXED | MREMAP_DONTUNMAP);
		if (flags & MREMAP_FIXED) {
			struct where d = chance(60) ? (struct where){ zone_addr(), -1 } : pick_addr(5);
			naddr = d.addr;
		}
		if ((flags & MREMAP_DONTUNMAP) && chance(70))
			nsz = osz;
		int early = (w.addr & (PAGE - 1)) || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) ||
			    ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) ||
			    ((flags & MREMAP_DONTUNMAP) && !(flags & MREMAP_MAYMOVE));
		if (!early && (hits(w.addr, osz ? osz : 1) ||
			       ((flags & MREMAP_FIXED) && hits(naddr, nsz ? nsz : 1))))
			continue;
		long r = sc(SYS_mremap, (long)w.addr, (long)osz, (long)nsz, flags, (long)naddr, 0);
		if (r >= 0)
			add_region((u64)r, nsz, w.reg_i >= 0 ? reg[w.reg_i].prot : PROT_READ);
		return;
	}
}

static void op_madvise(void)
{
	static const int harmless[] = { MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED,
					MADV_DONTFORK, MADV_DOFORK, MADV_WIPEONFORK, MADV_KEEPONFORK,
					MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_DODUMP };
	static const int zapping[] = { MADV_DONTNEED, MADV_FREE, MADV_REMOVE };
	for (int tries = 0; tries < 20; tries++) {
		struct where w = pick_addr(4);
		u64 len = pick_len(w);
		int adv, zap = 0, bad = 0, r = (int)rnd(100);
		if (r < 70) {
			adv = harmless[rnd(sizeof harmless / sizeof harmless[0])];
		} else if (r < 94) {
			adv = zapping[rnd(3)];
			zap = 1;
		} else {
			adv = (int)PICK(5, 6, 7, 26, 99, 104, 1234, (u64)-1);
			bad = 1;
		}
		int early = (w.addr & (PAGE - 1)) || wraps(w.addr, len) || bad;
		if (!early && hits(w.addr, len) && (zap || !chance(8)))
			continue;
		sc(SYS_madvise, (long)w.addr, (long)len, adv, 0, 0, 0);
		return;
	}
}

static void op_mlock(void)
{
	int r = (int)rnd(100);
	if (r < 4) {
		sc(SYS_mlockall, (long)PICK(MCL_CURRENT, MCL_FUTURE, MCL_CURRENT | MCL_FUTURE,
					     MCL_CURRENT | MCL_ONFAULT, MCL_FUTURE | MCL_ONFAULT,
					     MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT, 0, MCL_ONFAULT, 8),
		   0, 0, 0, 0, 0);
		return;
	}
	if (r < 12) {
		sc(SYS_munlockall, 0, 0, 0, 0, 0, 0);
		return;
	}
	for (int tries = 0; tries < 20; tries++) {
		struct where w = pick_addr(8);
		u64 len = pick_len(w);
		if (hits(w.addr, len) && !wraps(w.addr, len) && !chance(6))
			continue;
		if (r < 45)
			sc(SYS_mlock, (long)w.addr, (long)len, 0, 0, 0, 0);
		else if (r < 70)
			sc(SYS_mlock2, (long)w.addr, (long)len,
			   (long)PICK(0, MLOCK_ONFAULT, MLOCK_ONFAULT, 2, 0x100), 0, 0, 0);
		else
			sc(SYS_munlock, (long)w.addr, (long)len, 0, 0, 0, 0);
		return;
	}
}

static void op_msync(void)
{
	for (int tries = 0; tries < 20; tries++) {
		struct where w = pick_addr(6);
		u64 len = pick_len(w);
		if (hits(w.addr, len) && !wraps(w.addr, len) && !chance(6))
			continue;
		int flags = (int)PICK(MS_ASYNC, MS_SYNC, MS_SYNC, MS_INVALIDATE,
				      MS_ASYNC | MS_INVALIDATE, MS_SYNC | MS_INVALIDATE, 0,
				      MS_ASYNC | MS_SYNC, 8, MS_SYNC | 0x10);
		sc(SYS_msync, (long)w.addr, (long)len, flags, 0, 0, 0);
		return;
	}
}

static void op_mincore(void)
{
	for (int tries = 0; tries < 20; tries++) {
		struct where w = pick_addr(5);
		u64 len = pick_len(w);
		int early = (w.addr & (PAGE - 1)) || len >= (1ULL << 47);
		if (!early && (hits(w.addr, len) || pgup(len) / PAGE > sizeof mincore_vec))
			continue;
		long vec = (long)mincore_vec;
		if (chance(4))
			vec = (long)PICK(0xffff800000000000ULL, 0xfffffffffffff000ULL);
		sc(SYS_mincore, (long)w.addr, (long)len, vec, 0, 0, 0);
		return;
	}
}

static void op_brk(void)
{
	u64 v;
	int r = (int)rnd(100);
	if (r < 10)
		v = 0;
	else if (r < 40)
		v = cur_brk + (1 + rnd(512)) * PAGE;
	else if (r < 48)
		v = cur_brk + 1 + rnd(3 * PAGE);
	else if (r < 68)
		v = cur_brk > brk0 ? brk0 + rnd(cur_brk - brk0 + 1) : brk0;
	else if (r < 78)
		v = PICK(start_brk - 1, start_brk - PAGE, PAGE, exe_start, 1, start_brk - 8 * MiB);
	else if (r < 88) {
		/* into a mapping of the zone just above the break, if any */
		v = cur_brk + 12 * MiB;
		for (int i = 0; i < nreg; i++)
			if (reg[i].addr >= cur_brk && reg[i].addr < brk0 + MAX_LEN)
				v = reg[i].addr + PAGE;
	} else if (r < 94)
		v = brk0;
	else
		v = PICK(1ULL << 47, TASK_SIZE, 0x7ffff0000000ULL, ~0ULL);
	if (v > brk0 + MAX_LEN && v < (1ULL << 46))
		v = brk0 + MAX_LEN;
	/* never below the snapshot's break, unless below start_brk (refused) */
	if (v != 0 && v < brk0 && v >= start_brk)
		v = brk0;
	long res = sc(SYS_brk, (long)v, 0, 0, 0, 0, 0);
	if (res > 0)
		cur_brk = (u64)res;
}

/* ---- setup and main ------------------------------------------------------- */

static void __attribute__((noinline)) prefault_stack(void)
{
	volatile char big[STACK_PREFAULT];
	for (size_t i = 0; i < sizeof big; i += 1024)
		big[i] = 0;
	big[sizeof big - 1] = 0;
}

/* start_brk is field 47 of /proc/self/stat */
static u64 read_start_brk(void)
{
	static char st[4096];
	long fd = sc(SYS_openat, AT_FDCWD, (long)"/proc/self/stat", O_RDONLY | O_CLOEXEC, 0, 0, 0);
	long n;
	if (fd < 0)
		die("cannot open /proc/self/stat");
	n = sc(SYS_read, fd, (long)st, sizeof st - 1, 0, 0, 0);
	sc(SYS_close, fd, 0, 0, 0, 0, 0);
	if (n <= 0)
		die("cannot read /proc/self/stat");
	st[n] = 0;
	char *p = strrchr(st, ')');
	if (!p)
		die("cannot parse /proc/self/stat");
	int field = 2;
	for (p++; *p && field < 47; p++)
		if (*p == ' ')
			field++;
	u64 v = 0;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (u64)(*p++ - '0');
	return v;
}

static void set_outdir(const char *arg)
{
	if (strlen(arg) > 1500)
		die("OUTDIR too long");
	if (arg[0] == '/') {
		cat(outdir, arg);
	} else {
		if (sc(SYS_getcwd, (long)outdir, 1500, 0, 0, 0, 0) < 0)
			die("getcwd failed");
		cat(cat(outdir + strlen(outdir), "/"), arg);
	}
	size_t n = strlen(outdir);
	while (n > 1 && outdir[n - 1] == '/')
		outdir[--n] = 0;
}

/* Debugging aid (RANDPROG_STEPS=FILE, run without strace, as its own reads
 * and writes would land in the sequence): after each call of the sequence,
 * append "after line N" and the maps to FILE, N counting the lines of
 * sequence.trace.  (Each run_one() makes one system call or none.) */
static void log_step(const char *file, u64 n)
{
	static long fd = -1;
	char head[64];
	size_t len;
	if (fd < 0) {
		fd = sc(SYS_openat, AT_FDCWD, (long)file, O_WRONLY | O_CREAT | O_TRUNC, 0644, 0, 0);
		if (fd < 0)
			die("cannot open RANDPROG_STEPS");
	}
	len = read_maps(maps_b, sizeof maps_b);
	cat(dec(cat(head, "after line "), n), "\n");
	sc(SYS_write, fd, (long)head, (long)strlen(head), 0, 0, 0);
	sc(SYS_write, fd, (long)maps_b, (long)len, 0, 0, 0);
}

static void run_one(void)
{
	int r = (int)rnd(1000);
	if (r < 60)
		op_openat();
	else if (r < 90)
		op_close();
	else if (r < 110)
		op_dup();
	else if (r < 135)
		op_ftruncate();
	else if (r < 420)
		op_mmap();
	else if (r < 510)
		op_munmap();
	else if (r < 610)
		op_mprotect();
	else if (r < 700)
		op_mremap();
	else if (r < 800)
		op_madvise();
	else if (r < 860)
		op_mlock();
	else if (r < 910)
		op_msync();
	else if (r < 950)
		op_mincore();
	else
		op_brk();
}

int main(int argc, char **argv)
{
	u64 seed, ncalls = 150;
	const char *steps;
	size_t n1, n2;

	if (argc == 3 && strcmp(argv[1], "--files") == 0) {
		set_outdir(argv[2]);
		make_paths();
		make_files();
		return 0;
	}
	if (argc < 3 || argc > 4)
		die("usage: randprog SEED OUTDIR [NCALLS] | randprog --files OUTDIR");
	seed = strtoull(argv[1], NULL, 0);
	if (argc == 4)
		ncalls = strtoull(argv[3], NULL, 0);
	steps = getenv("RANDPROG_STEPS");
	rng_state = seed * 0x2545f4914f6cdd1dULL + 1;
	set_outdir(argv[2]);
	make_paths();
	make_files();
	/* descriptors above 2 (a make jobserver, say) would shift openat results */
	sc(SYS_close_range, 3, ~0L, 0, 0, 0, 0);
	prefault_stack();
	start_brk = read_start_brk();

	/* the snapshot */
	n1 = read_maps(maps_a, sizeof maps_a);
	brk0 = cur_brk = (u64)sc(SYS_brk, 0, 0, 0, 0, 0, 0);
	parse_protected(maps_a);
	zone[0] = (struct range){ 0x100000000ULL, 0x200000000ULL };
	zone[1] = (struct range){ pgup(brk0) + 2 * MiB, pgup(brk0) + 10 * MiB };
	zone[2] = (struct range){ (mmap_low & ~(2 * MiB - 1)) - 512 * MiB,
				  (mmap_low & ~(2 * MiB - 1)) - 128 * MiB };
	{
		char path[4096], num[32];
		cat(cat(path, outdir), "/initial.maps");
		write_file(path, maps_a, n1);
		cat(hex(num, brk0), "\n");
		cat(cat(path, outdir), "/initial.brk");
		write_file(path, num, strlen(num));
	}
	/* nothing may have moved since the snapshot */
	n2 = read_maps(maps_b, sizeof maps_b);
	if (n1 != n2 || memcmp(maps_a, maps_b, n1) != 0)
		die("maps changed after the snapshot");
	if ((u64)sc(SYS_brk, 0, 0, 0, 0, 0, 0) != brk0)
		die("brk changed after the snapshot");

	sc(SYS_close, -1000, 0, 0, 0, 0, 0);
	for (u64 i = 0, line = 0; i < ncalls; i++) {
		u64 before = nsc;
		run_one();
		if (nsc - before > 1)
			die("one call made two system calls");
		if (steps && nsc != before)
			log_step(steps, ++line);
	}
	sc(SYS_close, -1001, 0, 0, 0, 0, 0);

	/* the snapshot after: nothing is mapped between the marker and here */
	n1 = read_maps(maps_a, sizeof maps_a);
	cat(cat(path_buf[7], outdir), "/final.maps");
	write_file(path_buf[7], maps_a, n1);
	return 0;
}
