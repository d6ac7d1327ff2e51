/**
 * Remote shells: {@link dev.switchboard.cli.shell.PtyShell} runs a command in a pseudo-terminal on
 * the target, {@link dev.switchboard.cli.shell.LocalTerminal} puts the controller's terminal in raw
 * mode, and {@link dev.switchboard.cli.shell.ShellBridge} joins the two through any pair of byte
 * streams (a session's "shell" stream, see docs/operations.md).
 */
package dev.switchboard.cli.shell;
