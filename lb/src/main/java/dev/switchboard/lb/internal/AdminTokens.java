package dev.switchboard.lb.internal;

import dev.switchboard.config.BearerToken;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.TokenFile;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LbException;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;

/** Where the admin API's bearer token comes from: the config's token file, else memory. */
public final class AdminTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AdminTokens() {}

  /**
   * The token of {@code c}'s file, created 0600 when absent; a random one when it names no file.
   *
   * @throws LbException TOKEN_FILE naming the file (never the token) when it cannot be used
   */
  public static BearerToken load(LbConfig c) {
    if (c.adminTokenFile() == null) {
      byte[] raw = new byte[32];
      RANDOM.nextBytes(raw);
      return BearerToken.of(Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
    }
    try {
      return TokenFile.loadOrCreate(c.adminTokenFile());
    } catch (ConfigException e) {
      throw new LbException(LbException.Code.TOKEN_FILE, e.getMessage(), e);
    } catch (IOException e) {
      throw new LbException(
          LbException.Code.TOKEN_FILE,
          "cannot use the admin token file " + c.adminTokenFile() + ": " + e,
          e);
    }
  }
}
