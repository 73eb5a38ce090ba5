/*
 * mm_types.h — the structures of an address space: VMAs, anon_vmas, open
 * files, struct mm and the engine-wide settings.  Flag values are Linux's, so
 * that smaps' VmFlags and the merge rules (which compare whole flag words)
 * behave identically.
 */
#ifndef USERMM_MM_TYPES_H
#define USERMM_MM_TYPES_H

#include <stdbool.h>
#include <stdint.h>
#include <errno.h>
#include "rbtree.h"

/* ---- pages --------------------------------------------------------------- */
/* The page size: 4 KiB, or 16 or 64 KiB (arm64's other sizes) when the
 * engine was made so.  Everything follows it: alignment, lengths, mincore's
 * vector, faults, the page-table geometry (pgtable.c), the PMD size and
 * the top of user space.  Like um_stack_guard_gap it is the process's, set
 * by um_engine_new, which refuses a second size while an engine of another
 * lives (engine.c). */
extern unsigned int um_page_shift;
#define PAGE_SHIFT ((unsigned long)um_page_shift)
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define offset_in_page(x) ((unsigned long)(x) & ~PAGE_MASK)
/* A PMD entry maps a page of page-table entries' worth: 2 MiB, 32 MiB, 512 MiB. */
#define PMD_SIZE (PAGE_SIZE * (PAGE_SIZE / 8))

/* x86-64 with 4-level page tables: 47-bit user space, minus the top page. */
#define TASK_SIZE_MAX ((1UL << 47) - PAGE_SIZE)
#define DEFAULT_MAP_WINDOW TASK_SIZE_MAX

/* ---- vm_flags (include/linux/mm.h) --------------------------------------- */
#define VM_NONE         0x00000000UL
#define VM_READ         0x00000001UL
#define VM_WRITE        0x00000002UL
#define VM_EXEC         0x00000004UL
#define VM_SHARED       0x00000008UL
#define VM_MAYREAD      0x00000010UL
#define VM_MAYWRITE     0x00000020UL
#define VM_MAYEXEC      0x00000040UL
#define VM_MAYSHARE     0x00000080UL
#define VM_GROWSDOWN    0x00000100UL
#define VM_UFFD_MISSING 0x00000200UL
#define VM_PFNMAP       0x00000400UL
#define VM_MAYBE_GUARD  0x00000800UL  /* MADV_GUARD_INSTALL ran here: "gu" */
#define VM_UFFD_WP      0x00001000UL
#define VM_LOCKED       0x00002000UL
#define VM_IO           0x00004000UL
#define VM_SEQ_READ     0x00008000UL
#define VM_RAND_READ    0x00010000UL
#define VM_DONTCOPY     0x00020000UL
#define VM_DONTEXPAND   0x00040000UL
#define VM_LOCKONFAULT  0x00080000UL
#define VM_ACCOUNT      0x00100000UL
#define VM_NORESERVE    0x00200000UL
#define VM_HUGETLB      0x00400000UL
#define VM_SYNC         0x00800000UL
#define VM_ARCH_1       0x01000000UL
#define VM_WIPEONFORK   0x02000000UL
#define VM_DONTDUMP     0x04000000UL
#define VM_SOFTDIRTY    0x08000000UL
#define VM_MIXEDMAP     0x10000000UL
#define VM_HUGEPAGE     0x20000000UL
#define VM_NOHUGEPAGE   0x40000000UL
#define VM_MERGEABLE    0x80000000UL
#define VM_DROPPABLE    (1UL << 40)  /* 64-bit only; not shown in maps */

#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)
/* Sticky flags (Linux 6.18's VM_STICKY): they never keep two VMAs from
 * merging, and a merged VMA has each one that any of its parts had. */
#define VM_STICKY       (VM_SOFTDIRTY | VM_MAYBE_GUARD)
#define VM_IGNORE_MERGE VM_STICKY
#define VM_LOCKED_MASK  (VM_LOCKED | VM_LOCKONFAULT)
#define VM_SPECIAL      (VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
#define VM_STACK        VM_GROWSDOWN
#define VM_STARTGAP_FLAGS VM_GROWSDOWN
#define VM_DATA_DEFAULT_FLAGS (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define VM_STACK_FLAGS  (VM_GROWSDOWN | VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT)

/* ---- files ---------------------------------------------------------------- */
enum file_kind {
	FILE_REGULAR,
	FILE_DIRECTORY,
	FILE_DEV_ZERO,    /* /dev/zero: private maps are anonymous, shared are shmem */
	FILE_DEV_OTHER,   /* a device without mmap: ENODEV */
	FILE_PIPE,
	FILE_SOCKET,
	FILE_SHMEM,       /* shared anonymous memory, printed "/dev/zero (deleted)" */
	FILE_PATH_ONLY,   /* O_PATH descriptor: EBADF for mmap */
	FILE_IMAGE,       /* named in an initial maps line; no host file behind it */
};

#define FMODE_READ  1u
#define FMODE_WRITE 2u

/* An open file description (Linux's struct file): fds and VMAs refer to it.
 * Two opens of one inode are two files, so their mappings never merge. */
struct um_file {
	int refs;
	int host_fd;              /* -1 when there is no host descriptor */
	enum file_kind kind;
	unsigned fmode;           /* FMODE_READ | FMODE_WRITE */
	unsigned long f_flags;    /* open flags as given */
	unsigned long dev;        /* st_dev of the inode, as maps prints it */
	unsigned long ino;
	bool noexec;              /* on a noexec mount */
	bool append_only;         /* inode is append-only (chattr +a) */
	bool thp_aligned_fs;      /* fs places mappings with thp_get_unmapped_area */
	unsigned long size;       /* FILE_SHMEM: bytes, fixed when created */
	unsigned long pos;        /* file position (read, write, lseek) */
	unsigned long max_bytes;  /* the filesystem's largest file (s_maxbytes) */
	char *path;               /* the maps name; "" for none */
	struct address_space *mapping;  /* its page cache, once needed */
	struct phys *phys;        /* the engine that cache belongs to */
};

/* ---- anon_vma ----------------------------------------------------------- */
/* Identity of anonymous memory: VMAs with different anon_vmas never merge.
 * A VMA gets one when it is first populated for writing (anon_vma_prepare). */
struct anon_vma {
	int refs;          /* VMAs pointing here */
	bool forked;       /* made by fork for a child's VMA: its chain also
	                    * holds the parent's (see anon_vmas_compatible) */
	unsigned long id;  /* for debugging and pictures */
};

/* ---- special mappings ---------------------------------------------------- */
struct vm_special {
	const char *name;  /* "[vdso]", "[vvar]", ... */
};

/* ---- the VMA -------------------------------------------------------------- */
struct vma {
	/* what tree walks read, in the first cache line */
	struct rb_node rb;            /* in mm->vma_tree, ordered by address */
	unsigned long vm_start;       /* first byte */
	unsigned long vm_end;         /* first byte after */
	unsigned long subtree_gap;    /* largest gap below a VMA of this subtree */
	unsigned long gap;            /* free bytes just below: vm_start - prev's end */
	struct vma *prev, *next;      /* the address-ordered list */
	unsigned long vm_pgoff;       /* file offset (or vm_start) in pages */
	unsigned long vm_flags;
	struct um_file *vm_file;      /* NULL for anonymous memory */
	struct anon_vma *anon_vma;
	const struct vm_special *special;
};

static inline unsigned long vma_pages(const struct vma *v)
{
	return (v->vm_end - v->vm_start) >> PAGE_SHIFT;
}

/* Anonymous memory, as Linux's vma_is_anonymous (no vm_ops): no file, or
 * /dev/zero mapped without VM_SHARED (private, or shared from a read-only
 * fd), which keeps the file for maps and merging.  A writable shared
 * /dev/zero mapping became shmem when it was made. */
static inline bool vma_is_anonymous(const struct vma *v)
{
	return !v->vm_file || v->vm_file->kind == FILE_DEV_ZERO;
}

/* Where a VMA's reach starts, counting the stack guard gap below it. */
unsigned long vm_start_gap(const struct vma *v);
extern unsigned long um_stack_guard_gap;  /* set from the engine config */

/* ---- engine-wide settings (the /proc/sys knobs) ------------------------- */
struct um_sysctl {
	unsigned long max_map_count;
	unsigned long mmap_min_addr;     /* vm.mmap_min_addr: below needs CAP_SYS_RAWIO */
	unsigned long hint_min_addr;     /* hints are raised to max(that, LSM minimum) */
	int overcommit_memory;
	unsigned long stack_guard_gap;
	unsigned long totalram_pages;
	bool thp;
};

/* ---- the page table (pgtable.c) ------------------------------------------- */
struct pgtable {
	void *root;                   /* 512 entries; NULL until the first fault */
	unsigned long nr_tables;      /* table pages, the root included */
	void *leaf;                   /* the last leaf table walked to, or NULL */
	unsigned long leaf_key;       /* the 2 MiB it maps: address >> 21 */
};

/* ---- the address space ---------------------------------------------------- */
struct mm {
	/* the VMAs */
	struct rb_root vma_tree;
	struct vma *vma_first, *vma_last;
	struct vma *vma_cache;        /* last find_vma hit */
	/* find_vma's answer for the address the last free-area search chose:
	 * the VMA above its gap (valid until the tree changes). */
	unsigned long gap_hint_addr;
	struct vma *gap_hint_above;
	bool gap_hint_valid;
	/* where top-down searches below anchor_high start (see vma.c) */
	struct vma *anchor;
	unsigned long anchor_high;
	bool anchor_valid;
	/* free-area cache (see vma.c): below free_area_high, no VMA above
	 * free_area_vma has a gap longer than free_area_hole bytes */
	struct vma *free_area_vma;
	unsigned long free_area_high, free_area_hole;
	bool free_area_valid;
	unsigned long map_count;
	bool allow_unmerged;          /* a failed call left splits, as Linux does */

	/* layout (arch_pick_mmap_layout) */
	unsigned long task_size;
	unsigned long mmap_base;
	unsigned long mmap_legacy_base;
	bool topdown;
	bool randomize;
	uint64_t rnd_state;
	unsigned long start_brk, brk;
	unsigned long start_stack;
	bool has_vsyscall;

	/* accounting, in pages */
	unsigned long total_vm, locked_vm, data_vm, exec_vm, stack_vm;
	/* high-water marks for /proc/PID/status (VmPeak, VmHWM): as in Linux,
	 * raised just before total_vm or the rss goes down, so the peak is
	 * max(hiwater, current) (mm_update_hiwater_*) */
	unsigned long hiwater_vm, hiwater_rss;
	unsigned long def_flags;      /* VM_LOCKED... from mlockall(MCL_FUTURE) */

	/* credentials and limits (bytes; ~0UL = unlimited) */
	unsigned long rlim_as, rlim_data, rlim_memlock, rlim_stack;
	bool cap_ipc_lock, cap_sys_resource, cap_sys_rawio;

	const struct um_sysctl *sysctl;
	struct slab *vma_slab;          /* the engine's VMA allocator */
	struct phys *phys;              /* the engine's frames and page caches */
	struct mm *mm_next;             /* in phys->mms: every live address space */
	struct pgtable pgt;             /* the page table (pgtable.c) */
	unsigned long rss_anon, rss_file, rss_shmem;  /* mapped pages, by kind */
	unsigned long next_anon_vma_id;
	unsigned long *next_shmem_ino;  /* engine-wide inode counter */
};

#define RLIM_INF (~0UL)

static inline unsigned long mm_rss(const struct mm *mm)
{
	return mm->rss_anon + mm->rss_file + mm->rss_shmem;
}

/* Call before lowering total_vm / the rss (Linux's update_hiwater_*). */
static inline void mm_update_hiwater_vm(struct mm *mm)
{
	if (mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
}

static inline void mm_update_hiwater_rss(struct mm *mm)
{
	if (mm->hiwater_rss < mm_rss(mm))
		mm->hiwater_rss = mm_rss(mm);
}

#endif
