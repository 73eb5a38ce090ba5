/*
 * mremap_probe.c — what the live kernel does for the mremap(2) cases that
 * tests/test_mremap.c replays against usermm.  Each case starts from the
 * layout exec() leaves (it unmaps everything it made), so addresses chosen
 * without a hint are the ones a fresh usermm process chooses.
 *
 * Build and run (as root, then as an unprivileged user for the cases that
 * depend on RLIMIT_MEMLOCK and mmap_min_addr):
 *   gcc -O1 -g -Wall -static -o /tmp/mremap_probe tests/probe/mremap_probe.c
 *   setarch -R /tmp/mremap_probe
 *   setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
 *           --bounding-set=-all setarch -R /tmp/mremap_probe
 *
 * Output: "[case] label -> result", maps lines as |...|, VmFlags, and
 * "dvm" = change of VmSize (pages) since the case began, "lck" = VmLck pages.
 */
#include "probe.h"
#include <sys/mman.h>
#include <sys/resource.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS, AS = MAP_SHARED | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE, R = PROT_READ;
#define X 0x500000000UL
#define Y 0x600000000UL
#define T 0x7ffff7ff7000UL /* start of [vvar]: top of the mmap area */
#define MAY MREMAP_MAYMOVE
#define FIX MREMAP_FIXED
#define DU MREMAP_DONTUNMAP
#define POP MAP_POPULATE

static long status_kb(const char *field)
{
	read_file_("/proc/self/status", mapsbuf_, sizeof mapsbuf_);
	char *l = strstr(mapsbuf_, field);
	return l ? strtol(l + strlen(field) + 1, 0, 10) : -1;
}
static long status_kb_file(const char *file, const char *field)
{
	read_file_(file, mapsbuf_, sizeof mapsbuf_);
	char *l = strstr(mapsbuf_, field);
	return l ? strtol(l + strlen(field) + 1, 0, 10) : -1;
}
static long vm0;
static void begin(const char *name)
{
	SECTION(name);
	vm0 = status_kb("VmSize");
}
static void dvm(void)
{
	printf("    dvm %ld lck %ld\n", (status_kb("VmSize") - vm0) / 4, status_kb("VmLck") / 4);
}
static void clean(void)
{
	MUNMAP(X - 64 * PG, 0x1000000000UL); /* X and Y, and all grown from them */
	MUNMAP(T - 8 * MiB, 8 * MiB); /* whatever was placed without a hint */
}
static int file_fd;

static void c01_args(void)
{
	begin("c01 argument checks");
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("flags 0x8", MREMAP(X, PG, 2 * PG, 0x8, 0));
	SHOW("flags 0x8, old addr in a hole", MREMAP(X + 64 * PG, PG, 2 * PG, MAY | 0x8, 0));
	SHOW("FIXED without MAYMOVE", MREMAP(X, PG, PG, FIX, Y));
	SHOW("DONTUNMAP without MAYMOVE", MREMAP(X, PG, PG, DU, 0));
	SHOW("MAYMOVE|DONTUNMAP 1p->2p", MREMAP(X, PG, 2 * PG, MAY | DU, 0));
	SHOW("old addr X+1", MREMAP(X + 1, PG, 2 * PG, MAY, 0));
	SHOW("new_len 0", MREMAP(X, PG, 0, MAY, 0));
	SHOW("new_len ~0 (rounds to 0)", MREMAP(X, PG, ~0UL, MAY, 0));
	SHOW("new_len 1<<47, no flags", MREMAP(X, PG, 1UL << 47, 0, 0));
	SHOW("new_len TASK_SIZE, no flags", MREMAP(X, PG, 0x7ffffffff000UL, 0, 0));
	SHOW("new_len TASK_SIZE, MAYMOVE", MREMAP(X, PG, 0x7ffffffff000UL, MAY, 0));
	SHOW("FIXED new addr Y+1", MREMAP(X, PG, PG, MAY | FIX, Y + 1));
	SHOW("FIXED overlapping (new X+1p, 2p)", MREMAP(X, 2 * PG, 2 * PG, MAY | FIX, X + PG));
	SHOW("FIXED overlapping, old addr in a hole", MREMAP(X + 64 * PG, 2 * PG, 2 * PG, MAY | FIX, X + 65 * PG));
	SHOW("FIXED new 0x7ffffffff000 (end > TASK_SIZE)", MREMAP(X, PG, 2 * PG, MAY | FIX, 0x7ffffffff000UL));
	SHOW("FIXED new 0x800000000000", MREMAP(X, PG, PG, MAY | FIX, 0x800000000000UL));
	SHOW("old addr in a hole, grow MAYMOVE", MREMAP(X + 8 * PG, PG, 2 * PG, MAY, 0));
	SHOW("old addr in a hole, shrink", MREMAP(X + 8 * PG, 2 * PG, PG, 0, 0));
	SHOW("old addr in a hole, same size", MREMAP(X + 8 * PG, PG, PG, 0, 0));
	SHOW("old_len ~0 (rounds to 0) on private", MREMAP(X, ~0UL, PG, MAY, 0));
	SHOW("same size 4p, no flags", MREMAP(X, 4 * PG, 4 * PG, 0, 0));
	SHOW("same size, range beyond the vma (X+3p, 4p)", MREMAP(X + 3 * PG, 4 * PG, 4 * PG, 0, 0));
	SHOW("old_len 1 -> new_len 4096 (equal after rounding)", MREMAP(X, 1, PG, 0, 0));
	MMAP(Y, PG, R, AP | MAP_FIXED, -1, 0);
	SHOW("old_len 0 on private, FIXED onto Y (is Y unmapped first?)", MREMAP(X, 0, PG, MAY | FIX, Y));
	maps("Y", Y, Y + PG);
	SHOW("FIXED to new addr 0 (EPERM unless CAP_SYS_RAWIO)", MREMAP(X + 3 * PG, PG, PG, MAY | FIX, 0));
	maps("0 and X", 0, X + 4 * PG);
	dvm();
	MUNMAP(0, PG);
	clean();
}

static void c02_shrink(void)
{
	begin("c02 shrink");
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("4p -> 1p", MREMAP(X, 4 * PG, PG, 0, 0));
	maps("X", X, X + 4 * PG);
	dvm();
	clean();
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("middle: (X+1p, 2p) -> 1p", MREMAP(X + PG, 2 * PG, PG, 0, 0));
	maps("X", X, X + 4 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	SHOW("two VMAs 4p -> 1p", MREMAP(X, 4 * PG, PG, 0, 0));
	maps("X", X, X + 4 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	SHOW("A, hole, B: 5p -> 3p, MAYMOVE", MREMAP(X, 5 * PG, 3 * PG, MAY, 0));
	maps("X", X, X + 5 * PG);
	dvm();
	clean();
}

static void c03_grow_in_place(void)
{
	begin("c03 grow in place");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 4 * PG, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	SHOW("2p -> 4p (up to an R vma)", MREMAP(X, 2 * PG, 4 * PG, 0, 0));
	maps("X", X, X + 6 * PG);
	SHOW("4p -> 5p, no flags (blocked)", MREMAP(X, 4 * PG, 5 * PG, 0, 0));
	SHOW("(X, 2p) -> 3p: not the vma end", MREMAP(X, 2 * PG, 3 * PG, 0, 0));
	dvm();
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 4 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("2p -> 4p up to a compatible RW vma", MREMAP(X, 2 * PG, 4 * PG, 0, 0));
	maps("X", X, X + 6 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED | POP, -1, 0);
	MMAP(X + 4 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("populated 2p -> 4p up to an unpopulated RW vma", MREMAP(X, 2 * PG, 4 * PG, 0, 0));
	maps("X", X, X + 6 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED | POP, -1, 0);
	MMAP(X + 4 * PG, 2 * PG, RW, AP | MAP_FIXED | POP, -1, 0);
	SHOW("populated 2p -> 4p up to a populated RW vma", MREMAP(X, 2 * PG, 4 * PG, 0, 0));
	maps("X", X, X + 6 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 4 * PG, 2 * PG, RW, AP | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
	SHOW("2p -> 4p up to a GROWSDOWN vma", MREMAP(X, 2 * PG, 4 * PG, 0, 0));
	maps("X", X, X + 6 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AS | MAP_FIXED, -1, 0);
	SHOW("shared anon 2p -> 4p", MREMAP(X, 2 * PG, 4 * PG, 0, 0));
	maps("X", X, X + 6 * PG);
	clean();
	MMAP(X, 2 * PG, R, MAP_SHARED | MAP_FIXED, file_fd, 6 * PG);
	SHOW("file (8p) at off 6p, 2p -> 4p (past EOF)", MREMAP(X, 2 * PG, 4 * PG, 0, 0));
	maps("X", X, X + 6 * PG);
	dvm();
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	SHOW("grow 4p spanning two VMAs -> 6p, MAYMOVE", MREMAP(X, 4 * PG, 6 * PG, MAY, 0));
	SHOW("grow 4p spanning two VMAs -> 6p, no flags", MREMAP(X, 4 * PG, 6 * PG, 0, 0));
	SHOW("grow 3p spanning RW vma and R vma -> 4p, FIXED to Y", MREMAP(X + PG, 2 * PG, 4 * PG, MAY | FIX, Y));
	maps("X..Y", X, Y + 4 * PG);
	clean();
}

static void c04_maymove(void)
{
	long r, r2;

	begin("c04 MAYMOVE");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, PG, R, AP | MAP_FIXED, -1, 0);
	r = SHOW("unpopulated 2p -> 3p, blocked", MREMAP(X, 2 * PG, 3 * PG, MAY, 0));
	maps("X", X, X + 3 * PG);
	maps("new", r - PG, T);
	dvm();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	r2 = SHOW("again: lands just below the first move", MREMAP(X, 2 * PG, 3 * PG, MAY, 0));
	maps("new", r2 - PG, T);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED | POP, -1, 0);
	MMAP(X + 2 * PG, PG, R, AP | MAP_FIXED, -1, 0);
	r = SHOW("populated 2p -> 3p, blocked", MREMAP(X, 2 * PG, 3 * PG, MAY, 0));
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED | POP, -1, 0);
	r2 = SHOW("again, populated", MREMAP(X, 2 * PG, 3 * PG, MAY, 0));
	maps("new", r2 - PG, T);
	clean();
	MMAP(X, 2 * MiB, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * MiB, PG, R, AP | MAP_FIXED, -1, 0);
	r = SHOW("2MiB -> 4MiB, blocked", MREMAP(X, 2 * MiB, 4 * MiB, MAY, 0));
	maps("new", r, T);
	MUNMAP(r, 4 * MiB);
	MMAP(X, 2 * MiB, RW, AP | MAP_FIXED, -1, 0);
	r = SHOW("2MiB -> 3MiB, blocked", MREMAP(X, 2 * MiB, 3 * MiB, MAY, 0));
	maps("new", r, T);
	clean();
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("MAYMOVE same size", MREMAP(X, 4 * PG, 4 * PG, MAY, 0));
	SHOW("MAYMOVE shrink 4p -> 2p", MREMAP(X, 4 * PG, 2 * PG, MAY, 0));
	maps("X", X, X + 4 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AS | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, PG, R, AP | MAP_FIXED, -1, 0);
	r = SHOW("shared anon (X+1p, 1p) -> 3p, blocked", MREMAP(X + PG, PG, 3 * PG, MAY, 0));
	maps("X", X, X + 3 * PG);
	maps("new", r, T);
	clean();
	MMAP(X, 2 * PG, R, MAP_PRIVATE | MAP_FIXED, file_fd, 2 * PG);
	MMAP(X + 2 * PG, PG, R, AP | MAP_FIXED, -1, 0);
	r = SHOW("private file at off 2p, 2p -> 3p, blocked", MREMAP(X, 2 * PG, 3 * PG, MAY, 0));
	maps("new", r, T);
	dvm();
	clean();
}

static void c05_fixed(void)
{
	begin("c05 FIXED");
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("4p to Y (free)", MREMAP(X, 4 * PG, 4 * PG, MAY | FIX, Y));
	maps("X", X, X + 4 * PG);
	maps("Y", Y, Y + 4 * PG);
	MMAP(X, 4 * PG, R, AP | MAP_FIXED, -1, 0);
	SHOW("4p R to Y+2p (replaces half of the RW at Y)", MREMAP(X, 4 * PG, 4 * PG, MAY | FIX, Y + 2 * PG));
	maps("Y", Y, Y + 8 * PG);
	dvm();
	clean();
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("grow 4p -> 8p to Y", MREMAP(X, 4 * PG, 8 * PG, MAY | FIX, Y));
	SHOW("shrink 8p -> 2p back to X", MREMAP(Y, 8 * PG, 2 * PG, MAY | FIX, X));
	maps("X..Y", X, Y + 8 * PG);
	dvm();
	clean();
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("unpopulated 1p to X-1p (adjacent below)", MREMAP(X, PG, PG, MAY | FIX, X - PG));
	maps("X", X - PG, X + 4 * PG);
	clean();
	MMAP(X - 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("unpopulated 1p into the 1p hole below it (3-way merge)", MREMAP(X, PG, PG, MAY | FIX, X - PG));
	maps("X", X - 2 * PG, X + 4 * PG);
	clean();
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("unpopulated (X, 2p) to X+4p (adjacent above)", MREMAP(X, 2 * PG, 2 * PG, MAY | FIX, X + 4 * PG));
	maps("X", X, X + 8 * PG);
	clean();
	MMAP(Y - 2 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("unpopulated 2p to Y, next to an unpopulated RW vma", MREMAP(X, 2 * PG, 2 * PG, MAY | FIX, Y));
	maps("Y", Y - 2 * PG, Y + 2 * PG);
	clean();
	MMAP(Y - 2 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED | POP, -1, 0);
	SHOW("populated 2p to Y, next to an unpopulated RW vma", MREMAP(X, 2 * PG, 2 * PG, MAY | FIX, Y));
	maps("Y", Y - 2 * PG, Y + 2 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	SHOW("two VMAs 4p to Y", MREMAP(X, 4 * PG, 4 * PG, MAY | FIX, Y));
	maps("X..Y", X, Y + 8 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 2 * PG, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	SHOW("two VMAs, FIXED shrink 4p -> 1p to Y", MREMAP(X, 4 * PG, PG, MAY | FIX, Y));
	maps("X..Y", X, Y + 8 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	MMAP(Y + 2 * PG, PG, PROT_NONE, AP | MAP_FIXED, -1, 0);
	SHOW("A, hole, B (5p) to Y; the hole's target is mapped", MREMAP(X, 5 * PG, 5 * PG, MAY | FIX, Y));
	maps("X..Y", X, Y + 8 * PG);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 3 * PG, 2 * PG, R, AP | MAP_FIXED, -1, 0);
	SHOW("range starting in a hole (X-1p, 6p) to Y", MREMAP(X - PG, 6 * PG, 6 * PG, MAY | FIX, Y));
	SHOW("A, hole, B grow 5p -> 6p to Y", MREMAP(X, 5 * PG, 6 * PG, MAY | FIX, Y));
	SHOW("A, hole, B shrink 5p -> 4p to Y", MREMAP(X, 5 * PG, 4 * PG, MAY | FIX, Y));
	SHOW("(X+1p, 3p): tail of A, hole, head of B, to Y", MREMAP(X + PG, 3 * PG, 3 * PG, MAY | FIX, Y));
	maps("X..Y", X, Y + 8 * PG);
	clean();
	MMAP(X, 2 * PG, R, MAP_PRIVATE | MAP_FIXED, file_fd, 0);
	MMAP(X + 2 * PG, 2 * PG, R, MAP_PRIVATE | MAP_FIXED, file_fd, 4 * PG);
	SHOW("two ext4 file VMAs to Y", MREMAP(X, 4 * PG, 4 * PG, MAY | FIX, Y));
	maps("X..Y", X, Y + 8 * PG);
	dvm();
	clean();
}

static void c06_dontunmap(void)
{
	long r;

	begin("c06 DONTUNMAP");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED | POP, -1, 0);
	r = SHOW("populated 2p", MREMAP(X, 2 * PG, 2 * PG, MAY | DU, 0));
	maps("X", X, X + 2 * PG);
	maps("new", r, T);
	smaps_field(X, "VmFlags");
	smaps_field(r, "VmFlags");
	dvm();
	SHOW("again, FIXED to Y", MREMAP(X, 2 * PG, 2 * PG, MAY | DU | FIX, Y));
	maps("X..Y", X, Y + 4 * PG);
	dvm();
	clean();
	MMAP(X, 2 * PG, RW, AS | MAP_FIXED, -1, 0);
	r = SHOW("shared anon 2p", MREMAP(X, 2 * PG, 2 * PG, MAY | DU, 0));
	maps("X", X, X + 2 * PG);
	maps("new", r, T);
	clean();
	MMAP(X, 2 * PG, R, MAP_SHARED | MAP_FIXED, file_fd, PG);
	r = SHOW("shared file at off 1p", MREMAP(X, 2 * PG, 2 * PG, MAY | DU, 0));
	maps("new", r, T);
	clean();
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED | POP, -1, 0);
	r = SHOW("middle 2p of a 4p vma", MREMAP(X + PG, 2 * PG, 2 * PG, MAY | DU, 0));
	maps("X", X, X + 4 * PG);
	maps("new", r, T);
	clean();
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("unpopulated 2p FIXED to X+2p (adjacent above)", MREMAP(X, 2 * PG, 2 * PG, MAY | DU | FIX, X + 2 * PG));
	maps("X", X, X + 4 * PG);
	smaps_field(X, "VmFlags");
	clean();
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED | MAP_LOCKED, -1, 0);
	dvm();
	r = SHOW("1p of a locked 4p vma", MREMAP(X, PG, PG, MAY | DU, 0));
	dvm();
	maps("X", X, X + 4 * PG);
	smaps_field(X, "VmFlags");
	smaps_field(r, "VmFlags");
	SHOW("munmap the locked copy", MUNMAP(r, PG));
	SHOW("munmap the old (now unlocked) vma", MUNMAP(X, 4 * PG));
	dvm();
	clean();
}

static void c07_duplicate(void)
{
	long r;

	begin("c07 old_len 0");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("private, MAYMOVE", MREMAP(X, 0, 2 * PG, MAY, 0));
	SHOW("private, no flags", MREMAP(X, 0, 2 * PG, 0, 0));
	MMAP(Y, 2 * PG, RW, AS | MAP_FIXED, -1, 0);
	dvm();
	SHOW("shared, no flags", MREMAP(Y, 0, 2 * PG, 0, 0));
	r = SHOW("shared, MAYMOVE", MREMAP(Y, 0, 2 * PG, MAY, 0));
	maps("new", r, T);
	maps("Y", Y, Y + 2 * PG);
	dvm();
	r = SHOW("shared at Y+1p, 3p, MAYMOVE", MREMAP(Y + PG, 0, 3 * PG, MAY, 0));
	maps("new", r, r + 3 * PG);
	SHOW("shared, FIXED to Y+16p", MREMAP(Y, 0, PG, MAY | FIX, Y + 16 * PG));
	maps("Y", Y, Y + 32 * PG);
	SHOW("shared, DONTUNMAP", MREMAP(Y, 0, PG, MAY | DU, 0));
	dvm();
	clean();
}

static void c08_locked(void)
{
	begin("c08 VM_LOCKED");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED | MAP_LOCKED, -1, 0);
	dvm();
	SHOW("grow locked 2p -> 4p in place", MREMAP(X, 2 * PG, 4 * PG, 0, 0));
	dvm();
	smaps_field(X, "Rss");
	SHOW("FIXED grow 4p -> 6p to Y", MREMAP(X, 4 * PG, 6 * PG, MAY | FIX, Y));
	dvm();
	smaps_field(Y, "Rss");
	SHOW("grow 6p -> 2048p (8 MiB)", MREMAP(Y, 6 * PG, 2048 * PG, 0, 0));
	dvm();
	SHOW("grow 2048p -> 2049p (EAGAIN over an 8 MiB RLIMIT_MEMLOCK)", MREMAP(Y, 2048 * PG, 2049 * PG, 0, 0));
	dvm();
	SHOW("shrink 2048p -> 1p", MREMAP(Y, 2048 * PG, PG, 0, 0));
	dvm();
	clean();
}

static void c09_as_limit(void)
{
	struct rlimit old, lim;

	begin("c09 RLIMIT_AS");
	MMAP(X, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 16 * PG, PG, R, AP | MAP_FIXED, -1, 0);
	getrlimit(RLIMIT_AS, &old);
	lim = old;
	lim.rlim_cur = (unsigned long)status_kb("VmSize") * 1024 + 4 * PG;
	setrlimit(RLIMIT_AS, &lim);
	SHOW("grow 2p -> 6p (exactly to the limit)", MREMAP(X, 2 * PG, 6 * PG, 0, 0));
	SHOW("grow 6p -> 7p", MREMAP(X, 6 * PG, 7 * PG, 0, 0));
	SHOW("grow 6p -> 7p, MAYMOVE", MREMAP(X, 6 * PG, 7 * PG, MAY, 0));
	SHOW("DONTUNMAP 1p", MREMAP(X, PG, PG, MAY | DU, 0));
	SHOW("FIXED move 1p to Y (no growth)", MREMAP(X, PG, PG, MAY | FIX, Y));
	SHOW("shrink 5p -> 4p", MREMAP(X + PG, 5 * PG, 4 * PG, 0, 0));
	SHOW("DONTUNMAP 1p at Y", MREMAP(Y, PG, PG, MAY | DU | FIX, Y + PG));
	maps("X..Y", X, Y + 4 * PG);
	setrlimit(RLIMIT_AS, &old);
	dvm();
	clean();
}

static void c10_special(void)
{
	begin("c10 special mappings");
	SHOW("grow [vdso] 2p -> 3p in place", MREMAP(T + 6 * PG, 2 * PG, 3 * PG, 0, 0));
	SHOW("grow [vvar] 4p -> 5p, MAYMOVE", MREMAP(T, 4 * PG, 5 * PG, MAY, 0));
	SHOW("DONTUNMAP [vvar]", MREMAP(T, 4 * PG, 4 * PG, MAY | DU, 0));
	SHOW("DONTUNMAP [vdso]", MREMAP(T + 6 * PG, 2 * PG, 2 * PG, MAY | DU, 0));
	SHOW("move 1p of [vdso] to Y", MREMAP(T + 6 * PG, PG, PG, MAY | FIX, Y));
	SHOW("shrink [vdso] 2p -> 1p", MREMAP(T + 6 * PG, 2 * PG, PG, 0, 0));
	SHOW("move [vdso] to Y", MREMAP(T + 6 * PG, 2 * PG, 2 * PG, MAY | FIX, Y));
	maps("Y", Y, Y + 4 * PG);
	SHOW("move it back", MREMAP(Y, 2 * PG, 2 * PG, MAY | FIX, T + 6 * PG));
	maps("top", T, T + 8 * PG);
}

/* ---- vm.max_map_count: which operations fail near the limit ---------------- */
#define Z 0x100000000UL
static long nfill;
static void fill_to(long target)
{
	long c = count_vmas();
	while (c < target) {
		MMAP(Z + nfill * 2 * PG, PG, R, AP | MAP_FIXED, -1, 0);
		nfill++, c++;
	}
	while (c > target && nfill > 0) {
		nfill--, c--;
		MUNMAP(Z + nfill * 2 * PG, PG);
	}
}
static void mc_setup(void)
{
	MMAP(X, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + 4 * PG, PG, R, AP | MAP_FIXED, -1, 0);
}
static void c11_map_count(void)
{
	char mc[32] = {0};
	long max, k;

	begin("c11 max_map_count");
	read_file_("/proc/sys/vm/max_map_count", mc, sizeof mc);
	max = strtol(mc, 0, 10);
	printf("  max_map_count %ld\n", max);
	for (k = 7; k >= 0; k--) {
		printf("  -- map_count = max - %ld before each call\n", k);
		mc_setup(); fill_to(max - k);
		SHOW("MAYMOVE grow 4p -> 5p (moves)", MREMAP(X, 4 * PG, 5 * PG, MAY, 0));
		clean();
		mc_setup(); fill_to(max - k);
		SHOW("FIXED move (X, 4p) to Y", MREMAP(X, 4 * PG, 4 * PG, MAY | FIX, Y));
		clean();
		mc_setup(); fill_to(max - k);
		SHOW("FIXED move (X+1p, 2p) to Y (source split in 3)", MREMAP(X + PG, 2 * PG, 2 * PG, MAY | FIX, Y));
		clean();
		mc_setup(); fill_to(max - k);
		SHOW("same size, no flags", MREMAP(X, 4 * PG, 4 * PG, 0, 0));
		clean();
		mc_setup(); fill_to(max - k);
		SHOW("shrink (X, 2p) -> 1p (splits)", MREMAP(X, 2 * PG, PG, 0, 0));
		clean();
		mc_setup(); MUNMAP(X + 4 * PG, PG); fill_to(max - k);
		SHOW("grow 4p -> 5p in place", MREMAP(X, 4 * PG, 5 * PG, 0, 0));
		clean();
	}
	fill_to(0);
}

/* VM_ACCOUNT memory is charged (overcommit mode 0: one request may not exceed
 * RAM + swap); memory without VM_ACCOUNT is not. */
static void c12_overcommit(void)
{
	long ram;

	begin("c12 overcommit charge");
	ram = (status_kb_file("/proc/meminfo", "MemTotal") +
	       status_kb_file("/proc/meminfo", "SwapTotal")) / 4;
	printf("  RAM+swap pages: %ld\n", ram);
	MMAP(X, PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("RW grow by RAM+swap+1 pages, in place", MREMAP(X, PG, (ram + 2) * PG, 0, 0));
	SHOW("RW grow by RAM+swap pages, in place", MREMAP(X, PG, (ram + 1) * PG, 0, 0));
	clean();
	MMAP(X, PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(X + PG, PG, R, AP | MAP_FIXED, -1, 0);
	SHOW("RW grow by RAM+swap+1 pages, MAYMOVE (blocked)", MREMAP(X, PG, (ram + 2) * PG, MAY, 0));
	clean();
	MMAP(X, PG, R, AP | MAP_FIXED, -1, 0);
	SHOW("R grow by RAM+swap+1 pages, in place", MREMAP(X, PG, (ram + 2) * PG, 0, 0));
	dvm();
	MUNMAP(X, (ram + 2) * PG);
	clean();
}

int main(void)
{
	probe_init();
	char path[64];
	snprintf(path, sizeof path, "/tmp/mremap_probe_%d", getuid());
	file_fd = make_file(path, 8 * PG);
	c01_args();
	c02_shrink();
	c03_grow_in_place();
	c04_maymove();
	c08_locked();	/* before c06, which leaves locked_vm raised */
	c05_fixed();
	c06_dontunmap();
	c07_duplicate();
	c09_as_limit();
	c10_special();
	c12_overcommit();
	c11_map_count();
	sc(SYS_close, file_fd);
	sc(SYS_unlink, path);
	return 0;
}
