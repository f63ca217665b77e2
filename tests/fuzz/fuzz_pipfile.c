/* fuzz_pipfile.c - Pipfile as a submission writes it (see env_common.h). */
#include "env_common.h"

FUZZ_ENTRY(pipfile)
{
	fuzz_env_file("Pipfile", data, size);
	fuzz_env_spec(data, size);
	return 0;
}
