package dev.switchboard.bench.hostile;

import dev.switchboard.client.BrokerConnection;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.RefusedException;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Message;
import java.io.IOException;
import java.util.List;

/**
 * Issue 12, items 3 and 4: one source (an address and a target certificate) sends well-formed wrong
 * codes, a few per connection, moving to the next broker of the mesh with every connection. Run
 * from several sources it is a guesser; from ~30 it tries to spend each broker's failure budget and
 * lock legitimate targets out.
 */
final class WrongCodes implements Runnable {
  /** Joins per connection: the broker closes a connection at its 5th refusal. */
  private static final int PER_CONNECTION = 4;

  private final String kind;
  private final ClientOptions identity;
  private final List<BrokerEndpoint> brokers;
  private final int start;
  private final long pauseMillis;
  private final Deadline deadline;
  private final Counts counts;

  /**
   * @param kind counter prefix ({@code guess} or {@code lockout})
   * @param start which broker this source starts with
   * @param perSecond joins this source sends per second at most
   */
  WrongCodes(
      String kind,
      ClientOptions identity,
      List<BrokerEndpoint> brokers,
      int start,
      double perSecond,
      Deadline deadline,
      Counts counts) {
    this.kind = kind;
    this.identity = identity;
    this.brokers = brokers;
    this.start = start;
    this.pauseMillis = (long) (1000 / perSecond);
    this.deadline = deadline;
    this.counts = counts;
  }

  @Override
  public void run() {
    for (int n = start; deadline.open(); n++) {
      BrokerEndpoint b = brokers.get(n % brokers.size());
      try (BrokerConnection c = BrokerConnection.open(identity, b)) {
        counts.add(kind + ".connections");
        for (int i = 0; i < PER_CONNECTION && deadline.open(); i++) {
          counts.add(kind + ".joins_sent");
          c.send(new Message.Join(RawTls.randomCode()));
          try {
            Message m = c.read();
            counts.add(kind + ".answer." + m.getClass().getSimpleName()); // a hit: never expected
          } catch (RefusedException e) {
            counts.add(kind + ".answer." + e.code().name());
            if (e.code() != ErrorCode.RATE_LIMITED) {
              counts.inTimeline("evaluated"); // the broker looked the code up
            }
          }
          LegitLoad.sleep(pauseMillis);
        }
      } catch (IOException e) {
        counts.failure(kind + ".io_error", e);
        LegitLoad.sleep(pauseMillis);
      }
    }
  }
}
