/**
 * Time as a dependency: {@link dev.switchboard.time.Ticker}, {@link dev.switchboard.time.Scheduler}
 * and {@link dev.switchboard.time.Sleeper} are injected so tests can replace them with a {@link
 * dev.switchboard.time.ManualScheduler}; {@link dev.switchboard.time.BackoffPolicy} says how long
 * to wait before retrying.
 */
package dev.switchboard.time;
