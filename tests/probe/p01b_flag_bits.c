/* Q1 extra: every single flag bit (4..31) with MAP_SHARED_VALIDATE on an
 * ext4 file, with MAP_SHARED on the file, and with MAP_PRIVATE|MAP_ANONYMOUS. */
#include "probe.h"
#include <sys/mman.h>

int main(void)
{
	probe_init();
	char path[64];
	snprintf(path, sizeof path, "/tmp/probe01b_%d", getuid());
	int f = make_file(path, 4 * PG);
	printf("  %-12s %-16s %-16s %-16s\n", "bit", "SHARED_VALIDATE", "SHARED", "PRIVATE|ANON");
	for (int b = 4; b < 64; b++) {
		unsigned long bit = 1UL << b;
		unsigned long hint = 0;
		if (bit == MAP_FIXED || bit == MAP_FIXED_NOREPLACE) hint = 0x300000000UL;
		long r1 = MMAP(hint, PG, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE | bit, f, 0);
		if (r1 > 0) MUNMAP(r1, PG);
		long r2 = MMAP(hint, PG, PROT_READ | PROT_WRITE, MAP_SHARED | bit, f, 0);
		if (r2 > 0) MUNMAP(r2, PG);
		long r3 = MMAP(hint, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | bit, -1, 0);
		if (r3 > 0) MUNMAP(r3, PG);
		char a[20], c[20], d[20];
		snprintf(a, 20, "%s", r1 > 0 ? "ok" : rs(r1));
		snprintf(c, 20, "%s", r2 > 0 ? "ok" : rs(r2));
		snprintf(d, 20, "%s", r3 > 0 ? "ok" : rs(r3));
		printf("  0x%-10lx %-16s %-16s %-16s\n", bit, a, c, d);
	}
	sc(SYS_unlink, path);
	return 0;
}
