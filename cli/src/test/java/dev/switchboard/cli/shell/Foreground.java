package dev.switchboard.cli.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a process is its terminal's foreground job: only then does Ctrl-C reach it. */
final class Foreground {
  private Foreground() {}

  /** From /proc/PID/stat (proc(5)): the process group equals the terminal's foreground group. */
  static boolean is(ProcessHandle p) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
    } catch (IOException e) {
      return false;
    }
    // After "(comm)": state ppid pgrp session tty_nr tpgid ...
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return f[2].equals(f[5]);
  }
}
