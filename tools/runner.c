/*
 * runner.c — run trace lines against a usermm process (see runner.h).
 *
 * A call line is turned into a system-call number and six register values
 * (variables resolved, strings passed as pointers), sent through
 * um_syscall(), echoed the way strace would print it, and checked against
 * the result written on the line.  Memory statements (store, load, fork,
 * exit) belong to the physical-memory layer and are refused with a clear
 * message until it exists.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "runner.h"

struct call_desc {
	const char *name;
	long nr;
	int nargs;     /* registers used */
	int min_args;  /* strace omits a trailing mode argument */
	int str_arg;   /* index of a path argument, or -1 */
	int vec_arg;   /* index of mincore's vector, or -1 */
};

static const struct call_desc calls[] = {
	{ "mmap", SYS_mmap, 6, 6, -1, -1 },
	{ "munmap", SYS_munmap, 2, 2, -1, -1 },
	{ "mprotect", SYS_mprotect, 3, 3, -1, -1 },
	{ "brk", SYS_brk, 1, 1, -1, -1 },
	{ "mremap", SYS_mremap, 5, 4, -1, -1 },
	{ "madvise", SYS_madvise, 3, 3, -1, -1 },
	{ "mlock", SYS_mlock, 2, 2, -1, -1 },
	{ "mlock2", SYS_mlock2, 3, 3, -1, -1 },
	{ "munlock", SYS_munlock, 2, 2, -1, -1 },
	{ "mlockall", SYS_mlockall, 1, 1, -1, -1 },
	{ "munlockall", SYS_munlockall, 0, 0, -1, -1 },
	{ "msync", SYS_msync, 3, 3, -1, -1 },
	{ "mincore", SYS_mincore, 3, 3, -1, 2 },
	{ "open", SYS_open, 3, 2, 0, -1 },
	{ "openat", SYS_openat, 4, 3, 1, -1 },
	{ "close", SYS_close, 1, 1, -1, -1 },
	{ "dup", SYS_dup, 1, 1, -1, -1 },
	{ "ftruncate", SYS_ftruncate, 2, 2, -1, -1 },
};

static const struct call_desc *find_call(const char *name)
{
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (!strcmp(calls[i].name, name))
			return &calls[i];
	return NULL;
}

static void report(struct runner *r, int line, const char *fmt, const char *a)
{
	fprintf(stderr, "%s:%d: ", r->file, line);
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
}

static bool var_get(struct runner *r, const char *name, unsigned long *v)
{
	for (int i = 0; i < r->nvars; i++)
		if (!strcmp(r->vars[i].name, name)) {
			*v = r->vars[i].value;
			return true;
		}
	return false;
}

static int var_set(struct runner *r, const char *name, unsigned long v)
{
	for (int i = 0; i < r->nvars; i++)
		if (!strcmp(r->vars[i].name, name)) {
			r->vars[i].value = v;
			return 0;
		}
	if (r->nvars == RUNNER_MAX_VARS)
		return -1;
	r->vars[r->nvars].name = strdup(name);
	if (!r->vars[r->nvars].name)
		return -1;
	r->vars[r->nvars++].value = v;
	return 0;
}

/* Resolve one argument into a register value; 2 on bad input. */
static int arg_value(struct runner *r, const struct tr_line *l,
		     const struct call_desc *c, int i, unsigned long *v,
		     unsigned char *vec)
{
	const struct tr_arg *a = &l->args[i];
	unsigned long base;

	if (i == c->vec_arg) {
		/* strace prints the vector on success, the pointer on failure.
		 * A pointer outside user space fails access_ok; one inside
		 * that the call reported EFAULT for faulted when written. */
		bool efault = l->res.kind == TR_RES_ERRNO && l->res.err == EFAULT;

		/* "[]" with EFAULT: nothing was copied, so access_ok refused. */
		if ((a->kind == TR_ARG_INT && a->value >= 0x7ffffffff000UL) ||
		    (a->kind == TR_ARG_RAW && efault))
			*v = (unsigned long)UM_VEC_NOT_USER;
		else if (a->kind == TR_ARG_NULL || (a->kind == TR_ARG_INT && efault))
			*v = 0;
		else
			*v = (unsigned long)vec;
		return 0;
	}
	switch (a->kind) {
	case TR_ARG_INT:
	case TR_ARG_NULL:
		*v = a->value;
		return 0;
	case TR_ARG_VAR:
		if (!var_get(r, a->name, &base)) {
			report(r, l->lineno, "unknown variable $%s", a->name);
			return 2;
		}
		*v = base + a->value;
		return 0;
	case TR_ARG_STR:
		if (i == c->str_arg) {
			*v = (unsigned long)a->str;
			return 0;
		}
		break;
	case TR_ARG_RAW:
		break;
	}
	fprintf(stderr, "%s:%d: %s: argument %d (%s) is not a number\n", r->file,
		l->lineno, l->name, i + 1, a->text ? a->text : "?");
	return 2;
}

/* Compare a result with the line's expectation; 1 on mismatch. */
static int check_result(struct runner *r, const struct tr_line *l, long ret,
			const char *echo)
{
	const struct tr_result *want = &l->res;
	char exp[128];
	struct tr_result got = tr_result_from_ret(ret);

	switch (want->kind) {
	case TR_RES_VALUE:
		if (got.kind == TR_RES_VALUE && got.value == want->value)
			return 0;
		snprintf(exp, sizeof(exp), "%#lx", want->value);
		break;
	case TR_RES_ERRNO:
		if (got.kind == TR_RES_ERRNO && got.err == want->err)
			return 0;
		snprintf(exp, sizeof(exp), "-1 %s", tr_errno_name(want->err) ?
			 tr_errno_name(want->err) : "?");
		break;
	case TR_RES_BIND:
		if (got.kind == TR_RES_VALUE) {
			if (var_set(r, want->name, got.value)) {
				report(r, l->lineno, "too many variables (at $%s)", want->name);
				return 2;
			}
			return 0;
		}
		snprintf(exp, sizeof(exp), "a value for $%s", want->name);
		break;
	default:
		return 0;
	}
	fprintf(stderr, "%s:%d: result differs\n  call:     %s\n  expected: %s\n",
		r->file, l->lineno, l->raw, exp);
	fprintf(stderr, "  got:      %s\n", strstr(echo, " = ") ? strstr(echo, " = ") + 3 : echo);
	r->mismatches++;
	return 1;
}

static int run_call(struct runner *r, const struct tr_line *l)
{
	const struct call_desc *c = find_call(l->name);
	unsigned long args[6] = { 0 };
	unsigned char vec[4096], *big = NULL;
	char echo[1024];
	struct tr_call pc = { 0 };
	long ret;
	int err;

	if (!c) {
		fprintf(stderr, "%s:%d: unknown call '%s'\n", r->file, l->lineno, l->name);
		return 2;
	}
	if (l->nargs < c->min_args || l->nargs > c->nargs) {
		fprintf(stderr, "%s:%d: %s takes %d arguments, not %d\n", r->file,
			l->lineno, l->name, c->nargs, l->nargs);
		return 2;
	}
	for (int i = 0; i < l->nargs; i++)
		if ((err = arg_value(r, l, c, i, &args[i], vec)))
			return err;
	if (c->vec_arg >= 0 && args[c->vec_arg] == (unsigned long)vec &&
	    args[1] > sizeof(vec) * 4096UL) {
		/* A longer vector: up to 1 GiB of it; beyond that no range can
		 * be mapped whole, and the call fails before writing far. */
		unsigned long pages = args[1] / 4096 + 1;

		big = pages <= (1UL << 30) ? malloc(pages) : NULL;
		args[c->vec_arg] = (unsigned long)big;
	}
	ret = um_syscall(r->proc, c->nr, args);
	pc.name = l->name;
	pc.nargs = l->nargs;
	memcpy(pc.args, args, sizeof(args));
	if (c->str_arg >= 0 && l->args[c->str_arg].kind == TR_ARG_STR) {
		pc.str = l->args[c->str_arg].str;
		pc.str_len = l->args[c->str_arg].len;
	}
	if (c->vec_arg >= 0 && ret == 0 && args[c->vec_arg])
		pc.vec = (const unsigned char *)args[c->vec_arg];
	{
		struct tr_result res = tr_result_from_ret(ret);

		tr_format_call(echo, sizeof(echo), &pc, &res, 0);
	}
	if (r->out)
		fprintf(r->out, "%s\n", echo);
	free(big);
	return check_result(r, l, ret, echo);
}

void print_maps_around(FILE *out, um_proc *p, unsigned long addr)
{
	size_t n = um_maps(p, NULL, 0);
	char *buf = malloc(n + 1), *line, *save = NULL;
	const unsigned long span = 16UL << 20;

	if (!buf)
		return;
	um_maps(p, buf, n + 1);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long s, e;

		if (sscanf(line, "%lx-%lx", &s, &e) != 2)
			continue;
		if (e + span >= addr && s <= addr + span)
			fprintf(out, "    %s\n", line);
	}
	free(buf);
}

/* Skip a maps line's inode field when it names shared anonymous memory. */
static bool shmem_line(const char *line, size_t len)
{
	static const char tag[] = "/dev/zero (deleted)";

	return len >= sizeof(tag) - 1 &&
	       !memcmp(line + len - (sizeof(tag) - 1), tag, sizeof(tag) - 1);
}

static bool lines_equal(const char *a, size_t alen, const char *b, size_t blen,
			bool ignore_ino)
{
	const char *pa = a, *pb = b;

	if (alen == blen && !memcmp(a, b, alen))
		return true;
	if (!ignore_ino || !shmem_line(a, alen) || !shmem_line(b, blen))
		return false;
	/* Equal up to the inode (the 5th field), and the same name after it. */
	for (int f = 0; f < 4; f++) {
		pa = memchr(pa, ' ', alen - (size_t)(pa - a));
		pb = memchr(pb, ' ', blen - (size_t)(pb - b));
		if (!pa || !pb)
			return false;
		pa++, pb++;
	}
	if (pa - a != pb - b || memcmp(a, b, (size_t)(pa - a)))
		return false;
	/* The name is the same tag at the end of both (checked by the caller). */
	return true;
}

int maps_compare(const char *got, const char *want, bool ignore_shmem_ino)
{
	int line = 1;

	for (;;) {
		const char *ge = strchr(got, '\n'), *we = strchr(want, '\n');
		size_t gl = ge ? (size_t)(ge - got) : strlen(got);
		size_t wl = we ? (size_t)(we - want) : strlen(want);

		if (!gl && !wl && !ge && !we)
			return 0;
		if (!lines_equal(got, gl, want, wl, ignore_shmem_ino))
			return line;
		if (!ge || !we)
			return (ge || we) && (ge ? ge[1] : we[1]) ? line + 1 : 0;
		got = ge + 1;
		want = we + 1;
		line++;
	}
}

int runner_flush_maps(struct runner *r)
{
	size_t n;
	char *got;
	int diff;

	if (!r->maps_line)
		return 0;
	r->maps_line = 0;
	if (!r->maps_expected)
		return 0;
	n = um_maps(r->proc, NULL, 0);
	got = malloc(n + 1);
	if (!got)
		return 2;
	um_maps(r->proc, got, n + 1);
	diff = maps_compare(got, r->maps_expected, r->ignore_shmem_ino);
	if (diff) {
		fprintf(stderr, "%s: maps differ at line %d of the expected block\n--- expected\n%s--- got\n%s",
			r->file, diff, r->maps_expected, got);
		r->mismatches++;
	}
	free(got);
	free(r->maps_expected);
	r->maps_expected = NULL;
	r->maps_len = 0;
	return diff ? 1 : 0;
}

static int gather_maps(struct runner *r, const struct tr_line *l)
{
	size_t n = strlen(l->raw);
	char *m = realloc(r->maps_expected, r->maps_len + n + 2);

	if (!m)
		return 2;
	memcpy(m + r->maps_len, l->raw, n);
	r->maps_len += n;
	m[r->maps_len++] = '\n';
	m[r->maps_len] = '\0';
	r->maps_expected = m;
	return 0;
}

int runner_line(struct runner *r, const struct tr_line *l)
{
	int ret;

	if (l->kind == TR_MAPS) {
		if (!r->maps_line) {
			report(r, l->lineno, "a maps line outside a maps() block: %s", l->raw);
			return 2;
		}
		return gather_maps(r, l);
	}
	if ((ret = runner_flush_maps(r)) == 2 || l->kind == TR_NOTHING)
		return ret;
	if (l->kind != TR_CALL)
		return 0;   /* signals, exits, strace's own notes: nothing to run */
	if (l->proc) {
		report(r, l->lineno, "process $%s: fork is not supported yet", l->proc);
		return 2;
	}
	if (!strcmp(l->name, "maps")) {
		if (r->out)
			um_maps_print(r->proc, r->out);
		r->maps_line = l->lineno;
		return 0;
	}
	if (!strcmp(l->name, "store") || !strcmp(l->name, "load") ||
	    !strcmp(l->name, "fork") || !strcmp(l->name, "exit")) {
		report(r, l->lineno, "'%s' needs the physical-memory layer (not built yet)",
		       l->name);
		return 2;
	}
	return run_call(r, l);
}

void runner_free(struct runner *r)
{
	for (int i = 0; i < r->nvars; i++)
		free(r->vars[i].name);
	free(r->maps_expected);
	r->nvars = 0;
	r->maps_expected = NULL;
}
