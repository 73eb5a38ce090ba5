#!/bin/sh
# Runs every test: the C unit-test binaries (build/test/test_*) and the shell
# tests (tests/*.test.sh).  Each prints "...: N passed, N failed" as its last
# line; this adds them up and ends with the total on a line of its own.
# A test that crashes or prints no summary counts as one failure.
passed=0
failed=0
skipped=0
log=build/test/log
mkdir -p "$log"
count() { # name, output file, exit status
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$2" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL $1: no summary (exit $3); see $2"; tail -n 20 "$2"
		failed=$((failed + 1)); return
	fi
	p=$(echo "$line" | sed -E 's/^(.*[^0-9])?([0-9]+) passed.*/\2/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	passed=$((passed + p)); failed=$((failed + f))
	case "$line" in *skipped*)
		skipped=$((skipped + $(echo "$line" | sed -E 's/.* ([0-9]+) skipped.*/\1/'))) ;;
	esac
	if [ "$f" -ne 0 ] || [ "$3" -ne 0 ]; then
		echo "FAIL $1 (exit $3): $line"; grep -v ' passed, ' "$2" | tail -n 40
		[ "$f" -eq 0 ] && failed=$((failed + 1))
	else
		echo "ok   $1: $line"
		grep '^SKIP' "$2" | sed 's/^/     /'   # skips are shown, never hidden
	fi
}
for t in build/test/test_*; do
	[ -x "$t" ] || continue
	n=$(basename "$t")
	"$t" >"$log/$n.out" 2>&1; st=$?
	count "$n" "$log/$n.out" $st
done
for t in tests/*.test.sh; do
	[ -f "$t" ] || continue
	n=$(basename "$t" .test.sh)
	sh "$t" >"$log/$n.out" 2>&1; st=$?
	count "$n" "$log/$n.out" $st
done
[ "$skipped" -gt 0 ] && echo "($skipped skipped: see SKIP lines above)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
