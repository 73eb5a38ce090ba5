/*
 * mmap.c — creating and destroying mappings: mmap (do_mmap,
 * get_unmapped_area, mmap_region), munmap and brk (Linux's mm/mmap.c and
 * the mapping half of mm/vma.c).
 *
 * The path of a call, as in the seeds:
 *
 *   sys_mmap ─ offset check ─ do_mmap_pgoff ─ fd lookup ─ do_mmap
 *        do_mmap: length, flags, limits ─ get_unmapped_area ─ prot/file checks
 *        mmap_region: unmap what MAP_FIXED replaces ─ limits ─ merge with a
 *                     neighbour (vma_merge_new_range) or link a new VMA
 *        then populate (MAP_POPULATE / MAP_LOCKED)
 *
 * Every check happens in Linux's order, because the order decides which
 * errno a call with several faults gets.  Nothing is changed until every
 * check that can fail without side effects has passed; the failures Linux
 * reports after changing something (a split that stays split) are
 * reproduced as such.
 *
 * Locking: the caller (engine.c) holds the address space.
 */
#include <sys/mman.h>
#include "internal.h"
#include "page.h"
#include "file.h"
#include "alloc.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MAP_UNINITIALIZED
#define MAP_UNINITIALIZED 0x4000000
#endif
#define MAP_DROPPABLE_TYPE 0x08
#define MAP_ABOVE4G 0x80
#define MAP_HUGE_2MB_BITS (21UL << 26)
#define MAP_HUGE_1GB_BITS (30UL << 26)

/* The flags every mmap implementation accepted before MAP_SHARED_VALIDATE:
 * with MAP_SHARED, others are ignored; with MAP_SHARED_VALIDATE, refused. */
#define LEGACY_MAP_MASK (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | \
	MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED | MAP_GROWSDOWN |   \
	MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK |  \
	MAP_HUGETLB | MAP_32BIT | MAP_ABOVE4G | MAP_HUGE_2MB_BITS | MAP_HUGE_1GB_BITS)

/* ---- limits ---------------------------------------------------------------- */

bool may_expand_vm(struct mm *mm, unsigned long flags, unsigned long npages)
{
	if (mm->total_vm + npages > mm->rlim_as >> PAGE_SHIFT)
		return false;
	if (is_data_mapping(flags) &&
	    mm->data_vm + npages > mm->rlim_data >> PAGE_SHIFT) {
		/* Linux lets a zero RLIMIT_DATA through (for Valgrind) when
		 * the hard limit allows; usermm models the soft limit only. */
		return false;
	}
	return true;
}

bool can_do_mlock(struct mm *mm)
{
	return mm->rlim_memlock != 0 || mm->cap_ipc_lock;
}

bool mlock_future_ok(struct mm *mm, unsigned long flags, unsigned long bytes)
{
	if (!(flags & VM_LOCKED) || mm->cap_ipc_lock)
		return true;
	return (bytes >> PAGE_SHIFT) + mm->locked_vm <=
	       mm->rlim_memlock >> PAGE_SHIFT;
}

/* Overcommit heuristic (vm.overcommit_memory = 0): refuse a single request
 * larger than all RAM and swap.  Mode 1 never refuses. */
bool vm_enough_memory(struct mm *mm, unsigned long pages)
{
	if (mm->sysctl->overcommit_memory == 1)
		return true;
	return pages <= mm->sysctl->totalram_pages;
}

static bool accountable_mapping(unsigned long vm_flags)
{
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

/* ---- choosing an address --------------------------------------------------- */

/* A hint below mmap_min_addr is raised to it; 0 stays "no hint". */
static unsigned long round_hint_to_min(struct mm *mm, unsigned long hint)
{
	hint &= PAGE_MASK;
	if (hint && hint < mm->sysctl->hint_min_addr)
		return PAGE_ALIGN(mm->sysctl->hint_min_addr);
	return hint;
}

/*
 * Large mappings are placed so a 2 MiB page can back them: ask for len +
 * 2 MiB, then slide up to the 2 MiB boundary that matches the file offset
 * (Linux's __thp_get_unmapped_area).  0 means "not applicable, or no room
 * for the padding": the caller retries without it.
 */
static unsigned long thp_unmapped_area(struct mm *mm, struct um_file *file,
				       unsigned long addr, unsigned long len,
				       unsigned long pgoff, unsigned long flags,
				       unsigned long vm_flags)
{
	/* The checks in 6.18's types: off, off_end and off_align are loff_t
	 * (signed), so rounding an offset near 2^63 up to the PMD wraps to a
	 * negative off_align that the checks let through (the difference is
	 * compared as unsigned).  Done here in unsigned arithmetic with the
	 * same bits, and signed only where the kernel compares signed. */
	unsigned long off = pgoff << PAGE_SHIFT;
	unsigned long off_align = ((off - 1) | (PMD_SIZE - 1)) + 1;
	unsigned long off_end = off + len, len_pad = len + PMD_SIZE, ret, off_sub;

	if ((long)off_end <= (long)off_align || off_end - off_align < PMD_SIZE)
		return 0;
	if (len_pad < len || off + len_pad < off)
		return 0;
	ret = arch_get_unmapped_area(mm, addr, len_pad, pgoff, flags, vm_flags,
				     mm->topdown);
	if (IS_ERR_VALUE(ret))
		return 0;
	if (ret == addr)   /* the hint was free: keep it */
		return addr;
	(void)file;
	off_sub = (off - ret) & (PMD_SIZE - 1);
	if (mm->topdown && !off_sub)
		return ret + PMD_SIZE;
	return ret + off_sub;
}

unsigned long get_unmapped_area(struct mm *mm, struct um_file *file,
				unsigned long addr, unsigned long len,
				unsigned long pgoff, unsigned long flags,
				unsigned long vm_flags)
{
	unsigned long ret = 0;
	bool shmem_anon = !file && (flags & MAP_SHARED);

	if (len > mm->task_size)
		return (unsigned long)-ENOMEM;
	if (!file)
		pgoff = 0;
	if (file && ((file->thp_aligned_fs && file->kind == FILE_REGULAR) ||
		     (file->kind == FILE_DEV_ZERO && !(flags & MAP_SHARED))))
		/* ext4/xfs files and private /dev/zero align like files do */
		ret = thp_unmapped_area(mm, file, addr, len, pgoff, flags, vm_flags);
	else if (mm->sysctl->thp && !file && !shmem_anon && !addr &&
		 (len & (PMD_SIZE - 1)) == 0)
		ret = thp_unmapped_area(mm, file, addr, len, pgoff, flags, vm_flags);
	if (!ret)
		ret = arch_get_unmapped_area(mm, addr, len, pgoff, flags, vm_flags,
					     mm->topdown);
	if (IS_ERR_VALUE(ret))
		return ret;
	if (ret > mm->task_size - len)
		return (unsigned long)-ENOMEM;
	if (offset_in_page(ret))
		return (unsigned long)-EINVAL;
	/* security_mmap_addr: below mmap_min_addr needs CAP_SYS_RAWIO. */
	if (ret < mm->sysctl->mmap_min_addr && !mm->cap_sys_rawio)
		return (unsigned long)-EPERM;
	return ret;
}

/* ---- the VMA flags a request asks for ------------------------------------- */

static unsigned long calc_vm_prot_bits(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

static unsigned long calc_vm_flag_bits(unsigned long flags)
{
	return (flags & MAP_GROWSDOWN ? VM_GROWSDOWN : 0) |
	       (flags & MAP_LOCKED ? VM_LOCKED : 0) |
	       (flags & MAP_SYNC ? VM_SYNC : 0) |
	       (flags & MAP_STACK ? VM_NOHUGEPAGE : 0);
}

/* The file half of do_mmap's checks: open mode against prot and type. */
static int check_file_mapping(struct um_file *file, unsigned long prot,
			      unsigned long flags, unsigned long *vm_flags)
{
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		flags &= LEGACY_MAP_MASK;
		/* fall through */
	case MAP_SHARED_VALIDATE:
		/* MAP_SYNC passes validation where the fs can do it (ext4, xfs:
		 * FOP_MMAP_SYNC); their ->mmap then refuses it without DAX. */
		if (flags & ~(LEGACY_MAP_MASK | (file->thp_aligned_fs &&
			      file->kind == FILE_REGULAR ? MAP_SYNC : 0)))
			return -EOPNOTSUPP;
		if ((prot & PROT_WRITE) && !(file->fmode & FMODE_WRITE))
			return -EACCES;
		if (file->append_only && (file->fmode & FMODE_WRITE))
			return -EACCES;
		*vm_flags |= VM_SHARED | VM_MAYSHARE;
		if (!(file->fmode & FMODE_WRITE))
			*vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
		/* fall through */
	case MAP_PRIVATE:
		if (!(file->fmode & FMODE_READ))
			return -EACCES;
		if (file->noexec) {
			if (*vm_flags & VM_EXEC)
				return -EPERM;
			*vm_flags &= ~VM_MAYEXEC;
		}
		if (file->kind == FILE_DIRECTORY || file->kind == FILE_DEV_OTHER ||
		    file->kind == FILE_PIPE || file->kind == FILE_SOCKET)
			return -ENODEV;
		if (*vm_flags & VM_GROWSDOWN)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

static int check_anon_mapping(unsigned long flags, unsigned long addr,
			      unsigned long *vm_flags, unsigned long *pgoff)
{
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		if (*vm_flags & VM_GROWSDOWN)
			return -EINVAL;
		*pgoff = 0;
		*vm_flags |= VM_SHARED | VM_MAYSHARE;
		return 0;
	case MAP_DROPPABLE_TYPE:
		/* Private memory the kernel may drop under pressure: never
		 * locked, never a stack, never reserved, not inherited or
		 * dumped. */
		if ((flags & MAP_LOCKED) || (*vm_flags & VM_GROWSDOWN))
			return -EINVAL;
		*vm_flags |= VM_DROPPABLE | VM_NORESERVE | VM_WIPEONFORK | VM_DONTDUMP;
		*pgoff = addr >> PAGE_SHIFT;
		return 0;
	case MAP_PRIVATE:
		*pgoff = addr >> PAGE_SHIFT;
		return 0;
	default:
		return -EINVAL;
	}
}

/* ---- populate ---------------------------------------------------------------- */

/* MAP_POPULATE, MAP_LOCKED and the like: fault the range in, ignoring
 * failures (mlock.c's __mm_populate does the work). */
void mm_populate(struct mm *mm, unsigned long start, unsigned long len)
{
	(void)__mm_populate(mm, start, len, true);
}

/* ---- unmapping ---------------------------------------------------------------- */

/* Free the pages of a VMA about to go.  A shared file mapping's dirty
 * pages reach the host file (on Linux the page cache they stay in is the
 * file for every reader; here other host programs read the host file) but
 * stay dirty in the cache with their tails, as Linux leaves them until its
 * flusher writes them: mapping_flush, not a writeback. */
void unmap_vma_pages(struct mm *mm, struct vma *v)
{
	struct address_space *as = v->vm_file ? v->vm_file->mapping : NULL;

	if (!mm->phys)
		return;
	zap_page_range(mm, v->vm_start, v->vm_end);
	clear_guard_markers(mm, v->vm_start, v->vm_end);
	if ((v->vm_flags & VM_SHARED) && as)
		mapping_flush(mm->phys, as, v->vm_pgoff, v->vm_pgoff + vma_pages(v) - 1);
}

/* ---- stack growth (Linux's expand_downwards) ------------------------------------- */

/* A fault below a VM_GROWSDOWN VMA grows it down to the faulting page, as
 * long as the guard gap above an accessible neighbour below stays free and
 * the stack rlimit, RLIMIT_AS and the lock limit allow.  0 or -errno. */
int expand_stack(struct mm *mm, struct vma *v, unsigned long addr)
{
	unsigned long start = addr & PAGE_MASK, grow = (v->vm_start - start) >> PAGE_SHIFT;
	struct vma *prev = v->prev;

	if (!(v->vm_flags & VM_GROWSDOWN))
		return -EFAULT;
	/* The LSM's floor too (CONFIG_LSM_MMAP_MIN_ADDR, 65536), as for hints:
	 * a stack never grows below it (SIGSEGV). */
	if (start < mm->sysctl->hint_min_addr)
		return -EPERM;
	if (prev && (prev->vm_end > start ||
		     (!(prev->vm_flags & VM_GROWSDOWN) && (prev->vm_flags & VM_ACCESS_FLAGS) &&
		      start - prev->vm_end < mm->sysctl->stack_guard_gap)))
		return -ENOMEM;
	if (v->vm_end - start > mm->rlim_stack || !may_expand_vm(mm, v->vm_flags, grow))
		return -ENOMEM;
	if ((v->vm_flags & VM_LOCKED) && !mlock_future_ok(mm, v->vm_flags, grow << PAGE_SHIFT))
		return -ENOMEM;
	if ((v->vm_flags & VM_ACCOUNT) && !vm_enough_memory(mm, grow))
		return -ENOMEM;
	vma_set_range(mm, v, start, v->vm_end, v->vm_pgoff - grow);
	/* Growing up to a GROWSDOWN neighbour (no guard gap between two
	 * stacks) leaves them adjacent and unmerged, as Linux's
	 * expand_downwards does: the validator's merge rule no longer holds. */
	if (prev && prev->vm_end == start)
		mm->allow_unmerged = true;
	vm_stat_account(mm, v->vm_flags, (long)grow);
	if (v->vm_flags & VM_LOCKED)
		mm->locked_vm += grow;
	return 0;
}

static void account_removed(struct mm *mm, const struct vma *v)
{
	vm_stat_account(mm, v->vm_flags, -(long)vma_pages(v));
	if (v->vm_flags & VM_LOCKED)
		mm->locked_vm -= vma_pages(v);
}

/* Split the VMAs at the edges of [start, end) so that it is covered by
 * whole VMAs.  The first split respects max_map_count only when the range
 * is strictly inside one VMA (a munmap there adds a VMA). */
static int split_edges(struct mm *mm, unsigned long start, unsigned long end)
{
	struct vma *v = find_vma_intersection(mm, start, end);
	bool split_start = false;
	int err;

	if (!v)
		return 0;
	if (start > v->vm_start) {
		if (end < v->vm_end && mm->map_count >= mm->sysctl->max_map_count)
			return -ENOMEM;
		err = __split_vma(mm, v, start, 1);
		if (err)
			return err;
		split_start = true;
	}
	v = find_vma(mm, end - 1);
	if (v && v->vm_start < end && v->vm_end > end) {
		err = __split_vma(mm, v, end, 0);
		/* The first split stays when the second fails, as in Linux's
		 * vms_gather_munmap_vmas: two mergeable VMAs side by side. */
		if (err && split_start)
			mm->allow_unmerged = true;
		return err;
	}
	return 0;
}

/* Remove every VMA inside [start, end), already split at the edges. */
static void remove_range(struct mm *mm, unsigned long start, unsigned long end)
{
	struct vma *v = find_vma(mm, start), *next;

	for (; v && v->vm_start < end; v = next) {
		next = v->next;
		unmap_vma_pages(mm, v);
		account_removed(mm, v);
		vma_unlink(mm, v);
		vma_free(mm, v);
	}
}

int do_align_munmap(struct mm *mm, unsigned long start, unsigned long end,
		    bool is_brk)
{
	int err = split_edges(mm, start, end);

	(void)is_brk;
	if (err)
		return err;
	remove_range(mm, start, end);
	return 0;
}

int do_munmap(struct mm *mm, unsigned long start, unsigned long len)
{
	unsigned long end;

	if (offset_in_page(start) || start > mm->task_size ||
	    len > mm->task_size - start)
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end == start)
		return -EINVAL;
	if (!find_vma_intersection(mm, start, end))
		return 0;
	return do_align_munmap(mm, start, end, false);
}

long sys_munmap(struct mm *mm, unsigned long addr, unsigned long len)
{
	return do_munmap(mm, addr, len);
}

/* ---- mmap_region -------------------------------------------------------------- */

/* Pages of [start, end) that existing VMAs cover, and how many are charged. */
static void count_overlap(struct mm *mm, unsigned long start, unsigned long end,
			  unsigned long *pages, unsigned long *accounted)
{
	struct vma *v;

	*pages = *accounted = 0;
	for (v = find_vma(mm, start); v && v->vm_start < end; v = v->next) {
		unsigned long n = (um_min(end, v->vm_end) - um_max(start, v->vm_start))
				  >> PAGE_SHIFT;

		*pages += n;
		if (v->vm_flags & VM_ACCOUNT)
			*accounted += n;
	}
}

/* What the file's ->mmap does to a new VMA: shared anonymous memory becomes
 * a shmem file, a private /dev/zero mapping becomes plain anonymous. */
static int mmap_file(struct mm *mm, struct vma *v)
{
	struct um_file *f = v->vm_file;

	if (!f && (v->vm_flags & VM_SHARED)) {
		v->vm_file = file_shmem(++*mm->next_shmem_ino,
						 v->vm_end - v->vm_start);
		return v->vm_file ? 0 : -ENOMEM;
	}
	if (f && f->kind == FILE_DEV_ZERO) {
		if (v->vm_flags & VM_SHARED) {
			v->vm_file = file_shmem(++*mm->next_shmem_ino,
						 v->vm_end - v->vm_start);
			file_put(f);
			if (!v->vm_file)
				return -ENOMEM;   /* the offset given is kept */
		}
		return 0;
	}
	return 0;
}

static struct vma *new_vma(struct mm *mm, struct um_file *file, unsigned long addr,
			   unsigned long end, unsigned long vm_flags,
			   unsigned long pgoff, int *err)
{
	struct vma *v = vma_alloc(mm);

	*err = -ENOMEM;
	if (!v)
		return NULL;
	v->vm_start = addr;
	v->vm_end = end;
	v->vm_flags = vm_flags;
	v->vm_pgoff = pgoff;
	v->vm_file = file;
	file_get(file);
	*err = mmap_file(mm, v);
	if (*err) {
		vma_free(mm, v);
		return NULL;
	}
	return v;
}

/* Could the new range merge?  A shmem or file mapping that ->mmap turns into
 * a new object never merges; plain anonymous and file mappings may. */
static bool may_merge_new(struct um_file *file, unsigned long vm_flags)
{
	if (!file)
		return !(vm_flags & VM_SHARED);
	return file->kind != FILE_DEV_ZERO || !(vm_flags & VM_SHARED);
}

long mmap_region(struct mm *mm, struct um_file *file, unsigned long addr,
		 unsigned long len, unsigned long vm_flags, unsigned long pgoff)
{
	unsigned long end = addr + len, pglen = len >> PAGE_SHIFT;
	unsigned long old_pages, old_accounted;
	struct vma_merge vmg = { .mm = mm, .start = addr, .end = end };
	struct vma *v = NULL, *prepared = NULL, *next = find_vma(mm, addr);
	bool overlap = next && next->vm_start < end;
	int err;

	old_pages = old_accounted = 0;
	if (overlap) {   /* MAP_FIXED over existing mappings */
		err = split_edges(mm, addr, end);
		if (err)
			goto fail;
		count_overlap(mm, addr, end, &old_pages, &old_accounted);
	}
	err = -ENOMEM;
	if (!may_expand_vm(mm, vm_flags, pglen - old_pages))
		goto fail;
	if (accountable_mapping(vm_flags)) {
		if (pglen > old_accounted && !vm_enough_memory(mm, pglen - old_accounted))
			goto fail;
		vm_flags |= VM_ACCOUNT;
	}
	if (!may_merge_new(file, vm_flags)) {
		prepared = new_vma(mm, file, addr, end, vm_flags, pgoff, &err);
		if (!prepared)
			goto fail;
	}
	if (overlap) {
		remove_range(mm, addr, end);
		next = find_vma(mm, addr);
	}
	/* ext4/xfs ->mmap refuse VM_SYNC without DAX, after MAP_FIXED has
	 * already removed the old range. */
	if (file && (vm_flags & VM_SYNC) && file->thp_aligned_fs &&
	    file->kind == FILE_REGULAR)
		return -EOPNOTSUPP;
	if (!prepared) {
		vmg.next = next;
		vmg.prev = next ? next->prev : mm->vma_last;
		vmg.flags = vm_flags;
		vmg.file = file;
		vmg.pgoff = pgoff;
		v = vma_merge_new_range(&vmg);
		if (!v)
			prepared = new_vma(mm, file, addr, end, vm_flags, pgoff, &err);
		if (!v && !prepared)
			return err;  /* the old range is gone, as in Linux */
	}
	if (prepared) {
		v = prepared;
		vma_link_at(mm, v, next ? next->prev : mm->vma_last, next);
	}
	vm_stat_account(mm, vm_flags, pglen);
	if (vm_flags & VM_LOCKED) {
		/* Memory that cannot be locked drops the flag (measured on 6.18:
		 * droppable memory made under mlockall(MCL_FUTURE) is unlocked). */
		if (vm_flags & (VM_SPECIAL | VM_DROPPABLE))
			v->vm_flags &= ~VM_LOCKED_MASK;
		else
			mm->locked_vm += pglen;
	}
	v->vm_flags |= VM_SOFTDIRTY;
	mm->vma_cache = v;   /* the next call is likely about it */
	return (long)addr;
fail:
	/* Linux keeps the VMAs split at the edges of a failed MAP_FIXED. */
	mm->allow_unmerged = true;
	return err;
}

/* ---- do_mmap --------------------------------------------------------------------- */

static long do_mmap(struct mm *mm, struct um_file *file, unsigned long addr,
		    unsigned long len, unsigned long prot, unsigned long flags,
		    unsigned long pgoff, unsigned long *populate)
{
	unsigned long vm_flags = 0;
	long ret;
	int err;

	*populate = 0;
	if (!len)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED))
		addr = round_hint_to_min(mm, addr);
	len = PAGE_ALIGN(len);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (mm->map_count > mm->sysctl->max_map_count)
		return -ENOMEM;
	addr = get_unmapped_area(mm, file, addr, len, pgoff, flags, vm_flags);
	if (IS_ERR_VALUE(addr))
		return (long)addr;
	if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;
	vm_flags |= calc_vm_prot_bits(prot) | calc_vm_flag_bits(flags) |
		    mm->def_flags | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if ((flags & MAP_LOCKED) && !can_do_mlock(mm))
		return -EPERM;
	if (!mlock_future_ok(mm, vm_flags, len))
		return -EAGAIN;
	if (file) {
		/* file_mmap_ok: the end must fit in a file position (loff_t for
		 * regular files, unsigned long for devices). */
		unsigned long maxsize = file->kind == FILE_REGULAR ? (unsigned long)
					__LONG_MAX__ : ~0UL;

		if (len > maxsize || pgoff > (maxsize - len) >> PAGE_SHIFT)
			return -EOVERFLOW;
		err = check_file_mapping(file, prot, flags, &vm_flags);
	} else {
		err = check_anon_mapping(flags, addr, &vm_flags, &pgoff);
	}
	if (err)
		return err;
	if ((flags & MAP_NORESERVE) && mm->sysctl->overcommit_memory != 2)
		vm_flags |= VM_NORESERVE;
	ret = mmap_region(mm, file, addr, len, vm_flags, pgoff);
	if (ret >= 0 && ((vm_flags & VM_LOCKED) ||
			 (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE))
		*populate = len;
	return ret;
}

/* Anonymous MAP_HUGETLB: the size must be one the machine has (2 MiB or
 * 1 GiB), the length and a fixed address must fit it; then reserving the
 * pages fails, as no huge pages are configured in the model. */
static long hugetlb_anon_mmap(unsigned long addr, unsigned long len,
			      unsigned long flags)
{
	unsigned long shift = (flags >> 26) & 0x3f, size;

	if (shift != 0 && shift != 21 && shift != 30)
		return -EINVAL;
	size = 1UL << (shift ? shift : 21);
	len = (len + size - 1) & ~(size - 1);
	if (!len)
		return -EINVAL;
	if ((flags & MAP_FIXED) && (addr & (size - 1)))
		return -EINVAL;
	return -ENOMEM;
}

long do_mmap_pgoff(struct mm *mm, struct fd_table *fdt, unsigned long addr,
		   unsigned long len, unsigned long prot, unsigned long flags,
		   unsigned long fd, unsigned long pgoff)
{
	struct um_file *file = NULL;
	unsigned long populate;
	long ret;

	if (!(flags & MAP_ANONYMOUS)) {
		file = fdt_get(fdt, (unsigned int)fd);
		if (!file || file->kind == FILE_PATH_ONLY)
			return -EBADF;
		if (flags & MAP_HUGETLB)
			return -EINVAL;
	} else if (flags & MAP_HUGETLB) {
		return hugetlb_anon_mmap(addr, len, flags);
	}
	ret = do_mmap(mm, file, addr, len, prot, flags, pgoff, &populate);
	if (ret >= 0 && populate)
		mm_populate(mm, (unsigned long)ret, populate);
	return ret;
}

long sys_mmap(struct mm *mm, struct fd_table *fdt, unsigned long addr,
	      unsigned long len, unsigned long prot, unsigned long flags,
	      unsigned long fd, unsigned long off)
{
	if (off & ~PAGE_MASK)
		return -EINVAL;
	return do_mmap_pgoff(mm, fdt, addr, len, prot, flags, fd, off >> PAGE_SHIFT);
}

/* ---- brk ------------------------------------------------------------------------- */

/* Grow the heap by [addr, addr+len): extend the VMA just below if it is the
 * heap and compatible, else create one (Linux's do_brk_flags). */
static int do_brk_flags(struct mm *mm, struct vma *brkvma, unsigned long addr,
			unsigned long len)
{
	unsigned long flags = VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | mm->def_flags;
	struct vma_merge vmg = { .mm = mm, .start = addr, .end = addr + len,
				 .flags = flags, .pgoff = addr >> PAGE_SHIFT };
	struct vma *v = NULL;

	if (!may_expand_vm(mm, flags, len >> PAGE_SHIFT))
		return -ENOMEM;
	if (mm->map_count > mm->sysctl->max_map_count)
		return -ENOMEM;
	if (!vm_enough_memory(mm, len >> PAGE_SHIFT))
		return -ENOMEM;
	if (brkvma && brkvma->vm_end == addr) {
		vmg.prev = brkvma;  /* expand only: never merges with next */
		v = vma_merge_new_range(&vmg);
	}
	if (!v) {
		v = vma_alloc(mm);
		if (!v)
			return -ENOMEM;
		v->vm_start = addr;
		v->vm_end = addr + len;
		v->vm_pgoff = addr >> PAGE_SHIFT;
		v->vm_flags = flags;
		vma_link(mm, v);
	}
	vm_stat_account(mm, flags, len >> PAGE_SHIFT);
	if (flags & VM_LOCKED)
		mm->locked_vm += len >> PAGE_SHIFT;
	v->vm_flags |= VM_SOFTDIRTY;
	return 0;
}

long sys_brk(struct mm *mm, unsigned long brk)
{
	unsigned long newbrk, oldbrk, origbrk = mm->brk;
	struct vma *next, *brkvma;

	if (brk < mm->start_brk)
		return (long)origbrk;
	if (mm->rlim_data != RLIM_INF && brk - mm->start_brk > mm->rlim_data)
		return (long)origbrk;
	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		return (long)brk;
	}
	if (brk <= mm->brk) {   /* shrinking is always allowed */
		brkvma = find_vma_intersection(mm, newbrk, oldbrk);
		if (!brkvma || brkvma->vm_start >= oldbrk)
			return (long)origbrk;
		if (do_align_munmap(mm, newbrk, oldbrk, true))
			return (long)origbrk;
		mm->brk = brk;
		return (long)brk;
	}
	/* check_brk_limits: the range must be a valid fixed mapping. */
	if (IS_ERR_VALUE(get_unmapped_area(mm, NULL, oldbrk, newbrk - oldbrk, 0,
					   MAP_FIXED, 0)))
		return (long)origbrk;
	if (!mlock_future_ok(mm, mm->def_flags, newbrk - oldbrk))
		return (long)origbrk;
	next = find_vma(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > vm_start_gap(next))
		return (long)origbrk;
	brkvma = next ? next->prev : mm->vma_last;
	if (brkvma && brkvma->vm_end <= mm->start_brk)
		brkvma = NULL;  /* only a VMA reaching into the brk area grows */
	if (do_brk_flags(mm, brkvma, oldbrk, newbrk - oldbrk))
		return (long)origbrk;
	mm->brk = brk;
	if (mm->def_flags & VM_LOCKED)
		mm_populate(mm, oldbrk, newbrk - oldbrk);
	return (long)brk;
}
