/*
 * conform.c — `usermm conform [--exec CMD] [--verbose] [PATH...]`: the
 * scenario corpus as a conformance suite, with a table of scenarios passed
 * per call group.
 *
 * Design notes
 *
 *  1. A scenario is a trace whose results are written in it, as the live
 *     kernel gave them.  The group is the file name up to its first '_'
 *     (mmap_, madvise_, fork_, ...), so the corpus's naming is the table.
 *  2. The system measured:
 *       - usermm (no --exec): the engine must give every written result
 *         (`usermm run --quiet`, with this binary's engine), and
 *         `usermm diff` must find it identical to the kernel on every
 *         outcome, loaded bytes, signals and maps included;
 *       - another system (--exec CMD): the native executor runs under it,
 *         as `CMD usermm-native SCRIPT` without ASLR, and must meet every
 *         written result (its exit status 0).  That is what an emulator
 *         owes a program: the kernel's answers.  Lines that print maps
 *         are compared only where the scenario wrote the lines out.
 *  3. Each run is a child process with a time limit (CONFORM_TIMEOUT
 *     seconds, default 120, for valgrind), so a hang or crash of the
 *     system under test fails one scenario, not the suite.
 *  4. Exit status: 0 when every scenario passed, 1 when any failed, 2 on
 *     bad usage or an unreadable corpus.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "conform.h"
#include "diff.h"

const char conform_usage[] =
"usage: usermm conform [--exec CMD] [--verbose] [PATH...]\n"
"\n"
"Runs the scenario corpus (the .trace files of each PATH, a directory or a\n"
"file; default tests/scenarios) and prints, per call group (the file name\n"
"up to its first '_'), how many scenarios passed, then the failures.\n"
"  (no --exec)   usermm: the engine meets every written result and\n"
"                `usermm diff` finds it identical to the live kernel\n"
"  --exec CMD    another system: `CMD usermm-native SCRIPT` (through\n"
"                /bin/sh, without ASLR) meets every written result, e.g.\n"
"                --exec qemu-x86_64 or --exec 'valgrind -q --tool=none'\n"
"  --verbose     print each scenario's result as it runs\n"
"Each run has CONFORM_TIMEOUT seconds (default 120).\n"
"Exit: 0 all passed, 1 some failed, 2 bad usage.\n";

struct scenario {
	char *path;
	char group[32];
	int passed;
};

struct corpus {
	struct scenario *v;
	size_t n, cap;
};

static int add_scenario(struct corpus *c, const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t glen = strcspn(base, "_.");
	struct scenario *s;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct scenario *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return -1;
		c->v = v;
		c->cap = cap;
	}
	s = &c->v[c->n];
	if (!(s->path = strdup(path)))
		return -1;
	if (glen >= sizeof(s->group))
		glen = sizeof(s->group) - 1;
	memcpy(s->group, base, glen);
	s->group[glen] = '\0';
	s->passed = 0;
	c->n++;
	return 0;
}

static bool is_trace(const char *name)
{
	size_t n = strlen(name);

	return n > 6 && !strcmp(name + n - 6, ".trace");
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .trace of a directory, in name order. */
static int add_dir(struct corpus *c, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int err = 0;

	if (!d)
		return -1;
	while (!err && (e = readdir(d))) {
		if (!is_trace(e->d_name))
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 256) * sizeof(*nn));

			if (!nn) {
				err = -1;
				break;
			}
			names = nn;
		}
		if (asprintf(&names[n], "%s/%s", dir, e->d_name) < 0)
			err = -1;
		else
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		if (!err)
			err = add_scenario(c, names[i]);
		free(names[i]);
	}
	free(names);
	return err;
}

/* Run argv (or CMD "$@" through /bin/sh when @cmd is set) without ASLR,
 * its output discarded, within the time limit; its exit status, or -1.
 * The limit is kept by the parent with SIGKILL to the child's process
 * group: an emulator may handle SIGALRM itself (qemu passes it to the
 * guest) and spin on. */
static int run_quiet(const char *cmd, char *const argv[])
{
	const char *t = getenv("CONFORM_TIMEOUT");
	long limit = t && atoi(t) > 0 ? atoi(t) : 120;
	struct timespec now, deadline;
	int st;
	pid_t pid = fork(), r;

	if (pid < 0)
		return -1;
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		setpgid(0, 0);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		personality(ADDR_NO_RANDOMIZE);
		if (cmd) {
			char script[PATH_MAX + 16];
			char *sh[] = { "sh", "-c", script, "sh", argv[0], argv[1], NULL };

			snprintf(script, sizeof(script), "exec %s \"$@\"", cmd);
			execv("/bin/sh", sh);
		} else {
			execv(argv[0], argv);
		}
		_exit(127);
	}
	setpgid(pid, pid);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += limit;
	while ((r = waitpid(pid, &st, WNOHANG)) == 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > deadline.tv_sec ||
		    (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec))
			break;
		usleep(200);   /* most runs take a few milliseconds */
	}
	if (r == 0) {
		kill(-pid, SIGKILL);
		waitpid(pid, &st, 0);
		return -1;
	}
	return r < 0 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int run_one(const char *self, const char *native, const char *cmd,
		   const char *path)
{
	if (cmd) {
		char *argv[] = { (char *)native, (char *)path, NULL };

		return run_quiet(cmd, argv) == 0;
	} else {
		char *run[] = { (char *)self, "run", "--quiet", (char *)path, NULL };
		char *diff[] = { (char *)self, "diff", (char *)path, NULL };

		return run_quiet(NULL, run) == 0 && run_quiet(NULL, diff) == 0;
	}
}

static void print_table(const struct corpus *c, const char *system)
{
	size_t total = 0, ok = 0;

	printf("%-14s %7s %7s   (%s)\n", "group", "passed", "of", system);
	for (size_t i = 0; i < c->n; i++) {
		size_t n = 0, p = 0;
		bool first = true;

		for (size_t j = 0; j < i && first; j++)
			first = strcmp(c->v[j].group, c->v[i].group) != 0;
		if (!first)
			continue;
		for (size_t j = i; j < c->n; j++)
			if (!strcmp(c->v[j].group, c->v[i].group)) {
				n++;
				p += (size_t)c->v[j].passed;
			}
		printf("%-14s %7zu %7zu\n", c->v[i].group, p, n);
		total += n;
		ok += p;
	}
	printf("%-14s %7zu %7zu\n", "total", ok, total);
	for (size_t i = 0; i < c->n; i++)
		if (!c->v[i].passed)
			printf("FAIL %s\n", c->v[i].path);
}

int conform_main(int argc, char **argv)
{
	struct corpus c = { 0 };
	const char *cmd = NULL;
	char self[PATH_MAX];
	char *native;
	bool verbose = false, any = false;
	ssize_t n;
	int st = 0;

	for (int i = 0; i < argc && !st; i++) {
		struct stat sb;

		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(conform_usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--exec") && i + 1 < argc) {
			cmd = argv[++i];
		} else if (!strcmp(argv[i], "--verbose")) {
			verbose = true;
		} else if (argv[i][0] != '-' && !stat(argv[i], &sb)) {
			any = true;
			st = S_ISDIR(sb.st_mode) ? add_dir(&c, argv[i]) : add_scenario(&c, argv[i]);
		} else {
			fprintf(stderr, "usermm conform: %s: %s\n", argv[i],
				argv[i][0] == '-' ? "unknown option" : strerror(errno));
			return 2;
		}
	}
	if (!st && !any)
		st = add_dir(&c, "tests/scenarios");
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	native = diff_find_native();
	if (st || !c.n || n < 0 || !native) {
		fprintf(stderr, "usermm conform: %s\n", !native ? "cannot find usermm-native" :
			"no scenarios (run from the source tree, or name a directory)");
		free(native);
		return 2;
	}
	self[n] = '\0';
	for (size_t i = 0; i < c.n; i++) {
		c.v[i].passed = run_one(self, native, cmd, c.v[i].path);
		if (verbose)
			fprintf(stderr, "%s %s\n", c.v[i].passed ? "ok  " : "FAIL", c.v[i].path);
	}
	print_table(&c, cmd ? cmd : "usermm");
	for (size_t i = 0; i < c.n; i++) {
		st |= !c.v[i].passed;
		free(c.v[i].path);
	}
	free(c.v);
	free(native);
	return st ? 1 : 0;
}
