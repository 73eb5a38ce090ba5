# usermm — plain make.  Targets: all (default), test, run, bench, fuzz, soak,
# install, clean.
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra -Werror -std=gnu11
CPPFLAGS = -D_GNU_SOURCE -Iinclude -Isrc -Itools
PREFIX  ?= /usr/local

LIB_SRC   = $(sort $(wildcard src/*.c))
TOOL_SRC  = $(filter-out tools/usermm.c tools/native.c,$(sort $(wildcard tools/*.c)))
TEST_SRC  = $(sort $(wildcard tests/test_*.c))

OBJ       = $(LIB_SRC:src/%.c=build/obj/%.o)
PIC_OBJ   = $(LIB_SRC:src/%.c=build/pic/%.o)
TOOL_OBJ  = $(TOOL_SRC:tools/%.c=build/obj/tools/%.o)

# The test variant: sanitizers, and the validator after every mutation.
SAN       = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
T_CFLAGS  = -O1 -g $(SAN) -DUM_DEBUG=1
T_OBJ     = $(LIB_SRC:src/%.c=build/test/obj/%.o) $(TOOL_SRC:tools/%.c=build/test/obj/tools/%.o)
T_BINS    = $(TEST_SRC:tests/%.c=build/test/%)

.PHONY: all test run bench fuzz soak faultsweep install clean
all: build/libusermm.a build/libusermm.so build/usermm build/usermm-native

build/obj/%.o: src/%.c $(wildcard src/*.h include/*.h) | build/obj
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -c $< -o $@
build/pic/%.o: src/%.c $(wildcard src/*.h include/*.h) | build/pic
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -fPIC -c $< -o $@
build/obj/tools/%.o: tools/%.c $(wildcard tools/*.h src/*.h include/*.h) | build/obj/tools
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -c $< -o $@

build/libusermm.a: $(OBJ)
	rm -f $@ && ar rcs $@ $^
build/libusermm.so: $(PIC_OBJ)
	$(CC) -shared -o $@ $^
build/usermm: tools/usermm.c $(TOOL_OBJ) build/libusermm.a
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -o $@ $< $(TOOL_OBJ) build/libusermm.a

# The native executor: a static program (no loader, no libc.so in its layout)
# that runs a script on the live kernel; `usermm diff` finds it next to usermm.
NATIVE_SRC = tools/native.c tools/trace.c tools/symbols.c tools/proctext.c
build/usermm-native: $(NATIVE_SRC) tools/trace.h tools/proctext.h | build/obj
	$(CC) $(CPPFLAGS) $(WARN) -static -O1 -g -o $@ $(NATIVE_SRC)

# ---- test build -----------------------------------------------------------
build/test/obj/%.o: src/%.c $(wildcard src/*.h include/*.h) | build/test/obj
	$(CC) $(CPPFLAGS) $(WARN) $(T_CFLAGS) -c $< -o $@
build/test/obj/tools/%.o: tools/%.c $(wildcard tools/*.h src/*.h include/*.h) | build/test/obj/tools
	$(CC) $(CPPFLAGS) $(WARN) $(T_CFLAGS) -c $< -o $@
build/test/libusermm.a: $(T_OBJ)
	rm -f $@ && ar rcs $@ $^
build/test/test_%: tests/test_%.c tests/check.h tests/fuzz/api_ops.h build/test/libusermm.a
	$(CC) $(CPPFLAGS) -Itests $(WARN) $(T_CFLAGS) -o $@ $< build/test/libusermm.a
build/test/usermm: tools/usermm.c build/test/libusermm.a
	$(CC) $(CPPFLAGS) $(WARN) $(T_CFLAGS) -o $@ $< build/test/libusermm.a

test: all $(T_BINS) build/test/usermm
	@sh tests/run.sh

run: build/usermm
	./build/usermm run examples/tour.trace

bench: build/libusermm.a
	$(MAKE) -C bench

fuzz:
	$(MAKE) -f tests/fuzz/Makefile

# Random differential testing over many seeds (tests/random/soak.sh).
SOAK_FROM ?= 1
SOAK_TO   ?= 100000
# Fault injection over the whole corpus (docs/fuzzing.md).
faultsweep: build/test/usermm
	sh tests/faultsweep.test.sh tests/scenarios/*.trace

soak: build/usermm build/usermm-native
	SOAK_FROM=$(SOAK_FROM) SOAK_TO=$(SOAK_TO) sh tests/random/soak.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin
	install -m 644 include/usermm.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 build/libusermm.a build/libusermm.so $(DESTDIR)$(PREFIX)/lib/
	install -m 755 build/usermm build/usermm-native $(DESTDIR)$(PREFIX)/bin/

build/obj build/pic build/obj/tools build/test/obj build/test/obj/tools:
	mkdir -p $@

clean:
	rm -rf build
