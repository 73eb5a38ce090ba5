/* Q9: brk(2).  Freestanding (mini.h): the break is untouched at entry. */
#include "mini.h"
#define BRK(a) S6(__NR_brk, a, 0, 0, 0, 0, 0)
#define MMAP(a, l, p, f, fd, o) S6(__NR_mmap, a, l, p, f, fd, o)
#define MUNMAP(a, l) S6(__NR_munmap, a, l, 0, 0, 0, 0)
struct rlim { ul cur, max; };
/* two pages of initialised data: the image ends with a writable file-backed
 * segment whose last page holds nothing else, so it can be replaced */
__attribute__((aligned(4096))) volatile char pad[2 * 4096] = {1};

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	if (argc > 1 && argv[1][0] == 'd') { /* RLIMIT_DATA sub-test */
		ul b0 = (ul)BRK(0);
		out("\n== RLIMIT_DATA (fresh exec, limit set by parent before exec)\n");
		status_line("VmData");
		struct rlim rl;
		S6(__NR_getrlimit, 2, &rl, 0, 0, 0, 0);
		out("  RLIMIT_DATA = "); outx(rl.cur); out("\n");
		show("brk(b0 + 16 pages)", BRK(b0 + 16 * PG));
		show("brk(b0 + 40 pages)", BRK(b0 + 40 * PG));
		show("brk(b0 + 64 pages)", BRK(b0 + 64 * PG));
		show("brk(0)", BRK(0));
		show("mmap 64 pages private RW anon", MMAP(0, 64 * PG, 3, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
		show("mmap 16 pages private RW anon", MMAP(0, 16 * PG, 3, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
		show("mmap 64 pages private R anon", MMAP(0, 64 * PG, 1, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
		long r = MMAP(0, 64 * PG, 1, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		show("mmap 64 pages private R anon (again)", r);
		show("  mprotect it RW", S6(__NR_mprotect, r, 64 * PG, 3, 0, 0, 0));
		show("mmap 64 pages shared RW anon", MMAP(0, 64 * PG, 3, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
		show("mmap 64 pages private RW anon MAP_NORESERVE", MMAP(0, 64 * PG, 3, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
		show("mmap 64 pages private RW anon MAP_GROWSDOWN", MMAP(0, 64 * PG, 3, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0));
		show("mmap 64 pages private RW anon MAP_STACK", MMAP(0, 64 * PG, 3, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0));
		status_line("VmData");
		maps("end");
		return 0;
	}
	out("# fresh static -nostdlib binary\n");
	maps("at entry");
	ul b0 = (ul)BRK(0);
	show("brk(0)", (long)b0);
	show("brk(0) again", BRK(0));
	show("brk(b0 - 1) (below start_brk)", BRK(b0 - 1));
	show("brk(b0 - 4096)", BRK(b0 - PG));
	show("brk(1)", BRK(1));
	show("brk(b0) (no change)", BRK(b0));
	maps("no heap yet?");
	show("brk(b0 + 1)", BRK(b0 + 1));
	maps("after +1 byte");
	status_line("VmData");
	show("brk(0)", BRK(0));
	show("brk(b0 + 4096) (same page)", BRK(b0 + PG));
	show("brk(b0 + 4097)", BRK(b0 + PG + 1));
	maps("after b0+4097");
	show("brk(b0 + 10 pages)", BRK(b0 + 10 * PG));
	*(volatile char *)(b0 + 5 * PG) = 1;
	show("brk(b0 + 3 pages + 5) (shrink)", BRK(b0 + 3 * PG + 5));
	maps("after shrink");
	show("brk(b0) (shrink to empty)", BRK(b0));
	maps("after shrink to start_brk");
	show("brk(b0 + 2 pages)", BRK(b0 + 2 * PG));

	out("\n== growing towards an existing mapping M at b0+16 pages\n");
	ul M = b0 + 16 * PG;
	show("mmap M FIXED (2 pages, PROT_READ)", MMAP(M, 2 * PG, 1, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	show("brk(M + 1) (overlaps M)", BRK(M + 1));
	show("brk(M) (would end exactly at M)", BRK(M));
	show("brk(M - 4096 + 1)", BRK(M - PG + 1));
	show("brk(M - 4096) (leaves a 1-page gap)", BRK(M - PG));
	maps("after");
	show("brk(M + 3 pages) (jump over M)", BRK(M + 3 * PG));
	show("brk(b0 + 2 pages) (shrink)", BRK(b0 + 2 * PG));
	MUNMAP(M, 2 * PG);
	show("mmap M FIXED (2 pages) MAP_GROWSDOWN", MMAP(M, 2 * PG, 3, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, -1, 0));
	show("brk(M - 4096) (1-page gap, but M grows down)", BRK(M - PG));
	show("brk(M - 1 MiB - 4096)", BRK(M - (1UL << 20) - PG));
	show("brk(b0 + 4 pages)", BRK(b0 + 4 * PG));
	show("brk(M - 1 MiB - 4096) (b0 is close; is M-1MiB below b0?)", BRK(M - (1UL << 20) - PG));
	MUNMAP(M, 2 * PG);
	show("brk(b0 + 2 pages)", BRK(b0 + 2 * PG));

	out("\n== anon RW mapping placed right at the current break end (adjacent above heap)\n");
	ul B = (ul)BRK(0); /* b0 + 2 pages, page aligned */
	show("mmap FIXED [brk, brk+2p) RW anon", MMAP(B, 2 * PG, 3, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	maps("merged with [heap]?");
	show("brk(B + 1 page) (inside the merged vma)", BRK(B + PG));
	show("brk(B + 4 pages)", BRK(B + 4 * PG));
	maps("after");
	show("brk(b0 + 1 page) (shrink: unmaps [b0+1p, ...))", BRK(b0 + PG));
	maps("after");
	MUNMAP(b0, 16 * PG);
	show("brk(b0)", BRK(b0));

	out("\n== anon RW mapping ending right at start_brk, then heap grows\n");
	/* the page below start_brk belongs to the binary; replace it with an anon page */
	show("mmap FIXED [b0-1p, b0) RW anon (replaces last page of the data segment)", MMAP(b0 - PG, PG, 3, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	maps("before growth");
	show("brk(b0 + 2 pages)", BRK(b0 + 2 * PG));
	maps("heap merged with the anon page below start_brk?");
	show("brk(b0)", BRK(b0));
	maps("after shrink to b0");
	show("brk(b0 + 1 page)", BRK(b0 + PG));
	show("mmap FIXED [b0-2p, b0-1p) RW anon below", MMAP(b0 - 2 * PG, PG, 3, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	maps("after");
	out("\n== the reverse: heap exists, then mmap RW anon right below start_brk\n");
	show("munmap [b0-2p, b0)", MUNMAP(b0 - 2 * PG, 2 * PG));
	show("mmap FIXED [b0-1p, b0) RW anon", MMAP(b0 - PG, PG, 3, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	maps("merged into one vma labelled [heap]?");
	show("brk(b0 + 3 pages)", BRK(b0 + 3 * PG));
	maps("after growth");

	out("\n== huge brk values\n");
	show("brk(0x7ffff0000000)", BRK(0x7ffff0000000UL));
	show("brk(0x800000000000)", BRK(0x800000000000UL));
	show("brk(~0UL)", BRK(~0UL));
	show("brk(b0 + 1 GiB)", BRK(b0 + (1UL << 30)));
	maps("after 1GiB");
	status_line("VmData");
	show("brk(b0)", BRK(b0));

	out("\n== which vmas get the [heap] label (brk == start_brk == b0 now)\n");
	show("brk(0)", BRK(0));
	show("mmap FIXED anon [b0-1p, b0+1p) (straddles start_brk)", MMAP(b0 - PG, 2 * PG, 3, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	maps("labelled [heap] although brk == start_brk?");
	show("munmap [b0, b0+1p)", MUNMAP(b0, PG));
	maps("vma [b0-1p, b0) ends exactly at start_brk");
	show("mmap FIXED anon [b0, b0+1p) (starts at start_brk, brk == start_brk)", MMAP(b0, PG, 1, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	maps("");
	show("munmap [b0-1p, b0+1p)", MUNMAP(b0 - PG, 2 * PG));

	/* RLIMIT_DATA: re-exec self with a small limit */
	long pid = S6(__NR_fork, 0, 0, 0, 0, 0, 0);
	if (pid == 0) {
		struct rlim rl = {32 * PG, ~0UL};
		S6(__NR_setrlimit, 2, &rl, 0, 0, 0, 0);
		char *av[] = {argv[0], "d", 0};
		S6(__NR_execve, argv[0], av, envp, 0, 0, 0);
		return 127;
	}
	S6(__NR_wait4, pid, 0, 0, 0, 0, 0);
	return 0;
}
