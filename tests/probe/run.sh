#!/bin/sh
# Build and run the kernel probes: tests/probe/run.sh [name...]
# Each probe runs twice under `setarch -R` (no ASLR): as root and as an
# unprivileged user (uid/gid 65534, no capabilities at all).  Output goes to
# tests/probe/out/<name>.root.txt and <name>.user.txt.
cd "$(dirname "$0")" || exit 1
mkdir -p bin out
names="$*"
[ -n "$names" ] || names=$(ls p[0-9]*.c | sed 's/\.c$//')
for n in $names; do
	extra=""
	case $n in
	*_dyn) extra="";;
	p09*|p16a*) extra="-static -nostdlib -fno-builtin -fno-stack-protector";;
	*) extra="-static";;
	esac
	gcc -O1 -g -Wall $extra -o bin/$n $n.c || exit 1
	drop="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
	case $n in
	p07*)	# a private mount namespace with a noexec tmpfs on tests/probe/noexec_mnt
		mkdir -p noexec_mnt
		ns="unshare -m --propagation private sh -c"
		mnt="mount -t tmpfs -o noexec,mode=1777 none noexec_mnt"
		$ns "$mnt && setarch -R ./bin/$n noexec_mnt" > out/$n.root.txt 2>&1
		echo "exit $?" >> out/$n.root.txt
		$ns "$mnt && $drop setarch -R ./bin/$n noexec_mnt" > out/$n.user.txt 2>&1
		echo "exit $?" >> out/$n.user.txt;;
	*)	setarch -R ./bin/$n > out/$n.root.txt 2>&1
		echo "exit $?" >> out/$n.root.txt
		$drop setarch -R ./bin/$n > out/$n.user.txt 2>&1
		echo "exit $?" >> out/$n.user.txt;;
	esac
	echo "ran $n"
done
