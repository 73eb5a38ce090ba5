/*
 * msync.c — writing a mapped range back to its file (Linux's mm/msync.c).
 *
 * msync changes no VMA.  Its observable behaviour today is the errno of
 * every case, in Linux's order:
 *
 *   unknown flag ─ start unaligned ─ MS_ASYNC with MS_SYNC   (EINVAL)
 *   length rounded up; start + length wraps                   (ENOMEM)
 *   empty range                                               (0)
 *   walk: a hole is remembered (ENOMEM at the end) — except that plain
 *   MS_ASYNC returns ENOMEM at the first hole; MS_INVALIDATE on a VM_LOCKED
 *   VMA stops the walk with EBUSY; MS_SYNC on a shared file mapping syncs the
 *   file (its error stops the walk); running out of VMAs is ENOMEM.
 *
 * MS_ASYNC does nothing else in Linux (dirty pages are tracked anyway, and
 * its page cache is what readers of the file see); MS_INVALIDATE only adds
 * the EBUSY check.  usermm's page cache is not the host's, so every msync
 * over a shared file mapping writes the range's dirty pages back.
 *
 * Locking: the caller (engine.c) holds the address space.
 */
#include <sys/mman.h>
#include <unistd.h>
#include "internal.h"
#include "page.h"

/* vfs_fsync_range(file, fstart, fend, datasync = 1) for an MS_SYNC over a
 * shared mapping of the file. */
static int msync_file(struct um_file *f, unsigned long fstart, unsigned long fend)
{
	(void)fstart;
	(void)fend;
	if (f->kind != FILE_REGULAR || f->host_fd < 0)
		return 0;   /* shmem and files without a host inode: nothing to sync */
	return fdatasync(f->host_fd) < 0 ? -errno : 0;
}

/* The walk over [start, end), which is non-empty. */
static long msync_walk(struct mm *mm, unsigned long start, unsigned long end,
		       int flags)
{
	struct vma *v = find_vma(mm, start);
	long unmapped = 0;

	for (;;) {
		unsigned long fstart, fend;
		struct address_space *as;
		int err;

		if (!v)
			return -ENOMEM;
		if (start < v->vm_start) {
			if (flags == MS_ASYNC)
				return -ENOMEM;
			start = v->vm_start;
			if (start >= end)
				return -ENOMEM;
			unmapped = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (v->vm_flags & VM_LOCKED))
			return -EBUSY;
		fstart = (start - v->vm_start) + (v->vm_pgoff << PAGE_SHIFT);
		fend = fstart + (um_min(end, v->vm_end) - start) - 1;
		start = v->vm_end;
		/* The inode's dirty pages, whichever open file dirtied them
		 * (vfs_fsync_range works on the inode).  MS_SYNC writes them
		 * back as Linux's fsync does: clean afterwards, the EOF page's
		 * tail zeroed.  Linux's MS_ASYNC (or no flag) writes nothing,
		 * its page cache being what readers of the file see; usermm's
		 * is not the host's, so the bytes are copied out to the host
		 * file but the pages stay as they were (mapping_flush). */
		if (v->vm_file && (v->vm_flags & VM_SHARED) && mm->phys &&
		    (as = mapping_lookup(mm->phys, v->vm_file)) &&
		    ((flags & MS_SYNC) ? mapping_writeback : mapping_flush)
			    (mm->phys, as, fstart >> PAGE_SHIFT, fend >> PAGE_SHIFT))
			return -EIO;
		if ((flags & MS_SYNC) && v->vm_file && (v->vm_flags & VM_SHARED)) {
			err = msync_file(v->vm_file, fstart, fend);
			if (err)
				return err;
		}
		if (start >= end)
			return unmapped;
		v = find_vma(mm, start);
	}
}

long sys_msync(struct mm *mm, unsigned long start, unsigned long len,
	       unsigned long flags_in)
{
	int flags = (int)flags_in;   /* the system call takes an int */
	unsigned long end;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (offset_in_page(start))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	return msync_walk(mm, start, end, flags);
}
