/*
 * engine.c — engines, processes, and the one door into an address space.
 *
 * Every system call on a process enters through um_syscall(), which is the
 * single place that (later) takes the address-space lock, runs the call,
 * checks every invariant in test builds (UM_DEBUG: mm_validate after each
 * call, abort on a broken invariant) and will send change notifications.
 * The per-call functions of the public API are thin wrappers around it.
 *
 * An engine holds what Linux keeps machine-wide (the vm sysctls, the shmem
 * inode counter); a process holds an mm and a file-descriptor table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <signal.h>
#include "usermm.h"
#include "internal.h"
#include "file.h"
#include "alloc.h"
#include "slab.h"
#include "page.h"

struct um_engine {
	struct um_sysctl sysctl;
	struct slab vma_slab;
	struct phys phys;             /* frames, page caches, live address spaces */
	unsigned long next_shmem_ino;
	int next_pid;
};

struct special_name {
	struct special_name *next;
	struct vm_special special;
};

struct um_proc {
	struct um_engine *engine;
	int pid;
	struct mm mm;
	struct fd_table fdt;
	struct special_name *names;   /* specials named by um_proc_add_vma */
};

static const struct vm_special special_vdso = { "[vdso]" };
static const struct vm_special special_vvar = { "[vvar]" };
static const struct vm_special special_vvar_vclock = { "[vvar_vclock]" };

/* ---- host defaults ---------------------------------------------------------- */

static unsigned long read_ulong_file(const char *path, unsigned long dflt)
{
	FILE *f = fopen(path, "r");
	unsigned long v;

	if (!f)
		return dflt;
	if (fscanf(f, "%lu", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

/* totalram + swap pages, from /proc/meminfo (kB). */
static unsigned long host_memory_pages(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	unsigned long kb, total = 0;

	if (!f)
		return 1UL << 24;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemTotal: %lu kB", &kb) == 1 ||
		    sscanf(line, "SwapTotal: %lu kB", &kb) == 1)
			total += kb / 4;
	}
	fclose(f);
	return total ? total : 1UL << 24;
}

/* One bit of the host's effective capability set. */
static bool host_has_cap(int cap)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long eff = 0;

	if (!f)
		return geteuid() == 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff >> cap) & 1;
}

static unsigned long host_rlimit(int res)
{
	struct rlimit r;

	if (getrlimit(res, &r) < 0 || r.rlim_cur == RLIM_INFINITY)
		return RLIM_INF;
	return (unsigned long)r.rlim_cur;
}

/* ---- engines -------------------------------------------------------------------- */

unsigned int um_page_shift = 12;
static unsigned long live_engines;   /* all of the page size above */

/* 0 for the default 4 KiB, else 4096, 16384 or 65536: the shift, or 0. */
static unsigned int page_shift_of(unsigned long page_size)
{
	switch (page_size) {
	case 0:
	case 4096:
		return 12;
	case 16384:
		return 14;
	case 65536:
		return 16;
	default:
		return 0;
	}
}

/* The page size is the process's (mm_types.h): a second one cannot be had
 * while an engine of the first lives. */
static int take_page_size(unsigned long page_size)
{
	unsigned int shift = page_shift_of(page_size);

	if (!shift)
		return -EINVAL;
	if (live_engines && shift != um_page_shift)
		return -EBUSY;
	um_page_shift = shift;
	live_engines++;
	return 0;
}

unsigned long um_page_size(const um_engine *e)
{
	(void)e;
	return PAGE_SIZE;
}

um_engine *um_engine_new(const struct um_engine_config *cfg)
{
	struct um_engine_config dflt = { .overcommit_memory = -1, .thp_enabled = 1 };
	struct um_engine *e;
	struct um_sysctl *s;
	int err;

	if (!cfg)
		cfg = &dflt;
	if ((err = take_page_size(cfg->page_size))) {
		errno = -err;
		return NULL;
	}
	if (!(e = um_alloc(sizeof(*e)))) {
		live_engines--;
		errno = ENOMEM;
		return NULL;
	}
	s = &e->sysctl;
	s->max_map_count = cfg->max_map_count ? cfg->max_map_count :
			   read_ulong_file("/proc/sys/vm/max_map_count", 65530);
	s->mmap_min_addr = cfg->mmap_min_addr ? cfg->mmap_min_addr :
			   read_ulong_file("/proc/sys/vm/mmap_min_addr", 4096);
	/* Kernels built with CONFIG_SECURITY raise hints to at least
	 * CONFIG_LSM_MMAP_MIN_ADDR (65536 on distribution kernels). */
	s->hint_min_addr = s->mmap_min_addr > (cfg->lsm_mmap_min_addr ?
		cfg->lsm_mmap_min_addr : 65536) ? s->mmap_min_addr :
		(cfg->lsm_mmap_min_addr ? cfg->lsm_mmap_min_addr : 65536);
	s->overcommit_memory = cfg->overcommit_memory >= 0 ? cfg->overcommit_memory :
			       (int)read_ulong_file("/proc/sys/vm/overcommit_memory", 0);
	s->stack_guard_gap = cfg->stack_guard_gap ? cfg->stack_guard_gap :
			     256UL << PAGE_SHIFT;
	s->totalram_pages = cfg->totalram_pages ? cfg->totalram_pages :
			    host_memory_pages();
	s->thp = cfg->thp_enabled != 0;
	um_stack_guard_gap = s->stack_guard_gap;
	if ((err = phys_init(&e->phys, cfg->mem_bytes ? cfg->mem_bytes : UM_DEFAULT_MEM))) {
		um_free(e);
		live_engines--;
		errno = -err;
		return NULL;
	}
	slab_init(&e->vma_slab, sizeof(struct vma));
	e->next_pid = 1000;
	e->next_shmem_ino = 1000;
	return e;
}

void um_engine_free(um_engine *e)
{
	if (!e)
		return;
#ifdef UM_DEBUG
	/* VMAs live in the slab, where LeakSanitizer cannot see them: every
	 * process must have been freed, and every VMA with it. */
	if (e->vma_slab.live) {
		fprintf(stderr, "usermm: %lu VMAs leaked at um_engine_free\n",
			e->vma_slab.live);
		abort();
	}
	if (e->phys.used || e->phys.cached_pages || e->phys.caches) {
		fprintf(stderr, "usermm: %lu frames, %lu cached pages leaked at "
			"um_engine_free\n", e->phys.used, e->phys.cached_pages);
		abort();
	}
#endif
	slab_destroy(&e->vma_slab);
	phys_destroy(&e->phys);
	um_free(e);
	live_engines--;
}

/* ---- processes ------------------------------------------------------------------- */

/* A capability from the config: 1 yes; -1 the host's; 0 no when the config
 * sets limits, else the host's (so a zeroed config means "as the host"). */
static bool capability(int want, bool given, int cap)
{
	if (want == 1)
		return true;
	if (want == 0 && given)
		return false;
	return host_has_cap(cap);
}

static void mm_init_limits(struct mm *mm, const struct um_proc_config *c)
{
	bool given = c && c->set_limits;

	mm->rlim_stack = given ? c->rlimit_stack : host_rlimit(RLIMIT_STACK);
	mm->rlim_as = given ? c->rlimit_as : host_rlimit(RLIMIT_AS);
	mm->rlim_data = given ? c->rlimit_data : host_rlimit(RLIMIT_DATA);
	mm->rlim_memlock = given ? c->rlimit_memlock : host_rlimit(RLIMIT_MEMLOCK);
	mm->cap_ipc_lock = capability(c ? c->cap_ipc_lock : -1, given, 14);
	mm->cap_sys_rawio = capability(c ? c->cap_sys_rawio : -1, given, 17);
	mm->cap_sys_resource = capability(c ? c->cap_sys_resource : -1, given, 24);
}

/* Link a VMA built by hand (initial layout); no merging, as exec makes them. */
static int add_initial_vma(struct um_proc *p, unsigned long start, unsigned long end,
			   unsigned long flags, unsigned long pgoff,
			   struct um_file *file, const struct vm_special *special)
{
	struct mm *mm = &p->mm;
	struct vma *v;

	if (start >= end || offset_in_page(start | end))
		return -EINVAL;
	if (find_vma_intersection(mm, start, end))
		return -EEXIST;
	v = vma_alloc(mm);
	if (!v)
		return -ENOMEM;
	v->vm_start = start;
	v->vm_end = end;
	v->vm_flags = flags | VM_SOFTDIRTY;
	v->vm_pgoff = pgoff;
	v->vm_file = file;
	v->special = special;
	vma_link(mm, v);
	vm_stat_account(mm, flags, (long)vma_pages(v));
	if (flags & VM_LOCKED)
		mm->locked_vm += vma_pages(v);
	/* Identical neighbours from an initial layout are as Linux had them. */
	mm->allow_unmerged = true;
	return 0;
}

/* What exec leaves in a fresh process (a static binary under setarch -R,
 * minus the binary): the stack, vvar and vdso, and the vsyscall page. */
static int build_default_image(struct um_proc *p)
{
	struct mm *mm = &p->mm;
	unsigned long vvar = VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP |
			     VM_PFNMAP | VM_DONTEXPAND;
	unsigned long vdso = VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE |
			     VM_MAYEXEC | VM_DONTEXPAND;
	/* exec maps vvar and vdso like any mapping: just below mmap_base, or
	 * at the bottom of the legacy area in the bottom-up layout. */
	/* The sizes x86-64 gives them (4, 2 and 2 pages of 4 KiB), each at
	 * least a page when pages are larger; the stack is 33 pages of 4 KiB
	 * below the top of user space. */
	unsigned long vvar_len = PAGE_ALIGN(0x4000), vclock_len = PAGE_ALIGN(0x2000);
	unsigned long vdso_len = PAGE_ALIGN(0x2000);
	unsigned long images = vvar_len + vclock_len + vdso_len;
	unsigned long top = mm->topdown ? mm->mmap_base : mm->mmap_legacy_base + images;
	unsigned long stack_end = TASK_SIZE_MAX;
	unsigned long stack_start = (stack_end - 0x21000) & PAGE_MASK;
	int err;

	err = add_initial_vma(p, stack_start, stack_end, VM_STACK_FLAGS,
			      stack_start >> PAGE_SHIFT, NULL, NULL);
	err = err ? err : add_initial_vma(p, top - images, top - images + vvar_len,
					  vvar, 0, NULL, &special_vvar);
	err = err ? err : add_initial_vma(p, top - vclock_len - vdso_len,
					  top - vdso_len, vvar, 0, NULL,
					  &special_vvar_vclock);
	err = err ? err : add_initial_vma(p, top - vdso_len, top, vdso, 0,
					  NULL, &special_vdso);
	mm->start_stack = stack_end - PAGE_SIZE;
	mm->start_brk = mm->brk = PAGE_ALIGN(0x555555559000UL);
	mm->has_vsyscall = PAGE_SIZE == 4096;   /* x86's; no other page size has it */
	mm->allow_unmerged = false;
	return err;
}

/* fds 0, 1 and 2 on copies of the host's own. */
static void open_std_fds(struct um_proc *p)
{
	for (int fd = 0; fd < 3; fd++) {
		int flags = fcntl(fd, F_GETFL), hfd;
		struct um_file *f;

		if (flags < 0 || (hfd = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0)
			continue;
		if (file_from_host_fd(hfd, (unsigned long)flags, "", &f)) {
			close(hfd);
			continue;
		}
		if (fdt_install_at(&p->fdt, (unsigned long)fd, f))
			file_put(f);
	}
}

static void proc_link(struct um_proc *p);

um_proc *um_proc_new(um_engine *e, const struct um_proc_config *cfg)
{
	struct um_proc *p = um_alloc(sizeof(*p));
	struct mm *mm;

	if (!p)
		return NULL;
	p->engine = e;
	p->pid = e->next_pid++;
	mm = &p->mm;
	mm->sysctl = &e->sysctl;
	mm->vma_slab = &e->vma_slab;
	mm->phys = &e->phys;
	mm->next_shmem_ino = &e->next_shmem_ino;
	mm->task_size = TASK_SIZE_MAX;
	mm->topdown = !(cfg && cfg->legacy_layout);
	mm->randomize = cfg && cfg->randomize;
	mm->rnd_state = cfg ? cfg->seed : 0;
	mm_init_limits(mm, cfg);
	arch_pick_mmap_layout(mm);
	if (fdt_init(&p->fdt, host_rlimit(RLIMIT_NOFILE))) {
		um_free(p);
		return NULL;
	}
	p->fdt.phys = &e->phys;
	if (!(cfg && cfg->empty) && build_default_image(p)) {
		um_proc_free(p);
		return NULL;
	}
	open_std_fds(p);
	proc_link(p);
	return p;
}

static void proc_link(struct um_proc *p)
{
	p->mm.mm_next = p->engine->phys.mms;
	p->engine->phys.mms = &p->mm;
}

static void proc_unlink(struct um_proc *p)
{
	struct mm **pp = &p->engine->phys.mms;

	while (*pp && *pp != &p->mm)
		pp = &(*pp)->mm_next;
	if (*pp)
		*pp = p->mm.mm_next;
}

/* exit: every mapping goes (shared file pages are written back as their
 * VMAs go), then the page table and the descriptors. */
void um_proc_free(um_proc *p)
{
	struct vma *v, *next;

	if (!p)
		return;
	proc_unlink(p);
	for (v = p->mm.vma_first; v; v = next) {
		next = v->next;
		unmap_vma_pages(&p->mm, v);
		vma_unlink(&p->mm, v);
		vma_free(&p->mm, v);
	}
	pgtable_free(p->mm.phys, &p->mm.pgt);
	fdt_destroy(&p->fdt);
	while (p->names) {
		struct special_name *n = p->names;

		p->names = n->next;
		um_free((char *)n->special.name);
		um_free(n);
	}
	um_free(p);
}

int um_proc_pid(const um_proc *p)
{
	return p->pid;
}

/* ---- building a layout from maps lines --------------------------------------- */

static const struct vm_special *special_named(struct um_proc *p, const char *name)
{
	struct special_name *n;

	if (!strcmp(name, "[vdso]"))
		return &special_vdso;
	if (!strcmp(name, "[vvar]"))
		return &special_vvar;
	if (!strcmp(name, "[vvar_vclock]"))
		return &special_vvar_vclock;
	for (n = p->names; n; n = n->next)
		if (!strcmp(n->special.name, name))
			return &n->special;
	n = um_alloc(sizeof(*n));
	if (!n)
		return NULL;
	n->special.name = um_strdup(name);
	if (!n->special.name) {
		um_free(n);
		return NULL;
	}
	n->next = p->names;
	p->names = n;
	return &n->special;
}

static unsigned long flags_from_perms(const char *perms)
{
	unsigned long f = VM_MAYREAD | VM_MAYEXEC;

	if (perms[0] == 'r')
		f |= VM_READ;
	if (perms[1] == 'w')
		f |= VM_WRITE;
	if (perms[2] == 'x')
		f |= VM_EXEC;
	if (perms[3] == 's') {
		/* A shared mapping is writable-capable only if opened so; a
		 * read-only shared line most likely came from a read-only fd. */
		f |= VM_MAYSHARE;
		if (f & VM_WRITE)
			f |= VM_SHARED | VM_MAYWRITE;
	} else {
		f |= VM_MAYWRITE;
		if (f & VM_WRITE)
			f |= VM_ACCOUNT;
	}
	return f;
}

int um_proc_add_vma(um_proc *p, unsigned long start, unsigned long end,
		    const char *perms, unsigned long long offset,
		    unsigned long dev, unsigned long ino, const char *name)
{
	struct mm *mm = &p->mm;
	const struct vm_special *special = NULL;
	struct um_file *file = NULL;
	unsigned long flags, pgoff = start >> PAGE_SHIFT;
	int err;

	if (!perms || strlen(perms) != 4 || offset_in_page(offset))
		return -EINVAL;
	flags = flags_from_perms(perms);
	if (!name)
		name = "";
	if (!strcmp(name, "[vsyscall]")) {
		mm->has_vsyscall = true;
		return 0;
	}
	if (!strcmp(name, "[stack]")) {
		flags |= VM_GROWSDOWN | VM_ACCOUNT;
		mm->start_stack = end - PAGE_SIZE;
	} else if (!strcmp(name, "[heap]")) {
		if (!mm->start_brk || start < mm->start_brk)
			mm->start_brk = start;
	} else if (name[0] == '[') {
		special = special_named(p, name);
		if (!special)
			return -ENOMEM;
		flags |= VM_DONTEXPAND;
		if (!strncmp(name, "[vvar", 5))
			flags = (flags & ~VM_MAYWRITE & ~VM_MAYEXEC) | VM_IO | VM_PFNMAP |
				VM_DONTDUMP;
	} else if (name[0]) {
		file = file_image(name, dev, ino);
		if (!file)
			return -ENOMEM;
		pgoff = (unsigned long)(offset >> PAGE_SHIFT);
	}
	err = add_initial_vma(p, start, end, flags, pgoff, file, special);
	if (err) {
		file_put(file);
		return err;
	}
	/* Written private memory has an anon_vma of its own. */
	if ((flags & (VM_WRITE | VM_MAYSHARE)) == VM_WRITE && !special)
		err = anon_vma_prepare(mm, find_vma(mm, start));
	return err;
}

int um_proc_set_brk(um_proc *p, unsigned long start_brk, unsigned long brk)
{
	if (brk < start_brk)
		return -EINVAL;
	p->mm.start_brk = start_brk;
	p->mm.brk = brk;
	return 0;
}

/* ---- the door ---------------------------------------------------------------------- */

/* @hostbuf: the buffers of read/write/pread64/pwrite64 are host pointers. */
static long dispatch(struct um_proc *p, long nr, const unsigned long a[6], bool hostbuf)
{
	struct mm *mm = &p->mm;

	switch (nr) {
	case SYS_mmap:
		return sys_mmap(mm, &p->fdt, a[0], a[1], a[2], a[3], a[4], a[5]);
	case SYS_munmap:
		return sys_munmap(mm, a[0], a[1]);
	case SYS_mprotect:
		return sys_mprotect(mm, a[0], a[1], a[2]);
	case SYS_brk:
		return sys_brk(mm, a[0]);
	case SYS_mremap:
		return sys_mremap(mm, a[0], a[1], a[2], a[3], a[4]);
	case SYS_madvise:
		return sys_madvise(mm, a[0], a[1], a[2]);
	case SYS_mlock:
		return sys_mlock2(mm, a[0], a[1], 0);
	case SYS_mlock2:
		return sys_mlock2(mm, a[0], a[1], a[2]);
	case SYS_munlock:
		return sys_munlock(mm, a[0], a[1]);
	case SYS_mlockall:
		return sys_mlockall(mm, a[0]);
	case SYS_munlockall:
		return sys_munlockall(mm);
	case SYS_msync:
		return sys_msync(mm, a[0], a[1], a[2]);
	case SYS_mincore:
		return sys_mincore(mm, a[0], a[1], (unsigned char *)a[2]);
	case SYS_open:
		return sys_openat(&p->fdt, AT_FDCWD, (const char *)a[0], a[1], a[2]);
	case SYS_openat:
		return sys_openat(&p->fdt, (long)a[0], (const char *)a[1], a[2], a[3]);
	case SYS_close:
		return sys_close(&p->fdt, a[0]);
	case SYS_dup:
		return sys_dup(&p->fdt, a[0]);
	case SYS_ftruncate:
		return sys_ftruncate(&p->fdt, a[0], a[1]);
	case SYS_read:
		return sys_read(&p->fdt, mm, a[0], a[1], a[2], hostbuf);
	case SYS_write:
		return sys_write(&p->fdt, mm, a[0], a[1], a[2], hostbuf);
	case SYS_pread64:
		return sys_pread64(&p->fdt, mm, a[0], a[1], a[2], a[3], hostbuf);
	case SYS_pwrite64:
		return sys_pwrite64(&p->fdt, mm, a[0], a[1], a[2], a[3], hostbuf);
	case SYS_lseek:
		return sys_lseek(&p->fdt, a[0], a[1], a[2]);
	default:
		return -ENOSYS;
	}
}

static void debug_validate(struct um_proc *p, const char *what, long nr)
{
#ifdef UM_DEBUG
	if (um_validate(p)) {
		fprintf(stderr, "usermm: invariant broken after %s %ld\n", what, nr);
		abort();
	}
#else
	(void)p, (void)what, (void)nr;
#endif
}

long um_syscall(um_proc *p, long nr, const unsigned long args[6])
{
	long ret = dispatch(p, nr, args, false);

	debug_validate(p, "syscall", nr);
	return ret;
}

long um_syscall_hostbuf(um_proc *p, long nr, const unsigned long args[6])
{
	long ret = dispatch(p, nr, args, true);

	debug_validate(p, "syscall", nr);
	return ret;
}

/* ---- fork --------------------------------------------------------------------------- */

/* The child's own copies of the names um_proc_add_vma gave specials. */
static int fork_special_names(struct um_proc *c)
{
	for (struct vma *v = c->mm.vma_first; v; v = v->next) {
		if (!v->special)
			continue;
		v->special = special_named(c, v->special->name);
		if (!v->special)
			return -ENOMEM;
	}
	return 0;
}

long um_fork(um_proc *parent, um_proc **child)
{
	struct um_proc *c = um_alloc(sizeof(*c));
	long err;

	*child = NULL;
	if (!c)
		return -ENOMEM;
	c->engine = parent->engine;
	c->pid = parent->engine->next_pid++;
	err = fdt_clone(&c->fdt, &parent->fdt);
	err = err ? err : dup_mm(&c->mm, &parent->mm);
	err = err ? err : fork_special_names(c);
	if (err) {
		um_proc_free(c);
		debug_validate(parent, "failed fork of", parent->pid);
		return err;
	}
	proc_link(c);
	debug_validate(parent, "fork of", parent->pid);
	debug_validate(c, "fork by", parent->pid);
	*child = c;
	return 0;
}

/* ---- memory access ----------------------------------------------------------------- */

static long access_result(int r, unsigned long addr, struct um_fault *f)
{
	static const struct { int signo, code; } sig[] = {
		[FAULT_MAPERR] = { SIGSEGV, SEGV_MAPERR },
		[FAULT_ACCERR] = { SIGSEGV, SEGV_ACCERR },
		[FAULT_SIGBUS] = { SIGBUS, BUS_ADRERR },
		[FAULT_OOM] = { SIGKILL, 0 },
		[FAULT_GPF] = { SIGSEGV, SI_KERNEL },
	};
	struct um_fault dummy;

	if (!f)
		f = &dummy;
	memset(f, 0, sizeof(*f));
	if (!r)
		return 0;
	f->signo = sig[r].signo;
	f->code = sig[r].code;
	f->addr = addr;
	return r == FAULT_OOM ? -ENOMEM : -EFAULT;
}

long um_store(um_proc *p, unsigned long addr, const void *buf, size_t len,
	      struct um_fault *fault)
{
	unsigned long at = 0;
	int r = access_vm(&p->mm, addr, (void *)buf, len, true, &at);

	debug_validate(p, "store at", (long)addr);
	return access_result(r, at, fault);
}

long um_load(um_proc *p, unsigned long addr, void *buf, size_t len,
	     struct um_fault *fault)
{
	unsigned long at = 0;
	int r = access_vm(&p->mm, addr, buf, len, false, &at);

	debug_validate(p, "load at", (long)addr);
	return access_result(r, at, fault);
}

#define CALL(p, nr, ...)                                               \
	do {                                                           \
		unsigned long a_[6] = { __VA_ARGS__ };                 \
		return um_syscall(p, nr, a_);                          \
	} while (0)

long um_mmap(um_proc *p, unsigned long addr, unsigned long len, unsigned long prot,
	     unsigned long flags, unsigned long fd, unsigned long off)
{
	CALL(p, SYS_mmap, addr, len, prot, flags, fd, off);
}

long um_munmap(um_proc *p, unsigned long addr, unsigned long len)
{
	CALL(p, SYS_munmap, addr, len);
}

long um_mprotect(um_proc *p, unsigned long addr, unsigned long len, unsigned long prot)
{
	CALL(p, SYS_mprotect, addr, len, prot);
}

long um_brk(um_proc *p, unsigned long brk)
{
	CALL(p, SYS_brk, brk);
}

long um_mremap(um_proc *p, unsigned long addr, unsigned long old_len,
	       unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	CALL(p, SYS_mremap, addr, old_len, new_len, flags, new_addr);
}

long um_madvise(um_proc *p, unsigned long addr, unsigned long len, unsigned long advice)
{
	CALL(p, SYS_madvise, addr, len, advice);
}

long um_mlock(um_proc *p, unsigned long addr, unsigned long len)
{
	CALL(p, SYS_mlock, addr, len);
}

long um_mlock2(um_proc *p, unsigned long addr, unsigned long len, unsigned long flags)
{
	CALL(p, SYS_mlock2, addr, len, flags);
}

long um_munlock(um_proc *p, unsigned long addr, unsigned long len)
{
	CALL(p, SYS_munlock, addr, len);
}

long um_mlockall(um_proc *p, unsigned long flags)
{
	CALL(p, SYS_mlockall, flags);
}

long um_munlockall(um_proc *p)
{
	CALL(p, SYS_munlockall, 0);
}

long um_msync(um_proc *p, unsigned long addr, unsigned long len, unsigned long flags)
{
	CALL(p, SYS_msync, addr, len, flags);
}

long um_mincore(um_proc *p, unsigned long addr, unsigned long len, unsigned char *vec)
{
	CALL(p, SYS_mincore, addr, len, (unsigned long)vec);
}

long um_openat(um_proc *p, long dirfd, const char *path, unsigned long flags,
	       unsigned long mode)
{
	CALL(p, SYS_openat, (unsigned long)dirfd, (unsigned long)path, flags, mode);
}

long um_close(um_proc *p, unsigned long fd)
{
	CALL(p, SYS_close, fd);
}

long um_dup(um_proc *p, unsigned long fd)
{
	CALL(p, SYS_dup, fd);
}

long um_ftruncate(um_proc *p, unsigned long fd, unsigned long length)
{
	CALL(p, SYS_ftruncate, fd, length);
}

long um_read(um_proc *p, unsigned long fd, unsigned long buf, unsigned long count)
{
	CALL(p, SYS_read, fd, buf, count);
}

long um_write(um_proc *p, unsigned long fd, unsigned long buf, unsigned long count)
{
	CALL(p, SYS_write, fd, buf, count);
}

long um_pread64(um_proc *p, unsigned long fd, unsigned long buf,
		unsigned long count, unsigned long pos)
{
	CALL(p, SYS_pread64, fd, buf, count, pos);
}

long um_pwrite64(um_proc *p, unsigned long fd, unsigned long buf,
		 unsigned long count, unsigned long pos)
{
	CALL(p, SYS_pwrite64, fd, buf, count, pos);
}

long um_lseek(um_proc *p, unsigned long fd, unsigned long off, unsigned long whence)
{
	CALL(p, SYS_lseek, fd, off, whence);
}

/* ---- views ------------------------------------------------------------------------ */

size_t um_maps(um_proc *p, char *buf, size_t size)
{
	return show_maps(&p->mm, buf, size);
}

size_t um_smaps(um_proc *p, char *buf, size_t size)
{
	return show_smaps(&p->mm, buf, size);
}

size_t um_smaps_vma(um_proc *p, unsigned long addr, char *buf, size_t size)
{
	return show_smaps_vma(&p->mm, addr, buf, size);
}

size_t um_smaps_rollup(um_proc *p, char *buf, size_t size)
{
	return show_smaps_rollup(&p->mm, buf, size);
}

size_t um_status(um_proc *p, char *buf, size_t size)
{
	return show_status_mem(&p->mm, buf, size);
}

/* A view measured first, then written whole to @out. */
static int print_view(um_proc *p, size_t (*view)(um_proc *, char *, size_t), FILE *out)
{
	size_t n = view(p, NULL, 0);
	char *buf = malloc(n + 1);
	int ret;

	if (!buf)
		return -ENOMEM;
	view(p, buf, n + 1);
	ret = fputs(buf, out) < 0 ? -EIO : 0;
	free(buf);
	return ret;
}

int um_maps_print(um_proc *p, FILE *out)
{
	return print_view(p, um_maps, out);
}

int um_smaps_print(um_proc *p, FILE *out)
{
	return print_view(p, um_smaps, out);
}

int um_status_print(um_proc *p, FILE *out)
{
	return print_view(p, um_status, out);
}

void um_proc_stats(um_proc *p, struct um_stats *st)
{
	struct mm *mm = &p->mm;

	st->map_count = mm->map_count;
	st->total_vm = mm->total_vm;
	st->locked_vm = mm->locked_vm;
	st->data_vm = mm->data_vm;
	st->exec_vm = mm->exec_vm;
	st->stack_vm = mm->stack_vm;
	st->brk = mm->brk;
	st->start_brk = mm->start_brk;
	st->mmap_base = mm->mmap_base;
	st->vma_bytes = p->engine->vma_slab.size;
	st->engine_vmas = p->engine->vma_slab.live;
	st->vma_pool_bytes = p->engine->vma_slab.bytes;
	st->rss_anon = mm->rss_anon;
	st->rss_file = mm->rss_file;
	st->rss_shmem = mm->rss_shmem;
	st->page_tables = mm->pgt.nr_tables;
	st->page_struct_bytes = sizeof(struct page);
	st->frames_used = mm->phys->used;
	st->cached_pages = mm->phys->cached_pages;
	st->engine_page_tables = mm->phys->pgtables;
	st->faults_zero = mm->phys->ev.zero;
	st->faults_anon = mm->phys->ev.anon;
	st->faults_file_read = mm->phys->ev.file_read;
	st->faults_shared_write = mm->phys->ev.shared_write;
	st->faults_cow = mm->phys->ev.cow;
	st->faults_reuse = mm->phys->ev.reuse;
	st->faults_shared_wp = mm->phys->ev.shared_wp;
	st->pages_read = mm->phys->ev.pages_read;
	st->pages_written = mm->phys->ev.pages_written;
}

int um_validate(um_proc *p)
{
	if (mm_validate(&p->mm) || mm_validate_pages(&p->mm))
		return -EUCLEAN;
	return p->mm.phys ? phys_validate(p->mm.phys) : 0;
}

/* ---- the POSIX-style façade ------------------------------------------------------- */

static long set_errno(long ret)
{
	if (ret < 0 && ret >= -4095) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

void *um_posix_mmap(um_proc *p, void *addr, size_t len, int prot, int flags,
		    int fd, long off)
{
	long r = um_mmap(p, (unsigned long)addr, len, (unsigned long)prot,
			 (unsigned long)flags, (unsigned long)fd, (unsigned long)off);

	return set_errno(r) == -1 ? (void *)-1 : (void *)r;
}

int um_posix_munmap(um_proc *p, void *addr, size_t len)
{
	return (int)set_errno(um_munmap(p, (unsigned long)addr, len));
}

int um_posix_mprotect(um_proc *p, void *addr, size_t len, int prot)
{
	return (int)set_errno(um_mprotect(p, (unsigned long)addr, len,
					  (unsigned long)prot));
}
