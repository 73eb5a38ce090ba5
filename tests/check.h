/*
 * check.h — the tiny test harness every C test in tests/ uses.
 *
 * A test file defines functions with TEST(name) and lists them in main with
 * RUN(name), or RUN_ISOLATED(name) to run it in a child process (an
 * abort fails that test alone).  A failed CHECK prints file:line and the
 * expression, marks the current test failed and goes on with the next test.  CHECK_EQ prints both
 * values.  main ends with `return check_summary();`, which prints
 *   "<file>: N passed, N failed"
 * and returns non-zero when anything failed.  tests/run.sh adds the counts.
 */
#ifndef USERMM_CHECK_H
#define USERMM_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static int check_passed, check_failed, check_cur_failed;
static const char *check_cur_name;

#define TEST(name) static void name(void)

#define RUN(name)                                                           \
	do {                                                                \
		check_cur_failed = 0;                                       \
		check_cur_name = #name;                                     \
		name();                                                     \
		if (check_cur_failed)                                       \
			check_failed++;                                     \
		else                                                        \
			check_passed++;                                     \
	} while (0)

#define CHECK(expr)                                                         \
	do {                                                                \
		if (!(expr)) {                                              \
			fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n",    \
				__FILE__, __LINE__, check_cur_name, #expr); \
			check_cur_failed = 1;                               \
		}                                                           \
	} while (0)

#define CHECK_EQ(a, b)                                                      \
	do {                                                                \
		long long check_a_ = (long long)(a), check_b_ = (long long)(b); \
		if (check_a_ != check_b_) {                                 \
			fprintf(stderr,                                     \
				"%s:%d: %s: %s == %s failed: %lld (0x%llx) vs %lld (0x%llx)\n", \
				__FILE__, __LINE__, check_cur_name, #a, #b, \
				check_a_, (unsigned long long)check_a_,     \
				check_b_, (unsigned long long)check_b_);    \
			check_cur_failed = 1;                               \
		}                                                           \
	} while (0)

#define CHECK_STR(a, b)                                                     \
	do {                                                                \
		const char *check_sa_ = (a), *check_sb_ = (b);              \
		if (strcmp(check_sa_, check_sb_) != 0) {                    \
			fprintf(stderr, "%s:%d: %s: strings differ:\n--- got\n%s\n--- expected\n%s\n", \
				__FILE__, __LINE__, check_cur_name,         \
				check_sa_, check_sb_);                      \
			check_cur_failed = 1;                               \
		}                                                           \
	} while (0)

/* Each test runs in a child process, so that an engine abort() (the
 * UM_DEBUG validator after every call) fails that test alone and the others
 * still run; LeakSanitizer checks each child when it exits. */
#define RUN_ISOLATED(name)                                                   \
	do {                                                                 \
		int st_;                                                     \
		pid_t pid_;                                                  \
		fflush(NULL);                                                \
		pid_ = fork();                                               \
		if (pid_ == 0) {                                             \
			RUN(name);                                           \
			fflush(NULL);                                        \
			exit(check_cur_failed);                              \
		}                                                            \
		if (pid_ < 0 || waitpid(pid_, &st_, 0) != pid_) {            \
			check_failed++;                                      \
			break;                                               \
		}                                                            \
		if (WIFEXITED(st_) && WEXITSTATUS(st_) == 0) {               \
			check_passed++;                                      \
		} else {                                                     \
			check_failed++;                                      \
			if (WIFSIGNALED(st_))                                \
				fprintf(stderr, "%s: %s: killed by signal %d\n", \
					__FILE__, #name, WTERMSIG(st_));     \
		}                                                            \
	} while (0)

static inline int check_summary_named(const char *file)
{
	printf("%s: %d passed, %d failed\n", file, check_passed, check_failed);
	return check_failed ? 1 : 0;
}
#define check_summary() check_summary_named(__FILE__)

#endif
