/*
 * sched.h - scheduler utilisation from two scheduler_wall_time samples, as
 * recon's scheduler_usage computes it: for each scheduler, the active time
 * over the total time that passed between the samples.
 */
#ifndef BEAMTOP_SCHED_H
#define BEAMTOP_SCHED_H

struct snapshot;

/* For each scheduler in cur, its utilisation (0..1) since prev, or -1 when
 * prev has no sample for it or no time passed.  out has cur->n_sched
 * slots.  Both sample lists are sorted by id. */
void sched_util(const struct snapshot *prev, const struct snapshot *cur,
		double *out);

/* Utilisation of all schedulers of one type together (time-weighted), or
 * -1 when unknown. */
double sched_util_type(const struct snapshot *prev, const struct snapshot *cur,
		       int type);

#endif
