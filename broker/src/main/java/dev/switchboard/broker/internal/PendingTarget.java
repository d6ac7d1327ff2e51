package dev.switchboard.broker.internal;

import java.util.concurrent.CompletableFuture;

/**
 * A target that joined a code owned by a peer and waits for its redirected controller. {@code
 * claim} completes with the owner's answer; an ATTACH is accepted only with the ticket that answer
 * names (issuer, ticket id, controller fingerprint), so no other peer can mint one for the session.
 */
record PendingTarget(ClientConnection connection, CompletableFuture<Mesh.Claimed> claim) {}
