/*
 * file.h — a process's file descriptors over real host files (the part of
 * Linux's fs/ that mmap needs: what a descriptor refers to and how it was
 * opened).
 */
#ifndef USERMM_FILE_H
#define USERMM_FILE_H

#include "mm_types.h"

struct fd_table {
	struct um_file **files;
	unsigned long size;
	unsigned long limit;  /* RLIMIT_NOFILE */
	struct phys *phys;    /* the engine's page caches (ftruncate) */
};

int fdt_init(struct fd_table *t, unsigned long limit);
void fdt_destroy(struct fd_table *t);
/* fork: @dst (uninitialised) gets every descriptor of @src. */
int fdt_clone(struct fd_table *dst, const struct fd_table *src);
/* The file behind fd, or NULL (EBADF). No reference is taken. */
struct um_file *fdt_get(struct fd_table *t, unsigned long fd);
/* Install @f at the lowest free fd; takes over the caller's reference. */
long fdt_install(struct fd_table *t, struct um_file *f);
int fdt_install_at(struct fd_table *t, unsigned long fd, struct um_file *f);

long sys_openat(struct fd_table *t, long dirfd, const char *path,
		unsigned long flags, unsigned long mode);
long sys_close(struct fd_table *t, unsigned long fd);
long sys_dup(struct fd_table *t, unsigned long fd);
long sys_ftruncate(struct fd_table *t, unsigned long fd, unsigned long length);

/* Build a file from an open host descriptor (takes ownership of hfd). */
int file_from_host_fd(int hfd, unsigned long flags, const char *path,
		      struct um_file **out);
/* A file named by a maps line, with no host file behind it. */
struct um_file *file_image(const char *path, unsigned long dev, unsigned long ino);
/* Shared anonymous memory: "/dev/zero (deleted)". */
/* Shared anonymous memory of @size bytes: "/dev/zero (deleted)". */
struct um_file *file_shmem(unsigned long ino, unsigned long size);

int um_host_close(int fd);
#endif
