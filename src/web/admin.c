#include "web/admin.h"

#include <string.h>

json_t *admin_data(const char *section)
{
	return json_pack("{s:{s:b}}", "admin_nav", section, 1);
}

json_t *admin_options(const char *const pairs[][2], size_t n, const char *selected)
{
	json_t *options = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(options,
				      json_pack("{s:s, s:s, s:b}", "value", pairs[i][0], "label",
						pairs[i][1], "selected",
						selected && strcmp(selected, pairs[i][0]) == 0));
	return options;
}
