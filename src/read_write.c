/*
 * read_write.c — read, write, pread64, pwrite64 and lseek on usermm's file
 * descriptors (Linux's fs/read_write.c, with the regular-file paths of
 * mm/filemap.c: filemap_read and generic_perform_write live in filemap.c).
 *
 * Regular files go through the engine's page cache, the same one mappings
 * use, so a write() shows in a shared mapping at once and a store through a
 * shared mapping shows in a read(); dirty pages reach the host file as
 * mapped ones do (msync, munmap, the last close, engine shutdown).  Other
 * kinds are passed to the host descriptor (pipes, sockets, devices), except
 * /dev/zero, whose few lines of behaviour are done here so that its reads
 * fault in the process's memory as Linux's would.
 *
 * The order of the checks is vfs_read/vfs_write's: the descriptor (EBADF),
 * access_ok on the buffer (EFAULT, even for a count of 0), rw_verify_area
 * (EINVAL for a negative or overflowing offset), then the file's own
 * method (EISDIR for a directory, EFBIG past the filesystem's maximum).
 *
 * The buffer is described by a struct io_buf (Linux's iov_iter): either
 * the process's memory, copied as copy_to_user/copy_from_user would —
 * faulting pages in, stopping at the first page that faults, so a call
 * returns the bytes before it or EFAULT when there are none — or a buffer
 * of the caller's (um_syscall_hostbuf: a trace's "string").
 *
 * Positions are a file's own (struct um_file.pos, shared by dup and fork,
 * as Linux's struct file's f_pos is).  Locking: the caller holds the engine.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "internal.h"
#include "file.h"
#include "page.h"

/* Linux's MAX_RW_COUNT: one call moves at most this much. */
#define MAX_RW_COUNT ((unsigned long)INT32_MAX & PAGE_MASK)
#define LOFF_MAX ((unsigned long)INT64_MAX)

/* ---- the buffer ------------------------------------------------------------------ */

/* Copy @n bytes between @data and the buffer (to it when @to_buf); returns
 * the bytes copied, fewer when a page of the process's memory faults (the
 * reason is left in b->err) — the bytes before the faulting page are copied,
 * as the kernel's user copies leave them. */
static size_t io_copy(struct io_buf *b, void *data, size_t n, bool to_buf)
{
	unsigned long at = 0;
	size_t done;
	int r;

	if (!b->mm) {
		memcpy(to_buf ? b->host : data, to_buf ? data : b->host, n);
		b->host += n;
		return n;
	}
	r = access_vm(b->mm, b->addr, data, n, to_buf, &at);
	done = r ? at - b->addr : n;
	if (r)
		b->err = r == FAULT_OOM ? -ENOMEM : -EFAULT;
	b->addr += done;
	return done;
}

size_t io_copy_to(struct io_buf *b, const void *data, size_t n)
{
	return io_copy(b, (void *)data, n, true);
}

size_t io_copy_from(struct io_buf *b, void *data, size_t n)
{
	return io_copy(b, data, n, false);
}

/* x86-64 access_ok: the buffer ends at or below the last user address
 * without wrapping, whatever the count (0 included). */
static bool io_access_ok(const struct io_buf *b, unsigned long count)
{
	unsigned long end = b->addr + count;

	return !b->mm || (end >= b->addr && end <= TASK_SIZE_MAX);
}

/* ---- checks ---------------------------------------------------------------------- */

static struct um_file *file_for(struct fd_table *t, unsigned long fd, unsigned mode)
{
	struct um_file *f = fdt_get(t, (unsigned int)fd);

	if (!f || f->kind == FILE_PATH_ONLY || !(f->fmode & mode))
		return NULL;
	return f;
}

/* rw_verify_area: a count above SSIZE_MAX, a negative position or one the
 * count would carry past LOFF_MAX. */
static int rw_verify_area(unsigned long pos, unsigned long count)
{
	if ((long)count < 0 || (long)pos < 0 || (long)(pos + count) < 0)
		return -EINVAL;
	return 0;
}

static bool seekable(const struct um_file *f)
{
	return f->kind == FILE_REGULAR || f->kind == FILE_DIRECTORY ||
	       f->kind == FILE_DEV_ZERO || f->kind == FILE_DEV_OTHER;
}

/* ---- other kinds of file ----------------------------------------------------------- */

/* /dev/zero's read: zeros, a page at a time, stopping where the buffer
 * faults (read_iter_zero). */
static long zero_read(struct io_buf *b, unsigned long count)
{
	static const unsigned char zeros[4096];
	unsigned long done = 0;

	while (done < count) {
		size_t n = um_min(count - done, sizeof(zeros)), c = io_copy_to(b, zeros, n);

		done += c;
		if (c < n)
			return done ? (long)done : b->err;
	}
	return (long)done;
}

/* A pipe, socket, directory or other device: the host's descriptor does
 * the call (at its own position, or at @pos for pread64/pwrite64 when @pos
 * is not -1), through a bounce buffer.  One call moves at most the bounce
 * buffer, a short count a reader of a pipe or device must expect anyway. */
static long host_rw(struct um_file *f, struct io_buf *b, unsigned long count,
		    long pos, bool is_write)
{
	unsigned char bounce[65536];
	size_t n = um_min(count, sizeof(bounce)), c;
	ssize_t got;

	if (is_write) {
		if ((c = io_copy_from(b, bounce, n)) < n && !(n = c))
			return b->err;
		got = pos < 0 ? write(f->host_fd, bounce, n) :
				pwrite(f->host_fd, bounce, n, (off_t)pos);
		return got < 0 ? -errno : got;
	}
	got = pos < 0 ? read(f->host_fd, bounce, n) : pread(f->host_fd, bounce, n, (off_t)pos);
	if (got <= 0)
		return got < 0 ? -errno : 0;
	c = io_copy_to(b, bounce, (size_t)got);
	return c ? (long)c : b->err;
}

/* ---- the calls --------------------------------------------------------------------- */

/* The checks read and write share, in vfs_read/vfs_write's order (and
 * ksys_pread64/pwrite64's: a negative offset before the descriptor).
 * @pos is NULL for read/write (the file's own position).  Fills *fp, the
 * position *pp and the count, cut to MAX_RW_COUNT; 0 or -errno. */
static int rw_checks(struct fd_table *t, unsigned long fd, unsigned mode,
		     struct io_buf *b, unsigned long *count, const unsigned long *pos,
		     struct um_file **fp, unsigned long *pp)
{
	struct um_file *f;
	int err;

	if (pos && (long)*pos < 0)
		return -EINVAL;
	if (!(f = file_for(t, fd, mode)))
		return -EBADF;
	if (pos && !seekable(f))
		return -ESPIPE;
	if (!io_access_ok(b, *count))
		return -EFAULT;
	*pp = pos ? *pos : f->pos;
	if ((err = rw_verify_area(*pp, *count)))
		return err;
	*count = um_min(*count, MAX_RW_COUNT);
	*fp = f;
	return 0;
}

/* read and pread64 */
static long do_read(struct fd_table *t, unsigned long fd, struct io_buf *b,
		    unsigned long count, unsigned long *pos)
{
	struct um_file *f;
	struct address_space *as;
	unsigned long p;
	long ret;
	int err;

	if ((err = rw_checks(t, fd, FMODE_READ, b, &count, pos, &f, &p)))
		return err;
	switch (f->kind) {
	case FILE_DIRECTORY:
		return -EISDIR;
	case FILE_DEV_ZERO:
		return zero_read(b, count);
	case FILE_REGULAR:
		break;
	default:
		return host_rw(f, b, count, pos ? (long)p : -1, false);
	}
	if (!(as = file_mapping(t->phys, f)))
		return -ENOMEM;
	ret = filemap_read(t->phys, as, p, count, b);
	if (ret > 0 && !pos)
		f->pos += (unsigned long)ret;
	return ret;
}

/* write and pwrite64 */
static long do_write(struct fd_table *t, unsigned long fd, struct io_buf *b,
		     unsigned long count, unsigned long *pos)
{
	struct um_file *f;
	struct address_space *as;
	unsigned long p;
	long ret;
	int err;

	if ((err = rw_checks(t, fd, FMODE_WRITE, b, &count, pos, &f, &p)))
		return err;
	if (f->kind == FILE_DEV_ZERO)
		return (long)count;   /* write_iter_null: taken, never read */
	if (f->kind != FILE_REGULAR)
		return host_rw(f, b, count, pos ? (long)p : -1, true);
	if (!(as = file_mapping(t->phys, f)))
		return -ENOMEM;
	/* O_APPEND writes at the end, pwrite64 too (a known Linux quirk). */
	if (f->f_flags & O_APPEND)
		p = as->size;
	if (!count)
		return 0;
	/* generic_write_checks: nothing at or past the filesystem's maximum
	 * file size, and a write that would cross it is cut short. */
	if (p >= f->max_bytes)
		return -EFBIG;
	count = um_min(count, f->max_bytes - p);
	ret = filemap_write(t->phys, as, p, count, b);
	if (ret > 0 && !pos)
		f->pos = p + (unsigned long)ret;
	return ret;
}

static struct io_buf user_buf(struct mm *mm, unsigned long addr)
{
	return (struct io_buf){ .mm = mm, .addr = addr };
}

static struct io_buf host_buf(void *p)
{
	return (struct io_buf){ .host = p };
}

long sys_read(struct fd_table *t, struct mm *mm, unsigned long fd,
	      unsigned long buf, unsigned long count, bool host)
{
	struct io_buf b = host ? host_buf((void *)buf) : user_buf(mm, buf);

	return do_read(t, fd, &b, count, NULL);
}

long sys_write(struct fd_table *t, struct mm *mm, unsigned long fd,
	       unsigned long buf, unsigned long count, bool host)
{
	struct io_buf b = host ? host_buf((void *)buf) : user_buf(mm, buf);

	return do_write(t, fd, &b, count, NULL);
}

long sys_pread64(struct fd_table *t, struct mm *mm, unsigned long fd,
		 unsigned long buf, unsigned long count, unsigned long pos, bool host)
{
	struct io_buf b = host ? host_buf((void *)buf) : user_buf(mm, buf);

	return do_read(t, fd, &b, count, &pos);
}

long sys_pwrite64(struct fd_table *t, struct mm *mm, unsigned long fd,
		  unsigned long buf, unsigned long count, unsigned long pos, bool host)
{
	struct io_buf b = host ? host_buf((void *)buf) : user_buf(mm, buf);

	return do_write(t, fd, &b, count, &pos);
}

/* SEEK_DATA and SEEK_HOLE ask the host's filesystem where its extents are,
 * after writing the cached dirty pages back so that it knows them. */
static long seek_data_hole(struct phys *ph, struct um_file *f, unsigned long off,
			   int whence)
{
	struct address_space *as = mapping_lookup(ph, f);
	unsigned long size = as ? as->size : 0;
	off_t r;

	if (as && mapping_writeback(ph, as, 0, ~0UL))
		return -EIO;
	if (!as) {
		struct stat st;

		if (fstat(f->host_fd, &st))
			return -errno;
		size = (unsigned long)st.st_size;
	}
	if ((long)off < 0 || off >= size)
		return -ENXIO;
	r = lseek(f->host_fd, (off_t)off, whence);
	if (r < 0)
		return -errno;
	return whence == SEEK_HOLE && (unsigned long)r > size ? (long)size : (long)r;
}

/* generic_file_llseek_size for a regular file: the result must lie in
 * [0, max_bytes]. */
static long file_llseek(struct phys *ph, struct um_file *f, long off, int whence)
{
	struct address_space *as;
	unsigned long base = 0;

	switch (whence) {
	case SEEK_SET:
		break;
	case SEEK_CUR:
		if (!off)
			return (long)f->pos;
		base = f->pos;
		break;
	case SEEK_END:
		as = mapping_lookup(ph, f);
		if (as) {
			base = as->size;
		} else {
			struct stat st;

			if (fstat(f->host_fd, &st))
				return -errno;
			base = (unsigned long)st.st_size;
		}
		break;
	default: {
		long r = seek_data_hole(ph, f, (unsigned long)off, whence);

		if (r >= 0)
			f->pos = (unsigned long)r;   /* vfs_setpos, as for every whence */
		return r;
	}
	}
	off += (long)base;
	if (off < 0 || (unsigned long)off > f->max_bytes)
		return -EINVAL;
	f->pos = (unsigned long)off;
	return off;
}

long sys_lseek(struct fd_table *t, unsigned long fd, unsigned long off,
	       unsigned long whence)
{
	struct um_file *f = fdt_get(t, (unsigned int)fd);
	off_t r;

	if (!f || f->kind == FILE_PATH_ONLY)
		return -EBADF;
	if (whence > SEEK_HOLE)
		return -EINVAL;
	switch (f->kind) {
	case FILE_REGULAR:
		return file_llseek(t->phys, f, (long)off, (int)whence);
	case FILE_DEV_ZERO:
		return (long)(f->pos = 0);   /* null_lseek */
	case FILE_PIPE:
	case FILE_SOCKET:
		return -ESPIPE;
	default:
		r = lseek(f->host_fd, (off_t)off, (int)whence);
		return r < 0 ? -errno : (long)r;
	}
}
