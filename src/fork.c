/*
 * fork.c — copying an address space for fork() (Linux's dup_mmap in
 * kernel/fork.c).
 *
 * The child gets every VMA but those marked VM_DONTCOPY (MADV_DONTFORK),
 * without memory locks (VM_LOCKED, VM_LOCKONFAULT, mlockall's future flags);
 * a VMA with anonymous memory gets an anon_vma of its own, marked forked;
 * its pages are shared copy-on-write (memory.c's copy_page_range) except
 * under VM_WIPEONFORK, where the child starts with zeros and no anon_vma.
 *
 * Invariants: on failure the half-built child is the caller's to free
 * (um_proc_free), and the parent is unchanged but for entries that became
 * write-protected (as in Linux, harmless: the next write reuses the page).
 *
 * Locking: the caller holds both address spaces.
 */
#include <string.h>
#include "internal.h"
#include "alloc.h"

/* The scalar state the child inherits: layout, break, limits, accounting. */
static void copy_mm_settings(struct mm *child, const struct mm *parent)
{
	struct mm keep = *child;

	*child = *parent;
	child->vma_tree = keep.vma_tree;
	child->vma_first = keep.vma_first;
	child->vma_last = keep.vma_last;
	child->vma_cache = NULL;
	child->gap_hint_valid = child->anchor_valid = child->free_area_valid = false;
	child->map_count = 0;
	child->total_vm = child->data_vm = child->exec_vm = child->stack_vm = 0;
	child->locked_vm = 0;
	child->def_flags = 0;
	child->pgt = keep.pgt;
	child->rss_anon = child->rss_file = child->rss_shmem = 0;
	child->hiwater_vm = child->hiwater_rss = 0;   /* peaks start at fork */
	child->allow_unmerged = true;   /* inherited VMAs stay as they were */
}

static int fork_anon_vma(struct mm *child, struct vma *n)
{
	struct anon_vma *av;

	if (!n->anon_vma)
		return 0;
	n->anon_vma = NULL;      /* the parent's reference was not taken */
	if (n->vm_flags & VM_WIPEONFORK)
		return 0;
	av = um_alloc(sizeof(*av));
	if (!av)
		return -ENOMEM;
	av->refs = 1;
	av->forked = true;
	av->id = ++child->next_anon_vma_id;
	n->anon_vma = av;
	return 0;
}

static int fork_vma(struct mm *child, struct mm *parent, struct vma *v)
{
	struct vma *n = vma_alloc(child);
	int err;

	if (!n)
		return -ENOMEM;
	*n = *v;
	n->prev = n->next = NULL;
	n->vm_flags &= ~VM_LOCKED_MASK;
	file_get(n->vm_file);
	if ((err = fork_anon_vma(child, n))) {
		vma_free(child, n);
		return err;
	}
	vma_link_at(child, n, child->vma_last, NULL);
	vm_stat_account(child, n->vm_flags, (long)vma_pages(n));
	if (v->vm_flags & VM_WIPEONFORK)
		return 0;
	return copy_page_range(child, parent, v);
}

int dup_mm(struct mm *child, struct mm *parent)
{
	struct vma *v;
	int err;

	copy_mm_settings(child, parent);
	for (v = parent->vma_first; v; v = v->next) {
		if (v->vm_flags & VM_DONTCOPY)
			continue;
		if ((err = fork_vma(child, parent, v)))
			return err;
	}
	return 0;
}
