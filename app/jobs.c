/*
 * Background jobs (jobs.h). Each worker process runs its own copy of a
 * job, so a job's statement must be safe to run side by side with itself
 * (the import worker's claims, the summary keeper's NOWAIT lock and the
 * audit sealer's try-lock are).
 */
#include <sys/types.h>

#include "registry.h"
#include "jobs.h"

static void	job_tick(void *, u_int64_t);
static void	job_run(struct job *);
static void	job_step(struct kore_pgsql *, void *);

void
job_start(struct job *job)
{
	(void)kore_timer_add(job_tick, job->interval, job, 0);
	(void)kore_timer_add(job_tick, 1, job, KORE_TIMER_ONESHOT);
}

static void
job_tick(void *arg, u_int64_t now)
{
	struct job	*job = arg;

	(void)now;
	if (!job->busy)
		job_run(job);
}

static void
job_run(struct job *job)
{
	kore_pgsql_init(&job->sql);
	kore_pgsql_bind_callback(&job->sql, job_step, job);
	if (!kore_pgsql_setup(&job->sql, REGISTRY_DB, KORE_PGSQL_ASYNC)) {
		/* No free connection (or none at all): next tick. */
		kore_pgsql_cleanup(&job->sql);
		return;
	}
	job->busy = 1;
	if (!kore_pgsql_query(&job->sql, job->query)) {
		/* A connection the server dropped: as for ERROR below. */
		kore_pgsql_logerror(&job->sql);
		job->busy = 0;
		db_drop_broken(&job->sql);
		kore_pgsql_cleanup(&job->sql);
	}
}

/*
 * The job's query moved on. Kore calls this from inside its own pgsql
 * code (and again, with COMPLETE, from inside kore_pgsql_cleanup()), so it
 * never starts the next query itself: when a run did some work, a one-shot
 * timer starts the next at once instead of after the interval.
 */
static void
job_step(struct kore_pgsql *sql, void *arg)
{
	struct job	*job = arg;

	switch (sql->state) {
	case KORE_PGSQL_STATE_WAIT:
		return;
	case KORE_PGSQL_STATE_RESULT:
		job->worked = kore_pgsql_ntuples(sql) > 0 &&
		    !PQgetisnull(sql->result, 0, 0);
		if (job->worked && job->log_result)
			kore_log(LOG_NOTICE, "%s: %s", job->name,
			    kore_pgsql_getvalue(sql, 0, 0));
		kore_pgsql_continue(sql);
		return;
	case KORE_PGSQL_STATE_ERROR:
		kore_pgsql_logerror(sql);
		job->worked = 0;
		/*
		 * Cleaning up releases the connection, which calls back with
		 * COMPLETE from inside kore_pgsql_cleanup(): not busy any more
		 * means that call leaves the half-cleaned state alone.
		 */
		job->busy = 0;
		db_drop_broken(sql);
		kore_pgsql_cleanup(sql);
		return;
	case KORE_PGSQL_STATE_COMPLETE:
		if (!job->busy)
			return;
		job->busy = 0;
		kore_pgsql_cleanup(sql);
		if (job->worked) {
			job->worked = 0;
			(void)kore_timer_add(job_tick, 1, job,
			    KORE_TIMER_ONESHOT);
		}
		return;
	default:
		kore_pgsql_continue(sql);
		return;
	}
}
