/**
 * Slack shows the person an error when an app has not acknowledged within
 * 3 s. Work that has to happen before the ack (a policy decision that needs a
 * user-group lookup, which the Web API client retries and rate limits can
 * hold up for seconds; a typeahead search; a form check against OpenStack)
 * races a budget below that. Past the budget the listener acks without the
 * answer and delivers it afterwards, or gives a plain empty answer.
 */

/** The work's result if it settles within `ms`, else undefined (the work goes on). */
export function withinBudget<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  return Promise.race([work, budget]).finally(() => clearTimeout(timer));
}
