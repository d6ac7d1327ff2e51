package dev.switchboard.cli.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of README.md's "Commands" section, one list per fenced block, split into words
 * the way a POSIX shell would for these simple lines (quotes, backslash-newline, comments, {@code
 * ;} between commands).
 */
final class ReadmeScript {
  static final String SECTION = "## Commands, one real example each";

  private ReadmeScript() {}

  /** Each fenced block of the section as its commands, each command as its words. */
  static List<List<List<String>>> blocks(Path readme) throws IOException {
    List<String> lines = Files.readAllLines(readme);
    int start = lines.indexOf(SECTION);
    if (start < 0) {
      throw new IllegalStateException("README.md has no section '" + SECTION + "'");
    }
    List<List<List<String>>> blocks = new ArrayList<>();
    List<List<String>> block = null;
    StringBuilder pending = new StringBuilder();
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      String line = lines.get(i);
      if (line.startsWith("```")) {
        if (block == null) {
          block = new ArrayList<>();
        } else {
          blocks.add(block);
          block = null;
        }
        continue;
      }
      if (block == null) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      pending.append(line);
      block.addAll(commands(pending.toString()));
      pending.setLength(0);
    }
    return blocks;
  }

  /** The commands of one logical line: words, without comments, split at {@code ;}. */
  static List<List<String>> commands(String line) {
    List<List<String>> commands = new ArrayList<>();
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (c == '#' && word == null) {
        break;
      } else if (Character.isWhitespace(c) || c == ';') {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        if (c == ';' && !words.isEmpty()) {
          commands.add(words);
          words = new ArrayList<>();
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unbalanced quote in README line: " + line);
    }
    if (word != null) {
      words.add(word.toString());
    }
    if (!words.isEmpty()) {
      commands.add(words);
    }
    return commands;
  }
}
