/*
 * rbtree.c — red-black tree balancing (see rbtree.h for the interface).
 *
 * Invariants (checked by rb_check):
 *   1. the root is black;
 *   2. a red node has no red child;
 *   3. every path from a node down to a missing child crosses the same
 *      number of black nodes;
 *   4. each child's parent pointer names its parent.
 * Together they bound the height by 2*log2(n+1), which is what keeps
 * find_vma and the free-area search logarithmic.
 *
 * Augmented values stay exact because every structural change recomputes the
 * nodes it touches bottom-up: a rotation recomputes the node that went down,
 * then the one that came up; linking and erasing recompute the path from the
 * lowest changed node up before rebalancing starts.  Linking a leaf only
 * adds to its ancestors' subtrees, so that walk stops at the first ancestor
 * whose value is unchanged; erasing moves the successor up the tree, so
 * that walk always goes to the root.
 */
#include "rbtree.h"

enum { RB_RED = 0, RB_BLACK = 1 };

static int rb_is_black(const struct rb_node *n)
{
	return !n || (n->parent_color & 1);
}

static int rb_is_red(const struct rb_node *n)
{
	return !rb_is_black(n);
}

static void rb_set_parent(struct rb_node *n, struct rb_node *p)
{
	n->parent_color = (uintptr_t)p | (n->parent_color & 1);
}

static void rb_set_color(struct rb_node *n, int color)
{
	n->parent_color = (n->parent_color & ~(uintptr_t)1) | (uintptr_t)color;
}

static int rb_color(const struct rb_node *n)
{
	return (int)(n->parent_color & 1);
}

/* Make the parent of @old point at @new instead (or the root). */
static void rb_replace_child(struct rb_root *root, struct rb_node *parent,
			     struct rb_node *old, struct rb_node *new)
{
	if (!parent)
		root->node = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
}

static void rb_augment(struct rb_node *n, rb_augment_fn aug)
{
	if (aug)
		(void)aug(n);
}

/*
 *     x                y
 *    / \              / \
 *   a   y     =>     x   c
 *      / \          / \
 *     b   c        a   b
 */
static void rb_rotate_left(struct rb_root *root, struct rb_node *x,
			   rb_augment_fn aug)
{
	struct rb_node *y = x->right, *p = rb_parent(x);

	x->right = y->left;
	if (y->left)
		rb_set_parent(y->left, x);
	rb_set_parent(y, p);
	rb_replace_child(root, p, x, y);
	y->left = x;
	rb_set_parent(x, y);
	rb_augment(x, aug);
	rb_augment(y, aug);
}

/* The mirror image of rb_rotate_left. */
static void rb_rotate_right(struct rb_root *root, struct rb_node *x,
			    rb_augment_fn aug)
{
	struct rb_node *y = x->left, *p = rb_parent(x);

	x->left = y->right;
	if (y->right)
		rb_set_parent(y->right, x);
	rb_set_parent(y, p);
	rb_replace_child(root, p, x, y);
	y->right = x;
	rb_set_parent(x, y);
	rb_augment(x, aug);
	rb_augment(y, aug);
}

void rb_propagate(struct rb_node *node, rb_augment_fn aug)
{
	for (; node && aug; node = rb_parent(node))
		if (!aug(node))
			break;
}

void rb_propagate_full(struct rb_node *node, rb_augment_fn aug)
{
	for (; node && aug; node = rb_parent(node))
		(void)aug(node);
}

/* Recompute from @n towards the root: unconditionally up to and including
 * @through (an ancestor of @n, or NULL), then until a value stays the same. */
static void rb_propagate_through(struct rb_node *n, struct rb_node *through,
				 rb_augment_fn aug)
{
	bool forced = through != NULL;

	for (; n && aug; n = rb_parent(n)) {
		bool changed = aug(n);

		if (n == through)
			forced = false;
		if (!changed && !forced)
			break;
	}
}

void rb_insert(struct rb_root *root, struct rb_node *z, rb_augment_fn aug)
{
	rb_insert_also(root, z, NULL, aug);
}

void rb_insert_also(struct rb_root *root, struct rb_node *z,
		    struct rb_node *also, rb_augment_fn aug)
{
	struct rb_node *p, *g, *u;

	/* The new leaf has no old value to compare with: it is always
	 * computed, and so is everything up to @also. */
	rb_propagate_through(z, also ? also : z, aug);
	while ((p = rb_parent(z)) && rb_is_red(p)) {
		g = rb_parent(p); /* exists: a red node is never the root */
		u = (p == g->left) ? g->right : g->left;
		if (rb_is_red(u)) { /* recolour and move the problem up */
			rb_set_color(p, RB_BLACK);
			rb_set_color(u, RB_BLACK);
			rb_set_color(g, RB_RED);
			z = g;
			continue;
		}
		if (p == g->left) {
			if (z == p->right) {
				rb_rotate_left(root, p, aug);
				z = p;
				p = rb_parent(z);
			}
			rb_set_color(p, RB_BLACK);
			rb_set_color(g, RB_RED);
			rb_rotate_right(root, g, aug);
		} else {
			if (z == p->left) {
				rb_rotate_right(root, p, aug);
				z = p;
				p = rb_parent(z);
			}
			rb_set_color(p, RB_BLACK);
			rb_set_color(g, RB_RED);
			rb_rotate_left(root, g, aug);
		}
	}
	rb_set_color(root->node, RB_BLACK);
}

/* Put @v (possibly NULL) where @u was. */
static void rb_transplant(struct rb_root *root, struct rb_node *u,
			  struct rb_node *v)
{
	struct rb_node *p = rb_parent(u);

	rb_replace_child(root, p, u, v);
	if (v)
		rb_set_parent(v, p);
}

/* @x (maybe NULL) under @xp carries an extra black; push it up or absorb it. */
static void rb_erase_fixup(struct rb_root *root, struct rb_node *x,
			   struct rb_node *xp, rb_augment_fn aug)
{
	struct rb_node *w;

	while (x != root->node && rb_is_black(x)) {
		if (x == xp->left) {
			w = xp->right;
			if (rb_is_red(w)) {
				rb_set_color(w, RB_BLACK);
				rb_set_color(xp, RB_RED);
				rb_rotate_left(root, xp, aug);
				w = xp->right;
			}
			if (rb_is_black(w->left) && rb_is_black(w->right)) {
				rb_set_color(w, RB_RED);
				x = xp;
				xp = rb_parent(x);
				continue;
			}
			if (rb_is_black(w->right)) {
				rb_set_color(w->left, RB_BLACK);
				rb_set_color(w, RB_RED);
				rb_rotate_right(root, w, aug);
				w = xp->right;
			}
			rb_set_color(w, rb_color(xp));
			rb_set_color(xp, RB_BLACK);
			rb_set_color(w->right, RB_BLACK);
			rb_rotate_left(root, xp, aug);
		} else {
			w = xp->left;
			if (rb_is_red(w)) {
				rb_set_color(w, RB_BLACK);
				rb_set_color(xp, RB_RED);
				rb_rotate_right(root, xp, aug);
				w = xp->left;
			}
			if (rb_is_black(w->left) && rb_is_black(w->right)) {
				rb_set_color(w, RB_RED);
				x = xp;
				xp = rb_parent(x);
				continue;
			}
			if (rb_is_black(w->left)) {
				rb_set_color(w->right, RB_BLACK);
				rb_set_color(w, RB_RED);
				rb_rotate_left(root, w, aug);
				w = xp->left;
			}
			rb_set_color(w, rb_color(xp));
			rb_set_color(xp, RB_BLACK);
			rb_set_color(w->left, RB_BLACK);
			rb_rotate_right(root, xp, aug);
		}
		x = root->node;
		break;
	}
	if (x)
		rb_set_color(x, RB_BLACK);
}

void rb_erase(struct rb_root *root, struct rb_node *z, rb_augment_fn aug)
{
	rb_erase_also(root, z, NULL, aug);
}

void rb_erase_also(struct rb_root *root, struct rb_node *z,
		   struct rb_node *also, rb_augment_fn aug)
{
	struct rb_node *x, *xp, *y = NULL;
	int removed_color = rb_color(z);

	if (!z->left || !z->right) {
		x = z->left ? z->left : z->right;
		xp = rb_parent(z);
		rb_transplant(root, z, x);
	} else {
		/* Two children: the successor y takes z's place and colour. */
		for (y = z->right; y->left; y = y->left)
			;
		removed_color = rb_color(y);
		x = y->right;
		if (rb_parent(y) == z) {
			xp = y;
		} else {
			xp = rb_parent(y);
			rb_transplant(root, y, y->right);
			y->right = z->right;
			rb_set_parent(y->right, y);
		}
		rb_transplant(root, z, y);
		y->left = z->left;
		rb_set_parent(y->left, y);
		rb_set_color(y, rb_color(z));
	}
	/* The successor y moved up into z's place: its stored value is from
	 * its old position, so the walk may only stop above it. */
	rb_propagate_through(xp, y ? y : also, aug);
	if (removed_color == RB_BLACK)
		rb_erase_fixup(root, x, xp, aug);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->node;

	while (n && n->left)
		n = n->left;
	return n;
}

struct rb_node *rb_next(const struct rb_node *n)
{
	struct rb_node *p;

	if (n->right) {
		for (n = n->right; n->left; n = n->left)
			;
		return (struct rb_node *)n;
	}
	while ((p = rb_parent(n)) && n == p->right)
		n = p;
	return p;
}

static int rb_check_node(const struct rb_node *n, const struct rb_node *parent)
{
	int lh, rh;

	if (!n)
		return 1;
	if (rb_parent(n) != parent)
		return -1;
	if (rb_is_red(n) && (rb_is_red(n->left) || rb_is_red(n->right)))
		return -1;
	lh = rb_check_node(n->left, n);
	rh = rb_check_node(n->right, n);
	if (lh < 0 || rh < 0 || lh != rh)
		return -1;
	return lh + rb_is_black(n);
}

int rb_check(const struct rb_root *root)
{
	if (root->node && rb_is_red(root->node))
		return -1;
	return rb_check_node(root->node, NULL);
}
