package dev.switchboard.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Watches frame boundaries in one direction of a relayed stream without copying or changing the
 * bytes: the broker forwards DATA frames verbatim and only needs to notice EOF, CLOSE and malformed
 * frames. Not thread-safe; one per direction.
 */
public final class RelayScanner {
  /** What the scanned bytes contained that the broker must act on. */
  public enum Event {
    NONE,
    EOF,
    CLOSE
  }

  private final byte[] header = new byte[Frames.HEADER_BYTES];
  private int headerFill;
  private int payloadRemaining;
  private int currentType = -1;
  private boolean sawEof;
  private boolean sawClose;
  private boolean closeReported;
  private long dataBytes;
  private int closeReasonFill;
  private int closeReason;

  // A client sends PING while it waits for its peer (keepalive), and one may be on the wire when
  // the broker starts relaying: PINGs before a side's first relayed frame are dropped, not relayed.
  private static final int PING_FRAME = Frames.HEADER_BYTES + 8;
  private boolean leading = true;
  private int pingAt; // bytes of the current leading PING seen so far; 0 between frames
  private int pingLength;
  private int leadingDrop;

  /** Payload bytes of the DATA frames scanned so far: the application's bytes, without framing. */
  public long dataBytes() {
    return dataBytes;
  }

  /**
   * Scans {@code buf} (readable bytes, indices untouched) and reports the most significant event
   * seen: CLOSE over EOF over NONE.
   *
   * @throws ProtocolException if a frame is oversized, of a type not allowed while relaying, or
   *     data follows EOF or CLOSE
   */
  public Event scan(ByteBuf buf) throws ProtocolException {
    int i = buf.readerIndex();
    int end = buf.writerIndex();
    Event event = Event.NONE;
    leadingDrop = 0;
    while (leading && i < end) {
      int b = buf.getByte(i) & 0xFF;
      if (pingAt == 0 && b != MessageType.PING) {
        leading = false; // the first relayed frame starts here
        break;
      }
      if (pingAt == 1 || pingAt == 2) {
        pingLength = (pingLength << 8) | b;
        if (pingAt == 2 && pingLength != 8) {
          throw new ProtocolException(
              ErrorCode.PROTOCOL_ERROR, "PING of " + pingLength + " bytes, not 8");
        }
      }
      i++;
      leadingDrop++;
      if (++pingAt == PING_FRAME) {
        pingAt = 0;
        pingLength = 0;
      }
    }
    while (i < end) {
      if (payloadRemaining > 0) {
        int n = Math.min(payloadRemaining, end - i);
        if (currentType == MessageType.DATA) {
          dataBytes += n;
        } else if (currentType == MessageType.CLOSE) {
          for (int k = 0; k < n && closeReasonFill < 2; k++, closeReasonFill++) {
            closeReason = (closeReason << 8) | (buf.getByte(i + k) & 0xFF);
          }
        }
        payloadRemaining -= n;
        i += n;
        continue;
      }
      if (sawClose) {
        throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "bytes after CLOSE");
      }
      header[headerFill++] = buf.getByte(i++);
      if (headerFill < Frames.HEADER_BYTES) {
        continue;
      }
      headerFill = 0;
      currentType = header[0] & 0xFF;
      payloadRemaining = ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
      if (payloadRemaining > Frames.MAX_PAYLOAD) {
        throw new ProtocolException(
            ErrorCode.FRAME_TOO_LARGE,
            "frame of "
                + payloadRemaining
                + " bytes exceeds the "
                + Frames.MAX_PAYLOAD
                + "-byte limit");
      }
      switch (currentType) {
        case MessageType.DATA:
          if (sawEof) {
            throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "DATA after EOF");
          }
          break;
        case MessageType.EOF:
          if (payloadRemaining != 0) {
            throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "EOF with a payload");
          }
          sawEof = true;
          event = Event.EOF;
          break;
        case MessageType.ACK:
          if (payloadRemaining != 9) {
            throw new ProtocolException(
                ErrorCode.PROTOCOL_ERROR, "ACK of " + payloadRemaining + " bytes, not 9");
          }
          break;
        case MessageType.CLOSE:
          sawClose = true;
          break;
        default:
          throw new ProtocolException(
              ErrorCode.UNEXPECTED_MESSAGE,
              "message type 0x" + Integer.toHexString(currentType) + " not allowed while relaying");
      }
    }
    if (sawClose && payloadRemaining == 0 && !closeReported) {
      // Reported once, when the whole CLOSE frame has passed, so its reason is forwarded intact.
      closeReported = true;
      return Event.CLOSE;
    }
    return event;
  }

  /**
   * How many bytes at the start of the buffer last scanned are keepalive PINGs sent before this
   * side's first relayed frame: the caller skips them instead of relaying them.
   */
  public int leadingPingBytes() {
    return leadingDrop;
  }

  /**
   * True when the bytes scanned so far end exactly at a frame boundary: the broker may put a frame
   * of its own into the peer's stream here without splitting one of this side's.
   */
  public boolean atBoundary() {
    return payloadRemaining == 0 && headerFill == 0 && pingAt == 0;
  }

  /** The reason code of the CLOSE frame that passed, or null if none (or it was too short). */
  public ErrorCode closeReason() {
    return sawClose() && closeReasonFill == 2 ? ErrorCode.of(closeReason) : null;
  }

  /** True once an EOF frame has passed. */
  public boolean sawEof() {
    return sawEof;
  }

  /** True once a complete CLOSE frame has passed. */
  public boolean sawClose() {
    return sawClose && payloadRemaining == 0;
  }
}
