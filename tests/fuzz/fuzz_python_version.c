/* fuzz_python_version.c - .python-version as a submission writes it (see env_common.h). */
#include "env_common.h"

FUZZ_ENTRY(python_version)
{
	fuzz_env_file(".python-version", data, size);
	fuzz_env_spec(data, size);
	return 0;
}
