/* Q16: the address space exactly as execve() leaves it (static, no libc). */
#include "mini.h"

static void smaps_flags(void)
{
	char buf[65536];
	long fd = S6(__NR_open, "/proc/self/smaps", 0, 0, 0, 0, 0), n = 0, r;
	while ((r = S6(__NR_read, fd, buf + n, sizeof buf - 1 - n, 0, 0, 0)) > 0) n += r;
	S6(__NR_close, fd, 0, 0, 0, 0, 0);
	buf[n] = 0;
	for (char *l = buf; *l;) {
		char *e = l;
		while (*e && *e != '\n') e++;
		int hdr = (l[0] >= '0' && l[0] <= '9') || (l[0] >= 'a' && l[0] <= 'f');
		if (hdr && l[1] != 'n') { out("    "); outn(l, (ul)(l + 33 < e ? 33 : e - l)); }
		if (l[0] == 'V' && l[1] == 'm' && l[2] == 'F') { out("  "); outn(l, (ul)(e - l)); out("\n"); }
		if (l[0] == 'T' && l[1] == 'H' && l[2] == 'P') { out("    "); outn(l, (ul)(e - l)); out("\n"); }
		l = *e ? e + 1 : e;
	}
}

int main(int argc, char **argv, char **envp)
{
	long sp;
	__asm__ volatile("mov %%rsp, %0" : "=r"(sp));
	out("# argc="); outd(argc); out(" argv[0]="); out(argv[0]); out("\n");
	ul envbytes = 0, nenv = 0;
	char **e = envp;
	while (*e) { envbytes += slen(*e) + 1; e++; nenv++; }
	out("# env strings: "); outd((long)nenv); out(", bytes "); outd((long)envbytes); out("\n");
	out("# argv[0] at "); outx((ul)argv[0]); out(", argv array at "); outx((ul)argv); out(", rsp in main ~ "); outx((ul)sp); out("\n");
	ul *aux = (ul *)(e + 1);
	for (; aux[0]; aux += 2) {
		const char *n = 0;
		switch (aux[0]) {
		case 3: n = "AT_PHDR"; break; case 5: n = "AT_PHNUM"; break; case 6: n = "AT_PAGESZ"; break;
		case 7: n = "AT_BASE"; break; case 9: n = "AT_ENTRY"; break; case 25: n = "AT_RANDOM"; break;
		case 31: n = "AT_EXECFN"; break; case 33: n = "AT_SYSINFO_EHDR"; break; case 51: n = "AT_MINSIGSTKSZ"; break;
		}
		if (n) { out("# "); out(n); out(" = "); outx(aux[1]); out("\n"); }
	}
	maps("at entry");
	show("brk(0)", S6(__NR_brk, 0, 0, 0, 0, 0, 0));
	out("  smaps VmFlags:\n");
	smaps_flags();
	out("  status:\n");
	status_line("VmPeak"); status_line("VmSize"); status_line("VmLck"); status_line("VmData");
	status_line("VmStk"); status_line("VmExe"); status_line("VmLib"); status_line("VmPTE");
	if (argc == 1) {
		/* re-exec with a big environment and many args to see the stack vma grow */
		static char big[3][40000];
		for (int i = 0; i < 3; i++) { memset(big[i], 'x', sizeof big[i] - 1); big[i][0] = 'B'; big[i][1] = '='; big[i][sizeof big[i] - 1] = 0; big[i][2] = (char)('0' + i); }
		char *ev[] = {big[0], big[1], big[2], 0};
		char *av[] = {argv[0], "second", 0};
		long pid = S6(__NR_fork, 0, 0, 0, 0, 0, 0);
		if (pid == 0) { S6(__NR_execve, argv[0], av, ev, 0, 0, 0); return 127; }
		S6(__NR_wait4, pid, 0, 0, 0, 0, 0);
		/* and with an empty environment */
		char *ev2[] = {0};
		char *av2[] = {argv[0], "third", 0};
		pid = S6(__NR_fork, 0, 0, 0, 0, 0, 0);
		if (pid == 0) { S6(__NR_execve, argv[0], av2, ev2, 0, 0, 0); return 127; }
		S6(__NR_wait4, pid, 0, 0, 0, 0, 0);
	}
	return 0;
}
