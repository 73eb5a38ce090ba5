#!/bin/sh
# The memory scenarios (tests/scenarios/*.trace): each must pass on the
# engine (its written results, under the sanitizers and the validator) and
# be identical under `usermm diff` (the same statements on the live kernel
# through build/usermm-native).  Scenarios that write files are then
# checked with an independent read (cmp): what shared stores put there, and
# nothing a private store made.
cd "$(dirname "$0")/.." || exit 2
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }

for f in tests/scenarios/*.trace; do
	if build/test/usermm run --quiet "$f" >/tmp/usermm-scn.out 2>&1; then ok
	else bad "engine: $f"; cat /tmp/usermm-scn.out; fi
	out=$(build/usermm diff "$f" 2>&1)
	if [ "$out" = identical ]; then ok; else bad "diff: $f"; echo "$out"; fi
done

# After file_shared_msync_private_cow (the last run was usermm diff, whose
# engine side ran second): the shared stores are in the file, the private
# one is not.
expect=/tmp/usermm-scenario-msync.expect
{ printf 'SHARED!'; head -c $((4096 - 7)) /dev/zero; printf 'page two'; \
  head -c $((4096 - 8)) /dev/zero; } >"$expect"
build/test/usermm run --quiet tests/scenarios/file_shared_msync_private_cow.trace >/dev/null 2>&1
if cmp -s "$expect" /tmp/usermm-scenario-msync; then ok
else bad "cmp: /tmp/usermm-scenario-msync differs from what the shared stores wrote"; fi
# The 5000-byte file: "xyz" stored at 4999 reaches byte 4999 only; the two
# bytes past EOF were never written back.
build/test/usermm run --quiet tests/scenarios/file_eof_sigbus.trace >/dev/null 2>&1
{ head -c 4999 /dev/zero; printf 'x'; } >"$expect"
if cmp -s "$expect" /tmp/usermm-scenario-eof; then ok
else bad "cmp: /tmp/usermm-scenario-eof: the EOF page's tail reached the file"; fi
rm -f "$expect" /tmp/usermm-scn.out
echo "scenarios: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
