package io.lambdaingress.operator.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Marks an integration test class that runs pods on the local node (see {@link LocalNodeExtension}). One node per
 * machine: such classes hold the lock {@value #LOCK}, so they never run at the same time as each other (they do beside
 * the loopback world's classes).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalNodeExtension.class)
@Tag("local-node")
@ResourceLock(WithLocalNode.LOCK)
public @interface WithLocalNode {
  String LOCK = "the local node";
}
