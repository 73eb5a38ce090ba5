/*
 * fuzz_api.c — libFuzzer target for the C API: each input is a program for
 * the interpreter in api_ops.h (see there for what is checked).
 */
#include "api_ops.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	fz_run(data, size);
	return 0;
}
