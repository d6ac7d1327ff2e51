/** {@code switchboard lb}: the load balancer's command line. */
package dev.switchboard.cli.lb;
