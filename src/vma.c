/*
 * vma.c — the VMA store and the split/merge primitives (Linux's mm/vma.c).
 *
 * Owns: struct mm's VMA tree, list, cache and map_count; vm_unmapped_area();
 * split_vma(), vma_merge_new_range(), vma_modify_flags(); mm_validate().
 *
 * Invariants (mm_validate checks each one):
 *   1. VMAs do not overlap and are page-aligned, vm_start < vm_end.
 *   2. An in-order walk of the tree visits exactly the list, in order,
 *      and map_count is its length.
 *   3. v->gap = v->vm_start - (v->prev ? v->prev->vm_end : 0), and
 *      v->subtree_gap = max(v->gap, left->subtree_gap, right->subtree_gap).
 *   4. The tree is a valid red-black tree (rb_check).
 *   5. The cache, when set, points at a linked VMA; the search anchor, when
 *      valid, is the first VMA ending at or above anchor_high; the gap hint,
 *      when valid, is what find_vma(gap_hint_addr) would return; the
 *      free-area cache, when valid, names a linked VMA above which no gap
 *      (clipped to free_area_high) is longer than free_area_hole.
 *   6. No two adjacent VMAs could have been merged (Linux would have merged
 *      them when the second was created or changed) — unless one is special,
 *      the pair meets at start_brk (brk never merges there), or a failed
 *      call left splits behind (mm->allow_unmerged), as Linux does.
 *
 * Locking: none here; the caller holds the address space (see engine.c).
 *
 * Free-area search walks the tree guided by subtree_gap, so finding a hole
 * is O(log n) — the seeds describe a linear walk of the list, which Linux
 * replaced with this augmented tree in 3.8 (and with the maple tree in 6.1;
 * the addresses chosen are the same).  Top-down searches start at the
 * anchor and walk backwards, as the maple tree does, or lower, at the
 * free-area cache, when nothing above it can fit.  Every change keeps the
 * augmentation exact with as few root walks as possible: see vma_link_at,
 * vma_unlink and rbtree.h.
 */
#include <stdio.h>
#include "vma.h"
#include "alloc.h"
#include "slab.h"
#include "file.h"
#include "page.h"

/* ---- references ----------------------------------------------------------- */

void file_get(struct um_file *f)
{
	if (f)
		f->refs++;
}

void file_put(struct um_file *f)
{
	if (!f || --f->refs > 0)
		return;
	if (f->mapping)
		mapping_put(f->phys, f->mapping);
	if (f->host_fd >= 0)
		um_host_close(f->host_fd);
	um_free(f->path);
	um_free(f);
}

void anon_vma_get(struct anon_vma *av)
{
	if (av)
		av->refs++;
}

void anon_vma_put(struct anon_vma *av)
{
	if (av && --av->refs == 0)
		um_free(av);
}

struct vma *vma_alloc(struct mm *mm)
{
	return slab_alloc(mm->vma_slab);
}

struct vma *vma_dup(struct mm *mm, const struct vma *src)
{
	struct vma *v = vma_alloc(mm);

	if (!v)
		return NULL;
	*v = *src;
	v->prev = v->next = NULL;
	file_get(v->vm_file);
	anon_vma_get(v->anon_vma);
	return v;
}

void vma_free(struct mm *mm, struct vma *vma)
{
	if (!vma)
		return;
	file_put(vma->vm_file);
	anon_vma_put(vma->anon_vma);
	slab_free(mm->vma_slab, vma);
}

unsigned long vm_start_gap(const struct vma *v)
{
	unsigned long start = v->vm_start;

	if (v->vm_flags & VM_GROWSDOWN) {
		start -= um_stack_guard_gap;
		if (start > v->vm_start)
			start = 0;
	}
	return start;
}

/* ---- the tree ------------------------------------------------------------- */

#define rb_vma(n) rb_entry(n, struct vma, rb)

static unsigned long gap_start(const struct vma *v)
{
	return v->vm_start - v->gap;
}

/* The own gap is kept in the node so walks need not load the neighbour. */
static void vma_set_gap(struct vma *v)
{
	v->gap = v->vm_start - (v->prev ? v->prev->vm_end : 0);
}

static void anchor_check(struct mm *mm, const struct vma *v, unsigned long end);
static void free_area_gap_grew(struct mm *mm, struct vma *w);
static void free_area_unlinking(struct mm *mm, struct vma *vma);

static bool vma_augment(struct rb_node *n)
{
	struct vma *v = rb_vma(n);
	unsigned long max = v->gap, old = v->subtree_gap;

	if (n->left && rb_vma(n->left)->subtree_gap > max)
		max = rb_vma(n->left)->subtree_gap;
	if (n->right && rb_vma(n->right)->subtree_gap > max)
		max = rb_vma(n->right)->subtree_gap;
	v->subtree_gap = max;
	return max != old;
}

/* find_vma by list walk, for the validator. */
static struct vma *find_vma_uncached(struct mm *mm, unsigned long addr)
{
	struct vma *v = mm->vma_first;

	while (v && v->vm_end <= addr)
		v = v->next;
	return v;
}

struct vma *find_vma(struct mm *mm, unsigned long addr)
{
	struct vma *c = mm->vma_cache, *found = NULL;
	struct rb_node *n = mm->vma_tree.node;

	if (c && c->vm_start <= addr && addr < c->vm_end)
		return c;
	/* The address the last free-area search returned lies in a gap
	 * below a known VMA (while the tree has not changed since). */
	if (mm->gap_hint_valid && addr == mm->gap_hint_addr)
		return mm->gap_hint_above;
	while (n) {
		struct vma *v = rb_vma(n);

		if (v->vm_end > addr) {
			found = v;
			if (v->vm_start <= addr)
				break;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	if (found)
		mm->vma_cache = found;
	return found;
}

struct vma *find_vma_prev(struct mm *mm, unsigned long addr, struct vma **pprev)
{
	struct vma *v = find_vma(mm, addr);

	*pprev = v ? v->prev : mm->vma_last;
	return v;
}

struct vma *find_vma_intersection(struct mm *mm, unsigned long start,
				  unsigned long end)
{
	struct vma *v = find_vma(mm, start);

	return (v && v->vm_start < end) ? v : NULL;
}

struct vma *vma_lookup(struct mm *mm, unsigned long addr)
{
	struct vma *v = find_vma(mm, addr);

	return (v && v->vm_start <= addr) ? v : NULL;
}

void vma_link(struct mm *mm, struct vma *vma)
{
	struct rb_node *n = mm->vma_tree.node;
	struct vma *prev = NULL, *next = NULL;

	while (n) {
		struct vma *v = rb_vma(n);

		if (vma->vm_start < v->vm_start) {
			next = v;
			n = n->left;
		} else {
			prev = v;
			n = n->right;
		}
	}
	vma_link_at(mm, vma, prev, next);
}

/*
 * Link @vma between its neighbours without searching: in a search tree the
 * slot between two in-order neighbours is next's empty left child, or else
 * prev's empty right child (one of them is always free).
 */
void vma_link_at(struct mm *mm, struct vma *vma, struct vma *prev,
		 struct vma *next)
{
	struct rb_node **link, *parent;

	if (next && !next->rb.left) {
		parent = &next->rb;
		link = &parent->left;
	} else if (prev) {
		parent = &prev->rb;
		link = &parent->right;
	} else {
		parent = NULL;
		link = &mm->vma_tree.node;
	}
	mm->gap_hint_valid = false;
	anchor_check(mm, vma, vma->vm_end);
	vma->prev = prev;
	vma->next = next;
	if (prev)
		prev->next = vma;
	else
		mm->vma_first = vma;
	if (next)
		next->prev = vma;
	else
		mm->vma_last = vma;
	vma_set_gap(vma);
	/* A leaf's subtree_gap starts from nothing (a copied VMA carries its
	 * original's), so the walk up sees every change it brings. */
	vma->subtree_gap = 0;
	if (next)
		vma_set_gap(next);
	else
		free_area_gap_grew(mm, vma);   /* its gap was part of the tail */
	/* next's gap shrank too.  A new leaf's successor is always one of its
	 * ancestors, so one walk up from the leaf settles both. */
	rb_link_node(&vma->rb, parent, link);
	rb_insert_also(&mm->vma_tree, &vma->rb, next ? &next->rb : NULL,
		       vma_augment);
	mm->map_count++;
}

void vma_unlink(struct mm *mm, struct vma *vma)
{
	struct vma *prev = vma->prev, *next = vma->next;
	/* next's gap grows.  Without a right child, vma's successor is an
	 * ancestor and the erase's walk settles it; with two children it is
	 * the node that takes vma's place (also settled); with only a right
	 * child it lies below and needs a walk of its own. */
	bool next_above = next && !vma->rb.right;
	bool next_below = next && vma->rb.right && !vma->rb.left;

	free_area_unlinking(mm, vma);
	if (prev)
		prev->next = next;
	else
		mm->vma_first = next;
	if (next)
		next->prev = prev;
	else
		mm->vma_last = prev;
	if (next)
		vma_set_gap(next);
	rb_erase_also(&mm->vma_tree, &vma->rb, next_above ? &next->rb : NULL,
		      vma_augment);
	if (next_below)
		rb_propagate_full(&next->rb, vma_augment);
	if (mm->vma_cache == vma)
		mm->vma_cache = NULL;
	mm->gap_hint_valid = false;
	anchor_check(mm, vma, vma->vm_end);
	vma->prev = vma->next = NULL;
	mm->map_count--;
}

void vma_set_range(struct mm *mm, struct vma *vma, unsigned long start,
		   unsigned long end, unsigned long pgoff)
{
	mm->gap_hint_valid = false;
	anchor_check(mm, vma, end > vma->vm_end ? end : vma->vm_end);
	if (start > vma->vm_start)
		free_area_gap_grew(mm, vma);
	if (end < vma->vm_end)
		free_area_gap_grew(mm, vma->next);
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
	vma_set_gap(vma);
	rb_propagate(&vma->rb, vma_augment);
	if (vma->next) {
		vma_set_gap(vma->next);
		rb_propagate(&vma->next->rb, vma_augment);
	}
}

/* ---- free-area search ------------------------------------------------------
 * A gap is the free range below a VMA, [gap_start(v), v->vm_start), plus the
 * tail above the last VMA.  Searches look at gaps clipped to [low, high).
 */

struct gap {
	unsigned long start, end;
	struct vma *above;   /* the VMA just above the gap; NULL for the tail */
};

static bool gap_fits(unsigned long s, unsigned long e, unsigned long low,
		     unsigned long high, unsigned long len, struct gap *out)
{
	if (s < low)
		s = low;
	if (e > high)
		e = high;
	if (e <= s || e - s < len)
		return false;
	out->start = s;
	out->end = e;
	return true;
}

/*
 * The highest gap that fits, found by walking down the tree guided by
 * subtree_gap, without recursion: go right while the right subtree may hold
 * a fitting gap, else try the node's own gap, else go left; when a subtree
 * is exhausted climb back up, and at a parent reached from its right child
 * try the parent's own gap and then its left subtree.  Prunes by address:
 * gaps right of v start at or above v->vm_end, gaps left of v end at or
 * below gap_start(v).  Caller guarantees high - low >= len.
 */
static bool gap_search_rev(struct rb_node *n, bool descend, unsigned long low,
			   unsigned long high, unsigned long len, struct gap *out)
{
	for (;;) {
		struct vma *v = rb_vma(n);

		if (descend && n->right && rb_vma(n->right)->subtree_gap >= len &&
		    v->vm_end <= high - len) {
			n = n->right;
			continue;
		}
		if (v->gap >= len &&
		    gap_fits(gap_start(v), v->vm_start, low, high, len, out)) {
			out->above = v;
			return true;
		}
		if (n->left && rb_vma(n->left)->subtree_gap >= len &&
		    gap_start(v) >= low + len) {
			n = n->left;
			descend = true;
			continue;
		}
		/* Climb to the first ancestor entered from its right child. */
		for (;;) {
			struct rb_node *p = rb_parent(n);

			if (!p)
				return false;
			if (p->right == n) {
				n = p;
				break;
			}
			n = p;
		}
		descend = false;   /* its right side is done: own gap, then left */
	}
}

/* The lowest gap that fits: the mirror image of gap_search_rev. */
static bool gap_search(struct rb_node *n, unsigned long low, unsigned long high,
		       unsigned long len, struct gap *out)
{
	bool descend = true;

	if (!n || rb_vma(n)->subtree_gap < len)
		return false;
	for (;;) {
		struct vma *v = rb_vma(n);

		if (descend && n->left && rb_vma(n->left)->subtree_gap >= len &&
		    gap_start(v) >= low + len) {
			n = n->left;
			continue;
		}
		if (v->gap >= len &&
		    gap_fits(gap_start(v), v->vm_start, low, high, len, out)) {
			out->above = v;
			return true;
		}
		if (n->right && rb_vma(n->right)->subtree_gap >= len &&
		    v->vm_end <= high - len) {
			n = n->right;
			descend = true;
			continue;
		}
		for (;;) {
			struct rb_node *p = rb_parent(n);

			if (!p)
				return false;
			if (p->left == n) {
				n = p;
				break;
			}
			n = p;
		}
		descend = false;
	}
}

static bool tail_gap_fits(struct mm *mm, unsigned long low, unsigned long high,
			  unsigned long len, struct gap *out)
{
	unsigned long s = mm->vma_last ? mm->vma_last->vm_end : 0;

	out->above = NULL;
	return gap_fits(s, ~0UL, low, high, len, out);
}

/*
 * Where a top-down search for gaps below @high starts: the first VMA that
 * reaches @high (every gap after it lies above).  Walking backwards from
 * there, as the maple tree does, skips the gaps above high (the one below
 * [stack] among them) that a search from the root would chase first.
 * Cached; vma_link_at, vma_unlink and vma_set_range drop the cache when a
 * change could move it.
 */
static struct vma *topdown_anchor(struct mm *mm, unsigned long high)
{
	if (!mm->anchor_valid || mm->anchor_high != high) {
		mm->anchor = find_vma(mm, high - 1);
		mm->anchor_high = high;
		mm->anchor_valid = true;
	}
	return mm->anchor ? mm->anchor : mm->vma_last;
}

static void anchor_check(struct mm *mm, const struct vma *v, unsigned long end)
{
	if (mm->anchor_valid && (v == mm->anchor || end >= mm->anchor_high))
		mm->anchor_valid = false;
}

/*
 * The free-area cache, after the kernel's old free_area_cache: a top-down
 * search below @high that found its gap under VMA G has seen every gap above
 * G come out shorter than the length asked for.  So the next search below
 * the same @high for something longer can start at G instead of at the top
 * anchor: a program that maps page after page, or maps and unmaps one, gets
 * its gap at once instead of climbing and descending the whole tree.
 *
 * The claim kept: no VMA above free_area_vma has a gap (clipped to
 * free_area_high) longer than free_area_hole.  Gaps only grow when a VMA is
 * unlinked or shrinks; then free_area_vma moves up to the VMA whose gap
 * grew, which keeps the claim true for everything above it.
 */
static void free_area_gap_grew(struct mm *mm, struct vma *w)
{
	if (mm->free_area_valid && w && w->vm_start > mm->free_area_vma->vm_start)
		mm->free_area_vma = w;
}

static void free_area_unlinking(struct mm *mm, struct vma *vma)
{
	if (!mm->free_area_valid)
		return;
	if (mm->free_area_vma == vma) {
		/* Its successor's gap now holds its own: start there (or, for
		 * the last VMA, at its predecessor, with nothing above). */
		mm->free_area_vma = vma->next ? vma->next : vma->prev;
		mm->free_area_valid = mm->free_area_vma != NULL;
	} else {
		free_area_gap_grew(mm, vma->next);
	}
}

static bool find_gap_topdown(struct mm *mm, unsigned long low,
			     unsigned long high, unsigned long len,
			     struct gap *out)
{
	bool cached = mm->free_area_valid && mm->free_area_high == high &&
		      len > mm->free_area_hole;
	struct vma *start;

	if (tail_gap_fits(mm, low, high, len, out))
		return true;
	start = cached ? mm->free_area_vma : topdown_anchor(mm, high);
	if (!start || !gap_search_rev(&start->rb, false, low, high, len, out))
		return false;
	/* Every gap above out->above was shorter than len (or, above the old
	 * cached VMA, than the old bound, which is smaller). */
	if (!cached || out->above != start) {
		mm->free_area_vma = out->above;
		mm->free_area_high = high;
		mm->free_area_hole = len - 1;
		mm->free_area_valid = true;
	}
	return true;
}

static bool find_gap(struct mm *mm, bool topdown, unsigned long low,
		     unsigned long high, unsigned long len, struct gap *out)
{
	if (high < low || high - low < len)
		return false;
	if (topdown)
		return find_gap_topdown(mm, low, high, len, out);
	return gap_search(mm->vma_tree.node, low, high, len, out) ||
	       tail_gap_fits(mm, low, high, len, out);
}

/* The bytes to look for (the length, alignment slack and start gap) and
 * the window, never below mmap_min_addr; -ENOMEM if the length overflows. */
static int search_limits(struct mm *mm, const struct unmapped_area_info *info,
			 unsigned long *length, unsigned long *low,
			 unsigned long *high)
{
	*length = info->length + info->align_mask + info->start_gap;
	*low = info->low_limit > mm->sysctl->hint_min_addr ? info->low_limit :
	       mm->sysctl->hint_min_addr;
	*high = info->high_limit;
	return *length < info->length ? -ENOMEM : 0;
}

/* The address chosen lies in a gap below @above: find_vma can say so. */
static unsigned long remember_gap(struct mm *mm, unsigned long addr,
				  struct vma *above)
{
	mm->gap_hint_addr = addr;
	mm->gap_hint_above = above;
	mm->gap_hint_valid = true;
	return addr;
}

static unsigned long unmapped_area_topdown(struct mm *mm,
					   const struct unmapped_area_info *info)
{
	unsigned long length, low, high, addr;
	struct gap g;
	struct vma *next, *prev;

	if (search_limits(mm, info, &length, &low, &high))
		return (unsigned long)-ENOMEM;
	for (;;) {
		if (!find_gap(mm, true, low, high, length, &g))
			return (unsigned long)-ENOMEM;
		addr = g.end - info->length;
		addr -= (addr - info->align_offset) & info->align_mask;
		next = g.above;
		if (next && (next->vm_flags & VM_STARTGAP_FLAGS)) {
			/* Keep the stack guard gap free: search below it. */
			if (vm_start_gap(next) <= g.end - 1) {
				high = vm_start_gap(next);
				continue;
			}
		} else {
			prev = next ? next->prev : mm->vma_last;
			if (prev && prev->vm_end > addr) {
				high = prev->vm_start;
				continue;
			}
		}
		return remember_gap(mm, addr, g.above);
	}
}

static unsigned long unmapped_area(struct mm *mm,
				   const struct unmapped_area_info *info)
{
	unsigned long length, low, high, addr;
	struct gap g;
	struct vma *next, *prev;

	if (search_limits(mm, info, &length, &low, &high))
		return (unsigned long)-ENOMEM;
	for (;;) {
		if (!find_gap(mm, false, low, high, length, &g))
			return (unsigned long)-ENOMEM;
		addr = g.start + info->start_gap;
		addr += (info->align_offset - addr) & info->align_mask;
		next = g.above;
		if (next && (next->vm_flags & VM_STARTGAP_FLAGS)) {
			if (vm_start_gap(next) < addr + length - 1) {
				low = next->vm_end;
				continue;
			}
		} else {
			prev = next ? next->prev : mm->vma_last;
			if (prev && prev->vm_end > addr) {
				low = prev->vm_end;
				continue;
			}
		}
		return remember_gap(mm, addr, g.above);
	}
}

unsigned long vm_unmapped_area(struct mm *mm, const struct unmapped_area_info *info)
{
	return info->topdown ? unmapped_area_topdown(mm, info)
			     : unmapped_area(mm, info);
}

/* ---- split ------------------------------------------------------------------
 *
 *   new_below = 1:  [ new  |  vma      ]      new_below = 0:  [ vma | new ]
 *                         addr                                     addr
 */
int __split_vma(struct mm *mm, struct vma *vma, unsigned long addr, int new_below)
{
	unsigned long delta = (addr - vma->vm_start) >> PAGE_SHIFT;
	struct vma *new;

	if (vma->special)   /* [vvar], [vdso]: their may_split refuses */
		return -EINVAL;
	new = vma_dup(mm, vma);
	if (!new)
		return -ENOMEM;
	if (new_below) {
		new->vm_end = addr;
		vma_set_range(mm, vma, addr, vma->vm_end, vma->vm_pgoff + delta);
	} else {
		new->vm_start = addr;
		new->vm_pgoff += delta;
		vma_set_range(mm, vma, vma->vm_start, addr, vma->vm_pgoff);
	}
	if (new_below)
		vma_link_at(mm, new, vma->prev, vma);
	else
		vma_link_at(mm, new, vma, vma->next);
	return 0;
}

int split_vma(struct mm *mm, struct vma *vma, unsigned long addr, int new_below)
{
	if (mm->map_count >= mm->sysctl->max_map_count)
		return -ENOMEM;
	return __split_vma(mm, vma, addr, new_below);
}

/* ---- merge ----------------------------------------------------------------- */

/* Flags, file (the same open file), userfaultfd and name must match. */
static bool is_mergeable_vma(const struct vma *v, const struct vma_merge *vmg)
{
	if ((v->vm_flags ^ vmg->flags) & ~VM_IGNORE_MERGE)
		return false;
	if (v->vm_file != vmg->file)
		return false;
	if (v->special)
		return false;
	return true;
}

/* anon_vmas are compatible when equal, or when one side has none and the
 * other was not made by fork (a child's VMA keeps its parent's anon_vma on
 * its chain, and Linux merges none of those with anon_vma-less memory:
 * vma_had_uncowed_parents). */
static bool anon_vmas_compatible(const struct anon_vma *a, const struct anon_vma *b)
{
	return a == b || (!a && !b->forked) || (!b && !a->forked);
}

static bool can_merge_before_next(const struct vma_merge *vmg)
{
	const struct vma *next = vmg->next;
	unsigned long pglen = (vmg->end - vmg->start) >> PAGE_SHIFT;

	return is_mergeable_vma(next, vmg) &&
	       anon_vmas_compatible(vmg->anon_vma, next->anon_vma) &&
	       next->vm_pgoff == vmg->pgoff + pglen;
}

static bool can_merge_after_prev(const struct vma_merge *vmg)
{
	const struct vma *prev = vmg->prev;

	return is_mergeable_vma(prev, vmg) &&
	       anon_vmas_compatible(vmg->anon_vma, prev->anon_vma) &&
	       prev->vm_pgoff + vma_pages(prev) == vmg->pgoff;
}

static bool can_merge_left(const struct vma_merge *vmg)
{
	return vmg->prev && vmg->prev->vm_end == vmg->start &&
	       can_merge_after_prev(vmg);
}

static bool can_merge_right(const struct vma_merge *vmg, bool left)
{
	if (!vmg->next || vmg->end != vmg->next->vm_start ||
	    !can_merge_before_next(vmg))
		return false;
	/* Merging all three also needs prev and next to agree. */
	return !left || anon_vmas_compatible(vmg->prev->anon_vma,
					     vmg->next->anon_vma);
}

/* @dst absorbs @src's range: it must carry src's anonymous memory. */
static void take_anon_vma(struct vma *dst, struct anon_vma *src)
{
	if (!dst->anon_vma && src) {
		dst->anon_vma = src;
		anon_vma_get(src);
	}
}

/* @dst absorbs a range whose flags were @flags: it keeps their sticky ones. */
static void take_sticky(struct vma *dst, unsigned long flags)
{
	dst->vm_flags |= flags & VM_STICKY;
}

static void vma_remove(struct mm *mm, struct vma *v)
{
	vma_unlink(mm, v);
	vma_free(mm, v);
}

struct vma *vma_merge_new_range(struct vma_merge *vmg)
{
	struct mm *mm = vmg->mm;
	struct vma *prev = vmg->prev, *next = vmg->next;
	unsigned long pglen = (vmg->end - vmg->start) >> PAGE_SHIFT;
	bool left, right;

	if ((vmg->flags & VM_SPECIAL) || (!prev && !next))
		return NULL;
	left = can_merge_left(vmg);
	right = can_merge_right(vmg, left);
	if (left && right) {
		/*   prev  [new]  next   =>   prev--------------   */
		unsigned long end = next->vm_end;

		take_anon_vma(prev, next->anon_vma);
		take_anon_vma(prev, vmg->anon_vma);
		take_sticky(prev, vmg->flags | next->vm_flags);
		vma_remove(mm, next);
		vma_set_range(mm, prev, prev->vm_start, end, prev->vm_pgoff);
		return prev;
	}
	if (left) {
		take_anon_vma(prev, vmg->anon_vma);
		take_sticky(prev, vmg->flags);
		vma_set_range(mm, prev, prev->vm_start, vmg->end, prev->vm_pgoff);
		return prev;
	}
	if (right) {
		take_anon_vma(next, vmg->anon_vma);
		take_sticky(next, vmg->flags);
		vma_set_range(mm, next, vmg->start, next->vm_end,
			      next->vm_pgoff - pglen);
		return next;
	}
	return NULL;
}

/*
 * Attributes of [start, end) inside @vma change: fold the range into a
 * neighbour when it now matches one.  Only a range touching an end of @vma
 * can merge:
 *
 *   merge both:   prev [vma] next   =>  prev absorbs vma and next
 *   merge left:   prev [va]ma       =>  prev grows, vma shrinks (or goes)
 *   merge right:  vm[a] next        =>  next grows down, vma shrinks (or goes)
 */
static struct vma *vma_merge_existing_range(struct vma_merge *vmg)
{
	struct mm *mm = vmg->mm;
	struct vma *vma = vmg->vma, *prev = vma->prev, *next = vma->next;
	bool left_side = vmg->start == vma->vm_start;
	bool right_side = vmg->end == vma->vm_end;
	unsigned long pglen = (vmg->end - vmg->start) >> PAGE_SHIFT;
	bool left = false, right = false;

	if ((vmg->flags & VM_SPECIAL) || vma->special || (!left_side && !right_side))
		return NULL;
	vmg->prev = prev;
	vmg->next = next;
	if (left_side)
		left = can_merge_left(vmg);
	if (right_side)
		right = can_merge_right(vmg, left);
	if (left && right) {
		unsigned long end = next->vm_end;

		take_anon_vma(prev, next->anon_vma ? next->anon_vma : vma->anon_vma);
		take_sticky(prev, vmg->flags | vma->vm_flags | next->vm_flags);
		vma_remove(mm, vma);
		vma_remove(mm, next);
		vma_set_range(mm, prev, prev->vm_start, end, prev->vm_pgoff);
		return prev;
	}
	if (left) {
		take_anon_vma(prev, vma->anon_vma);
		take_sticky(prev, vmg->flags | vma->vm_flags);
		if (right_side)
			vma_remove(mm, vma);
		else
			vma_set_range(mm, vma, vmg->end, vma->vm_end,
				      vma->vm_pgoff + pglen);
		vma_set_range(mm, prev, prev->vm_start, vmg->end, prev->vm_pgoff);
		return prev;
	}
	if (right) {
		unsigned long start = vmg->start;

		take_anon_vma(next, vma->anon_vma);
		take_sticky(next, vmg->flags | vma->vm_flags);
		if (left_side)
			vma_remove(mm, vma);
		else
			vma_set_range(mm, vma, vma->vm_start, start, vma->vm_pgoff);
		vma_set_range(mm, next, start, next->vm_end, next->vm_pgoff - pglen);
		return next;
	}
	return NULL;
}

int vma_modify_flags(struct mm *mm, struct vma *vma, unsigned long start,
		     unsigned long end, unsigned long *new_flags, struct vma **out)
{
	struct vma_merge vmg = {
		.mm = mm, .vma = vma, .start = start, .end = end,
		.pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT),
		.flags = *new_flags, .file = vma->vm_file, .anon_vma = vma->anon_vma,
	};
	struct vma *merged = vma_merge_existing_range(&vmg);
	int err;

	if (merged) {
		*new_flags |= merged->vm_flags & VM_STICKY;
		*out = merged;
		return 0;
	}
	if (vma->vm_start < start) {
		err = split_vma(mm, vma, start, 1);
		if (err)
			return err;
	}
	if (vma->vm_end > end) {
		err = split_vma(mm, vma, end, 0);
		if (err)
			return err;
	}
	*out = vma;
	return 0;
}

/* ---- anon_vma (Linux's mm/rmap.c) ---------------------------------------- */

/* Could @a and @b (a just below b) share anonymous memory identity?  The
 * flags may differ only in what mprotect changes. */
static bool anon_vma_shareable(const struct vma *a, const struct vma *b)
{
	return a->vm_end == b->vm_start && a->vm_file == b->vm_file &&
	       !((a->vm_flags ^ b->vm_flags) & ~(VM_ACCESS_FLAGS | VM_IGNORE_MERGE)) &&
	       b->vm_pgoff == a->vm_pgoff + vma_pages(a);
}

int anon_vma_prepare(struct mm *mm, struct vma *vma)
{
	struct anon_vma *av = NULL;

	if (vma->anon_vma)
		return 0;
	/* Reuse a neighbour's, next first, so a later mprotect can re-merge. */
	if (vma->next && vma->next->anon_vma && !vma->next->anon_vma->forked &&
	    anon_vma_shareable(vma, vma->next))
		av = vma->next->anon_vma;
	else if (vma->prev && vma->prev->anon_vma && !vma->prev->anon_vma->forked &&
		 anon_vma_shareable(vma->prev, vma))
		av = vma->prev->anon_vma;
	if (!av) {
		av = um_alloc(sizeof(*av));
		if (!av)
			return -ENOMEM;
		av->id = ++mm->next_anon_vma_id;
	}
	av->refs++;
	vma->anon_vma = av;
	return 0;
}

/* ---- accounting (mm/internal.h) ------------------------------------------ */

bool is_exec_mapping(unsigned long flags)
{
	return (flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC;
}

bool is_stack_mapping(unsigned long flags)
{
	return (flags & VM_STACK) == VM_STACK;
}

bool is_data_mapping(unsigned long flags)
{
	return (flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE;
}

void vm_stat_account(struct mm *mm, unsigned long flags, long npages)
{
	if (npages < 0)
		mm_update_hiwater_vm(mm);   /* VmPeak keeps what is given up */
	mm->total_vm += npages;
	if (is_exec_mapping(flags))
		mm->exec_vm += npages;
	else if (is_stack_mapping(flags))
		mm->stack_vm += npages;
	else if (is_data_mapping(flags))
		mm->data_vm += npages;
}

/* ---- the validator --------------------------------------------------------- */

#define BAD(...) do { fprintf(stderr, "mm_validate: " __VA_ARGS__); \
		      fputc('\n', stderr); return -EUCLEAN; } while (0)

static int validate_vma(const struct vma *v, const struct vma *prev)
{
	unsigned long max;

	if (v->vm_start >= v->vm_end || offset_in_page(v->vm_start | v->vm_end))
		BAD("bad range %lx-%lx", v->vm_start, v->vm_end);
	if (v->prev != prev)
		BAD("list prev of %lx is wrong", v->vm_start);
	if (prev && prev->vm_end > v->vm_start)
		BAD("%lx-%lx overlaps %lx-%lx", prev->vm_start, prev->vm_end,
		    v->vm_start, v->vm_end);
	if (v->gap != v->vm_start - (prev ? prev->vm_end : 0))
		BAD("own gap of %lx is %lx", v->vm_start, v->gap);
	max = v->gap;
	if (v->rb.left && rb_vma(v->rb.left)->subtree_gap > max)
		max = rb_vma(v->rb.left)->subtree_gap;
	if (v->rb.right && rb_vma(v->rb.right)->subtree_gap > max)
		max = rb_vma(v->rb.right)->subtree_gap;
	if (v->subtree_gap != max)
		BAD("subtree_gap of %lx is %lx, should be %lx", v->vm_start,
		    v->subtree_gap, max);
	if (v->vm_file && v->vm_file->refs <= 0)
		BAD("file of %lx has no references", v->vm_start);
	if (v->anon_vma && v->anon_vma->refs <= 0)
		BAD("anon_vma of %lx has no references", v->vm_start);
	return 0;
}

/* Two neighbours Linux would have merged? */
static bool should_have_merged(const struct mm *mm, const struct vma *a,
			       const struct vma *b)
{
	/* brk never merges the heap with what ends where it starts. */
	if (a->vm_end == mm->start_brk)
		return false;
	if (a->vm_end != b->vm_start || a->special || b->special ||
	    (a->vm_flags & VM_SPECIAL))
		return false;
	return !((a->vm_flags ^ b->vm_flags) & ~VM_IGNORE_MERGE) &&
	       a->vm_file == b->vm_file && a->anon_vma == b->anon_vma &&
	       a->vm_pgoff + vma_pages(a) == b->vm_pgoff;
}

int mm_validate(struct mm *mm)
{
	struct rb_node *n = rb_first(&mm->vma_tree);
	const struct vma *v, *prev = NULL;
	unsigned long count = 0, total = 0;

	if (rb_check(&mm->vma_tree) < 0)
		BAD("red-black rules broken");
	for (v = mm->vma_first; v; prev = v, v = v->next, count++) {
		if (!n || rb_vma(n) != v)
			BAD("tree order differs from list at %lx", v->vm_start);
		if (validate_vma(v, prev))
			return -EUCLEAN;
		if (prev && !mm->allow_unmerged && should_have_merged(mm, prev, v))
			BAD("%lx-%lx and %lx-%lx should have merged", prev->vm_start,
			    prev->vm_end, v->vm_start, v->vm_end);
		total += vma_pages(v);
		n = rb_next(n);
	}
	if (n)
		BAD("tree has more VMAs than the list");
	if (mm->vma_last != prev)
		BAD("vma_last is wrong");
	if (count != mm->map_count)
		BAD("map_count %lu, but %lu VMAs", mm->map_count, count);
	if (total != mm->total_vm)
		BAD("total_vm %lu, but VMAs hold %lu pages", mm->total_vm, total);
	if (mm->anchor_valid) {
		for (v = mm->vma_first; v && v->vm_end < mm->anchor_high; v = v->next)
			;
		if (v != mm->anchor)
			BAD("search anchor for %lx is stale", mm->anchor_high);
	}
	if (mm->free_area_valid) {
		for (v = mm->vma_first; v && v != mm->free_area_vma; v = v->next)
			;
		if (!v)
			BAD("free-area cache points at an unlinked VMA");
		for (v = v->next; v && gap_start(v) < mm->free_area_high; v = v->next) {
			unsigned long e = v->vm_start < mm->free_area_high ?
					  v->vm_start : mm->free_area_high;

			if (e - gap_start(v) > mm->free_area_hole)
				BAD("free-area cache: gap of %#lx bytes below %#lx "
				    "exceeds the bound %#lx", e - gap_start(v),
				    v->vm_start, mm->free_area_hole);
		}
	}
	if (mm->gap_hint_valid && find_vma_uncached(mm, mm->gap_hint_addr) !=
				  mm->gap_hint_above)
		BAD("gap hint for %lx is stale", mm->gap_hint_addr);
	if (mm->vma_cache) {
		for (v = mm->vma_first; v && v != mm->vma_cache; v = v->next)
			;
		if (!v)
			BAD("vma_cache points at an unlinked VMA");
	}
	return 0;
}
