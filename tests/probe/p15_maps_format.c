/* Q15: the exact bytes of /proc/self/maps lines. */
#include "probe.h"
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static const long AP = MAP_PRIVATE | MAP_ANONYMOUS;
static const long RW = PROT_READ | PROT_WRITE;

/* print the maps line(s) for [a, a+1) with byte-level details */
static void line(const char *what, unsigned long a)
{
	read_file_("/proc/self/maps", mapsbuf_, sizeof mapsbuf_);
	for (char *l = mapsbuf_; *l;) {
		char *e = strchr(l, '\n');
		unsigned long s, t;
		*e = 0;
		if (sscanf(l, "%lx-%lx", &s, &t) == 2 && a >= s && a < t) {
			size_t n = strlen(l);
			/* the name starts after the 5th space-separated field + padding */
			int field = 0;
			size_t i = 0;
			while (i < n && field < 5) {
				while (i < n && l[i] != ' ') i++;
				field++;
				if (field < 5) while (i < n && l[i] == ' ') i++;
			}
			/* i is at the space after the inode */
			size_t j = i;
			while (j < n && l[j] == ' ') j++;
			printf("  %-28s |%s|\n", what, l);
			printf("  %-28s   len=%zu, inode field ends at col %zu, %s", "", n, i, j < n ? "name starts at col " : "no name; trailing spaces after inode = ");
			if (j < n) printf("%zu (1-based)\n", j + 1);
			else printf("%zu\n", n - i);
		}
		l = e + 1;
	}
}

int main(int argc, char **argv)
{
	probe_init();
	(void)argc; (void)argv;
	char path[96], shm[96], weird[96];
	snprintf(path, sizeof path, "/tmp/probe15_%d", getuid());
	snprintf(shm, sizeof shm, "/dev/shm/probe15_%d", getuid());
	snprintf(weird, sizeof weird, "/tmp/probe15 sp\nnl\\bs\t_%d", getuid());
	int f = make_file(path, 1UL << 20);
	int fs = make_file(shm, 8 * PG);
	int fw = make_file(weird, 8 * PG);
	int fz = (int)sc(SYS_open, "/dev/zero", O_RDWR);
	struct stat st;
	fstat(f, &st);
	printf("  ext4 file st_dev major:minor = %x:%x ino=%lu\n", major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino);
	fstat(fs, &st);
	printf("  tmpfs file st_dev = %x:%x ino=%lu\n", major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino);
	fstat(fz, &st);
	printf("  /dev/zero st_dev = %x:%x ino=%lu rdev=%x:%x\n", major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino, major(st.st_rdev), minor(st.st_rdev));

	SECTION("lines");
	long r;
	r = MMAP(0, PG, RW, AP, -1, 0); line("anon private rw", r);
	r = MMAP(0, PG, PROT_NONE, AP, -1, 0); line("anon private ---", r);
	r = MMAP(0, PG, PROT_EXEC, AP, -1, 0); line("anon private --x", r);
	r = MMAP(0, PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0); line("anon shared", r);
	r = MMAP(0, PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0); line("anon shared (2nd)", r);
	r = MMAP(0, 3 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0); MPROTECT(r + PG, PG, PROT_READ); line("anon shared split, 2nd part", r + PG);
	r = MMAP(0, PG, RW, MAP_PRIVATE, fz, 0); line("/dev/zero private", r);
	r = MMAP(0, PG, RW, MAP_PRIVATE, fz, 5 * PG); line("/dev/zero private off 5p", r);
	r = MMAP(0, PG, RW, MAP_SHARED, fz, 0); line("/dev/zero shared", r);
	r = MMAP(0, PG, RW, MAP_SHARED, fz, 5 * PG); line("/dev/zero shared off 5p", r);
	r = MMAP(0, PG, PROT_READ, MAP_PRIVATE, f, 0); line("ext4 private r", r);
	r = MMAP(0, PG, RW, MAP_SHARED, f, 3 * PG); line("ext4 shared rw off 3p", r);
	r = MMAP(0, PG, PROT_READ, MAP_SHARED, f, 1UL << 40); line("ext4 shared off 1<<40", r);
	r = MMAP(0, PG, PROT_READ, MAP_SHARED, f, 0xfffffffff000UL); line("ext4 shared off 0xfffffffff000", r);
	r = MMAP(0, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE, f, 0); line("ext4 private r-x", r);
	r = MMAP(0, PG, PROT_READ, MAP_SHARED, fs, 0); line("tmpfs shared", r);
	r = MMAP(0, PG, PROT_READ, MAP_PRIVATE, fw, 0); line("weird name (space, \\n, \\\\, \\t)", r);
	long del = MMAP(0, PG, PROT_READ, MAP_PRIVATE, f, 0);
	long delshm = MMAP(0, PG, PROT_READ, MAP_SHARED, fs, 0);
	sc(SYS_unlink, path);
	sc(SYS_unlink, shm);
	sc(SYS_unlink, weird);
	line("ext4 after unlink", del);
	line("tmpfs after unlink", delshm);
	{
		int mfd = (int)sc(SYS_memfd_create, "probe name", 0);
		sc(SYS_ftruncate, mfd, PG);
		r = MMAP(0, PG, RW, MAP_SHARED, mfd, 0); line("memfd 'probe name'", r);
	}
	r = MMAP(0, 2 * MiB, RW, AP | MAP_HUGETLB | MAP_NORESERVE, -1, 0);
	if (r > 0) line("MAP_HUGETLB private anon", r); else printf("  hugetlb private: %s\n", rs(r));
	r = MMAP(0, 2 * MiB, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB | MAP_NORESERVE, -1, 0);
	if (r > 0) line("MAP_HUGETLB shared anon", r); else printf("  hugetlb shared: %s\n", rs(r));
	r = MMAP(0, 4 * PG, RW, AP | MAP_GROWSDOWN, -1, 0); line("MAP_GROWSDOWN", r);
	r = MMAP(0, 4 * PG, RW, AP | MAP_STACK, -1, 0); line("MAP_STACK", r);
	r = MMAP(0x1000, PG, RW, AP | MAP_FIXED, -1, 0);
	if (r == 0x1000) line("low address 0x1000", r); else printf("  low addr: %s\n", rs(r));
	SHOW("prctl(PR_SET_VMA, ANON_NAME)", sc(SYS_prctl, 0x53564d41, 0, 0x500000000UL, PG, "x"));

	SECTION("heap");
	long b = BRK(0);
	printf("  brk(0) = %s\n", rs(b));
	line("[heap] as set up by libc", b - 1);
	SECTION("all lines: column of the name field");
	static char copy[1 << 16];
	read_file_("/proc/self/maps", copy, sizeof copy);
	for (char *l = copy; *l;) {
		char *e = strchr(l, '\n');
		unsigned long s, t;
		*e = 0;
		sscanf(l, "%lx-%lx", &s, &t);
		if (strstr(l, "[vsyscall]")) {
			size_t n = strlen(l), j = 55;
			while (l[j] == ' ') j++;
			printf("  %-28s |%s|\n  %-28s   len=%zu, name starts at col %zu (1-based)\n", "", l, "", n, j + 1);
		} else
			line("", s);
		l = e + 1;
	}
	return 0;
}
