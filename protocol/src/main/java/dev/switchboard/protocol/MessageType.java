package dev.switchboard.protocol;

/** Wire type bytes of every message (docs/protocol.md, "Messages"). */
public final class MessageType {
  public static final int HELLO = 0x01;
  public static final int HELLO_OK = 0x02;
  public static final int PING = 0x03;
  public static final int PONG = 0x04;
  public static final int CODE_REQUEST = 0x10;
  public static final int CODE = 0x11;
  public static final int JOIN = 0x12;
  public static final int JOINED = 0x13;
  public static final int REDIRECT = 0x14;
  public static final int ATTACH = 0x15;
  public static final int SESSION_START = 0x16;
  public static final int RESUME = 0x17;
  public static final int SESSION_RESUMED = 0x18;
  public static final int DATA = 0x20;
  public static final int EOF = 0x21;
  public static final int CLOSE = 0x22;
  public static final int ACK = 0x23;
  public static final int CREDENTIAL = 0x24;
  public static final int MESH_HELLO = 0x40;
  public static final int CLAIM = 0x41;
  public static final int CLAIM_RESULT = 0x42;
  public static final int FAILURES = 0x43;
  public static final int SESSION_MOVED = 0x44;
  public static final int ERROR = 0x7F;

  private MessageType() {}
}
