#!/bin/sh
# Fault-injection sweep over the scenario corpus: for each scenario, every
# allocation the library makes while running it (frames, page tables,
# caches, VMAs, files) is made to fail in turn (`usermm run --fail-nth N`,
# N = 1, 2, ... until the script makes fewer than N).  A run may then give
# other results (exit 1) or stop at a line it can no longer run (exit 2:
# a $variable an ENOMEM left unbound); what it must not do is crash, break
# an invariant (the test build validates after every call and aborts) or
# leak (um_engine_free aborts on a frame, cached page or VMA left;
# LeakSanitizer on anything else).
#
#   sh tests/faultsweep.test.sh            the short run make test does
#   sh tests/faultsweep.test.sh tests/scenarios/*.trace   the whole corpus
#   make faultsweep                        the same
cd "$(dirname "$0")/.." || exit 2
usermm=${USERMM:-build/test/usermm}
passed=0
failed=0
if [ $# -eq 0 ]; then
	# one scenario of each kind of work: anonymous memory and fork, file
	# mappings with writeback and truncation, read/write, mremap, madvise
	set -- tests/scenarios/fork_cow_both_ways.trace \
	       tests/scenarios/file_shared_msync_private_cow.trace \
	       tests/scenarios/truncate_sigbus_zeros.trace \
	       tests/scenarios/rw_page_cache_coherence.trace \
	       tests/scenarios/mremap_moves_pages.trace \
	       tests/scenarios/madvise_guard_populate_mremap_fork.trace
fi
export ASAN_OPTIONS=exitcode=86 UBSAN_OPTIONS=halt_on_error=1:exitcode=87
for f in "$@"; do
	n=1
	while :; do
		"$usermm" run --quiet --fail-nth $n "$f" >/dev/null 2>/tmp/usermm-sweep.err
		st=$?
		case $st in
		0|1|2) n=$((n + 1)) ;;
		3) break ;;
		*) echo "FAIL $f: allocation $n failing ends the run with status $st"
		   echo "    rerun: $usermm run --fail-nth $n $f"
		   sed 's/^/    | /' /tmp/usermm-sweep.err | head -n 20
		   failed=$((failed + 1))
		   break ;;
		esac
	done
	[ $st -eq 3 ] && passed=$((passed + 1))
	[ -n "$VERBOSE" ] && echo "$f: $((n - 1)) allocations swept"
done
rm -f /tmp/usermm-sweep.err
echo "faultsweep: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
