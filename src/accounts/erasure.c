#include "accounts/erasure.h"

#include <stdio.h>
#include <stdlib.h>

static accounts_erasure_step steps[ACCOUNTS_ERASURE_STEPS_MAX];
static size_t steps_count;

void accounts_erasure_register(accounts_erasure_step step)
{
	if (steps_count == ACCOUNTS_ERASURE_STEPS_MAX) {
		fprintf(stderr, "cousilab: too many account erasure steps\n");
		abort();
	}
	steps[steps_count++] = step;
}

int accounts_erasure_run(struct request *req, const char *user_id, bson_error_t *error)
{
	for (size_t i = 0; i < steps_count; i++)
		if (steps[i](req, user_id, error))
			return -1;
	return 0;
}
