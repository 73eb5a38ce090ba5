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
# Before the seeds, a few checks of gen and minimize themselves.
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

check() { # name, status (0 = ok)
	if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else
		failed=$((failed + 1)); echo "FAIL $1"; fi
}

# The tools themselves.  gen is deterministic.
"$usermm" gen 42 >"$WORK/g1" && "$usermm" gen 42 >"$WORK/g2" && cmp -s "$WORK/g1" "$WORK/g2"
check "gen 42 prints the same trace twice" $?
"$usermm" gen 42 --lines 10 --without otrunc,bogus >/dev/null 2>&1
check "gen rejects an unknown --without feature (exit 2)" $(($? != 2))
# Every address gen hands to a call or an access lies in the arena
# (0x200000000, 64 MiB; regions may end past it), or is NULL: the native
# executor's own memory is never touched.
for seed in 1 2 3 4 5 6 7 8 9 10; do "$usermm" gen $seed --lines 400; done |
	grep -E '^(\$c[0-9]+ )?(store|load|mmap|munmap|mprotect|mremap|madvise|mlock|mlock2|munlock|msync|mincore)\(' |
	sed -E 's/^(\$c[0-9]+ )?[a-z0-9]+\(([^,]*),.*/\2/' |
	grep -v -E '^(NULL|0x20[0-3][0-9a-f]{6})$' >"$WORK/outside"
check "gen's addresses stay in the arena ($(wc -l <"$WORK/outside") outside: $WORK/outside)" \
	$(($(wc -l <"$WORK/outside") != 0))
# minimize refuses a script that does not differ (exit 1) ...
printf 'mmap(0x200000000, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)\nmaps()\n' \
	>"$WORK/same.trace"
"$usermm" minimize "$WORK/same.trace" -o "$WORK/same.min" >/dev/null 2>&1
check "minimize exits 1 on a script that does not differ" $(($? != 1))
# ... and shrinks one that does (a pending reproducer, while one still
# differs) to a script that still differs.
for f in tests/scenarios-pending/*.trace; do
	"$usermm" diff "$f" >/dev/null 2>&1 || { [ $? -eq 1 ] && break; }
	f=
done
if [ -n "$f" ]; then
	"$usermm" minimize --same "$f" -o "$WORK/pending.min" >/dev/null 2>&1 &&
		[ "$(wc -l <"$WORK/pending.min")" -lt "$(wc -l <"$f")" ] &&
		{ "$usermm" diff "$WORK/pending.min" >/dev/null 2>&1; [ $? -eq 1 ]; }
	check "minimize --same shrinks $f to a script that still differs" $?
else
	echo "NOTE no pending scenario differs any more: minimize's shrinking is not checked"
fi

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
if [ "$(wc -l <"$WORK/results")" -ne "$total" ]; then
	echo "FAIL: $(wc -l <"$WORK/results") results for $total seeds (see $WORK/results)"
	failed=$((failed + 1))
fi
echo "random: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
