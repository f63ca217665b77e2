/*
 * vec.h - growing a plain C array, written once: the overflow check, the
 * doubling, and the "out of memory" error every growth site used to spell
 * out by hand.
 *
 * An array is three lvalues the caller owns: a pointer `arr` (NULL when
 * empty), a count and a capacity (both size_t). VEC_RESERVE only ever
 * reallocates `arr` and raises `cap`; the caller stores elements, counts
 * them, and frees `arr` with free(). On failure nothing changes.
 *
 *     if (VEC_RESERVE(l->items, l->cap, l->n + 1) < 0)
 *             return -1;
 *     l->items[l->n++] = item;
 */
#ifndef GRADER_VEC_H
#define GRADER_VEC_H

#include <stddef.h>

/*
 * Make room for `need` elements of `size` bytes in *arr (capacity *cap):
 * the capacity at least doubles, starting at 8. 0, or -1 + err (*arr and
 * *cap unchanged). Use VEC_RESERVE, which keeps the element type.
 */
void *vec_grow(void *arr, size_t *cap, size_t need, size_t size);

#define VEC_RESERVE(arr, cap, need)                                                   \
	__extension__({                                                               \
		int vec_rc_ = 0;                                                      \
		if ((size_t)(need) > (cap)) {                                         \
			size_t vec_cap_ = (cap);                                      \
			__typeof__(arr) vec_p_ = vec_grow((arr), &vec_cap_, (need), sizeof(*(arr))); \
			if (vec_p_) {                                                 \
				(arr) = vec_p_;                                       \
				(cap) = vec_cap_;                                     \
			} else {                                                      \
				vec_rc_ = -1;                                         \
			}                                                             \
		}                                                                     \
		vec_rc_;                                                              \
	})

#endif
