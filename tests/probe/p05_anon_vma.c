/* Q5: merging of anonymous private VMAs depending on anon_vma state. */
#include "probe.h"
#include <sys/mman.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;
#define TOUCH(a) (*(volatile char *)(a) = 1)
static unsigned long W; /* a free working area */

static void scenarios(const char *who)
{
	unsigned long a;
	printf("\n#### scenarios run by %s\n", who);

	SECTION("A (2 pages) touched, then B (2 pages) MAP_FIXED right above A, B untouched");
	a = W;
	MMAP(a, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a);
	SHOW("mmap B FIXED at A+2 pages", MMAP(a + 2 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0));
	maps("", a, a + 4 * PG);
	SHOW("mmap C FIXED right below A (untouched)", MMAP(a - 2 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0));
	maps("", a - 2 * PG, a + 4 * PG);
	MUNMAP(a - 2 * PG, 6 * PG);

	SECTION("A touched, B touched elsewhere, then mremap B (MAYMOVE|FIXED) right above A");
	a = W;
	MMAP(a, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a);
	MMAP(a + 16 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a + 16 * PG);
	SHOW("mremap B -> A+2 pages", MREMAP(a + 16 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 2 * PG));
	maps("", a, a + 20 * PG);
	MUNMAP(a, 20 * PG);

	SECTION("A touched, B untouched elsewhere, then mremap B right above A");
	a = W;
	MMAP(a, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a);
	MMAP(a + 16 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mremap B -> A+2 pages", MREMAP(a + 16 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 2 * PG));
	maps("", a, a + 20 * PG);
	MUNMAP(a, 20 * PG);

	SECTION("A untouched, B touched elsewhere, then mremap B right above A");
	a = W;
	MMAP(a, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(a + 16 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a + 16 * PG);
	SHOW("mremap B -> A+2 pages", MREMAP(a + 16 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 2 * PG));
	maps("", a, a + 20 * PG);
	MUNMAP(a, 20 * PG);

	SECTION("A touched, B touched elsewhere, then MAP_FIXED B's range over... (B unmapped, new B mapped) ");
	a = W;
	MMAP(a, 3 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a); TOUCH(a + 2 * PG);
	printf("  3 pages, touched page 0 and 2\n");
	SHOW("munmap middle", MUNMAP(a + PG, PG));
	maps("", a, a + 3 * PG);
	SHOW("mmap FIXED middle again", MMAP(a + PG, PG, RW, AP | MAP_FIXED, -1, 0));
	maps("", a, a + 3 * PG);
	MUNMAP(a, 3 * PG);

	SECTION("3 pages touched, MAP_FIXED over the middle page (replace in place)");
	a = W;
	MMAP(a, 3 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a); TOUCH(a + PG); TOUCH(a + 2 * PG);
	SHOW("mmap FIXED middle", MMAP(a + PG, PG, RW, AP | MAP_FIXED, -1, 0));
	maps("", a, a + 3 * PG);
	MUNMAP(a, 3 * PG);

	SECTION("touched 3 pages: mprotect middle R, then back RW");
	a = W;
	MMAP(a, 3 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a); TOUCH(a + PG); TOUCH(a + 2 * PG);
	SHOW("mprotect middle R", MPROTECT(a + PG, PG, PROT_READ));
	maps("", a, a + 3 * PG);
	SHOW("mprotect middle RW", MPROTECT(a + PG, PG, RW));
	maps("", a, a + 3 * PG);
	MUNMAP(a, 3 * PG);

	SECTION("two separate touched RW mappings with a 1-page hole, then MAP_FIXED untouched page into the hole");
	a = W;
	MMAP(a, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a);
	MMAP(a + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a + 3 * PG);
	maps("before", a, a + 5 * PG);
	SHOW("mmap FIXED hole", MMAP(a + 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0));
	maps("after", a, a + 5 * PG);
	MUNMAP(a, 5 * PG);

	SECTION("same, but only the upper one touched");
	a = W;
	MMAP(a, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(a + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a + 3 * PG);
	SHOW("mmap FIXED hole", MMAP(a + 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0));
	maps("after", a, a + 5 * PG);
	MUNMAP(a, 5 * PG);

	SECTION("same, none touched");
	a = W;
	MMAP(a, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(a + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mmap FIXED hole", MMAP(a + 2 * PG, PG, RW, AP | MAP_FIXED, -1, 0));
	maps("after", a, a + 5 * PG);
	MUNMAP(a, 5 * PG);

	SECTION("two touched mappings with a hole, hole filled by mprotect-merge? (R page in hole then RW)");
	a = W;
	MMAP(a, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a);
	MMAP(a + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a + 3 * PG);
	MMAP(a + 2 * PG, PG, PROT_READ, AP | MAP_FIXED, -1, 0);
	maps("hole page mapped R", a, a + 5 * PG);
	SHOW("mprotect hole page RW", MPROTECT(a + 2 * PG, PG, RW));
	maps("after", a, a + 5 * PG);
	MUNMAP(a, 5 * PG);

	SECTION("mremap grow in place of a touched VMA into space right below an untouched VMA");
	a = W;
	MMAP(a, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a);
	MMAP(a + 3 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mremap A 2->3 pages (fills hole)", MREMAP(a, 2 * PG, 3 * PG, 0, 0));
	maps("after", a, a + 5 * PG);
	MUNMAP(a, 5 * PG);

	SECTION("pgoff-controlled: B created at A+2 pages, touched, moved away and back; A created later");
	a = W;
	MMAP(a + 2 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a + 2 * PG);
	SHOW("mremap B away to A+32 pages", MREMAP(a + 2 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 32 * PG));
	MMAP(a, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a);
	SHOW("(A touched) mremap B back to A+2 pages", MREMAP(a + 32 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 2 * PG));
	maps("", a, a + 40 * PG);
	MUNMAP(a, 40 * PG);
	MMAP(a + 2 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a + 2 * PG);
	MREMAP(a + 2 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 32 * PG);
	MMAP(a, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("(A untouched) mremap B back to A+2 pages", MREMAP(a + 32 * PG, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 2 * PG));
	maps("", a, a + 40 * PG);
	MUNMAP(a, 40 * PG);

	SECTION("touched A moved to X; then untouched mmap FIXED right above / below it at X");
	a = W;
	MMAP(a, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a);
	SHOW("mremap A -> A+64 pages", MREMAP(a, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 64 * PG));
	SHOW("mmap FIXED untouched 2 pages right above moved A", MMAP(a + 66 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0));
	SHOW("mmap FIXED untouched 2 pages right below moved A", MMAP(a + 62 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0));
	maps("", a + 60 * PG, a + 70 * PG);
	MUNMAP(a + 60 * PG, 10 * PG);

	SECTION("untouched A moved to X; then untouched mmap FIXED right above it");
	a = W;
	MMAP(a, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	SHOW("mremap A -> A+64 pages", MREMAP(a, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 64 * PG));
	SHOW("mmap FIXED untouched 2 pages right above moved A", MMAP(a + 66 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0));
	maps("", a + 60 * PG, a + 70 * PG);
	MUNMAP(a + 60 * PG, 10 * PG);

	SECTION("touched A, in-place mremap grow (pgoff stays contiguous), then mmap FIXED above");
	a = W;
	MMAP(a, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a);
	SHOW("mremap A 2->4 pages in place", MREMAP(a, 2 * PG, 4 * PG, 0, 0));
	SHOW("mmap FIXED 2 pages above", MMAP(a + 4 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0));
	maps("", a, a + 8 * PG);
	MUNMAP(a, 8 * PG);
}

int main(void)
{
	probe_init();
	W = 0x500000000UL;
	scenarios("parent (no fork yet)");

	SECTION("fork: parent has [touched RW 3 pages][untouched RW 2 pages hole-separated]");
	unsigned long a = 0x600000000UL;
	MMAP(a, 3 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a); TOUCH(a + 2 * PG);
	MMAP(a + 4 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	MMAP(a + 8 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0);
	TOUCH(a + 8 * PG);
	maps("parent before fork", a, a + 10 * PG);
	long pid = FORK();
	const char *who = pid == 0 ? "child" : "parent";
	if (pid != 0) {
		int st;
		wait4((pid_t)pid, &st, 0, 0);
	}
	printf("\n#### %s after fork\n", who);
	maps("inherited region", a, a + 10 * PG);
	SHOW("mmap FIXED untouched page right above the touched 3-page VMA", MMAP(a + 3 * PG, PG, RW, AP | MAP_FIXED, -1, 0));
	maps("", a, a + 10 * PG);
	SHOW("mprotect page 1 R", MPROTECT(a + PG, PG, PROT_READ));
	SHOW("mprotect page 1 RW", MPROTECT(a + PG, PG, RW));
	maps("after mprotect round trip of page 1", a, a + 10 * PG);
	SHOW("munmap page 1", MUNMAP(a + PG, PG));
	SHOW("mmap FIXED page 1 again", MMAP(a + PG, PG, RW, AP | MAP_FIXED, -1, 0));
	maps("after unmap+remap of page 1", a, a + 10 * PG);
	SHOW("mmap FIXED untouched 2 pages right below the touched VMA at +8", MMAP(a + 6 * PG, 2 * PG, RW, AP | MAP_FIXED, -1, 0));
	maps("", a, a + 10 * PG);
	W = pid == 0 ? 0x700000000UL : 0x800000000UL;
	if (pid == 0) {
		scenarios("child (after fork; fresh mappings)");
		_exit(0);
	}
	return 0;
}
