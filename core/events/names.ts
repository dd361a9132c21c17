/**
 * The domain events tasks can wait for, with what their payload holds. Each domain emits its
 * own with `emitEvent`; they are listed here so automation can validate a task's trigger.
 */
export const DOMAIN_EVENTS = {
  'users.user_created': 'a user was invited into your organisation (payload: userId, email, name, role)',
  'crm.lead_created': 'a lead was added (payload: leadId, name, email, company, source)',
  'crm.lead_stage_changed': 'a lead moved along the pipeline (payload: leadId, name, from, to, reason)',
  'crm.task_due': 'a CRM task reached its due time (payload: taskId, summary, dueAt, customerId, leadId)',
  'reviews.negative_received':
    'a negative review arrived (payload: reviewId, source, location, rating, reviewer, comment)',
} as const;
export type DomainEventName = keyof typeof DOMAIN_EVENTS;
