package io.lambdaingress.operator.kinds;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** What must be set and removed to turn an observed key-value map (tags, attributes) into the wanted one. */
public record MapDiff(Map<String, String> set, Set<String> removed) {

  /** Attributes: only the wanted keys count; AWS has many more we leave as they are. */
  public static MapDiff attributes(Map<String, String> observed, Map<String, String> wanted) {
    return new MapDiff(changed(observed, wanted), Set.of());
  }

  /** Tags: the wanted ones exactly, except AWS-reserved tags (aws:...), which are not ours to remove. */
  public static MapDiff tags(Map<String, String> observed, Map<String, String> wanted) {
    Set<String> removed = new HashSet<>(observed.keySet());
    removed.removeAll(wanted.keySet());
    removed.removeIf(k -> k.startsWith("aws:"));
    return new MapDiff(changed(observed, wanted), Set.copyOf(removed));
  }

  private static Map<String, String> changed(Map<String, String> observed, Map<String, String> wanted) {
    Map<String, String> set = new HashMap<>();
    wanted.forEach((k, v) -> {
      if (!v.equals(observed.get(k))) {
        set.put(k, v);
      }
    });
    return Map.copyOf(set);
  }

  public boolean isEmpty() {
    return set.isEmpty() && removed.isEmpty();
  }

  /** The map after applying this diff to {@code observed}. */
  public Map<String, String> applyTo(Map<String, String> observed) {
    Map<String, String> after = new HashMap<>(observed);
    after.putAll(set);
    after.keySet().removeAll(removed);
    return after;
  }

  /** For the write's log line and Event: keys only (tag and environment values may be sensitive). */
  public String describe() {
    return removed.isEmpty() ? "set " + set.keySet() : "set " + set.keySet() + ", removed " + removed;
  }
}
