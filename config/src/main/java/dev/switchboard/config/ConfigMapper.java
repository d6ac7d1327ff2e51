package dev.switchboard.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.config.internal.DurationDeserializer;
import dev.switchboard.config.internal.DurationSerializer;
import dev.switchboard.config.internal.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The one strict mapper for every file and request the project reads: unknown keys, wrong types,
 * nulls for numbers and trailing content are errors, nothing is coerced ({@code "10"} is not a
 * number, {@code ten} is not 10), and {@link Duration} fields use {@link Durations}. Every error is
 * a {@link ConfigException} naming the source, the field path and the reason.
 */
public final class ConfigMapper {
  private static final ObjectMapper YAML = strict(YAMLMapper.builder(new YAMLFactory()));
  private static final ObjectMapper JSON = strict(JsonMapper.builder());

  private ConfigMapper() {}

  /** The shared YAML mapper (YAML is a superset of JSON, so it reads JSON too). */
  public static ObjectMapper yaml() {
    return YAML;
  }

  /** The shared JSON mapper, for request bodies and answers. */
  public static ObjectMapper json() {
    return JSON;
  }

  /** Reads a YAML (or JSON) file into {@code type}; the errors name {@code file}. */
  public static <T> T read(Path file, Class<T> type) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), null, "no such file");
    } catch (IOException e) {
      throw new ConfigException(file.toString(), null, "cannot read: " + e.getMessage());
    }
    return read(YAML, file.toString(), text, type);
  }

  /** Reads YAML (or JSON) {@code text} from {@code source} (a file name or "request body"). */
  public static <T> T readYaml(String source, String text, Class<T> type) {
    return read(YAML, source, text, type);
  }

  /** Reads JSON {@code text} from {@code source}. */
  public static <T> T readJson(String source, String text, Class<T> type) {
    return read(JSON, source, text, type);
  }

  /** Converts an already parsed tree with the same strict rules. */
  public static <T> T convert(String source, JsonNode tree, Class<T> type) {
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new ConfigException(source, null, "empty document; expected a mapping");
    }
    try {
      return JSON.readerFor(type).readValue(JSON.treeAsTokens(tree));
    } catch (IOException e) {
      throw Errors.translate(source, e, tree, JSON);
    } catch (ConfigException e) {
      throw e.source() == null ? e.at(source, null) : e;
    }
  }

  private static <T> T read(ObjectMapper mapper, String source, String text, Class<T> type) {
    if (text == null || text.isBlank()) {
      throw new ConfigException(source, null, "empty document; expected a mapping");
    }
    JsonNode tree;
    try {
      // A tree first, so that a missing field can be blamed on a misspelled one next to it.
      tree = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw Errors.translate(source, e, null, mapper);
    }
    return convert(source, tree, type);
  }

  private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> M strict(B builder) {
    SimpleModule durations = new SimpleModule("switchboard-durations");
    durations.addDeserializer(Duration.class, new DurationDeserializer());
    durations.addSerializer(Duration.class, new DurationSerializer());
    M m =
        builder
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .addModule(durations)
            .build();
    // No scalar is read as another: a string is never a number or a boolean, a number never a
    // string, so "ten" and "10" are type errors instead of 10 or a silent default.
    m.coercionConfigDefaults()
        .setAcceptBlankAsEmpty(false)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    return m;
  }
}
