#!/bin/sh
# capture.sh SEED OUTDIR [NCALLS]
# capture.sh --build          only build build/test/replay/randprog
#
# Runs randprog SEED under
#     setarch -R strace -f -e trace=%memory,%file,%desc -o OUTDIR/strace.log
# and leaves in OUTDIR:
#     initial.maps    /proc/self/maps just before the sequence
#     initial.brk     the break just before the sequence (0x...)
#     final.maps      /proc/self/maps just after the sequence
#     strace.log      the whole strace log
#     sequence.trace  the log's lines strictly between the markers
#                     close(-1000) and close(-1001), exactly as strace wrote them
#     data.*, dir     the files the sequence opens, restored afterwards to their
#                     initial contents (the sequence truncates them and punches
#                     holes in them; the replay must see them as they were)
# Exit status 0 on success; 1 with a message on stderr otherwise; 2 if setarch
# or strace is missing.
set -u
build_only=
if [ $# -eq 1 ] && [ "$1" = --build ]; then
	build_only=1
elif [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 SEED OUTDIR [NCALLS]" >&2
	exit 1
fi
seed=${1:-}
out=${2:-}
ncalls=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

tools="setarch strace gcc"
[ $# -eq 1 ] && tools=gcc
for tool in $tools; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "capture: $tool not found" >&2
		exit 2
	fi
done

# Build randprog once (atomically: several captures may race to build it).
bin=$root/build/test/replay/randprog
src=$here/randprog.c
if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
	mkdir -p "$root/build/test/replay" || exit 1
	tmp=$bin.$$.tmp
	if ! gcc -static -O1 -std=gnu11 -Wall -Wextra -o "$tmp" "$src"; then
		rm -f "$tmp"
		echo "capture: cannot build randprog (is the static libc installed?)" >&2
		exit 1
	fi
	mv -f "$tmp" "$bin"
fi
[ -n "$build_only" ] && exit 0

mkdir -p "$out" || exit 1
out=$(cd "$out" && pwd)
rm -f "$out/strace.log" "$out/sequence.trace" "$out/initial.maps" \
	"$out/initial.brk" "$out/final.maps"

# fds 0-2 are fixed to /dev/null and a file; randprog closes everything above.
setarch -R strace -f -e trace=%memory,%file,%desc -o "$out/strace.log" \
	"$bin" "$seed" "$out" $ncalls </dev/null >"$out/randprog.out" 2>&1
st=$?
if [ $st -ne 0 ]; then
	echo "capture: seed $seed: randprog/strace exited with status $st" >&2
	cat "$out/randprog.out" >&2
	tail -n 5 "$out/strace.log" >&2 2>/dev/null
	exit 1
fi

# Lines look like "PID  call(args) = result" (-f with -o prefixes the pid).
# A single-threaded tracee never gets "<unfinished ...>" lines, but accept a
# marker split that way too.
awk -v out="$out/sequence.trace" '
	/^[0-9]+ +close\(-1000[)<, ]/ { if (state == 0) { state = 1; next } }
	/^[0-9]+ +close\(-1001[)<, ]/ { if (state == 1) { state = 2; next } }
	state == 1 { print > out; n++ }
	END {
		if (state != 2) { print "capture: markers not found in the log" > "/dev/stderr"; exit 1 }
		if (n == 0) close(out)
	}
' "$out/strace.log" || exit 1
[ -f "$out/sequence.trace" ] || : >"$out/sequence.trace"

if grep -qE '^[0-9]+ +(---|\+\+\+)|unfinished|resumed' "$out/sequence.trace"; then
	echo "capture: seed $seed: a signal, exit or split call inside the sequence:" >&2
	grep -nE '^[0-9]+ +(---|\+\+\+)|unfinished|resumed' "$out/sequence.trace" >&2
	exit 1
fi
if ! grep -q '+++ exited with 0 +++' "$out/strace.log"; then
	echo "capture: seed $seed: randprog did not exit with 0" >&2
	exit 1
fi
for f in initial.maps initial.brk final.maps; do
	if [ ! -s "$out/$f" ]; then
		echo "capture: seed $seed: $f is missing" >&2
		exit 1
	fi
done

# Put the data files back as they were before the sequence.
"$bin" --files "$out" || exit 1
exit 0
