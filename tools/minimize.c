/*
 * minimize.c — `usermm minimize SCRIPT [-o OUT]`: shrink a script that
 * `usermm diff` finds different (exit 1) to a small one that still is.
 *
 * Design notes
 *
 *  1. The oracle is `usermm diff` itself, run as a separate process: this
 *     binary (/proc/self/exe) with `diff CANDIDATE`, stdout and stderr to
 *     /dev/null, and $USERMM_NATIVE set to the native executor diff would
 *     find for us (so the child finds the same one).  A candidate is kept
 *     only when diff exits 1.  Exit 2 — bad input, such as a child's lines
 *     without the fork that made it, or a crashed native run — and exit 0
 *     both reject it.  Any difference counts, not only the original one:
 *     a smaller trace may show a simpler bug than the one it started from,
 *     which is a finding too.  With --same, diff's stdout comes back
 *     through a pipe instead, and a candidate must also report its first
 *     difference on the same call with the same kind of kernel record
 *     (signature()), so that the search stays on the original divergence.
 *  2. Lines are the unit.  First the comment and blank lines go (one test),
 *     then ddmin (Zeller and Hildebrandt's delta debugging: try each of n
 *     chunks alone, then each complement; on success restart at the coarser
 *     granularity, else double n until chunks are single lines), then one
 *     line at a time, last to first, until no line can go (ddmin's result
 *     is 1-minimal only with respect to its last granularity's chunks).
 *  3. Candidates are written to one temporary file in a private directory
 *     (mkdtemp), removed at the end.  A candidate that makes diff run longer
 *     than CAND_TIMEOUT seconds is killed (SIGALRM survives exec) and
 *     rejected.
 *  4. Output: the minimal script to OUT (default: SCRIPT with ".trace"
 *     replaced by ".min.trace"), and on stdout the command that reruns it.
 *     Progress goes to stderr.  Exit 0 when a minimal script was written,
 *     1 when SCRIPT does not differ to begin with, 2 on bad usage or I/O.
 *  5. Determinism.  A candidate must differ because of its own lines, but
 *     files outlive a run: the native run leaves its file contents to the
 *     engine run, and one candidate's to the next.  So a line that creates
 *     a file afresh (O_CREAT and O_TRUNC: what `usermm gen`'s prologue
 *     does) is never removed, and the result is run RECHECKS more times,
 *     with a warning when it does not differ every time.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "diff.h"
#include "minimize.h"

#define CAND_TIMEOUT 60
#define RECHECKS     3         /* reruns of the result (design note 5) */

const char minimize_usage[] =
"usage: usermm minimize [--same] SCRIPT [-o OUT]\n"
"\n"
"SCRIPT must make `usermm diff` report a difference (exit 1).  Removes\n"
"lines while that stays true — delta debugging (ddmin) over the lines, then\n"
"one line at a time until none can go — and writes what is left to OUT\n"
"(default: SCRIPT with .trace replaced by .min.trace).  A candidate that\n"
"diff rejects as bad input (exit 2), such as a child's lines without its\n"
"fork, is not kept.  Lines that create a file afresh (O_CREAT|O_TRUNC)\n"
"stay, so that no run sees the files an earlier one left.  Each candidate\n"
"runs as `usermm diff` in a process of its own, with the native executor\n"
"diff finds for this usermm; the result is rerun 3 times.\n"
"\n"
"  --same     keep a candidate only if its first difference is on the same\n"
"             call with the same kind of kernel outcome (\"read ret\",\n"
"             \"store signal\") as SCRIPT's, so that the search does not\n"
"             wander to another, simpler divergence\n"
"  -o OUT     where to write the minimal script\n"
"\n"
"Prints the command that reruns the minimal script.\n"
"Exit: 0 written, 1 SCRIPT does not differ, 2 bad usage or I/O error.\n";

struct min {
	char **lines;              /* the script, without newlines */
	int nlines;
	char cand[PATH_MAX];       /* the candidate file */
	long tests;                /* diff runs so far */
	int same;                  /* --same: the first difference's signature */
	char want[256], got[256];  /* must stay the original's (want) */
};

/* ---- the script ------------------------------------------------------------ */

static int read_lines(struct min *m, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int room = 0;

	if (!f)
		return -1;
	while ((n = getline(&line, &cap, f)) >= 0) {
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if (m->nlines == room) {
			char **nl = realloc(m->lines, (size_t)(room = room ? room * 2 : 256) *
					    sizeof(*nl));
			if (!nl)
				break;
			m->lines = nl;
		}
		if (!(m->lines[m->nlines] = strdup(line)))
			break;
		m->nlines++;
	}
	free(line);
	fclose(f);
	return n >= 0 ? -1 : 0;
}

/* Write the lines named by idx[0..n) to path; 0 or -1. */
static int write_lines(const struct min *m, const char *path, const int *idx, int n)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (int i = 0; i < n; i++)
		fprintf(f, "%s\n", m->lines[idx[i]]);
	return fclose(f) ? -1 : 0;
}

/* ---- the oracle (design notes 1 and 3) ---------------------------------------- */

/* In the child: stdin and stderr to /dev/null, stdout to out_fd (a pipe
 * for --same) or /dev/null too; then `usermm diff path`. */
__attribute__((noreturn))
static void exec_diff(const char *path, int out_fd)
{
	int null = open("/dev/null", O_RDWR);

	if (null >= 0) {
		dup2(null, 0);
		dup2(out_fd >= 0 ? out_fd : null, 1);
		dup2(null, 2);
	}
	alarm(CAND_TIMEOUT);
	execl("/proc/self/exe", "usermm", "diff", path, (char *)NULL);
	_exit(127);
}

/* What diff reported first, as "CALL KIND": the statement's call name
 * (without a "$c " prefix) and the first word of the kernel's record, from
 * "PATH:LINE: [$c ]CALL(...)\n  kernel: KIND ...".  Empty if unknown. */
static void signature(const char *path, const char *out, char *sig, size_t size)
{
	const char *p = out, *k;
	size_t n;

	sig[0] = '\0';
	if (strncmp(p, path, strlen(path)))
		return;
	p += strlen(path) + strspn(p + strlen(path), ":0123456789");
	p += strspn(p, " ");
	if (*p == '$')
		p += strcspn(p, " ") + 1;
	n = strcspn(p, "(\n");
	k = strstr(p, "\n  kernel: ");
	if (!k)
		return;
	k += strlen("\n  kernel: ");
	snprintf(sig, size, "%.*s %.*s", (int)n, p, (int)strcspn(k, " \n"), k);
}

/* Read the first 4 KiB the child writes (then drain the rest). */
static void read_report(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t k;
	char sink[4096];

	while (len < size - 1 && (k = read(fd, buf + len, size - 1 - len)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		len += (size_t)k;
	}
	buf[len] = '\0';
	while ((k = read(fd, sink, sizeof(sink))) > 0 || (k < 0 && errno == EINTR))
		;
}

/* `usermm diff` on idx[0..n): its exit status, or -1; with m->same, the
 * signature of its report into m->got. */
static int diff_status(struct min *m, const int *idx, int n)
{
	int p[2] = { -1, -1 }, st;
	char report[4096];
	pid_t pid;

	if (write_lines(m, m->cand, idx, n) || (m->same && pipe(p)))
		return -1;
	m->tests++;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (p[0] >= 0)
			close(p[0]);
		exec_diff(m->cand, p[1]);
	}
	if (p[1] >= 0)
		close(p[1]);
	if (p[0] >= 0) {
		read_report(p[0], report, sizeof(report));
		signature(m->cand, report, m->got, sizeof(m->got));
		close(p[0]);
	}
	if (pid < 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Design note 1: exit 1 (and with --same, the same signature). */
static int still_differs(struct min *m, const int *idx, int n)
{
	return n > 0 && diff_status(m, idx, n) == 1 &&
	       (!m->same || !strcmp(m->got, m->want));
}

/* ---- ddmin and the line-by-line pass (design note 2) ---------------------------- */

/* A line that creates a file afresh (O_CREAT and O_TRUNC) stays (design
 * note 5). */
static int pinned(const struct min *m, int line)
{
	const char *s = m->lines[line];

	return strstr(s, "O_CREAT") && strstr(s, "O_TRUNC");
}

/* The lines of cur[0..n) with chunk [from, to) kept alone (keep) or left
 * out, into out (pinned lines always kept); the count. */
static int take(const struct min *m, const int *cur, int n, int from, int to,
		int keep, int *out)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		if ((i >= from && i < to) == keep || pinned(m, cur[i]))
			out[k++] = cur[i];
	return k;
}

/* One round at granularity gran: 1 when cur shrank (kept in cur, *n). */
static int ddmin_round(struct min *m, int *cur, int *n, int *gran, int *scratch)
{
	int chunk = (*n + *gran - 1) / *gran;

	for (int pass = 0; pass < 2; pass++)
		for (int from = 0; from < *n; from += chunk) {
			int to = from + chunk < *n ? from + chunk : *n;
			int k = take(m, cur, *n, from, to, pass == 0, scratch);

			if (k == *n || !still_differs(m, scratch, k))
				continue;
			memcpy(cur, scratch, (size_t)k * sizeof(*cur));
			*n = k;
			/* A chunk alone: start over at 2; a complement: one fewer. */
			*gran = pass == 0 ? 2 : (*gran > 3 ? *gran - 1 : 2);
			fprintf(stderr, "minimize: %d lines (ddmin, %ld runs)\n", *n, m->tests);
			return 1;
		}
	return 0;
}

static void ddmin(struct min *m, int *cur, int *n, int *scratch)
{
	int gran = 2;

	while (*n >= 2) {
		if (ddmin_round(m, cur, n, &gran, scratch))
			continue;
		if (gran >= *n)
			break;
		gran = gran * 2 < *n ? gran * 2 : *n;
	}
}

/* Remove single lines, last to first, until none can go. */
static void one_by_one(struct min *m, int *cur, int *n, int *scratch)
{
	int changed = 1;

	while (changed) {
		changed = 0;
		for (int i = *n - 1; i >= 0 && *n > 1; i--) {
			int k = take(m, cur, *n, i, i + 1, 0, scratch);

			if (k == *n || !still_differs(m, scratch, k))
				continue;
			memcpy(cur, scratch, (size_t)k * sizeof(*cur));
			*n = k;
			changed = 1;
			fprintf(stderr, "minimize: %d lines (one by one, %ld runs)\n", *n, m->tests);
		}
	}
}

/* Drop comments and blank lines when that keeps the difference. */
static void drop_comments(struct min *m, int *cur, int *n, int *scratch)
{
	int k = 0;

	for (int i = 0; i < *n; i++) {
		const char *s = m->lines[cur[i]] + strspn(m->lines[cur[i]], " \t");

		if ((*s && *s != '#') || pinned(m, cur[i]))
			scratch[k++] = cur[i];
	}
	if (k < *n && still_differs(m, scratch, k)) {
		memcpy(cur, scratch, (size_t)k * sizeof(*cur));
		*n = k;
	}
}

/* ---- the command ------------------------------------------------------------------ */

static char *default_out(const char *script)
{
	size_t n = strlen(script);
	char *out = malloc(n + 16);

	if (!out)
		return NULL;
	if (n > 6 && !strcmp(script + n - 6, ".trace"))
		n -= 6;
	sprintf(out, "%.*s.min.trace", (int)n, script);
	return out;
}

/* Find the native executor once, for every candidate (design note 1). */
static int set_native(void)
{
	char *native = diff_find_native();
	char abs[PATH_MAX];

	if (!native) {
		fprintf(stderr, "usermm minimize: cannot find usermm-native\n");
		return -1;
	}
	if (realpath(native, abs))
		setenv("USERMM_NATIVE", abs, 1);
	else
		setenv("USERMM_NATIVE", native, 1);
	free(native);
	return 0;
}

static int minimize(struct min *m, const char *script, const char *out)
{
	int *cur = calloc((size_t)m->nlines + 1, sizeof(int));
	int *scratch = calloc((size_t)m->nlines + 1, sizeof(int));
	int n = m->nlines, st = 2, first;

	if (!cur || !scratch)
		goto out;
	for (int i = 0; i < n; i++)
		cur[i] = i;
	first = diff_status(m, cur, n);
	if (first != 1) {
		fprintf(stderr, "usermm minimize: %s does not differ (usermm diff exits %d)\n",
			script, first);
		st = first == 0 ? 1 : 2;
		goto out;
	}
	if (m->same) {
		strcpy(m->want, m->got);
		fprintf(stderr, "minimize: keeping the first difference at \"%s\"\n", m->want);
	}
	drop_comments(m, cur, &n, scratch);
	ddmin(m, cur, &n, scratch);
	one_by_one(m, cur, &n, scratch);
	for (int i = 0; i < RECHECKS; i++)
		if (!still_differs(m, cur, n))
			fprintf(stderr, "usermm minimize: warning: the result does not always "
				"differ (run %d of %d): something outside the script matters\n",
				i + 1, RECHECKS);
	if (write_lines(m, out, cur, n)) {
		fprintf(stderr, "usermm minimize: cannot write %s\n", out);
		goto out;
	}
	printf("%s: %d of %d lines still differ (%ld runs of usermm diff)\n",
	       out, n, m->nlines, m->tests);
	printf("rerun: %s diff %s\n", program_invocation_name, out);
	st = 0;
out:
	free(cur);
	free(scratch);
	return st;
}

static int parse_args(int argc, char **argv, struct min *m, const char **script,
		      const char **out)
{
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(minimize_usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--same")) {
			m->same = 1;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			*out = argv[++i];
		} else if (!*script && argv[i][0] != '-') {
			*script = argv[i];
		} else {
			fputs(minimize_usage, stderr);
			return 2;
		}
	}
	if (!*script) {
		fputs(minimize_usage, stderr);
		return 2;
	}
	return -1;
}

int minimize_main(int argc, char **argv)
{
	const char *script = NULL, *out = NULL;
	char dir[] = "/tmp/usermm-minimize-XXXXXX", *def = NULL;
	struct min m = { 0 };
	int st = parse_args(argc, argv, &m, &script, &out);

	if (st >= 0)
		return st;
	if (read_lines(&m, script)) {
		fprintf(stderr, "usermm minimize: cannot read %s\n", script);
		return 2;
	}
	if (!out && !(out = def = default_out(script)))
		return 2;
	if (set_native() || !mkdtemp(dir)) {
		free(def);
		return 2;
	}
	snprintf(m.cand, sizeof(m.cand), "%s/candidate.trace", dir);
	st = minimize(&m, script, out);
	unlink(m.cand);
	rmdir(dir);
	for (int i = 0; i < m.nlines; i++)
		free(m.lines[i]);
	free(m.lines);
	free(def);
	return st;
}
