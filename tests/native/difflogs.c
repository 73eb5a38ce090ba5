/*
 * difflogs — a test driver for tools/outcome.c and diff_logs (tools/diff.c),
 * used by tests/native.test.sh; it needs no engine.
 *
 *   difflogs roundtrip LOG              parse LOG and write it back with
 *                                       outcome_write (stdout): must equal
 *                                       LOG, as native.c writes it
 *   difflogs compare SCRIPT KLOG ULOG   diff_logs(SCRIPT, KLOG, ULOG): prints
 *                                       "identical" or the first difference
 *
 * Exit: diff_logs's 0/1; 2 when a log does not parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diff.h"
#include "outcome.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) &&
	    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	else
		free(buf), buf = NULL;
	fclose(f);
	return buf;
}

static int load(const char *path, struct outcome_log *log)
{
	size_t len = 0;
	char *text = slurp(path, &len);
	int err = !text || outcome_log_parse(text, len, log);

	free(text);
	if (err)
		fprintf(stderr, "difflogs: cannot parse %s\n", path);
	return err;
}

static int roundtrip(const char *path)
{
	struct outcome_log log;

	if (load(path, &log))
		return 2;
	if (log.layout_maps)
		printf("layout 0x%lx 0x%lx %zu %lu\n%s", log.start_brk, log.brk,
		       strlen(log.layout_maps), log.peak_kb, log.layout_maps);
	for (size_t i = 0; i < log.n; i++)
		outcome_write(stdout, &log.v[i]);
	outcome_log_free(&log);
	return 0;
}

static int compare(const char *script, const char *kpath, const char *upath)
{
	struct outcome_log k, u;
	int st;

	if (load(kpath, &k))
		return 2;
	if (load(upath, &u)) {
		outcome_log_free(&k);
		return 2;
	}
	st = diff_logs(script, &k, &u);
	outcome_log_free(&k);
	outcome_log_free(&u);
	return st;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "roundtrip"))
		return roundtrip(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "compare"))
		return compare(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: difflogs roundtrip LOG | compare SCRIPT KLOG ULOG\n");
	return 2;
}
