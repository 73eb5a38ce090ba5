#!/bin/sh
# The memory scenarios (tests/scenarios/*.trace): each must pass on the
# engine (its written results, under the sanitizers and the validator) and
# be identical under `usermm diff` (the same statements on the live kernel
# through build/usermm-native).
#
# A scenario that leaves bytes in host files (stores through a shared
# mapping, then msync, munmap or exit) has a sidecar NAME.expect saying
# what those files must hold afterwards.  Each side is checked on its own:
# the engine alone (usermm run), then the kernel alone (usermm-native), each
# followed by an independent read of the file (cmp against the expected
# bytes).  The sidecar's format:
#
#   # comment (and blank lines): ignored
#   /tmp/usermm-scn-NAME 8192     a file and its size: that many bytes,
#                                 all zero unless a run below says otherwise
#   4096 "page two"               the bytes at offset 4096 (decimal), as
#                                 printf %b reads them: \\ \n \t \0NNN (octal);
#                                 write a double quote inside as \0042
#
# Several files may follow one another; runs belong to the file above them.
#
# tests/scenarios-pending/ holds scenarios where the engine and the kernel
# still differ (see its README.md); they are not run here.
cd "$(dirname "$0")/.." || exit 2
passed=0
failed=0
out=/tmp/usermm-scn-$$.out
want=/tmp/usermm-scn-$$.want
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }

# check_expect SIDE SIDECAR: every file the sidecar names holds its bytes.
check_expect() {
	side=$1
	path=
	while read -r first rest || [ -n "$first" ]; do
		case $first in
		'' | '#'*) continue ;;
		/*)
			[ -n "$path" ] && compare_file "$side" "$path"
			path=$first
			head -c "$rest" /dev/zero >"$want" ;;
		[0-9]*)
			bytes=${rest#\"}
			bytes=${bytes%\"}
			printf '%b' "$bytes" |
				dd of="$want" bs=1 seek="$first" conv=notrunc status=none ;;
		*)
			bad "$2: cannot read the line: $first $rest" ;;
		esac
	done <"$2"
	[ -n "$path" ] && compare_file "$side" "$path"
}

compare_file() {
	if cmp "$want" "$2" >"$out" 2>&1; then ok
	else bad "$1: $2 does not hold what $expect says:"; cat "$out"; fi
}

for f in tests/scenarios/*.trace; do
	expect=${f%.trace}.expect
	if build/test/usermm run --quiet "$f" >"$out" 2>&1; then ok
	else bad "engine: $f"; cat "$out"; fi
	[ -f "$expect" ] && check_expect "engine ($f)" "$expect"
	if [ -f "$expect" ]; then
		if build/usermm-native "$f" >/dev/null 2>"$out"; then ok
		else bad "kernel: $f"; cat "$out"; fi
		check_expect "kernel ($f)" "$expect"
	fi
	res=$(build/usermm diff "$f" 2>&1)
	if [ "$res" = identical ]; then ok; else bad "diff: $f"; echo "$res"; fi
done

rm -f "$out" "$want"
# Larger pages (arm64's 16 and 64 KiB): the engine alone, since the live
# kernel here has 4 KiB pages; the results written are Linux's rules at
# that page size.
for size in 16k 64k; do
	for f in tests/scenarios-$size/*.trace; do
		if build/test/usermm run --quiet --page-size "$(echo $size | tr k K)" "$f" \
			>/tmp/usermm-scn.out 2>&1; then ok
		else bad "engine --page-size $size: $f"; cat /tmp/usermm-scn.out; fi
	done
done

# The same corpus as a conformance suite: `usermm conform` on usermm, and
# through --exec with `env` (which runs the native executor as it is, on
# the live kernel) — every scenario must pass both ways, and the table's
# total must count them all.
n=$(ls tests/scenarios/*.trace | wc -l)
for how in "" "--exec env"; do
	# shellcheck disable=SC2086
	if build/usermm conform $how >/tmp/usermm-conform.out 2>&1 &&
	   grep -q "^total *$n *$n\$" /tmp/usermm-conform.out; then ok
	else bad "usermm conform $how"; cat /tmp/usermm-conform.out; fi
done
rm -f /tmp/usermm-conform.out

echo "scenarios: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
