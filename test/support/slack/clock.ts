/**
 * Time as the simulated Slack sees it: the real clock plus an offset a test
 * moves forward, so "the trigger is 4 s old" or "the response_url is 31
 * minutes old" costs no waiting. Only Slack-side deadlines read this clock;
 * request signatures keep real time because the bot checks them against its
 * own clock.
 */
export class SimClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
