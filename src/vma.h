/*
 * vma.h — the VMA store (tree + list + cache), free-area search, and the
 * split/merge primitives every system call builds on (Linux's mm/vma.c).
 */
#ifndef USERMM_VMA_H
#define USERMM_VMA_H

#include "mm_types.h"

/* ---- allocation and references ------------------------------------------ */
struct vma *vma_alloc(struct mm *mm);            /* from the engine's slab */
struct vma *vma_dup(struct mm *mm, const struct vma *src); /* takes refs */
void vma_free(struct mm *mm, struct vma *vma);   /* drops file/anon_vma refs */
void file_get(struct um_file *f);
void file_put(struct um_file *f);
void anon_vma_get(struct anon_vma *av);
void anon_vma_put(struct anon_vma *av);

/* ---- lookup -------------------------------------------------------------- */
/* The first VMA with vm_end > addr, or NULL. */
struct vma *find_vma(struct mm *mm, unsigned long addr);
/* find_vma, and the VMA before the returned one (or the last VMA). */
struct vma *find_vma_prev(struct mm *mm, unsigned long addr, struct vma **pprev);
/* The first VMA overlapping [start, end), or NULL. */
struct vma *find_vma_intersection(struct mm *mm, unsigned long start,
				  unsigned long end);
/* The VMA containing addr, or NULL. */
struct vma *vma_lookup(struct mm *mm, unsigned long addr);

/* ---- linking --------------------------------------------------------------
 * vma_link inserts a VMA whose range is free; vma_unlink removes one (the
 * caller frees it).  vma_set_range changes a linked VMA's bounds in place;
 * the new range must not overlap its neighbours.  None of these allocate.
 */
void vma_link(struct mm *mm, struct vma *vma);
/* vma_link when the neighbours are known (no search). */
void vma_link_at(struct mm *mm, struct vma *vma, struct vma *prev,
		 struct vma *next);
void vma_unlink(struct mm *mm, struct vma *vma);
void vma_set_range(struct mm *mm, struct vma *vma, unsigned long start,
		   unsigned long end, unsigned long pgoff);

/* ---- free-area search (vm_unmapped_area) -------------------------------- */
struct unmapped_area_info {
	bool topdown;
	unsigned long length;
	unsigned long low_limit, high_limit;  /* [low, high) */
	unsigned long align_mask, align_offset;
	unsigned long start_gap;
};
/* An address, or -ENOMEM cast to unsigned long. */
unsigned long vm_unmapped_area(struct mm *mm, const struct unmapped_area_info *info);

/* ---- split and merge ------------------------------------------------------ */
int __split_vma(struct mm *mm, struct vma *vma, unsigned long addr, int new_below);
int split_vma(struct mm *mm, struct vma *vma, unsigned long addr, int new_below);

/* A proposed range and its attributes, for the merge functions. */
struct vma_merge {
	struct mm *mm;
	struct vma *prev, *next;      /* neighbours (NULL = none) */
	struct vma *vma;              /* the VMA being modified, or NULL if new */
	unsigned long start, end, pgoff, flags;
	struct um_file *file;
	struct anon_vma *anon_vma;
};
/* Merge a new range [start, end) (currently free) into prev and/or next.
 * Returns the VMA that now covers it, or NULL when no merge is possible. */
struct vma *vma_merge_new_range(struct vma_merge *vmg);
/* Prepare [start, end) inside @vma for the flags *new_flags, merging with
 * the neighbours or splitting @vma as Linux's vma_modify_flags does.  On
 * success *out is the VMA now covering exactly [start, end), and *new_flags
 * has gained the sticky flags of a neighbour it merged with: the caller
 * gives (*out)->vm_flags the result. */
int vma_modify_flags(struct mm *mm, struct vma *vma,
		     unsigned long start, unsigned long end,
		     unsigned long *new_flags, struct vma **out);
/* Anon VMA prepare: give @vma an anon_vma, reusing a compatible neighbour's
 * (find_mergeable_anon_vma) so later mprotects can merge again. */
int anon_vma_prepare(struct mm *mm, struct vma *vma);

/* ---- accounting helpers (mm/mmap.c) -------------------------------------- */
bool is_exec_mapping(unsigned long flags);
bool is_stack_mapping(unsigned long flags);
bool is_data_mapping(unsigned long flags);
void vm_stat_account(struct mm *mm, unsigned long flags, long npages);

/* ---- checking ------------------------------------------------------------- */
/* 0, or -EUCLEAN after printing what is wrong to stderr. */
int mm_validate(struct mm *mm);
#ifdef UM_DEBUG
#define mm_debug_validate(mm) ((void)mm_validate(mm))
#else
#define mm_debug_validate(mm) ((void)0)
#endif

#endif
