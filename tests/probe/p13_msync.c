/* Q13: msync(2). */
#include "probe.h"
#include <sys/mman.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;
#define X 0x500000000UL

int main(void)
{
	probe_init();
	char path[64];
	snprintf(path, sizeof path, "/tmp/probe13_%d", getuid());
	int f = make_file(path, 8 * PG);
	MMAP(X, 4 * PG, RW, MAP_SHARED | MAP_FIXED, f, 0);
	MMAP(X + 8 * PG, 4 * PG, RW, AP | MAP_FIXED, -1, 0);
	SECTION("flags and arguments (X = shared file mapping, X+8p = private anon)");
	long fl[] = {0, MS_ASYNC, MS_SYNC, MS_INVALIDATE, MS_ASYNC | MS_INVALIDATE, MS_SYNC | MS_INVALIDATE, MS_SYNC | MS_ASYNC, MS_SYNC | MS_ASYNC | MS_INVALIDATE, 8, 0x10, 0x100, -1};
	for (unsigned i = 0; i < sizeof fl / sizeof *fl; i++) {
		char l[80];
		snprintf(l, sizeof l, "file 4p flags=0x%lx", fl[i]);
		SHOW(l, MSYNC(X, 4 * PG, fl[i]));
		snprintf(l, sizeof l, "anon 4p flags=0x%lx", fl[i]);
		SHOW(l, MSYNC(X + 8 * PG, 4 * PG, fl[i]));
	}
	SHOW("unaligned addr X+1, MS_SYNC", MSYNC(X + 1, PG, MS_SYNC));
	SHOW("unaligned addr X+1, flags 8 (which EINVAL first: same errno)", MSYNC(X + 1, PG, 8));
	SHOW("len 0, MS_SYNC", MSYNC(X, 0, MS_SYNC));
	SHOW("len 0, unaligned addr", MSYNC(X + 1, 0, MS_SYNC));
	SHOW("len 0, flags SYNC|ASYNC", MSYNC(X, 0, MS_SYNC | MS_ASYNC));
	SHOW("len 0 on unmapped 0x10000", MSYNC(0x10000, 0, MS_SYNC));
	SHOW("len 1 (rounds up)", MSYNC(X, 1, MS_SYNC));
	SHOW("hole 0x10000 len 4096 MS_SYNC", MSYNC(0x10000, PG, MS_SYNC));
	SHOW("hole 0x10000 len 4096 MS_ASYNC", MSYNC(0x10000, PG, MS_ASYNC));
	SHOW("hole 0x10000 len 4096 flags 0", MSYNC(0x10000, PG, 0));
	SHOW("hole 0x10000 len 4096 MS_INVALIDATE", MSYNC(0x10000, PG, MS_INVALIDATE));
	SHOW("hole at X+4p (between the two), 1 page", MSYNC(X + 4 * PG, PG, MS_SYNC));
	SHOW("X .. X+12p (file, hole, anon) MS_SYNC", MSYNC(X, 12 * PG, MS_SYNC));
	SHOW("X .. X+12p MS_ASYNC", MSYNC(X, 12 * PG, MS_ASYNC));
	SHOW("X+4p .. X+12p (hole first) MS_ASYNC", MSYNC(X + 4 * PG, 8 * PG, MS_ASYNC));
	SHOW("X+4p .. X+12p (hole first) MS_SYNC", MSYNC(X + 4 * PG, 8 * PG, MS_SYNC));
	SHOW("X+4p .. X+12p (hole first) 0", MSYNC(X + 4 * PG, 8 * PG, 0));
	SHOW("X .. X+16p (ends in a hole) MS_SYNC", MSYNC(X, 16 * PG, MS_SYNC));
	SHOW("len ~0UL (page-align wraps to 0)", MSYNC(X, ~0UL, MS_SYNC));
	SHOW("len -X (end wraps)", MSYNC(X, -X, MS_SYNC));
	SHOW("len ~0UL - 8191 (end < start)", MSYNC(X, ~0UL - 8191, MS_SYNC));
	SHOW("addr above TASK_SIZE", MSYNC(0x800000000000UL, PG, MS_SYNC));

	SECTION("MS_INVALIDATE on locked ranges");
	MLOCK(X + 8 * PG, 4 * PG);
	MLOCK(X, 4 * PG);
	SHOW("anon locked MS_INVALIDATE", MSYNC(X + 8 * PG, 4 * PG, MS_INVALIDATE));
	SHOW("anon locked MS_SYNC|MS_INVALIDATE", MSYNC(X + 8 * PG, 4 * PG, MS_SYNC | MS_INVALIDATE));
	SHOW("anon locked MS_SYNC", MSYNC(X + 8 * PG, 4 * PG, MS_SYNC));
	SHOW("file locked MS_INVALIDATE", MSYNC(X, 4 * PG, MS_INVALIDATE));
	SHOW("file locked MS_ASYNC|MS_INVALIDATE", MSYNC(X, 4 * PG, MS_ASYNC | MS_INVALIDATE));
	SHOW("hole then locked (X+4p..X+12p) MS_INVALIDATE (ENOMEM vs EBUSY)", MSYNC(X + 4 * PG, 8 * PG, MS_INVALIDATE));
	SHOW("locked then hole (X..X+6p) MS_INVALIDATE", MSYNC(X, 6 * PG, MS_INVALIDATE));
	MUNLOCK(X, 4 * PG);
	SHOW("unlocked file then hole then locked anon, MS_INVALIDATE", MSYNC(X, 12 * PG, MS_INVALIDATE));
	SHOW("mlock2 ONFAULT anon: MS_INVALIDATE", (MUNLOCK(X + 8 * PG, 4 * PG), MLOCK2(X + 8 * PG, 4 * PG, 1), MSYNC(X + 8 * PG, 4 * PG, MS_INVALIDATE)));
	MUNLOCK(X + 8 * PG, 4 * PG);

	SECTION("other kinds");
	long r = MMAP(0, 4 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	SHOW("shared anon MS_SYNC", MSYNC(r, 4 * PG, MS_SYNC));
	r = MMAP(0, 4 * PG, PROT_NONE, AP, -1, 0);
	SHOW("PROT_NONE anon MS_SYNC", MSYNC(r, 4 * PG, MS_SYNC));
	r = MMAP(0, 4 * PG, PROT_READ, MAP_PRIVATE, f, 0);
	SHOW("private file MS_SYNC", MSYNC(r, 4 * PG, MS_SYNC));
	sc(SYS_unlink, path);
	return 0;
}
