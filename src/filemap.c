/*
 * filemap.c — the page cache: one struct address_space per host inode (and
 * one per shared-anonymous object), holding that file's pages by index.
 *
 * Owns: address_space objects (phys->caches) and the cache's reference on
 * each of its pages.  Every um_file that needs its pages attaches (refs);
 * when the last one goes, dirty pages are written back and every page is
 * dropped, so a finished test finds no cached page left.
 *
 * Invariants: a cached page has PG_CACHE, page_mapping == its cache and
 * page_index == its key (a live cache holds an id, which page_mapping
 * resolves); nrpages counts the keys; writeback clears PG_DIRTY only on
 * caches with a host file (a shmem page stays dirty once written, as in
 * Linux, where only swap would clean it); no page lies wholly past size
 * after mapping_truncate.
 *
 * The index map is open addressing with linear probing (key index + 1, 0 is
 * empty), grown at half load, with backward-shift deletion (no tombstones).
 *
 * Writeback writes whole pages clipped to i_size with pwrite on the cache's
 * own host descriptor (opened read-write when the file allows it), so the
 * bytes beyond EOF in the last page never reach the file.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#define TMPFS_MAGIC 0x01021994
#include "page.h"
#include "alloc.h"
#include "internal.h"

/* ---- the index map ---------------------------------------------------------------- */

static unsigned long slot_of(const struct address_space *as, unsigned long index)
{
	return (index * 0x9e3779b97f4a7c15UL >> 17) & (as->nslots - 1);
}

static unsigned long *find_slot(struct address_space *as, unsigned long index)
{
	if (!as->nslots)
		return NULL;
	for (unsigned long i = slot_of(as, index);; i = (i + 1) & (as->nslots - 1)) {
		if (as->keys[i] == index + 1)
			return &as->keys[i];
		if (!as->keys[i])
			return NULL;
	}
}

static int map_grow(struct address_space *as)
{
	unsigned long n = as->nslots ? as->nslots * 2 : 16, *ok = as->keys, *op = as->pfns;
	unsigned long on = as->nslots;

	as->keys = um_alloc(n * sizeof(*as->keys));
	as->pfns = um_alloc(n * sizeof(*as->pfns));
	if (!as->keys || !as->pfns) {
		um_free(as->keys);
		um_free(as->pfns);
		as->keys = ok;
		as->pfns = op;
		return -ENOMEM;
	}
	as->nslots = n;
	for (unsigned long i = 0; i < on; i++) {
		unsigned long j;

		if (!ok[i])
			continue;
		for (j = slot_of(as, ok[i] - 1); as->keys[j]; j = (j + 1) & (n - 1))
			;
		as->keys[j] = ok[i];
		as->pfns[j] = op[i];
	}
	um_free(ok);
	um_free(op);
	return 0;
}

static int map_insert(struct address_space *as, unsigned long index, unsigned long pfn)
{
	unsigned long i;

	if ((as->nrpages + 1) * 2 > as->nslots && map_grow(as))
		return -ENOMEM;
	for (i = slot_of(as, index); as->keys[i]; i = (i + 1) & (as->nslots - 1))
		;
	as->keys[i] = index + 1;
	as->pfns[i] = pfn;
	as->nrpages++;
	return 0;
}

/* Remove the key at slot @i, shifting later members of its probe run back. */
static void map_delete_at(struct address_space *as, unsigned long i)
{
	unsigned long mask = as->nslots - 1, j = i;

	as->keys[i] = 0;
	for (;;) {
		unsigned long home;

		j = (j + 1) & mask;
		if (!as->keys[j])
			break;
		home = slot_of(as, as->keys[j] - 1);
		/* move j back to i when its home is not in (i, j] (cyclically) */
		if ((i <= j) ? (home <= i || home > j) : (home <= i && home > j)) {
			as->keys[i] = as->keys[j];
			as->pfns[i] = as->pfns[j];
			as->keys[j] = 0;
			i = j;
		}
	}
	as->nrpages--;
}

unsigned long mapping_find_page(struct address_space *as, unsigned long index)
{
	unsigned long *k = find_slot(as, index);

	return k ? as->pfns[k - as->keys] : 0;
}

/* ---- caches ------------------------------------------------------------------------ */

static int open_own_fd(int host_fd)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", host_fd);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fd = fcntl(host_fd, F_DUPFD_CLOEXEC, 0);
	return fd;
}

static struct address_space *mapping_new(struct phys *ph, struct um_file *f)
{
	struct address_space *as = um_alloc(sizeof(*as));
	struct stat st;
	struct statfs sfs;

	if (!as)
		return NULL;
	if (cache_id_get(ph, as)) {
		um_free(as);
		return NULL;
	}
	as->dev = f->dev;
	as->ino = f->ino;
	as->host_fd = -1;
	if (f->kind == FILE_SHMEM) {
		as->shmem = true;
		as->size = f->size;
	} else if (f->kind == FILE_IMAGE) {
		/* A file named by an initial maps line: the process mapped it
		 * whole, so no page is past its end; its pages read as zeros. */
		as->size = ~0UL >> 1;
	} else if (f->host_fd >= 0) {
		as->host_fd = open_own_fd(f->host_fd);
		if (as->host_fd >= 0 && !fstat(as->host_fd, &st))
			as->size = (unsigned long)st.st_size;
		/* Our reads are the guest's page-cache misses: the host must
		 * not read ahead of them, or mincore's look at the host's
		 * cache would see pages the guest's kernel never read. */
		if (as->host_fd >= 0)
			posix_fadvise(as->host_fd, 0, 0, POSIX_FADV_RANDOM);
		as->writeback_zeroes_eof = as->host_fd >= 0 &&
			!fstatfs(as->host_fd, &sfs) && sfs.f_type != TMPFS_MAGIC;
	}
	as->next = ph->caches;
	ph->caches = as;
	return as;
}

struct address_space *mapping_lookup(struct phys *ph, struct um_file *f)
{
	struct address_space *as;

	if (f->mapping)
		return f->mapping;
	/* A shmem object is its own cache; a host inode's is shared by every
	 * file open on it. */
	for (as = f->kind == FILE_SHMEM ? NULL : ph->caches; as; as = as->next)
		if (!as->shmem && as->dev == f->dev && as->ino == f->ino)
			break;
	return as;
}

struct address_space *file_mapping(struct phys *ph, struct um_file *f)
{
	struct address_space *as;

	if (f->mapping)
		return f->mapping;
	as = mapping_lookup(ph, f);
	if (!as && !(as = mapping_new(ph, f)))
		return NULL;
	as->refs++;
	f->mapping = as;
	f->phys = ph;
	return as;
}

static void drop_page_at(struct phys *ph, struct address_space *as, unsigned long slot)
{
	unsigned long pfn = as->pfns[slot];
	struct page *pg = pfn_page(ph, pfn);

	page_clear_cache(pg);
	map_delete_at(as, slot);
	ph->cached_pages--;
	frame_put(ph, pfn);
}

void mapping_put(struct phys *ph, struct address_space *as)
{
	struct address_space **pp;

	if (--as->refs)
		return;
	mapping_writeback(ph, as, 0, ~0UL);
	for (unsigned long i = 0; i < as->nslots;) {
		if (as->keys[i])
			drop_page_at(ph, as, i);   /* may shift a later key into i */
		else
			i++;
	}
	for (pp = &ph->caches; *pp != as; pp = &(*pp)->next)
		;
	*pp = as->next;
	if (as->host_fd >= 0)
		close(as->host_fd);
	cache_id_put(ph, as);
	um_free(as->keys);
	um_free(as->pfns);
	um_free(as);
}

/* Fill a new page from the host file: the bytes up to EOF, zeros after. */
static void read_page(struct phys *ph, struct address_space *as,
		      unsigned long index, unsigned long pfn)
{
	unsigned long off = index << PAGE_SHIFT;
	unsigned char *d = pfn_data(ph, pfn);
	size_t want, got = 0;

	if (as->host_fd < 0 || off >= as->size)
		return;
	want = as->size - off < PAGE_SIZE ? as->size - off : PAGE_SIZE;
	while (got < want) {
		ssize_t n = pread(as->host_fd, d + got, want - got, (off_t)(off + got));

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	ph->ev.pages_read++;
}

unsigned long mapping_get_page(struct phys *ph, struct address_space *as,
			       unsigned long index)
{
	unsigned long pfn = mapping_find_page(as, index);
	struct page *pg;

	if (pfn) {
		frame_get(ph, pfn);
		return pfn;
	}
	pfn = frame_alloc(ph);
	if (!pfn)
		return 0;
	if (map_insert(as, index, pfn)) {
		frame_put(ph, pfn);
		return 0;
	}
	read_page(ph, as, index, pfn);
	pg = pfn_page(ph, pfn);
	page_set_cache(pg, as, index);
	ph->cached_pages++;
	frame_get(ph, pfn);         /* the cache's reference, and the caller's */
	return pfn;
}

/* Write @pfn's bytes up to i_size to the host file.  A writeback (@clean)
 * also does what the kernel's does to the page: it is clean afterwards and
 * its tail past EOF zeroed.  A flush only copies the bytes out. */
static int write_page(struct phys *ph, struct address_space *as, unsigned long pfn,
		      bool clean)
{
	struct page *pg = pfn_page(ph, pfn);
	unsigned long off = page_index(pg) << PAGE_SHIFT;
	size_t len, done = 0;

	if (clean)
		page_clear_flags(pg, PG_DIRTY);
	if (off >= as->size)
		return 0;
	len = as->size - off < PAGE_SIZE ? as->size - off : PAGE_SIZE;
	while (done < len) {
		ssize_t n = pwrite(as->host_fd, pfn_data(ph, pfn) + done, len - done,
				   (off_t)(off + done));

		if (n <= 0)
			return -EIO;
		done += (size_t)n;
	}
	/* ext4 (and every filesystem that writes pages back: buffer heads,
	 * iomap) zeroes the EOF page past i_size each time it writes it,
	 * since a mapping may have stored there: the cache forgets those
	 * bytes too.  tmpfs never writes back and keeps them. */
	if (clean && len < PAGE_SIZE && as->writeback_zeroes_eof)
		memset(pfn_data(ph, pfn) + len, 0, PAGE_SIZE - len);
	ph->ev.pages_written++;
	return 0;
}

/* i_size can lie past the last byte any page holds (a write that copied
 * nothing past EOF still moves it, as ext4's write_end does): the host
 * file grows to it too, so that its size and its holes are the inode's. */
static int host_extend(const struct address_space *as)
{
	struct stat st;

	if (fstat(as->host_fd, &st))
		return -EIO;
	if ((unsigned long)st.st_size < as->size &&
	    ftruncate(as->host_fd, (off_t)as->size))
		return -EIO;
	return 0;
}

static int write_range(struct phys *ph, struct address_space *as,
		       unsigned long first, unsigned long last, bool clean)
{
	int err = 0;

	if (as->shmem || as->host_fd < 0)
		return 0;
	for (unsigned long i = 0; i < as->nslots; i++) {
		unsigned long idx = as->keys[i] - 1;

		if (!as->keys[i] || idx < first || idx > last ||
		    !(page_flags(pfn_page(ph, as->pfns[i])) & PG_DIRTY))
			continue;
		if (write_page(ph, as, as->pfns[i], clean))
			err = -EIO;
	}
	return err ? err : host_extend(as);
}

int mapping_writeback(struct phys *ph, struct address_space *as,
		      unsigned long first, unsigned long last)
{
	return write_range(ph, as, first, last, true);
}

int mapping_flush(struct phys *ph, struct address_space *as,
		  unsigned long first, unsigned long last)
{
	return write_range(ph, as, first, last, false);
}

void mapping_drop_range(struct phys *ph, struct address_space *as,
			unsigned long first, unsigned long last)
{
	for (unsigned long i = 0; i < as->nslots;) {
		unsigned long idx = as->keys[i] - 1;

		if (as->keys[i] && idx >= first && idx <= last)
			drop_page_at(ph, as, i);
		else
			i++;
	}
}

void mapping_truncate(struct phys *ph, struct address_space *as, unsigned long size)
{
	unsigned long keep = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	unsigned long pfn;

	if (size >= as->size) {
		mapping_extend(ph, as, size, ~0UL);
		return;
	}
	for (unsigned long i = 0; i < as->nslots;) {
		if (as->keys[i] && as->keys[i] - 1 >= keep)
			drop_page_at(ph, as, i);
		else
			i++;
	}
	/* The page holding the new EOF keeps its head; the rest reads as zeros. */
	if (offset_in_page(size) && (pfn = mapping_find_page(as, size >> PAGE_SHIFT)))
		memset(pfn_data(ph, pfn) + offset_in_page(size), 0,
		       PAGE_SIZE - offset_in_page(size));
	as->size = size;
}

/* ---- read and write ------------------------------------------------------------------ */

/* The file grows to @size: the bytes between the old end and @zero_to
 * (at most the end of the old EOF page) read as zeros from now on,
 * whatever a store through a shared mapping left past the old EOF there.
 * ftruncate up clears the whole tail (zero_to ~0); a write past EOF only
 * the gap before its own bytes, leaving what lies beyond them (Linux's
 * pagecache_isize_extended / ext4's zeroing of the post-EOF block part). */
void mapping_extend(struct phys *ph, struct address_space *as, unsigned long size,
		    unsigned long zero_to)
{
	unsigned long old = as->size, pfn, end;

	if (size <= old)
		return;
	end = um_min(zero_to, (old | (PAGE_SIZE - 1)) + 1);
	if (offset_in_page(old) && end > old &&
	    (pfn = mapping_find_page(as, old >> PAGE_SHIFT)))
		memset(pfn_data(ph, pfn) + offset_in_page(old), 0, end - old);
	as->size = size;
}

/* Linux's filemap_read: [pos, pos + count) clipped to the file's size, a
 * page at a time through the cache. */
long filemap_read(struct phys *ph, struct address_space *as, unsigned long pos,
		  unsigned long count, struct io_buf *b)
{
	unsigned long done = 0;

	while (done < count && pos < as->size) {
		unsigned long off = offset_in_page(pos), pfn;
		size_t n = um_min(um_min(PAGE_SIZE - off, count - done), as->size - pos), c;

		if (!(pfn = mapping_get_page(ph, as, pos >> PAGE_SHIFT)))
			return done ? (long)done : -ENOMEM;
		c = io_copy_to(b, pfn_data(ph, pfn) + off, n);
		frame_put(ph, pfn);
		done += c;
		pos += c;
		if (c < n)
			return done ? (long)done : b->err;
	}
	return (long)done;
}

/* Linux's generic_perform_write: each page is brought into the cache
 * (read from the host even when the write covers it whole: simpler, and
 * only slower), the bytes copied in, the page dirtied; the file grows by
 * what was copied, and a gap left past the old end reads as zeros.
 *
 * A copy that stops short is not the end: Linux commits the bytes that
 * did copy and goes on, and after a copy of nothing at a position past
 * EOF (which still moves i_size up to it) it faults the source in and
 * tries once more.  Both matter when the buffer is a shared mapping of the
 * file itself, lying past EOF until the write grows the file under it. */
long filemap_write(struct phys *ph, struct address_space *as, unsigned long pos,
		   unsigned long count, struct io_buf *b)
{
	unsigned long done = 0;
	bool retried = false;

	while (done < count) {
		unsigned long off = offset_in_page(pos), pfn;
		size_t n = um_min(PAGE_SIZE - off, count - done), c;
		bool grows;

		if (!(pfn = mapping_get_page(ph, as, pos >> PAGE_SHIFT)))
			return done ? (long)done : -ENOMEM;
		/* Past the end the file grows to the write's offset even when
		 * no byte can be copied (ext4's write_end sets i_size to pos +
		 * copied).  And a page write_begin was called for holds data
		 * from then on, copied into or not (ext4 reserved a delayed-
		 * allocation block for it: SEEK_DATA finds it): dirty, so that
		 * writeback gives the host file the same extent. */
		grows = pos > as->size;
		if (grows)
			mapping_extend(ph, as, pos, pos);   /* the gap reads as zeros */
		c = io_copy_from(b, pfn_data(ph, pfn) + off, n);
		if (!as->shmem)
			page_set_flags(pfn_page(ph, pfn), PG_DIRTY);
		frame_put(ph, pfn);
		done += c;
		pos += c;
		if (pos > as->size)
			as->size = pos;
		if (c < n && !c && (retried || !grows))
			return done ? (long)done : b->err;   /* no progress possible */
		retried = c < n && !c;
	}
	return (long)done;
}
