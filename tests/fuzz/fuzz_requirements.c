/* fuzz_requirements.c - requirements.txt as a submission writes it (see env_common.h). */
#include "env_common.h"

FUZZ_ENTRY(requirements)
{
	fuzz_env_file("requirements.txt", data, size);
	fuzz_env_spec(data, size);
	return 0;
}
