package dev.switchboard.bench;

import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.RelayScanner;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the broker's per-read frame scan costs: 1 MiB of full DATA frames handed to {@link
 * RelayScanner#scan} in reads of {@code readSize} bytes, as the relay sees TLS plaintext.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RelayScannerBenchmark {
  static final int STREAM = 1 << 20;

  @Param({"1024", "16384", "65536"})
  int readSize;

  private ByteBuf stream;

  @Setup
  public void frames() {
    stream = Unpooled.buffer(STREAM);
    byte[] payload = new byte[Frames.MAX_PAYLOAD];
    while (stream.writableBytes() > 0) {
      int n = Math.min(Frames.MAX_PAYLOAD, stream.writableBytes() - Frames.HEADER_BYTES);
      if (n <= 0) {
        stream.writeZero(stream.writableBytes());
        break;
      }
      stream.writeByte(MessageType.DATA).writeShort(n).writeBytes(payload, 0, n);
    }
  }

  /** One op scans the whole MiB, so ops/s × 1.05 is MB/s. */
  @Benchmark
  public int scanOneMebibyte() throws ProtocolException {
    RelayScanner scanner = new RelayScanner();
    int events = 0;
    for (int off = 0; off + readSize <= STREAM; off += readSize) {
      events += scanner.scan(stream.slice(off, readSize)).ordinal();
    }
    return events;
  }
}
