/* Q16: layout of a static glibc binary at main() (glibc start-up has run). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/syscall.h>
static char buf[65536];
int main(void)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	long n = read(fd, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("brk(0) = %#lx\n%s", syscall(SYS_brk, 0), buf);
	{
		static char st[4096];
		int sfd = open("/proc/self/stat", O_RDONLY);
		long m = read(sfd, st, sizeof st - 1);
		st[m > 0 ? m : 0] = 0;
		char *q = strrchr(st, ')') + 2; /* field 3 */
		const char *nm[] = {"start_code", "end_code", "start_stack", "start_data", "end_data", "start_brk", "arg_start", "arg_end", "env_start", "env_end"};
		int fld[] = {26, 27, 28, 45, 46, 47, 48, 49, 50, 51};
		int cur = 3, k = 0;
		for (char *t = strtok(q, " "); t && k < 10; t = strtok(0, " "), cur++)
			if (cur == fld[k]) printf("  stat %s = %#lx\n", nm[k++], strtoul(t, 0, 10));
	}
	fd = open("/proc/self/smaps", O_RDONLY);
	n = read(fd, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	for (char *l = strtok(buf, "\n"); l; l = strtok(0, "\n"))
		if (!strncmp(l, "VmFlags", 7) || (l[0] != ' ' && strchr(l, '-') && strchr(l, '-') - l < 17 && l[0] >= '0' && l[0] <= 'f' && l[0] != 'V'))
			printf("  %s\n", l);
	return 0;
}
