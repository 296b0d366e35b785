package io.lambdaingress.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which object each AWS resource belongs to, by the keys change events name resources by
 * ({@link io.lambdaingress.operator.model.CloudTrailEvent#keysOf}): filled by every reconcile from the
 * object's model, emptied when the object goes. An operator that just started knows an object once it has
 * reconciled it (all are, at start-up).
 */
final class ChangeIndex {

  private final Map<ResourceID, Set<String>> keysByObject = new ConcurrentHashMap<>();
  private final Map<String, Set<ResourceID>> objectsByKey = new ConcurrentHashMap<>();

  synchronized void put(ResourceID object, Set<String> keys) {
    remove(object);
    keysByObject.put(object, Set.copyOf(keys));
    keys.forEach(k -> objectsByKey.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(object));
  }

  synchronized void remove(ResourceID object) {
    Set<String> old = keysByObject.remove(object);
    if (old != null) {
      old.forEach(k -> objectsByKey.computeIfPresent(k, (x, ids) -> {
        ids.remove(object);
        return ids.isEmpty() ? null : ids;
      }));
    }
  }

  /** The objects whose chains use any of these resources. */
  Set<ResourceID> objectsNaming(Set<String> keys) {
    Set<ResourceID> found = new HashSet<>();
    keys.forEach(k -> found.addAll(objectsByKey.getOrDefault(k, Set.of())));
    return found;
  }
}
