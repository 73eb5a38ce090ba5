/*
 * diff.h — `usermm diff`: run one script on the live kernel (through the
 * native executor, build/usermm-native) and in the engine, and report the
 * first statement whose outcome differs (outcome.h).
 */
#ifndef USERMM_DIFF_H
#define USERMM_DIFF_H

#include "outcome.h"

/* The native executor's path (malloc'ed), found as diff finds it:
 * $USERMM_NATIVE, next to usermm, then PATH; NULL when there is none. */
char *diff_find_native(void);

/* The command's --help text. */
extern const char diff_usage[];

/* `usermm diff [--exec CMD] SCRIPT`; argv holds the arguments after "diff".
 * Returns the exit status: 0 identical, 1 an outcome differed (reported on
 * stdout), 2 bad usage or input, or the native executor crashed. */
int diff_main(int argc, char **argv);



/* Compare the kernel's and usermm's logs of the script at @path record by
 * record, in order.  Prints the first difference as
 *     SCRIPT:LINE: <the script line>
 *       kernel: <record>
 *       usermm: <record>
 * (both maps texts for a maps record; "no record" when one log ends first)
 * and returns 1; prints "identical" and returns 0 when they agree. */
int diff_logs(const char *path, const struct outcome_log *kernel,
	      const struct outcome_log *usermm);

#endif
