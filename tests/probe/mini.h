/*
 * mini.h — a freestanding runtime for probes that must see the address space
 * exactly as execve() leaves it (no libc start-up code, no malloc, no TLS
 * set-up, no brk calls).  Build with: gcc -static -nostdlib -fno-builtin
 * -fno-stack-protector -O1.  All buffers live on the stack, so the binary
 * has no .bss and the break starts right after the last loaded segment.
 */
#ifndef MINI_H
#define MINI_H
#include <asm/unistd.h>
#include <linux/mman.h>

typedef unsigned long ul;
static inline long sc6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall" : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define S6(n, a, b, c, d, e, f) sc6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#define PG 4096UL

void *memset(void *d, int c, unsigned long n)
{
	unsigned char *p = d;
	while (n--) *p++ = (unsigned char)c;
	return d;
}
void *memcpy(void *d, const void *s, unsigned long n)
{
	unsigned char *p = d;
	const unsigned char *q = s;
	while (n--) *p++ = *q++;
	return d;
}
static ul slen(const char *s) { ul n = 0; while (s[n]) n++; return n; }
static void out(const char *s) { S6(__NR_write, 1, s, slen(s), 0, 0, 0); }
static void outn(const char *s, ul n) { S6(__NR_write, 1, s, n, 0, 0, 0); }
static void outx(ul v)
{
	char b[20];
	int i = 19;
	b[i] = 0;
	do { b[--i] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
	b[--i] = 'x'; b[--i] = '0';
	out(b + i);
}
static void outd(long v)
{
	char b[24];
	int i = 23, neg = v < 0;
	ul u = neg ? -(ul)v : (ul)v;
	b[i] = 0;
	do { b[--i] = (char)('0' + u % 10); u /= 10; } while (u);
	if (neg) b[--i] = '-';
	out(b + i);
}
static const char *ename(long e)
{
	switch (e) {
	case 1: return "EPERM"; case 9: return "EBADF"; case 11: return "EAGAIN";
	case 12: return "ENOMEM"; case 13: return "EACCES"; case 14: return "EFAULT";
	case 16: return "EBUSY"; case 17: return "EEXIST"; case 19: return "ENODEV";
	case 22: return "EINVAL"; case 75: return "EOVERFLOW"; case 95: return "EOPNOTSUPP";
	}
	return "E?";
}
static void outr(long r)
{
	if (r < 0 && r > -4096) { out("-"); out(ename(-r)); out(" ("); outd(r); out(")"); }
	else if (r >= 0 && r < 4096) outd(r);
	else outx((ul)r);
}
static void show(const char *label, long r)
{
	out("  "); out(label); out(" -> "); outr(r); out("\n");
}
/* print lines of a /proc file; maps filter [lo,hi) when hi != 0 */
static ul hexparse(const char *s, const char **end)
{
	ul v = 0;
	for (;; s++) {
		int c = *s, d;
		if (c >= '0' && c <= '9') d = c - '0';
		else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
		else break;
		v = v * 16 + (ul)d;
	}
	if (end) *end = s;
	return v;
}
static void dump(const char *path, ul lo, ul hi)
{
	char buf[65536];
	long fd = S6(__NR_open, path, 0, 0, 0, 0, 0), n = 0, r;
	if (fd < 0) { out("  (open failed)\n"); return; }
	while ((r = S6(__NR_read, fd, buf + n, sizeof buf - 1 - n, 0, 0, 0)) > 0) n += r;
	S6(__NR_close, fd, 0, 0, 0, 0, 0);
	buf[n] = 0;
	for (char *l = buf; *l;) {
		char *e = l;
		while (*e && *e != '\n') e++;
		const char *p;
		ul s = hexparse(l, &p), t = (*p == '-') ? hexparse(p + 1, 0) : 0;
		if (!hi || (s < hi && t > lo)) { out("    |"); outn(l, (ul)(e - l)); out("|\n"); }
		l = *e ? e + 1 : e;
	}
}
static void maps(const char *title) { out("  maps "); out(title); out(":\n"); dump("/proc/self/maps", 0, 0); }
static void status_line(const char *key)
{
	char buf[8192];
	long fd = S6(__NR_open, "/proc/self/status", 0, 0, 0, 0, 0), n = 0, r;
	while ((r = S6(__NR_read, fd, buf + n, sizeof buf - 1 - n, 0, 0, 0)) > 0) n += r;
	S6(__NR_close, fd, 0, 0, 0, 0, 0);
	buf[n] = 0;
	ul kl = slen(key);
	for (char *l = buf; *l;) {
		char *e = l;
		while (*e && *e != '\n') e++;
		int m = 1;
		for (ul i = 0; i < kl; i++) if (l[i] != key[i]) { m = 0; break; }
		if (m && l[kl] == ':') { out("    status "); outn(l, (ul)(e - l)); out("\n"); }
		l = *e ? e + 1 : e;
	}
}
int main(int argc, char **argv, char **envp);
__attribute__((used)) static void cstart(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	S6(__NR_exit_group, main(argc, argv, argv + argc + 1), 0, 0, 0, 0, 0);
}
__asm__(".globl _start\n_start:\n mov %rsp, %rdi\n and $-16, %rsp\n call cstart\n hlt\n");
#endif
