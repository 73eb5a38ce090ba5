#!/bin/sh
# make soak: random differential testing over many seeds (docs/conformance.md,
# "Random differential testing").  Runs seeds SOAK_FROM..SOAK_TO (default
# 1..100000) through `usermm gen SEED` and `usermm diff`, SOAK_JOBS at once
# (default 2), printing progress every 1000 seeds and a summary at the end.
# It never stops early: every divergent seed is collected into
#     build/soak/divergent.txt   SEED, then the first difference's statement
#                                ("known: REASON" when tests/random/known-
#                                divergences lists the seed)
#     build/soak/bad.txt         seeds whose diff exited 2 (bad input, crash)
# with each one's trace and report kept as build/soak/SEED.trace, .out.
# Minimise one with: build/usermm minimize --same build/soak/SEED.trace
# Environment: SOAK_FROM, SOAK_TO, SOAK_JOBS, SOAK_GEN_ARGS (passed to gen,
# e.g. "--lines 400" or "--file-mincore"), USERMM (default: a copy of
# build/usermm and build/usermm-native in build/soak/bin, made at the start).
cd "$(dirname "$0")/../.." || exit 2
from=${SOAK_FROM:-1}
to=${SOAK_TO:-100000}
jobs=${SOAK_JOBS:-2}
known=tests/random/known-divergences
WORK=build/soak
GEN_ARGS=${SOAK_GEN_ARGS:-}
mkdir -p "$WORK/bin" || exit 2
# A copy of the binaries, so that rebuilding during a long soak cannot
# make seeds fail to run (usermm diff finds usermm-native next to usermm).
if [ -z "${USERMM:-}" ]; then
	cp build/usermm build/usermm-native "$WORK/bin/" || exit 2
	USERMM=$WORK/bin/usermm
fi
export WORK USERMM GEN_ARGS
rm -f "$WORK"/*.trace "$WORK"/*.out
: >"$WORK/divergent.txt"
: >"$WORK/bad.txt"
total=$((to - from + 1))
echo "soak: seeds $from..$to ($total), $jobs jobs, gen options: ${GEN_ARGS:-none}"
start=$(date +%s)

known_reason() {
	sed -n "s/^$1[ 	][ 	]*//p" "$known" 2>/dev/null | head -n 1
}

seq "$from" "$to" | xargs -P "$jobs" -n 50 sh tests/random/check-seeds.sh | {
	done=0 diverged=0 bad=0
	while read -r verdict seed rest; do
		done=$((done + 1))
		case $verdict in
		PASS) ;;
		DIFF)
			diverged=$((diverged + 1))
			reason=$(known_reason "$seed")
			echo "$seed ${reason:+known: $reason: }$rest" >>"$WORK/divergent.txt"
			;;
		*)
			bad=$((bad + 1))
			echo "$seed $verdict $rest" >>"$WORK/bad.txt"
			;;
		esac
		if [ $((done % 1000)) -eq 0 ] || [ "$done" -eq "$total" ]; then
			echo "soak: $done/$total seeds, $diverged divergent, $bad bad ($(( $(date +%s) - start ))s)"
		fi
	done
	echo "$done $diverged $bad" >"$WORK/counts"
}
read -r done diverged bad <"$WORK/counts"
sort -n -o "$WORK/divergent.txt" "$WORK/divergent.txt"
sort -n -o "$WORK/bad.txt" "$WORK/bad.txt"
echo "soak summary: seeds $from..$to: $done run, $((done - diverged - bad)) identical, $diverged divergent, $bad bad, $(( $(date +%s) - start ))s"
if [ "$diverged" -gt 0 ]; then
	echo "first differences by statement (call, then how many seeds):"
	sed 's/^[0-9]* //; s/^known: [^:]*: //; s/^\$[a-z0-9]* //; s/(.*//' "$WORK/divergent.txt" |
		sort | uniq -c | sort -rn | sed 's/^/  /'
	echo "divergent seeds: $WORK/divergent.txt (traces and reports kept in $WORK)"
	echo "to cut one to a minimal reproducer (it prints the command that reruns it):"
	head -n 3 "$WORK/divergent.txt" | while read -r seed rest; do
		echo "  build/usermm minimize --same $WORK/$seed.trace -o tests/scenarios-pending/random-$seed.trace"
	done
fi
[ "$bad" -gt 0 ] && echo "bad seeds (diff exited 2): $WORK/bad.txt"
exit 0
