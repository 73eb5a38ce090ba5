#!/bin/sh
# Worker for tests/random.test.sh and tests/random/soak.sh: runs each SEED
# given as an argument through
#     $USERMM gen SEED [$GEN_ARGS] >WORK/SEED.trace
#     $USERMM diff WORK/SEED.trace >WORK/SEED.out 2>&1
# and prints one line per seed:
#     PASS SEED                      identical
#     DIFF SEED <first report line>  diff exit 1 (SEED.trace and .out kept)
#     BAD SEED <exit status>         diff exit 2 or worse (kept too)
# The seed's files (/tmp/usermm-gen-SEED-a and -b) are removed afterwards.
# Environment: USERMM (default build/usermm), WORK (required), GEN_ARGS.
# Run from the repository root.
usermm=${USERMM:-build/usermm}
: "${WORK:?WORK must name a directory}"
for seed in "$@"; do
	t=$WORK/$seed.trace
	# shellcheck disable=SC2086  # GEN_ARGS is a list of options
	"$usermm" gen "$seed" $GEN_ARGS >"$t"
	"$usermm" diff "$t" >"$WORK/$seed.out" 2>&1
	st=$?
	rm -f "/tmp/usermm-gen-$seed-a" "/tmp/usermm-gen-$seed-b"
	case $st in
	0) echo "PASS $seed"; rm -f "$t" "$WORK/$seed.out" ;;
	1) echo "DIFF $seed $(head -n 1 "$WORK/$seed.out" | sed 's/^[^:]*:[0-9]*: //' | cut -c1-100)" ;;
	*) echo "BAD $seed exit $st" ;;
	esac
done
