/* Sections of the practice sheet whose features are being built: each
 * leaves its part of the page empty until its own file replaces it here. */
#include "practices/sheet.h"

int toolbox_sheet_data(struct request *req, const json_t *practice, json_t *data)
{
	(void)req;
	(void)practice;
	(void)data;
	return 0;
}

int reuse_sheet_data(struct request *req, const json_t *practice, json_t *data)
{
	(void)req;
	(void)practice;
	(void)data;
	return 0;
}

int conversation_sheet_data(struct request *req, const json_t *practice, json_t *data)
{
	(void)req;
	(void)practice;
	(void)data;
	return 0;
}
