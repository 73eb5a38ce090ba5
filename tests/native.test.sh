#!/bin/sh
# The native executor (build/usermm-native) on the live kernel, the outcome
# log (tools/outcome.c) and the comparison of `usermm diff` (diff_logs).
#
# The scripts are tests/native/*.trace; their written results are what this
# machine's kernel (Linux 6.18, x86-64) does, so each run must exit 0, and
# the log must hold the records checked below.  Addresses depend on the
# layout, so signal addresses are checked by their offset in the page.
#
# Environment: NATIVE (default build/usermm-native), USERMM (default
# build/test/usermm).  Run from the repository root; files go to a fresh
# build/test/native.XXXXXX, removed when every check passed.
# Last line: "native: N passed, N failed".
passed=0
failed=0
mkdir -p build/test
# A directory of its own: two test runs in one tree must not share files.
tmp=$(mktemp -d build/test/native.XXXXXX) || exit 1
native=${NATIVE:-build/usermm-native}
usermm=${USERMM:-build/test/usermm}
dir=tests/native

check() { # name, condition (0 = ok)
	if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else
		failed=$((failed + 1)); echo "FAIL $1"; fi
}

# run NAME SCRIPT: run the executor; the log in $tmp/NAME.log, stderr in
# $tmp/NAME.err, the exit status in $st.
run() {
	"$native" "$2" >"$tmp/$1.log" 2>"$tmp/$1.err"
	st=$?
}

# has NAME RECORD...: every record is a whole line of the log (a regex).
has() {
	f=$tmp/$1.log
	shift
	for r in "$@"; do
		if ! grep -Eq "^$r\$" "$f"; then
			echo "  missing record: $r"
			return 1
		fi
	done
	return 0
}

runs_clean() { # name: exit 0, nothing on stderr
	if [ "$st" -eq 0 ] && [ ! -s "$tmp/$1.err" ]; then return 0; fi
	echo "  exit $st:"
	sed 's/^/  | /' "$tmp/$1.err" | head -n 20
	return 1
}

if [ ! -x "$native" ]; then
	echo "native: $native not found (make builds it)"
	echo "native: 0 passed, 1 failed"
	exit 1
fi

# The layout header comes first, without ASLR: the stack at the top.
run anon "$dir/anon.trace"
head -n 1 "$tmp/anon.log" | grep -Eq '^layout 0x[0-9a-f]+ 0x[0-9a-f]+ [0-9]+ [0-9]+$' &&
	grep -q -- '-7ffffffff000 rw-p 00000000 00:00 0 .*\[stack\]$' "$tmp/anon.log"
check "layout header, no ASLR" $?

runs_clean anon && has anon 'L4 ret [0-9]+' 'L5 ret 0 vec 0000' 'L6 ok' \
	'L7 load 6869007468657265' 'L8 ret 0 vec 0100' 'L9 load 00000000' \
	'L10 ret 0 vec 0101' 'L11 ret 0' 'L12 ret -22'
check "anonymous memory: store, load, mincore" $?

run signals "$dir/signals.trace"
runs_clean signals && has signals \
	'L5 signal SIGSEGV SEGV_ACCERR 0x[0-9a-f]+005' \
	'L7 signal SIGSEGV SEGV_MAPERR 0x[0-9a-f]+010' \
	'L9 signal SIGSEGV SEGV_ACCERR 0x[0-9a-f]+123' \
	'L13 signal SIGSEGV SEGV_ACCERR 0x[0-9a-f]+000' 'L14 load 616200'
check "faults: SEGV_ACCERR, SEGV_MAPERR, a store that faults part-way" $?

# A file of 5000 bytes, made here; the script names it through @DIR@.
head -c 5000 /dev/zero | tr '\0' x >"$tmp/data.5000"
sed "s#@DIR@#$tmp#" "$dir/file.trace" >"$tmp/file.trace"
run file "$tmp/file.trace"
runs_clean file && has file 'L4 ret 3' 'L6 load 78787878' 'L7 load 78780000' \
	'L8 load 00' 'L9 signal SIGBUS BUS_ADRERR 0x[0-9a-f]+000' 'L10 ret 0'
check "file mapping: zeros past EOF, SIGBUS past the last page" $?

run fork "$dir/fork.trace"
runs_clean fork && has fork 'L5 fork' 'L6 ok' 'L7 load 6e6577' 'L8 load 6f6c64' \
	'L9 fork' 'L10 load 6e6577' 'L11 exit 3' 'L13 load 6f6c64' 'L14 exit 0' \
	'L17 signal SIGSEGV SEGV_MAPERR 0x[0-9a-f]+000' 'L18 load 6f6c64' \
	'L19 exit 7' 'L23 load 736861726564' 'L25 fork' 'L27 exit 9' 'L28 exit 4'
check "fork: private copies, grandchildren, exit status, shared memory" $?

# A process that dies (it unmapped its own code) is reported, not waited for.
printf 'fork() = $c\n$c munmap(0x400000, 0x100000) = 0\nmunmap(0, 4096) = 0\n' >"$tmp/dies.trace"
run dies "$tmp/dies.trace"
[ $st -eq 2 ] && grep -q 'dies.trace:2: process $c died' "$tmp/dies.err" && has dies 'L1 fork'
check "a child that dies exits 2" $?

# maps(): the record holds the text; written lines that follow are checked.
# The expected block is made from a first run; the second run must agree
# (same script path: argv is on the stack, so it moves the layout).
run maps "$dir/maps.trace"
runs_clean maps && has maps 'L4 maps [0-9]+' \
	'200000000-200001000 rw-p 00000000 00:00 0 *' '200001000-200002000 r--p 00000000 00:00 0 *'
check "maps() record" $?
cp "$dir/maps.trace" "$tmp/m.trace"
sed -n '/^L4 maps/,$p' "$tmp/maps.log" | sed '1d' | sed '/^$/d' >"$tmp/maps.text"
cat "$tmp/maps.text" >>"$tmp/m.trace"
run m "$tmp/m.trace"
runs_clean m
check "maps() with its expected block" $?
cp "$dir/maps.trace" "$tmp/m.trace"
sed 's/^\(200001000-200002000\) r--p/\1 rw-p/' "$tmp/maps.text" >>"$tmp/m.trace"
run m "$tmp/m.trace"
[ $st -eq 1 ] && grep -q "m.trace:4: maps differ at line" "$tmp/m.err"
check "a wrong maps block exits 1" $?

# A result that differs: exit 1, reported like `usermm run`; the run goes on.
printf 'mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a\nload($a, 2) = "xy"\nstore($a, "q") = SIGSEGV SEGV_MAPERR\nmunmap($a, 4096) = 0\n' >"$tmp/wrong.trace"
run wrong "$tmp/wrong.trace"
[ $st -eq 1 ] && grep -q "wrong.trace:2: result differs" "$tmp/wrong.err" &&
	grep -q 'got: *"\\000\\000"' "$tmp/wrong.err" &&
	grep -q "wrong.trace:3: result differs" "$tmp/wrong.err" && has wrong 'L4 ret 0'
check "a wrong expectation exits 1 naming the line" $?

# Bad input: exit 2 with file and line, before anything runs.
printf '# ok\nmmap(NULL, 4096, PROT_READ\n' >"$tmp/bad.trace"
run bad "$tmp/bad.trace"
[ $st -eq 2 ] && grep -q "bad.trace:2: " "$tmp/bad.err" && [ ! -s "$tmp/bad.log" ]
check "a malformed line exits 2" $?
printf 'fork() = $c\n$d load(0, 1)\n' >"$tmp/noproc.trace"
run noproc "$tmp/noproc.trace"
[ $st -eq 2 ] && grep -q "noproc.trace:2: unknown process \$d" "$tmp/noproc.err"
check "an unknown process exits 2" $?
printf 'munmap($nowhere, 4096) = 0\n' >"$tmp/novar.trace"
run novar "$tmp/novar.trace"
[ $st -eq 2 ] && grep -q "novar.trace:1: unknown variable \$nowhere" "$tmp/novar.err"
check "an unknown variable exits 2" $?

# The log format: parsing a native log and writing it back with
# outcome_write gives the same bytes; diff_logs reports the first difference.
lib=build/test/libusermm.a
san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
if [ ! -f "$lib" ]; then
	lib="build/obj/tools/outcome.o build/obj/tools/diff.o build/obj/tools/runner.o build/obj/tools/trace.o build/obj/tools/symbols.o build/libusermm.a"
	san=
fi
if ${CC:-cc} -D_GNU_SOURCE -Iinclude -Isrc -Itools -Wall -Wextra -Werror -std=gnu11 -O1 -g $san \
	-o "$tmp/difflogs" "$dir/difflogs.c" $lib >"$tmp/difflogs.build" 2>&1; then
	ok=0
	for t in anon signals fork maps; do
		"$tmp/difflogs" roundtrip "$tmp/$t.log" >"$tmp/$t.rt" && cmp -s "$tmp/$t.log" "$tmp/$t.rt" || ok=1
	done
	check "outcome_log_parse + outcome_write reproduce native logs" $ok

	"$tmp/difflogs" compare "$dir/anon.trace" "$tmp/anon.log" "$tmp/anon.log" >"$tmp/same.out"
	[ $? -eq 0 ] && grep -qx identical "$tmp/same.out"
	check "diff_logs: identical logs" $?

	sed 's/^L7 load .*/L7 load 6868007468657265/' "$tmp/anon.log" >"$tmp/anon2.log"
	"$tmp/difflogs" compare "$dir/anon.trace" "$tmp/anon.log" "$tmp/anon2.log" >"$tmp/d1.out"
	[ $? -eq 1 ] && grep -q '^tests/native/anon.trace:7: load($a, 8) = "hi\\0there"$' "$tmp/d1.out" &&
		grep -q '^  kernel: load 68 69 00' "$tmp/d1.out" && grep -q '^  usermm: load 68 68 00' "$tmp/d1.out"
	check "diff_logs: the first differing record, with the script line" $?

	grep -v '^L12 ' "$tmp/anon.log" >"$tmp/anon3.log"
	"$tmp/difflogs" compare "$dir/anon.trace" "$tmp/anon.log" "$tmp/anon3.log" >"$tmp/d2.out"
	[ $? -eq 1 ] && grep -q '^tests/native/anon.trace:12: ' "$tmp/d2.out" &&
		grep -q '^  usermm: (no record' "$tmp/d2.out"
	check "diff_logs: a log that ends early" $?

	sed 's/^\(200001000-200002000\) r--p/\1 rw-p/' "$tmp/maps.log" >"$tmp/maps2.log"
	"$tmp/difflogs" compare "$dir/maps.trace" "$tmp/maps.log" "$tmp/maps2.log" >"$tmp/d3.out"
	[ $? -eq 1 ] && grep -q '^  maps differ at line' "$tmp/d3.out" && grep -q '^--- usermm$' "$tmp/d3.out"
	check "diff_logs: maps texts" $?
else
	echo "FAIL cannot build tests/native/difflogs.c:"
	sed 's/^/  | /' "$tmp/difflogs.build" | head -n 20
	failed=$((failed + 1))
fi

# The command: help, usage errors, and bad input stopping at the native run.
"$usermm" diff --help | grep -q -- "--exec CMD" && "$usermm" help diff | grep -q "identical"
check "usermm diff --help" $?
"$usermm" diff >/dev/null 2>&1
check "usermm diff without a script exits 2" $(( $? == 2 ? 0 : 1 ))
USERMM_NATIVE=$native "$usermm" diff "$tmp/bad.trace" >/dev/null 2>"$tmp/diffbad.err"
[ $? -eq 2 ] && grep -q "bad.trace:2: " "$tmp/diffbad.err"
check "usermm diff on a malformed script exits 2" $?

# --exec CMD measures another system against the live kernel: `env` is the
# kernel itself (identical); a "system" that dies is a difference (exit 1).
scn=tests/scenarios/fork_cow_both_ways.trace
out=$(USERMM_NATIVE=$native "$usermm" diff --exec env "$scn" 2>&1)
check "usermm diff --exec env: identical to the kernel" $([ "$out" = identical ]; echo $?)
out=$(USERMM_NATIVE=$native "$usermm" diff --exec "sh -c 'kill -9 \$\$'" "$scn" 2>&1)
st=$?
[ $st -eq 1 ] && echo "$out" | grep -q "did not finish"
check "usermm diff --exec: a system that dies differs (exit 1)" $?

if [ "$failed" -eq 0 ]; then rm -rf "$tmp"; else echo "(files kept in $tmp)"; fi
echo "native: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
