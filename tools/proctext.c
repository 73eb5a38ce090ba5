/*
 * proctext.c — see proctext.h.  No allocation, no stdio: the native
 * executor calls these while it runs a script.
 */
#include <string.h>
#include "proctext.h"

/* ---- reading ------------------------------------------------------------------ */

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static unsigned long hex_value(char c)
{
	return (unsigned long)(c <= '9' ? c - '0' : c - 'a' + 10);
}

/* Hex digits at *p (advanced); false when there are none. */
static bool read_hex(const char **p, const char *end, unsigned long *v)
{
	const char *q = *p;

	*v = 0;
	while (q < end && is_hex(*q))
		*v = *v * 16 + hex_value(*q++);
	if (q == *p)
		return false;
	*p = q;
	return true;
}

bool proc_vma_line(const char *line, size_t len, unsigned long *start,
		   unsigned long *end)
{
	const char *p = line, *e = line + len;

	return read_hex(&p, e, start) && p < e && *p++ == '-' &&
	       read_hex(&p, e, end) && p < e && *p == ' ';
}

static size_t line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
}

size_t proc_smaps_entry(const char *text, size_t len, unsigned long addr, size_t *off)
{
	const char *p = text, *end = text + len, *found = NULL;
	unsigned long s, e;

	for (; p < end; p += line_len(p, end)) {
		bool head = proc_vma_line(p, line_len(p, end), &s, &e);

		if (head && found)
			break;               /* the next entry starts */
		if (head && addr >= s && addr < e)
			found = p;
	}
	if (!found)
		return 0;
	*off = (size_t)(found - text);
	return (size_t)(p - found);
}

int proc_field(const char *text, size_t len, const char *name, unsigned long *value)
{
	const char *p = text, *end = text + len;
	size_t n = strlen(name);

	for (; p < end; p += line_len(p, end)) {
		const char *q = p + n;

		if ((size_t)(end - p) <= n || memcmp(p, name, n) || *q != ':')
			continue;
		for (q++; q < end && (*q == ' ' || *q == '\t'); q++)
			;
		if (q == end || *q < '0' || *q > '9')
			return -1;
		for (*value = 0; q < end && *q >= '0' && *q <= '9'; q++)
			*value = *value * 10 + (unsigned long)(*q - '0');
		return 0;
	}
	return -1;
}

int status_parse(const char *text, size_t len, struct status_mem *m)
{
	static const char *const names[] = {
		"VmPeak", "VmSize", "VmLck", "VmPin", "VmHWM", "VmRSS", "RssAnon",
		"RssFile", "RssShmem", "VmData", "VmStk", "VmExe", "VmLib", "VmPTE",
		"VmSwap", "HugetlbPages",
	};
	unsigned long *v[] = {
		&m->peak, &m->size, &m->lck, &m->pin, &m->hwm, &m->rss, &m->anon,
		&m->file, &m->shmem, &m->data, &m->stk, &m->exe, &m->lib, &m->pte,
		&m->swap, &m->hugetlb,
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (proc_field(text, len, names[i], v[i]))
			return -1;
	return 0;
}

/* ---- writing ------------------------------------------------------------------ */

struct sbuf {
	char *buf;
	size_t size, len;
};

static void add(struct sbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, b->len++)
		if (b->len + 1 < b->size)
			b->buf[b->len] = s[i];
}

static void add_str(struct sbuf *b, const char *s)
{
	add(b, s, strlen(s));
}

/* "NAME:\t" then the number right-aligned in 8 columns, then " kB". */
static void add_line(struct sbuf *b, const char *name, long v, const char *tail)
{
	char t[24];
	int n = 0;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

	do
		t[sizeof(t) - 1 - n++] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		t[sizeof(t) - 1 - n++] = '-';
	add_str(b, name);
	add_str(b, ":\t");
	for (int pad = n; pad < 8; pad++)
		add(b, " ", 1);
	add(b, t + sizeof(t) - n, (size_t)n);
	add_str(b, " kB");
	add_str(b, tail);
	add(b, "\n", 1);
}

static long since(unsigned long now, unsigned long base)
{
	return (long)now - (long)base;
}

size_t status_compared(char *buf, size_t size, const struct status_mem *now,
		       const struct status_mem *base, unsigned long peak_floor)
{
	struct sbuf b = { buf, size, 0 };
	const char *const s = " since start";

	add_line(&b, "VmPeak", (long)(now->peak > peak_floor ? now->peak : peak_floor), "");
	add_line(&b, "VmSize", (long)now->size, "");
	add_line(&b, "VmLck", (long)now->lck, "");
	add_line(&b, "VmPin", (long)now->pin, "");
	add_line(&b, "VmRSS", since(now->rss, base->rss), s);
	add_line(&b, "RssAnon", since(now->anon, base->anon), s);
	add_line(&b, "RssFile", since(now->file, base->file), s);
	add_line(&b, "RssShmem", since(now->shmem, base->shmem), s);
	add_line(&b, "VmData", (long)now->data, "");
	add_line(&b, "VmStk", (long)now->stk, "");
	add_line(&b, "VmExe+VmLib", (long)(now->exe + now->lib), "");
	add_line(&b, "VmSwap", (long)now->swap, "");
	add_line(&b, "HugetlbPages", (long)now->hugetlb, "");
	if (size)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return b.len;
}
