/*
 * runner.c — run trace lines against a usermm process (see runner.h).
 *
 * A call line is turned into a system-call number and six register values
 * (variables resolved, strings passed as pointers), sent through
 * um_syscall(), echoed the way strace would print it, and checked against
 * the result written on the line.  Memory statements: store(ADDR, "bytes"),
 * load(ADDR, LEN) = "bytes", fork() = $c (then "$c "-prefixed lines run in
 * the child), exit(N); their results may be a signal ("SIGSEGV
 * SEGV_ACCERR").  Views: maps(), smaps(ADDR) (the entry of the VMA
 * holding ADDR), smaps(ADDR, "Field") = N (one field checked, in kB),
 * status() (the memory lines of /proc/PID/status).  With r->log set, every
 * statement's outcome is recorded in the format of outcome.h, for `usermm
 * diff`; status() is then recorded in its comparable form (proctext.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include "runner.h"
#include "outcome.h"
#include "proctext.h"

struct call_desc {
	const char *name;
	long nr;
	int nargs;     /* registers used */
	int min_args;  /* strace omits a trailing mode argument */
	int str_arg;   /* index of a path argument, or -1 */
	int vec_arg;   /* index of mincore's vector, or -1 */
	int buf_arg;   /* read/write's buffer: a "string" there is host memory */
	bool reads;    /* read, pread64: the bytes come back into buf_arg */
};

static const struct call_desc calls[] = {
	{ "mmap", SYS_mmap, 6, 6, -1, -1, -1, false },
	{ "munmap", SYS_munmap, 2, 2, -1, -1, -1, false },
	{ "mprotect", SYS_mprotect, 3, 3, -1, -1, -1, false },
	{ "brk", SYS_brk, 1, 1, -1, -1, -1, false },
	{ "mremap", SYS_mremap, 5, 4, -1, -1, -1, false },
	{ "madvise", SYS_madvise, 3, 3, -1, -1, -1, false },
	{ "mlock", SYS_mlock, 2, 2, -1, -1, -1, false },
	{ "mlock2", SYS_mlock2, 3, 3, -1, -1, -1, false },
	{ "munlock", SYS_munlock, 2, 2, -1, -1, -1, false },
	{ "mlockall", SYS_mlockall, 1, 1, -1, -1, -1, false },
	{ "munlockall", SYS_munlockall, 0, 0, -1, -1, -1, false },
	{ "msync", SYS_msync, 3, 3, -1, -1, -1, false },
	{ "mincore", SYS_mincore, 3, 3, -1, 2, -1, false },
	{ "open", SYS_open, 3, 2, 0, -1, -1, false },
	{ "openat", SYS_openat, 4, 3, 1, -1, -1, false },
	{ "close", SYS_close, 1, 1, -1, -1, -1, false },
	{ "dup", SYS_dup, 1, 1, -1, -1, -1, false },
	{ "ftruncate", SYS_ftruncate, 2, 2, -1, -1, -1, false },
	{ "read", SYS_read, 3, 3, -1, -1, 1, true },
	{ "write", SYS_write, 3, 3, -1, -1, 1, false },
	{ "pread64", SYS_pread64, 4, 4, -1, -1, 1, true },
	{ "pwrite64", SYS_pwrite64, 4, 4, -1, -1, 1, false },
	{ "lseek", SYS_lseek, 3, 3, -1, -1, -1, false },
};

static size_t um_min_sz(size_t a, size_t b)
{
	return a < b ? a : b;
}

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

/* mincore's vector as written ("[1, 0, 1]", strace's form; "..." ends a
 * shortened one) against what the call wrote; 1 on a difference. */
static int check_vector(struct runner *r, const struct tr_line *l,
			const struct call_desc *c, long ret,
			const unsigned char *vec, unsigned long len)
{
	const struct tr_arg *a;
	const char *t;
	unsigned long psz = um_page_size(r->engine), pages = (len + psz - 1) / psz, i = 0;

	if (!r->check_vectors || c->vec_arg < 0 || ret || !vec)
		return 0;
	a = &l->args[c->vec_arg];
	if (a->kind != TR_ARG_RAW || !a->text || a->text[0] != '[')
		return 0;
	for (t = a->text + 1; *t && *t != ']'; t++) {
		if (*t == '.')
			return 0;          /* strace cut it short: checked so far */
		if (*t != '0' && *t != '1')
			continue;
		if (i >= pages || (vec[i] & 1) != (unsigned)(*t - '0'))
			break;
		i++;
	}
	if (i == pages && (*t == ']' || !*t))
		return 0;
	fprintf(stderr, "%s:%d: mincore vector differs at page %lu\n  call: %s\n",
		r->file, l->lineno, i, l->raw);
	r->mismatches++;
	return 1;
}

/* The most a "string" buffer of read/write may hold (as the native
 * executor's static one). */
#define HOSTBUF_MAX (1UL << 20)

/* read/write's buffer written as a "string" (or strace's other forms of
 * it): memory of ours of the call's count, holding the string for write
 * (zeros after it when strace cut it short).  Returns 0, or 2 reported. */
static int host_buffer(struct runner *r, const struct tr_line *l,
		       const struct call_desc *c, unsigned long count,
		       unsigned char **buf)
{
	const struct tr_arg *a = &l->args[c->buf_arg];

	if (count > HOSTBUF_MAX) {
		report(r, l->lineno, "%s: more than 1 MiB into a string buffer", l->name);
		return 2;
	}
	if (!c->reads && a->kind == TR_ARG_STR && !a->truncated && count > a->len) {
		report(r, l->lineno, "%s: the count is longer than the string", l->name);
		return 2;
	}
	if (!(*buf = calloc(1, count + 1)))
		return 2;
	if (!c->reads && a->kind == TR_ARG_STR)
		memcpy(*buf, a->str, um_min_sz(a->len, count));
	return 0;
}

/* read's bytes against the string written in the line (as far as it goes:
 * strace shows the first 32 and "..."); 1 on a difference. */
static int check_read_bytes(struct runner *r, const struct tr_line *l,
			    const struct call_desc *c, long ret,
			    const unsigned char *buf)
{
	const struct tr_arg *a;
	size_t n;
	char want[160], got[160];

	if (!c->reads || !buf || ret <= 0)
		return 0;
	a = &l->args[c->buf_arg];
	if (a->kind != TR_ARG_STR)
		return 0;
	n = um_min_sz(a->len, (size_t)ret);
	if (!memcmp(a->str, buf, n))
		return 0;
	tr_quote(want, sizeof(want), a->str, um_min_sz(n, 40));
	tr_quote(got, sizeof(got), (const char *)buf, um_min_sz(n, 40));
	fprintf(stderr, "%s:%d: the bytes read differ\n  call:     %s\n  expected: %s\n"
		"  got:      %s\n", r->file, l->lineno, l->raw, want, got);
	r->mismatches++;
	return 1;
}

static bool is_host_buffer(const struct tr_line *l, const struct call_desc *c, int i)
{
	return i == c->buf_arg && i < l->nargs &&
	       (l->args[i].kind == TR_ARG_STR || l->args[i].kind == TR_ARG_RAW);
}

static int record_ret(struct runner *r, const struct tr_line *l, long ret,
		      const unsigned char *data, size_t len, int read_data)
{
	struct outcome o = { .line = l->lineno, .kind = OC_RET, .ret = ret,
			     .data = (unsigned char *)data, .len = data ? len : 0,
			     .read_data = read_data };

	return r->log && outcome_log_add(r->log, &o) ? 2 : 0;
}

static int run_call(struct runner *r, um_proc *p, const struct tr_line *l)
{
	const struct call_desc *c = find_call(l->name);
	unsigned long args[6] = { 0 };
	unsigned char vec[4096], *big = NULL, *hbuf = NULL;
	unsigned long psz = um_page_size(r->engine);
	char echo[1024];
	struct tr_call pc = { 0 };
	bool hostbuf;
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
	hostbuf = c->buf_arg >= 0 && is_host_buffer(l, c, c->buf_arg);
	for (int i = 0; i < l->nargs; i++)
		if (!(hostbuf && i == c->buf_arg) &&
		    (err = arg_value(r, l, c, i, &args[i], vec)))
			return err;
	if (hostbuf) {
		if ((err = host_buffer(r, l, c, args[c->buf_arg + 1], &hbuf)))
			return err;
		args[c->buf_arg] = (unsigned long)hbuf;
	}
	if (c->vec_arg >= 0 && args[c->vec_arg] == (unsigned long)vec &&
	    args[1] > sizeof(vec) * psz) {
		/* A longer vector: up to 1 GiB of it; beyond that no range can
		 * be mapped whole, and the call fails before writing far. */
		unsigned long pages = args[1] / psz + 1;

		big = pages <= (1UL << 30) ? malloc(pages) : NULL;
		args[c->vec_arg] = (unsigned long)big;
	}
	ret = hostbuf ? um_syscall_hostbuf(p, c->nr, args) : um_syscall(p, c->nr, args);
	pc.name = l->name;
	pc.nargs = l->nargs;
	pc.page_size = psz;
	memcpy(pc.args, args, sizeof(args));
	if (c->str_arg >= 0 && l->args[c->str_arg].kind == TR_ARG_STR) {
		pc.str = l->args[c->str_arg].str;
		pc.str_len = l->args[c->str_arg].len;
	} else if (hostbuf) {
		pc.str = (const char *)hbuf;
		pc.str_len = c->reads ? (ret > 0 ? (size_t)ret : 0) : args[c->buf_arg + 1];
	}
	if (c->vec_arg >= 0 && ret == 0 && args[c->vec_arg])
		pc.vec = (const unsigned char *)args[c->vec_arg];
	{
		struct tr_result res = tr_result_from_ret(ret);

		tr_format_call(echo, sizeof(echo), &pc, &res, 0);
	}
	if (r->out)
		fprintf(r->out, "%s\n", echo);
	if (pc.vec)
		err = record_ret(r, l, ret, pc.vec, (args[1] + psz - 1) / psz, 0);
	else if (hostbuf && c->reads && ret > 0)
		err = record_ret(r, l, ret, hbuf, (size_t)ret, 1);
	else
		err = record_ret(r, l, ret, NULL, 0, 0);
	if (!err)
		err = check_vector(r, l, c, ret, pc.vec, args[1]);
	if (!err)
		err = check_read_bytes(r, l, c, ret, hbuf);
	free(big);
	free(hbuf);
	return err ? err : check_result(r, l, ret, echo);
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
	n = um_maps(r->maps_proc, NULL, 0);
	got = malloc(n + 1);
	if (!got)
		return 2;
	um_maps(r->maps_proc, got, n + 1);
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

/* ---- processes and memory statements ------------------------------------------ */

static um_proc *proc_named(struct runner *r, const char *name)
{
	if (!name)
		return r->proc;
	for (int i = 0; i < r->nprocs; i++)
		if (r->procs[i].name && !strcmp(r->procs[i].name, name))
			return r->procs[i].proc;
	return NULL;
}

static int record(struct runner *r, const struct outcome *o)
{
	return r->log && outcome_log_add(r->log, o) ? 2 : 0;
}

static void describe_signal(char *buf, size_t size, const struct um_fault *f)
{
	const char *code = tr_sicode_name(f->signo, f->code);

	snprintf(buf, size, "%s %s", tr_signal_name(f->signo) ? tr_signal_name(f->signo) : "?",
		 code ? code : "?");
}

/* Check a store/load result against the line: a signal, 0, or bytes. */
static int check_access(struct runner *r, const struct tr_line *l, long ret,
			const struct um_fault *f, const void *bytes, size_t len)
{
	const struct tr_result *w = &l->res;
	char got[256], exp[256];
	bool ok;

	if (ret)
		describe_signal(got, sizeof(got), f);
	else if (bytes)
		tr_quote(got, sizeof(got), bytes, len);
	else
		snprintf(got, sizeof(got), "0");
	switch (w->kind) {
	case TR_RES_NONE:
		return 0;
	case TR_RES_SIGNAL:
		ok = ret && f->signo == w->sig && (!w->has_code || f->code == w->si_code);
		snprintf(exp, sizeof(exp), "%s %s", tr_signal_name(w->sig) ? tr_signal_name(w->sig) : "?",
			 w->has_code && tr_sicode_name(w->sig, w->si_code) ?
			 tr_sicode_name(w->sig, w->si_code) : "");
		break;
	case TR_RES_STRING:
		ok = !ret && bytes && w->len == len && !memcmp(w->str, bytes, len);
		tr_quote(exp, sizeof(exp), w->str, w->len);
		break;
	case TR_RES_VALUE:
		ok = !ret && w->value == 0;
		snprintf(exp, sizeof(exp), "%#lx", w->value);
		break;
	default:
		report(r, l->lineno, "%s: expected a signal, 0 or \"bytes\"", l->name);
		return 2;
	}
	if (ok)
		return 0;
	fprintf(stderr, "%s:%d: result differs\n  call:     %s\n  expected: %s\n  got:      %s\n",
		r->file, l->lineno, l->raw, exp, got);
	r->mismatches++;
	return 1;
}

static int access_addr(struct runner *r, const struct tr_line *l, unsigned long *addr)
{
	const struct tr_arg *a = &l->args[0];
	unsigned long base;

	if (a->kind == TR_ARG_INT || a->kind == TR_ARG_NULL) {
		*addr = a->value;
		return 0;
	}
	if (a->kind == TR_ARG_VAR && var_get(r, a->name, &base)) {
		*addr = base + a->value;
		return 0;
	}
	report(r, l->lineno, "%s: the address is not a number or a known $variable",
	       l->name);
	return 2;
}

static int record_access(struct runner *r, const struct tr_line *l, long ret,
			 const struct um_fault *f, const void *bytes, size_t len)
{
	struct outcome o = { .line = l->lineno };

	if (ret) {
		o.kind = OC_SIGNAL;
		o.sig = f->signo;
		o.code = f->code;
		o.addr = f->addr;
	} else if (bytes) {
		o.kind = OC_LOAD;
		o.data = (unsigned char *)bytes;
		o.len = len;
	} else {
		o.kind = OC_OK;
	}
	return record(r, &o);
}

static void echo_access(struct runner *r, const struct tr_line *l, long ret,
			const struct um_fault *f, const void *bytes, size_t len)
{
	char res[256];
	const char *eq = strstr(l->raw, ") =");
	int n = eq ? (int)(eq - l->raw) + 1 : (int)strlen(l->raw);

	if (!r->out)
		return;
	if (ret)
		describe_signal(res, sizeof(res), f);
	else if (bytes)
		tr_quote(res, sizeof(res), bytes, len);
	else
		snprintf(res, sizeof(res), "0");
	fprintf(r->out, "%.*s = %s\n", n, l->raw, res);
}

static int run_store(struct runner *r, um_proc *p, const struct tr_line *l)
{
	struct um_fault f;
	unsigned long addr;
	long ret;
	int err;

	if (l->nargs != 2 || l->args[1].kind != TR_ARG_STR) {
		report(r, l->lineno, "%s", "store takes an address and a \"string\"");
		return 2;
	}
	if ((err = access_addr(r, l, &addr)))
		return err;
	ret = um_store(p, addr, l->args[1].str, l->args[1].len, &f);
	echo_access(r, l, ret, &f, NULL, 0);
	if ((err = record_access(r, l, ret, &f, NULL, 0)))
		return err;
	return check_access(r, l, ret, &f, NULL, 0);
}

static int run_load(struct runner *r, um_proc *p, const struct tr_line *l)
{
	struct um_fault f;
	unsigned long addr, len;
	unsigned char *buf;
	long ret;
	int err;

	if (l->nargs != 2 || l->args[1].kind != TR_ARG_INT || l->args[1].value > (1UL << 24)) {
		report(r, l->lineno, "%s", "load takes an address and a length (at most 16 MiB)");
		return 2;
	}
	if ((err = access_addr(r, l, &addr)))
		return err;
	len = l->args[1].value;
	if (!(buf = malloc(len + 1)))
		return 2;
	ret = um_load(p, addr, buf, len, &f);
	echo_access(r, l, ret, &f, buf, len);
	err = record_access(r, l, ret, &f, buf, len);
	if (!err)
		err = check_access(r, l, ret, &f, buf, len);
	free(buf);
	return err;
}

static int run_fork(struct runner *r, um_proc *p, const struct tr_line *l)
{
	struct outcome o = { .line = l->lineno, .kind = OC_FORK };
	um_proc *child;
	long ret;

	if (l->res.kind != TR_RES_BIND) {
		report(r, l->lineno, "%s", "fork() needs a name for the child: fork() = $c");
		return 2;
	}
	if (r->nprocs == RUNNER_MAX_PROCS || proc_named(r, l->res.name)) {
		report(r, l->lineno, "process $%s: too many processes or the name is taken",
		       l->res.name);
		return 2;
	}
	ret = um_fork(p, &child);
	if (r->out)
		fprintf(r->out, "fork() = %s\n", ret ? "-1 ENOMEM (Cannot allocate memory)" :
			l->res.name);
	if (ret) {
		o.kind = OC_RET;
		o.ret = ret;
		return record(r, &o) ? 2 : 1;
	}
	r->procs[r->nprocs].name = strdup(l->res.name);
	r->procs[r->nprocs++].proc = child;
	return record(r, &o);
}

static int run_exit(struct runner *r, const struct tr_line *l)
{
	struct outcome o = { .line = l->lineno, .kind = OC_EXIT };
	um_proc *p = proc_named(r, l->proc);

	o.ret = l->nargs >= 1 && l->args[0].kind == TR_ARG_INT ? (long)l->args[0].value : 0;
	if (r->out)
		fprintf(r->out, "%s%s%sexit(%ld)\n", l->proc ? "$" : "", l->proc ? l->proc : "",
			l->proc ? " " : "", o.ret);
	um_proc_free(p);
	if (!l->proc) {
		r->proc = NULL;
	} else {
		for (int i = 0; i < r->nprocs; i++)
			if (r->procs[i].proc == p) {
				free(r->procs[i].name);
				r->procs[i].name = NULL;
				r->procs[i].proc = NULL;
			}
	}
	return record(r, &o);
}

static int run_maps(struct runner *r, um_proc *p, const struct tr_line *l)
{
	if (r->out)
		um_maps_print(p, r->out);
	r->maps_line = l->lineno;
	r->maps_proc = p;
	if (r->log) {
		size_t n = um_maps(p, NULL, 0);
		struct outcome o = { .line = l->lineno, .kind = OC_MAPS, .len = n };
		int err;

		if (!(o.data = malloc(n + 1)))
			return 2;
		um_maps(p, (char *)o.data, n + 1);
		err = record(r, &o);
		free(o.data);
		return err;
	}
	return 0;
}

/* The smaps entry of the VMA holding @addr (malloc'ed, NUL-terminated). */
static char *smaps_text(um_proc *p, unsigned long addr, size_t *len)
{
	size_t n = um_smaps_vma(p, addr, NULL, 0);
	char *t = malloc(n + 1);

	if (t)
		um_smaps_vma(p, addr, t, n + 1);
	*len = n;
	return t;
}

/* The status lines (malloc'ed, NUL-terminated). */
static char *status_text(um_proc *p, size_t *len)
{
	size_t n = um_status(p, NULL, 0);
	char *t = malloc(n + 1);

	if (t)
		um_status(p, t, n + 1);
	*len = n;
	return t;
}

static int record_text(struct runner *r, const struct tr_line *l, enum outcome_kind kind,
		       char *text, size_t len)
{
	struct outcome o = { .line = l->lineno, .kind = kind, .len = len,
			     .data = (unsigned char *)text };

	return record(r, &o);
}

/* smaps(ADDR, "Field") = N: the field's value (kB) in the entry. */
static int check_smaps_field(struct runner *r, const struct tr_line *l,
			     const char *text, size_t len)
{
	const char *field = l->args[1].str;
	unsigned long v = 0;
	int missing = proc_field(text, len, field, &v);

	if (r->out)
		fprintf(r->out, "%.*s = %lu\n", (int)(strchr(l->raw, ')') - l->raw + 1),
			l->raw, v);
	if (l->res.kind != TR_RES_VALUE || (!missing && v == l->res.value))
		return 0;
	fprintf(stderr, "%s:%d: result differs\n  call:     %s\n  expected: %lu\n"
		"  got:      ", r->file, l->lineno, l->raw, l->res.value);
	if (!len)
		fprintf(stderr, "no VMA there\n");
	else if (missing)
		fprintf(stderr, "no field %s\n", field);
	else
		fprintf(stderr, "%lu\n", v);
	r->mismatches++;
	return 1;
}

static int run_smaps(struct runner *r, um_proc *p, const struct tr_line *l)
{
	unsigned long addr;
	size_t len;
	char *text;
	int err;

	if (l->nargs < 1 || l->nargs > 2 ||
	    (l->nargs == 2 && l->args[1].kind != TR_ARG_STR) ||
	    (l->res.kind != TR_RES_NONE && (l->nargs != 2 || l->res.kind != TR_RES_VALUE))) {
		report(r, l->lineno, "%s", "smaps takes an address, or an address and a "
		       "\"Field\" whose value in kB may follow: smaps($a, \"Rss\") = 8");
		return 2;
	}
	if ((err = access_addr(r, l, &addr)))
		return err;
	if (!(text = smaps_text(p, addr, &len)))
		return 2;
	if (r->out && l->nargs == 1)
		fputs(len ? text : "(no VMA there)\n", r->out);
	err = record_text(r, l, OC_SMAPS, text, len);
	if (!err && l->nargs == 2)
		err = check_smaps_field(r, l, text, len);
	free(text);
	return err;
}

/* In a diff the comparable form (proctext.h): the engine starts with no
 * pages, so its figures are already "since start". */
static int record_status(struct runner *r, um_proc *p, const struct tr_line *l,
			 const char *text, size_t len)
{
	struct status_mem now, base = { 0 };
	char cmp[1024];
	size_t n;

	if (status_parse(text, len, &now)) {
		report(r, l->lineno, "%s", "status: the engine's status lines are incomplete");
		return 2;
	}
	n = status_compared(cmp, sizeof(cmp), &now, &base,
			    p == r->proc ? r->peak_floor_kb : 0);
	return record_text(r, l, OC_STATUS, cmp, n < sizeof(cmp) ? n : sizeof(cmp) - 1);
}

static int run_status(struct runner *r, um_proc *p, const struct tr_line *l)
{
	size_t len;
	char *text;
	int err = 0;

	if (l->nargs || l->res.kind != TR_RES_NONE) {
		report(r, l->lineno, "%s", "status takes no arguments and has no result");
		return 2;
	}
	if (!(text = status_text(p, &len)))
		return 2;
	if (r->out)
		fputs(text, r->out);
	if (r->log)
		err = record_status(r, p, l, text, len);
	free(text);
	return err;
}

int runner_line(struct runner *r, const struct tr_line *l)
{
	um_proc *p;
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
	if (!(p = proc_named(r, l->proc))) {
		report(r, l->lineno, l->proc ? "no process $%s (fork() = $name makes one; "
		       "exit ends one)" : "%sthe first process has exited", l->proc ? l->proc : "");
		return 2;
	}
	if (!strcmp(l->name, "maps"))
		return run_maps(r, p, l);
	if (!strcmp(l->name, "smaps"))
		return run_smaps(r, p, l);
	if (!strcmp(l->name, "status"))
		return run_status(r, p, l);
	if (!strcmp(l->name, "store"))
		return run_store(r, p, l);
	if (!strcmp(l->name, "load"))
		return run_load(r, p, l);
	if (!strcmp(l->name, "fork"))
		return run_fork(r, p, l);
	if (!strcmp(l->name, "exit") || !strcmp(l->name, "exit_group"))
		return run_exit(r, l);
	return run_call(r, p, l);
}

void runner_free(struct runner *r)
{
	for (int i = 0; i < r->nprocs; i++) {
		um_proc_free(r->procs[i].proc);
		free(r->procs[i].name);
	}
	r->nprocs = 0;
	for (int i = 0; i < r->nvars; i++)
		free(r->vars[i].name);
	free(r->maps_expected);
	r->nvars = 0;
	r->maps_expected = NULL;
}

/* ---- the engine side of `usermm diff` -------------------------------------------- */

int runner_add_maps_line(um_proc *p, const char *file, int lineno, const char *line)
{
	unsigned long start, end, ino;
	unsigned long long off;
	unsigned maj, min;
	char perms[8];
	int name_at = 0, err;

	if (sscanf(line, "%lx-%lx %7s %llx %x:%x %lu %n", &start, &end, perms, &off,
		   &maj, &min, &ino, &name_at) < 7) {
		fprintf(stderr, "%s:%d: not a maps line: %s\n", file, lineno, line);
		return 2;
	}
	err = um_proc_add_vma(p, start, end, perms, off, makedev(maj, min), ino,
			      name_at ? line + name_at : "");
	if (err) {
		fprintf(stderr, "%s:%d: cannot map this line (%s): %s\n", file, lineno,
			tr_errno_name(-err) ? tr_errno_name(-err) : "?", line);
		return 2;
	}
	return 0;
}

/* The native executor's starting layout as the first process. */
static int proc_from_layout(um_proc *p, const struct outcome_log *native, const char *path)
{
	char *text = strdup(native->layout_maps ? native->layout_maps : "");
	char *line, *save = NULL;
	int lineno = 0, err = 0;

	if (!text)
		return 2;
	for (line = strtok_r(text, "\n", &save); line && !err;
	     line = strtok_r(NULL, "\n", &save))
		err = runner_add_maps_line(p, "the native layout", ++lineno, line);
	free(text);
	if (!err && um_proc_set_brk(p, native->start_brk, native->brk)) {
		fprintf(stderr, "%s: the native layout's break is not usable\n", path);
		err = 2;
	}
	return err;
}

int runner_engine_outcomes(const char *path, const struct outcome_log *native,
			   struct outcome_log *out)
{
	struct um_proc_config cfg = { .cap_ipc_lock = -1, .cap_sys_rawio = -1,
				      .cap_sys_resource = -1, .empty = 1 };
	struct runner r = { 0 };
	FILE *f = fopen(path, "r");
	char *buf = NULL, err[256];
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, st = 0;

	if (!f) {
		fprintf(stderr, "usermm: cannot open %s\n", path);
		return 2;
	}
	r.engine = um_engine_new(NULL);
	r.proc = r.engine ? um_proc_new(r.engine, &cfg) : NULL;
	r.file = path;
	r.log = out;
	r.ignore_shmem_ino = true;
	r.peak_floor_kb = native->peak_kb;
	st = r.proc ? proc_from_layout(r.proc, native, path) : 2;
	while (st != 2 && (n = getline(&buf, &cap, f)) >= 0) {
		struct tr_line l;

		if (tr_parse_line(buf, (size_t)n, ++lineno, &l, err, sizeof(err))) {
			fprintf(stderr, "%s:%d: %s\n", path, lineno, err);
			st = 2;
			break;
		}
		if (runner_line(&r, &l) == 2)
			st = 2;
		tr_line_free(&l);
	}
	if (st != 2 && runner_flush_maps(&r) == 2)
		st = 2;
	free(buf);
	fclose(f);
	um_proc_free(r.proc);
	runner_free(&r);
	um_engine_free(r.engine);
	return st == 2 ? 2 : 0;
}
