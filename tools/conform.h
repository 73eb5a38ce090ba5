/*
 * conform.h — `usermm conform`: the scenario corpus as a conformance
 * suite for usermm or any system the native executor can run under.
 */
#ifndef USERMM_CONFORM_H
#define USERMM_CONFORM_H

extern const char conform_usage[];
/* argv holds the arguments after "conform"; returns the exit status. */
int conform_main(int argc, char **argv);

#endif
