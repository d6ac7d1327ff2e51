package dev.switchboard.client.internal.mux;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.client.RefusedException;
import dev.switchboard.client.mux.StreamHandler;
import dev.switchboard.protocol.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Mux frames from the peer: {@link MuxCodec#read} yields frames that re-encode to exactly their
 * bytes, or a {@code PROTOCOL_ERROR}; a target's engine fed any bytes ends, cleanly or with {@code
 * PROTOCOL_ERROR} told to the session, and never hangs.
 */
class MuxCodecFuzzTest {
  @FuzzTest
  void decodesOrRefusesAnyByteStream(byte[] input) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(input));
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    try {
      MuxFrame f;
      while ((f = MuxCodec.read(in)) != null) {
        assertThat(f.payload().length).isLessThanOrEqualTo(MuxFrame.MAX_PAYLOAD);
        again.writeBytes(MuxCodec.encode(f.type(), f.streamId(), f.payload()));
      }
      assertThat(again.toByteArray()).as("frames re-encode to their input").isEqualTo(input);
    } catch (RefusedException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
      assertThat(e.getMessage()).startsWith("PROTOCOL_ERROR: ").hasSizeGreaterThan(20);
      byte[] decoded = again.toByteArray();
      assertThat(Arrays.copyOf(input, decoded.length)).isEqualTo(decoded);
    }
  }

  @FuzzTest
  void aTargetEndsOnAnyInput(byte[] input) throws Exception {
    AtomicReference<String> aborted = new AtomicReference<>();
    Transport t =
        new Transport() {
          @Override
          public InputStream input() {
            return new ByteArrayInputStream(input);
          }

          @Override
          public OutputStream output() {
            return OutputStream.nullOutputStream();
          }

          @Override
          public void abort(ErrorCode code, String message) {
            aborted.compareAndSet(null, code + ": " + message);
          }
        };
    // Streams are refused or served by a handler that reads to the end: no thread outlives input.
    MuxEngine e =
        MuxEngine.target(
            t,
            service -> {
              if (service.isEmpty()) {
                throw new RefusedException(ErrorCode.SERVICE_NOT_ALLOWED, "no default");
              }
              return (StreamHandler)
                  s -> {
                    s.input().transferTo(OutputStream.nullOutputStream());
                    s.output().close();
                  };
            });
    RefusedException why = e.awaitEnd();
    if (why == null) {
      assertThat(aborted.get()).isNull();
    } else {
      assertThat(why.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
      assertThat(aborted.get()).isEqualTo(why.getMessage());
    }
  }
}
