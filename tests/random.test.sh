#!/bin/sh
# Random differential testing (docs/conformance.md, "Random differential
# testing"): seeds 1..200 through
#     build/usermm gen SEED >T && build/usermm diff T
# which runs each trace on the live kernel and in the engine and compares
# every outcome (two jobs at once, tests/random/check-seeds.sh).
#
# A seed that diverges fails, unless tests/random/known-divergences lists it
# (an engine bug already reported: see tests/scenarios-pending/README.md);
# those are printed as SKIP with their reason.  A failing seed is minimised
# (usermm minimize --same) into tests/scenarios-pending/random-SEED.trace,
# and the commands that reproduce it are printed.  A listed seed that no
# longer diverges is reported (NOTE) so that the list can shrink.
#
# Environment: RANDOM_SEEDS=N runs seeds 1..N instead; RANDOM_ONLY="7 19"
# runs just these; USERMM (default build/usermm: the release build, with the
# native executor next to it).  Work files: build/test/random.
# Last line: "random: N passed, N failed, N skipped".
cd "$(dirname "$0")/.." || exit 2
usermm=${USERMM:-build/usermm}
known=tests/random/known-divergences
pending=tests/scenarios-pending
WORK=build/test/random
export USERMM="$usermm" WORK
rm -rf "$WORK"
mkdir -p "$WORK" || exit 2
seeds=${RANDOM_ONLY:-$(seq 1 "${RANDOM_SEEDS:-200}")}

passed=0
failed=0
skipped=0

# The reason a seed is listed for, or nothing.
known_reason() {
	sed -n "s/^$1[ 	][ 	]*//p" "$known" 2>/dev/null | head -n 1
}

fail_seed() { # seed, what diff said
	failed=$((failed + 1))
	echo "FAIL seed $1: $2"
	sed 's/^/    /' "$WORK/$1.out" | head -n 12
	if [ "$3" = diff ] &&
	   "$usermm" minimize --same "$WORK/$1.trace" -o "$pending/random-$1.trace" \
		>"$WORK/$1.min" 2>&1; then
		echo "    minimised: $pending/random-$1.trace ($(wc -l <"$pending/random-$1.trace") lines)"
		echo "    reproduce: $usermm diff $pending/random-$1.trace"
	fi
	echo "    reproduce: $usermm gen $1 >/tmp/r.trace && $usermm diff /tmp/r.trace"
}

echo $seeds | tr ' ' '\n' | xargs -P 2 -n 20 sh tests/random/check-seeds.sh \
	>"$WORK/results" 2>&1
sort -k2 -n "$WORK/results" >"$WORK/results.sorted"
while read -r verdict seed rest; do
	reason=$(known_reason "$seed")
	case $verdict in
	PASS)
		passed=$((passed + 1))
		[ -n "$reason" ] && echo "NOTE seed $seed is identical now but listed in $known ($reason): remove it"
		;;
	DIFF)
		if [ -n "$reason" ]; then
			skipped=$((skipped + 1))
			echo "SKIP seed $seed (known divergence: $reason)"
		else
			fail_seed "$seed" "$rest" diff
		fi
		;;
	*)
		fail_seed "$seed" "$verdict $rest" bad
		;;
	esac
done <"$WORK/results.sorted"
total=$(echo $seeds | wc -w)
if [ $((passed + failed + skipped)) -ne "$total" ]; then
	echo "FAIL: $((passed + failed + skipped)) results for $total seeds (see $WORK/results)"
	failed=$((failed + 1))
fi
echo "random: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
