package dev.switchboard.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.broker.AuditSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  @TempDir Path dir;

  @Test
  void rotationKeepsAtMostKeepFilesEachUnderMaxBytesAndTheNewestRecords() throws Exception {
    Path file = dir.resolve("sessions.jsonl");
    AtomicLong dropped = new AtomicLong();
    AuditLog log = new AuditLog(new AuditSettings(file, 1024, 3, 1000), "t", dropped::addAndGet);
    for (int i = 0; i < 100; i++) {
      log.record(record("s-" + i));
    }
    log.close();
    assertThat(dropped).hasValue(0);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "sessions.jsonl", "sessions.jsonl.1", "sessions.jsonl.2", "sessions.jsonl.3");
    }
    List<String> ids = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String name : List.of("sessions.jsonl.3", "sessions.jsonl.2", "sessions.jsonl.1")) {
      Path p = dir.resolve(name);
      assertThat(Files.size(p)).isLessThanOrEqualTo(1024).isGreaterThan(512);
      for (String line : Files.readAllLines(p)) {
        ids.add(json.readTree(line).get("sessionId").asText());
      }
    }
    for (String line : Files.readAllLines(file)) {
      JsonNode n = json.readTree(line);
      ids.add(n.get("sessionId").asText());
    }
    // The oldest records were rotated away; the ones kept are the newest, in order, none twice.
    assertThat(ids).endsWith("s-98", "s-99").doesNotHaveDuplicates().doesNotContain("s-0");
    int first = Integer.parseInt(ids.get(0).substring(2));
    for (int i = 0; i < ids.size(); i++) {
      assertThat(ids.get(i)).isEqualTo("s-" + (first + i));
    }
  }

  @Test
  void recordsBeyondTheQueueOrAfterCloseAreCountedNotWaitedFor() throws Exception {
    Path file = dir.resolve("a.jsonl");
    AtomicLong dropped = new AtomicLong();
    AuditLog log = new AuditLog(new AuditSettings(file, 1024, 1, 1), "t", dropped::addAndGet);
    log.close();
    log.record(record("late"));
    assertThat(dropped).hasValue(1);
    assertThat(file).doesNotExist();
  }

  private static AuditRecord record(String id) {
    AuditRecord.Party p = new AuditRecord.Party("alice", "1f", "127.0.0.1:5000");
    return new AuditRecord(
        id,
        "b1",
        "b1",
        p,
        p,
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:01Z",
        10,
        20,
        1,
        "SESSION_COMPLETE",
        "both sides finished sending",
        1,
        "");
  }
}
