/*
 * diff.c — `usermm diff [--exec CMD] SCRIPT` (see diff.h).
 *
 * Design notes
 *
 *  1. The kernel side is a separate program, usermm-native, because it
 *     must own a whole address space: it is found through $USERMM_NATIVE,
 *     then next to the running usermm (/proc/self/exe), then on PATH.  Its
 *     stdout (the outcome log) is captured; its stderr passes through, so
 *     its reports of results written in the script are seen as they are.
 *  2. With --exec CMD the engine is not involved: the native executor runs
 *     twice, directly (the live kernel) and as `CMD usermm-native
 *     SCRIPT` (the system measured, e.g. an emulator), and the two logs
 *     are compared as kernel and CMD (addresses included: where an
 *     emulator places memory is part of what it gets right or wrong).
 *     CMD runs under /bin/sh -c (CMD "$@").  The child sets
 *     ADDR_NO_RANDOMIZE before exec, as setarch -R does, so neither the
 *     executor nor a CMD hosting it runs with ASLR.
 *  3. Its exit status decides whether there is a log to compare: 0 and 1
 *     (a written expectation differed) give one; 2 was bad input, already
 *     reported; anything else (a signal, 127) means it crashed.  Both are 2.
 *  4. The engine side, runner_engine_outcomes (runner.c), starts from the
 *     native log's layout header.  Until runner.c provides it, a weak stub
 *     here says so and fails with 2.
 *  5. The logs are compared record by record, in order; the first pair
 *     that differs, or the first record one log lacks, is the answer.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include <unistd.h>
#include "diff.h"
#include "runner.h"
#include "trace.h"

const char diff_usage[] =
"usage: usermm diff [--exec CMD] SCRIPT\n"
"\n"
"Runs SCRIPT twice: on the live kernel, by usermm-native (found next to\n"
"usermm, else on PATH, or named by $USERMM_NATIVE), in a process without\n"
"ASLR; and in the engine, in a process started from the layout the native\n"
"run began with.  Every executed statement leaves a record (a system\n"
"call's return and mincore's vector, a store's completion or signal, the\n"
"bytes of a load, fork, exit, the maps text, an smaps entry, the status\n"
"lines), and the two sequences of records are compared in order.  status()\n"
"compares VmHWM, VmRSS and Rss* as growth since the script started (the\n"
"executor's own pages are not the engine's), VmExe+VmLib as one figure,\n"
"and leaves VmPTE out.\n"
"\n"
"  --exec CMD   measure another system instead of usermm: the native\n"
"               executor runs on the live kernel and as `CMD usermm-native\n"
"               SCRIPT` (through /bin/sh -c), e.g. --exec qemu-x86_64, and\n"
"               those two runs are compared (a crash under CMD is a\n"
"               difference)\n"
"\n"
"Prints `identical`, or the first difference:\n"
"  SCRIPT:LINE: <the script line>\n"
"    kernel: <what the kernel did>\n"
"    usermm: <what the engine did>\n"
"Exit: 0 identical, 1 a difference, 2 bad input or the native run crashed.\n";

/* Until runner.c implements it (design note 4). */
__attribute__((weak))
int runner_engine_outcomes(const char *path, const struct outcome_log *native,
			   struct outcome_log *out)
{
	(void)path;
	(void)native;
	(void)out;
	fprintf(stderr, "engine outcomes not implemented yet\n");
	return 2;
}

/* ---- finding and running the native executor ----------------------------------- */

static char *join(const char *dir, size_t dlen, const char *name)
{
	char *p = malloc(dlen + strlen(name) + 2);

	if (p)
		sprintf(p, "%.*s/%s", (int)dlen, dir, name);
	return p;
}

static char *executable(char *path)
{
	if (path && access(path, X_OK) == 0)
		return path;
	free(path);
	return NULL;
}

static char *find_in_path(const char *name)
{
	const char *path = getenv("PATH"), *p;
	char *found = NULL;

	for (p = path; p && *p && !found; p += *p == ':') {
		size_t n = strcspn(p, ":");

		found = n ? executable(join(p, n, name)) : NULL;
		p += n;
	}
	return found;
}

char *diff_find_native(void)
{
	const char *env = getenv("USERMM_NATIVE");
	char self[PATH_MAX], *slash, *found;
	ssize_t n;

	if (env && *env)
		return strdup(env);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash && (found = executable(join(self, (size_t)(slash - self),
						      "usermm-native"))))
			return found;
	}
	return find_in_path("usermm-native");
}

__attribute__((noreturn))
static void exec_native(const char *cmd, const char *native, const char *script)
{
	if (cmd) {
		char *sh = malloc(strlen(cmd) + 8);

		if (sh) {
			sprintf(sh, "%s \"$@\"", cmd);
			execl("/bin/sh", "sh", "-c", sh, "sh", native, script, (char *)NULL);
		}
	} else {
		execl(native, "usermm-native", script, (char *)NULL);
	}
	fprintf(stderr, "usermm diff: cannot run %s: %s\n", cmd ? "/bin/sh" : native,
		strerror(errno));
	_exit(127);
}

/* Read fd to its end into a malloc'ed buffer; NULL on error. */
static char *read_all(int fd, size_t *len)
{
	size_t cap = 1 << 16;
	char *buf = malloc(cap), *nb;
	ssize_t k;

	*len = 0;
	while (buf && (k = read(fd, buf + *len, cap - *len)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		*len += (size_t)k;
		if (*len == cap) {
			nb = realloc(buf, cap *= 2);
			if (!nb)
				break;
			buf = nb;
		}
	}
	if (buf && k != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Run it; its stdout in *text, its wait status in *status.  0 or -1. */
static int run_native(const char *cmd, const char *native, const char *script,
		      char **text, size_t *len, int *status)
{
	int p[2];
	pid_t pid;

	fflush(NULL);
	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		/* As setarch -R: inherited by the executor, or by the CMD that
		 * hosts it, which then need not re-exec (see native.c). */
		personality((unsigned long)personality(0xffffffff) | ADDR_NO_RANDOMIZE);
		close(p[0]);
		if (dup2(p[1], 1) < 0)
			_exit(127);
		close(p[1]);
		exec_native(cmd, native, script);
	}
	close(p[1]);
	*text = pid < 0 ? NULL : read_all(p[0], len);
	close(p[0]);
	if (pid < 0)
		return -1;
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return *text ? 0 : -1;
}

/* Design note 3: 0 when the log can be used, else 2 (reported). */
static int native_status(int st)
{
	if (WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 1))
		return 0;
	if (WIFSIGNALED(st))
		fprintf(stderr, "usermm diff: the native executor crashed (%s)\n",
			tr_signal_name(WTERMSIG(st)) ? tr_signal_name(WTERMSIG(st)) : "signal");
	else if (WEXITSTATUS(st) != 2)
		fprintf(stderr, "usermm diff: the native executor failed (exit %d)\n",
			WEXITSTATUS(st));
	return 2;
}

/* ---- comparing ------------------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *text;

	if (!f)
		return NULL;
	text = read_all(fileno(f), len);
	fclose(f);
	return text;
}

/* Line @n (1-based) of text as a string in buf. */
static const char *script_line(const char *text, size_t len, int n, char *buf, size_t size)
{
	const char *p = text, *end = text + len, *e;

	for (int i = 1; p && i < n; i++) {
		p = memchr(p, '\n', (size_t)(end - p));
		p = p ? p + 1 : NULL;
	}
	if (!p || p >= end)
		return "(no such line in the script)";
	e = memchr(p, '\n', (size_t)(end - p));
	e = e ? e : end;
	if (e > p && e[-1] == '\r')
		e--;
	snprintf(buf, size, "%.*s", (int)(e - p), p);
	return buf;
}

/* The name of the side compared with the kernel: usermm, or --exec's CMD. */
static const char *g_other = "usermm";

static void print_side(const char *who, const struct outcome *o, int line)
{
	char d[512];

	if (!o) {
		printf("  %s: (no record: its log ends before this line)\n", who);
		return;
	}
	outcome_describe(o, d, sizeof(d));
	if (o->line != line)
		printf("  %s: (line %d) %s\n", who, o->line, d);
	else
		printf("  %s: %s\n", who, d);
}

/* Both texts of a maps, smaps or status record, and the first line that
 * differs (maps_compare's rule: a shmem inode is no difference). */
static void print_texts(const struct outcome *k, const struct outcome *u)
{
	const char *kt = k->data ? (const char *)k->data : "";
	const char *ut = u->data ? (const char *)u->data : "";
	const char *what = k->kind == OC_MAPS ? "maps" : k->kind == OC_SMAPS ? "smaps" :
			   "status";

	printf("  %s differ at line %d\n--- kernel\n%s--- %s\n%s", what,
	       maps_compare(kt, ut, true), kt, g_other, ut);
}

static void report(const char *path, const char *text, size_t len,
		   const struct outcome *k, const struct outcome *u)
{
	int line = k && u ? (k->line < u->line ? k->line : u->line) : k ? k->line : u->line;
	char buf[1024];

	printf("%s:%d: %s\n", path, line,
	       text ? script_line(text, len, line, buf, sizeof(buf)) : "(script unreadable)");
	print_side("kernel", k, line);
	print_side(g_other, u, line);
	if (k && u && k->kind == u->kind &&
	    (k->kind == OC_MAPS || k->kind == OC_SMAPS || k->kind == OC_STATUS))
		print_texts(k, u);
}

int diff_logs(const char *path, const struct outcome_log *kernel,
	      const struct outcome_log *usermm)
{
	size_t n = kernel->n > usermm->n ? kernel->n : usermm->n, len = 0;
	char *text;

	for (size_t i = 0; i < n; i++) {
		const struct outcome *k = i < kernel->n ? &kernel->v[i] : NULL;
		const struct outcome *u = i < usermm->n ? &usermm->v[i] : NULL;

		if (k && u && outcome_equal(k, u))
			continue;
		text = read_file(path, &len);
		report(path, text, len, k, u);
		free(text);
		return 1;
	}
	printf("identical\n");
	return 0;
}

/* ---- the command ------------------------------------------------------------------ */

static int compare(const char *script, const char *text, size_t len)
{
	struct outcome_log native, engine;
	int st;

	if (outcome_log_parse(text, len, &native)) {
		fprintf(stderr, "usermm diff: the native executor's log is malformed\n");
		return 2;
	}
	if (!native.layout_maps) {
		fprintf(stderr, "usermm diff: the native log has no layout header\n");
		outcome_log_free(&native);
		return 2;
	}
	memset(&engine, 0, sizeof(engine));
	st = runner_engine_outcomes(script, &native, &engine) ? 2 : 0;
	if (!st)
		st = diff_logs(script, &native, &engine);
	outcome_log_free(&native);
	outcome_log_free(&engine);
	return st;
}

/* --exec CMD: the live kernel's log against CMD's (design note 2). */
static int diff_systems(const char *cmd, const char *native, const char *script)
{
	char *ktext = NULL, *stext = NULL;
	size_t klen = 0, slen = 0;
	int kst = 0, sst = 0, st;
	struct outcome_log klog, slog;

	if (run_native(NULL, native, script, &ktext, &klen, &kst) || native_status(kst)) {
		free(ktext);
		return 2;
	}
	if (run_native(cmd, native, script, &stext, &slen, &sst) ||
	    !(WIFEXITED(sst) && WEXITSTATUS(sst) <= 1)) {
		printf("%s: under %s the native executor did not finish (%s %d)\n", script,
		       cmd, WIFSIGNALED(sst) ? "signal" : "exit",
		       WIFSIGNALED(sst) ? WTERMSIG(sst) : WEXITSTATUS(sst));
		free(ktext);
		free(stext);
		return 1;
	}
	if (outcome_log_parse(ktext, klen, &klog)) {
		free(ktext);
		free(stext);
		return 2;
	}
	if (outcome_log_parse(stext, slen, &slog)) {
		printf("%s: under %s the native executor's log is malformed\n", script, cmd);
		outcome_log_free(&klog);
		free(ktext);
		free(stext);
		return 1;
	}
	g_other = cmd;
	st = diff_logs(script, &klog, &slog);
	outcome_log_free(&klog);
	outcome_log_free(&slog);
	free(ktext);
	free(stext);
	return st;
}

static int diff_run(const char *cmd, const char *script)
{
	char *native = diff_find_native(), *text = NULL;
	size_t len = 0;
	int status = 0, st;

	if (!native) {
		fprintf(stderr, "usermm diff: cannot find usermm-native (next to usermm or on PATH)\n");
		return 2;
	}
	if (cmd) {
		st = diff_systems(cmd, native, script);
		free(native);
		return st;
	}
	if (run_native(NULL, native, script, &text, &len, &status)) {
		fprintf(stderr, "usermm diff: cannot run %s\n", native);
		st = 2;
	} else {
		st = native_status(status);
	}
	if (!st)
		st = compare(script, text, len);
	free(text);
	free(native);
	return st;
}

int diff_main(int argc, char **argv)
{
	const char *cmd = NULL, *script = NULL;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(diff_usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--exec") && i + 1 < argc) {
			cmd = argv[++i];
		} else if (!script && argv[i][0] != '-') {
			script = argv[i];
		} else {
			fputs(diff_usage, stderr);
			return 2;
		}
	}
	if (!script || access(script, R_OK)) {
		if (script)
			fprintf(stderr, "usermm diff: cannot read %s\n", script);
		else
			fputs(diff_usage, stderr);
		return 2;
	}
	return diff_run(cmd, script);
}
