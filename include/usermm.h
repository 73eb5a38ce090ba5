/*
 * usermm.h — the public API of libusermm.
 *
 * usermm models Linux's memory-mapping system (mmap and its family, VMAs,
 * /proc/PID/maps) with the live kernel's observable behaviour.  An embedder
 * (an emulator, a sandbox, a teaching tool) creates one engine, one process
 * per guest process, and forwards the guest's memory system calls here.
 *
 * Conventions
 *   - Every call takes the process first and then Linux's own arguments, as
 *     the raw register values a guest would pass (unsigned long), so any value
 *     a guest can produce can be forwarded unchanged.
 *   - Every call returns what the system call returns on success (an address,
 *     a count, 0) or a negative errno, exactly as the kernel's syscall entry
 *     returns it.  Nothing here touches the host's errno; the POSIX-style
 *     façade at the end of this header does that for callers who want it.
 *   - All changes to one address space go through one entry point inside the
 *     library (see src/engine.c), which is where locking, validation and
 *     change notification live.
 *
 * Handles are opaque.  Nothing in this header is thread-safe across calls on
 * the same process yet; distinct engines are independent.
 */
#ifndef USERMM_H
#define USERMM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct um_engine um_engine;
typedef struct um_proc um_proc;

#define UM_RLIM_INFINITY (~0UL)

/* Host-wide settings (the /proc/sys knobs).  Zero fields take the value of
 * the machine usermm runs on (or Linux's default when it cannot be read). */
struct um_engine_config {
	unsigned long max_map_count;  /* vm.max_map_count, default 65530 */
	unsigned long mmap_min_addr;  /* vm.mmap_min_addr, default 4096 */
	unsigned long lsm_mmap_min_addr; /* CONFIG_LSM_MMAP_MIN_ADDR; 0 = 65536 */
	int overcommit_memory;        /* vm.overcommit_memory: 0, 1 or 2; -1 = host */
	unsigned long stack_guard_gap;/* bytes; default 256 pages */
	unsigned long totalram_pages; /* for overcommit heuristics; 0 = host */
	int thp_enabled;              /* 1 = CONFIG_TRANSPARENT_HUGEPAGE (x86-64 default) */
	unsigned long mem_bytes;      /* physical memory (frame pool); 0 = 1 GiB.
	                               * Reserved, not touched, until used. */
	unsigned long page_size;      /* 0 or 4096; 16384 or 65536 (arm64's) */
};

/* Per-process credentials, limits and layout choices.  Fields left zero take
 * the values of the process running usermm (its rlimits and capabilities). */
struct um_proc_config {
	unsigned long rlimit_stack;   /* bytes, or UM_RLIM_INFINITY */
	unsigned long rlimit_as;
	unsigned long rlimit_data;
	unsigned long rlimit_memlock;
	int set_limits;               /* 1: the four limits above are used as given */
	/* Capabilities: 1 = yes, -1 = as the host, 0 = no when set_limits is 1
	 * and as the host otherwise (a zeroed config copies the host). */
	int cap_ipc_lock;
	int cap_sys_resource;
	int cap_sys_rawio;
	int legacy_layout;            /* 1: bottom-up allocation (vm.legacy_va_layout) */
	int randomize;                /* 1: ASLR on, driven by seed */
	uint64_t seed;
	int empty;                    /* 1: no default stack/vdso, for replaying a
	                                 * layout given with um_proc_add_vma */
};

/* ---- engine and processes ---------------------------------------------- */

/* cfg NULL = the host's settings.  Returns NULL with errno set: EINVAL for
 * a page size other than 4, 16 or 64 KiB, EBUSY when an engine of another
 * page size lives in this process (the page size is the process's),
 * ENOMEM. */
um_engine *um_engine_new(const struct um_engine_config *cfg);
/* The engine's page size in bytes. */
unsigned long um_page_size(const um_engine *e);
void um_engine_free(um_engine *e);

/* A new process as exec() leaves it: [stack], [vvar], [vdso], a break, fds
 * 0..2 open on the host's stdin/stdout/stderr.  Returns NULL on ENOMEM. */
um_proc *um_proc_new(um_engine *e, const struct um_proc_config *cfg);
void um_proc_free(um_proc *p);
int um_proc_pid(const um_proc *p);

/* Build a starting layout (for replay): one VMA per maps line.  perms is the
 * maps column ("r-xp"), name the path or [heap]/[stack]/[vdso]/[vvar]/...;
 * dev is makedev(major, minor).  Returns 0 or -errno. */
int um_proc_add_vma(um_proc *p, unsigned long start, unsigned long end,
		    const char *perms, unsigned long long offset,
		    unsigned long dev, unsigned long ino, const char *name);
/* Set the program break: start of the heap and current break. */
int um_proc_set_brk(um_proc *p, unsigned long start_brk, unsigned long brk);

/* ---- the system calls -------------------------------------------------- */

long um_mmap(um_proc *p, unsigned long addr, unsigned long len,
	     unsigned long prot, unsigned long flags, unsigned long fd,
	     unsigned long off);
long um_munmap(um_proc *p, unsigned long addr, unsigned long len);
long um_mprotect(um_proc *p, unsigned long addr, unsigned long len,
		 unsigned long prot);
long um_brk(um_proc *p, unsigned long brk);
long um_mremap(um_proc *p, unsigned long addr, unsigned long old_len,
	       unsigned long new_len, unsigned long flags,
	       unsigned long new_addr);
long um_madvise(um_proc *p, unsigned long addr, unsigned long len,
		unsigned long advice);
long um_mlock(um_proc *p, unsigned long addr, unsigned long len);
long um_mlock2(um_proc *p, unsigned long addr, unsigned long len,
	       unsigned long flags);
long um_munlock(um_proc *p, unsigned long addr, unsigned long len);
long um_mlockall(um_proc *p, unsigned long flags);
long um_munlockall(um_proc *p);
long um_msync(um_proc *p, unsigned long addr, unsigned long len,
	      unsigned long flags);
/* vec receives one byte per page.  Two stand-ins for a guest's bad pointer:
 * NULL is a user-space address that faults when written (-EFAULT after the
 * range checks), UM_VEC_NOT_USER one outside user space (-EFAULT first, as
 * access_ok fails). */
#define UM_VEC_NOT_USER ((unsigned char *)~0UL)
long um_mincore(um_proc *p, unsigned long addr, unsigned long len,
		unsigned char *vec);

/* File descriptors over real host files. */
long um_openat(um_proc *p, long dirfd, const char *path, unsigned long flags,
	       unsigned long mode);
long um_close(um_proc *p, unsigned long fd);
long um_dup(um_proc *p, unsigned long fd);
long um_ftruncate(um_proc *p, unsigned long fd, unsigned long length);
long um_read(um_proc *p, unsigned long fd, unsigned long buf, unsigned long count);
long um_write(um_proc *p, unsigned long fd, unsigned long buf, unsigned long count);
long um_pread64(um_proc *p, unsigned long fd, unsigned long buf,
		unsigned long count, unsigned long pos);
long um_pwrite64(um_proc *p, unsigned long fd, unsigned long buf,
		 unsigned long count, unsigned long pos);
long um_lseek(um_proc *p, unsigned long fd, unsigned long off, unsigned long whence);

/* Dispatch by x86-64 system-call number (for emulators forwarding guest
 * syscalls).  Path strings and mincore's vector are host pointers; the
 * buffers of read, write, pread64 and pwrite64 are addresses in the
 * process's memory, copied as the kernel's user copies would (faulting
 * pages in; EFAULT, or a short count when a page faults part-way).
 * Regular files are read and written through the engine's page cache, the
 * one mappings share.  Unknown numbers: -ENOSYS. */
long um_syscall(um_proc *p, long nr, const unsigned long args[6]);
/* The same, but the buffer of read/write/pread64/pwrite64 is a host
 * pointer: for a tool that holds the bytes itself (a trace's "string"). */
long um_syscall_hostbuf(um_proc *p, long nr, const unsigned long args[6]);

/* ---- memory and processes ----------------------------------------------- */

/* What a faulting access did: SIGSEGV with SEGV_MAPERR (nothing mapped) or
 * SEGV_ACCERR (rights), SIGBUS with BUS_ADRERR (a file page wholly past its
 * end), or SIGKILL when memory ran out (the OOM killer); addr is si_addr,
 * the first byte that faulted. */
struct um_fault {
	int signo;
	int code;
	unsigned long addr;
};

/* Store @len bytes at @addr as the process's CPU would, faulting pages in
 * (zero page, fresh frames, page cache, copy-on-write), in ascending
 * address order: 0, or -EFAULT (-ENOMEM for SIGKILL) with *fault filled,
 * the bytes before the faulting one already stored. */
long um_store(um_proc *p, unsigned long addr, const void *buf, size_t len,
	      struct um_fault *fault);
long um_load(um_proc *p, unsigned long addr, void *buf, size_t len,
	     struct um_fault *fault);

/* fork(): a child with a copy-on-write copy of the address space, the same
 * open files, no memory locks.  0 and *child, or -ENOMEM. */
long um_fork(um_proc *parent, um_proc **child);
/* exit(): um_proc_free tears the process down, writing shared file pages
 * back; um_engine_free writes back whatever is still cached. */

/* ---- views ------------------------------------------------------------- */

/* The /proc/PID views, byte for byte as Linux prints them.  Each returns
 * the length of the whole text (excluding the NUL) and writes what fits,
 * NUL-terminated, like snprintf: call with size 0 to learn the size.  The
 * _print variants write the whole text to a stream: 0, -ENOMEM or -EIO. */

/* /proc/PID/maps. */
size_t um_maps(um_proc *p, char *buf, size_t size);
int um_maps_print(um_proc *p, FILE *out);

/* /proc/PID/smaps: per VMA its maps line, then Size, KernelPageSize,
 * MMUPageSize, Rss, Pss, Pss_Dirty, Shared_Clean/Dirty, Private_Clean/
 * Dirty, Referenced, Anonymous, KSM, LazyFree, the huge-page lines, Swap,
 * SwapPss, Locked (kB), THPeligible and VmFlags; [vsyscall] last.  A page
 * mapped by two or more entries (any processes) is shared and its Pss
 * divided among them; the zero page is not counted; KSM, swap, LazyFree
 * and huge pages are not modelled (0). */
size_t um_smaps(um_proc *p, char *buf, size_t size);
int um_smaps_print(um_proc *p, FILE *out);
/* The smaps entry of the VMA holding @addr alone (empty when none does). */
size_t um_smaps_vma(um_proc *p, unsigned long addr, char *buf, size_t size);
/* /proc/PID/smaps_rollup: the sums over every VMA. */
size_t um_smaps_rollup(um_proc *p, char *buf, size_t size);

/* The memory lines of /proc/PID/status: VmPeak, VmSize, VmLck, VmPin,
 * VmHWM, VmRSS, RssAnon, RssFile, RssShmem, VmData, VmStk, VmExe, VmLib,
 * VmPTE, VmSwap, HugetlbPages.  There is no program image, so VmExe is 0
 * and VmLib holds all executable mappings. */
size_t um_status(um_proc *p, char *buf, size_t size);
int um_status_print(um_proc *p, FILE *out);

struct um_stats {
	unsigned long map_count;      /* VMAs in the address space */
	unsigned long total_vm;       /* pages */
	unsigned long locked_vm;
	unsigned long data_vm;
	unsigned long exec_vm;
	unsigned long stack_vm;
	unsigned long brk, start_brk, mmap_base;
	unsigned long vma_bytes;      /* bytes of memory per VMA (struct size) */
	unsigned long engine_vmas;    /* VMAs alive in the whole engine (leak checks) */
	unsigned long vma_pool_bytes; /* memory the engine's VMA allocator holds */
	/* memory, in pages: this process's resident pages by kind (VmRSS =
	 * the sum), and engine-wide frames, page-cache pages, page tables */
	unsigned long rss_anon, rss_file, rss_shmem;
	unsigned long page_tables;    /* this process's table pages */
	unsigned long page_struct_bytes; /* metadata per frame (struct page) */
	unsigned long frames_used, cached_pages, engine_page_tables;
	/* engine-wide events: faults by kind, copy-on-write, file I/O */
	unsigned long faults_zero, faults_anon, faults_file_read,
		      faults_shared_write, faults_cow, faults_reuse,
		      faults_shared_wp, pages_read, pages_written;
};
void um_proc_stats(um_proc *p, struct um_stats *st);

/* Check every invariant of the address space; 0 or -EUCLEAN with a message
 * on stderr.  Test builds run it after every call. */
int um_validate(um_proc *p);

/* ---- the POSIX-style façade -------------------------------------------- */
/* These set errno and return -1 (MAP_FAILED for mmap) like libc does. */
void *um_posix_mmap(um_proc *p, void *addr, size_t len, int prot, int flags,
		    int fd, long off);
int um_posix_munmap(um_proc *p, void *addr, size_t len);
int um_posix_mprotect(um_proc *p, void *addr, size_t len, int prot);

#ifdef __cplusplus
}
#endif
#endif /* USERMM_H */
