package io.lambdaingress.operator.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lambdaingress.operator.testing.LocalWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The field reference of docs/api.md, generated from the checked-in CRD (crds/): one table row per field
 * path with its type, whether it is required, its default, its constraints (enum, ranges, lengths,
 * patterns, CEL rules) and the CRD's description.
 */
final class ApiReference {

  static final Path CRD = LocalWorld.repoRoot().resolve("crds/lambdaingresses.lambdaingress.io-v1.yml");
  static final String BEGIN = "<!-- BEGIN generated from crds/ by ApiDocTest; do not edit by hand -->";
  static final String END = "<!-- END generated -->";

  /** One field: its dotted path ({@code []} for array items) and the schema that describes it. */
  record Field(String path, JSONSchemaProps schema, boolean required) {}

  private ApiReference() {}

  static JSONSchemaProps rootSchema() {
    try {
      CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(CRD), CustomResourceDefinition.class);
      return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every field below spec and status, parents before children. */
  static List<Field> fields() {
    List<Field> fields = new ArrayList<>();
    JSONSchemaProps root = rootSchema();
    for (String top : List.of("spec", "status")) {
      walk(top, root.getProperties().get(top), root.getRequired() != null && root.getRequired().contains(top), fields);
    }
    return fields;
  }

  private static void walk(String path, JSONSchemaProps schema, boolean required, List<Field> into) {
    into.add(new Field(path, schema, required));
    if (schema.getProperties() != null) {
      for (Map.Entry<String, JSONSchemaProps> e : schema.getProperties().entrySet()) {
        boolean req = schema.getRequired() != null && schema.getRequired().contains(e.getKey());
        walk(path + "." + e.getKey(), e.getValue(), req, into);
      }
    }
    if ("array".equals(schema.getType()) && schema.getItems() != null && schema.getItems().getSchema() != null
        && schema.getItems().getSchema().getProperties() != null) {
      JSONSchemaProps item = schema.getItems().getSchema();
      for (Map.Entry<String, JSONSchemaProps> e : item.getProperties().entrySet()) {
        boolean req = item.getRequired() != null && item.getRequired().contains(e.getKey());
        walk(path + "[]." + e.getKey(), e.getValue(), req, into);
      }
    }
  }

  /** The generated block of docs/api.md, markers included. */
  static String markdown() {
    StringBuilder md = new StringBuilder(BEGIN).append('\n');
    String section = null;
    for (Field f : fields()) {
      String top = f.path().contains(".") ? f.path().substring(0, f.path().indexOf('.')) : f.path();
      if (!top.equals(section)) {
        section = top;
        md.append('\n').append("### ").append(top).append("\n\n");
        md.append("| field | type | required | default | constraints | description |\n");
        md.append("| --- | --- | --- | --- | --- | --- |\n");
      }
      JSONSchemaProps s = f.schema();
      md.append("| `").append(f.path()).append("` | ").append(type(s)).append(" | ").append(f.required() ? "yes" : "")
          .append(" | ").append(s.getDefault() == null ? "" : code(json(s.getDefault())))
          .append(" | ").append(cell(String.join("<br>", constraints(s))))
          .append(" | ").append(cell(s.getDescription() == null ? "" : s.getDescription())).append(" |\n");
    }
    return md.append('\n').append(END).append('\n').toString();
  }

  private static String type(JSONSchemaProps s) {
    if ("array".equals(s.getType())) {
      JSONSchemaProps item = s.getItems() == null ? null : s.getItems().getSchema();
      return "[]" + (item == null ? "" : type(item));
    }
    if ("object".equals(s.getType()) && s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
      return "map[string]" + type(s.getAdditionalProperties().getSchema());
    }
    return s.getType() == null ? "" : s.getType();
  }

  private static List<String> constraints(JSONSchemaProps s) {
    List<String> c = new ArrayList<>();
    if (s.getEnum() != null && !s.getEnum().isEmpty()) {
      c.add("one of " + String.join(", ", s.getEnum().stream().map(v -> code(json(v))).toList()));
    }
    range(c, "", s.getMinimum(), s.getMaximum());
    range(c, "length ", s.getMinLength(), s.getMaxLength());
    range(c, "items ", s.getMinItems(), s.getMaxItems());
    range(c, "entries ", s.getMinProperties(), s.getMaxProperties());
    if (s.getPattern() != null) {
      c.add("pattern " + code(s.getPattern()));
    }
    if ("array".equals(s.getType()) && s.getItems() != null && s.getItems().getSchema() != null
        && s.getItems().getSchema().getProperties().isEmpty()) {
      constraints(s.getItems().getSchema()).forEach(itemRule -> c.add("each: " + itemRule));
    }
    if (s.getXKubernetesValidations() != null) {
      for (ValidationRule rule : s.getXKubernetesValidations()) {
        c.add(rule.getRule().contains("oldSelf") ? "immutable" : "rule: " + rule.getMessage());
      }
    }
    return c;
  }

  private static void range(List<String> into, String what, Number min, Number max) {
    if (min != null && max != null) {
      into.add(what + number(min) + "-" + number(max));
    } else if (min != null) {
      into.add(what + "at least " + number(min));
    } else if (max != null) {
      into.add(what + "at most " + number(max));
    }
  }

  private static String number(Number n) {
    return n.doubleValue() == Math.rint(n.doubleValue()) ? Long.toString(n.longValue()) : n.toString();
  }

  private static String json(JsonNode node) {
    return node.isTextual() ? node.asText() : node.toString();
  }

  private static String code(String text) {
    return "`" + text + "`";
  }

  /** A table cell: no line breaks, pipes escaped (GitHub tables need it inside code spans too). */
  private static String cell(String text) {
    return text.replace("\n", " ").replace("|", "\\|");
  }
}
