#!/bin/sh
# The command-line tool: exit codes and messages, and the default layouts
# (top-down and legacy bottom-up) against the live kernel.
# Last line: "cli: N passed, N failed".
passed=0
failed=0
tmp=build/test/cli
mkdir -p "$tmp"
usermm=${USERMM:-build/test/usermm}

check() { # name, condition (0 = ok)
	if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else
		failed=$((failed + 1)); echo "FAIL $1"; fi
}

# The tour runs and every result it states holds.
"$usermm" run examples/tour.trace >"$tmp/tour.out" 2>&1
check "tour exits 0" $?

# A stated result that differs: exit 1, with the line and both results.
printf 'mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a\nmunmap($a, 0) = 0\n' >"$tmp/mismatch.trace"
"$usermm" run --quiet "$tmp/mismatch.trace" >"$tmp/mismatch.out" 2>&1
st=$?
[ $st -eq 1 ] && grep -q "mismatch.trace:2: result differs" "$tmp/mismatch.out" &&
	grep -q "got: *-1 EINVAL" "$tmp/mismatch.out"
check "mismatch exits 1 naming line 2" $?

# Malformed input: exit 2 with file and line.
printf '# ok\nmmap(NULL, 4096, PROT_READ\n' >"$tmp/bad.trace"
"$usermm" run "$tmp/bad.trace" >"$tmp/bad.out" 2>&1
[ $? -eq 2 ] && grep -q "bad.trace:2: " "$tmp/bad.out"
check "malformed line exits 2 with file:line" $?

printf 'frobnicate(1) = 0\n' >"$tmp/unknown.trace"
"$usermm" run "$tmp/unknown.trace" >"$tmp/unknown.out" 2>&1
[ $? -eq 2 ] && grep -q "unknown.trace:1: unknown call 'frobnicate'" "$tmp/unknown.out"
check "unknown call exits 2 naming it" $?

"$usermm" replay >/dev/null 2>&1
check "replay without a trace exits 2" $(( $? == 2 ? 0 : 1 ))
"$usermm" --help >/dev/null 2>&1 && "$usermm" run --help | grep -q -- "--aslr" &&
	"$usermm" replay --help | grep -q -- "--initial-maps"
check "help texts" $?

# The default layouts against the live kernel.
if command -v setarch >/dev/null 2>&1 && gcc -static -O1 -o "$tmp/layout" tests/cli/layout.c 2>/dev/null; then
	for mode in "" "-L"; do
		opt=""
		[ "$mode" = "-L" ] && opt="--legacy-layout"
		setarch -R $mode "$tmp/layout" >"$tmp/kernel$mode.txt"
		"$usermm" run $opt tests/cli/layout.trace | grep " = " | sed "s/.* = //" >"$tmp/usermm$mode.txt"
		if cmp -s "$tmp/kernel$mode.txt" "$tmp/usermm$mode.txt"; then r=0; else
			r=1; paste "$tmp/kernel$mode.txt" "$tmp/usermm$mode.txt"; fi
		check "layout ${opt:-top-down} matches the kernel" $r
	done
else
	echo "SKIP layout comparison: needs setarch and static gcc (counted as a failure)"
	failed=$((failed + 1))
fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
