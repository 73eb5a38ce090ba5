/*
 * internal.h — what the system-call files share: the per-call entry points
 * (each returns a result or -errno; engine.c calls them with the address
 * space held) and helpers used across files.
 */
#ifndef USERMM_INTERNAL_H
#define USERMM_INTERNAL_H

#include "mm_types.h"
#include "vma.h"

struct fd_table;

/* mmap.c */
long do_mmap_pgoff(struct mm *mm, struct fd_table *fdt, unsigned long addr,
		   unsigned long len, unsigned long prot, unsigned long flags,
		   unsigned long fd, unsigned long pgoff);
long sys_mmap(struct mm *mm, struct fd_table *fdt, unsigned long addr,
	      unsigned long len, unsigned long prot, unsigned long flags,
	      unsigned long fd, unsigned long off);
long sys_munmap(struct mm *mm, unsigned long addr, unsigned long len);
long sys_brk(struct mm *mm, unsigned long brk);
int do_munmap(struct mm *mm, unsigned long start, unsigned long len);
/* Unmap [start, end) (page-aligned, non-empty). */
int do_align_munmap(struct mm *mm, unsigned long start, unsigned long end,
		    bool is_brk);
unsigned long get_unmapped_area(struct mm *mm, struct um_file *file,
				unsigned long addr, unsigned long len,
				unsigned long pgoff, unsigned long flags,
				unsigned long vm_flags);
bool may_expand_vm(struct mm *mm, unsigned long flags, unsigned long npages);
bool mlock_future_ok(struct mm *mm, unsigned long flags, unsigned long bytes);
bool can_do_mlock(struct mm *mm);
/* Overcommit (vm.overcommit_memory 0 or 1): may @pages more be charged? */
bool vm_enough_memory(struct mm *mm, unsigned long pages);
/* Create the VMA for [addr, addr+len) (replacing what is there). */
long mmap_region(struct mm *mm, struct um_file *file, unsigned long addr,
		 unsigned long len, unsigned long vm_flags, unsigned long pgoff);
/* Prefault [start, start+len) as MAP_POPULATE / mlock do, ignoring errors. */
void mm_populate(struct mm *mm, unsigned long start, unsigned long len);

/* mprotect.c */
long sys_mprotect(struct mm *mm, unsigned long start, unsigned long len,
		  unsigned long prot);
/* mremap.c */
long sys_mremap(struct mm *mm, unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned long flags, unsigned long new_addr);
/* madvise.c */
long sys_madvise(struct mm *mm, unsigned long start, unsigned long len,
		 unsigned long advice);
/* mlock.c */
long sys_mlock2(struct mm *mm, unsigned long start, unsigned long len,
		unsigned long flags);
long sys_munlock(struct mm *mm, unsigned long start, unsigned long len);
long sys_mlockall(struct mm *mm, unsigned long flags);
long sys_munlockall(struct mm *mm);
/* Linux's __mm_populate: fault [start, start+len) in as mlock does (VMA-level
 * effects only until page tables exist); 0 or the first VMA's -errno
 * (-EFAULT: PROT_NONE or past EOF) unless errors are ignored. */
int __mm_populate(struct mm *mm, unsigned long start, unsigned long len,
		  bool ignore_errors);
/* Fault [start, end) of @v in, for reading or writing, with no permission
 * check (memory.c): -EFAULT when a page lies wholly past the end of the
 * file (SIGBUS), -ENOMEM when a frame or table cannot be had. */
int fault_in_vma_range(struct mm *mm, struct vma *v, unsigned long start,
		       unsigned long end, bool write);
/* msync.c and mincore.c */
long sys_msync(struct mm *mm, unsigned long start, unsigned long len,
	       unsigned long flags);
long sys_mincore(struct mm *mm, unsigned long start, unsigned long len,
		 unsigned char *vec);

/* memory.c: the fault handler and page-table work */
/* FAULT_GPF: a non-canonical address, which x86 refuses with a general
 * protection fault before any page fault (SIGSEGV, SI_KERNEL, si_addr 0). */
enum fault_result { FAULT_OK, FAULT_MAPERR, FAULT_ACCERR, FAULT_SIGBUS, FAULT_OOM, FAULT_GPF };
int handle_mm_fault(struct mm *mm, unsigned long addr, bool write);
/* One page of @v, with no rights check (populate, and after the check). */
int fault_page(struct mm *mm, struct vma *v, unsigned long addr, bool write);
/* Copy to/from the process's memory as CPU stores/loads would: 0, or a
 * fault_result with the first faulting address in *fault_addr. */
int access_vm(struct mm *mm, unsigned long addr, void *buf, size_t len,
	      bool write, unsigned long *fault_addr);
void zap_page_range(struct mm *mm, unsigned long start, unsigned long end);
/* MADV_FREE, MADV_COLD, MADV_PAGEOUT on the pages mapped in [start, end)
 * (memory.c): clean (FREE), age (all three), reclaim what can go without
 * swap (PAGEOUT). */
void madvise_pages_lru(struct mm *mm, unsigned long start, unsigned long end, int advice);
/* Guard pages (MADV_GUARD_INSTALL/REMOVE): markers that fault as unmapped. */
int install_guard_markers(struct mm *mm, unsigned long start, unsigned long end);
void clear_guard_markers(struct mm *mm, unsigned long start, unsigned long end);
void change_protection(struct mm *mm, struct vma *v, unsigned long start,
		       unsigned long end, unsigned long newflags);
int move_page_tables(struct mm *mm, unsigned long old, unsigned long new,
		     unsigned long len);
int copy_page_range(struct mm *dst, struct mm *src, struct vma *v);
struct phys;
struct address_space;
void unmap_mapping_range(struct phys *ph, struct address_space *as,
			 unsigned long first, unsigned long last, bool even_cows);
int mm_validate_pages(struct mm *mm);
/* Every frame and cache of the engine, across its processes. */
int phys_validate(struct phys *ph);
/* fork.c: fill @child (fresh, empty) as fork copies @parent */
int dup_mm(struct mm *child, struct mm *parent);
/* mmap.c */
void unmap_vma_pages(struct mm *mm, struct vma *v);
int expand_stack(struct mm *mm, struct vma *v, unsigned long addr);

/* layout.c */
void arch_pick_mmap_layout(struct mm *mm);
unsigned long arch_get_unmapped_area(struct mm *mm, unsigned long addr,
				     unsigned long len, unsigned long pgoff,
				     unsigned long flags, unsigned long vm_flags,
				     bool topdown);
unsigned long mm_rnd_bits(struct mm *mm, unsigned bits);

/* read_write.c: the buffer of a read or write (Linux's iov_iter): the
 * process's memory at addr (mm set), or a buffer of the caller's (mm NULL). */
struct io_buf {
	struct mm *mm;
	unsigned long addr;
	unsigned char *host;
	int err;             /* why the last copy stopped short */
};
/* Copy to / from the buffer; the bytes copied (fewer when a page faults). */
size_t io_copy_to(struct io_buf *b, const void *data, size_t n);
size_t io_copy_from(struct io_buf *b, void *data, size_t n);
struct fd_table;
/* @host: buf is a host pointer (um_syscall_hostbuf), not the process's. */
long sys_read(struct fd_table *t, struct mm *mm, unsigned long fd,
	      unsigned long buf, unsigned long count, bool host);
long sys_write(struct fd_table *t, struct mm *mm, unsigned long fd,
	       unsigned long buf, unsigned long count, bool host);
long sys_pread64(struct fd_table *t, struct mm *mm, unsigned long fd,
		 unsigned long buf, unsigned long count, unsigned long pos, bool host);
long sys_pwrite64(struct fd_table *t, struct mm *mm, unsigned long fd,
		  unsigned long buf, unsigned long count, unsigned long pos, bool host);
long sys_lseek(struct fd_table *t, unsigned long fd, unsigned long off,
	       unsigned long whence);

/* task_mmu.c */
size_t show_maps(struct mm *mm, char *buf, size_t size);
/* smaps (every VMA and the gate area), one VMA's entry (the one holding
 * @addr; nothing when none does), smaps_rollup, and the memory lines of
 * status: all snprintf-like (the full length, the text cut to fit). */
size_t show_smaps(struct mm *mm, char *buf, size_t size);
size_t show_smaps_vma(struct mm *mm, unsigned long addr, char *buf, size_t size);
size_t show_smaps_rollup(struct mm *mm, char *buf, size_t size);
size_t show_status_mem(struct mm *mm, char *buf, size_t size);
const char *vma_name(const struct mm *mm, const struct vma *v);

/* Helpers */
static inline unsigned long um_min(unsigned long a, unsigned long b)
{
	return a < b ? a : b;
}
static inline unsigned long um_max(unsigned long a, unsigned long b)
{
	return a > b ? a : b;
}
#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-4095)

#endif
