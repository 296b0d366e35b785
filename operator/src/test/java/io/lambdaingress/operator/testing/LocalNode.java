package io.lambdaingress.operator.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The local world with a node ({@code dev/local-env.sh up --node}, dev/node.sh): pods run, and reach the API
 * server (the kubernetes Service) and AWS ({@link LocalWorld#awsEndpoint()}, on the node's bridge address).
 */
public record LocalNode(LocalWorld world) {

  /** The node's name, as its pods' spec.nodeName says. */
  public static final String NAME = "lambda-ingress-node";

  /** Loads OCI image archives ({@code dev/images.sh save}) into the node's containerd: pods never pull. */
  public void importImages(Path... archives) {
    List<String> args = new ArrayList<>(List.of("import"));
    for (Path a : archives) {
      args.add(a.toAbsolutePath().toString());
    }
    int rc = LocalEnvScript.run(world.directory(), 10, args.toArray(String[]::new));
    if (rc != 0) {
      throw new IllegalStateException("dev/local-env.sh import failed (exit " + rc + ")");
    }
  }

  /**
   * Gives an imported image another name in the node's containerd ({@code dev/local-env.sh tag}): the name a registry
   * would serve it under, so that a pod naming that image runs it without a pull (pullPolicy IfNotPresent).
   */
  public void tagImage(String image, String name) {
    int rc = LocalEnvScript.run(world.directory(), 1, "tag", image, name);
    if (rc != 0) {
      throw new IllegalStateException("dev/local-env.sh tag " + image + " " + name + " failed (exit " + rc + ")");
    }
  }
}
