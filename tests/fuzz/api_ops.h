/*
 * api_ops.h — the C API fuzzer's interpreter, shared by the libFuzzer target
 * (tests/fuzz/fuzz_api.c) and the short deterministic run in `make test`
 * (tests/test_fuzz_api.c).
 *
 * An input is a byte string read as a program: the first byte picks the
 * page size (4, 16 or 64 KiB), then each op is one byte of opcode and up
 * to eight argument bytes.  Up to four processes (fork, exit) share one
 * engine with a small frame pool, so exhaustion paths run too.  Addresses
 * come mostly from a 256-page arena at 0x200000000 (so calls interact) and
 * sometimes are arbitrary 64-bit values; lengths are mostly a few pages,
 * sometimes anything.  Every call may fail — its result is not checked —
 * but after each one the validator must pass (um_validate: the VMA tree,
 * the page tables, every frame's counts across processes), and when the
 * program ends every process is freed and the engine must hold no frame,
 * cached page or VMA (um_engine_free aborts in test builds otherwise).
 * A broken property calls abort(), which libFuzzer records as a crash.
 */
#ifndef USERMM_FUZZ_API_OPS_H
#define USERMM_FUZZ_API_OPS_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "usermm.h"

#define FZ_ARENA 0x200000000UL
#define FZ_PROCS 4

struct fz {
	const unsigned char *p, *end;
	um_engine *e;
	um_proc *procs[FZ_PROCS];
	int nprocs;
	unsigned long ps;             /* page size */
	char path[64];
	unsigned char buf[1 << 16];   /* host buffer for read/write/load/store */
};

static unsigned fz_byte(struct fz *z)
{
	return z->p < z->end ? *z->p++ : 0;
}

static unsigned long fz_u64(struct fz *z)
{
	unsigned long v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | fz_byte(z);
	return v;
}

/* An address: in the arena, at a page or not, or (rarely) anything. */
static unsigned long fz_addr(struct fz *z)
{
	unsigned b = fz_byte(z);

	if (b >= 0xf8)
		return fz_u64(z);
	return FZ_ARENA + (unsigned long)(fz_byte(z) % 256) * z->ps +
	       ((b & 1) ? fz_byte(z) * 17UL : 0);
}

/* A length: a few pages, a few bytes, zero, or (rarely) anything. */
static unsigned long fz_len(struct fz *z)
{
	unsigned b = fz_byte(z);

	if (b >= 0xf8)
		return fz_u64(z);
	if (b >= 0xe0)
		return fz_byte(z);
	return (unsigned long)(b % 16 + 1) * z->ps;
}

static unsigned long fz_pick(struct fz *z, const unsigned long *v, size_t n)
{
	return v[fz_byte(z) % n];
}

static um_proc *fz_proc(struct fz *z)
{
	return z->procs[fz_byte(z) % z->nprocs];
}

static unsigned long fz_ops;   /* ops run by this input, for the report */

static void fz_check(struct fz *z, const char *what)
{
	fz_ops++;
	if (getenv("FUZZ_API_VERBOSE")) {   /* a rerun's picture after each op */
		fprintf(stderr, "--- op %lu %s\n", fz_ops, what);
		for (int i = 0; i < z->nprocs; i++)
			um_maps_print(z->procs[i], stderr);
	}
	for (int i = 0; i < z->nprocs; i++)
		if (um_validate(z->procs[i])) {
			fprintf(stderr, "fuzz_api: invariant broken after op %lu (%s)\n",
				fz_ops, what);
			abort();
		}
}

static const unsigned long fz_prots[] = {
	PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC,
	PROT_READ | PROT_WRITE | PROT_EXEC, PROT_WRITE, 0x8, PROT_GROWSDOWN | PROT_READ,
};
static const unsigned long fz_mflags[] = {
	MAP_PRIVATE | MAP_ANONYMOUS, MAP_SHARED | MAP_ANONYMOUS,
	MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
	MAP_PRIVATE | MAP_FIXED, MAP_SHARED | MAP_FIXED, MAP_PRIVATE, MAP_SHARED,
	MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, MAP_SHARED | MAP_POPULATE,
	MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED,
	MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, MAP_SHARED_VALIDATE | 0x40000000,
};
static const unsigned long fz_advice[] = {
	MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED,
	MADV_FREE, MADV_REMOVE, MADV_DONTFORK, MADV_DOFORK, MADV_MERGEABLE,
	MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_WIPEONFORK,
	MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT, 22 /* POPULATE_READ */,
	23 /* POPULATE_WRITE */, 25 /* COLLAPSE */, 102 /* GUARD_INSTALL */,
	103 /* GUARD_REMOVE */, 999,
};

static void fz_fork(struct fz *z)
{
	um_proc *c = NULL;

	if (z->nprocs < FZ_PROCS && !um_fork(fz_proc(z), &c) && c)
		z->procs[z->nprocs++] = c;
}

static void fz_exit(struct fz *z)
{
	int i = (int)(fz_byte(z) % (unsigned)z->nprocs);

	if (z->nprocs == 1)
		return;
	um_proc_free(z->procs[i]);
	z->procs[i] = z->procs[--z->nprocs];
}

/* read/write/pread64/pwrite64: to the process's memory or a host buffer. */
static void fz_rw(struct fz *z, um_proc *p, long nr)
{
	/* 3..5 are the file and /dev/zero; 0..2 would reach the host's own
	 * stdin/stdout/stderr, so they are not used; 6 is not open. */
	unsigned long a[6] = { 3 + fz_byte(z) % 4, 0, fz_len(z), fz_byte(z) * 1000UL };

	if (fz_byte(z) & 1) {
		a[1] = fz_addr(z);
		um_syscall(p, nr, a);
	} else {
		a[1] = (unsigned long)z->buf;
		a[2] %= sizeof(z->buf);
		um_syscall_hostbuf(p, nr, a);
	}
}

static void fz_access(struct fz *z, um_proc *p, bool store)
{
	unsigned long addr = fz_addr(z), len = fz_byte(z) * 64UL;
	struct um_fault f;

	if (store)
		um_store(p, addr, z->buf, len, &f);
	else
		um_load(p, addr, z->buf, len, &f);
}

/* One op; returns its name for the report. */
static const char *fz_op(struct fz *z)
{
	um_proc *p = fz_proc(z);
	unsigned char vec[64];

	switch (fz_byte(z) % 24) {
	case 0: case 1:
		um_mmap(p, fz_addr(z), fz_len(z), fz_pick(z, fz_prots, 8),
			fz_pick(z, fz_mflags, 14), 3 + fz_byte(z) % 3,
			(fz_byte(z) % 4) * z->ps);
		return "mmap";
	case 2:
		um_munmap(p, fz_addr(z), fz_len(z));
		return "munmap";
	case 3:
		um_mprotect(p, fz_addr(z), fz_len(z), fz_pick(z, fz_prots, 8));
		return "mprotect";
	case 4:
		um_mremap(p, fz_addr(z), fz_len(z), fz_len(z), fz_byte(z) % 8, fz_addr(z));
		return "mremap";
	case 5: case 6:
		um_madvise(p, fz_addr(z), fz_len(z), fz_pick(z, fz_advice, 23));
		return "madvise";
	case 7:
		um_mlock2(p, fz_addr(z), fz_len(z), fz_byte(z) % 3);
		return "mlock2";
	case 8:
		um_munlock(p, fz_addr(z), fz_len(z));
		return "munlock";
	case 9:
		um_msync(p, fz_addr(z), fz_len(z), fz_byte(z) % 8);
		return "msync";
	case 10:
		um_mincore(p, fz_addr(z), fz_byte(z) % 64 * z->ps, vec);
		return "mincore";
	case 11:
		um_brk(p, fz_byte(z) & 1 ? fz_addr(z) : 0);
		return "brk";
	case 12: case 13: case 14:
		fz_access(z, p, true);
		return "store";
	case 15: case 16:
		fz_access(z, p, false);
		return "load";
	case 17:
		fz_fork(z);
		return "fork";
	case 18:
		fz_exit(z);
		return "exit";
	case 19:
		um_openat(p, AT_FDCWD, z->path, fz_byte(z) & 1 ? O_RDWR : O_RDONLY, 0);
		return "openat";
	case 20:
		um_ftruncate(p, 3 + fz_byte(z) % 3, fz_byte(z) * 1000UL);
		return "ftruncate";
	case 21:
		fz_rw(z, p, fz_byte(z) & 1 ? SYS_pwrite64 : SYS_write);
		return "write";
	case 22:
		fz_rw(z, p, fz_byte(z) & 1 ? SYS_pread64 : SYS_read);
		return "read";
	default:
		if (fz_byte(z) & 1)
			um_mlockall(p, fz_byte(z) % 8);
		else
			um_munlockall(p);
		return "mlockall";
	}
}

/* Run one input; aborts on a broken invariant or a leak. */
static void fz_run(const unsigned char *data, size_t size)
{
	static const unsigned long sizes[] = { 4096, 16384, 65536 };
	struct fz *z = calloc(1, sizeof(*z));
	struct um_engine_config cfg = { .overcommit_memory = 1, .thp_enabled = 1,
					.mem_bytes = 8UL << 20, .max_map_count = 512 };
	int fd;

	if (!z)
		return;
	z->p = data;
	z->end = data + size;
	fz_ops = 0;
	cfg.page_size = sizes[fz_byte(z) % 3];
	z->ps = cfg.page_size;
	snprintf(z->path, sizeof(z->path), "/tmp/usermm-fuzz-api-%d", (int)getpid());
	fd = open(z->path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 5 * 4096 + 100) < 0)
		abort();
	close(fd);
	z->e = um_engine_new(&cfg);
	z->procs[0] = z->e ? um_proc_new(z->e, NULL) : NULL;
	if (!z->procs[0])
		abort();
	z->nprocs = 1;
	/* fds 3, 4: the file read-write and read-only; 5 is /dev/zero */
	um_openat(z->procs[0], AT_FDCWD, z->path, O_RDWR, 0);
	um_openat(z->procs[0], AT_FDCWD, z->path, O_RDONLY, 0);
	um_openat(z->procs[0], AT_FDCWD, "/dev/zero", O_RDWR, 0);
	memset(z->buf, 'f', sizeof(z->buf));
	while (z->p < z->end)
		fz_check(z, fz_op(z));
	while (z->nprocs)
		um_proc_free(z->procs[--z->nprocs]);
	um_engine_free(z->e);    /* test builds abort on anything left */
	unlink(z->path);
	free(z);
}

#endif
