/*
 * usermm — the command-line tool.
 *
 *   usermm run SCRIPT        run a scenario, print each call and its result
 *   usermm replay [...] LOG  replay an strace log and check every result
 *   usermm diff SCRIPT       run a scenario on the live kernel and in the
 *                            engine, and report the first difference
 *   usermm gen SEED          print a random trace for diff
 *   usermm minimize SCRIPT   shrink a trace that diff finds different
 *
 * Exit status: 0 all results matched; 1 a result or the maps differed;
 * 2 bad usage or malformed input (reported with file and line).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "usermm.h"
#include "alloc.h"
#include "trace.h"
#include "runner.h"
#include "diff.h"
#include "conform.h"
#include "gen.h"
#include "minimize.h"

static const char usage_main[] =
"usage: usermm COMMAND [OPTIONS] FILE\n"
"\n"
"usermm models Linux's memory-mapping system call by call: the same\n"
"addresses, errno values, VMA merges and splits, and /proc/PID/maps text\n"
"as the live kernel.\n"
"\n"
"Commands:\n"
"  run SCRIPT       run a scenario written in the trace language and print\n"
"                   each call with its result; lines that give a result are\n"
"                   checked (exit 1 on a difference)\n"
"  replay [--initial-maps FILE] [--brk ADDR] [--final-maps FILE] TRACE\n"
"                   replay the calls of an `strace -f` log from a starting\n"
"                   layout and check every result and the final maps\n"
"  diff [--exec CMD] SCRIPT\n"
"                   run a scenario on the live kernel (usermm-native) and in\n"
"                   the engine, and report the first outcome that differs\n"
"  conform [--exec CMD] [PATH...]\n"
"                   run the scenario corpus on usermm (or, with --exec, on\n"
"                   another system) and print scenarios passed per call group\n"
"  gen SEED [--lines N]\n"
"                   print a deterministic random trace (calls, loads and\n"
"                   stores, forks) for diff\n"
"  minimize SCRIPT [-o OUT]\n"
"                   shrink a script that diff finds different to a minimal\n"
"                   one that still differs\n"
"  help [COMMAND]   this text, or a command's own\n"
"\n"
"Run `usermm COMMAND --help` for a command's options.\n";

static const char usage_run[] =
"usage: usermm run [--quiet] [--smaps] [--status] SCRIPT\n"
"\n"
"Runs SCRIPT (use - for standard input) in a fresh process laid out like a\n"
"static program under `setarch -R`: [stack], [vvar], [vvar_vclock], [vdso],\n"
"[vsyscall], fds 0-2, an empty break at 0x555555559000.\n"
"\n"
"The trace language, one statement per line, as strace prints calls:\n"
"  mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a\n"
"  mprotect($a+0x1000, 4096, PROT_READ) = 0\n"
"  munmap($a, 4096) = -1 EINVAL (Invalid argument)\n"
"  maps()            print /proc/PID/maps; maps lines that follow are checked\n"
"  smaps($a)         print the /proc/PID/smaps entry of the VMA holding $a\n"
"  smaps($a, \"Rss\") = 8   check one of its fields (kB)\n"
"  status()          print the memory lines of /proc/PID/status\n"
"  # comment\n"
"A result after '=' is checked; '= $name' binds it; no '=' just runs the call.\n"
"Calls: mmap munmap mprotect brk mremap madvise mlock mlock2 munlock mlockall\n"
"munlockall msync mincore open openat close dup ftruncate read write pread64\n"
"pwrite64 lseek.  read/write's buffer is the process's memory ($a+8) or a\n"
"\"string\": write's bytes, or what read must return (checked as far as given).\n"
"Memory and processes:\n"
"  store($a, \"bytes\") = 0         store as a CPU would (faults, COW); or a\n"
"                                 signal: = SIGSEGV SEGV_ACCERR, SIGBUS BUS_ADRERR\n"
"  load($a+8, 4) = \"\\0\\0ab\"       read and check the bytes (or the signal)\n"
"  fork() = $c                    a child; lines starting \"$c \" run in it\n"
"  $c exit(0)                     the child exits (shared pages written back)\n"
"\n"
"  --quiet          do not echo calls, only report differences\n"
"  --smaps          at the end, print the first process's whole smaps\n"
"  --status         at the end, print the first process's status lines\n"
"  --aslr SEED      randomise the layout (as without setarch -R), from SEED\n"
"  --legacy-layout  allocate bottom-up from task_size/3 (vm.legacy_va_layout)\n"
"  --page-size SIZE 4K (default), 16K or 64K: arm64's page sizes; alignment,\n"
"                   faults, mincore and the page tables follow it\n"
"  --mem SIZE       physical memory (the frame pool), e.g. 256M; default 1G\n"
"  --fail-nth N     fault injection: the Nth allocation of the library from\n"
"                   the script's first line on fails (results may then\n"
"                   differ; the engine must stay valid and leak nothing);\n"
"                   exit 3 when the script makes fewer than N\n"
"Exit: 0 every checked result matched, 1 a result differed, 2 bad input.\n";

static const char usage_replay[] =
"usage: usermm replay [--initial-maps FILE] [--brk ADDR] [--final-maps FILE]\n"
"                     [--verbose] TRACE\n"
"\n"
"Replays TRACE, the output of `strace -f -o TRACE` (only the memory, file\n"
"and descriptor calls are run; other lines are understood and skipped).\n"
"  --initial-maps FILE  start from this /proc/PID/maps text: every line\n"
"                       becomes a VMA with its perms, offset, file or name\n"
"  --brk ADDR           the program break at the start (hex)\n"
"  --final-maps FILE    after the last call, the maps must equal this text\n"
"                       (the inode of /dev/zero (deleted) is not compared)\n"
"  --verbose            echo every call as it is replayed\n"
"fds 0, 1 and 2 are open at the start.  On the first divergence, prints the\n"
"trace line, the call, the expected and actual results and the VMAs around\n"
"the address, and exits 1.  Malformed input exits 2.\n";

struct source {
	const char *name;
	FILE *f;
	char *line;
	size_t cap;
	int lineno;
};

static int source_open(struct source *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	if (!s->f) {
		fprintf(stderr, "usermm: cannot open %s\n", name);
		return 2;
	}
	return 0;
}

static void source_close(struct source *s)
{
	if (s->f && s->f != stdin)
		fclose(s->f);
	free(s->line);
}

/* Next parsed line: 1 got one, 0 end of file, 2 malformed (reported). */
static int source_next(struct source *s, struct tr_line *l)
{
	char err[256];
	ssize_t n = getline(&s->line, &s->cap, s->f);

	if (n < 0)
		return 0;
	s->lineno++;
	if (tr_parse_line(s->line, (size_t)n, s->lineno, l, err, sizeof(err))) {
		fprintf(stderr, "%s:%d: %s\n", s->name, s->lineno, err);
		return 2;
	}
	return 1;
}

/* ---- run ---------------------------------------------------------------------- */

/* "16K", "256M", "1G" or a number of bytes; 0 when it is none of those. */
static unsigned long parse_size(const char *t)
{
	char *end;
	unsigned long v = strtoul(t, &end, 0);
	int shift = 0;

	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	}
	if (*end || end == t || v > (~0UL >> shift))
		return 0;
	return v << shift;
}

/* --smaps, --status: the views of the first process when the script ends
 * (nothing once it has exited). */
static void print_views(um_proc *p, int smaps, int status)
{
	if (p && smaps)
		um_smaps_print(p, stdout);
	if (p && status)
		um_status_print(p, stdout);
}

static int cmd_run(int argc, char **argv)
{
	struct um_engine_config ecfg = { .overcommit_memory = -1, .thp_enabled = 1 };
	struct runner r = { 0 };
	struct source s;
	struct tr_line l;
	const char *file = NULL;
	struct um_proc_config cfg = { .cap_ipc_lock = -1, .cap_sys_rawio = -1,
				      .cap_sys_resource = -1 };
	int quiet = 0, st = 0, got, smaps = 0, status = 0;
	unsigned long fail_nth = 0, fail_base = 0;
	char *end;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_run, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--quiet")) {
			quiet = 1;
		} else if (!strcmp(argv[i], "--smaps")) {
			smaps = 1;
		} else if (!strcmp(argv[i], "--status")) {
			status = 1;
		} else if (!strcmp(argv[i], "--aslr") && i + 1 < argc) {
			cfg.randomize = 1;
			cfg.seed = strtoull(argv[++i], &end, 0);
			if (*end) {
				fprintf(stderr, "usermm: --aslr needs a number\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--legacy-layout")) {
			cfg.legacy_layout = 1;
		} else if (!strcmp(argv[i], "--fail-nth") && i + 1 < argc) {
			fail_nth = strtoul(argv[++i], &end, 0);
			if (*end || !fail_nth) {
				fprintf(stderr, "usermm: --fail-nth needs a number from 1\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--page-size") && i + 1 < argc) {
			ecfg.page_size = parse_size(argv[++i]);
			if (ecfg.page_size != 4096 && ecfg.page_size != 16384 &&
			    ecfg.page_size != 65536) {
				fprintf(stderr, "usermm: --page-size is 4K, 16K or 64K\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--mem") && i + 1 < argc) {
			if (!(ecfg.mem_bytes = parse_size(argv[++i]))) {
				fprintf(stderr, "usermm: --mem needs a size (256M, 1G, ...)\n");
				return 2;
			}
		} else if (!file) {
			file = argv[i];
		} else {
			fputs(usage_run, stderr);
			return 2;
		}
	}
	if (!file) {
		fputs(usage_run, stderr);
		return 2;
	}
	if (source_open(&s, file))
		return 2;
	r.engine = um_engine_new(&ecfg);
	if (!r.engine) {
		fprintf(stderr, "usermm: cannot make the engine: %s\n", strerror(errno));
		return 2;
	}
	r.proc = um_proc_new(r.engine, &cfg);
	if (!r.proc) {
		fprintf(stderr, "usermm: out of memory\n");
		return 2;
	}
	r.file = file;
	r.out = quiet ? NULL : stdout;
	r.check_vectors = true;
	if (fail_nth) {   /* counted from the script's first line on */
		fail_base = um_alloc_count();
		um_fail_nth_alloc(fail_nth);
	}
	while ((got = source_next(&s, &l)) == 1) {
		int ret = runner_line(&r, &l);

		if (l.kind == TR_NOTHING && r.out)
			fprintf(r.out, "%s\n", l.raw);

		tr_line_free(&l);
		if (ret == 2) {
			st = 2;
			break;
		}
	}
	if (got == 2)
		st = 2;
	if (!st && runner_flush_maps(&r) == 2)
		st = 2;
	if (!st && r.mismatches)
		st = 1;
	print_views(r.proc, smaps, status);
	runner_free(&r);
	um_proc_free(r.proc);
	um_engine_free(r.engine);
	source_close(&s);
	/* --fail-nth: say when the script made fewer allocations than N, so a
	 * sweep knows it has passed the last one (exit 3). */
	if (fail_nth && um_alloc_count() - fail_base < fail_nth) {
		um_fail_nth_alloc(0);
		fprintf(stderr, "usermm: --fail-nth %lu: the script makes fewer allocations\n",
			fail_nth);
		return 3;
	}
	return st;
}

/* ---- replay -------------------------------------------------------------------- */

static char *read_file(const char *name)
{
	FILE *f = fopen(name, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[4096];

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (len + n + 1 > cap) {
			char *nb = realloc(buf, cap = (len + n + 1) * 2);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!buf)
		buf = calloc(1, 1);
	else
		buf[len] = '\0';
	return buf;
}

static int load_initial_maps(um_proc *p, const char *file)
{
	char *text = read_file(file), *line, *save = NULL;
	int lineno = 0, st = 0;

	if (!text) {
		fprintf(stderr, "usermm: cannot read %s\n", file);
		return 2;
	}
	for (line = strtok_r(text, "\n", &save); line && !st;
	     line = strtok_r(NULL, "\n", &save))
		st = runner_add_maps_line(p, file, ++lineno, line);
	free(text);
	return st;
}

static unsigned long call_addr(const struct tr_line *l)
{
	return l->nargs > 0 ? l->args[0].value : 0;
}

/* Replay the trace; 0, 1 (divergence, reported) or 2. */
static int replay_lines(struct runner *r, struct source *s)
{
	struct tr_line l, pending = { 0 }, joined;
	long main_pid = -1;
	bool have_pending = false;
	char err[256];
	int got, ret = 0;

	while (!ret && (got = source_next(s, &l)) == 1) {
		if (l.pid >= 0 && (l.kind == TR_CALL || l.kind == TR_UNFINISHED ||
				   l.kind == TR_RESUMED)) {
			if (main_pid < 0)
				main_pid = l.pid;
			else if (l.pid != main_pid) {
				fprintf(stderr, "%s:%d: a second process (pid %ld): fork is not supported yet\n",
					s->name, l.lineno, l.pid);
				ret = 2;
			}
		}
		if (!ret && l.kind == TR_UNFINISHED) {
			if (have_pending)
				tr_line_free(&pending);
			pending = l;
			have_pending = true;
			continue;
		}
		if (!ret && l.kind == TR_RESUMED) {
			if (!have_pending || tr_join(&pending, &l, &joined, err, sizeof(err))) {
				fprintf(stderr, "%s:%d: %s\n", s->name, l.lineno,
					have_pending ? err : "resumed call without its start");
				ret = 2;
			} else {
				tr_line_free(&l);
				l = joined;
			}
			if (have_pending)
				tr_line_free(&pending);
			have_pending = false;
		}
		if (!ret) {
			ret = runner_line(r, &l);
			if (ret == 1) {
				fprintf(stderr, "  VMAs around %#lx:\n", call_addr(&l));
				print_maps_around(stderr, r->proc, call_addr(&l));
			}
		}
		tr_line_free(&l);
	}
	if (have_pending)
		tr_line_free(&pending);
	return ret ? ret : (got == 2 ? 2 : 0);
}

static int check_final_maps(struct runner *r, const char *file)
{
	char *want = read_file(file), *got;
	size_t n;
	int diff;

	if (!want) {
		fprintf(stderr, "usermm: cannot read %s\n", file);
		return 2;
	}
	n = um_maps(r->proc, NULL, 0);
	got = malloc(n + 1);
	if (!got) {
		free(want);
		return 2;
	}
	um_maps(r->proc, got, n + 1);
	diff = maps_compare(got, want, true);
	if (diff)
		fprintf(stderr, "%s: final maps differ at line %d\n--- expected\n%s--- got\n%s",
			file, diff, want, got);
	free(want);
	free(got);
	return diff ? 1 : 0;
}

static int cmd_replay(int argc, char **argv)
{
	const char *initial = NULL, *final = NULL, *trace = NULL, *brk = NULL;
	struct um_proc_config cfg = { .empty = 1, .cap_ipc_lock = -1,
				      .cap_sys_rawio = -1, .cap_sys_resource = -1 };
	struct runner r = { 0 };
	struct um_stats st;
	struct source s;
	int verbose = 0, ret;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_replay, stdout);
			return 0;
		} else if (!strcmp(a, "--initial-maps") && i + 1 < argc) {
			initial = argv[++i];
		} else if (!strcmp(a, "--final-maps") && i + 1 < argc) {
			final = argv[++i];
		} else if (!strcmp(a, "--brk") && i + 1 < argc) {
			brk = argv[++i];
		} else if (!strcmp(a, "--verbose")) {
			verbose = 1;
		} else if (a[0] != '-' && !trace) {
			trace = a;
		} else {
			fputs(usage_replay, stderr);
			return 2;
		}
	}
	if (!trace) {
		fputs(usage_replay, stderr);
		return 2;
	}
	if (source_open(&s, trace))
		return 2;
	r.engine = um_engine_new(NULL);
	cfg.empty = initial != NULL;
	r.proc = r.engine ? um_proc_new(r.engine, &cfg) : NULL;
	if (!r.proc) {
		fprintf(stderr, "usermm: out of memory\n");
		source_close(&s);
		return 2;
	}
	r.file = trace;
	r.out = verbose ? stdout : NULL;
	r.ignore_shmem_ino = true;
	ret = initial ? load_initial_maps(r.proc, initial) : 0;
	if (!ret && brk) {
		char *end;
		unsigned long b = strtoul(brk, &end, 16);

		um_proc_stats(r.proc, &st);
		if (*end || um_proc_set_brk(r.proc, st.start_brk ? st.start_brk : b, b)) {
			fprintf(stderr, "usermm: bad --brk value %s\n", brk);
			ret = 2;
		}
	}
	if (!ret)
		ret = replay_lines(&r, &s);
	if (!ret && runner_flush_maps(&r))
		ret = 1;
	if (!ret && final)
		ret = check_final_maps(&r, final);
	runner_free(&r);
	um_proc_free(r.proc);
	um_engine_free(r.engine);
	source_close(&s);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_main, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc > 2 && !strcmp(argv[2], "run"))
			fputs(usage_run, stdout);
		else if (argc > 2 && !strcmp(argv[2], "replay"))
			fputs(usage_replay, stdout);
		else if (argc > 2 && !strcmp(argv[2], "diff"))
			fputs(diff_usage, stdout);
		else if (argc > 2 && !strcmp(argv[2], "conform"))
			fputs(conform_usage, stdout);
		else if (argc > 2 && !strcmp(argv[2], "gen"))
			fputs(gen_usage, stdout);
		else if (argc > 2 && !strcmp(argv[2], "minimize"))
			fputs(minimize_usage, stdout);
		else
			fputs(usage_main, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "replay"))
		return cmd_replay(argc - 2, argv + 2);
	if (!strcmp(argv[1], "diff"))
		return diff_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "conform"))
		return conform_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "gen"))
		return gen_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "minimize"))
		return minimize_main(argc - 2, argv + 2);
	fprintf(stderr, "usermm: unknown command '%s'\n\n%s", argv[1], usage_main);
	return 2;
}
