/*
 * file.c — file descriptors over real host files: openat, close, dup,
 * ftruncate, and what mmap needs to know about an open file (Linux's
 * struct file: how it was opened, what kind of inode it names).
 *
 * Owns: struct fd_table and struct um_file objects.  A um_file is an open
 * file description: dup() shares it, VMAs hold references to it, and it
 * keeps its host descriptor open until the last reference goes, so a
 * mapping outlives close() exactly as on Linux.
 *
 * The name shown in maps is read back from the host (/proc/self/fd/N) each
 * time, which gives the kernel's own d_path, " (deleted)" included.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include "file.h"
#include "alloc.h"
#include "vma.h"
#include "page.h"
#include "internal.h"

#define EXT4_SUPER_MAGIC 0xEF53
#define XFS_SUPER_MAGIC 0x58465342

int um_host_close(int fd)
{
	return close(fd);
}

/* ---- the table ----------------------------------------------------------- */

int fdt_init(struct fd_table *t, unsigned long limit)
{
	t->limit = limit;
	t->files = um_alloc(16 * sizeof(*t->files));
	t->size = t->files ? 16 : 0;
	return t->files ? 0 : -ENOMEM;
}

void fdt_destroy(struct fd_table *t)
{
	for (unsigned long i = 0; i < t->size; i++)
		file_put(t->files[i]);
	um_free(t->files);
	t->files = NULL;
	t->size = 0;
}

struct um_file *fdt_get(struct fd_table *t, unsigned long fd)
{
	return fd < t->size ? t->files[fd] : NULL;
}

static int fdt_grow(struct fd_table *t, unsigned long need)
{
	unsigned long size = t->size;
	struct um_file **files;

	while (size <= need)
		size *= 2;
	files = um_alloc(size * sizeof(*files));
	if (!files)
		return -ENOMEM;
	memcpy(files, t->files, t->size * sizeof(*files));
	um_free(t->files);
	t->files = files;
	t->size = size;
	return 0;
}

int fdt_clone(struct fd_table *dst, const struct fd_table *src)
{
	int err = fdt_init(dst, src->limit);

	dst->phys = src->phys;

	for (unsigned long fd = 0; !err && fd < src->size; fd++) {
		if (!src->files[fd])
			continue;
		file_get(src->files[fd]);
		if ((err = fdt_install_at(dst, fd, src->files[fd])))
			file_put(src->files[fd]);
	}
	return err;
}

int fdt_install_at(struct fd_table *t, unsigned long fd, struct um_file *f)
{
	int err;

	if (fd >= t->limit)
		return -EMFILE;
	if (fd >= t->size && (err = fdt_grow(t, fd)))
		return err;
	file_put(t->files[fd]);
	t->files[fd] = f;
	return 0;
}

long fdt_install(struct fd_table *t, struct um_file *f)
{
	unsigned long fd = 0;
	int err;

	while (fd < t->size && t->files[fd])
		fd++;
	err = fdt_install_at(t, fd, f);
	return err ? err : (long)fd;
}

/* ---- files ---------------------------------------------------------------- */

static struct um_file *file_alloc(const char *path)
{
	struct um_file *f = um_alloc(sizeof(*f));

	if (!f)
		return NULL;
	f->path = um_strdup(path);
	if (!f->path) {
		um_free(f);
		return NULL;
	}
	f->refs = 1;
	f->host_fd = -1;
	return f;
}

static enum file_kind kind_of(const struct stat *st, unsigned long flags)
{
	if (flags & O_PATH)
		return FILE_PATH_ONLY;
	if (S_ISDIR(st->st_mode))
		return FILE_DIRECTORY;
	if (S_ISCHR(st->st_mode))
		return st->st_rdev == makedev(1, 5) ? FILE_DEV_ZERO : FILE_DEV_OTHER;
	if (S_ISFIFO(st->st_mode))
		return FILE_PIPE;
	if (S_ISSOCK(st->st_mode))
		return FILE_SOCKET;
	return FILE_REGULAR;
}

static unsigned fmode_of(unsigned long flags)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		return FMODE_READ;
	case O_WRONLY:
		return FMODE_WRITE;
	case O_RDWR:
		return FMODE_READ | FMODE_WRITE;
	default:
		return 0;
	}
}

/* s_maxbytes: ext4 with extents (every ext4 mkfs makes today) addresses
 * 2^32 blocks, less one block; the filesystems usermm meets otherwise
 * (tmpfs, xfs, btrfs) allow LLONG_MAX.  write() past it is EFBIG, lseek
 * there EINVAL. */
static unsigned long max_file_bytes(const struct statfs *sfs)
{
	unsigned long bs = (unsigned long)sfs->f_bsize;

	if (sfs->f_type == EXT4_SUPER_MAGIC && bs >= 1024 && bs <= 65536)
		return (bs << 32) - bs;
	return INT64_MAX;
}

int file_from_host_fd(int hfd, unsigned long flags, const char *path,
		      struct um_file **out)
{
	struct um_file *f;
	struct stat st;
	struct statfs sfs;
	struct statvfs svfs;

	if (fstat(hfd, &st) < 0)
		return -errno;
	f = file_alloc(path);
	if (!f)
		return -ENOMEM;
	f->host_fd = hfd;
	f->f_flags = flags;
	f->kind = kind_of(&st, flags);
	f->fmode = fmode_of(flags);
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	if (fstatvfs(hfd, &svfs) == 0)
		f->noexec = (svfs.f_flag & ST_NOEXEC) != 0;
	f->max_bytes = INT64_MAX;
	if (fstatfs(hfd, &sfs) == 0) {
		f->thp_aligned_fs = sfs.f_type == EXT4_SUPER_MAGIC ||
				    sfs.f_type == XFS_SUPER_MAGIC;
		f->max_bytes = max_file_bytes(&sfs);
	}
	*out = f;
	return 0;
}

struct um_file *file_image(const char *path, unsigned long dev, unsigned long ino)
{
	struct um_file *f = file_alloc(path);

	if (!f)
		return NULL;
	f->kind = FILE_IMAGE;
	f->fmode = FMODE_READ;
	f->dev = dev;
	f->ino = ino;
	return f;
}

struct um_file *file_shmem(unsigned long ino, unsigned long size)
{
	struct um_file *f = file_alloc("/dev/zero (deleted)");

	if (!f)
		return NULL;
	f->kind = FILE_SHMEM;
	f->fmode = FMODE_READ | FMODE_WRITE;
	f->dev = makedev(0, 1);
	f->ino = ino;
	f->size = size;
	return f;
}

/* ---- the calls ------------------------------------------------------------ */

long sys_openat(struct fd_table *t, long dirfd, const char *path,
		unsigned long flags, unsigned long mode)
{
	int hdir = AT_FDCWD, hfd, err;
	struct um_file *f, *dir;
	struct address_space *as;
	long fd;

	if (!path)
		return -EFAULT;
	if ((int)dirfd != AT_FDCWD && path[0] != '/') {
		dir = fdt_get(t, (unsigned int)dirfd);
		if (!dir || dir->host_fd < 0)
			return -EBADF;
		hdir = dir->host_fd;
	}
	hfd = openat(hdir, path, (int)flags | O_CLOEXEC, (mode_t)mode);
	if (hfd < 0)
		return -errno;
	err = file_from_host_fd(hfd, flags, path, &f);
	if (err) {
		close(hfd);
		return err;
	}
	/* O_TRUNC of an inode already cached truncates the cache too (every
	 * open file and mapping of it sees size 0: do_truncate), O_RDONLY
	 * included: the host's open did truncate the file. */
	if ((flags & O_TRUNC) && t->phys &&
	    f->kind == FILE_REGULAR && (as = mapping_lookup(t->phys, f)))
		truncate_pagecache(t->phys, as, 0);
	fd = fdt_install(t, f);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_close(struct fd_table *t, unsigned long fd)
{
	struct um_file *f = fdt_get(t, (unsigned int)fd);

	if (!f)
		return -EBADF;
	t->files[(unsigned int)fd] = NULL;
	file_put(f);
	return 0;
}

long sys_dup(struct fd_table *t, unsigned long fd)
{
	struct um_file *f = fdt_get(t, (unsigned int)fd);
	long nfd;

	if (!f)
		return -EBADF;
	file_get(f);
	nfd = fdt_install(t, f);
	if (nfd < 0)
		file_put(f);
	return nfd;
}

long sys_ftruncate(struct fd_table *t, unsigned long fd, unsigned long length)
{
	struct um_file *f;
	struct address_space *as;

	if ((long)length < 0)
		return -EINVAL;   /* do_sys_ftruncate checks before the descriptor */
	f = fdt_get(t, (unsigned int)fd);
	if (!f || f->kind == FILE_PATH_ONLY)
		return -EBADF;
	if (f->host_fd < 0 || f->kind != FILE_REGULAR || !(f->fmode & FMODE_WRITE))
		return -EINVAL;
	if (ftruncate(f->host_fd, (off_t)length) < 0)
		return -errno;
	/* The inode's cache, whichever open file made it. */
	if (t->phys && (as = mapping_lookup(t->phys, f)))
		truncate_pagecache(t->phys, as, length);
	return 0;
}

/* Linux's truncate_pagecache: every mapping loses the pages past the new
 * end (private copies too, so an access there is SIGBUS), the cache drops
 * them, and the page holding the new end reads zeros after it. */
void truncate_pagecache(struct phys *ph, struct address_space *as,
			unsigned long size)
{
	unsigned long keep = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;

	unmap_mapping_range(ph, as, keep, ~0UL >> PAGE_SHIFT, true);
	mapping_truncate(ph, as, size);
}
