/*
 * test_rbtree.c — the intrusive augmented red-black tree (src/rbtree.h).
 *
 * The tree is driven by a seeded PRNG (splitmix64) through tens of thousands
 * of random inserts and erases, checked after every step against a plain
 * sorted array:
 *   - rb_check() accepts the colouring (root black, no red-red, equal black
 *     heights, parent pointers right);
 *   - an in-order walk with rb_first/rb_next visits exactly the array;
 *   - two augmented values, kept by the tree's callback, equal what a fresh
 *     recomputation gives: the subtree size and the subtree maximum of a
 *     per-node weight (the same shape as the VMA tree's largest-gap value);
 *   - the height stays within 2*log2(n+1).
 * rb_propagate() is exercised by changing a node's weight in place.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "rbtree.h"

struct item {
	struct rb_node rb;
	unsigned long key;
	unsigned long weight;
	unsigned long sub_max;   /* max weight in the subtree (augmented) */
	unsigned long sub_size;  /* nodes in the subtree (augmented) */
};

#define item_of(n) rb_entry(n, struct item, rb)

static uint64_t rng_state;

static uint64_t splitmix64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long rnd(unsigned long n)
{
	return (unsigned long)(splitmix64() % n);
}

static unsigned long augment_calls;

static bool item_augment(struct rb_node *n)
{
	struct item *it = item_of(n);
	unsigned long max = it->weight, size = 1;

	augment_calls++;
	if (n->left) {
		if (item_of(n->left)->sub_max > max)
			max = item_of(n->left)->sub_max;
		size += item_of(n->left)->sub_size;
	}
	if (n->right) {
		if (item_of(n->right)->sub_max > max)
			max = item_of(n->right)->sub_max;
		size += item_of(n->right)->sub_size;
	}
	bool changed = it->sub_max != max || it->sub_size != size;

	it->sub_max = max;
	it->sub_size = size;
	return changed;
}

/* ---- the reference: a sorted array of keys --------------------------------- */

#define MAXN 4096

struct model {
	struct rb_root root;
	struct item *by_key[MAXN];  /* sorted by key */
	unsigned long n;
};

static long model_find(const struct model *m, unsigned long key)
{
	unsigned long lo = 0, hi = m->n;

	while (lo < hi) {
		unsigned long mid = (lo + hi) / 2;

		if (m->by_key[mid]->key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo;
}

static struct item *tree_insert(struct model *m, unsigned long key,
				unsigned long weight)
{
	struct rb_node **link = &m->root.node, *parent = NULL;
	struct item *it;
	long pos;

	while (*link) {
		struct item *cur = item_of(*link);

		parent = *link;
		if (key == cur->key)
			return NULL;
		link = key < cur->key ? &parent->left : &parent->right;
	}
	it = calloc(1, sizeof(*it));
	it->key = key;
	it->weight = weight;
	rb_link_node(&it->rb, parent, link);
	rb_insert(&m->root, &it->rb, item_augment);

	pos = model_find(m, key);
	memmove(&m->by_key[pos + 1], &m->by_key[pos],
		(m->n - (unsigned long)pos) * sizeof(m->by_key[0]));
	m->by_key[pos] = it;
	m->n++;
	return it;
}

static void tree_erase(struct model *m, unsigned long idx)
{
	struct item *it = m->by_key[idx];

	rb_erase(&m->root, &it->rb, item_augment);
	memmove(&m->by_key[idx], &m->by_key[idx + 1],
		(m->n - idx - 1) * sizeof(m->by_key[0]));
	m->n--;
	free(it);
}

static void tree_free(struct model *m)
{
	while (m->n)
		tree_erase(m, m->n - 1);
	CHECK(m->root.node == NULL);
}

/* ---- the checks ---------------------------------------------------------------- */

/* Recompute both augmented values from scratch; count mismatches. */
static unsigned long verify_augment(const struct rb_node *n, unsigned long *max,
				    unsigned long *size, int *height)
{
	unsigned long lmax = 0, lsize = 0, rmax = 0, rsize = 0, bad = 0;
	int lh = 0, rh = 0;
	const struct item *it;

	if (!n) {
		*max = 0;
		*size = 0;
		*height = 0;
		return 0;
	}
	it = item_of(n);
	bad += verify_augment(n->left, &lmax, &lsize, &lh);
	bad += verify_augment(n->right, &rmax, &rsize, &rh);
	*max = it->weight;
	if (lmax > *max)
		*max = lmax;
	if (rmax > *max)
		*max = rmax;
	*size = 1 + lsize + rsize;
	*height = 1 + (lh > rh ? lh : rh);
	if (it->sub_max != *max || it->sub_size != *size)
		bad++;
	/* BST order against the children */
	if (n->left && item_of(n->left)->key >= it->key)
		bad++;
	if (n->right && item_of(n->right)->key <= it->key)
		bad++;
	return bad;
}

static int ilog2_ceil(unsigned long x)
{
	int l = 0;

	while ((1UL << l) < x)
		l++;
	return l;
}

/* Everything at once; returns 0 when all is well (so loops can stop early). */
static int verify(struct model *m)
{
	unsigned long max, size, i = 0;
	int height, bh = rb_check(&m->root), bad = 0;
	struct rb_node *n;

	if (bh < 0) {
		CHECK(bh >= 0);
		return 1;
	}
	if (verify_augment(m->root.node, &max, &size, &height)) {
		CHECK(!"augmented values or order wrong");
		bad = 1;
	}
	if (size != m->n) {
		CHECK_EQ(size, m->n);
		bad = 1;
	}
	if (height > 2 * ilog2_ceil(m->n + 1)) {
		CHECK(height <= 2 * ilog2_ceil(m->n + 1));
		bad = 1;
	}
	for (n = rb_first(&m->root); n; n = rb_next(n), i++) {
		if (i >= m->n || item_of(n) != m->by_key[i]) {
			CHECK(!"in-order walk differs from the sorted array");
			return 1;
		}
	}
	if (i != m->n) {
		CHECK_EQ(i, m->n);
		bad = 1;
	}
	return bad;
}

/* ---- tests --------------------------------------------------------------------- */

TEST(empty_tree)
{
	struct rb_root root = { NULL };

	CHECK_EQ(rb_check(&root), 1);   /* black height of an empty tree */
	CHECK(rb_first(&root) == NULL);
}

TEST(single_node)
{
	static struct model m;
	struct item *it;

	memset(&m, 0, sizeof(m));
	it = tree_insert(&m, 42, 7);
	CHECK(it != NULL);
	CHECK(rb_first(&m.root) == &it->rb);
	CHECK(rb_next(&it->rb) == NULL);
	CHECK(rb_parent(&it->rb) == NULL);
	CHECK_EQ(rb_check(&m.root), 2);  /* one black node above the leaves */
	CHECK_EQ(it->sub_max, 7);
	CHECK_EQ(it->sub_size, 1);
	CHECK_EQ(verify(&m), 0);
	tree_free(&m);
}

/* Ascending and descending inserts are the classic rotation-heavy patterns. */
TEST(sequential_inserts_stay_balanced)
{
	static struct model m;

	memset(&m, 0, sizeof(m));
	for (unsigned long k = 0; k < 2000; k++) {
		tree_insert(&m, k, k % 97);
		if (verify(&m))
			break;
	}
	CHECK_EQ(m.n, 2000);
	CHECK_EQ(item_of(m.root.node)->sub_size, 2000);
	CHECK_EQ(item_of(m.root.node)->sub_max, 96);
	/* erase from the front: the left spine keeps rotating */
	while (m.n > 1000) {
		tree_erase(&m, 0);
		if (verify(&m))
			break;
	}
	tree_free(&m);

	memset(&m, 0, sizeof(m));
	for (unsigned long k = 2000; k > 0; k--) {
		tree_insert(&m, k, 1000 - k % 1000);
		if (verify(&m))
			break;
	}
	CHECK_EQ(m.n, 2000);
	/* erase from the back */
	while (m.n > 0) {
		tree_erase(&m, m.n - 1);
		if (verify(&m))
			break;
	}
	CHECK(m.root.node == NULL);
}

/* A duplicate key is refused by our insert walk: the tree is unchanged. */
TEST(duplicate_key_not_inserted)
{
	static struct model m;

	memset(&m, 0, sizeof(m));
	CHECK(tree_insert(&m, 5, 1) != NULL);
	CHECK(tree_insert(&m, 5, 2) == NULL);
	CHECK_EQ(m.n, 1);
	CHECK_EQ(verify(&m), 0);
	tree_free(&m);
}

/*
 * The main random test: 60000 operations, size kept around a few hundred
 * (inserts and erases biased by the current size), full check every step.
 */
TEST(random_insert_erase_against_sorted_array)
{
	static struct model m;
	unsigned long inserts = 0, erases = 0, max_n = 0;

	memset(&m, 0, sizeof(m));
	rng_state = 0x5eed1234abcdULL;
	for (int step = 0; step < 50000; step++) {
		unsigned long op = rnd(1000);
		/* insert more often while small, erase more often while large */
		bool do_insert = m.n == 0 || (m.n < MAXN - 1 && op >= m.n * 5 / 4);

		if (do_insert) {
			if (tree_insert(&m, rnd(1UL << 20), rnd(1UL << 30)))
				inserts++;
		} else {
			tree_erase(&m, rnd(m.n));
			erases++;
		}
		if (m.n > max_n)
			max_n = m.n;
		if (verify(&m)) {
			fprintf(stderr, "  (failed at step %d, n=%lu)\n", step, m.n);
			break;
		}
	}
	CHECK(inserts > 20000);
	CHECK(erases > 20000);
	CHECK(max_n > 300);
	tree_free(&m);
}

/* Dense keys in a small range: many erases hit nodes with two children. */
TEST(random_dense_keys)
{
	static struct model m;

	memset(&m, 0, sizeof(m));
	rng_state = 77;
	for (int step = 0; step < 30000; step++) {
		unsigned long key = rnd(256);
		long pos = model_find(&m, key);

		if ((unsigned long)pos < m.n && m.by_key[pos]->key == key)
			tree_erase(&m, (unsigned long)pos);
		else
			tree_insert(&m, key, rnd(1000));
		if (verify(&m)) {
			fprintf(stderr, "  (failed at step %d)\n", step);
			break;
		}
	}
	tree_free(&m);
}

/* rb_propagate: change one node's own weight in place, then fix the path. */
TEST(propagate_after_in_place_change)
{
	static struct model m;

	memset(&m, 0, sizeof(m));
	rng_state = 99;
	for (int i = 0; i < 500; i++)
		tree_insert(&m, rnd(100000), rnd(1000));
	CHECK_EQ(verify(&m), 0);
	for (int step = 0; step < 5000; step++) {
		struct item *it = m.by_key[rnd(m.n)];

		/* occasionally the new global maximum, occasionally zero */
		it->weight = step % 50 == 0 ? 5000 + (unsigned long)step : rnd(1000);
		rb_propagate(&it->rb, item_augment);
		if (verify(&m)) {
			fprintf(stderr, "  (failed at step %d)\n", step);
			break;
		}
	}
	tree_free(&m);
}

/* Without a callback the tree still balances (aug == NULL is allowed). */
TEST(no_augment_callback)
{
	static struct model m;
	unsigned long before;

	memset(&m, 0, sizeof(m));
	rng_state = 3;
	before = augment_calls;
	for (int i = 0; i < 3000; i++) {
		struct rb_node **link = &m.root.node, *parent = NULL;
		unsigned long key = rnd(1UL << 40);
		struct item *it;
		long pos;

		while (*link) {
			parent = *link;
			link = key < item_of(parent)->key ? &parent->left : &parent->right;
		}
		if ((unsigned long)(pos = model_find(&m, key)) < m.n &&
		    m.by_key[pos]->key == key)
			continue;
		it = calloc(1, sizeof(*it));
		it->key = key;
		rb_link_node(&it->rb, parent, link);
		rb_insert(&m.root, &it->rb, NULL);
		memmove(&m.by_key[pos + 1], &m.by_key[pos],
			(m.n - (unsigned long)pos) * sizeof(m.by_key[0]));
		m.by_key[pos] = it;
		if (++m.n >= MAXN - 1)
			break;
	}
	CHECK(rb_check(&m.root) > 0);
	CHECK_EQ(augment_calls, before);
	while (m.n) {
		struct item *it = m.by_key[rnd(m.n)];
		long pos = model_find(&m, it->key);

		rb_erase(&m.root, &it->rb, NULL);
		memmove(&m.by_key[pos], &m.by_key[pos + 1],
			(m.n - (unsigned long)pos - 1) * sizeof(m.by_key[0]));
		m.n--;
		free(it);
		if (rb_check(&m.root) < 0) {
			CHECK(!"rb_check failed without augmentation");
			break;
		}
	}
	CHECK_EQ(augment_calls, before);
	tree_free(&m);
}

/* rb_check must notice broken trees (it guards the VMA validator). */
TEST(rb_check_detects_corruption)
{
	static struct model m;
	struct rb_node *root;
	uintptr_t saved;

	memset(&m, 0, sizeof(m));
	for (unsigned long k = 1; k <= 31; k++)
		tree_insert(&m, k, 0);
	CHECK(rb_check(&m.root) > 0);
	root = m.root.node;

	/* a red root */
	saved = root->parent_color;
	root->parent_color &= ~(uintptr_t)1;
	CHECK(rb_check(&m.root) < 0);
	root->parent_color = saved;
	CHECK(rb_check(&m.root) > 0);

	/* a wrong parent pointer */
	saved = root->left->parent_color;
	root->left->parent_color = (uintptr_t)root->right | (saved & 1);
	CHECK(rb_check(&m.root) < 0);
	root->left->parent_color = saved;
	CHECK(rb_check(&m.root) > 0);

	/* unequal black heights: flip the colour of one leaf-level node */
	{
		struct rb_node *n = rb_first(&m.root);

		saved = n->parent_color;
		n->parent_color ^= 1;
		CHECK(rb_check(&m.root) < 0);
		n->parent_color = saved;
	}
	CHECK_EQ(verify(&m), 0);
	tree_free(&m);
}

int main(void)
{
	RUN(empty_tree);
	RUN(single_node);
	RUN(sequential_inserts_stay_balanced);
	RUN(duplicate_key_not_inserted);
	RUN(random_insert_erase_against_sorted_array);
	RUN(random_dense_keys);
	RUN(propagate_after_in_place_change);
	RUN(no_augment_callback);
	RUN(rb_check_detects_corruption);
	return check_summary();
}
