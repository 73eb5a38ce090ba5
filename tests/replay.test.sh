#!/bin/sh
# The replay acceptance test (see tests/replay/README.md).
#
# For each seed: run tests/replay/randprog under
#     setarch -R strace -f -e trace=%memory,%file,%desc
# (tests/replay/capture.sh), then
#     build/test/usermm replay --initial-maps initial.maps --brk BRK
#                              --final-maps final.maps sequence.trace
# which must reproduce every result and the final maps.
#
# Environment:
#   REPLAY_SEEDS   number of seeds: runs seeds 1..N (default 300)
#   REPLAY_ONLY    an explicit list of seeds instead, such as "7" or "7 19 23"
#   REPLAY_NCALLS  calls per sequence (default: randprog's, 150)
#   USERMM         the binary to test (default build/test/usermm)
#   REPLAY_KEEP    if set, keep the directories of passing seeds too
#
# Run from the repository root.  Last line: "replay: N passed, N failed".
set -u
seeds=${REPLAY_SEEDS:-300}
ncalls=${REPLAY_NCALLS:-}
usermm=${USERMM:-build/test/usermm}
work=build/test/replay
capture=tests/replay/capture.sh

missing=
for tool in setarch strace gcc; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	echo "************************************************************"
	echo "SKIP replay: missing tool(s):$missing"
	echo "The replay acceptance test cannot run; counted as a failure."
	echo "************************************************************"
	echo "replay: 0 passed, 1 failed"
	exit 1
fi
# The tools exist; can they work here (a static libc, ptrace allowed)?
mkdir -p "$work" || exit 1
if ! sh "$capture" --build >"$work/build.out" 2>&1; then
	echo "************************************************************"
	echo "SKIP replay: cannot build tests/replay/randprog with gcc -static:"
	cat "$work/build.out"
	echo "************************************************************"
	echo "replay: 0 passed, 1 failed"
	exit 1
fi
if ! setarch -R strace -f -o /dev/null true >"$work/probe.out" 2>&1; then
	echo "************************************************************"
	echo "SKIP replay: 'setarch -R strace true' does not work here:"
	cat "$work/probe.out"
	echo "************************************************************"
	echo "replay: 0 passed, 1 failed"
	exit 1
fi
if [ ! -x "$usermm" ]; then
	echo "replay: $usermm not found (build it with make test)"
	echo "replay: 0 passed, 1 failed"
	exit 1
fi

if [ -n "${REPLAY_ONLY:-}" ]; then
	list=$REPLAY_ONLY
else
	case $seeds in
	'' | *[!0-9]*) echo "replay: REPLAY_SEEDS must be a number"; echo "replay: 0 passed, 1 failed"; exit 1 ;;
	esac
	list=$(seq 1 "$seeds")
fi

# Seeds whose replay is known to diverge from the kernel, each with the
# reason; they are reported loudly and counted as skipped.  A listed seed
# that starts passing fails the test until it is removed from the list, so
# the list can only shrink.
known_file=tests/replay/known-divergences
is_known() { grep -Eq "^$1( |$)" "$known_file" 2>/dev/null; }

passed=0
failed=0
skipped=0
for seed in $list; do
	dir=$work/seed$seed
	if ! sh "$capture" "$seed" "$dir" $ncalls >"$work/capture.out" 2>&1; then
		echo "FAIL seed $seed: capture failed:"
		cat "$work/capture.out"
		failed=$((failed + 1))
		continue
	fi
	if "$usermm" replay --initial-maps "$dir/initial.maps" --brk "$(cat "$dir/initial.brk")" \
		--final-maps "$dir/final.maps" "$dir/sequence.trace" >"$dir/replay.out" 2>&1; then
		if is_known "$seed"; then
			echo "FAIL seed $seed passes now: remove it from $known_file"
			failed=$((failed + 1))
		else
			passed=$((passed + 1))
		fi
		[ -n "${REPLAY_KEEP:-}" ] || rm -rf "$dir"
	elif is_known "$seed"; then
		echo "SKIP seed $seed: KNOWN DIVERGENCE ($(grep -E "^$seed( |$)" "$known_file" | cut -d' ' -f2-)); first difference:"
		grep -E -m1 -A3 "differs|differ at" "$dir/replay.out" | sed 's/^/  | /'
		skipped=$((skipped + 1))
	else
		st=$?
		echo "FAIL seed $seed (usermm replay exit $st); reproduce with:"
		echo "    REPLAY_ONLY=$seed sh tests/replay.test.sh"
		echo "  trace: $dir/sequence.trace"
		head -n 40 "$dir/replay.out" | sed 's/^/  | /'
		failed=$((failed + 1))
	fi
done
echo "replay: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
