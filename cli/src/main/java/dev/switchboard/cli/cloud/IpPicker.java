package dev.switchboard.cli.cloud;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cloud.PublicIp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * The interactive choice of {@code ip select}: a numbered list, then a number (or a name) read from
 * the user.
 */
final class IpPicker {
  private IpPicker() {}

  static String pick(List<PublicIp> ips, BufferedReader in, PrintWriter out) {
    if (ips.isEmpty()) {
      throw new CliException(
          ExitCodes.CONFIG, "there is no public IP to select; create one with 'ip create NAME'");
    }
    for (int i = 0; i < ips.size(); i++) {
      out.printf("%2d) %s%n", i + 1, Show.ip(ips.get(i)));
    }
    out.print("select [1-" + ips.size() + "]: ");
    out.flush();
    try {
      String line = in.readLine();
      String answer = line == null ? "" : line.trim();
      for (PublicIp ip : ips) {
        if (ip.name().equals(answer)) {
          return answer;
        }
      }
      int n = Integer.parseInt(answer);
      if (n >= 1 && n <= ips.size()) {
        return ips.get(n - 1).name();
      }
    } catch (NumberFormatException | IOException e) {
      // Fall through to the usage error.
    }
    throw new CliException(
        ExitCodes.USAGE, "no such choice; give a number from 1 to " + ips.size() + " or a name");
  }
}
