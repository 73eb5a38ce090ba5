/*
 * task_mmu.c — /proc/PID/maps, byte for byte (Linux's fs/proc/task_mmu.c).
 *
 * A line is
 *   start-end perms offset major:minor inode[ padding name]
 * with addresses in lower-case hex of at least 8 digits, the name starting
 * at column 74 (the fields are padded to 73 characters), and a lone trailing
 * space when there is no name.  Names, in Linux's order of precedence:
 * special mappings ([vdso], [vvar]...), the file's path, [heap] for a VMA
 * overlapping the brk area, [stack] for the VMA holding the initial stack
 * pointer.  The gate area [vsyscall] comes last, outside the VMA list.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/sysmacros.h>
#include "internal.h"

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

/* The file's current path as the kernel prints it (" (deleted)" included). */
static const char *file_path(const struct um_file *f, char *tmp, size_t size)
{
	char link[64];
	ssize_t n;

	if (f->host_fd < 0)
		return f->path;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", f->host_fd);
	n = readlink(link, tmp, size - 1);
	if (n <= 0)
		return f->path;
	tmp[n] = '\0';
	return tmp;
}

const char *vma_name(const struct mm *mm, const struct vma *v)
{
	if (v->special)
		return v->special->name;
	if (v->vm_file)
		return v->vm_file->path;
	if (v->vm_start < mm->brk && v->vm_end > mm->start_brk)
		return "[heap]";
	if (v->vm_start <= mm->start_stack && v->vm_end >= mm->start_stack)
		return "[stack]";
	return NULL;
}

static void show_line(struct out *o, unsigned long start, unsigned long end,
		      unsigned long flags, unsigned long long off,
		      unsigned long dev, unsigned long ino, const char *name)
{
	char line[4200];
	int n = snprintf(line, sizeof(line), "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ",
			 start, end, flags & VM_READ ? 'r' : '-',
			 flags & VM_WRITE ? 'w' : '-', flags & VM_EXEC ? 'x' : '-',
			 flags & VM_MAYSHARE ? 's' : 'p', off, major(dev), minor(dev), ino);

	if (name) {
		while (n < 72)
			line[n++] = ' ';
		n += snprintf(line + n, sizeof(line) - (size_t)n - 1, " %s", name);
		if (n > (int)sizeof(line) - 2)
			n = sizeof(line) - 2;
	}
	line[n++] = '\n';
	put(o, line, (size_t)n);
}

static void show_vma(struct out *o, const struct mm *mm, const struct vma *v)
{
	char path[4096];
	const char *name = vma_name(mm, v);
	unsigned long dev = 0, ino = 0;
	unsigned long long off = 0;

	if (v->vm_file) {
		dev = v->vm_file->dev;
		ino = v->vm_file->ino;
		off = (unsigned long long)v->vm_pgoff << PAGE_SHIFT;
		name = file_path(v->vm_file, path, sizeof(path));
	}
	show_line(o, v->vm_start, v->vm_end, v->vm_flags, off, dev, ino, name);
}

size_t show_maps(struct mm *mm, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	const struct vma *v;

	for (v = mm->vma_first; v; v = v->next)
		show_vma(&o, mm, v);
	if (mm->has_vsyscall)
		show_line(&o, 0xffffffffff600000UL, 0xffffffffff601000UL,
			  VM_EXEC, 0, 0, 0, "[vsyscall]");
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}
