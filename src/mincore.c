/*
 * mincore.c — which pages of a range are resident (Linux's mm/mincore.c).
 *
 * Order of the checks, as in Linux:
 *   start unaligned (EINVAL) ─ [start, start+len) not a user range: past
 *   TASK_SIZE_MAX or wrapping (ENOMEM) ─ the vector (EFAULT) ─ then VMA by
 *   VMA: each VMA's part is computed and copied out before the next; a hole
 *   ends the call with ENOMEM, leaving the bytes before it written.
 *
 * The vector: usermm receives a host pointer.  NULL stands for a guest
 * pointer that passes access_ok but faults when written (address 0), so it
 * gives EFAULT only when a part is about to be copied: after the argument
 * checks, and not when the first VMA lookup already failed (ENOMEM).
 *
 * What is resident:
 *   - special mappings ([vvar], [vdso]) and file mappings the caller could
 *     not open for writing: Linux hides the page cache and reports 1;
 *   - a page with a present entry (touched memory, the zero page after a
 *     read fault, populated and locked ranges);
 *   - for a file, a page in usermm's page cache, or one the host kernel
 *     caches: the live kernel's cache is the host's, so a file another
 *     program just wrote is resident there too (usermm's own reads go
 *     through the host and land there as well);
 *   - nothing else (no swap yet).
 *
 * Locking: the caller (engine.c) holds the address space.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "usermm.h"
#include <sys/mman.h>
#include "internal.h"
#include "page.h"

/* Linux walks at most a page of vector bytes per round. */
#define MINCORE_CHUNK PAGE_SIZE

/* x86-64 access_ok: the range ends at or below the last user address
 * (TASK_SIZE_MAX, whatever the process's own task size) without wrapping. */
static bool user_range_ok(unsigned long start, unsigned long len)
{
	unsigned long sum = start + len;

	return sum >= start && sum <= TASK_SIZE_MAX;
}

/* inode_owner_or_capable || file_permission(MAY_WRITE), with the host's
 * credentials (usermm opens host files with them). */
static bool host_file_writable_by_us(int fd)
{
	struct stat st;
	char path[64];

	if (geteuid() == 0)
		return true;   /* CAP_FOWNER */
	if (fstat(fd, &st) == 0 && st.st_uid == geteuid())
		return true;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0;
}

/* can_do_mincore: may the caller learn the page-cache state here? */
static bool can_do_mincore(const struct vma *v)
{
	const struct um_file *f = v->vm_file;

	if (v->special)
		return false;   /* special mappings have ops but no file */
	if (!f || f->kind != FILE_REGULAR || f->host_fd < 0)
		return true;    /* anonymous, shmem, images without a host file */
	return host_file_writable_by_us(f->host_fd);
}

/* The host kernel's view of a file range: pages the host caches are ones
 * the live kernel would report (usermm reads through the host, so what it
 * read is there too).  Zeros when the host cannot say. */
static void host_residency(int fd, unsigned long off, unsigned long len,
			   unsigned char *vec)
{
	/* The host's pages may be smaller than ours (4 KiB under a 16 or
	 * 64 KiB engine): one of ours is resident when any of its are. */
	unsigned long hps = (unsigned long)sysconf(_SC_PAGESIZE);
	unsigned long per = hps < PAGE_SIZE ? PAGE_SIZE / hps : 1;
	unsigned char hvec[256];
	unsigned char *m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, (off_t)off);

	memset(vec, 0, len >> PAGE_SHIFT);
	if (m == MAP_FAILED)
		return;
	for (unsigned long done = 0, chunk; done < len; done += chunk) {
		chunk = um_min(len - done, sizeof(hvec) * hps);
		if (mincore(m + done, chunk, hvec))
			break;
		for (unsigned long h = 0; h < (chunk + hps - 1) / hps; h++)
			vec[(done / hps + h) / per] |= hvec[h] & 1;
	}
	munmap(m, len);
}

/* Fill vec for [addr, end) inside @v: a present entry is resident; for a
 * file, so is a page in the page cache, mapped or not. */
static void mincore_vma(struct mm *mm, const struct vma *v, unsigned long addr,
			unsigned long end, unsigned char *vec)
{
	unsigned long n = (end - addr) >> PAGE_SHIFT;
	struct um_file *f = vma_is_anonymous(v) ? NULL : v->vm_file;
	unsigned long index = v->vm_pgoff + ((addr - v->vm_start) >> PAGE_SHIFT);
	/* the inode's cache, whichever open file of it filled it */
	struct address_space *as = f && mm->phys ? mapping_lookup(mm->phys, f) : NULL;

	if (!can_do_mincore(v)) {
		memset(vec, 1, n);
		return;
	}
	if (f && f->kind == FILE_REGULAR && f->host_fd >= 0)
		host_residency(f->host_fd, index << PAGE_SHIFT, end - addr, vec);
	else
		memset(vec, 0, n);
	for (unsigned long i = 0; i < n; i++) {
		pte_t *e = pte_lookup(mm->phys, &mm->pgt, addr + (i << PAGE_SHIFT), false);

		if ((e && (*e & PTE_PRESENT)) ||
		    (as && mapping_find_page(as, index + i)))
			vec[i] = 1;
	}
}

/* One round: at most @pages pages from @addr, within one VMA.  Returns the
 * number of pages described in @vec, or -ENOMEM when @addr is unmapped. */
static long do_mincore(struct mm *mm, unsigned long addr, unsigned long pages,
		       unsigned char *vec)
{
	struct vma *v = vma_lookup(mm, addr);
	unsigned long end;

	if (!v)
		return -ENOMEM;
	end = um_min(v->vm_end, addr + (pages << PAGE_SHIFT));
	if (vec)
		mincore_vma(mm, v, addr, end, vec);
	return (long)((end - addr) >> PAGE_SHIFT);
}

long sys_mincore(struct mm *mm, unsigned long start, unsigned long len,
		 unsigned char *vec)
{
	unsigned long pages;

	if (offset_in_page(start))
		return -EINVAL;
	if (!user_range_ok(start, len))
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + (offset_in_page(len) != 0);
	if (vec == UM_VEC_NOT_USER)
		return -EFAULT;   /* access_ok(vec, pages) */
	while (pages) {
		long n = do_mincore(mm, start, um_min(pages, MINCORE_CHUNK), vec);

		if (n < 0)
			return n;
		if (!vec)
			return -EFAULT;   /* copy_to_user to the bad pointer */
		pages -= (unsigned long)n;
		vec += n;
		start += (unsigned long)n << PAGE_SHIFT;
	}
	return 0;
}
