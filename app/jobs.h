/*
 * Background jobs: an SQL statement every server worker runs on a timer,
 * on its own pooled connection, while it goes on serving requests.
 */
#ifndef REGISTRY_JOBS_H
#define REGISTRY_JOBS_H

#include <sys/types.h>

#include <kore/kore.h>
#include <kore/pgsql.h>

struct job {
	const char		*name;
	const char		*query;
	u_int64_t		interval;	/* ms between runs */
	int			log_result;	/* log what a run returns */

	/* The job's state: zero at start. */
	struct kore_pgsql	sql;
	int			busy;
	int			worked;
};

/*
 * Runs job->query at once and then every job->interval ms. A run that
 * returns a non-NULL first value did some work, and the next run starts
 * at once instead of after the interval.
 */
void	job_start(struct job *);

#endif
