/*
 * trace.c — the parser of the trace language, one line at a time, and the
 * join of an <unfinished ...> call with its <... resumed> half.
 *
 * Design notes
 *
 * What this file owns: turning the text of one line into a struct tr_line.
 * Names and numbers (flags, errno, signals) and the printer live in
 * symbols.c; what a line means (running it, checking results, gathering
 * maps text) belongs to the caller.
 *
 * A line is read in this order (parse_line):
 *
 *     blank / "# ..."                               -> TR_NOTHING
 *     prefix: "[pid N] " | "N "   then "$proc "   then timestamp, "[ip] "
 *     "start-end perms ..."                         -> TR_MAPS
 *     "--- SIG... ---"                              -> TR_SIGNAL
 *     "+++ exited with N +++" | "+++ killed by ..."  -> TR_EXIT
 *     "<... NAME resumed>REST"                      -> TR_RESUMED
 *     ")...", ",...", "=>...", "<unfinished ...>"   -> TR_FRAGMENT
 *     "strace: ...", "Process N attached", ...      -> TR_NOISE
 *     "NAME(ARGS <unfinished ...>"                  -> TR_UNFINISHED
 *     "NAME(ARGS)[ = RESULT][ trailer][ # comment]" -> TR_CALL
 *     a call line that fails but holds "strace: "   -> TR_NOISE, part set
 *
 * FRAGMENT and the salvaged NOISE come from strace run without -o: its
 * "strace: Process N attached" message lands in the middle of another
 * line, which goes on (a FRAGMENT) on the next one; tr_join puts the
 * halves back together, as it does an unfinished call and its resumption.
 *
 * Invariants:
 *   1. The working copy of the line is NUL-terminated and holds no other NUL
 *      (lines with a NUL byte are rejected), so s[i] is readable for every
 *      i <= n and the cursor never passes n.
 *   2. Text is scanned in "atoms" (atom_at): a quoted string, a C comment,
 *      a -y decoration like 3</tmp/f>, or one character.  Brackets count
 *      only in character atoms, so a ',' or ')' inside a string, comment or
 *      path never splits an argument.  Every scan has an explicit end.
 *   3. Every string of a parsed line lives in the line's pool (a list of
 *      blocks); the argument array is one heap block.  tr_line_free frees
 *      both, so an error at any point leaks nothing: parse_line's caller
 *      frees and clears the half-built line.
 *   4. Arguments that are not a number, flag expression, NULL, string or
 *      $variable are kept as TR_ARG_RAW (strace prints many such things);
 *      only structural faults are errors: unbalanced brackets, unterminated
 *      strings or comments, bad escapes, numbers beyond 64 bits, unknown
 *      errno / signal names in a result, text after the call.
 */
#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the pool ------------------------------------------------------------ */

struct chunk {
	struct chunk *next;
	size_t size, used;
	char data[];
};

static char *pool_alloc(void **pool, size_t n)
{
	struct chunk *c = *pool;
	size_t sz;

	if (n > ((size_t)-1) / 4)
		return NULL;
	if (!c || c->size - c->used < n) {
		sz = n > 4000 ? n : 4000;
		c = malloc(sizeof(*c) + sz);
		if (!c)
			return NULL;
		c->next = *pool;
		c->size = sz;
		c->used = 0;
		*pool = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

static void pool_free(void **pool)
{
	struct chunk *c = *pool, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	*pool = NULL;
}

/* ---- parser state and small helpers -------------------------------------- */

struct ps {
	const char *s;       /* the line, NUL-terminated (invariant 1) */
	size_t n;            /* its length */
	size_t i;            /* cursor */
	struct tr_line *out;
	char *err;
	size_t errlen;
	int cap;             /* capacity of out->args */
};

__attribute__((format(printf, 2, 3)))
static int fail(struct ps *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err && p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static char *dup_n(struct ps *p, const char *s, size_t n)
{
	char *d = pool_alloc(&p->out->pool_, n + 1);

	if (!d) {
		fail(p, "out of memory");
		return NULL;
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int is_xdigit(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_ident0(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_ident(char c) { return is_ident0(c) || is_digit(c); }

static int xval(char c)
{
	return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

static void skip_ws(struct ps *p)
{
	while (is_space(p->s[p->i]))
		p->i++;
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Length of the identifier at s (0 if none). */
static size_t ident_len(const char *s)
{
	size_t n = 0;

	if (!is_ident0(s[0]))
		return 0;
	while (is_ident(s[n]))
		n++;
	return n;
}

/* ---- numbers --------------------------------------------------------------- */

/* Unsigned number at s: 0x hex, 0 octal, or decimal.  Returns 0 and *used,
 * -1 if s holds no number, -2 if it does not fit in 64 bits.  Does not look
 * at what follows. */
static int scan_uint(const char *s, size_t *used, unsigned long *v)
{
	unsigned base = 10;
	size_t i = 0, start;
	unsigned long acc = 0;

	if (!is_digit(s[0]))
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && is_xdigit(s[2])) {
		base = 16;
		i = 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	start = i;
	for (; is_xdigit(s[i]) && (unsigned)xval(s[i]) < base; i++) {
		unsigned d = (unsigned)xval(s[i]);

		if (acc > (~0UL - d) / base)
			return -2;
		acc = acc * base + d;
	}
	if (i == start)
		return -1;
	*used = i;
	*v = acc;
	return 0;
}

/* [-]number not followed by an identifier character. */
static int scan_int(const char *s, size_t *used, unsigned long *v)
{
	size_t neg = s[0] == '-', n;
	int r = scan_uint(s + neg, &n, v);

	if (r)
		return r;
	if (is_ident(s[neg + n]))
		return -1;
	if (neg)
		*v = 0UL - *v;
	*used = neg + n;
	return 0;
}

/* A -y decoration "<...>" at s (s[0] == '<'): its length, or 0. */
static size_t decoration_len(const char *s, size_t max)
{
	size_t j;
	int depth = 0;

	if (max < 2 || s[0] != '<' || s[1] == '<')
		return 0;
	for (j = 1; j < max && s[j]; j++) {
		if (s[j] == '[')
			depth++;
		else if (s[j] == ']' && depth)
			depth--;
		else if (s[j] == '>' && depth == 0)
			return j + 1;
	}
	return 0;
}

/* ---- atoms and balanced scanning (invariant 2) ---------------------------- */

enum atom { AT_CHAR, AT_STRING, AT_COMMENT, AT_DECOR };

static int atom_at(struct ps *p, size_t i, size_t end, size_t *next,
		   enum atom *kind)
{
	const char *s = p->s;
	size_t j, d;

	*kind = AT_CHAR;
	*next = i + 1;
	if (s[i] == '"') {
		for (j = i + 1; j < end; j++) {
			if (s[j] == '\\') {
				j++;
			} else if (s[j] == '"') {
				*kind = AT_STRING;
				*next = j + 1;
				return 0;
			}
		}
		return fail(p, "unterminated string");
	}
	if (s[i] == '/' && i + 1 < end && s[i + 1] == '*') {
		for (j = i + 2; j + 1 < end; j++) {
			if (s[j] == '*' && s[j + 1] == '/') {
				*kind = AT_COMMENT;
				*next = j + 2;
				return 0;
			}
		}
		return fail(p, "unterminated comment");
	}
	if (s[i] == '<' && i > 0 && is_ident(s[i - 1])) {
		d = decoration_len(s + i, end - i);
		if (d) {
			*kind = AT_DECOR;
			*next = i + d;
		}
	}
	return 0;
}

static char closer_of(char c)
{
	return c == '(' ? ')' : c == '[' ? ']' : '}';
}

/* Scan [i, end) for the first character of stops outside brackets,
 * strings and comments; *at = its position, or end. */
static int scan_until(struct ps *p, size_t i, size_t end, const char *stops,
		      size_t *at)
{
	char stack[64];
	int depth = 0;
	size_t next;
	enum atom kind;
	char c;

	for (; i < end; i = next) {
		if (atom_at(p, i, end, &next, &kind))
			return -1;
		if (kind != AT_CHAR)
			continue;
		c = p->s[i];
		if (depth == 0 && strchr(stops, c)) {
			*at = i;
			return 0;
		}
		if (c == '(' || c == '[' || c == '{') {
			if (depth == (int)sizeof(stack))
				return fail(p, "brackets nested too deep");
			stack[depth++] = closer_of(c);
		} else if (c == ')' || c == ']' || c == '}') {
			if (depth == 0 || stack[depth - 1] != c)
				return fail(p, "unbalanced '%c'", c);
			depth--;
		}
	}
	if (depth)
		return fail(p, "missing '%c'", stack[depth - 1]);
	*at = end;
	return 0;
}

/* Copy [a, b) without comments, trimmed, into the pool. */
static char *clean_copy(struct ps *p, size_t a, size_t b)
{
	char *d = pool_alloc(&p->out->pool_, b - a + 1);
	size_t i, next, n = 0;
	enum atom kind;

	if (!d) {
		fail(p, "out of memory");
		return NULL;
	}
	for (i = a; i < b; i = next) {
		if (atom_at(p, i, b, &next, &kind))
			return NULL;
		if (kind == AT_COMMENT)
			continue;
		memcpy(d + n, p->s + i, next - i);
		n += next - i;
	}
	while (n && is_space(d[n - 1]))
		n--;
	d[n] = '\0';
	for (i = 0; is_space(d[i]); i++)
		;
	return d + i;
}

/* ---- strings -------------------------------------------------------------- */

static int decode_escape(struct ps *p, const char *s, size_t *used, char *out)
{
	static const char from[] = "ntrvfab\\\"'?e";
	static const char to[] = "\n\t\r\v\f\a\b\\\"'?\033";
	const char *f = s[0] ? strchr(from, s[0]) : NULL;
	unsigned v = 0;
	size_t n = 0;

	if (s[0] == '\0')
		return fail(p, "unterminated string");
	if (f) {
		*out = to[f - from];
		*used = 1;
		return 0;
	}
	if (s[0] == 'x') {
		for (n = 1; n < 3 && is_xdigit(s[n]); n++)
			v = v * 16 + (unsigned)xval(s[n]);
		if (n == 1)
			return fail(p, "bad escape '\\x' without hex digits");
	} else if (s[0] >= '0' && s[0] <= '7') {
		for (; n < 3 && s[n] >= '0' && s[n] <= '7'; n++)
			v = v * 8 + (unsigned)(s[n] - '0');
		if (v > 0377)
			return fail(p, "octal escape '\\%.3s' above \\377", s);
	} else {
		return fail(p, "bad escape '\\%c'", s[0] ? s[0] : ' ');
	}
	*out = (char)v;
	*used = n;
	return 0;
}

/* Decode the quoted string at s (s[0] == '"') and an optional "..." after
 * it.  Sets *str (pool, NUL-terminated), *len, *trunc, *used. */
static int decode_string(struct ps *p, const char *s, char **str, size_t *len,
			 int *trunc, size_t *used)
{
	char *d = pool_alloc(&p->out->pool_, strlen(s) + 1);
	size_t i = 1, n = 0, k = 0;

	if (!d)
		return fail(p, "out of memory");
	while (s[i] != '"') {
		if (s[i] == '\0')
			return fail(p, "unterminated string");
		if (s[i] == '\\') {
			if (decode_escape(p, s + i + 1, &k, d + n))
				return -1;
			i += 1 + k;
			n++;
		} else {
			d[n++] = s[i++];
		}
	}
	d[n] = '\0';
	i++;
	*trunc = starts(s + i, "...");
	*used = i + (*trunc ? 3 : 0);
	*str = d;
	*len = n;
	return 0;
}

/* ---- argument values ------------------------------------------------------- */

/* One term of a flag expression: [-]NUMBER, NAME, NUMBER<<NAME or
 * NUMBER<<NUMBER, each maybe followed by a -y decoration.  0, -1 (not an
 * expression: the argument is raw), -2 (number too big). */
static int expr_term(const char *t, size_t *i, unsigned long *v)
{
	size_t n, sh_n;
	unsigned long sh;
	int r;

	if ((n = ident_len(t + *i)) != 0) {
		if (tr_name_value(t + *i, n, v))
			return -1;
	} else if ((r = scan_int(t + *i, &n, v)) != 0) {
		return r;
	}
	*i += n;
	while (is_space(t[*i]))
		(*i)++;
	if (t[*i] == '<' && t[*i + 1] == '<') {
		*i += 2;
		while (is_space(t[*i]))
			(*i)++;
		if ((sh_n = ident_len(t + *i)) != 0) {
			if (tr_name_value(t + *i, sh_n, &sh))
				return -1;
		} else if ((r = scan_int(t + *i, &sh_n, &sh)) != 0) {
			return r;
		}
		if (sh >= 64 || (sh && (*v >> (64 - sh))))
			return -2;
		*v <<= sh;
		*i += sh_n;
	}
	*i += decoration_len(t + *i, (size_t)-1);
	return 0;
}

static int parse_expr(const char *t, unsigned long *out)
{
	size_t i = 0;
	unsigned long acc = 0, v;
	int r;

	for (;;) {
		while (is_space(t[i]))
			i++;
		if ((r = expr_term(t, &i, &v)) != 0)
			return r;
		acc |= v;
		while (is_space(t[i]))
			i++;
		if (t[i] == '\0')
			break;
		if (t[i] != '|')
			return -1;
		i++;
	}
	*out = acc;
	return 0;
}

/* $name, $name+OFF, $name-OFF (spaces allowed around the sign). */
static int parse_var(struct ps *p, const char *t, struct tr_arg *a)
{
	size_t n = ident_len(t + 1), i, k;
	unsigned long off = 0;
	int neg, r;

	if (n == 0)
		return fail(p, "bad variable reference '%.40s'", t);
	a->kind = TR_ARG_VAR;
	if (!(a->name = dup_n(p, t + 1, n)))
		return -1;
	for (i = 1 + n; is_space(t[i]); i++)
		;
	if (t[i] == '\0')
		goto done;
	if (t[i] != '+' && t[i] != '-')
		return fail(p, "bad variable reference '%.40s'", t);
	neg = t[i] == '-';
	for (i++; is_space(t[i]); i++)
		;
	r = scan_uint(t + i, &k, &off);
	if (r == -2)
		return fail(p, "number out of range in '%.40s'", t);
	if (r || t[i + k] != '\0')
		return fail(p, "bad variable offset in '%.40s'", t);
	if (neg)
		off = 0UL - off;
done:
	a->value = off;
	return 0;
}

static int parse_value(struct ps *p, char *t, struct tr_arg *a)
{
	size_t used;
	int r;

	a->text = t;
	if (t[0] == '\0')
		return fail(p, "empty argument");
	if (strcmp(t, "NULL") == 0) {
		a->kind = TR_ARG_NULL;
		return 0;
	}
	if (t[0] == '$')
		return parse_var(p, t, a);
	if (t[0] == '"') {
		if (decode_string(p, t, &a->str, &a->len, &a->truncated, &used))
			return -1;
		if (t[used] != '\0') {   /* "abc" followed by more: raw */
			a->kind = TR_ARG_RAW;
			a->str = NULL;
			a->len = 0;
			a->truncated = 0;
			return 0;
		}
		a->kind = TR_ARG_STR;
		return 0;
	}
	r = parse_expr(t, &a->value);
	if (r == -2)
		return fail(p, "number out of range in '%.40s'", t);
	a->kind = r == 0 ? TR_ARG_INT : TR_ARG_RAW;
	return 0;
}

/* ---- argument lists ---------------------------------------------------------- */

static struct tr_arg *new_arg(struct ps *p)
{
	struct tr_line *o = p->out;
	struct tr_arg *na;

	if (o->nargs == p->cap) {
		if (p->cap > 1 << 24) {
			fail(p, "too many arguments");
			return NULL;
		}
		p->cap = p->cap ? p->cap * 2 : 8;
		na = realloc(o->args, (size_t)p->cap * sizeof(*na));
		if (!na) {
			fail(p, "out of memory");
			return NULL;
		}
		o->args = na;
	}
	na = &o->args[o->nargs++];
	memset(na, 0, sizeof(*na));
	return na;
}

static int add_arg(struct ps *p, size_t a, size_t b)
{
	struct tr_arg *arg = new_arg(p);
	char *t;

	if (!arg || !(t = clean_copy(p, a, b)))
		return -1;
	return parse_value(p, t, arg);
}

static int span_blank(struct ps *p, size_t a, size_t b)
{
	for (; a < b; a++)
		if (!is_space(p->s[a]))
			return 0;
	return 1;
}

/* ARGS from p->i up to end.  closed: the list ends at its ')' (required),
 * which is consumed.  open (unfinished): it ends at end, and a trailing
 * empty argument ("wait4(12, <unfinished ...>") is allowed. */
static int parse_args(struct ps *p, size_t end, int closed)
{
	size_t at;

	skip_ws(p);
	if (closed && p->s[p->i] == ')') {
		p->i++;
		return 0;
	}
	for (;;) {
		size_t a = p->i;

		if (scan_until(p, a, end, ",)", &at))
			return -1;
		if (at == end) {
			if (closed)
				return fail(p, "missing ')'");
			p->i = end;
			return span_blank(p, a, end) ? 0 : add_arg(p, a, end);
		}
		if (!closed && p->s[at] == ')')
			return fail(p, "')' before <unfinished ...>");
		if (add_arg(p, p->i, at))
			return -1;
		p->i = at + 1;
		if (p->s[at] == ')')
			return 0;
	}
}

/* ---- results and what may follow a call ----------------------------------- */

static int parse_errno_after(struct ps *p, struct tr_result *r)
{
	size_t n;
	char *name;

	skip_ws(p);
	if (!strncmp(p->s + p->i, "(errno ", 7)) {
		/* strace: "-1 (errno 2997)" for an error it cannot name */
		unsigned long v;
		size_t m;

		if (scan_int(p->s + p->i + 7, &m, &v) || v == 0 || v > 4095 ||
		    p->s[p->i + 7 + m] != ')')
			return fail(p, "bad errno '%.20s'", p->s + p->i);
		r->err = (int)v;
		p->i += 7 + m + 1;
		return 0;
	}
	n = ident_len(p->s + p->i);
	if (n == 0)
		return 0;
	if (!(name = dup_n(p, p->s + p->i, n)))
		return -1;
	r->err = tr_errno_value(name);
	if (r->err < 0)
		return fail(p, "unknown errno name '%s'", name);
	p->i += n;
	return 0;
}

/* "= SIGSEGV 4": an si_code without a name. */
static int parse_sicode_number(struct ps *p, struct tr_result *r)
{
	size_t n;
	unsigned long v;

	if (scan_int(p->s + p->i, &n, &v) || (long)v < -0x80000000L ||
	    (long)v > 0x7fffffffL)
		return fail(p, "bad si_code '%.20s'", p->s + p->i);
	r->si_code = (int)(long)v;
	r->has_code = 1;
	p->i += n;
	return 0;
}

static int parse_signal_result(struct ps *p, struct tr_result *r, size_t n)
{
	char *name = dup_n(p, p->s + p->i, n);

	if (!name)
		return -1;
	r->kind = TR_RES_SIGNAL;
	r->sig = tr_signal_value(name);
	if (r->sig < 0)
		return fail(p, "unknown signal '%s'", name);
	p->i += n;
	skip_ws(p);
	if (p->s[p->i] == '-' || is_digit(p->s[p->i]))
		return parse_sicode_number(p, r);
	n = ident_len(p->s + p->i);
	if (n == 0)
		return 0;
	if (!(name = dup_n(p, p->s + p->i, n)))
		return -1;
	if (tr_sicode_value(name, &r->si_code))
		return fail(p, "unknown si_code '%s'", name);
	r->has_code = 1;
	p->i += n;
	return 0;
}

static int parse_number_result(struct ps *p, struct tr_result *r)
{
	size_t n;
	int rc = scan_int(p->s + p->i, &n, &r->value);

	if (rc == -2)
		return fail(p, "number out of range in result");
	if (rc)
		return fail(p, "bad result '%.40s'", p->s + p->i);
	r->kind = TR_RES_VALUE;
	p->i += n;
	p->i += decoration_len(p->s + p->i, p->n - p->i);
	if (r->value == ~0UL) {
		if (parse_errno_after(p, r))
			return -1;
		if (r->err)
			r->kind = TR_RES_ERRNO;
	}
	return 0;
}

static int parse_result(struct ps *p, struct tr_result *r)
{
	const char *s;
	size_t n;

	skip_ws(p);
	s = p->s + p->i;
	if (s[0] == '?') {
		r->kind = TR_RES_UNKNOWN;
		p->i++;
		return parse_errno_after(p, r);
	}
	if (s[0] == '$') {
		if ((n = ident_len(s + 1)) == 0)
			return fail(p, "bad variable after '='");
		r->kind = TR_RES_BIND;
		p->i += 1 + n;
		return (r->name = dup_n(p, s + 1, n)) ? 0 : -1;
	}
	if (s[0] == '"') {
		r->kind = TR_RES_STRING;
		if (decode_string(p, s, &r->str, &r->len, &r->truncated, &n))
			return -1;
		p->i += n;
		return 0;
	}
	if ((n = ident_len(s)) != 0) {
		if (starts(s, "SIG"))
			return parse_signal_result(p, r, n);
		return fail(p, "bad result '%.40s'", s);
	}
	if (s[0] == '-' || is_digit(s[0]))
		return parse_number_result(p, r);
	return fail(p, s[0] ? "bad result '%.40s'" : "missing result after '='",
		    s);
}

/* After the call: timing <0.000012>, (errno text), (flags ...), # comment. */
static int parse_trailer(struct ps *p)
{
	size_t at, d;

	for (;;) {
		skip_ws(p);
		switch (p->s[p->i]) {
		case '\0':
		case '#':
			return 0;
		case '<':
			d = decoration_len(p->s + p->i, p->n - p->i);
			if (!d)
				return fail(p, "unterminated '<'");
			p->i += d;
			break;
		case '(':
			if (scan_until(p, p->i + 1, p->n, ")", &at))
				return -1;
			if (at == p->n)
				return fail(p, "missing ')'");
			p->i = at + 1;
			break;
		default:
			return fail(p, "unexpected text after the call: '%.40s'",
				    p->s + p->i);
		}
	}
}

static int parse_tail(struct ps *p)
{
	skip_ws(p);
	if (p->s[p->i] == '=') {
		p->i++;
		if (parse_result(p, &p->out->res))
			return -1;
	}
	return parse_trailer(p);
}

/* ---- line kinds ------------------------------------------------------------- */

/* "NAME(" at the cursor: sets out->name, leaves the cursor after '('. */
static int parse_name_paren(struct ps *p)
{
	size_t n = ident_len(p->s + p->i);

	if (n == 0)
		return fail(p, "expected CALL(ARGS), got '%.40s'", p->s + p->i);
	if (!(p->out->name = dup_n(p, p->s + p->i, n)))
		return -1;
	p->i += n;
	skip_ws(p);
	if (p->s[p->i] != '(')
		return fail(p, "expected '(' after '%s'", p->out->name);
	p->i++;
	return 0;
}

/* Whether an "<unfinished ...>" or "<detached ...>" marker ends the line;
 * *at = where it starts. */
static int unfinished_at(struct ps *p, size_t *at)
{
	static const char *const mark[] = { "<unfinished ...>", "<detached ...>" };
	size_t e = p->n, k, m;

	while (e > p->i && is_space(p->s[e - 1]))
		e--;
	for (k = 0; k < 2; k++) {
		m = strlen(mark[k]);
		if (e - p->i >= m && memcmp(p->s + e - m, mark[k], m) == 0) {
			*at = e - m;
			return 1;
		}
	}
	return 0;
}

static int parse_call(struct ps *p)
{
	size_t start = p->i, mark = 0, e;
	int unfinished = unfinished_at(p, &mark);

	if (parse_name_paren(p))
		return -1;
	if (!unfinished) {
		p->out->kind = TR_CALL;
		return parse_args(p, p->n, 1) || parse_tail(p);
	}
	if (mark < p->i)
		return fail(p, "malformed <unfinished ...> line");
	p->out->kind = TR_UNFINISHED;
	for (e = mark; e > start && is_space(p->s[e - 1]); e--)
		;
	if (!(p->out->part = dup_n(p, p->s + start, e - start)))
		return -1;
	return parse_args(p, mark, 0);
}

static int parse_resumed(struct ps *p)
{
	size_t n;

	p->i += 4;
	skip_ws(p);
	n = ident_len(p->s + p->i);
	if (n == 0 || !starts(p->s + p->i + n, " resumed>"))
		return fail(p, "malformed '<... resumed>' line");
	p->out->kind = TR_RESUMED;
	if (!(p->out->name = dup_n(p, p->s + p->i, n)))
		return -1;
	p->i += n + 9;
	if (!(p->out->part = dup_n(p, p->s + p->i, p->n - p->i)))
		return -1;
	skip_ws(p);
	if (starts(p->s + p->i, "<unfinished ...>"))
		p->i += 16;
	skip_ws(p);
	if (p->s[p->i] == ',')
		p->i++;
	return parse_args(p, p->n, 1) || parse_tail(p);
}

/* si_code=NAME|NUMBER and si_addr=NUMBER inside "{...}" of a signal line. */
static int parse_sig_field(struct ps *p, const char *f)
{
	struct tr_line *o = p->out;
	unsigned long v;

	if (starts(f, "si_code=")) {
		f += 8;
		if (tr_sicode_value(f, &o->signal.code) == 0) {
			o->signal.has_code = 1;
		} else if (parse_expr(f, &v) == 0) {
			o->signal.code = (int)v;
			o->signal.has_code = 1;
		}
	} else if (starts(f, "si_addr=")) {
		f += 8;
		if (strcmp(f, "NULL") == 0 || parse_expr(f, &v) == 0) {
			o->signal.addr = strcmp(f, "NULL") == 0 ? 0 : v;
			o->signal.has_addr = 1;
		}
	}
	return 0;
}

static int parse_sig_fields(struct ps *p, size_t a, size_t b)
{
	size_t at;
	char *f;

	while (a < b) {
		if (scan_until(p, a, b, ",", &at))
			return -1;
		if (!(f = clean_copy(p, a, at)) || parse_sig_field(p, f))
			return -1;
		a = at + 1;
	}
	return 0;
}

static int parse_signal_line(struct ps *p)
{
	struct tr_line *o = p->out;
	size_t n, at;
	char *name;

	o->kind = TR_SIGNAL;
	p->i += 4;
	skip_ws(p);
	if (starts(p->s + p->i, "stopped by "))
		p->i += 11;
	n = ident_len(p->s + p->i);
	if (!(name = dup_n(p, p->s + p->i, n)))
		return -1;
	o->signal.sig = tr_signal_value(name) > 0 ? tr_signal_value(name) : 0;
	p->i += n;
	skip_ws(p);
	if (p->s[p->i] == '{') {
		if (scan_until(p, p->i + 1, p->n, "}", &at))
			return -1;
		if (at == p->n)
			return fail(p, "missing '}' in signal line");
		if (parse_sig_fields(p, p->i + 1, at))
			return -1;
		p->i = at + 1;
		skip_ws(p);
	}
	if (!starts(p->s + p->i, "---"))
		return fail(p, "malformed signal line");
	p->i += 3;
	skip_ws(p);
	return p->s[p->i] ? fail(p, "text after signal line") : 0;
}

static int parse_exit_line(struct ps *p)
{
	struct tr_line *o = p->out;
	const char *s = p->s + p->i + 4;
	size_t n, e = p->n;
	unsigned long v;
	char *name;

	while (e > p->i && is_space(p->s[e - 1]))
		e--;
	if (e - p->i < 7 || memcmp(p->s + e - 3, "+++", 3) != 0)
		return fail(p, "malformed '+++' line");
	o->kind = TR_EXIT;
	if (starts(s, "exited with ") && scan_int(s + 12, &n, &v) == 0) {
		o->exit.status = (int)v;
		return 0;
	}
	if (starts(s, "killed by ")) {
		n = ident_len(s + 10);
		if (!(name = dup_n(p, s + 10, n)))
			return -1;
		o->exit.sig = tr_signal_value(name) > 0 ? tr_signal_value(name) : 0;
		o->exit.core = strstr(s, "(core dumped)") != NULL;
		return 0;
	}
	o->kind = TR_NOISE;      /* "+++ superseded by execve in pid N +++" */
	return 0;
}

/* "Process N attached" / "detached", with or without "strace: ". */
static void note_process(struct tr_line *o, const char *s)
{
	size_t n;
	unsigned long v;

	if (starts(s, "strace: "))
		s += 8;
	if (!starts(s, "Process ") || scan_int(s + 8, &n, &v))
		return;
	if (starts(s + 8 + n, " attached"))
		o->attached = 1;
	else if (starts(s + 8 + n, " detached"))
		o->attached = 0;
	else
		return;
	o->pid = (long)v;
}

/* What follows a line cut by a "strace: " message. */
static int is_fragment(const char *s)
{
	return s[0] == ')' || s[0] == ',' || starts(s, "=>") ||
	       starts(s, "<unfinished ...>");
}

static int is_noise(const char *s)
{
	return starts(s, "strace: ") || starts(s, "Process ") ||
	       starts(s, "[ Process ") || starts(s, "> ");
}

/* "start-end perms ..." as in /proc/PID/maps. */
static int is_maps_line(const char *s)
{
	size_t i = 0;

	if (!is_xdigit(s[0]))
		return 0;
	while (is_xdigit(s[i]))
		i++;
	if (s[i++] != '-' || !is_xdigit(s[i]))
		return 0;
	while (is_xdigit(s[i]))
		i++;
	if (!is_space(s[i]))
		return 0;
	while (is_space(s[i]))
		i++;
	return strchr("r-", s[i]) && s[i] && strchr("w-", s[i + 1]) && s[i + 1] &&
	       strchr("x-", s[i + 2]) && s[i + 2] && strchr("ps", s[i + 3]) &&
	       s[i + 3] && (is_space(s[i + 4]) || s[i + 4] == '\0');
}

/* ---- prefixes ------------------------------------------------------------- */

static int parse_pid(struct ps *p)
{
	const char *s = p->s + p->i;
	size_t n = 0, k = 0;
	unsigned long v;

	if (starts(s, "[pid")) {
		for (k = 4; s[k] == ' '; k++)
			;
		if (scan_uint(s + k, &n, &v) || s[k + n] != ']')
			return 0;
		k += n + 1;
	} else if (is_digit(s[0])) {
		while (is_digit(s[n]))
			n++;
		if (!is_space(s[n]))
			return 0;
		if (n > 9)
			return fail(p, "pid '%.*s' out of range", (int)n, s);
		for (v = 0; k < n; k++)
			v = v * 10 + (unsigned long)(s[k] - '0');
	} else {
		return 0;
	}
	if (v > 0x7fffffff)
		return fail(p, "pid out of range");
	p->out->pid = (long)v;
	p->i += k;
	skip_ws(p);
	return 0;
}

static int parse_proc(struct ps *p)
{
	const char *s = p->s + p->i;
	size_t n;

	if (s[0] != '$')
		return 0;
	n = ident_len(s + 1);
	if (n == 0 || !(is_space(s[1 + n]) || s[1 + n] == '\0'))
		return fail(p, "bad process prefix '%.40s'", s);
	if (!(p->out->proc = dup_n(p, s + 1, n)))
		return -1;
	p->i += 1 + n;
	skip_ws(p);
	return 0;
}

/* strace -t/-tt/-ttt/-r timestamps and -i "[ip]" before the call. */
static void skip_stamps(struct ps *p)
{
	const char *s = p->s + p->i;
	size_t n = 0;
	int mark = 0;

	if (is_digit(s[0])) {
		for (; is_digit(s[n]) || s[n] == ':' || s[n] == '.'; n++)
			mark |= s[n] == ':' || s[n] == '.';
		if (mark && is_space(s[n])) {
			p->i += n;
			skip_ws(p);
			s = p->s + p->i;
		}
	}
	if (s[0] == '[' && is_xdigit(s[1])) {
		for (n = 1; is_xdigit(s[n]); n++)
			;
		if (s[n] == ']' && is_space(s[n + 1])) {
			p->i += n + 1;
			skip_ws(p);
		}
	}
}

/* ---- the line ----------------------------------------------------------------- */

static int parse_body(struct ps *p)
{
	const char *s = p->s + p->i;

	if (is_maps_line(s)) {
		p->out->kind = TR_MAPS;
		return 0;
	}
	if (starts(s, "--- "))
		return parse_signal_line(p);
	if (starts(s, "+++ "))
		return parse_exit_line(p);
	if (starts(s, "<... "))
		return parse_resumed(p);
	if (is_fragment(s)) {
		p->out->kind = TR_FRAGMENT;
		return 0;
	}
	if (is_noise(s)) {
		p->out->kind = TR_NOISE;
		note_process(p->out, s);
		return 0;
	}
	if (*s == '#')
		return 0;
	if (*s == '\0')
		return fail(p, "expected a call after the prefix");
	return parse_call(p);
}

static int parse_line(struct ps *p)
{
	skip_ws(p);
	if (p->s[p->i] == '\0' || p->s[p->i] == '#')
		return 0;            /* TR_NOTHING */
	if (parse_pid(p) || parse_proc(p))
		return -1;
	skip_stamps(p);
	return parse_body(p);
}

static void line_init(struct tr_line *o, int lineno)
{
	memset(o, 0, sizeof(*o));
	o->kind = TR_NOTHING;
	o->lineno = lineno;
	o->pid = -1;
	o->attached = -1;
	o->exit.status = -1;
}

/* A line strace's stderr cut ("munmap(0x7f.., 4096strace: Process 12
 * attached"): noise, keeping the text before the message for tr_join. */
static int salvage_noise(struct ps *p)
{
	struct tr_line *o = p->out;
	const char *s = strstr(o->raw, "strace: ");
	size_t n;

	if (!s)
		return -1;
	free(o->args);
	o->args = NULL;
	o->nargs = 0;
	o->name = o->part = NULL;
	memset(&o->res, 0, sizeof(o->res));
	o->pid = -1;
	o->proc = NULL;
	o->kind = TR_NOISE;
	note_process(o, s);
	n = (size_t)(s - o->raw);
	if (n && !(o->part = dup_n(p, o->raw, n)))
		return -1;
	return 0;
}

int tr_parse_line(const char *text, size_t len, int lineno, struct tr_line *out,
		  char *err, size_t errlen)
{
	struct ps p = { NULL, 0, 0, out, err, errlen, 0 };

	line_init(out, lineno);
	if (err && errlen)
		err[0] = '\0';
	if (!text)
		len = 0;
	if (len && text[len - 1] == '\n')
		len--;
	if (len && text[len - 1] == '\r')
		len--;
	if (len && memchr(text, '\0', len))
		return fail(&p, "NUL byte in line");
	if (!(out->raw = dup_n(&p, len ? text : "", len)))
		goto bad;
	p.s = out->raw;
	p.n = len;
	if (parse_line(&p) == 0)
		return 0;
	if (salvage_noise(&p) == 0)
		return 0;
bad:
	tr_line_free(out);
	line_init(out, lineno);
	return -1;
}

void tr_line_free(struct tr_line *line)
{
	if (!line)
		return;
	free(line->args);
	pool_free(&line->pool_);
	line->args = NULL;
	line->nargs = 0;
	line->raw = line->part = line->name = line->proc = NULL;
	memset(&line->res, 0, sizeof(line->res));
}

/* ---- joining <unfinished ...> with <... resumed> ---------------------------- */

/* The resumed text without the "<unfinished ...>" strace may put first. */
static const char *resumed_rest(const char *b)
{
	while (*b && is_space(*b))
		b++;
	if (starts(b, "<unfinished ...>"))
		b += 16;
	while (*b && is_space(*b))
		b++;
	return b;
}

/* A cut line's text before the message, then the fragment line. */
static int join_cut(const struct tr_line *u, const struct tr_line *r,
		    struct tr_line *out, char *err, size_t errlen)
{
	struct ps p = { NULL, 0, 0, out, err, errlen, 0 };
	size_t a = strlen(u->part), b = strlen(r->raw);
	char *buf = malloc(a + b + 1);
	int rc;

	if (!buf)
		return fail(&p, "out of memory");
	memcpy(buf, u->part, a);
	memcpy(buf + a, r->raw, b + 1);
	rc = tr_parse_line(buf, a + b, r->lineno, out, err, errlen);
	free(buf);
	return rc;
}

/* "[PID ][$proc ]" + the unfinished text + the resumed text, parsed. */
static int join_resumed(const struct tr_line *u, const struct tr_line *r,
			struct tr_line *out, char *err, size_t errlen)
{
	struct ps p = { NULL, 0, 0, out, err, errlen, 0 };
	const char *b = resumed_rest(r->part);
	size_t alen = strlen(u->part), need;
	long pid = r->pid >= 0 ? r->pid : u->pid;
	char *buf;
	int n = 0, rc;

	if (alen && (u->part[alen - 1] == ',' || u->part[alen - 1] == '(') &&
	    *b == ',')
		b++;
	need = alen + strlen(b) + (r->proc ? strlen(r->proc) : 0) + 48;
	if (!(buf = malloc(need)))
		return fail(&p, "out of memory");
	if (pid >= 0)
		n += snprintf(buf + n, need - (size_t)n, "%ld ", pid);
	if (r->proc)
		n += snprintf(buf + n, need - (size_t)n, "$%s ", r->proc);
	snprintf(buf + n, need - (size_t)n, "%s %s", u->part, b);
	rc = tr_parse_line(buf, strlen(buf), r->lineno, out, err, errlen);
	free(buf);
	if (rc == 0 && out->kind != TR_CALL) {
		tr_line_free(out);
		line_init(out, r->lineno);
		return fail(&p, "joined line is not a call");
	}
	return rc;
}

int tr_join(const struct tr_line *u, const struct tr_line *r,
	    struct tr_line *out, char *err, size_t errlen)
{
	struct ps p = { NULL, 0, 0, out, err, errlen, 0 };

	line_init(out, r ? r->lineno : 0);
	if (u && r && u->kind == TR_NOISE && u->part && r->kind == TR_FRAGMENT &&
	    r->raw)
		return join_cut(u, r, out, err, errlen);
	if (!u || !r || u->kind != TR_UNFINISHED || r->kind != TR_RESUMED ||
	    !u->part || !r->part || !u->name || !r->name)
		return fail(&p, "can only join an unfinished line with its "
			    "resumed line, or a cut line with its fragment");
	if (strcmp(u->name, r->name) != 0 ||
	    (u->pid >= 0 && r->pid >= 0 && u->pid != r->pid))
		return fail(&p, "resumed %s (pid %ld) does not match unfinished %s (pid %ld)",
			    r->name, r->pid, u->name, u->pid);
	return join_resumed(u, r, out, err, errlen);
}
