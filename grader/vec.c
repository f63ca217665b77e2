/* vec.c - array growth (vec.h). */
#include "vec.h"

#include <stdint.h>
#include <stdlib.h>

#include "err.h"

void *vec_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 8;
	void *p;

	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	/* ncap * size past SIZE_MAX would wrap into a small allocation. */
	p = size && ncap <= SIZE_MAX / size ? realloc(arr, ncap * size) : NULL;
	if (!p) {
		err_set("out of memory");
		return NULL;
	}
	*cap = ncap;
	return p;
}
