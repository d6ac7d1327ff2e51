package dev.switchboard.broker.internal;

/**
 * One line of the session audit log; the fields are documented in docs/operations.md ("Session
 * audit log"). Holds names, serials and addresses only: never codes or tickets.
 *
 * @param broker the broker that relayed the session and wrote this record
 * @param ownerBroker the broker that issued the controller's code: this broker, or the one that
 *     redirected the controller here
 * @param start when both sides were paired, ISO-8601 UTC
 * @param end when the session ended, ISO-8601 UTC
 * @param bytesControllerToTarget application bytes (DATA payloads) relayed from the controller
 * @param bytesTargetToController application bytes (DATA payloads) relayed from the target
 * @param streams streams opened in the session (one per session today)
 * @param endReason the close code the session ended with, as sent to the clients
 * @param endMessage the sentence that went with it
 * @param generation 1 for a session's first relay; n for its relay after n - 1 moves (resumptions)
 * @param resumedFrom the broker whose credential the clients resumed with (the previous relay);
 *     empty for generation 1
 */
record AuditRecord(
    String sessionId,
    String broker,
    String ownerBroker,
    Party controller,
    Party target,
    String start,
    String end,
    long bytesControllerToTarget,
    long bytesTargetToController,
    int streams,
    String endReason,
    String endMessage,
    int generation,
    String resumedFrom) {

  /**
   * One side of the session.
   *
   * @param name the certificate's name (CN)
   * @param serial the certificate's serial number, lower-case hex
   * @param address the client's real address (from the PROXY header when a load balancer sent one)
   */
  record Party(String name, String serial, String address) {}
}
