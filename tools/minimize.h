/*
 * minimize.h — `usermm minimize`: delta debugging over the lines of a
 * script that `usermm diff` finds different (design notes in minimize.c).
 */
#ifndef USERMM_MINIMIZE_H
#define USERMM_MINIMIZE_H

/* The command's --help text. */
extern const char minimize_usage[];

/* `usermm minimize SCRIPT [-o OUT]`; argv holds the arguments after
 * "minimize".  Returns the exit status: 0 a minimal script was written,
 * 1 SCRIPT does not differ, 2 bad usage or I/O error. */
int minimize_main(int argc, char **argv);

#endif
