#!/bin/sh
# diff the root and non-root outputs of a probe, hiding uid-named files and
# shmem inode numbers: tests/probe/norm.sh <name>
cd "$(dirname "$0")" || exit 1
n() { sed -E 's/(probe[0-9a-z_]*)_(0|65534)\b/\1_UID/g; s/00:01 [0-9]+( +)/00:01 INO\1/g; s/^# uid=.*/# uid=?/' "$1"; }
n out/$1.root.txt > /tmp/norm_root_$$; n out/$1.user.txt > /tmp/norm_user_$$
diff /tmp/norm_root_$$ /tmp/norm_user_$$ && echo "root and non-root outputs identical (after normalizing)"
rm -f /tmp/norm_root_$$ /tmp/norm_user_$$
