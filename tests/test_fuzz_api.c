/*
 * test_fuzz_api.c — the C API fuzzer's short run for `make test`: 120
 * programs from a seeded generator through the interpreter of
 * tests/fuzz/api_ops.h (random calls, loads, stores, forks and exits on
 * random and arena addresses, the validator after every call, no frame,
 * cached page or VMA left at the end).  The long run is libFuzzer's
 * (docs/fuzzing.md: make -f tests/fuzz/Makefile run-api).
 * FUZZ_API_RUNS=N in the environment runs N programs instead (from
 * FUZZ_API_FIRST, default 1); FUZZ_API_SEED=S reruns program S alone,
 * FUZZ_API_VERBOSE=1 with it prints each op and the maps after it.
 */
#include <signal.h>
#include "check.h"
#include "fuzz/api_ops.h"

static unsigned long long splitmix(unsigned long long *s)
{
	unsigned long long z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static volatile unsigned long current_seed;

/* The validator aborts: say which program it was, to rerun alone. */
static void on_abort(int sig)
{
	char msg[96];
	int n = snprintf(msg, sizeof(msg), "fuzz_api: seed %lu failed; rerun with "
			 "FUZZ_API_SEED=%lu build/test/test_fuzz_api\n", current_seed,
			 current_seed);

	if (write(2, msg, (size_t)n) < 0)
		_exit(134);
	signal(sig, SIG_DFL);
	raise(sig);
}

TEST(random_programs_keep_every_invariant)
{
	signal(SIGABRT, on_abort);
	const char *env = getenv("FUZZ_API_RUNS"), *one = getenv("FUZZ_API_SEED");
	const char *from = getenv("FUZZ_API_FIRST");
	unsigned long runs = env ? strtoul(env, NULL, 0) : 120;
	unsigned long first = one ? strtoul(one, NULL, 0) : from ? strtoul(from, NULL, 0) : 1;
	unsigned long last = one ? first : first + runs - 1;
	static unsigned char prog[2048];

	for (unsigned long seed = first; seed <= last; seed++) {
		unsigned long long s = seed;

		for (size_t i = 0; i < sizeof(prog); i += 8) {
			unsigned long long v = splitmix(&s);

			memcpy(prog + i, &v, 8);
		}
		current_seed = seed;
		fz_run(prog, sizeof(prog));   /* aborts (a failed test) on a broken invariant */
	}
	CHECK(runs > 0);
}

int main(void)
{
	RUN(random_programs_keep_every_invariant);
	return check_summary();
}
