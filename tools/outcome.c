/*
 * outcome.c — the outcome log of tools/outcome.h: write, parse, compare and
 * describe records.
 *
 * Design notes
 *
 *  1. The text form is the contract between tools/native.c (which has its
 *     own allocation-free writer) and `usermm diff`.  outcome_write is the
 *     reference writer; tests/native.test.sh checks that parsing a native
 *     log and writing it back gives the same bytes.
 *  2. Written forms chosen where outcome.h leaves room: a signal's address
 *     is "0x" + hex; a signal or si_code without a name is written as a
 *     decimal number; a zero-length load is "load" alone; a zero-page
 *     mincore vector is no " vec" at all.
 *  3. The parser is strict about records and lenient about blank lines
 *     between them (so the newline after a maps text, or an extra one after
 *     the layout text, is accepted either way).  It never trusts nbytes: a
 *     text running past the end of the log is an error.
 *  4. Every record owns its data: data is malloc'ed with one extra NUL byte,
 *     so a maps text can go to maps_compare as a C string.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "outcome.h"
#include "runner.h"
#include "trace.h"

/* ---- writing ---------------------------------------------------------------- */

static void write_hex(FILE *f, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

static void write_signal(FILE *f, int sig, int code)
{
	const char *s = tr_signal_name(sig), *c = tr_sicode_name(sig, code);

	if (s)
		fputs(s, f);
	else
		fprintf(f, "%d", sig);
	if (c)
		fprintf(f, " %s", c);
	else
		fprintf(f, " %d", code);
}

void outcome_write(FILE *f, const struct outcome *o)
{
	fprintf(f, "L%d ", o->line);
	switch (o->kind) {
	case OC_RET:
		fprintf(f, "ret %ld", o->ret);
		if (o->len) {
			fputs(o->read_data ? " data " : " vec ", f);
			write_hex(f, o->data, o->len);
		}
		break;
	case OC_OK:
		fputs("ok", f);
		break;
	case OC_SIGNAL:
		fputs("signal ", f);
		write_signal(f, o->sig, o->code);
		fprintf(f, " 0x%lx", o->addr);
		break;
	case OC_LOAD:
		fputs(o->len ? "load " : "load", f);
		write_hex(f, o->data, o->len);
		break;
	case OC_FORK:
		fputs("fork", f);
		break;
	case OC_EXIT:
		fprintf(f, "exit %ld", o->ret);
		break;
	case OC_MAPS:
	case OC_SMAPS:
	case OC_STATUS:
		fprintf(f, "%s %zu\n", o->kind == OC_MAPS ? "maps" :
			o->kind == OC_SMAPS ? "smaps" : "status", o->len);
		if (o->len)
			fwrite(o->data, 1, o->len, f);
		break;
	}
	fputc('\n', f);
}

/* ---- the log as an array ------------------------------------------------------ */

static unsigned char *copy_bytes(const void *p, size_t n)
{
	unsigned char *d = malloc(n + 1);

	if (d) {
		if (n)
			memcpy(d, p, n);
		d[n] = '\0';
	}
	return d;
}

int outcome_log_add(struct outcome_log *log, const struct outcome *o)
{
	struct outcome c = *o;

	if (log->n == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 64;
		struct outcome *v = realloc(log->v, cap * sizeof(*v));

		if (!v)
			return -1;
		log->v = v;
		log->cap = cap;
	}
	c.data = NULL;
	c.len = o->data ? o->len : 0;
	if (o->data && !(c.data = copy_bytes(o->data, o->len)))
		return -1;
	log->v[log->n++] = c;
	return 0;
}

void outcome_log_free(struct outcome_log *log)
{
	for (size_t i = 0; i < log->n; i++)
		free(log->v[i].data);
	free(log->v);
	free(log->layout_maps);
	memset(log, 0, sizeof(*log));
}

/* ---- parsing ------------------------------------------------------------------- */

/* A cursor over the log text; lineno counts the log's own lines. */
struct cur {
	const char *p, *end;
	int lineno;
};

static int fail(const struct cur *c, const char *what)
{
	fprintf(stderr, "outcome log line %d: %s\n", c->lineno, what);
	return -1;
}

static int at_eol(const struct cur *c)
{
	return c->p == c->end || *c->p == '\n';
}

static int eat(struct cur *c, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n))
		return -1;
	c->p += n;
	return 0;
}

/* A word up to the next space or end of line. */
static size_t word_len(const struct cur *c)
{
	const char *q = c->p;

	while (q < c->end && *q != ' ' && *q != '\n')
		q++;
	return (size_t)(q - c->p);
}

/* An unsigned number in base (0x allowed in base 16); -1 if none. */
static int num(struct cur *c, int base, unsigned long *v)
{
	char buf[32];
	size_t n = word_len(c);
	char *e;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, c->p, n);
	buf[n] = '\0';
	errno = 0;
	*v = strtoul(buf, &e, base);
	if (*e || errno || buf[0] == '+' || (buf[0] == '-' && base == 16))
		return -1;
	c->p += n;
	return 0;
}

static int snum(struct cur *c, long *v)
{
	unsigned long u;
	int neg = c->p < c->end && *c->p == '-';

	c->p += neg;
	if (num(c, 10, &u) || u > (unsigned long)LONG_MAX + neg)
		return -1;
	*v = neg ? -(long)(u - 1) - 1 : (long)u;
	return 0;
}

/* A signal or si_code: a name (looked up by @name) or a number. */
static int sig_word(struct cur *c, int is_code, int *v)
{
	char buf[40];
	size_t n = word_len(c);
	long l;

	if (n && (c->p[0] == '-' || (c->p[0] >= '0' && c->p[0] <= '9'))) {
		if (snum(c, &l) || l < -0x80000000L || l > 0x7fffffffL)
			return -1;
		*v = (int)l;
		return 0;
	}
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, c->p, n);
	buf[n] = '\0';
	if (is_code ? tr_sicode_value(buf, v) : (*v = tr_signal_value(buf)) < 0)
		return -1;
	c->p += n;
	return 0;
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Two hex digits per byte up to the end of the line, into o->data. */
static int hex_bytes(struct cur *c, struct outcome *o)
{
	size_t n = word_len(c);

	if (n % 2 || !(o->data = malloc(n / 2 + 1)))
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_digit(c->p[2 * i]), lo = hex_digit(c->p[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		o->data[i] = (unsigned char)(hi << 4 | lo);
	}
	o->data[n / 2] = '\0';
	o->len = n / 2;
	c->p += n;
	return 0;
}

/* nbytes of text after the current line's newline, into a new string. */
static int text_block(struct cur *c, unsigned long n, unsigned char **out)
{
	if (c->p == c->end || *c->p != '\n' || (unsigned long)(c->end - c->p - 1) < n)
		return -1;
	c->p++;
	c->lineno++;
	if (!(*out = copy_bytes(c->p, n)))
		return -1;
	for (unsigned long i = 0; i < n; i++)
		c->lineno += c->p[i] == '\n';
	c->p += n;
	return 0;
}

static int parse_ret(struct cur *c, struct outcome *o)
{
	if (eat(c, " ") || snum(c, &o->ret))
		return -1;
	if (at_eol(c))
		return 0;
	if (!eat(c, " data "))
		return o->read_data = 1, hex_bytes(c, o);
	return eat(c, " vec ") || hex_bytes(c, o);
}

static int parse_signal(struct cur *c, struct outcome *o)
{
	if (eat(c, " ") || sig_word(c, 0, &o->sig) || eat(c, " ") ||
	    sig_word(c, 1, &o->code) || eat(c, " "))
		return -1;
	return num(c, 16, &o->addr);
}

static int parse_body(struct cur *c, struct outcome *o)
{
	unsigned long n;

	if (!eat(c, "ret"))
		return o->kind = OC_RET, parse_ret(c, o);
	if (!eat(c, "ok"))
		return o->kind = OC_OK, 0;
	if (!eat(c, "signal"))
		return o->kind = OC_SIGNAL, parse_signal(c, o);
	if (!eat(c, "load"))
		return o->kind = OC_LOAD, at_eol(c) ? 0 : eat(c, " ") || hex_bytes(c, o);
	if (!eat(c, "fork"))
		return o->kind = OC_FORK, 0;
	if (!eat(c, "exit"))
		return o->kind = OC_EXIT, eat(c, " ") || snum(c, &o->ret);
	if (!eat(c, "maps "))
		o->kind = OC_MAPS;
	else if (!eat(c, "smaps "))
		o->kind = OC_SMAPS;
	else if (!eat(c, "status "))
		o->kind = OC_STATUS;
	else
		return -1;
	if (num(c, 10, &n) || text_block(c, n, &o->data))
		return -1;
	o->len = n;
	return 0;
}

static int parse_record(struct cur *c, struct outcome_log *log)
{
	struct outcome o;
	long line;
	int err;

	memset(&o, 0, sizeof(o));
	if (eat(c, "L") || snum(c, &line) || line < 0 || line > 0x7fffffff || eat(c, " "))
		return fail(c, "expected \"L<line> <record>\"");
	o.line = (int)line;
	err = parse_body(c, &o);
	if (!err && !at_eol(c))
		err = -1;
	if (!err)
		err = outcome_log_add(log, &o);
	free(o.data);
	return err ? fail(c, "malformed record") : 0;
}

static int parse_layout(struct cur *c, struct outcome_log *log)
{
	unsigned long n;
	unsigned char *text;

	if (eat(c, "layout ") || num(c, 16, &log->start_brk) || eat(c, " ") ||
	    num(c, 16, &log->brk) || eat(c, " ") || num(c, 10, &n) ||
	    (!at_eol(c) && (eat(c, " ") || num(c, 10, &log->peak_kb))) ||
	    text_block(c, n, &text))
		return fail(c, "malformed layout header");
	log->layout_maps = (char *)text;
	return 0;
}

int outcome_log_parse(const char *text, size_t len, struct outcome_log *log)
{
	struct cur c = { text, text + len, 1 };
	int err = 0;

	memset(log, 0, sizeof(*log));
	if (len >= 7 && !memcmp(text, "layout ", 7))
		err = parse_layout(&c, log);
	while (!err && c.p < c.end) {
		if (*c.p == '\n') {
			c.p++;
			c.lineno++;
			continue;
		}
		err = parse_record(&c, log);
	}
	if (err)
		outcome_log_free(log);
	return err;
}

/* ---- comparing and describing ------------------------------------------------- */

static int same_bytes(const struct outcome *a, const struct outcome *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->data, b->data, a->len));
}

/* The next line of @t (up to and without its newline); NULL at the end. */
static const char *next_line(const char **t, size_t *len)
{
	const char *s = *t, *nl;

	if (!*s)
		return NULL;
	nl = strchr(s, '\n');
	*len = nl ? (size_t)(nl - s) : strlen(s);
	*t = nl ? nl + 1 : s + *len;
	return s;
}

/* The figures, line by line, exactly.  (LazyFree and Referenced after
 * MADV_FREE or MADV_COLD depend on when the kernel's per-CPU LRU batches
 * drain; usermm-native drains them before it reads smaps, design note 9 of
 * tools/native.c, so they are the same every run.) */
static int figures_equal(const char *a, const char *b)
{
	const char *la, *lb;
	size_t na = 0, nb = 0;

	for (;;) {
		la = next_line(&a, &na);
		lb = next_line(&b, &nb);
		if (!la || !lb)
			return !la && !lb;
		if (na != nb || memcmp(la, lb, na))
			return 0;
	}
}

/* The heading maps lines by maps_compare's rule, the figures exactly. */
static int smaps_equal(const struct outcome *a, const struct outcome *b)
{
	const char *at = a->data ? (const char *)a->data : "";
	const char *bt = b->data ? (const char *)b->data : "";
	const char *an = strchr(at, '\n'), *bn = strchr(bt, '\n');
	size_t ah = an ? (size_t)(an - at) : strlen(at), bh = bn ? (size_t)(bn - bt) : strlen(bt);
	char *ahead = strndup(at, ah), *bhead = strndup(bt, bh);
	int same = ahead && bhead && maps_compare(ahead, bhead, true) == 0 &&
		   figures_equal(at + ah, bt + bh);

	free(ahead);
	free(bhead);
	return same;
}

int outcome_equal(const struct outcome *a, const struct outcome *b)
{
	if (a->line != b->line || a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case OC_RET:
		return a->ret == b->ret && a->read_data == b->read_data && same_bytes(a, b);
	case OC_SIGNAL:
		return a->sig == b->sig && a->code == b->code && a->addr == b->addr;
	case OC_LOAD:
		return same_bytes(a, b);
	case OC_EXIT:
		return a->ret == b->ret;
	case OC_MAPS:
		return maps_compare(a->data ? (const char *)a->data : "",
				    b->data ? (const char *)b->data : "", true) == 0;
	case OC_SMAPS:
		return smaps_equal(a, b);
	case OC_STATUS:
		return same_bytes(a, b);
	case OC_OK:
	case OC_FORK:
		return 1;
	}
	return 0;
}

/* Appends like snprintf into buf[size] at *len. */
__attribute__((format(printf, 4, 5)))
static void add(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n;
}

static void describe_ret(const struct outcome *o, char *buf, size_t size, size_t *len)
{
	const char *e = o->ret < 0 && o->ret >= -4095 ? tr_errno_name((int)-o->ret) : NULL;

	if (e)
		add(buf, size, len, "ret -1 %s (%s)", e, tr_errno_text((int)-o->ret));
	else if (o->ret >= 0 && o->ret < 0x10000)
		add(buf, size, len, "ret %ld", o->ret);
	else
		add(buf, size, len, "ret %#lx", (unsigned long)o->ret);
	if (o->len)
		add(buf, size, len, o->read_data ? ", read" : ", vec");
}

/* Bytes as hex pairs (the first 32), then (quote) as a quoted string. */
static void describe_bytes(const struct outcome *o, int quote, char *buf, size_t size,
			   size_t *len)
{
	char q[160];

	for (size_t i = 0; i < o->len && i < 32; i++)
		add(buf, size, len, " %02x", o->data[i]);
	if (o->len > 32)
		add(buf, size, len, " ... (%zu bytes)", o->len);
	if (!quote)
		return;
	tr_quote(q, sizeof(q), (const char *)o->data, o->len < 32 ? o->len : 32);
	add(buf, size, len, "  %s", q);
}

void outcome_describe(const struct outcome *o, char *buf, size_t size)
{
	const char *s = tr_signal_name(o->sig), *c = tr_sicode_name(o->sig, o->code);
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	switch (o->kind) {
	case OC_RET:
		describe_ret(o, buf, size, &len);
		if (o->len)
			describe_bytes(o, o->read_data, buf, size, &len);
		break;
	case OC_OK:
		add(buf, size, &len, "ok (the store completed)");
		break;
	case OC_SIGNAL:
		add(buf, size, &len, "%s %s at 0x%lx", s ? s : "signal?", c ? c : "si_code?",
		    o->addr);
		if (!s || !c)
			add(buf, size, &len, " (signal %d, si_code %d)", o->sig, o->code);
		break;
	case OC_LOAD:
		add(buf, size, &len, o->len ? "load" : "load (nothing)");
		if (o->len)
			describe_bytes(o, 1, buf, size, &len);
		break;
	case OC_FORK:
		add(buf, size, &len, "fork");
		break;
	case OC_EXIT:
		add(buf, size, &len, "exit %ld", o->ret);
		break;
	case OC_MAPS:
		add(buf, size, &len, "maps (%zu bytes)", o->len);
		break;
	case OC_SMAPS:
		add(buf, size, &len, o->len ? "smaps (%zu bytes)" : "smaps (no VMA there)",
		    o->len);
		break;
	case OC_STATUS:
		add(buf, size, &len, "status (%zu bytes)", o->len);
		break;
	}
}
