#include "demo.h"

#include <mongoc/mongoc.h>
#include <stdio.h>
#include <time.h>

#include "accounts/cli.h"
#include "core/app.h"
#include "db/db.h"
#include "defi/demo.h"
#include "gpi/demo.h"
#include "gpi/demo_candidatures.h"
#include "gpi/demo_results.h"
#include "practices/demo.h"
#include "projects/demo.h"

/* Returns 1 when the demo marker exists, 0 when not, -1 on error. */
static int demo_loaded(mongoc_collection_t *meta)
{
	bson_t *filter = BCON_NEW("_id", BCON_UTF8("demo"));
	bson_error_t error;
	int64_t n = mongoc_collection_count_documents(meta, filter, NULL, NULL, NULL, &error);
	bson_destroy(filter);
	if (n < 0)
		fprintf(stderr, "seed: %s\n", error.message);
	return n < 0 ? -1 : n > 0;
}

int demo_load(const struct app *app)
{
	struct db *db = app->db;
	mongoc_client_t *client = mongoc_client_pool_pop(db->pool);
	mongoc_collection_t *meta = mongoc_client_get_collection(client, db->name, "meta");
	int rc = 0;
	int loaded = demo_loaded(meta);
	if (loaded < 0) {
		rc = -1;
	} else if (loaded) {
		printf("seed: demo data already loaded\n");
	} else if (accounts_seed_demo(app) != 0 || practices_demo_load(app) != 0 ||
		   defi_demo_load(app) != 0 || projects_demo_load(app) != 0 ||
		   gpi_demo_load(app) != 0 || gpi_demo_candidatures_load(app) != 0 ||
		   gpi_demo_results_load(app) != 0) {
		rc = -1;
	} else {
		bson_t *marker = BCON_NEW("_id", BCON_UTF8("demo"), "loaded_at",
					  BCON_DATE_TIME((int64_t)time(NULL) * 1000));
		bson_error_t error;
		if (!mongoc_collection_insert_one(meta, marker, NULL, NULL, &error)) {
			fprintf(stderr, "seed: %s\n", error.message);
			rc = -1;
		} else {
			printf("seed: demo data loaded\n");
		}
		bson_destroy(marker);
	}
	mongoc_collection_destroy(meta);
	mongoc_client_pool_push(db->pool, client);
	return rc;
}
