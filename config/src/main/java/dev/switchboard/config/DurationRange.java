package dev.switchboard.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The bounds of a {@link java.time.Duration} field read by {@link ConfigMapper}, written in the
 * duration syntax ({@code "1h"}); a value outside them is refused with the field's path.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface DurationRange {
  /** The smallest value allowed. */
  String min() default "0s";

  /** The largest value allowed; at most {@link Durations#CEILING}. */
  String max();
}
