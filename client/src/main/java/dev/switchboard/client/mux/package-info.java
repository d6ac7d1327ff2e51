/**
 * Many streams inside one session: {@link dev.switchboard.client.mux.MuxSession} on either side,
 * {@link dev.switchboard.client.mux.ServicePolicy} and {@link
 * dev.switchboard.client.mux.StreamHandler} for what the target serves.
 */
package dev.switchboard.client.mux;
