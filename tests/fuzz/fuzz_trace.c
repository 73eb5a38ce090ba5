/*
 * fuzz_trace.c — libFuzzer target for the trace language (tools/trace.c,
 * tools/symbols.c).
 *
 * The input is split into lines; each goes to tr_parse_line.  Besides "no
 * crash, no leak, no out-of-bounds access" (the sanitizers' job), it checks:
 *   1. a failed parse leaves an empty line and a non-empty message;
 *   2. every parsed call prints (tr_format_call, with and without
 *      TR_FMT_ALIGN | TR_FMT_STRACE61), the printed text parses again as a
 *      call, and printing that gives the same text (print . parse is
 *      idempotent);
 *   3. printing into any smaller buffer returns the same length and writes
 *      a NUL-terminated prefix of the full text;
 *   4. unfinished + resumed and cut + fragment neighbours go through tr_join;
 *   5. the name lookups accept any bytes.
 * A broken property aborts with the line, so the fuzzer reports it.
 */
#include "trace.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void require(int ok, const char *what, const char *a, const char *b)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_trace: %s\n  [%s]\n  [%s]\n", what, a ? a : "",
		b ? b : "");
	abort();
}

static void call_of(const struct tr_line *t, struct tr_call *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->name = t->name;
	c->nargs = t->nargs < TR_MAX_ARGS ? t->nargs : TR_MAX_ARGS;
	for (i = 0; i < c->nargs; i++) {
		c->args[i] = t->args[i].value;
		if (t->args[i].kind == TR_ARG_STR) {
			c->str = t->args[i].str;
			c->str_len = t->args[i].len;
		}
	}
}

/* Print into a heap buffer of the right size. */
static char *print(const struct tr_line *t, unsigned flags)
{
	const struct tr_result *r = t->res.kind == TR_RES_NONE ? NULL : &t->res;
	struct tr_call c;
	int n;
	char *buf;

	call_of(t, &c);
	n = tr_format_call(NULL, 0, &c, r, flags);
	require(n >= 0, "negative length", t->raw, NULL);
	buf = malloc((size_t)n + 1);
	if (!buf)
		abort();
	require(tr_format_call(buf, (size_t)n + 1, &c, r, flags) == n,
		"length changed", t->raw, buf);
	require(strlen(buf) == (size_t)n, "length mismatch", t->raw, buf);
	return buf;
}

static void check_small_buffers(const struct tr_line *t, const char *full)
{
	const struct tr_result *r = t->res.kind == TR_RES_NONE ? NULL : &t->res;
	size_t n = strlen(full), s = n % 23;
	struct tr_call c;
	char small[24];

	call_of(t, &c);
	memset(small, 'Z', sizeof(small));
	require((size_t)tr_format_call(small, s, &c, r, 0) == n,
		"small buffer length", full, NULL);
	if (s) {
		require(strlen(small) == s - 1, "small buffer NUL", full, small);
		require(memcmp(small, full, s - 1) == 0, "small buffer prefix",
			full, small);
	}
	require(small[s] == 'Z' || s == sizeof(small) - 1, "small buffer overrun",
		full, small);
}

static void check_roundtrip(const struct tr_line *t, unsigned flags)
{
	struct tr_line u;
	char err[160];
	char *a = print(t, flags), *b;

	if (tr_parse_line(a, strlen(a), 1, &u, err, sizeof(err)) != 0)
		require(0, err, t->raw, a);
	require(u.kind == TR_CALL, "printed call is not a call", t->raw, a);
	b = print(&u, flags);
	require(strcmp(a, b) == 0, "print(parse(print)) differs", a, b);
	if (flags == 0)
		check_small_buffers(t, a);
	free(b);
	free(a);
	tr_line_free(&u);
}

static void check_names(const struct tr_line *t)
{
	unsigned long v;
	int code;

	if (t->name) {
		tr_name_value(t->name, strlen(t->name), &v);
		tr_errno_value(t->name);
		tr_signal_value(t->name);
		tr_sicode_value(t->name, &code);
	}
	tr_errno_name(t->nargs ? (int)t->args[0].value : 0);
	tr_errno_text(t->nargs ? (int)(t->args[0].value & 1023) : 0);
	tr_signal_name(t->nargs ? (int)t->args[0].value : 0);
	tr_sicode_name(t->nargs ? (int)t->args[0].value : 0,
		       t->nargs > 1 ? (int)t->args[1].value : 0);
}

/* Keeps the last unfinished or cut line to try tr_join with the next. */
static void check_join(struct tr_line *pending, struct tr_line *t)
{
	struct tr_line j;
	char err[160];

	if (pending->kind != TR_NOTHING &&
	    (t->kind == TR_RESUMED || t->kind == TR_FRAGMENT)) {
		if (tr_join(pending, t, &j, err, sizeof(err)) == 0) {
			if (j.kind == TR_CALL)
				check_roundtrip(&j, 0);
			tr_line_free(&j);
		} else {
			require(err[0] != '\0', "join failed silently", t->raw, NULL);
		}
	}
	if (t->kind == TR_UNFINISHED || (t->kind == TR_NOISE && t->part)) {
		tr_line_free(pending);
		*pending = *t;
		memset(t, 0, sizeof(*t));
	}
}

static void one_line(const char *s, size_t n, struct tr_line *pending)
{
	struct tr_line t;
	char err[160];

	err[0] = '\0';
	if (tr_parse_line(s, n, 1, &t, err, sizeof(err)) != 0) {
		require(err[0] != '\0', "error without message", NULL, NULL);
		require(t.raw == NULL && t.args == NULL && t.nargs == 0 &&
			t.kind == TR_NOTHING, "failed parse left data", err, NULL);
		return;
	}
	require(t.raw != NULL, "no raw text", NULL, NULL);
	check_names(&t);
	if (t.kind == TR_CALL) {
		check_roundtrip(&t, 0);
		check_roundtrip(&t, TR_FMT_ALIGN | TR_FMT_STRACE61);
	}
	check_join(pending, &t);
	tr_line_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl;
	struct tr_line pending;

	memset(&pending, 0, sizeof(pending));
	while (size) {
		nl = memchr(s, '\n', size);
		size_t n = nl ? (size_t)(nl - s) + 1 : size;

		one_line(s, n, &pending);
		s += n;
		size -= n;
	}
	tr_line_free(&pending);
	return 0;
}
