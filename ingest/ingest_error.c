/*
 * ingest_error.c: the one place that decides whether a failure is
 * temporary (retry later: EX_TEMPFAIL in pipe mode, the file stays in the
 * spool in the daemon) or permanent (the message goes to spool/failed and
 * an analyst looks).  In the spirit of Postfix's sys_exits_softerror().
 */
#include "config.h"

#include "ingest/ingest.h"
#include "case/case.h"
#include "route/route.h"
#include "notify/notify.h"

G_DEFINE_QUARK(abusedesk-ingest-error-quark, ingest_error)

gboolean
ingest_error_is_temporary(const GError *e)
{
	if (e == NULL)
		return FALSE;
	if (e->domain == INGEST_ERROR)
		return e->code == INGEST_ERROR_IO;
	if (e->domain == CASE_ERROR)
		return e->code == CASE_ERROR_BUSY || e->code == CASE_ERROR_IO;
	if (e->domain == ROUTE_ERROR)
		return e->code == ROUTE_ERROR_BUSY || e->code == ROUTE_ERROR_IO;
	if (e->domain == NOTIFY_ERROR)
		return e->code == NOTIFY_ERROR_IO;
	if (e->domain == G_FILE_ERROR)
		return e->code == G_FILE_ERROR_NOSPC ||
		    e->code == G_FILE_ERROR_IO || e->code == G_FILE_ERROR_AGAIN ||
		    e->code == G_FILE_ERROR_INTR || e->code == G_FILE_ERROR_NOMEM;
	return FALSE;
}
