/**
 * The "hostile neighbour" benchmark of issue 12 ({@code bench/broker/hostile.sh}): legitimate
 * controller/target pairs ({@link dev.switchboard.bench.hostile.LegitLoad}) beside one attacker
 * process ({@link dev.switchboard.bench.hostile.HostileNeighbour}) against a mesh of brokers
 * started as shipped.
 */
package dev.switchboard.bench.hostile;
