/*
 * rbtree.h — an intrusive red-black tree with an augmentation hook.
 *
 * The node lives inside the caller's structure (container_of).  Callers walk
 * the tree themselves to find the insertion point, link the node with
 * rb_link_node() and then call rb_insert(); rb_erase() removes a node.
 *
 * Augmentation: every node may carry a value computed from itself and its two
 * children (for VMAs: the largest free gap in the subtree).  The caller
 * passes a callback that recomputes one node's value from its children; the
 * tree calls it for every node whose subtree changes (the two nodes of each
 * rotation, and the path to the root after a link or an erase).  It returns
 * whether the node's value changed: above a node whose value did not
 * change nothing needs recomputing, so rb_insert and rb_propagate stop
 * there.  rb_propagate() re-runs it from a node towards the root after the
 * caller changed that node's own contribution in place; it is exact only
 * when every other node was consistent before the change.
 */
#ifndef USERMM_RBTREE_H
#define USERMM_RBTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rb_node {
	uintptr_t parent_color; /* parent pointer | colour in bit 0 (1 = black) */
	struct rb_node *left, *right;
};

struct rb_root {
	struct rb_node *node;
};

typedef bool (*rb_augment_fn)(struct rb_node *node);

#define rb_entry(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

static inline struct rb_node *rb_parent(const struct rb_node *n)
{
	return (struct rb_node *)(n->parent_color & ~(uintptr_t)3);
}

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->parent_color = (uintptr_t)parent; /* red */
	node->left = node->right = NULL;
	*link = node;
}

void rb_insert(struct rb_root *root, struct rb_node *node, rb_augment_fn aug);
void rb_erase(struct rb_root *root, struct rb_node *node, rb_augment_fn aug);
void rb_propagate(struct rb_node *node, rb_augment_fn aug);
/* Recompute every node from @node to the root, without stopping early. */
void rb_propagate_full(struct rb_node *node, rb_augment_fn aug);

/* The same, when the caller also changed the own value of @also, an
 * ancestor of the inserted node (or of the erased node's position): it is
 * recomputed in the same walk instead of a separate one.  NULL = none. */
void rb_insert_also(struct rb_root *root, struct rb_node *node,
		    struct rb_node *also, rb_augment_fn aug);
void rb_erase_also(struct rb_root *root, struct rb_node *node,
		   struct rb_node *also, rb_augment_fn aug);

struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);

/* For the validator: black height of the tree, or -1 if a rule is broken. */
int rb_check(const struct rb_root *root);

#endif
