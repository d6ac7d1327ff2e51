package dev.switchboard.cloud.local;

import java.util.Set;

/**
 * A /16 of loopback addresses (all of 127.0.0.0/8 binds on Linux without set-up), handed out by
 * offset.
 */
final class AddressPool {
  /** Public IPs: stable for the life of the resource. */
  static final AddressPool PUBLIC = new AddressPool("127.77");

  /** Private addresses of container groups: a fresh one on every start. */
  static final AddressPool PRIVATE = new AddressPool("127.78");

  static final int SIZE = 65534;

  private final String prefix;

  private AddressPool(String prefix) {
    this.prefix = prefix;
  }

  String cidr() {
    return prefix + ".0.0/16";
  }

  /** The address at {@code offset}, 1 to {@value #SIZE}. */
  String address(int offset) {
    return prefix + "." + (offset >> 8) + "." + (offset & 0xff);
  }

  /** The lowest address not in {@code used}. */
  String lowestFree(Set<String> used) {
    return nextFree(1, used).address();
  }

  /**
   * The first free address at or after {@code from}, wrapping around; its offset tells where to go
   * on from.
   */
  Allocation nextFree(int from, Set<String> used) {
    for (int i = 0; i < SIZE; i++) {
      int offset = ((from - 1 + i) % SIZE) + 1;
      if ((offset & 0xff) == 0 || (offset & 0xff) == 0xff) {
        continue;
      }
      String a = address(offset);
      if (!used.contains(a)) {
        return new Allocation(a, offset);
      }
    }
    throw new IllegalStateException("address pool " + cidr() + " is exhausted");
  }

  record Allocation(String address, int offset) {}
}
