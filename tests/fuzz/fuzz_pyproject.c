/* fuzz_pyproject.c - pyproject.toml as a submission writes it (see env_common.h). */
#include "env_common.h"

FUZZ_ENTRY(pyproject)
{
	fuzz_env_file("pyproject.toml", data, size);
	fuzz_env_spec(data, size);
	return 0;
}
