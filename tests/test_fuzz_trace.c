/*
 * test_fuzz_trace.c — the trace-language fuzzer's short run for `make
 * test`: the libFuzzer target (tests/fuzz/fuzz_trace.c, whose properties
 * are listed in docs/fuzzing.md) fed with its seed corpus and with 3000
 * seeded mutations of it — bytes flipped, inserted, deleted, lines
 * spliced — under AddressSanitizer and UBSan.  A broken property aborts.
 * The long, coverage-guided run: make -f tests/fuzz/Makefile run.
 * FUZZ_TRACE_RUNS=N runs N mutations instead.
 */
#include <dirent.h>
#include "check.h"
#include "fuzz/fuzz_trace.c"

static unsigned long long rng(unsigned long long *s)
{
	unsigned long long z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t load_corpus(char **files, size_t *lens, size_t max)
{
	DIR *d = opendir("tests/fuzz/corpus");
	struct dirent *e;
	size_t n = 0;

	while (d && n < max && (e = readdir(d))) {
		char path[512];
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "tests/fuzz/corpus/%s", e->d_name);
		if (!(f = fopen(path, "rb")))
			continue;
		files[n] = malloc(1 << 16);
		lens[n] = files[n] ? fread(files[n], 1, 1 << 16, f) : 0;
		fclose(f);
		if (files[n])
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

/* One mutation of @src into @dst (at most cap bytes); its length. */
static size_t mutate(unsigned long long *s, const char *src, size_t len, char *dst,
		     size_t cap, const char *other, size_t olen)
{
	size_t n = len < cap ? len : cap;

	memcpy(dst, src, n);
	for (int k = (int)(rng(s) % 8) + 1; k > 0 && n; k--) {
		size_t at = rng(s) % n;

		switch (rng(s) % 4) {
		case 0:   /* flip a byte */
			dst[at] = (char)rng(s);
			break;
		case 1:   /* delete a run */
			memmove(dst + at, dst + at + 1, n - at - 1);
			n--;
			break;
		case 2:   /* insert a byte that matters to the grammar */
			if (n < cap) {
				memmove(dst + at + 1, dst + at, n - at);
				dst[at] = "(),\"\\=$|<>[]{}.-0x\n "[rng(s) % 21];
				n++;
			}
			break;
		default:  /* splice in a piece of another input */
			if (olen) {
				size_t from = rng(s) % olen, m = rng(s) % 64;

				if (from + m > olen)
					m = olen - from;
				if (at + m > cap)
					m = cap - at;
				memcpy(dst + at, other + from, m);
				if (at + m > n)
					n = at + m;
			}
		}
	}
	return n;
}

TEST(mutated_traces_keep_every_property)
{
	static char *files[64];
	static size_t lens[64];
	static char buf[1 << 16];
	const char *env = getenv("FUZZ_TRACE_RUNS");
	unsigned long runs = env ? strtoul(env, NULL, 0) : 3000;
	size_t n = load_corpus(files, lens, 64);
	unsigned long long s = 1;

	CHECK(n > 0);
	for (size_t i = 0; i < n; i++)
		LLVMFuzzerTestOneInput((const uint8_t *)files[i], lens[i]);
	for (unsigned long r = 0; n && r < runs; r++) {
		size_t a = rng(&s) % n, b = rng(&s) % n;
		size_t m = mutate(&s, files[a], lens[a], buf, sizeof(buf), files[b], lens[b]);

		LLVMFuzzerTestOneInput((const uint8_t *)buf, m);
	}
	for (size_t i = 0; i < n; i++)
		free(files[i]);
}

int main(void)
{
	RUN(mutated_traces_keep_every_property);
	return check_summary();
}
